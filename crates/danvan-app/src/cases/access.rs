//! Who may see or act on a case: its lead unit's subtree, its supporting units, the public.

use crate::{App, AppResult, Caller};
use danvan_domain::case::CaseKind;
use danvan_domain::{Action, Resource};
use danvan_store::cases::{CaseRow, CaseSupport};

pub fn is_public(c: &CaseRow) -> bool {
    c.publish && CaseKind::parse(&c.kind).is_some_and(|k| k.may_be_published()) && c.merged_into.is_none()
}

/// Authorises `action` on a case for the request's actor.
pub fn authorize_case(caller: &Caller, c: &CaseRow, action: Action) -> AppResult<()> {
    let anc = c.unit_ancestry();
    caller.authorize(
        action,
        Resource::Case {
            unit_ancestry: &anc,
            denunciation: c.kind == "denunciation",
            public: is_public(c),
            assignee: c.assignee_id,
        },
    )
}

/// The officer's view of a case (history with internal notes, actors): its handling subtree
/// only, whether or not the case is public.
pub fn authorize_case_internal(caller: &Caller, c: &CaseRow) -> AppResult<()> {
    let anc = c.unit_ancestry();
    caller.authorize(
        Action::View,
        Resource::Case { unit_ancestry: &anc, denunciation: c.kind == "denunciation", public: false, assignee: c.assignee_id },
    )
}

/// The case's file for its lead unit's subtree or one of its supporting units (đơn vị phối
/// hợp): `View` to read it (history with internal notes; contacts stay with the lead unit),
/// `Contribute` to add notes.
pub async fn authorize_case_file(app: &App, caller: &Caller, c: &CaseRow, action: Action) -> AppResult<()> {
    let lead = authorize_case_lead_file(caller, c, action);
    if lead.is_ok() || caller.account.is_none() {
        return lead;
    }
    authorize_case_file_with(caller, c, &app.store.case_supports(c.id).await?, action)
}

/// `authorize_case_file` with the case's supporting units already read.
pub fn authorize_case_file_with(caller: &Caller, c: &CaseRow, supports: &[CaseSupport], action: Action) -> AppResult<()> {
    let lead = authorize_case_lead_file(caller, c, action);
    if lead.is_ok() || supports.is_empty() {
        return lead;
    }
    let ancestries: Vec<Vec<danvan_domain::UnitId>> = supports.iter().map(|s| danvan_store::units::path_ids(&s.path)).collect();
    caller.authorize(action, Resource::CaseSupport { support_ancestries: &ancestries })
}

fn authorize_case_lead_file(caller: &Caller, c: &CaseRow, action: Action) -> AppResult<()> {
    match action {
        Action::View => authorize_case_internal(caller, c),
        _ => authorize_case(caller, c, action),
    }
}
