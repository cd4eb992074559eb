//! The case figures of a subtree over whole months, summed from the store's monthly counts: in
//! total, by month, by unit, and by kind, category or channel. The store sums them in SQL
//! (`CountsBy`) where only totals are needed, so a ten-year range returns tens of rows, not
//! months × units.

use crate::{App, AppResult};
use danvan_domain::indicators::{CaseCounts, CaseFigures, Dimension, MonthRange, YearMonth};
pub use danvan_store::indicators::CountsBy;
use std::collections::BTreeMap;

/// Whose cases figures count: all of them (officials), or those public figures show (not the
/// cases whose sender's identity is protected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Officials,
    Public,
}

impl Audience {
    fn dim(self) -> Dimension {
        match self {
            Audience::Officials => Dimension::All,
            Audience::Public => Dimension::Public,
        }
    }
}

/// The subtree's figures for each (month, handling unit's path) that has cases.
pub async fn figures_by_month_and_unit(
    app: &App,
    path: &str,
    range: MonthRange,
    audience: Audience,
) -> AppResult<BTreeMap<(YearMonth, String), CaseFigures>> {
    let (from, to) = (range.from.key(), range.to.key());
    let mut out: BTreeMap<(YearMonth, String), CaseFigures> = BTreeMap::new();
    for r in app.store.case_month_counts(path, audience.dim(), from, to).await? {
        let Some(m) = YearMonth::from_key(r.month) else { continue };
        out.entry((m, r.unit_path)).or_default().counts.add(&r.counts);
    }
    for (unit_path, d) in app.store.case_month_answer_days(path, audience.dim(), from, to).await? {
        let Some(m) = YearMonth::from_key(d.month) else { continue };
        *out.entry((m, unit_path)).or_default().answer_days.entry(d.days).or_default() += d.answered;
    }
    Ok(out)
}

/// The subtree's figures over the range, summed in the store and grouped as `by` says: keyed by
/// (yyyymm, the year or 0; the handling unit's path or ''), as `CountsBy` describes the rows.
pub async fn summed_figures(
    app: &App,
    path: &str,
    range: MonthRange,
    audience: Audience,
    by: CountsBy,
) -> AppResult<BTreeMap<(i32, String), CaseFigures>> {
    let (from, to) = (range.from.key(), range.to.key());
    let (counts, days) = tokio::try_join!(
        app.store.case_counts_summed(path, audience.dim(), from, to, by),
        app.store.case_answer_days_summed(path, audience.dim(), from, to, by),
    )?;
    let mut out: BTreeMap<(i32, String), CaseFigures> = BTreeMap::new();
    for r in counts {
        out.entry((r.month, r.unit_path)).or_default().counts.add(&r.counts);
    }
    for (unit_path, d) in days {
        *out.entry((d.month, unit_path)).or_default().answer_days.entry(d.days).or_default() += d.answered;
    }
    Ok(out)
}

/// The subtree's figures over the whole range, as officials see them.
pub async fn subtree_figures(app: &App, path: &str, range: MonthRange) -> AppResult<CaseFigures> {
    let mut total = CaseFigures::default();
    for f in summed_figures(app, path, range, Audience::Officials, CountsBy::Total).await?.values() {
        total.add(f);
    }
    Ok(total)
}

/// The public figures of a unit's subtree by month (every month of the range, empty ones
/// included) and in total: the cases whose sender's identity is protected left out. Public.
pub async fn public_figures(app: &App, path: &str, range: MonthRange) -> AppResult<(Vec<(YearMonth, CaseFigures)>, CaseFigures)> {
    let mut months: BTreeMap<YearMonth, CaseFigures> = range.iter().map(|m| (m, CaseFigures::default())).collect();
    let mut total = CaseFigures::default();
    for ((m, _), f) in summed_figures(app, path, range, Audience::Public, CountsBy::Month).await? {
        let Some(m) = YearMonth::from_key(m) else { continue };
        total.add(&f);
        months.entry(m).or_default().add(&f);
    }
    Ok((months.into_iter().collect(), total))
}

/// The subtree's counts over the range by each value of a dimension (a kind, a category's id or
/// '' for none, a channel), largest first.
pub async fn counts_by(app: &App, path: &str, range: MonthRange, dim: Dimension) -> AppResult<Vec<(String, CaseCounts)>> {
    let mut by: BTreeMap<String, CaseCounts> = BTreeMap::new();
    for r in app.store.case_counts_summed(path, dim, range.from.key(), range.to.key(), CountsBy::Value).await? {
        by.entry(r.value).or_default().add(&r.counts);
    }
    let mut out: Vec<_> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.received.cmp(&a.1.received).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
