//! Who may see or act on a case: its lead unit's subtree, its supporting units, the public.

use crate::{App, AppResult, Caller};
use danvan_domain::{Action, Resource};
use danvan_store::cases::{CaseRow, CaseSupport};

pub fn is_public(c: &CaseRow) -> bool {
    // A case that once was a denunciation is never public, whatever its kind now.
    c.publish && c.kind.may_be_published() && c.merged_into.is_none() && !c.identity_protected
}

/// Authorises `action` on a case for the request's actor.
pub fn authorize_case(caller: &Caller, c: &CaseRow, action: Action) -> AppResult<()> {
    let anc = c.unit_ancestry();
    caller.authorize(
        action,
        Resource::Case {
            unit_ancestry: &anc,
            // The stored flag, not the kind: the protection follows the case's history.
            identity_protected: c.identity_protected,
            public: is_public(c),
            assignee: c.assignee_id,
            concerned: c.concerned(),
        },
    )
}

/// The officer's view of a case (history with internal notes, actors): its handling subtree
/// only, whether or not the case is public.
pub fn authorize_case_internal(caller: &Caller, c: &CaseRow) -> AppResult<()> {
    let anc = c.unit_ancestry();
    caller.authorize(
        Action::View,
        Resource::Case {
            unit_ancestry: &anc,
            identity_protected: c.identity_protected,
            public: false,
            assignee: c.assignee_id,
            concerned: c.concerned(),
        },
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
    // A protected case has no supporting units: whom the lead unit's rule refuses (the unit a
    // denunciation concerns among them) gets no second way in.
    if lead.is_ok() || supports.is_empty() || c.identity_protected {
        return lead;
    }
    let ancestries: Vec<Vec<danvan_domain::UnitId>> =
        supports.iter().map(|s| danvan_store::org::units::path_ids(&s.path)).collect();
    caller.authorize(action, Resource::CaseSupport { support_ancestries: &ancestries })
}

/// Whether the caller may know of the case at all: read it as its lead unit's subtree, as a
/// supporting unit, or as the public reads a published case.
pub async fn may_know_of(app: &App, caller: &Caller, c: &CaseRow) -> AppResult<bool> {
    Ok(authorize_case(caller, c, Action::View).is_ok() || authorize_case_file(app, caller, c, Action::View).await.is_ok())
}

/// A refusal as the caller hears it: a signed-in caller who may not know of the case (another
/// unit's, or a denunciation that concerns them) is told it is not found, exactly as for an
/// unknown one, on the pages as in the JSON API (issue 10, finding 11); a 403 would say it exists.
/// Whoever may read the case hears why they may not act on it.
pub async fn refusal(app: &App, caller: &Caller, c: &CaseRow, e: crate::AppError) -> crate::AppError {
    if matches!(e, crate::AppError::Forbidden) && caller.account.is_some() && !may_know_of(app, caller, c).await.unwrap_or(false)
    {
        crate::AppError::NotFound
    } else {
        e
    }
}

fn authorize_case_lead_file(caller: &Caller, c: &CaseRow, action: Action) -> AppResult<()> {
    match action {
        Action::View => authorize_case_internal(caller, c),
        _ => authorize_case(caller, c, action),
    }
}

/// Whose work an inbox shows: the subtree of `within` (all units for an administrator when
/// None), either the cases it leads or, when `supported`, those it supports.
#[derive(Debug, Clone)]
pub struct InboxScope {
    pub within: Option<danvan_store::Unit>,
    pub supported: bool,
}

/// The one inbox scope of the pages, the JSON API and the exports: the unit asked for (if the
/// caller may read its work), else the caller's first unit whose work they read. Representatives
/// who only support cases (the Front, the mass organisations) always see what their units support.
pub async fn inbox_scope(app: &App, caller: &Caller, unit_code: Option<&str>, supported_asked: bool) -> AppResult<InboxScope> {
    caller.require_account()?;
    let asked = match unit_code.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(
            app.store
                .get_unit_by_code(code)
                .await?
                .ok_or_else(|| crate::AppError::Invalid(danvan_domain::FieldErrors::one("unit", "error.unit_unknown")))?,
        ),
        None => None,
    };
    let supported = supported_asked || !caller.may_somewhere(Action::ViewCases);
    let action = if supported { Action::ViewSupportedCases } else { Action::ViewCases };
    let within = match asked {
        Some(u) => Some(u),
        None if caller.is_admin() => None,
        None => match caller.work_unit(action) {
            Some(m) => Some(app.store.get_unit(m.unit_id).await?),
            None => None,
        },
    };
    match &within {
        Some(u) => caller.authorize(action, Resource::Unit { ancestry: &u.ancestry() })?,
        None => caller.authorize(Action::Update, Resource::System)?,
    }
    if supported && within.is_none() {
        return Err(crate::AppError::Invalid(danvan_domain::FieldErrors::one("unit", "error.required")));
    }
    Ok(InboxScope { within, supported })
}

/// Only officials who handle cases somewhere record cases on a citizen's behalf or assign in bulk
/// (each case is then checked on its own).
pub fn authorize_case_work(caller: &Caller) -> AppResult<()> {
    caller.require_account()?;
    if caller.may_somewhere(Action::Handle) {
        Ok(())
    } else {
        Err(crate::AppError::Forbidden)
    }
}
