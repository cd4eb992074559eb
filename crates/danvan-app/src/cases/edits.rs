//! Small changes to a case besides its transitions: internal notes, supporting units, files, the
//! citizen's Zalo number, notices read. The caller's permission is decided by `access` first.

use crate::cases::queries::{Attachment, NewAttachment};
use crate::{App, AppResult, Caller};
use danvan_domain::UnitId;

pub async fn add_case_note(app: &App, caller: &Caller, id: i64, note: &str) -> AppResult<()> {
    Ok(app.store.add_case_note(&caller.audit(), id, note).await?)
}

pub async fn add_case_support(app: &App, caller: &Caller, case_id: i64, unit_id: UnitId, note: &str) -> AppResult<()> {
    Ok(app.store.add_case_support(&caller.audit(), case_id, unit_id, note).await?)
}

/// Ends a unit's support of a case; for those who may handle the case.
pub async fn remove_case_support(app: &App, caller: &Caller, case_id: i64, unit_id: UnitId) -> AppResult<()> {
    crate::cases::queries::case_for(app, caller, case_id, danvan_domain::Action::Handle).await?;
    Ok(app.store.remove_case_support(&caller.audit(), case_id, unit_id, "").await?)
}

pub async fn add_attachments(app: &App, caller: &Caller, case_id: i64, atts: &[NewAttachment]) -> AppResult<()> {
    Ok(app.store.add_attachments(&caller.audit(), case_id, atts).await?)
}

/// Deletes a file's record; returns it so that the caller removes the stored file.
pub async fn delete_attachment(app: &App, caller: &Caller, id: i64) -> AppResult<Option<Attachment>> {
    Ok(app.store.delete_attachment(&caller.audit(), id).await?)
}

pub async fn set_case_zalo(app: &App, case_id: i64, zalo: &str) -> AppResult<()> {
    Ok(app.store.set_case_zalo(case_id, zalo).await?)
}

/// Marks the caller's escalation notices read.
pub async fn mark_notifications_read(app: &App, caller: &Caller) -> AppResult<()> {
    let me = caller.require_account()?;
    Ok(app.store.mark_notifications_read(me.id).await?)
}
