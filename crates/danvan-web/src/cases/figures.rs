//! A unit's public figures for a period: the headline numbers, a monthly chart of cases received
//! and answered with the share answered on time (SVG drawn here: no script, no CDN), and the
//! same numbers as a table for screen readers and for copying.

use crate::charts::{month_chart, ChartMonth};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::Opt;
use crate::i18n::{self, Lang};
use crate::AppState;
use chrono::Datelike;
use danvan_domain::cases::figures::{Figures, Period};

/// A month as the table shows it.
pub struct MonthLine {
    pub label: String,
    pub received: String,
    pub answered: String,
    pub on_time: String,
}

pub struct FiguresView {
    pub unit_name: String,
    pub unit_code: String,
    pub period: String,
    pub period_label: String,
    pub periods: Vec<Opt>,
    pub headline: Vec<(String, String)>,
    pub svg: String,
    pub months: Vec<MonthLine>,
}

use crate::i18n::decimal1;

fn month_label(lang: Lang, year: i32, month: u32) -> String {
    match lang {
        Lang::Vi => format!("{month:02}/{year}"),
        Lang::En => format!("{year}-{month:02}"),
    }
}

/// The figures of `unit` for the period the query names (the last 12 months when it names none).
pub async fn figures_view(
    state: &AppState,
    ctx: &Ctx,
    unit: &danvan_app::org::queries::Unit,
    period: &str,
) -> Result<FiguresView, WebError> {
    let today = danvan_app::cases::today();
    let period = Period::parse(period, today).unwrap_or(Period::Last12Months);
    let (figures, answered) = danvan_app::cases::queries::case_figures(&state.app, unit.id, period).await?;
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    let mut days: Vec<i64> = answered.iter().map(|(r, a)| cal.working_days_between(*r, *a)).collect();
    days.sort_unstable();
    let lang = ctx.lang;
    let median = days.get(days.len() / 2).map(|d| i18n::number(lang, *d)).unwrap_or_else(|| "—".into());
    let on_time = figures.on_time_pct().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let sat = figures
        .satisfaction()
        .map(|v| format!("{}/5 ({} {})", decimal1(lang, v), i18n::number(lang, figures.ratings), ctx.t("case.ratings")))
        .unwrap_or_else(|| "—".into());
    let mut periods = vec![
        Opt { value: "12m".into(), label: ctx.t("figures.period.12m") },
        Opt { value: "year".into(), label: ctx.t("figures.period.year") },
    ];
    for y in (today.year() - 4..today.year()).rev() {
        periods.push(Opt { value: y.to_string(), label: i18n::tf(lang, "figures.period.in_year", &[("year", &y.to_string())]) });
    }
    let (from, to) = period.bounds(today);
    let period_label = i18n::tf(
        lang,
        "figures.period.range",
        &[("from", &crate::html::date(lang, &from)), ("to", &crate::html::date(lang, &to))],
    );
    Ok(FiguresView {
        unit_name: unit.name.clone(),
        unit_code: unit.code.clone(),
        period: period.key(),
        period_label,
        periods,
        headline: vec![
            (ctx.t("case.stat.received"), i18n::number(lang, figures.received)),
            (ctx.t("case.stat.answered"), i18n::number(lang, figures.answered)),
            (ctx.t("case.stat.on_time"), on_time),
            (ctx.t("case.stat.median_days"), median),
            (ctx.t("case.stat.satisfaction"), sat),
        ],
        svg: chart(ctx, &figures),
        months: figures
            .months
            .iter()
            .map(|m| MonthLine {
                label: month_label(lang, m.year, m.month),
                received: i18n::number(lang, m.received),
                answered: i18n::number(lang, m.answered),
                on_time: m.on_time_pct().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            })
            .collect(),
    })
}

/// The monthly chart (`charts::month_chart`): bars received and answered, the on-time line.
fn chart(ctx: &Ctx, f: &Figures) -> String {
    let months: Vec<ChartMonth> = f
        .months
        .iter()
        .map(|m| ChartMonth {
            label: format!("{:02}/{:02}", m.month, m.year % 100),
            received: m.received,
            answered: m.answered,
            on_time_pct: m.on_time_pct(),
        })
        .collect();
    month_chart(ctx.lang, "figures-chart", &ctx.t("figures.chart_title"), &months)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_axis_tops_read_well() {
        assert_eq!(decimal1(Lang::Vi, 4.0), "4,0");
        assert_eq!(decimal1(Lang::En, 4.25), "4.2");
    }
}
