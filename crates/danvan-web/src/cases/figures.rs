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
use danvan_domain::cases::figures::Period;
use danvan_domain::indicators::{Indicator, MonthRange, YearMonth};

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

/// The figures of `unit` for the period the query names (the last 12 months when it names none):
/// the public figures of the indicator catalogue (`danvan_app::indicators::public_figures`: by
/// month of receipt, the cases whose sender's identity is protected left out).
pub async fn figures_view(
    state: &AppState,
    ctx: &Ctx,
    unit: &danvan_app::org::queries::Unit,
    period: &str,
) -> Result<FiguresView, WebError> {
    let today = danvan_app::cases::today();
    let period = Period::parse(period, today).unwrap_or(Period::Last12Months);
    let (from, to) = period.bounds(today);
    let range = MonthRange::new(YearMonth::of(from), YearMonth::of(to)).map_err(|_| WebError::NotFound)?;
    let (months, total) = danvan_app::indicators::public_figures(&state.app, &unit.path, range).await?;
    let lang = ctx.lang;
    let shown = |i: Indicator| i18n::indicator_value(lang, i, total.value(i));
    let sat = total
        .value(Indicator::Satisfaction)
        .map(|v| format!("{}/5 ({} {})", decimal1(lang, v), i18n::number(lang, total.counts.rated), ctx.t("case.ratings")))
        .unwrap_or_else(|| "—".into());
    let mut periods = vec![
        Opt { value: "12m".into(), label: ctx.t("figures.period.12m") },
        Opt { value: "year".into(), label: ctx.t("figures.period.year") },
    ];
    for y in (today.year() - 4..today.year()).rev() {
        periods.push(Opt { value: y.to_string(), label: i18n::tf(lang, "figures.period.in_year", &[("year", &y.to_string())]) });
    }
    let period_label = i18n::tf(
        lang,
        "figures.period.range",
        &[("from", &crate::html::date(lang, &from)), ("to", &crate::html::date(lang, &to))],
    );
    let on_time = |f: &danvan_domain::indicators::CaseFigures| f.value(Indicator::AnsweredOnTimeShare).map(|v| v.round() as i64);
    Ok(FiguresView {
        unit_name: unit.name.clone(),
        unit_code: unit.code.clone(),
        period: period.key(),
        period_label,
        periods,
        headline: vec![
            (ctx.t("case.stat.received"), shown(Indicator::CasesReceived)),
            (ctx.t("case.stat.answered"), shown(Indicator::CasesAnswered)),
            (ctx.t("case.stat.on_time"), shown(Indicator::AnsweredOnTimeShare)),
            (ctx.t("case.stat.median_days"), shown(Indicator::MedianAnswerDays)),
            (ctx.t("case.stat.satisfaction"), sat),
        ],
        svg: month_chart(
            lang,
            "figures-chart",
            &ctx.t("figures.chart_title"),
            &months
                .iter()
                .map(|(m, f)| ChartMonth {
                    label: format!("{:02}/{:02}", m.month, m.year % 100),
                    received: f.counts.received,
                    answered: f.counts.answered,
                    on_time_pct: on_time(f),
                })
                .collect::<Vec<_>>(),
        ),
        months: months
            .iter()
            .map(|(m, f)| MonthLine {
                label: month_label(lang, m.year, m.month),
                received: i18n::number(lang, f.counts.received),
                answered: i18n::number(lang, f.counts.answered),
                on_time: on_time(f).map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            })
            .collect(),
    })
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
