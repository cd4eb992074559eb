//! The leader's dashboard page (`/review/dashboard?unit=…&from=YYYY-MM&to=YYYY-MM`): a unit's
//! subtree at a glance — each indicator beside the previous period and the same months a year
//! before, the trend by month (by year beyond two years), the sub-units ranked by on-time share
//! and satisfaction, what is overdue now and who holds it, and the cases by kind, channel,
//! category and kind of unit. Charts are SVG drawn here, each followed by its numbers in a table.

use super::api::{name_of, DashboardQuery};
use crate::charts::{month_chart, share_bars, ChartMonth};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::{Form, Opt, Page};
use crate::i18n::{self, Lang};
use crate::pages::{render, render_status};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::indicators::{self as ind, Dashboard, Direction, Indicator, YearMonth, CATALOGUE};
use danvan_domain::indicators::CaseFigures;

pub fn routes() -> Routes {
    Routes::new().get("/review/dashboard", page)
}

/// An indicator's headline card.
struct Card {
    key: String,
    name: String,
    value: String,
    previous: String,
    year_before: String,
    /// "better", "worse" or "" against the previous period, by the indicator's direction.
    trend: &'static str,
    trend_text: String,
    link: Option<String>,
}

/// A line of a table of figures (a month, a sub-unit, a kind…).
struct Line {
    label: String,
    link: Option<String>,
    received: String,
    answered: String,
    on_time: String,
    median: String,
    satisfaction: String,
    overdue: String,
}

struct Holder {
    unit: String,
    assignee: String,
    overdue: String,
    oldest_due: String,
}

struct View {
    unit_name: String,
    period: String,
    previous: String,
    year_before: String,
    cards: Vec<Card>,
    trend_svg: String,
    trend_by_year: bool,
    trend: Vec<Line>,
    ranking_svg: String,
    ranking: Vec<Line>,
    holders: Vec<Holder>,
    overdue_shown: bool,
    overdue_link: String,
    breakdowns: Vec<Breakdown>,
    json: String,
    xlsx: String,
}

/// The cases by one dimension: a table under its title.
struct Breakdown {
    id: &'static str,
    title: String,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "review/dashboard.html")]
struct DashboardPage {
    p: Page,
    form: Form,
    units: Vec<Opt>,
    v: Option<View>,
}

/// An indicator's value as the reader reads it (`i18n::indicator_value`).
fn shown(ctx: &Ctx, i: Indicator, v: Option<f64>) -> String {
    i18n::indicator_value(ctx.lang, i, v)
}

fn trend(i: Indicator, now: Option<f64>, before: Option<f64>) -> &'static str {
    match (now, before) {
        (Some(a), Some(b)) if a != b => {
            let up = a > b;
            match (i.definition().direction, up) {
                (Direction::HigherIsBetter, true) | (Direction::LowerIsBetter, false) => "better",
                _ => "worse",
            }
        }
        _ => "",
    }
}

fn month_label(lang: Lang, m: YearMonth) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{}", m.month, m.year),
        Lang::En => m.to_string(),
    }
}

fn line(ctx: &Ctx, label: String, link: Option<String>, f: &CaseFigures) -> Line {
    Line {
        label,
        link,
        received: i18n::number(ctx.lang, f.counts.received),
        answered: i18n::number(ctx.lang, f.counts.answered),
        on_time: shown(ctx, Indicator::AnsweredOnTimeShare, f.value(Indicator::AnsweredOnTimeShare)),
        median: shown(ctx, Indicator::MedianAnswerDays, f.value(Indicator::MedianAnswerDays)),
        satisfaction: shown(ctx, Indicator::Satisfaction, f.value(Indicator::Satisfaction)),
        overdue: f.overdue_now.map(|n| i18n::number(ctx.lang, n)).unwrap_or_else(|| "—".into()),
    }
}

fn counts_line(ctx: &Ctx, label: String, c: &danvan_app::indicators::CaseCounts) -> Line {
    line(ctx, label, None, &CaseFigures { counts: *c, ..Default::default() })
}

fn range_label(ctx: &Ctx, r: danvan_app::indicators::MonthRange) -> String {
    i18n::tf(ctx.lang, "review.range", &[("from", &month_label(ctx.lang, r.from)), ("to", &month_label(ctx.lang, r.to))])
}

