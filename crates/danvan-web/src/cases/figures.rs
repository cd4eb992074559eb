//! A unit's public figures for a period: the headline numbers, a monthly chart of cases received
//! and answered with the share answered on time (SVG drawn here: no script, no CDN), and the
//! same numbers as a table for screen readers and for copying.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::{esc, Opt};
use crate::i18n::{self, Lang};
use crate::AppState;
use chrono::Datelike;
use danvan_domain::cases::figures::{Figures, Period};
use std::fmt::Write;

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

/// A number with one decimal in the reader's format: "4,0" in Vietnamese, "4.0" in English.
pub fn decimal1(lang: Lang, v: f64) -> String {
    let s = format!("{v:.1}");
    if lang == Lang::Vi {
        s.replace('.', ",")
    } else {
        s
    }
}

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

const W: i64 = 720;
const H: i64 = 300;
const LEFT: i64 = 48;
const RIGHT: i64 = 48;
const TOP: i64 = 16;
const BOTTOM: i64 = 40;

/// A round top for the count axis: 1, 2, 5 × 10ⁿ at or above `max`.
fn nice_max(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// The monthly chart: grey bars received, red bars answered, a yellow line (dark-edged points) of
/// the share answered on time on the right-hand axis. An image named by its title; the table
/// below carries the same numbers for screen readers.
fn chart(ctx: &Ctx, f: &Figures) -> String {
    let n = f.months.len().max(1) as i64;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let top = nice_max(f.months.iter().map(|m| m.received.max(m.answered)).max().unwrap_or(0));
    let slot = plot_w / n;
    let bar = (slot - 6).max(4) / 2;
    let y_of = |v: i64| TOP + plot_h - v * plot_h / top;
    let y_pct = |p: i64| TOP + plot_h - p * plot_h / 100;
    let mut s = format!(
        r#"<svg class="figures-chart" id="figures-chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="figures-chart-title" focusable="false"><title id="figures-chart-title">{}</title>"#,
        esc(&ctx.t("figures.chart_title"))
    );
    // Grid and the two axes' labels.
    for i in 0..=4 {
        let v = top * i / 4;
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#d0d0d0" stroke-width="1"/><text x="{}" y="{}" font-size="12" text-anchor="end" fill="#595959">{}</text><text x="{}" y="{}" font-size="12" fill="#595959">{}%</text>"##,
            W - RIGHT,
            LEFT - 6,
            y + 4,
            i18n::number(ctx.lang, v),
            W - RIGHT + 6,
            y + 4,
            i * 25
        );
    }
    let mut points = vec![];
    for (i, m) in f.months.iter().enumerate() {
        let x = LEFT + i as i64 * slot + 3;
        let (yr, ya) = (y_of(m.received), y_of(m.answered));
        let base = TOP + plot_h;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{yr}" width="{bar}" height="{}" fill="#9e9e9e"/><rect x="{}" y="{ya}" width="{bar}" height="{}" fill="#b71c1c"/>"##,
            base - yr,
            x + bar,
            base - ya
        );
        let label = format!("{:02}/{:02}", m.month, m.year % 100);
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1f1f1f">{label}</text>"##,
            x + bar,
            base + 16
        );
        if let Some(p) = m.on_time_pct() {
            points.push((x + bar, y_pct(p)));
        }
    }
    if points.len() > 1 {
        let path: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = write!(s, r##"<polyline points="{}" fill="none" stroke="#f9a825" stroke-width="3"/>"##, path.join(" "));
    }
    for (x, y) in &points {
        let _ = write!(s, r##"<circle cx="{x}" cy="{y}" r="4" fill="#f9a825" stroke="#5d4300" stroke-width="1.5"/>"##);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_axis_tops_read_well() {
        assert_eq!(decimal1(Lang::Vi, 4.0), "4,0");
        assert_eq!(decimal1(Lang::En, 4.25), "4.2");
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(12), 20);
        assert_eq!(nice_max(180), 200);
        assert_eq!(nice_max(500), 500);
    }
}
