//! The dashboard's data and the indicator catalogue as JSON (`/api/v1/review/…`), for other
//! systems: each indicator's value for the period, the previous period and the same months a
//! year before, the monthly series, the sub-units, the breakdowns and who holds the overdue
//! cases. The numbers are the page's (`tests/it/review.rs` compares them).

use crate::api::Problem;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use danvan_app::indicators::{self as ind, CaseCounts, Dashboard, Indicator, CATALOGUE};
use danvan_domain::indicators::CaseFigures;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The unit (code; the caller's unit when empty) and the months (YYYY-MM; this year to date when
/// empty).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DashboardQuery {
    pub unit: String,
    pub from: String,
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct DefinitionOut {
    pub key: String,
    pub name: String,
    pub meaning: String,
    pub formula: String,
    pub basis: String,
    /// count, percent, working_days or rating
    pub unit: String,
    /// higher or lower (is better)
    pub direction: String,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorOut {
    pub key: String,
    pub name: String,
    /// None when its denominator is zero (or, for a state, when the period does not include today)
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub year_before: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub reopened: i64,
    pub transferred: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MonthOut {
    /// YYYY-MM
    pub month: String,
    pub counts: CountsOut,
    pub answered_on_time_share: Option<f64>,
    pub median_answer_days: Option<f64>,
    pub satisfaction: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct SubUnitOut {
    pub code: String,
    pub name: String,
    /// The cases the unit itself handles (not a sub-unit's)
    pub own: bool,
    pub counts: CountsOut,
    pub answered_on_time_share: Option<f64>,
    pub median_answer_days: Option<f64>,
    pub satisfaction: Option<f64>,
    pub overdue_now: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct BreakdownOut {
    /// The kind, channel, category id ('' for none) or kind of unit
    pub value: String,
    pub label: String,
    pub counts: CountsOut,
    pub answered_on_time_share: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct HolderOut {
    pub unit_name: String,
    pub assignee: Option<String>,
    pub overdue: i64,
    pub oldest_due: String,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardOut {
    pub unit_code: String,
    pub unit_name: String,
    pub from: String,
    pub to: String,
    pub indicators: Vec<IndicatorOut>,
    pub months: Vec<MonthOut>,
    pub sub_units: Vec<SubUnitOut>,
    pub by_kind: Vec<BreakdownOut>,
    pub by_channel: Vec<BreakdownOut>,
    pub by_category: Vec<BreakdownOut>,
    pub by_unit_kind: Vec<BreakdownOut>,
    pub overdue: Vec<HolderOut>,
}

fn counts_out(c: &CaseCounts) -> CountsOut {
    CountsOut {
        received: c.received,
        answered: c.answered,
        on_time: c.on_time,
        rated: c.rated,
        rating_sum: c.rating_sum,
        reopened: c.reopened,
        transferred: c.transferred,
    }
}

fn of_counts(c: &CaseCounts) -> CaseFigures {
    CaseFigures { counts: *c, ..Default::default() }
}

fn breakdown(value: &str, label: String, c: &CaseCounts) -> BreakdownOut {
    BreakdownOut {
        value: value.into(),
        label,
        counts: counts_out(c),
        answered_on_time_share: of_counts(c).value(Indicator::AnsweredOnTimeShare),
    }
}

pub(super) fn name_of(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::En && !en.is_empty() { en } else { vi }.to_string()
}

/// The dashboard as JSON: the numbers of the page, unformatted.
pub fn dashboard_out(ctx: &Ctx, d: &Dashboard) -> DashboardOut {
    let lang = ctx.lang;
    DashboardOut {
        unit_code: d.unit.code.clone(),
        unit_name: d.unit.name.clone(),
        from: d.range.from.to_string(),
        to: d.range.to.to_string(),
        indicators: CATALOGUE
            .iter()
            .map(|def| IndicatorOut {
                key: def.key.as_str().into(),
                name: name_of(lang, def.name_vi, def.name_en),
                value: d.total.value(def.key),
                previous: d.previous.value(def.key),
                year_before: d.year_before.value(def.key),
            })
            .collect(),
        months: d
            .months
            .iter()
            .map(|(m, f)| MonthOut {
                month: m.to_string(),
                counts: counts_out(&f.counts),
                answered_on_time_share: f.value(Indicator::AnsweredOnTimeShare),
                median_answer_days: f.value(Indicator::MedianAnswerDays),
                satisfaction: f.value(Indicator::Satisfaction),
            })
            .collect(),
        sub_units: d
            .sub_units
            .iter()
            .map(|s| SubUnitOut {
                code: s.unit.code.clone(),
                name: s.unit.name.clone(),
                own: s.own,
                counts: counts_out(&s.figures.counts),
                answered_on_time_share: s.figures.value(Indicator::AnsweredOnTimeShare),
                median_answer_days: s.figures.value(Indicator::MedianAnswerDays),
                satisfaction: s.figures.value(Indicator::Satisfaction),
                overdue_now: s.figures.overdue_now,
            })
            .collect(),
        by_kind: d.by_kind.iter().map(|(k, c)| breakdown(k, ctx.t(crate::labels::case_kind(k)), c)).collect(),
        by_channel: d.by_channel.iter().map(|(k, c)| breakdown(k, ctx.t(crate::labels::channel(k)), c)).collect(),
        by_category: d
            .by_category
            .iter()
            .map(|l| {
                let label = match &l.name {
                    Some((vi, en)) => name_of(lang, vi, en),
                    None => ctx.t("review.no_category"),
                };
                breakdown(&l.id, label, &l.counts)
            })
            .collect(),
        by_unit_kind: d
            .by_unit_kind
            .iter()
            .map(|(k, f)| breakdown(k.as_str(), ctx.t(crate::labels::unit_kind(k.as_str())), &f.counts))
            .collect(),
        overdue: d
            .overdue
            .iter()
            .map(|h| HolderOut {
                unit_name: h.unit_name.clone(),
                assignee: h.assignee.clone(),
                overdue: h.overdue,
                oldest_due: h.oldest_due.to_string(),
            })
            .collect(),
    }
}

/// A unit's dashboard: the indicators for the months with the previous period and the year
/// before, the monthly series, the sub-units ranked, the breakdowns and the overdue cases' holders.
#[utoipa::path(get, path = "/review/dashboard", tag = "review", params(DashboardQuery),
    responses((status = 200, body = DashboardOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Json<DashboardOut>, WebError> {
    let range = ind::month_range(&q.from, &q.to, danvan_app::cases::today())?;
    let d = ind::dashboard(&state.app, &ctx.caller, &q.unit, range).await?;
    Ok(Json(dashboard_out(&ctx, &d)))
}

/// The indicator catalogue: each indicator's name, meaning, formula, basis, unit and direction
/// in the caller's language. Public.
#[utoipa::path(get, path = "/review/indicators", tag = "review", responses((status = 200, body = Vec<DefinitionOut>)))]
pub async fn indicators(ctx: Ctx) -> Json<Vec<DefinitionOut>> {
    let lang = ctx.lang;
    Json(
        CATALOGUE
            .iter()
            .map(|d| DefinitionOut {
                key: d.key.as_str().into(),
                name: name_of(lang, d.name_vi, d.name_en),
                meaning: name_of(lang, d.meaning_vi, d.meaning_en),
                formula: d.formula.into(),
                basis: d.basis.into(),
                unit: d.unit.as_str().into(),
                direction: d.direction.as_str().into(),
            })
            .collect(),
    )
}