fn view(ctx: &Ctx, d: &Dashboard) -> View {
    let lang = ctx.lang;
    let (first, last) = (d.range.first_day(), d.range.last_day());
    let cards = CATALOGUE
        .iter()
        .map(|def| {
            let (now, prev, ago) = (d.total.value(def.key), d.previous.value(def.key), d.year_before.value(def.key));
            let t = trend(def.key, now, prev);
            let link = match def.key {
                Indicator::OverdueNow => now.map(|_| format!("/inbox?unit={}&due=overdue", crate::html::urlencode(&d.unit.code))),
                k => k.measures_a_period().then(|| {
                    let set = d.total.inputs(k).first().map(|(s, _)| *s).unwrap_or(ind::CaseSet::Received);
                    ind::inbox_link(&d.unit.code, first, last, set)
                }),
            };
            Card {
                key: def.key.as_str().into(),
                name: name_of(lang, def.name_vi, def.name_en),
                value: shown(ctx, def.key, now),
                previous: shown(ctx, def.key, prev),
                year_before: shown(ctx, def.key, ago),
                trend: t,
                trend_text: match t {
                    "better" => ctx.t("review.trend.better"),
                    "worse" => ctx.t("review.trend.worse"),
                    _ => String::new(),
                },
                link,
            }
        })
        .collect();
    // Beyond two years the trend is by year: a month's bar would be too thin to read.
    let by_year = d.months.len() > 24;
    let mut periods: Vec<(String, CaseFigures)> = vec![];
    for (m, f) in &d.months {
        let label = if by_year { m.year.to_string() } else { month_label(lang, *m) };
        match periods.last_mut() {
            Some((l, acc)) if *l == label => acc.add(f),
            _ => periods.push((label, f.clone())),
        }
    }
    let chart: Vec<ChartMonth> = periods
        .iter()
        .map(|(label, f)| ChartMonth {
            label: label.clone(),
            received: f.counts.received,
            answered: f.counts.answered,
            on_time_pct: f.value(Indicator::AnsweredOnTimeShare).map(|v| v.round() as i64),
        })
        .collect();
    let query = format!("unit={}&from={}&to={}", crate::html::urlencode(&d.unit.code), d.range.from, d.range.to);
    let ranking_bars: Vec<(String, Option<f64>)> =
        d.sub_units.iter().take(20).map(|s| (s.unit.name.clone(), s.figures.value(Indicator::AnsweredOnTimeShare))).collect();
    let label_of = |k: &str, key: &'static str| if key == "common.unknown" { k.to_string() } else { ctx.t(key) };
    View {
        unit_name: d.unit.name.clone(),
        period: range_label(ctx, d.range),
        previous: range_label(ctx, d.range.previous()),
        year_before: range_label(ctx, d.range.year_before()),
        cards,
        trend_svg: month_chart(lang, "trend-chart", &ctx.t("review.trend_title"), &chart),
        trend_by_year: by_year,
        trend: periods.iter().map(|(l, f)| line(ctx, l.clone(), None, f)).collect(),
        ranking_svg: share_bars(lang, "ranking-chart", &ctx.t("review.ranking_title"), &ranking_bars),
        ranking: d
            .sub_units
            .iter()
            .map(|s| {
                let name =
                    if s.own { i18n::tf(lang, "review.own_cases", &[("unit", &s.unit.name)]) } else { s.unit.name.clone() };
                line(
                    ctx,
                    name,
                    Some(format!(
                        "/review/dashboard?unit={}&from={}&to={}",
                        crate::html::urlencode(&s.unit.code),
                        d.range.from,
                        d.range.to
                    )),
                    &s.figures,
                )
            })
            .collect(),
        holders: d
            .overdue
            .iter()
            .map(|h| Holder {
                unit: h.unit_name.clone(),
                assignee: h.assignee.clone().unwrap_or_else(|| ctx.t("review.unassigned")),
                overdue: i18n::number(lang, h.overdue),
                oldest_due: crate::html::date(lang, &h.oldest_due),
            })
            .collect(),
        overdue_shown: d.range.contains(d.today),
        overdue_link: format!("/inbox?unit={}&due=overdue", crate::html::urlencode(&d.unit.code)),
        breakdowns: vec![
            Breakdown {
                id: "by-kind",
                title: ctx.t("review.by_kind"),
                lines: d.by_kind.iter().map(|(k, c)| counts_line(ctx, label_of(k, crate::labels::case_kind(k)), c)).collect(),
            },
            Breakdown {
                id: "by-channel",
                title: ctx.t("review.by_channel"),
                lines: d.by_channel.iter().map(|(k, c)| counts_line(ctx, label_of(k, crate::labels::channel(k)), c)).collect(),
            },
            Breakdown {
                id: "by-category",
                title: ctx.t("review.by_category"),
                lines: d
                    .by_category
                    .iter()
                    .map(|l| {
                        let label =
                            l.name.as_ref().map(|(vi, en)| name_of(lang, vi, en)).unwrap_or_else(|| ctx.t("review.no_category"));
                        counts_line(ctx, label, &l.counts)
                    })
                    .collect(),
            },
            Breakdown {
                id: "by-unit-kind",
                title: ctx.t("review.by_unit_kind"),
                lines: d
                    .by_unit_kind
                    .iter()
                    .map(|(k, f)| line(ctx, ctx.t(crate::labels::unit_kind(k.as_str())), None, f))
                    .collect(),
            },
        ],
        json: format!("/api/v1/review/dashboard?{query}"),
        xlsx: format!("/review/dashboard.xlsx?{query}"),
    }
}

/// The units of the dashboard's subtree, for the unit field's picker.
async fn units(state: &AppState, d: &Dashboard) -> Result<Vec<Opt>, WebError> {
    let list = danvan_app::org::queries::unit_names_within(&state.app, d.unit.id, 1000).await?;
    Ok(list.into_iter().map(|(code, name)| Opt { value: code, label: name }).collect())
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Response, WebError> {
    let form = Form::new(ctx.lang).set("unit", &q.unit).set("from", &q.from).set("to", &q.to);
    let today = danvan_app::cases::today();
    let result = match ind::month_range(&q.from, &q.to, today) {
        Ok(range) => ind::dashboard(&state.app, &ctx.caller, &q.unit, range).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => {
            let form = form.set("unit", &d.unit.code).set("from", d.range.from.to_string()).set("to", d.range.to.to_string());
            let page = DashboardPage {
                p: Page::new(&ctx, &ctx.t("review.dashboard.title")),
                units: units(&state, &d).await?,
                v: Some(view(&ctx, &d)),
                form,
            };
            Ok(render(&page))
        }
        Err(danvan_app::AppError::Invalid(e)) => {
            let page = DashboardPage {
                p: Page::new(&ctx, &ctx.t("review.dashboard.title")),
                form: form.with_errors(&e),
                units: vec![],
                v: None,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
