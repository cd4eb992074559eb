//! A unit's calibration for printing its certificates on pre-printed blanks (issue 11 item 8):
//! those who keep the unit's emulation work (its emulation officers and leaders) read and set
//! it; every overlay batch of a decision the unit issues is printed with it.

use super::decisions::DecisionView;
use super::nominations::work;
use crate::{App, AppResult, Caller};
use danvan_domain::authz::Action;
use danvan_domain::emulation::{parse_calibration, Calibration};
use danvan_domain::UnitId;
use danvan_store::Unit;

/// The unit and its calibration (all zero until set).
pub async fn calibration(app: &App, caller: &Caller, unit_id: UnitId) -> AppResult<(Unit, Calibration)> {
    caller.require_account()?;
    let unit = app.store.get_unit(unit_id).await?;
    work(caller, &unit.ancestry(), Action::Handle)?;
    let cal = app.store.certificate_calibration(unit.id).await?;
    Ok((unit, cal))
}

/// Sets the unit's calibration from the form's `{part}_dx`, `{part}_dy` fields (millimetres).
pub async fn set_calibration(app: &App, caller: &Caller, unit_id: UnitId, get: impl Fn(&str) -> String) -> AppResult<()> {
    caller.require_account()?;
    let unit = app.store.get_unit(unit_id).await?;
    work(caller, &unit.ancestry(), Action::Handle)?;
    let cal = parse_calibration(get)?;
    Ok(app.store.set_certificate_calibration(&caller.audit(), &unit, &cal).await?)
}

/// The calibration a decision's overlay batch is printed with: its issuer's, for whoever read
/// the decision (a `DecisionView` comes only from `decisions::decision`, which authorised).
pub async fn issuer_calibration(app: &App, view: &DecisionView) -> AppResult<Calibration> {
    Ok(app.store.certificate_calibration(view.decision.issuer_id).await?)
}
