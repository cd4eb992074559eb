//! Small changes to a case besides its transitions: internal notes, supporting units, files, the
//! citizen's Zalo number, notices read. The caller's permission is decided by `access` first.

use crate::cases::queries::{CaseRow, NewAttachment};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::FieldErrors;
use danvan_domain::UnitId;

/// Adds an internal note to a case; for those who contribute to its file (lead or supporting
/// unit).
pub async fn add_case_note(app: &App, caller: &Caller, id: i64, note: &str) -> AppResult<()> {
    crate::cases::queries::case_file_for(app, caller, id, danvan_domain::Action::Contribute).await?;
    let note = danvan_domain::cases::check_text(note, danvan_domain::cases::MAX_NOTE)
        .map_err(|k| AppError::Invalid(FieldErrors::one("note", k)))?;
    Ok(app.store.add_case_note(&caller.audit(), id, &note).await?)
}

/// Adds a supporting unit (đơn vị phối hợp), chosen by its code, to a case; for those who may
/// handle the case.
pub async fn add_case_support(app: &App, caller: &Caller, case_id: i64, unit_code: &str, note: &str) -> AppResult<()> {
    crate::cases::queries::case_for(app, caller, case_id, danvan_domain::Action::Handle).await?;
    let note = danvan_domain::cases::check_text(note, danvan_domain::cases::MAX_NOTE)
        .map_err(|k| AppError::Invalid(FieldErrors::one("support_note", k)))?;
    let code = unit_code.trim();
    let Some(u) = app.store.get_unit_by_code(code).await? else {
        let key = if code.is_empty() { "error.required" } else { "error.unit_unknown" };
        return Err(AppError::Invalid(FieldErrors::one("support_unit", key)));
    };
    Ok(app.store.add_case_support(&caller.audit(), case_id, u.id, &note).await?)
}

/// Ends a unit's support of a case; for those who may handle the case.
pub async fn remove_case_support(app: &App, caller: &Caller, case_id: i64, unit_id: UnitId) -> AppResult<()> {
    crate::cases::queries::case_for(app, caller, case_id, danvan_domain::Action::Handle).await?;
    Ok(app.store.remove_case_support(&caller.audit(), case_id, unit_id, "").await?)
}

/// Attaches files to the answer, as received, before it is sent; for those who may handle the
/// case. In this order, so that no way in decodes a photo for nothing: who asks, whether the
/// answer is still open, that there are files, every file's number, size and kind; then photos
/// are decoded and re-encoded, and the files take their place once their rows committed.
pub async fn add_answer_files(
    app: &App,
    caller: &Caller,
    case_id: i64,
    files: Vec<crate::cases::files::Incoming>,
) -> AppResult<()> {
    let c = crate::cases::queries::case_for(app, caller, case_id, danvan_domain::Action::Handle).await?;
    if !answer_files_open(app, &c).await? {
        return Err(AppError::Conflict(FieldErrors::one("files", "photo.error.answer_sent")));
    }
    if files.iter().all(|f| f.field != "files") {
        return Err(AppError::Invalid(FieldErrors::one("files", "error.required")));
    }
    let already = app
        .store
        .attachments(case_id)
        .await?
        .iter()
        .filter(|a| a.purpose == danvan_domain::cases::attachment::Purpose::Answer)
        .count();
    let (atts, staged) =
        crate::cases::files::prepare_answer_files(&app.uploads, files, already).await.map_err(AppError::Invalid)?;
    match add_attachments(app, caller, &c, &atts).await {
        Ok(()) => {
            app.uploads.promote(staged).await;
            Ok(())
        }
        Err(e) => {
            app.uploads.discard(staged).await;
            Err(e)
        }
    }
}

/// Records prepared files with the answer, if it is still open (it may have been sent while
/// the files were processed).
async fn add_attachments(app: &App, caller: &Caller, c: &CaseRow, atts: &[NewAttachment]) -> AppResult<()> {
    if !answer_files_open(app, c).await? {
        return Err(AppError::Conflict(FieldErrors::one("files", "photo.error.answer_sent")));
    }
    Ok(app.store.add_attachments(&caller.audit(), c.id, atts).await?)
}

/// Whether officers may still change the answer's files: before the answer is sent.
pub async fn answer_files_open(app: &App, c: &CaseRow) -> AppResult<bool> {
    let status = c.status;
    Ok(status.is_open() && app.store.answer(c.id).await?.is_none_or(|a| a.sent_at.is_none()))
}

/// Removes one of the answer's files, before the answer is sent; for those who may handle the
/// case. What the citizen sent is evidence and stays. Returns the case's id.
pub async fn delete_answer_file(app: &App, caller: &Caller, id: i64) -> AppResult<i64> {
    let a = app.store.attachment(id).await?.ok_or(AppError::NotFound)?;
    let c = crate::cases::queries::case_for(app, caller, a.case_id, danvan_domain::Action::Handle).await?;
    if a.purpose != danvan_domain::cases::attachment::Purpose::Answer || !answer_files_open(app, &c).await? {
        return Err(AppError::Conflict(FieldErrors::one("files", "photo.error.answer_sent")));
    }
    if let Some(gone) = app.store.delete_attachment(&caller.audit(), id).await? {
        app.uploads.remove(&[gone.storage_key, gone.thumb_key]).await;
    }
    Ok(c.id)
}

/// Marks the caller's escalation notices read.
pub async fn mark_notifications_read(app: &App, caller: &Caller) -> AppResult<()> {
    let me = caller.require_account()?;
    Ok(app.store.mark_notifications_read(me.id).await?)
}
