//! The indicator catalogue's values (`danvan_domain::indicators`) for a unit's subtree and a
//! period: summed from the monthly counts when the period is whole months (`figures.rs`), counted
//! from the cases otherwise; the leader's dashboard (`dashboard.rs`). Callers of `case_figures`
//! decide who may read them (the emulation scores authorise on the movement); the dashboard
//! authorises itself.
//!
//! - `figures.rs`: the subtree's figures by month and by unit, and its breakdowns;
//! - `dashboard.rs`: the leader's dashboard: headline, previous period, year before, trend,
//!   ranking of sub-units, breakdowns, overdue cases and who holds them.

mod dashboard;
mod figures;

pub use dashboard::*;
pub use figures::*;

use crate::{App, AppResult};
use chrono::NaiveDate;
use danvan_domain::indicators::CaseFigures;

pub use danvan_domain::indicators::{
    CaseCounts, CaseSet, Definition, Dimension, Direction, Indicator, Measure, MonthRange, RangeError, YearMonth, CATALOGUE,
};

/// The case figures of the cases handled in the subtree at `unit_path` and received in
/// `[from, to]`: from the monthly counts when the dates are whole months, else from the cases.
/// Both read the same stored inputs, so they agree (`tests/it/review.rs`).
pub async fn case_figures(app: &App, unit_path: &str, from: NaiveDate, to: NaiveDate) -> AppResult<CaseFigures> {
    if let Some(range) = MonthRange::exactly(from, to) {
        return subtree_figures(app, unit_path, range).await;
    }
    let facts = app.store.case_facts(unit_path, from, to).await?;
    Ok(CaseFigures::compute(&facts))
}

/// Fills the working days to answer of the cases answered before danvan stored them (the
/// background job, at start): the update trigger moves their monthly counts.
pub async fn fill_answer_days(app: &App) -> AppResult<u64> {
    let cal = crate::calendar::work_calendar(app).await?;
    Ok(app.store.fill_answer_days(&cal).await?)
}

/// Recounts every answered case's working days on today's calendar and rebuilds the monthly
/// counts from the cases (`danvan indicators rebuild`): after a correction of the calendar, or
/// to check the triggers. Returns the cases whose working days changed.
pub async fn rebuild_counts(app: &App) -> AppResult<u64> {
    let cal = crate::calendar::work_calendar(app).await?;
    Ok(app.store.rebuild_case_counts(&cal).await?)
}

/// The inbox's address listing the cases behind an input: the unit's subtree, the received-date
/// range and the set.
pub fn inbox_link(unit_code: &str, from: NaiveDate, to: NaiveDate, set: CaseSet) -> String {
    let mut q = format!("/inbox?unit={}&from={from}&to={to}", urlencode(unit_code));
    if set != CaseSet::Received {
        q.push_str(&format!("&measure={}", set.as_str()));
    }
    q
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
