//! The indicator catalogue's values (`danvan_domain::indicators`) for a unit's subtree and a
//! period, computed from the store's case facts on the working calendar. Callers decide who may
//! read them (the emulation scores authorise on the movement).

use crate::{App, AppResult};
use chrono::NaiveDate;
use danvan_domain::indicators::CaseFigures;

pub use danvan_domain::indicators::{CaseSet, Definition, Direction, Indicator, Measure, CATALOGUE};

/// The case figures of the cases handled in the subtree at `unit_path` and received in
/// `[from, to]`.
pub async fn case_figures(app: &App, unit_path: &str, from: NaiveDate, to: NaiveDate) -> AppResult<CaseFigures> {
    let facts = app.store.case_facts(unit_path, from, to).await?;
    let cal = crate::calendar::work_calendar(app).await?;
    Ok(CaseFigures::compute(&facts, &cal))
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
