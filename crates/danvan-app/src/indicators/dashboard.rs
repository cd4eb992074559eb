//! The leader's dashboard: a unit's subtree at a glance for whole months — the headline figures
//! beside the previous period's and the same months a year before, the monthly trend, the
//! sub-units ranked by on-time share and satisfaction, the cases by kind, channel, category and
//! kind of unit, and what is overdue now and who holds it. Read from the monthly counts and the
//! open cases only: its cost does not grow with the subtree's history.

use super::figures::{counts_by, summed_figures, Audience, CountsBy};
use crate::caller::Caller;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use danvan_domain::authz::{Action, Resource};
use danvan_domain::indicators::{CaseCounts, CaseFigures, Dimension, Indicator, MonthRange, YearMonth};
use danvan_domain::{FieldErrors, UnitKind};
use danvan_store::indicators::OverdueHolder;
use danvan_store::Unit;
use std::collections::BTreeMap;

/// A sub-unit's line in the ranking: the unit (the subtree's root itself for the cases it handles
/// directly) and the figures of its own subtree.
#[derive(Debug, Clone)]
pub struct SubUnitLine {
    pub unit: Unit,
    /// The root's own line, not a sub-unit's.
    pub own: bool,
    pub figures: CaseFigures,
    /// Its counts by calendar year of receipt (the review report's table by sub-unit and year).
    pub by_year: BTreeMap<i32, CaseCounts>,
}

/// A category's line: its id ('' for cases without a category) and name in both languages.
#[derive(Debug, Clone)]
pub struct CategoryLine {
    pub id: String,
    pub name: Option<(String, String)>,
    pub counts: CaseCounts,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub unit: Unit,
    pub range: MonthRange,
    pub today: NaiveDate,
    /// The range's figures; `overdue_now` is set when the range includes today.
    pub total: CaseFigures,
    pub previous: CaseFigures,
    pub year_before: CaseFigures,
    pub months: Vec<(YearMonth, CaseFigures)>,
    pub sub_units: Vec<SubUnitLine>,
    pub by_kind: Vec<(String, CaseCounts)>,
    pub by_channel: Vec<(String, CaseCounts)>,
    pub by_category: Vec<CategoryLine>,
    pub by_unit_kind: Vec<(UnitKind, CaseFigures)>,
    pub overdue: Vec<OverdueHolder>,
}

/// The unit whose figures the caller asks for (by code; their broadest unit where they read
/// cases when none), once they may read its cases.
pub async fn figures_unit(app: &App, caller: &Caller, unit_code: &str) -> AppResult<Unit> {
    caller.require_account()?;
    let unit = match unit_code.trim() {
        "" => match caller.work_unit(Action::ViewCases) {
            Some(m) => app.store.get_unit(m.unit_id).await?,
            None => app
                .store
                .root_units()
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit", "error.required")))?,
        },
        code => app
            .store
            .get_unit_by_code(code)
            .await?
            .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit", "error.unit_unknown")))?,
    };
    caller.authorize(Action::ViewCases, Resource::Unit { ancestry: &unit.ancestry() })?;
    Ok(unit)
}

/// The range two form fields name, this year to date by default, as a field error when absurd.
pub fn month_range(from: &str, to: &str, today: NaiveDate) -> AppResult<MonthRange> {
    MonthRange::parse(from, to, MonthRange::year_to_date(today)).map_err(|errors| {
        let mut out = FieldErrors::default();
        for (field, e) in errors {
            out.add(
                field,
                match e {
                    danvan_domain::indicators::RangeError::NotAMonth => "indicators.error.month",
                    danvan_domain::indicators::RangeError::Reversed => "indicators.error.reversed",
                    danvan_domain::indicators::RangeError::TooLong => "indicators.error.too_long",
                },
            );
        }
        AppError::Invalid(out)
    })
}

/// The dashboard of `unit_code`'s subtree (the caller's unit when empty) over `range`.
pub async fn dashboard(app: &App, caller: &Caller, unit_code: &str, range: MonthRange) -> AppResult<Dashboard> {
    let unit = figures_unit(app, caller, unit_code).await?;
    // A denunciation that concerns the reader is never counted for them, as in the inbox's
    // counters (Luật Tố cáo 2018 Điều 47): taken away from every figure below.
    let excluded = crate::cases::queries::concerning(app, caller).await?;
    dashboard_of(app, unit, range, &excluded).await
}

