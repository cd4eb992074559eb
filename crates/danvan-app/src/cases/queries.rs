//! Reads of citizens' cases for the pages and the API: one function per query. The decision who
//! may see a case is taken by `access` (`authorize_case`, `authorize_case_work`…) before these
//! are called; these return typed rows.

use crate::{App, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::UnitId;
use std::collections::HashMap;

pub use danvan_store::cases::attachments::{Attachment, NewAttachment};
pub use danvan_store::cases::delivery::OutboxMessage;
pub use danvan_store::cases::templates::Handler;
pub use danvan_store::cases::{
    Answer, CaseCounters, CaseEvent, CaseFilter, CaseRow, CaseSort, CaseStats, CaseSupport, Contact, Notification, PublicCase,
};

pub async fn get_case(app: &App, id: i64) -> AppResult<CaseRow> {
    Ok(app.store.get_case(id).await?)
}

pub async fn get_case_by_code(app: &App, code: &str) -> AppResult<Option<CaseRow>> {
    Ok(app.store.get_case_by_code(code).await?)
}

/// A case by its code for the JSON API, when the caller may see it at all (published, or its
/// file); otherwise `NotFound`, as for an unknown code: a 401 or 403 would tell which hidden
/// cases exist (the pages answer 404 alike).
pub async fn visible_case_by_code(app: &App, caller: &Caller, code: &str) -> AppResult<CaseRow> {
    let c = app.store.get_case_by_code(code).await?.ok_or(crate::AppError::NotFound)?;
    let view = danvan_domain::Action::View;
    if crate::cases::authorize_case(caller, &c, view).is_ok()
        || crate::cases::authorize_case_file(app, caller, &c, view).await.is_ok()
    {
        Ok(c)
    } else {
        Err(crate::AppError::NotFound)
    }
}

/// The case a citizen tracks with its code and secret; `None` when they do not match.
pub async fn case_by_secret(app: &App, code: &str, secret: &str) -> AppResult<Option<CaseRow>> {
    Ok(app.store.case_by_secret(code, secret).await?)
}

pub async fn case_contact(app: &App, id: i64) -> AppResult<Contact> {
    Ok(app.store.case_contact(id).await?)
}

/// The answers sent of the cases `ids`: case id → (body, register number).
pub async fn sent_answers(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, (String, Option<String>)>> {
    Ok(app.store.sent_answers(ids).await?)
}

pub async fn case_contacts(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, Contact>> {
    Ok(app.store.case_contacts(ids).await?)
}

pub async fn case_events(app: &App, id: i64, public_only: bool) -> AppResult<Vec<CaseEvent>> {
    Ok(app.store.case_events(id, public_only).await?)
}

pub async fn case_messages(app: &App, case_id: i64) -> AppResult<Vec<OutboxMessage>> {
    Ok(app.store.case_messages(case_id).await?)
}

pub async fn case_stats(app: &App, within: UnitId) -> AppResult<CaseStats> {
    Ok(app.store.case_stats(within).await?)
}

/// The inbox's counters as `caller` may see them: never counting a denunciation that concerns
/// them, which a count going up would reveal as surely as a line in the list.
pub async fn case_counters(
    app: &App,
    caller: &Caller,
    within: Option<UnitId>,
    soon: NaiveDate,
    today: NaiveDate,
) -> AppResult<CaseCounters> {
    let excluded = concerning(app, caller).await?;
    Ok(app.store.case_counters(within, &excluded, soon, today).await?)
}

/// The cases that concern the caller (`Store::cases_concerning`): the person a denunciation
/// names, or anyone working in the unit concerned or below it. None for a system caller.
pub async fn concerning(app: &App, caller: &Caller) -> AppResult<Vec<i64>> {
    match &caller.account {
        Some(account) => {
            let units: Vec<UnitId> =
                caller.memberships.iter().flat_map(|m| danvan_store::org::units::path_ids(&m.unit_path)).collect();
            Ok(app.store.cases_concerning(account.id, &units).await?)
        }
        None => Ok(vec![]),
    }
}

pub async fn case_supports(app: &App, case_id: i64) -> AppResult<Vec<CaseSupport>> {
    Ok(app.store.case_supports(case_id).await?)
}

/// A list of cases as `caller` may see it: never a denunciation that concerns them (Luật Tố cáo
/// 2018, Điều 8 khoản 3), whatever unit's list they read.
pub async fn list_cases(app: &App, caller: &Caller, filter: &CaseFilter) -> AppResult<(Vec<CaseRow>, i64)> {
    let mut filter = filter.clone();
    filter.excluded_ids.extend(concerning(app, caller).await?);
    Ok(app.store.list_cases(&filter).await?)
}

pub async fn list_public_cases(app: &App, filter: &CaseFilter) -> AppResult<Vec<PublicCase>> {
    Ok(app.store.list_public_cases(filter).await?)
}

/// The cases merged into this one (duplicates).
pub async fn merged_cases(app: &App, case_id: i64) -> AppResult<Vec<CaseRow>> {
    Ok(app.store.merged_cases(case_id).await?)
}

pub async fn answer(app: &App, case_id: i64) -> AppResult<Option<Answer>> {
    Ok(app.store.answer(case_id).await?)
}

/// The answer once it was sent to the citizen.
pub async fn sent_answer(app: &App, case_id: i64) -> AppResult<Option<Answer>> {
    Ok(app.store.answer(case_id).await?.filter(|a| a.sent_at.is_some()))
}

pub async fn attachment(app: &App, id: i64) -> AppResult<Option<Attachment>> {
    Ok(app.store.attachment(id).await?)
}

pub async fn attachments(app: &App, case_id: i64) -> AppResult<Vec<Attachment>> {
    Ok(app.store.attachments(case_id).await?)
}

/// The escalation notices the caller has not read yet, without those of cases concerning them.
pub async fn unread_notifications(app: &App, caller: &Caller, limit: i64) -> AppResult<Vec<Notification>> {
    let me = caller.require_account()?;
    // Never one about a denunciation that concerns them (given before they were concerned, or
    // before the escalation job left them out).
    let excluded = concerning(app, caller).await?;
    let mut out = app.store.unread_notifications(me.id, limit + excluded.len() as i64).await?;
    out.retain(|n| !excluded.contains(&n.case_id));
    out.truncate(limit.max(0) as usize);
    Ok(out)
}

/// The people who may handle a case at this unit (path) or above it (ancestry).
pub async fn handlers_for(app: &App, path: &str, ancestry: &[UnitId]) -> AppResult<Vec<Handler>> {
    Ok(app.store.handlers_for(path, ancestry).await?)
}

/// A case, once the caller may do `action` on it (`access::authorize_case`: its lead unit's rules).
pub async fn case_for(app: &App, caller: &Caller, id: i64, action: danvan_domain::Action) -> AppResult<CaseRow> {
    let c = app.store.get_case(id).await?;
    match crate::cases::authorize_case(caller, &c, action) {
        Ok(()) => Ok(c),
        Err(e) => Err(crate::cases::access::refusal(app, caller, &c, e).await),
    }
}

/// A case, once the caller may do `action` on its file, as its lead or a supporting unit
/// (`access::authorize_case_file`).
pub async fn case_file_for(app: &App, caller: &Caller, id: i64, action: danvan_domain::Action) -> AppResult<CaseRow> {
    let c = app.store.get_case(id).await?;
    match crate::cases::authorize_case_file(app, caller, &c, action).await {
        Ok(()) => Ok(c),
        Err(e) => Err(crate::cases::access::refusal(app, caller, &c, e).await),
    }
}

/// A case for its lead unit's internal work (the printed answer), for a signed-in official allowed
/// it (`access::authorize_case_internal`).
pub async fn internal_case(app: &App, caller: &Caller, id: i64) -> AppResult<CaseRow> {
    caller.require_account()?;
    let c = app.store.get_case(id).await?;
    match crate::cases::authorize_case_internal(caller, &c) {
        Ok(()) => Ok(c),
        Err(e) => Err(crate::cases::access::refusal(app, caller, &c, e).await),
    }
}

/// A published case by its code; `None` for an unknown code and for a case that is not public
/// (never a denunciation), so the answer says nothing about unpublished codes.
pub async fn public_case(app: &App, code: &str) -> AppResult<Option<CaseRow>> {
    Ok(app.store.get_case_by_code(code).await?.filter(crate::cases::is_public))
}
