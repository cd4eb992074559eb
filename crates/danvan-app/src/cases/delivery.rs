//! Sending answers to citizens.
//!
//! Messages go through the `outbox` table: the transition that sends an answer queues one message
//! per channel the citizen gave (for the case and every case merged into it); the delivery job
//! sends them by SMTP or the outgoing webhook, with retries, and records the outcome.

use crate::{App, AppError, AppResult};
use chrono::{Duration as ChronoDuration, Utc};
use danvan_domain::cases::delivery::{answer_message, AnswerMessage, MessageChannel};
use danvan_store::cases::delivery::{NewMessage, OutboxMessage, Outgoing};
use danvan_store::cases::{Answer, CaseRow};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// Configuration

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same host or a test server.
    None,
    /// STARTTLS on the submission port (587), required.
    #[default]
    StartTls,
    /// TLS from the first byte (465).
    Tls,
}

impl SmtpTls {
    pub fn parse(s: &str) -> Option<SmtpTls> {
        match s.trim() {
            "none" => Some(SmtpTls::None),
            "starttls" => Some(SmtpTls::StartTls),
            "tls" => Some(SmtpTls::Tls),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. "UBND phường <no-reply@example.vn>".
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    // The password stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// The outgoing webhook: a gateway for SMS or Zalo OA implements it (docs/OPERATIONS.md).
#[derive(Clone)]
pub struct WebhookConfig {
    pub url: String,
    /// Key of the HMAC-SHA256 signature over the body.
    pub secret: String,
    /// Channels the gateway delivers ("sms", "zalo").
    pub channels: Vec<MessageChannel>,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig").field("url", &self.url).field("channels", &self.channels).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// The site's address as citizens reach it (links in messages), e.g. https://danvan.example.vn.
    pub public_url: String,
    pub smtp: Option<SmtpConfig>,
    pub webhook: Option<WebhookConfig>,
    /// Attempts before a message is marked failed.
    pub max_attempts: i64,
    /// Wait before the second attempt; doubled each time after.
    pub retry_base: Duration,
    /// Time allowed for one attempt.
    pub timeout: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            public_url: String::new(),
            smtp: None,
            webhook: None,
            max_attempts: 5,
            retry_base: Duration::from_secs(60),
            timeout: Duration::from_secs(20),
        }
    }
}

impl DeliveryConfig {
    /// Refuses a configuration that would send broken or unsafe messages: a channel without
    /// `public_url` (the private link would be a bare path no citizen can open), and a webhook
    /// over plain http to another machine (the recipients and answers would travel in clear).
    pub fn check(&self) -> Result<(), String> {
        if (self.smtp.is_some() || self.webhook.is_some()) && self.public_url.trim().is_empty() {
            return Err("public_url is required when SMTP or the webhook is configured: messages carry links to it".into());
        }
        if let Some(w) = &self.webhook {
            let url = reqwest::Url::parse(&w.url).map_err(|e| format!("webhook_url: {e}"))?;
            let host = url.host_str().unwrap_or("");
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
                return Err("webhook_url must use https (plain http only to this machine)".into());
            }
        }
        Ok(())
    }

    pub fn configured(&self) -> Vec<MessageChannel> {
        let mut v = vec![];
        if self.smtp.is_some() {
            v.push(MessageChannel::Email);
        }
        if let Some(w) = &self.webhook {
            v.extend(w.channels.iter().copied());
        }
        v
    }
}

// ---------------------------------------------------------------------------------------------
// Queuing answers

