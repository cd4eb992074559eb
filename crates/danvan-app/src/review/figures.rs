//! A review report's figures as generated: the leader's dashboard of the report's unit and months
//! (the same computation, so the numbers match), by year and by sub-unit and year, with the
//! "Dân vận khéo" models recognised and the commendations decided in the period. Kept as JSON
//! with the run, so the documents of a run always show the same numbers.

use crate::indicators::{dashboard_of, Dashboard};
use crate::{App, AppResult};
use chrono::NaiveDate;
use danvan_domain::emulation::models::{ModelField, ModelKind};
use danvan_domain::emulation::{Award, RecipientKind};
use danvan_domain::indicators::{CaseCounts, CaseFigures, MonthRange};
use danvan_domain::review::territorial;
use danvan_domain::UnitKind;
use danvan_store::emulation::ModelFilter;
use danvan_store::Unit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Figures as stored: counts, the histogram of working days to answer (as pairs: JSON keys are
/// strings), and the open cases past due when the period includes the day of generation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub counts: CaseCounts,
    pub answer_days: Vec<(i64, i64)>,
    pub overdue_now: Option<i64>,
}

impl From<&CaseFigures> for Figures {
    fn from(f: &CaseFigures) -> Self {
        Figures {
            counts: f.counts,
            answer_days: f.answer_days.iter().map(|(d, n)| (*d, *n)).collect(),
            overdue_now: f.overdue_now,
        }
    }
}

