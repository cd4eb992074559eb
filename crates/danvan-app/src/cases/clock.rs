//! A case's due dates as of today. The stored dates hold while a case's clock runs; while it is
//! paused (waiting for the citizen) its resolution date moves with every day it waits, as the
//! domain's `due_dates_as_of` counts it. Every page, list, API and job that shows or weighs a due
//! date reads it from here.

use super::routing::{clock_of, policy, today};
use crate::{App, AppResult};
use chrono::NaiveDate;
use danvan_domain::cases::{self as case, CaseStatus};
use danvan_store::cases::CaseRow;
use std::collections::HashMap;

/// (accept by, resolve by) of a case as of today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Due {
    pub accept_by: Option<NaiveDate>,
    pub resolve_by: Option<NaiveDate>,
}

impl Due {
    /// The one date the case is held to now: resolution once its clock has started.
    pub fn date(&self) -> Option<NaiveDate> {
        self.resolve_by.or(self.accept_by)
    }
}

fn stored(c: &CaseRow) -> Due {
    Due { accept_by: c.accept_due, resolve_by: c.resolve_due }
}

/// The due dates of one case as of today.
pub async fn due_as_of(app: &App, c: &CaseRow) -> AppResult<Due> {
    Ok(dues_as_of(app, std::slice::from_ref(c)).await?.remove(&c.id).unwrap_or_else(|| stored(c)))
}

/// The due dates of many cases as of today, by case id. Only paused cases need computing (their
/// pauses, unit and category are read for them alone); the others keep their stored dates.
pub async fn dues_as_of(app: &App, rows: &[CaseRow]) -> AppResult<HashMap<i64, Due>> {
    let mut out: HashMap<i64, Due> = rows.iter().map(|c| (c.id, stored(c))).collect();
    let paused: Vec<&CaseRow> = rows.iter().filter(|c| c.status == CaseStatus::Paused).collect();
    if paused.is_empty() {
        return Ok(out);
    }
    let settings = app.store.settings().await?;
    let cal = app.store.work_calendar().await?;
    let categories: HashMap<i64, _> = app.store.categories(true).await?.into_iter().map(|c| (c.id, c)).collect();
    let unit_ids: Vec<i64> = paused.iter().map(|c| c.unit_id).collect();
    let remote: HashMap<i64, bool> = app.store.get_units(&unit_ids).await?.into_iter().map(|u| (u.id, u.remote_area)).collect();
    let day = today();
    for c in paused {
        let p = policy(&settings, c.kind, c.category_id.and_then(|id| categories.get(&id)));
        let pauses = app.store.case_pauses(c.id).await?;
        let clock = clock_of(c, remote.get(&c.unit_id).copied().unwrap_or(false), &[]);
        let (_, resolve) = case::due_dates_as_of(&p, &clock, &pauses, day, &cal);
        out.insert(c.id, Due { accept_by: c.accept_due, resolve_by: resolve.or(c.resolve_due) });
    }
    Ok(out)
}

/// The due dates of a case by id, as of today (for lists that read fewer columns, e.g. Open311).
pub async fn due_of_case(app: &App, id: i64) -> AppResult<Due> {
    let c = app.store.get_case(id).await?;
    due_as_of(app, &c).await
}
