//! A resident who lost the private link finds the case again with its code and the phone number
//! or e-mail address they gave, and is given a fresh private link. Limited per address and per
//! code (the existing attempt limiter), and the answer is the same for a code that does not
//! exist and for one whose contact does not match: nothing tells whether a code is taken.
//! Never for a case whose sender is protected (a denunciation): its private link is the only
//! way in. Also the receipt sent to that phone or e-mail when the case is received.

use crate::{App, AppResult, Caller};
use danvan_domain::cases::delivery::MessageChannel;
use danvan_store::cases::delivery::NewMessage;

/// Attempts one address may make in an hour; and attempts at one code from everywhere.
pub const MAX_PER_IP_PER_HOUR: i64 = 10;
pub const MAX_PER_CODE_PER_HOUR: i64 = 5;

/// The digits of a phone number in national form ("+84 912…" and "0912…" are one number).
pub fn phone_key(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("84") {
        Some(rest) if s.trim_start().starts_with('+') || digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    }
}

/// Whether `given` is the phone number or e-mail address of `contact`.
pub fn contact_matches(phone: Option<&str>, email: Option<&str>, given: &str) -> bool {
    let given = given.trim();
    if given.is_empty() {
        return false;
    }
    if given.contains('@') {
        return email.is_some_and(|e| !e.trim().is_empty() && e.trim().eq_ignore_ascii_case(given));
    }
    let key = phone_key(given);
    key.len() >= 8 && phone.is_some_and(|p| phone_key(p) == key)
}

/// A fresh secret link to the case `code` when `contact` is the phone or e-mail its sender gave;
/// `None` otherwise, whether the code exists or not. Counts against the caller's address and the
/// code before anything is looked up (`error.too_many` beyond the limits).
pub async fn link_by_contact(app: &App, caller: &Caller, code: &str, contact: &str) -> AppResult<Option<(String, String)>> {
    let code = code.trim().to_uppercase();
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let limits = [
        danvan_store::AttemptLimit { scope: "track", key: &caller.ip, since, max: MAX_PER_IP_PER_HOUR },
        danvan_store::AttemptLimit { scope: "track_code", key: &code, since, max: MAX_PER_CODE_PER_HOUR },
    ];
    if app.store.take_attempt(&limits).await?.is_none() {
        return Err(crate::AppError::TooMany("error.too_many"));
    }
    let Some(c) = app.store.get_case_by_code(&code).await? else { return Ok(None) };
    // A protected sender (a denunciation, or a case that ever was one) is never found by the
    // contact: whoever sees the code and guesses the denouncer's number would otherwise get a
    // link to their identity (Law on Denunciations 2018 Art. 47, 51). The denouncer keeps the
    // private link; the answer is the same as for a wrong contact.
    if c.identity_protected {
        return Ok(None);
    }
    let contact_of = app.store.case_contact(c.id).await?;
    if !contact_matches(contact_of.phone.as_deref(), contact_of.email.as_deref(), contact) {
        return Ok(None);
    }
    let secret = app.store.add_case_link(c.id).await?;
    Ok(Some((c.code, secret)))
}

/// Queues the receipt (code, due date, private link) to the phone and e-mail the sender gave,
/// on the channels this server delivers; nothing without a public address for the link.
pub async fn queue_receipt(app: &App, case_id: i64, code: &str, secret: &str, due: Option<&str>) -> AppResult<()> {
    let base = app.config.delivery.public_url.trim_end_matches('/');
    let channels = app.config.delivery.configured();
    if base.is_empty() || channels.is_empty() {
        return Ok(());
    }
    let contact = app.store.case_contact(case_id).await?;
    let link = format!("{base}/track/{code}?s={secret}");
    let mut msgs = vec![];
    for (channel, to) in [(MessageChannel::Email, contact.email), (MessageChannel::Sms, contact.phone)] {
        let Some(to) = to.filter(|t| !t.trim().is_empty()) else { continue };
        if !channels.contains(&channel) {
            continue;
        }
        let (subject, body) = danvan_domain::cases::delivery::receipt_message(channel, code, due, &link);
        msgs.push(NewMessage { case_id, answer_case_id: case_id, channel, recipient: to, subject, body });
    }
    if !msgs.is_empty() {
        app.store.enqueue_messages(&msgs).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_matches_in_its_usual_spellings_only() {
        let (p, e) = (Some("0912 345 678"), Some("Lan@Example.vn"));
        assert!(contact_matches(p, e, "0912345678"));
        assert!(contact_matches(p, e, "+84 912 345 678"));
        assert!(contact_matches(p, e, "84912345678"));
        assert!(contact_matches(p, e, "lan@example.vn"));
        assert!(!contact_matches(p, e, "0912345679"));
        assert!(!contact_matches(p, e, "345678"), "too short to be a number");
        assert!(!contact_matches(p, e, ""));
        assert!(!contact_matches(None, None, "0912345678"), "an anonymous case is found by no contact");
        assert!(!contact_matches(p, Some(""), "@"));
    }
}