/// The dashboard of `unit`'s subtree over `range` without the cases `excluded` (those that concern
/// whoever reads it), for a caller already authorised: the page's, and a review report's figures.
pub async fn dashboard_of(app: &App, unit: Unit, range: MonthRange, excluded: &[i64]) -> AppResult<Dashboard> {
    let today = crate::cases::today();
    let path = unit.path.clone();
    let (from, to) = (range.from.key(), range.to.key());
    // Every read at once (they are independent; the read pool has several connections): the
    // hidden cases, the range summed in SQL three ways — by month (the trend and the total), by
    // handling unit (the sub-units and the kinds of unit), the counts by year and unit (the
    // sub-units' years) —, the previous range and the year before in total, the overdue
    // holders, the children, the breakdowns and the categories' names.
    let store = |e: danvan_store::StoreError| AppError::from(e);
    let overdue = async {
        if range.contains(today) {
            app.store.overdue_holders(&path, today, excluded).await.map_err(store)
        } else {
            Ok(vec![])
        }
    };
    let (
        hidden,
        mut by_month,
        mut by_unit,
        year_unit,
        mut previous,
        mut year_before,
        overdue,
        children,
        by_kind,
        by_channel,
        by_category,
        categories,
    ) = tokio::try_join!(
        async { app.store.counted_cases(&path, excluded).await.map_err(store) },
        summed_figures(app, &path, range, Audience::Officials, CountsBy::Month),
        summed_figures(app, &path, range, Audience::Officials, CountsBy::Unit),
        async { app.store.case_counts_summed(&path, Dimension::All, from, to, CountsBy::YearAndUnit).await.map_err(store) },
        super::subtree_figures(app, &path, range.previous()),
        super::subtree_figures(app, &path, range.year_before()),
        overdue,
        async { app.store.child_units(unit.id, true).await.map_err(store) },
        counts_by(app, &path, range, Dimension::Kind),
        counts_by(app, &path, range, Dimension::Channel),
        counts_by(app, &path, range, Dimension::Category),
        async { app.store.categories(true).await.map_err(store) },
    )?;
    let in_range = |r: MonthRange| hidden.iter().filter(move |h| r.contains(h.fact.received_on));
    let mut by_year_unit: BTreeMap<(i32, String), CaseCounts> = BTreeMap::new();
    for r in year_unit {
        by_year_unit.entry((r.month, r.unit_path)).or_default().add(&r.counts);
    }
    // The hidden cases taken away from each.
    for h in in_range(range) {
        let fact = CaseFigures::compute(&[h.fact]);
        if let Some(f) = by_month.get_mut(&(YearMonth::of(h.fact.received_on).key(), String::new())) {
            f.sub(&fact);
        }
        if let Some(f) = by_unit.get_mut(&(0, h.unit_path.clone())) {
            f.sub(&fact);
        }
        if let Some(c) = by_year_unit.get_mut(&(YearMonth::of(h.fact.received_on).year, h.unit_path.clone())) {
            c.sub(&fact.counts);
        }
    }
    for h in in_range(range.previous()) {
        previous.sub(&CaseFigures::compute(&[h.fact]));
    }
    for h in in_range(range.year_before()) {
        year_before.sub(&CaseFigures::compute(&[h.fact]));
    }
    let breakdown = |dim: Dimension, mut lines: Vec<(String, CaseCounts)>| {
        for h in in_range(range) {
            let value = match dim {
                Dimension::Kind => &h.kind,
                Dimension::Category => &h.category,
                _ => &h.channel,
            };
            if let Some((_, c)) = lines.iter_mut().find(|(v, _)| v == value) {
                c.sub(&CaseFigures::compute(&[h.fact]).counts);
            }
        }
        lines.retain(|(_, c)| c.received > 0);
        lines
    };

    // Sub-units: the root's children (live ones, and any that still hold cases of the range).
    let mut subs: Vec<SubUnitLine> = children
        .into_iter()
        .map(|u| SubUnitLine { unit: u, own: false, figures: CaseFigures::default(), by_year: BTreeMap::new() })
        .collect();
    let mut months: BTreeMap<YearMonth, CaseFigures> = range.iter().map(|m| (m, CaseFigures::default())).collect();
    let mut total = CaseFigures::default();
    for ((m, _), f) in &by_month {
        let Some(m) = YearMonth::from_key(*m) else { continue };
        total.add(f);
        months.entry(m).or_default().add(f);
    }
    let mut own = CaseFigures::default();
    let mut own_years: BTreeMap<i32, CaseCounts> = BTreeMap::new();
    let by_path: BTreeMap<&str, &CaseFigures> = by_unit.iter().map(|((_, p), f)| (p.as_str(), f)).collect();
    let line_of = |subs: &[SubUnitLine], p: &str| subs.iter().position(|s| p.starts_with(&s.unit.path));
    for ((year, p), c) in &by_year_unit {
        let years = match line_of(&subs, p) {
            Some(i) => &mut subs[i].by_year,
            None => &mut own_years,
        };
        years.entry(*year).or_default().add(c);
    }
    for (p, f) in &by_path {
        match line_of(&subs, p) {
            Some(i) => subs[i].figures.add(f),
            None => own.add(f),
        }
    }
    if range.contains(today) {
        let n: i64 = overdue.iter().map(|h| h.overdue).sum();
        total.overdue_now = Some(n);
        for h in &overdue {
            let at = match line_of(&subs, &h.unit_path) {
                Some(i) => &mut subs[i].figures,
                None => &mut own,
            };
            at.overdue_now = Some(at.overdue_now.unwrap_or(0) + h.overdue);
        }
    }
    // Dissolved children without cases in the range leave the ranking.
    subs.retain(|s| s.unit.effective_to.is_none() || s.figures.counts.received > 0 || s.figures.overdue_now.is_some());
    if own.counts.received > 0 || own.overdue_now.is_some() || subs.is_empty() {
        subs.insert(0, SubUnitLine { unit: unit.clone(), own: true, figures: own, by_year: own_years });
    }
    rank(&mut subs);

    // Kinds of unit: of each handling unit in the subtree.
    let ids: Vec<i64> = by_path.keys().filter_map(|p| danvan_store::org::units::path_ids(p).last().copied()).collect();
    let kinds: BTreeMap<i64, UnitKind> = app.store.get_units(&ids).await?.into_iter().map(|u| (u.id, u.kind)).collect();
    let mut by_unit_kind: std::collections::HashMap<UnitKind, CaseFigures> = std::collections::HashMap::new();
    for (p, f) in &by_path {
        if let Some(k) = danvan_store::org::units::path_ids(p).last().and_then(|id| kinds.get(id)) {
            by_unit_kind.entry(*k).or_default().add(f);
        }
    }
    let by_category = breakdown(Dimension::Category, by_category)
        .into_iter()
        .map(|(id, counts)| CategoryLine {
            name: categories.iter().find(|c| c.id.to_string() == id).map(|c| (c.name.clone(), c.name_en.clone())),
            id,
            counts,
        })
        .collect();
    let mut by_unit_kind: Vec<_> = by_unit_kind.into_iter().collect();
    by_unit_kind.sort_by(|a, b| b.1.counts.received.cmp(&a.1.counts.received).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    Ok(Dashboard {
        by_kind: breakdown(Dimension::Kind, by_kind),
        by_channel: breakdown(Dimension::Channel, by_channel),
        by_category,
        by_unit_kind,
        unit,
        range,
        today,
        total,
        previous,
        year_before,
        months: months.into_iter().collect(),
        sub_units: subs,
        overdue,
    })
}

/// Ranks sub-units: by on-time share, then satisfaction, then cases received (most first); the
/// units with nothing answered last, by name.
fn rank(lines: &mut [SubUnitLine]) {
    let key = |l: &SubUnitLine| {
        let f = &l.figures;
        (
            f.value(Indicator::AnsweredOnTimeShare).unwrap_or(-1.0),
            f.value(Indicator::Satisfaction).unwrap_or(-1.0),
            f.counts.received as f64,
        )
    };
    lines.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0)
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.2.total_cmp(&ka.2))
            .then_with(|| danvan_domain::text::sort_key(&a.unit.name).cmp(&danvan_domain::text::sort_key(&b.unit.name)))
    });
}
