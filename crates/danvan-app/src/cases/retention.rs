//! Personal-data retention and the resident's data request.

use super::routing::today;
use crate::{App, AppResult};
use chrono::{DateTime, TimeZone, Utc};
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::cases::delivery::{RetentionPolicy, MAX_RETENTION_YEARS, RETENTION_COMPLAINT_KEY, RETENTION_FEEDBACK_KEY};
use danvan_domain::cases::CaseKind;
use danvan_store::cases::CaseRow;
use danvan_store::AuditCtx;

/// The retention settings, with the domain's defaults for those not set.
pub async fn retention_policy(app: &App) -> AppResult<RetentionPolicy> {
    let d = RetentionPolicy::default();
    let read = |v: Option<String>, default: u32| {
        v.and_then(|s| s.trim().parse().ok()).filter(|n| *n > 0).map(|n: u32| n.min(MAX_RETENTION_YEARS)).unwrap_or(default)
    };
    Ok(RetentionPolicy {
        feedback_years: read(app.store.get_setting(RETENTION_FEEDBACK_KEY).await?, d.feedback_years),
        complaint_years: read(app.store.get_setting(RETENTION_COMPLAINT_KEY).await?, d.complaint_years),
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
pub async fn erase_expired(app: &App, on: chrono::NaiveDate) -> AppResult<u64> {
    let p = retention_policy(app).await?;
    let fb = end_of_vn_day(p.cutoff(CaseKind::Feedback, on));
    let cb = end_of_vn_day(p.cutoff(CaseKind::Complaint, on));
    let caller = AuditCtx::system("retention");
    let mut n = 0;
    loop {
        let batch = app.store.cases_past_retention(fb, cb, 200).await?;
        if batch.is_empty() {
            return Ok(n);
        }
        for (id, code, kind) in batch {
            let years = p.years_for(kind);
            // None: another node erased it meanwhile (and wrote the audit entry).
            if let Some(keys) = app.store.erase_personal_data(&caller, id, &code, years).await? {
                app.uploads.remove(&keys.into_iter().map(Some).collect::<Vec<_>>()).await;
                n += 1;
            }
        }
    }
}

/// `erase_expired` for today.
pub async fn erase_expired_today(app: &App) -> AppResult<u64> {
    erase_expired(app, today()).await
}

// ---------------------------------------------------------------------------------------------
// The resident's data request

/// Everything danvan holds about the sender of `c`: their case without internal notes, their
/// contact, the public history, the answer and the messages sent to them. Nothing of any other
/// case or citizen.
pub async fn personal_data(app: &App, c: &CaseRow) -> AppResult<serde_json::Value> {
    let contact = app.store.case_contact(c.id).await?;
    let events = app.store.case_events(c.id, true).await?;
    let answer = app.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    let messages = app.store.case_messages(c.id).await?;
    let erased = app.store.personal_data_erased_at(c.id).await?;
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
