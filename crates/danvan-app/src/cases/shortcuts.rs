//! The common paths in one submission (issue 9): an officer accepts a case and handles it
//! themselves (thụ lý, giao cho mình, bắt đầu xử lý) in ONE transaction; a leader signs the answer
//! and sends it. Each step goes through the same state machine and authorisation as `act`.

use super::access::authorize_case;
use super::handling::{act, due, transitions, ActRequest};
use super::routing::today;
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::cases::{denunciation, CaseAction};
use danvan_domain::{Action, FieldErrors};
use danvan_store::cases::{CaseChange, CaseRow, CaseStep};

/// Whether the caller may take this case with `accept_and_handle`: handle it, assign it (a
/// protected case's assignment is a leader's), and hold it themselves.
pub fn may_take(caller: &Caller, c: &CaseRow) -> bool {
    let Some(me) = caller.account.as_ref() else { return false };
    if authorize_case(caller, c, Action::Handle).is_err()
        || authorize_case(caller, c, denunciation::assign_needs(c.identity_protected)).is_err()
    {
        return false;
    }
    // As for any assignee: a protected case only to whoever would then read its sender.
    !c.identity_protected
        || authorize_case(caller, &CaseRow { assignee_id: Some(me.id), ..c.clone() }, Action::ViewContacts).is_ok()
}

/// "Thụ lý và tự xử lý": accept the case, assign it to the caller and start handling it, in one
/// commit with its three history entries. Refused as a whole (409) if any step is not allowed now.
pub async fn accept_and_handle(app: &App, caller: &Caller, id: i64, complex: bool) -> AppResult<CaseRow> {
    let me = caller.require_account()?.clone();
    let c = app.store.get_case(id).await?;
    authorize_case(caller, &c, Action::Handle)?;
    if !may_take(caller, &c) {
        return Err(AppError::Forbidden);
    }
    let rules = transitions(app, &c).await?;
    let refused = |e: danvan_domain::cases::TransitionError| AppError::Conflict(FieldErrors::one("action", e.key()));
    let accepted = rules.next(CaseAction::Accept).map_err(refused)?;
    let assigned = rules.next_from(accepted, CaseAction::Assign).map_err(refused)?;
    let started = rules.next_from(assigned, CaseAction::Start).map_err(refused)?;
    let cal = app.store.work_calendar().await?;
    // As `act` does on accepting: whether it is complex is decided now, and sets the period.
    let complex = complex || c.complex;
    let (_, resolve) = due(app, &c, c.kind, Some(today()), complex, c.extensions_used, &cal).await?;
    let step = |action: CaseAction, from, to, note: &str, public| CaseStep {
        action: action.name().into(),
        from_status: from,
        to_status: to,
        note: note.into(),
        public,
    };
    let ch = CaseChange {
        public: true,
        seen: Some(c.seen()),
        accepted_on: Some(Some(today())),
        resolve_due: Some(resolve),
        complex: Some(complex),
        assignee_id: Some(Some(me.id)),
        steps: vec![
            step(CaseAction::Accept, c.status, accepted, "", true),
            // Assignments are internal, as `act` records them.
            step(CaseAction::Assign, accepted, assigned, &me.full_name, false),
        ],
        ..CaseChange::new(CaseAction::Start.name(), c.status, started)
    };
    Ok(app.store.apply_case_change(&caller.audit(), c.id, &ch).await?)
}

/// "Ký và gửi": the leader signs the answer and it goes to the citizen at once. Two steps of the
/// state machine, each its own commit: if sending is refused, the signature stands and the page
/// offers sending alone.
pub async fn approve_and_send(app: &App, caller: &Caller, id: i64) -> AppResult<CaseRow> {
    let approve = ActRequest { action: "approve_answer".into(), ..Default::default() };
    act(app, caller, id, &approve).await?;
    let send = ActRequest { action: "send_answer".into(), ..Default::default() };
    act(app, caller, id, &send).await
}
