//! Drafting a review report: create, read, save a new version (never overwriting another
//! editor's), list. Reading needs `View` on the report's unit, writing `Handle`
//! (`Resource::ReviewReport`).

use crate::caller::Caller;
use crate::{App, AppError, AppResult};
use danvan_domain::authz::{Action, Resource};
use danvan_domain::review::{validate, Issuer, ReportContent, ReportForm};
use danvan_domain::{FieldErrors, UnitKind};
use danvan_store::review::{ReportRow, RunRow, VersionRow};
use danvan_store::Unit;

/// A report as its page shows it: the latest version's content, its versions (without their
/// contents), the caller's own runs, and what the caller may do.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: ReportRow,
    pub content: ReportContent,
    pub versions: Vec<VersionRow>,
    pub runs: Vec<RunRow>,
    pub can_handle: bool,
}

pub(crate) fn allow(caller: &Caller, r: &ReportRow, action: Action) -> AppResult<()> {
    caller.authorize(action, Resource::ReviewReport { unit_ancestry: &r.unit_ancestry() })
}

pub(crate) async fn report_row(app: &App, caller: &Caller, id: i64, action: Action) -> AppResult<ReportRow> {
    caller.require_account()?;
    let r = app.store.review_report(id).await?.ok_or(AppError::NotFound)?;
    // Whoever may not read it learns nothing of it, not even that it exists.
    if allow(caller, &r, Action::View).is_err() {
        return Err(AppError::NotFound);
    }
    allow(caller, &r, action)?;
    Ok(r)
}

/// The unit a new report is for: by code, else the caller's broadest unit where they draft.
async fn report_unit(app: &App, caller: &Caller, unit_code: &str) -> AppResult<Unit> {
    let unit = match unit_code.trim() {
        "" => {
            let m = caller
                .memberships
                .iter()
                .filter(|m| {
                    caller.authorize(Action::Handle, Resource::ReviewReport { unit_ancestry: &m.unit_ancestry() }).is_ok()
                })
                .min_by_key(|m| m.unit_ancestry().len())
                .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit", "error.required")))?;
            app.store.get_unit(m.unit_id).await?
        }
        code => app
            .store
            .get_unit_by_code(code)
            .await?
            .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit", "error.unit_unknown")))?,
    };
    caller.authorize(Action::Handle, Resource::ReviewReport { unit_ancestry: &unit.ancestry() })?;
    Ok(unit)
}

/// A report issued in the name of the territory's party committee (Party format) is the party
/// committee's to issue: those who oversee the unit (`Approve`), unless the unit is itself a party
/// committee.
fn may_issue_as(caller: &Caller, content: &ReportContent, ancestry: &[danvan_domain::UnitId], kind: UnitKind) -> AppResult<()> {
    let party = content.issuer == Issuer::Party && kind != UnitKind::PartyCommittee;
    if party && caller.authorize(Action::Approve, Resource::ReviewReport { unit_ancestry: ancestry }).is_err() {
        return Err(AppError::Invalid(FieldErrors::one("issuer", "review.error.party_issuer")));
    }
    Ok(())
}

/// Starts a draft for `unit_code`'s subtree (the caller's unit when empty): version 1.
pub async fn create_report(app: &App, caller: &Caller, unit_code: &str, form: &ReportForm) -> AppResult<i64> {
    caller.require_account()?;
    let unit = report_unit(app, caller, unit_code).await?;
    let content = validate(form).map_err(AppError::Invalid)?;
    may_issue_as(caller, &content, &unit.ancestry(), unit.kind)?;
    Ok(app.store.create_review_report(&caller.audit(), unit.id, &content).await?)
}

/// Saves the form as the version after `base`; refused (409) when someone saved since.
pub async fn save_report(app: &App, caller: &Caller, id: i64, base: i64, form: &ReportForm) -> AppResult<i64> {
    let r = report_row(app, caller, id, Action::Handle).await?;
    let content = validate(form).map_err(AppError::Invalid)?;
    let kind = app.store.get_unit(r.unit_id).await?.kind;
    may_issue_as(caller, &content, &r.unit_ancestry(), kind)?;
    if base != r.version {
        return Err(AppError::Conflict(FieldErrors::one("version", "review.error.edited_meanwhile")));
    }
    match app.store.save_review_report(&caller.audit(), id, base, &content).await {
        Err(danvan_store::StoreError::Invalid(f)) => Err(AppError::Conflict(f)),
        other => Ok(other?),
    }
}

pub async fn report(app: &App, caller: &Caller, id: i64) -> AppResult<ReportView> {
    let r = report_row(app, caller, id, Action::View).await?;
    let versions = app.store.review_report_versions(id).await?;
    let content = app.store.review_report_version(id, r.version).await?.ok_or(AppError::NotFound)?.content()?;
    let account = caller.require_account()?.id;
    let runs = app.store.review_runs(id, account).await?;
    let can_handle = allow(caller, &r, Action::Handle).is_ok();
    Ok(ReportView { report: r, content, versions, runs, can_handle })
}

/// One saved version and its content.
pub async fn report_version(
    app: &App,
    caller: &Caller,
    id: i64,
    version: i64,
) -> AppResult<(ReportRow, VersionRow, ReportContent)> {
    let r = report_row(app, caller, id, Action::View).await?;
    let v = app.store.review_report_version(id, version).await?.ok_or(AppError::NotFound)?;
    let content = v.content()?;
    Ok((r, v, content))
}

/// The reports of every unit the caller may read reports of.
pub async fn reports(app: &App, caller: &Caller) -> AppResult<Vec<ReportRow>> {
    caller.require_account()?;
    let paths: Vec<String> = caller
        .memberships
        .iter()
        .filter(|m| caller.authorize(Action::View, Resource::ReviewReport { unit_ancestry: &m.unit_ancestry() }).is_ok())
        .map(|m| m.unit_path.clone())
        .collect();
    let paths = if caller.is_admin() { vec!["/".to_string()] } else { paths };
    if paths.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(app.store.review_reports(&paths).await?)
}
