//! Sending answers to citizens, duplicates and merging, personal-data retention and the
//! resident's data request: the operations the pages and jobs share.
//!
//! Messages go through the `outbox` table: the transition that sends an answer queues one message
//! per channel the citizen gave (for the case and every case merged into it); the delivery job
//! sends them by SMTP or the outgoing webhook, with retries, and records the outcome.

use crate::case_ops::{self, today};
use crate::ctx::Ctx;
use crate::error::{WebError, WebResult};
use crate::AppState;
use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::case::{self, CaseAction, CaseFacts, CaseKind, CaseStatus};
use danvan_domain::delivery::{
    answer_message, duplicate_score, merge_allowed, AnswerMessage, DupProbe, MessageChannel, RetentionPolicy,
    MAX_RETENTION_YEARS, RETENTION_COMPLAINT_KEY, RETENTION_FEEDBACK_KEY,
};
use danvan_domain::{Action, FieldErrors};
use danvan_store::cases::CaseRow;
use danvan_store::delivery::{NewMessage, OutboxMessage};
use danvan_store::AuditCtx;
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

/// Queues the answer of `answered` for the citizens of `recipients` (the case itself and the
/// cases merged into it, or one case merged later): one message per channel each gave, each
/// with a fresh private link to the recipient's own case. Anonymous senders get nothing.
pub async fn enqueue_answer(state: &AppState, answered: &CaseRow, recipients: &[CaseRow]) -> WebResult<usize> {
    let Some(answer) = state.store.answer(answered.id).await?.filter(|a| a.sent_at.is_some()) else {
        return Ok(0);
    };
    let unit = state.store.get_unit(answered.unit_id).await?;
    let base = state.config.delivery.public_url.trim_end_matches('/');
    let mut msgs = vec![];
    for r in recipients {
        let contact = state.store.case_contact(r.id).await?;
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
        let secret = state.store.add_case_link(r.id).await?;
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
            msgs.push(NewMessage {
                case_id: r.id,
                answer_case_id: answered.id,
                channel: channel.as_str().into(),
                recipient,
                subject,
                body,
            });
        }
    }
    state.store.enqueue_messages(&msgs).await?;
    Ok(msgs.len())
}