impl Figures {
    pub fn case_figures(&self) -> CaseFigures {
        CaseFigures {
            counts: self.counts,
            answer_days: self.answer_days.iter().copied().collect(),
            overdue_now: self.overdue_now,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubUnitFigures {
    pub code: String,
    pub name: String,
    /// The report unit's own cases, not a sub-unit's.
    pub own: bool,
    pub figures: Figures,
    pub by_year: Vec<(i32, CaseCounts)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelLine {
    pub name: String,
    pub kind: ModelKind,
    pub field: ModelField,
    pub owner_unit: String,
    pub place: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_ref: Option<String>,
    pub people_mobilised: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardLine {
    pub award: Award,
    pub individuals: i64,
    pub collectives: i64,
    pub households: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFigures {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    /// For the document's header (`danvan_domain::review::Placement`): the unit directly above,
    /// the unit's territory (itself when territorial) and the territory's parent, with their kinds.
    pub parent: Option<(String, UnitKind)>,
    pub territory: Option<(String, UnitKind)>,
    pub above_territory: Option<(String, UnitKind)>,
    pub from: i32,
    pub to: i32,
    /// The day they were generated (Viet Nam's date).
    pub generated_on: NaiveDate,
    pub total: Figures,
    pub previous: Figures,
    pub years: Vec<(i32, Figures)>,
    pub sub_units: Vec<SubUnitFigures>,
    pub by_kind: Vec<(String, CaseCounts)>,
    pub by_channel: Vec<(String, CaseCounts)>,
    /// (Vietnamese name, English name, counts); '' names for cases without a category.
    pub by_category: Vec<(String, String, CaseCounts)>,
    pub models: Vec<ModelLine>,
    pub awards: Vec<AwardLine>,
}

/// The dashboard's parts a report keeps.
pub(crate) fn from_dashboard(d: &Dashboard, parent: Option<(String, UnitKind)>) -> ReportFigures {
    let mut years: BTreeMap<i32, CaseFigures> = BTreeMap::new();
    for (m, f) in &d.months {
        years.entry(m.year).or_default().add(f);
    }
    ReportFigures {
        unit_code: d.unit.code.clone(),
        unit_name: d.unit.name.clone(),
        unit_kind: d.unit.kind,
        parent,
        territory: None,
        above_territory: None,
        from: d.range.from.key(),
        to: d.range.to.key(),
        generated_on: d.today,
        total: (&d.total).into(),
        previous: (&d.previous).into(),
        years: years.iter().map(|(y, f)| (*y, f.into())).collect(),
        sub_units: d
            .sub_units
            .iter()
            .map(|s| SubUnitFigures {
                code: s.unit.code.clone(),
                name: s.unit.name.clone(),
                own: s.own,
                figures: (&s.figures).into(),
                by_year: s.by_year.iter().map(|(y, c)| (*y, *c)).collect(),
            })
            .collect(),
        by_kind: d.by_kind.clone(),
        by_channel: d.by_channel.clone(),
        by_category: d
            .by_category
            .iter()
            .map(|c| {
                let (vi, en) = c.name.clone().unwrap_or_default();
                (vi, en, c.counts)
            })
            .collect(),
        models: vec![],
        awards: vec![],
    }
}

/// The models of the subtree (owned by or registered with one of its units) recognised in the range.
pub(crate) async fn models(app: &App, unit: &Unit, range: MonthRange) -> AppResult<Vec<ModelLine>> {
    let filter = ModelFilter { paths: vec![unit.path.clone()], recognised_only: true, limit: 1000, ..Default::default() };
    let (rows, _) = app.store.emulation_models(&filter).await?;
    let (from, to) = (range.from.first_day(), range.to.last_day());
    let mut out: Vec<ModelLine> = rows
        .into_iter()
        .filter(|m| m.decided_on.is_some_and(|d| d >= from && d <= to))
        .map(|m| ModelLine {
            name: m.name,
            kind: m.kind,
            field: m.field,
            owner_unit: m.owner_unit_name,
            place: m.place,
            decided_on: m.decided_on,
            decision_ref: m.decision_ref,
            people_mobilised: m.people_mobilised,
        })
        .collect();
    out.sort_by(|a, b| a.decided_on.cmp(&b.decided_on).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The awards decided in the range to the subtree's people, collectives and households, by award.
pub(crate) async fn awards(app: &App, unit: &Unit, range: MonthRange) -> AppResult<Vec<AwardLine>> {
    let facts = app.store.statistics_awards(&unit.path, range.from.first_day(), range.to.last_day()).await?;
    let mut by: BTreeMap<Award, AwardLine> = BTreeMap::new();
    for f in facts {
        let line = by.entry(f.award).or_insert(AwardLine { award: f.award, individuals: 0, collectives: 0, households: 0 });
        match f.recipient_kind {
            RecipientKind::Individual => line.individuals += 1,
            RecipientKind::Collective => line.collectives += 1,
            RecipientKind::Household => line.households += 1,
        }
    }
    Ok(by.into_values().collect())
}

/// Everything a report shows of `unit`'s subtree over `range`, without the cases `excluded`;
/// each step done is written to the `run`'s progress (percent, step key).
pub(crate) async fn generate(
    app: &App,
    unit: Unit,
    range: MonthRange,
    excluded: &[i64],
    run: Option<i64>,
) -> AppResult<ReportFigures> {
    let step = |percent: i64, key: &'static str| async move {
        match run {
            Some(id) => app.store.review_run_progress(id, percent, key).await,
            None => Ok(()),
        }
    };
    // The units above, for the header: the parent, the territory and the territory's parent.
    let ancestors = app.store.get_units(&unit.ancestry()).await?;
    let by_id = |id: Option<i64>| ancestors.iter().find(|u| Some(u.id) == id).map(|u| (u.name.clone(), u.kind));
    let territory_id = if territorial(unit.kind) {
        Some(unit.id)
    } else {
        unit.territory_id.or_else(|| {
            unit.ancestry().iter().rev().find(|id| ancestors.iter().any(|u| u.id == **id && territorial(u.kind))).copied()
        })
    };
    let territory_unit = match territory_id {
        Some(id) if id == unit.id => Some(unit.clone()),
        Some(id) => Some(app.store.get_unit(id).await?),
        None => None,
    };
    let above = match territory_unit.as_ref().and_then(|t| t.parent_id) {
        Some(p) => {
            let u = app.store.get_unit(p).await?;
            Some((u.name, u.kind))
        }
        None => None,
    };
    let parent = by_id(unit.parent_id);
    step(10, "review.step.cases").await?;
    let d = dashboard_of(app, unit.clone(), range, excluded).await?;
    let mut f = from_dashboard(&d, parent);
    f.territory = territory_unit.map(|t| (t.name, t.kind));
    f.above_territory = above;
    step(60, "review.step.models").await?;
    f.models = models(app, &unit, range).await?;
    step(80, "review.step.awards").await?;
    f.awards = awards(app, &unit, range).await?;
    step(95, "review.step.saving").await?;
    Ok(f)
}