/// The messages carrying `answer` (the answer of `answered`) to the citizens of `recipients`
/// (the case itself and the cases merged into it, or one case merged later): one message per
/// channel each gave, each with a fresh private link to the recipient's own case. Anonymous
/// senders get nothing. Nothing is written: the transition that sends the answer (or merges a
/// case into an answered one) queues them in its own commit.
pub async fn answer_outgoing(app: &App, answered: &CaseRow, answer: &Answer, recipients: &[CaseRow]) -> AppResult<Outgoing> {
    let mut out = Outgoing::default();
    let unit = app.store.get_unit(answered.unit_id).await?;
    let base = app.config.delivery.public_url.trim_end_matches('/');
    for r in recipients {
        let contact = app.store.case_contact(r.id).await?;
        let mut to: Vec<(MessageChannel, String)> = vec![];
        if let Some(e) = contact.email.filter(|e| !e.trim().is_empty()) {
            to.push((MessageChannel::Email, e));
        }
        if let Some(p) = contact.phone.filter(|p| !p.trim().is_empty()) {
            to.push((MessageChannel::Sms, p));
        }
        if let Some(z) = contact.zalo.filter(|z| !z.trim().is_empty()) {
            to.push((MessageChannel::Zalo, z));
        }
        if to.is_empty() {
            continue;
        }
        let secret = danvan_store::org::auth::random_token();
        out.links.push((r.id, danvan_store::org::auth::hash_token(&secret)));
        let link = format!("{base}/track/{}?s={secret}", r.code);
        let merged_into = (r.id != answered.id).then_some(answered.code.as_str());
        let m = AnswerMessage {
            code: &r.code,
            unit_name: &unit.name,
            register_no: answer.register_no.as_deref(),
            answer: &answer.body,
            link: &link,
            merged_into,
        };
        for (channel, recipient) in to {
            let (subject, body) = answer_message(channel, &m);
            out.messages.push(NewMessage { case_id: r.id, answer_case_id: answered.id, channel, recipient, subject, body });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Sending

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub parked: u64,
}

/// The body the webhook receives (JSON); `signature` goes in the `X-Danvan-Signature` header.
#[derive(Debug, serde::Serialize)]
struct WebhookBody<'a> {
    /// Unique per message: a gateway can drop repeats.
    id: i64,
    channel: &'a str,
    to: &'a str,
    subject: &'a str,
    text: &'a str,
}

/// `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`. The timestamp is signed too,
/// so a receiver that refuses old timestamps cannot be made to accept a replayed message.
pub fn webhook_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub const SIGNATURE_HEADER: &str = "x-danvan-signature";
/// Unix seconds when the message was signed.
pub const TIMESTAMP_HEADER: &str = "x-danvan-timestamp";

type Smtp = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

fn smtp_transport(c: &SmtpConfig, timeout: Duration) -> Result<Smtp, String> {
    use lettre::transport::smtp::authentication::Credentials;
    let builder = match c.tls {
        SmtpTls::None => Smtp::builder_dangerous(&c.host),
        SmtpTls::StartTls => Smtp::starttls_relay(&c.host).map_err(|e| e.to_string())?,
        SmtpTls::Tls => Smtp::relay(&c.host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(c.port).timeout(Some(timeout));
    if let (Some(u), Some(p)) = (&c.user, &c.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(builder.build())
}

async fn send_email(t: &Smtp, from: &str, m: &OutboxMessage) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::AsyncTransport;
    let msg = lettre::Message::builder()
        .from(from.parse().map_err(|_| "invalid sender address".to_string())?)
        .to(m.recipient.parse().map_err(|_| "invalid recipient address".to_string())?)
        .subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| e.to_string())?;
    t.send(msg).await.map(|_| ()).map_err(|e| {
        // The server's reply may quote the address: keep only the kind of failure.
        if e.is_permanent() {
            "smtp: permanent error".to_string()
        } else if e.is_transient() {
            "smtp: transient error".to_string()
        } else {
            "smtp: connection or protocol error".to_string()
        }
    })
}

async fn send_webhook(http: &reqwest::Client, w: &WebhookConfig, m: &OutboxMessage) -> Result<(), String> {
    let body = serde_json::to_vec(&WebhookBody {
        id: m.id,
        channel: m.channel.as_str(),
        to: &m.recipient,
        subject: &m.subject,
        text: &m.body,
    })
    .map_err(|e| e.to_string())?;
    let ts = Utc::now().timestamp();
    let r = http
        .post(&w.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, webhook_signature(&w.secret, ts, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| format!("webhook: {}", if e.is_timeout() { "timeout" } else { "connection error" }))?;
    if r.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook: HTTP {}", r.status().as_u16()))
    }
}

/// One pass of the delivery job: parks messages for channels not configured here, then sends
/// what is due, retrying with exponential backoff until `max_attempts`.
pub async fn deliver(app: &App) -> AppResult<DeliveryReport> {
    let cfg = &app.config.delivery;
    let channels = cfg.configured();
    let mut report = DeliveryReport { parked: app.store.park_unconfigured(&channels).await?, ..Default::default() };
    if channels.is_empty() {
        return Ok(report);
    }
    let smtp = match &cfg.smtp {
        Some(c) => match smtp_transport(c, cfg.timeout) {
            Ok(t) => Some((t, c.from.clone())),
            Err(e) => {
                tracing::error!(error = %e, "SMTP is misconfigured");
                None
            }
        },
        None => None,
    };
    // No redirects: a gateway (or whoever answers for it) must not turn the signed message
    // towards another address.
    let http = reqwest::Client::builder()
        .timeout(cfg.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    loop {
        let now = Utc::now();
        // One message per claim, with a lease longer than its attempt can take: a lease sized
        // for one attempt but covering a batch would run out mid-batch and let another node
        // send the rest again.
        let lease = now + ChronoDuration::from_std(cfg.timeout * 3).unwrap_or(ChronoDuration::minutes(1));
        let batch = app.store.claim_messages(&channels, now, lease, 1).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        for m in batch {
            let result = match m.channel {
                MessageChannel::Email => match &smtp {
                    Some((t, from)) => send_email(t, from, &m).await,
                    None => Err("smtp: not usable".into()),
                },
                MessageChannel::Sms | MessageChannel::Zalo => match &cfg.webhook {
                    Some(w) => send_webhook(&http, w, &m).await,
                    None => Err("webhook: not configured".into()),
                },
            };
            match result {
                Ok(()) => {
                    app.store.mark_message_sent(m.id, m.attempts, Utc::now()).await?;
                    report.sent += 1;
                }
                Err(e) => {
                    // Logs name the message, never its recipient.
                    tracing::warn!(message = m.id, channel = %m.channel, attempt = m.attempts, error = %e, "delivery attempt failed");
                    if m.attempts >= cfg.max_attempts {
                        app.store.mark_message_failed(m.id, m.attempts, &e, None).await?;
                        report.failed += 1;
                    } else {
                        let wait = cfg.retry_base * 2u32.saturating_pow((m.attempts - 1).clamp(0, 16) as u32);
                        let at = Utc::now() + ChronoDuration::from_std(wait).unwrap_or(ChronoDuration::hours(1));
                        app.store.mark_message_failed(m.id, m.attempts, &e, Some(at)).await?;
                        report.retried += 1;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod config_tests {
    use super::*;

    fn hook(url: &str) -> Option<WebhookConfig> {
        Some(WebhookConfig { url: url.into(), secret: "s".into(), channels: vec![MessageChannel::Sms] })
    }

    #[test]
    fn channels_need_a_public_url_and_the_webhook_https() {
        let base = DeliveryConfig { public_url: "https://danvan.example.vn".into(), ..Default::default() };
        assert!(base.check().is_ok(), "nothing configured");
        assert!(DeliveryConfig { public_url: String::new(), webhook: hook("https://gw.example/x"), ..base.clone() }
            .check()
            .is_err());
        let smtp = SmtpConfig {
            host: "mail.example".into(),
            port: 587,
            tls: SmtpTls::StartTls,
            user: None,
            password: None,
            from: "a@example.vn".into(),
        };
        assert!(DeliveryConfig { public_url: " ".into(), smtp: Some(smtp), ..base.clone() }.check().is_err());
        assert!(DeliveryConfig { webhook: hook("https://gw.example/x"), ..base.clone() }.check().is_ok());
        for ok in ["http://127.0.0.1:9000/h", "http://localhost/h", "http://[::1]:80/h"] {
            assert!(DeliveryConfig { webhook: hook(ok), ..base.clone() }.check().is_ok(), "{ok}");
        }
        for bad in ["http://gw.example/x", "http://10.0.0.5/h", "ftp://gw.example/", "not a url"] {
            assert!(DeliveryConfig { webhook: hook(bad), ..base.clone() }.check().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_signature_covers_the_timestamp() {
        let a = webhook_signature("k", 1_700_000_000, b"{}");
        assert_ne!(a, webhook_signature("k", 1_700_000_001, b"{}"));
        assert_eq!(a, webhook_signature("k", 1_700_000_000, b"{}"));
    }
}
