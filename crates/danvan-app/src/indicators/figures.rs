//! The case figures of a subtree over whole months, summed from the store's monthly counts: in
//! total, by month, by unit, and by kind, category or channel.

use crate::{App, AppResult};
use danvan_domain::indicators::{CaseCounts, CaseFigures, Dimension, MonthRange, YearMonth};
use std::collections::BTreeMap;

/// The subtree's figures for each (month, handling unit's path) that has cases.
pub async fn figures_by_month_and_unit(
    app: &App,
    path: &str,
    range: MonthRange,
) -> AppResult<BTreeMap<(YearMonth, String), CaseFigures>> {
    let (from, to) = (range.from.key(), range.to.key());
    let mut out: BTreeMap<(YearMonth, String), CaseFigures> = BTreeMap::new();
    for r in app.store.case_month_counts(path, Dimension::All, from, to).await? {
        let Some(m) = YearMonth::from_key(r.month) else { continue };
        out.entry((m, r.unit_path)).or_default().counts.add(&r.counts);
    }
    for (unit_path, d) in app.store.case_month_answer_days(path, from, to).await? {
        let Some(m) = YearMonth::from_key(d.month) else { continue };
        *out.entry((m, unit_path)).or_default().answer_days.entry(d.days).or_default() += d.answered;
    }
    Ok(out)
}

/// The subtree's figures over the whole range.
pub async fn subtree_figures(app: &App, path: &str, range: MonthRange) -> AppResult<CaseFigures> {
    let mut total = CaseFigures::default();
    for f in figures_by_month_and_unit(app, path, range).await?.values() {
        total.add(f);
    }
    Ok(total)
}

/// The subtree's counts over the range by each value of a dimension (a kind, a category's id or
/// '' for none, a channel), largest first.
pub async fn counts_by(app: &App, path: &str, range: MonthRange, dim: Dimension) -> AppResult<Vec<(String, CaseCounts)>> {
    let mut by: BTreeMap<String, CaseCounts> = BTreeMap::new();
    for r in app.store.case_month_counts(path, dim, range.from.key(), range.to.key()).await? {
        by.entry(r.value).or_default().add(&r.counts);
    }
    let mut out: Vec<_> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.received.cmp(&a.1.received).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
