//! The dashboard as XLSX (`/review/dashboard.xlsx?unit=…&from=…&to=…`): every table of the page
//! on its own sheet — the indicators, by month, the sub-units, by kind, channel, category and kind
//! of unit, the overdue cases' holders — with counts as numbers and shares and totals as formulas
//! (`danvan_reports::review`). The same `Dashboard` as the page and the API.

use super::api::{name_of, DashboardQuery};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_app::indicators::{self as ind, CaseCounts, Dashboard, Indicator, CATALOGUE};
use danvan_domain::indicators::CaseFigures;
use danvan_reports::review::{tables_xlsx, Cell, Col, TableSheet};

/// Columns of a figures table: label, received, answered, on time, share on time, then extras.
fn figure_cols(extra: &[Col]) -> Vec<Col> {
    let mut c = vec![Col::Label, Col::Count, Col::Count, Col::Count, Col::Share { part: 3, whole: 2 }];
    c.extend_from_slice(extra);
    c
}

fn counts_cells(label: String, c: &CaseCounts) -> Vec<Cell> {
    vec![Cell::Text(label), Cell::Int(c.received), Cell::Int(c.answered), Cell::Int(c.on_time), Cell::Num(None)]
}

fn figures_cells(label: String, f: &CaseFigures) -> Vec<Cell> {
    let mut cells = counts_cells(label, &f.counts);
    cells.push(Cell::Num(f.value(Indicator::MedianAnswerDays)));
    cells.push(Cell::Num(f.value(Indicator::Satisfaction)));
    cells
}

fn sheets(ctx: &Ctx, d: &Dashboard) -> Vec<TableSheet> {
    let lang = ctx.lang;
    let title = vec![
        format!("{} — {}", ctx.t("review.dashboard.title"), d.unit.name),
        crate::i18n::tf(lang, "review.range", &[("from", &d.range.from.to_string()), ("to", &d.range.to.to_string())]),
    ];
    let heads = |first: String, extra: &[&str]| {
        let mut h = vec![
            first,
            ctx.t("case.stat.received"),
            ctx.t("case.stat.answered"),
            ctx.t("indicator.set.on_time"),
            format!("{} (%)", ctx.t("case.stat.on_time")),
        ];
        h.extend(extra.iter().map(|k| ctx.t(k)));
        h
    };
    let totals = vec![Cell::Num(d.total.value(Indicator::MedianAnswerDays)), Cell::Num(d.total.value(Indicator::Satisfaction))];
    let total_label = ctx.t("review.total");
    let mut out = vec![TableSheet {
        name: ctx.t("review.sheet.indicators"),
        title: title.clone(),
        headings: vec![
            ctx.t("review.col.indicator"),
            ctx.t("review.col.value"),
            ctx.t("review.previous"),
            ctx.t("review.year_before"),
        ],
        cols: vec![Col::Label, Col::Value { decimals: 1 }, Col::Value { decimals: 1 }, Col::Value { decimals: 1 }],
        lines: CATALOGUE
            .iter()
            .map(|def| {
                vec![
                    Cell::Text(name_of(lang, def.name_vi, def.name_en)),
                    Cell::Num(d.total.value(def.key)),
                    Cell::Num(d.previous.value(def.key)),
                    Cell::Num(d.year_before.value(def.key)),
                ]
            })
            .collect(),
        total: None,
    }];
    out.push(TableSheet {
        name: ctx.t("review.sheet.months"),
        title: title.clone(),
        headings: heads(ctx.t("review.col.month"), &["case.stat.median_days", "case.stat.satisfaction"]),
        cols: figure_cols(&[Col::Value { decimals: 1 }, Col::Value { decimals: 2 }]),
        lines: d.months.iter().map(|(m, f)| figures_cells(m.to_string(), f)).collect(),
        total: Some((total_label.clone(), totals.clone())),
    });
    let mut sub_heads = heads(ctx.t("review.col.unit"), &["case.stat.median_days", "case.stat.satisfaction"]);
    sub_heads.push(ctx.t("review.col.overdue"));
    let mut sub_cols = figure_cols(&[Col::Value { decimals: 1 }, Col::Value { decimals: 2 }]);
    sub_cols.push(Col::Count);
    out.push(TableSheet {
        name: ctx.t("review.sheet.units"),
        title: title.clone(),
        headings: sub_heads,
        cols: sub_cols,
        lines: d
            .sub_units
            .iter()
            .map(|s| {
                let name = if s.own {
                    crate::i18n::tf(lang, "review.own_cases", &[("unit", &s.unit.name)])
                } else {
                    s.unit.name.clone()
                };
                let mut cells = figures_cells(name, &s.figures);
                cells.push(s.figures.overdue_now.map(Cell::Int).unwrap_or(Cell::Num(None)));
                cells
            })
            .collect(),
        total: Some((total_label.clone(), totals)),
    });
    let label_of = |k: &str, key: &'static str| if key == "common.unknown" { k.to_string() } else { ctx.t(key) };
    let breakdowns: [(&str, Vec<Vec<Cell>>); 4] = [
        ("review.by_kind", d.by_kind.iter().map(|(k, c)| counts_cells(label_of(k, crate::labels::case_kind(k)), c)).collect()),
        (
            "review.by_channel",
            d.by_channel.iter().map(|(k, c)| counts_cells(label_of(k, crate::labels::channel(k)), c)).collect(),
        ),
        (
            "review.by_category",
            d.by_category
                .iter()
                .map(|l| {
                    let label =
                        l.name.as_ref().map(|(vi, en)| name_of(lang, vi, en)).unwrap_or_else(|| ctx.t("review.no_category"));
                    counts_cells(label, &l.counts)
                })
                .collect(),
        ),
        (
            "review.by_unit_kind",
            d.by_unit_kind.iter().map(|(k, f)| counts_cells(ctx.t(crate::labels::unit_kind(k.as_str())), &f.counts)).collect(),
        ),
    ];
    for (key, lines) in breakdowns {
        out.push(TableSheet {
            name: ctx.t(key),
            title: title.clone(),
            headings: heads(ctx.t(key), &[]),
            cols: figure_cols(&[]),
            lines,
            total: Some((total_label.clone(), vec![])),
        });
    }
    if d.range.contains(d.today) {
        out.push(TableSheet {
            name: ctx.t("review.sheet.overdue"),
            title,
            headings: vec![
                ctx.t("review.col.unit"),
                ctx.t("review.col.assignee"),
                ctx.t("review.col.overdue"),
                ctx.t("review.col.oldest_due"),
            ],
            cols: vec![Col::Label, Col::Label, Col::Count, Col::Label],
            lines: d
                .overdue
                .iter()
                .map(|h| {
                    vec![
                        Cell::Text(h.unit_name.clone()),
                        Cell::Text(h.assignee.clone().unwrap_or_else(|| ctx.t("review.unassigned"))),
                        Cell::Int(h.overdue),
                        Cell::Text(crate::html::date(lang, &h.oldest_due)),
                    ]
                })
                .collect(),
            total: Some((total_label, vec![])),
        });
    }
    out
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Response, WebError> {
    let range = ind::month_range(&q.from, &q.to, danvan_app::cases::today())?;
    let d = ind::dashboard(&state.app, &ctx.caller, &q.unit, range).await?;
    let bytes = tables_xlsx(&sheets(&ctx, &d)).map_err(|e| WebError::Internal(e.to_string()))?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let unit: String = d.unit.code.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '-' }).collect();
    let name = format!("bang-dieu-hanh-{unit}-{}-{}.xlsx", d.range.from, d.range.to);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}
