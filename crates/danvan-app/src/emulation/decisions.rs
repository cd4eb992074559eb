//! Decisions on commendation: drafted from a closed council's result (the names that passed,
//! each with its cash amount: coefficient × base salary, `cash_award`), corrected while a draft,
//! issued by the competent leader (`Approve` on the issuing unit) with the next number of the
//! unit's register for the year, and from then on immutable: a correction is a new decision that
//! amends it (`amend_decision`), linked to it. Issuing writes the awards on the records in the
//! same transaction (`Store::issue_decision`).

use super::nominations::{conflicts, nomination_row, state_conflict, work, work_paths};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::emulation::{cash_award, CouncilStatus, DecisionStatus, EmulationSettings};
use danvan_domain::{Action, FieldErrors};
use danvan_store::emulation::{DecisionHeader, NewDecision};

pub use danvan_store::emulation::{CatalogueRow, DecisionAwardRow, DecisionRow};

/// The award catalogue (kind, level, recipients, dates in force); public knowledge.
pub async fn award_catalogue(app: &App) -> AppResult<Vec<CatalogueRow>> {
    Ok(app.store.award_catalogue().await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    pub decided_on: String,
    pub place: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
}

fn header(i: &DecisionInput) -> Result<DecisionHeader, FieldErrors> {
    let mut e = FieldErrors::new();
    let decided_on = crate::input::parse_date(&i.decided_on);
    if decided_on.is_none() {
        e.add("decided_on", if i.decided_on.trim().is_empty() { "error.required" } else { "error.date" });
    }
    let mut text = |v: &str, field: &str, max: usize| {
        let t = danvan_domain::text::clean(v);
        if t.is_empty() {
            e.add(field, "error.required");
        } else if t.chars().count() > max {
            e.add(field, "error.too_long");
        }
        t
    };
    let place = text(&i.place, "place", 100);
    let subject = text(&i.subject, "subject", 500);
    let signer_name = text(&i.signer_name, "signer_name", 200);
    let signer_title = text(&i.signer_title, "signer_title", 200);
    match decided_on {
        Some(decided_on) if e.is_empty() => Ok(DecisionHeader { decided_on, place, subject, signer_name, signer_title }),
        _ => Err(e),
    }
}

async fn decision_row(app: &App, id: i64) -> AppResult<DecisionRow> {
    app.store.decision(id).await?.ok_or(AppError::NotFound)
}

/// Drafts the decision on a list whose council has closed: the names that passed.
pub async fn draft_decision(app: &App, caller: &Caller, nomination: i64, i: &DecisionInput) -> AppResult<i64> {
    caller.require_account()?;
    let n = nomination_row(app, nomination).await?;
    work(caller, &n.unit_ancestry(), Action::Handle)?;
    let closed = app.store.council_of(nomination).await?.is_some_and(|c| c.status == CouncilStatus::Closed);
    if !closed {
        return Err(state_conflict("emulation.decision.error.no_result"));
    }
    if app.store.decisions_of(nomination).await?.iter().any(|d| d.amends_id.is_none()) {
        return Err(state_conflict("emulation.decision.error.exists"));
    }
    let h = header(i)?;
    let settings = EmulationSettings::default();
    let awards: Vec<_> = app
        .store
        .nomination_items(nomination)
        .await?
        .into_iter()
        .filter(|it| it.passed == Some(true))
        .map(|it| (it.recipient_id, it.award, cash_award(it.award, &settings)))
        .collect();
    if awards.is_empty() {
        return Err(state_conflict("emulation.decision.error.none_passed"));
    }
    let d = NewDecision {
        issuer_id: n.unit_id,
        nomination_id: Some(nomination),
        amends_id: None,
        award_year: n.year as i32,
        header: h,
        awards,
    };
    Ok(app.store.create_decision(&caller.audit(), &d).await?)
}

pub struct DecisionView {
    pub decision: DecisionRow,
    pub awards: Vec<DecisionAwardRow>,
    /// The decision this one amends, and those amending it.
    pub amends: Option<DecisionRow>,
    pub amended_by: Vec<DecisionRow>,
    pub can_handle: bool,
    pub can_approve: bool,
}

pub async fn decision(app: &App, caller: &Caller, id: i64) -> AppResult<DecisionView> {
    caller.require_account()?;
    let d = decision_row(app, id).await?;
    let anc = d.issuer_ancestry();
    work(caller, &anc, Action::View)?;
    let amends = match d.amends_id {
        Some(a) => app.store.decision(a).await?,
        None => None,
    };
    let amended_by = match d.nomination_id {
        Some(n) => app.store.decisions_of(n).await?.into_iter().filter(|x| x.amends_id == Some(id)).collect(),
        None => vec![],
    };
    Ok(DecisionView {
        awards: app.store.decision_awards(id).await?,
        can_handle: work(caller, &anc, Action::Handle).is_ok(),
        can_approve: work(caller, &anc, Action::Approve).is_ok(),
        amends,
        amended_by,
        decision: d,
    })
}

pub async fn decisions(app: &App, caller: &Caller) -> AppResult<Vec<DecisionRow>> {
    caller.require_account()?;
    Ok(app.store.decisions(&work_paths(caller)).await?)
}

/// Corrects a draft; an issued decision is a conflict (issue an amending decision instead).
pub async fn update_decision(app: &App, caller: &Caller, id: i64, i: &DecisionInput) -> AppResult<()> {
    caller.require_account()?;
    let d = decision_row(app, id).await?;
    work(caller, &d.issuer_ancestry(), Action::Handle)?;
    if d.status == DecisionStatus::Issued {
        return Err(state_conflict("emulation.decision.error.issued"));
    }
    let h = header(i)?;
    app.store.update_decision_draft(&caller.audit(), id, &h).await.map_err(conflicts)
}

/// Issues a draft with its number (the issuing unit's leaders); returns the number as written.
pub async fn issue_decision(app: &App, caller: &Caller, id: i64) -> AppResult<String> {
    caller.require_account()?;
    let d = decision_row(app, id).await?;
    work(caller, &d.issuer_ancestry(), Action::Approve)?;
    if d.status == DecisionStatus::Issued {
        return Err(state_conflict("emulation.decision.error.issued"));
    }
    app.store.issue_decision(&caller.audit(), id).await.map_err(conflicts)
}

/// Drafts a decision amending an issued one: same issuer, list and awards, linked to it.
pub async fn amend_decision(app: &App, caller: &Caller, id: i64, i: &DecisionInput) -> AppResult<i64> {
    caller.require_account()?;
    let d = decision_row(app, id).await?;
    work(caller, &d.issuer_ancestry(), Action::Handle)?;
    if d.status != DecisionStatus::Issued {
        return Err(state_conflict("emulation.decision.error.not_issued"));
    }
    let h = header(i)?;
    let awards = app.store.decision_awards(id).await?.into_iter().map(|a| (a.recipient_id, a.award, a.amount)).collect();
    let new = NewDecision {
        issuer_id: d.issuer_id,
        nomination_id: d.nomination_id,
        amends_id: Some(id),
        award_year: d.award_year as i32,
        header: h,
        awards,
    };
    Ok(app.store.create_decision(&caller.audit(), &new).await?)
}