/// After `send_answer`: the case's citizen and those of every case merged into it.
pub async fn on_answer_sent(state: &AppState, answered: &CaseRow) -> WebResult<usize> {
    let mut recipients = vec![answered.clone()];
    recipients.extend(state.store.merged_cases(answered.id).await?);
    enqueue_answer(state, answered, &recipients).await
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
    let body =
        serde_json::to_vec(&WebhookBody { id: m.id, channel: &m.channel, to: &m.recipient, subject: &m.subject, text: &m.body })
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
pub async fn deliver(state: &AppState) -> WebResult<DeliveryReport> {
    let cfg = &state.config.delivery;
    let channels = cfg.configured();
    let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    let mut report = DeliveryReport { parked: state.store.park_unconfigured(&names).await?, ..Default::default() };
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
        .map_err(|e| WebError::Internal(e.to_string()))?;
    loop {
        let now = Utc::now();
        // One message per claim, with a lease longer than its attempt can take: a lease sized
        // for one attempt but covering a batch would run out mid-batch and let another node
        // send the rest again.
        let lease = now + ChronoDuration::from_std(cfg.timeout * 3).unwrap_or(ChronoDuration::minutes(1));
        let batch = state.store.claim_messages(&names, now, lease, 1).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        for m in batch {
            let result = match MessageChannel::parse(&m.channel) {
                Some(MessageChannel::Email) => match &smtp {
                    Some((t, from)) => send_email(t, from, &m).await,
                    None => Err("smtp: not usable".into()),
                },
                Some(_) => match &cfg.webhook {
                    Some(w) => send_webhook(&http, w, &m).await,
                    None => Err("webhook: not configured".into()),
                },
                None => Err("unknown channel".into()),
            };
            match result {
                Ok(()) => {
                    state.store.mark_message_sent(m.id, m.attempts, Utc::now()).await?;
                    report.sent += 1;
                }
                Err(e) => {
                    // Logs name the message, never its recipient.
                    tracing::warn!(message = m.id, channel = %m.channel, attempt = m.attempts, error = %e, "delivery attempt failed");
                    if m.attempts >= cfg.max_attempts {
                        state.store.mark_message_failed(m.id, m.attempts, &e, None).await?;
                        report.failed += 1;
                    } else {
                        let wait = cfg.retry_base * 2u32.saturating_pow((m.attempts - 1).clamp(0, 16) as u32);
                        let at = Utc::now() + ChronoDuration::from_std(wait).unwrap_or(ChronoDuration::hours(1));
                        state.store.mark_message_failed(m.id, m.attempts, &e, Some(at)).await?;
                        report.retried += 1;
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Duplicates and merging

/// How far back duplicate suggestions look.
pub const DUPLICATE_WINDOW_DAYS: i64 = 90;

fn probe(c: &CaseRow) -> DupProbe {
    DupProbe {
        text: format!("{} {}", c.title, c.description),
        point: c.latitude.zip(c.longitude),
        category_id: c.category_id,
        place_unit_id: c.place_unit_id,
    }
}

/// Open cases of the same ward or commune, received recently, that look like `c` (best first,
/// at most 5), among those the actor may see.
pub async fn suggest_duplicates(state: &AppState, ctx: &Ctx, c: &CaseRow) -> WebResult<Vec<(CaseRow, f64)>> {
    let Some(place_id) = c.place_unit_id else { return Ok(vec![]) };
    // Suggestions are for merging: none for or among kinds that may not be merged.
    let kind_of = |c: &CaseRow| CaseKind::parse(&c.kind).unwrap_or(CaseKind::Denunciation);
    if !merge_allowed(kind_of(c), CaseKind::Feedback) {
        return Ok(vec![]);
    }
    let place = state.store.get_unit(place_id).await?;
    let territory = case_ops::territory_of(state, &place).await?;
    let since = Utc::now() - ChronoDuration::days(DUPLICATE_WINDOW_DAYS);
    let me = probe(c);
    let mut found: Vec<(CaseRow, f64)> = state
        .store
        .duplicate_candidates(&territory.path, since, c.id, 300)
        .await?
        .into_iter()
        .filter(|o| merge_allowed(kind_of(c), kind_of(o)) && merge_allowed(kind_of(o), kind_of(c)))
        .filter(|o| case_ops::authorize_case_internal(ctx, o).is_ok())
        .filter_map(|o| duplicate_score(&me, &probe(&o)).map(|s| (o, s)))
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.truncate(5);
    Ok(found)
}

/// Merges case `b_id` into the case with code `into`: the officer must handle both. `b` leaves
/// the open work (rejected, merged); its citizen receives `a`'s answer, at once if it was sent.
pub async fn merge(state: &AppState, ctx: &Ctx, b_id: i64, into: &str, note: &str) -> WebResult<CaseRow> {
    let b = state.store.get_case(b_id).await?;
    case_ops::authorize_case(ctx, &b, Action::Handle)?;
    let note = danvan_domain::text::clean_multiline(note);
    let mut e = FieldErrors::new();
    let a = match state.store.get_case_by_code(into).await? {
        Some(a) if a.id == b.id => {
            e.add("into", "merge.error.self");
            None
        }
        Some(a) if a.merged_into.is_some() || matches!(a.status.as_str(), "rejected" | "withdrawn" | "transferred_out") => {
            e.add("into", "merge.error.target_closed");
            None
        }
        Some(a) => Some(a),
        None => {
            e.add("into", if into.trim().is_empty() { "error.required" } else { "merge.error.unknown" });
            None
        }
    };
    if note.is_empty() {
        e.add("note", "error.required");
    }
    let (Some(a), true) = (a, e.is_empty()) else { return Err(WebError::Invalid(e)) };
    case_ops::authorize_case(ctx, &a, Action::Handle)?;
    // An unknown kind is treated as the most sensitive one.
    let kind = CaseKind::parse(&b.kind).unwrap_or(CaseKind::Denunciation);
    if !merge_allowed(kind, CaseKind::parse(&a.kind).unwrap_or(CaseKind::Denunciation)) {
        return Err(WebError::Invalid(FieldErrors::one("into", "merge.error.kind")));
    }
    let status = CaseStatus::parse(&b.status).ok_or_else(|| WebError::Internal(format!("unknown status {}", b.status)))?;
    let facts = CaseFacts { kind, extensions_used: b.extensions_used.max(0) as u32, days_since_answer: None };
    let next = case::transition(status, CaseAction::Merge, facts, &case_ops::policy(&*state.store.settings().await?, kind, None))
        .map_err(|e| WebError::Conflict(FieldErrors::one("action", e.key())))?;
    state.store.merge_case(&ctx.audit(), &b, &a, next.as_str(), &note).await?;
    let merged = state.store.get_case(b.id).await?;
    if a.answered_at.is_some() && matches!(a.status.as_str(), "answered" | "closed") {
        enqueue_answer(state, &a, std::slice::from_ref(&merged)).await?;
    }
    Ok(merged)
}

// ---------------------------------------------------------------------------------------------
// Retention

/// The retention settings, with the domain's defaults for those not set.
pub async fn retention_policy(state: &AppState) -> WebResult<RetentionPolicy> {
    let d = RetentionPolicy::default();
    let read = |v: Option<String>, default: u32| {
        v.and_then(|s| s.trim().parse().ok()).filter(|n| *n > 0).map(|n: u32| n.min(MAX_RETENTION_YEARS)).unwrap_or(default)
    };
    Ok(RetentionPolicy {
        feedback_years: read(state.store.get_setting(RETENTION_FEEDBACK_KEY).await?, d.feedback_years),
        complaint_years: read(state.store.get_setting(RETENTION_COMPLAINT_KEY).await?, d.complaint_years),
    })
}

/// The first instant of the Vietnamese day after `d` (cases ended before it ended on or before `d`).
fn end_of_vn_day(d: chrono::NaiveDate) -> DateTime<Utc> {
    let next = d.succ_opt().unwrap_or(d);
    vietnam_offset()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// Erases the personal data of every ended case past its period on `on`; returns how many.
pub async fn erase_expired(state: &AppState, on: chrono::NaiveDate) -> WebResult<u64> {
    let p = retention_policy(state).await?;
    let fb = end_of_vn_day(p.cutoff(CaseKind::Feedback, on));
    let cb = end_of_vn_day(p.cutoff(CaseKind::Complaint, on));
    let ctx = AuditCtx::system("retention");
    let mut n = 0;
    loop {
        let batch = state.store.cases_past_retention(fb, cb, 200).await?;
        if batch.is_empty() {
            return Ok(n);
        }
        for (id, code, kind) in batch {
            let years = p.years_for(CaseKind::parse(&kind).unwrap_or(CaseKind::Complaint));
            // None: another node erased it meanwhile (and wrote the audit entry).
            if let Some(keys) = state.store.erase_personal_data(&ctx, id, &code, years).await? {
                state.uploads.remove(&keys.into_iter().map(Some).collect::<Vec<_>>()).await;
                n += 1;
            }
        }
    }
}

/// `erase_expired` for today.
pub async fn erase_expired_today(state: &AppState) -> WebResult<u64> {
    erase_expired(state, today()).await
}

// ---------------------------------------------------------------------------------------------
// The resident's data request

/// Everything danvan holds about the sender of `c`: their case without internal notes, their
/// contact, the public history, the answer and the messages sent to them. Nothing of any other
/// case or citizen.
pub async fn personal_data(state: &AppState, c: &CaseRow) -> WebResult<serde_json::Value> {
    let contact = state.store.case_contact(c.id).await?;
    let events = state.store.case_events(c.id, true).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    let messages = state.store.case_messages(c.id).await?;
    let erased = state.store.personal_data_erased_at(c.id).await?;
    Ok(serde_json::json!({
        "case": {
            "code": c.code,
            "kind": c.kind,
            "channel": c.channel,
            "status": c.status,
            "title": c.title,
            "description": c.description,
            "address": c.address,
            "latitude": c.latitude,
            "longitude": c.longitude,
            "publish": c.publish,
            "received_at": c.received_at,
            "accept_due": c.accept_due,
            "resolve_due": c.resolve_due,
            "answered_at": c.answered_at,
            "closed_at": c.closed_at,
            "rating": c.rating,
            "rating_comment": c.rating_comment,
        },
        "sender": contact,
        "personal_data_erased_at": erased,
        "history": events.iter().map(|e| serde_json::json!({
            "at": e.at, "action": e.action, "status": e.to_status,
        })).collect::<Vec<_>>(),
        "answer": answer.map(|a| serde_json::json!({ "body": a.body, "register_no": a.register_no, "sent_at": a.sent_at })),
        "messages": messages.iter().map(|m| serde_json::json!({
            "channel": m.channel, "to": m.recipient, "status": m.status, "created_at": m.created_at, "sent_at": m.sent_at,
        })).collect::<Vec<_>>(),
    }))
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
