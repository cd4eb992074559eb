//! Duplicates and merging: similar open cases nearby, and merging one case into another so every
//! sender gets the answer.

use crate::{App, AppError, AppResult, Caller};
use chrono::{Duration as ChronoDuration, Utc};
use danvan_domain::cases::delivery::{duplicate_score, merge_allowed, DupProbe};
use danvan_domain::cases::{self as case, CaseAction, CaseFacts, CaseKind, CaseStatus};
use danvan_domain::{Action, FieldErrors};
use danvan_store::cases::CaseRow;

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
pub async fn suggest_duplicates(app: &App, caller: &Caller, c: &CaseRow) -> AppResult<Vec<(CaseRow, f64)>> {
    let Some(place_id) = c.place_unit_id else { return Ok(vec![]) };
    // Suggestions are for merging: none for or among kinds that may not be merged.
    if !merge_allowed(c.kind, CaseKind::Feedback) {
        return Ok(vec![]);
    }
    let place = app.store.get_unit(place_id).await?;
    let territory = super::territory_of(app, &place).await?;
    let since = Utc::now() - ChronoDuration::days(DUPLICATE_WINDOW_DAYS);
    let me = probe(c);
    let mut found: Vec<(CaseRow, f64)> = app
        .store
        .duplicate_candidates(&territory.path, since, c.id, 300)
        .await?
        .into_iter()
        .filter(|o| merge_allowed(c.kind, o.kind) && merge_allowed(o.kind, c.kind))
        .filter(|o| danvan_domain::cases::denunciation::merge_refusal(c.identity_protected, o.identity_protected).is_none())
        .filter(|o| super::authorize_case_internal(caller, o).is_ok())
        .filter_map(|o| duplicate_score(&me, &probe(&o)).map(|s| (o, s)))
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.truncate(5);
    Ok(found)
}

/// Merges case `b_id` into the case with code `into`: the officer must handle both. `b` leaves
/// the open work (rejected, merged); its citizen receives `a`'s answer, at once if it was sent.
pub async fn merge(app: &App, caller: &Caller, b_id: i64, into: &str, note: &str) -> AppResult<CaseRow> {
    let b = super::queries::case_for(app, caller, b_id, Action::Handle).await?;
    let note = danvan_domain::text::clean_multiline(note);
    let mut e = FieldErrors::new();
    let a = match app.store.get_case_by_code(into).await? {
        Some(a) if a.id == b.id => {
            e.add("into", "merge.error.self");
            None
        }
        Some(a)
            if a.merged_into.is_some()
                || matches!(a.status, CaseStatus::Rejected | CaseStatus::Withdrawn | CaseStatus::TransferredOut) =>
        {
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
    let (Some(a), true) = (a, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    super::authorize_case(caller, &a, Action::Handle)?;
    let (kind, status) = (b.kind, b.status);
    if !merge_allowed(kind, a.kind) {
        return Err(AppError::Invalid(FieldErrors::one("into", "merge.error.kind")));
    }
    // A case that is or was a denunciation is never merged, either way: its file and its answer
    // stay with it (the merged case's handlers would read it, its citizen get the answer).
    if let Some(key) = danvan_domain::cases::denunciation::merge_refusal(b.identity_protected, a.identity_protected) {
        return Err(AppError::Invalid(FieldErrors::one("into", key)));
    }
    let facts = CaseFacts { kind, extensions_used: b.extensions_used.max(0) as u32, days_since_answer: None };
    let next = case::transition(status, CaseAction::Merge, facts, &super::policy(&*app.store.settings().await?, kind, None))
        .map_err(|e| AppError::Conflict(FieldErrors::one("action", e.key())))?;
    // When `a` was answered already, b's citizen receives its answer, queued with the merge.
    let outgoing = match app.store.answer(a.id).await?.filter(|x| x.sent_at.is_some()) {
        Some(answer) if a.answered_at.is_some() && matches!(a.status, CaseStatus::Answered | CaseStatus::Closed) => {
            super::delivery::answer_outgoing(app, &a, &answer, std::slice::from_ref(&b)).await?
        }
        _ => Default::default(),
    };
    app.store.merge_case(&caller.audit(), &b, &a, next, &note, &outgoing).await?;
    Ok(app.store.get_case(b.id).await?)
}
