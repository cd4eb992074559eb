//! Receivers for what danvan sends out: a small SMTP server speaking the real protocol over TCP
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps the messages it accepts, and a
//! webhook endpoint that checks the HMAC-SHA256 signature before it accepts a message.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The raw DATA (headers and encoded body), dot-unstuffed.
    pub data: String,
}

impl ReceivedMail {
    /// The body decoded from its transfer encoding (base64, quoted-printable or none).
    pub fn text(&self) -> String {
        let (head, body) = self.data.split_once("\r\n\r\n").unwrap_or((&self.data, ""));
        let enc = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-transfer-encoding:").map(|v| v.trim().to_string()))
            .unwrap_or_default();
        match enc.as_str() {
            "base64" => {
                let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(clean).unwrap_or_default()).into_owned()
            }
            "quoted-printable" => decode_qp(body),
            _ => body.to_string(),
        }
    }
}

fn decode_qp(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if let Some(h) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(h);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An SMTP server on 127.0.0.1 (no TLS: danvan is configured with `SmtpTls::None` against it).
#[derive(Clone)]
pub struct SmtpReceiver {
    pub port: u16,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    /// While above zero, each RCPT is refused with a transient error (and this counts down).
    refuse: Arc<AtomicUsize>,
}

impl SmtpReceiver {
    pub async fn start() -> SmtpReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let r = SmtpReceiver { port, messages: Arc::default(), refuse: Arc::default() };
        let server = r.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let s = server.clone();
                tokio::spawn(async move {
                    let _ = s.session(sock).await;
                });
            }
        });
        r
    }

    /// Refuses the next `n` recipients with "451" (a transient failure).
    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.messages.lock().expect("lock").clone()
    }

    async fn session(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (rd, mut wr) = sock.into_split();
        let mut lines = BufReader::new(rd);
        wr.write_all(b"220 localhost danvan-testkit ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::<String>::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                b"250 OK\r\n"
            } else if upper.starts_with("RSET") {
                (from, to) = (String::new(), vec![]);
                b"250 OK\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                from = address(&cmd["MAIL FROM:".len()..]);
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                let refused = self.refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                if refused {
                    b"451 4.3.0 try again later\r\n"
                } else {
                    to.push(address(&cmd["RCPT TO:".len()..]));
                    b"250 OK\r\n"
                }
            } else if upper == "DATA" {
                if to.is_empty() {
                    b"554 no valid recipients\r\n"
                } else {
                    wr.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        // Dot-stuffing (RFC 5321 §4.5.2).
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.messages.lock().expect("lock").push(ReceivedMail {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data,
                    });
                    b"250 OK queued\r\n"
                }
            } else if upper.starts_with("QUIT") {
                wr.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                b"502 command not implemented\r\n"
            };
            wr.write_all(reply).await?;
        }
    }
}

fn address(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or(s);
    s.trim_start_matches('<').trim_end_matches('>').to_string()
}

/// A webhook endpoint: accepts a POST whose `X-Danvan-Signature` is the HMAC-SHA256 of
/// `<X-Danvan-Timestamp>.<body>` (a timestamp within five minutes)
/// under `secret` (else 401); answers 500 to the first `fail_first` valid requests.
#[derive(Clone)]
pub struct WebhookReceiver {
    pub url: String,
    pub secret: String,
    received: Arc<Mutex<Vec<serde_json::Value>>>,
    bad_signatures: Arc<AtomicUsize>,
    fail: Arc<AtomicUsize>,
}

impl WebhookReceiver {
    pub async fn start(secret: &str) -> WebhookReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind webhook");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let r = WebhookReceiver {
            url,
            secret: secret.to_string(),
            received: Arc::default(),
            bad_signatures: Arc::default(),
            fail: Arc::default(),
        };
        let app = axum::Router::new().route("/hook", axum::routing::post(hook)).with_state(r.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        r
    }

    pub fn fail_next(&self, n: usize) {
        self.fail.store(n, Ordering::SeqCst);
    }

    /// The bodies accepted (signature valid, not failed on purpose).
    pub fn received(&self) -> Vec<serde_json::Value> {
        self.received.lock().expect("lock").clone()
    }

    pub fn bad_signatures(&self) -> usize {
        self.bad_signatures.load(Ordering::SeqCst)
    }
}

async fn hook(State(r): State<WebhookReceiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers.get("x-danvan-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    // As a gateway should: the signed timestamp must be recent (no replays).
    let ts = headers.get("x-danvan-timestamp").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<i64>().ok());
    let Some(ts) = ts.filter(|t| (chrono::Utc::now().timestamp() - t).abs() <= 300) else {
        r.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(r.secret.as_bytes()).expect("hmac key");
    mac.update(format!("{ts}.").as_bytes());
    mac.update(&body);
    let ok = given.strip_prefix("sha256=").and_then(|h| hex::decode(h).ok()).is_some_and(|sig| mac.verify_slice(&sig).is_ok());
    if !ok {
        r.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED;
    }
    if r.fail.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match serde_json::from_slice(&body) {
        Ok(v) => {
            r.received.lock().expect("lock").push(v);
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}
