//! The annual statistical report forms on emulation and commendation (issue 11 item 7): the page
//! `/emulation/statistics` (choose the form, the report year and the unit — from the units one
//! is an official over, by name — and see the form computed from danvan's data, the cells to
//! fill in by hand marked, and what danvan knows beside the form), and the form as XLSX in the
//! official layout (`/emulation/statistics/0601.xlsx?year=…&unit=…`, `danvan_reports`), the
//! version in force for the year. The form itself is the state's paper, in Vietnamese; the page
//! around it is in the reader's language.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{Form, Opt, Page};
use crate::pages::{render, render_status};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use danvan_app::emulation::statistics::{self as st, Computed, Fact, Note, StatInput};
use danvan_reports::statistics::{form_xlsx, value, FilledForm, FormDef, FORM_CODES};
use std::collections::BTreeSet;

pub fn routes() -> Routes {
    Routes::new().get("/emulation/statistics", page).get("/emulation/statistics/{file}", xlsx)
}

/// A heading cell of the table: its text and spans.
struct Head {
    text: String,
    cols: usize,
    rows: usize,
}

/// A cell of the table: its text and whether it is to be filled in by hand or a total.
struct CellView {
    col: String,
    text: String,
    hand: bool,
    total: bool,
}

struct RowView {
    code: String,
    label: String,
    /// Column "C", the row's unit of measure, on the forms that have one per row.
    unit: String,
    level: u8,
    heading: bool,
    cells: Vec<CellView>,
}

/// The computed form as the page shows it.
struct Table {
    title: String,
    /// The reporting unit's name and the report year, as the paper's header has them.
    unit: String,
    year: i32,
    issued_by: String,
    unit_of_measure: String,
    head1: Vec<Head>,
    head2: Vec<Head>,
    codes: Vec<String>,
    rows: Vec<RowView>,
    /// "Row label (code): columns 2, 3"
    by_hand: Vec<String>,
    notes: Vec<String>,
    xlsx: String,
    /// False when this version's rows and columns could not be checked against the act.
    verified: bool,
    /// Whether the form has a unit of measure per row (column "C").
    row_units: bool,
}

#[derive(Template)]
#[template(path = "emulation/statistics.html")]
struct StatPage {
    p: Page,
    form: Form,
    forms: Vec<Opt>,
    units: Vec<Opt>,
    table: Option<Table>,
}

fn hand_key(r: &str, c: &str) -> (String, String) {
    (r.to_string(), c.to_string())
}

/// Whether the value of (row, col) takes in a cell to fill in by hand; and whether all of its
/// inputs are.
fn hand_parts(form: &FormDef, hand: &BTreeSet<(String, String)>, row: &str, col: &str) -> (bool, bool) {
    let parts: Vec<(bool, bool)> = match (form.row(row), form.col(col)) {
        (_, Some(c)) if !c.sum_of.is_empty() => c.sum_of.iter().map(|k| hand_parts(form, hand, row, k)).collect(),
        (Some(r), _) if !r.sum_of.is_empty() => r.sum_of.iter().map(|k| hand_parts(form, hand, k, col)).collect(),
        _ => {
            let h = hand.contains(&hand_key(row, col));
            return (h, h);
        }
    };
    (parts.iter().any(|p| p.0), parts.iter().all(|p| p.1))
}

fn filled_of(c: &Computed) -> FilledForm {
    FilledForm {
        form_code: c.form.code.into(),
        year: c.year,
        reporting_unit: c.unit.name.clone(),
        // Not kept in danvan: written on the paper.
        receiving_unit: "……………………………".into(),
        counts: c.counts.clone(),
        place: "……………".into(),
        by_hand: c.by_hand.clone(),
    }
}

fn note(ctx: &Ctx, n: &Note) -> String {
    match n {
        Note::Unplaced { fact: Fact::Movements, count } => {
            crate::i18n::tf(ctx.lang, "emulation.statistics.note.unplaced_movements", &[("count", &count.to_string())])
        }
        Note::Grassroots { count } => {
            crate::i18n::tf(ctx.lang, "emulation.statistics.note.grassroots", &[("count", &count.to_string())])
        }
    }
}

fn table(ctx: &Ctx, c: &Computed) -> Table {
    let form = &c.form;
    let filled = filled_of(c);
    let (mut head1, mut head2) = (vec![], vec![]);
    let mut i = 0;
    while i < form.cols.len() {
        match form.cols[i].group {
            None => {
                head1.push(Head { text: form.cols[i].label.into(), cols: 1, rows: 2 });
                i += 1;
            }
            Some(g) => {
                let n = form.cols[i..].iter().take_while(|k| k.group == Some(g)).count();
                head1.push(Head { text: g.into(), cols: n, rows: 1 });
                head2.extend(form.cols[i..i + n].iter().map(|k| Head { text: k.label.into(), cols: 1, rows: 1 }));
                i += n;
            }
        }
    }
    let rows = form
        .rows
        .iter()
        .map(|r| {
            let heading = r.code.is_empty();
            let cells = form
                .cols
                .iter()
                .map(|k| {
                    if heading {
                        return CellView { col: k.code.into(), text: String::new(), hand: false, total: false };
                    }
                    let total = !r.sum_of.is_empty() || !k.sum_of.is_empty();
                    let (some, all) = hand_parts(form, &c.by_hand, r.code, k.code);
                    let n = crate::i18n::number(ctx.lang, value(form, &filled, r.code, k.code) as i64);
                    let text = match (some, all) {
                        (_, true) => "✎".to_string(),
                        (true, false) => format!("{n} + ✎"),
                        _ => n,
                    };
                    CellView { col: k.code.into(), text, hand: some, total }
                })
                .collect();
            RowView { code: r.code.into(), label: r.label.into(), unit: r.unit.into(), level: r.level, heading, cells }
        })
        .collect();
    let by_hand = form
        .rows
        .iter()
        .filter_map(|r| {
            let cols: Vec<&str> = form.cols.iter().map(|k| k.code).filter(|k| c.by_hand.contains(&hand_key(r.code, k))).collect();
            (!cols.is_empty()).then(|| {
                crate::i18n::tf(
                    ctx.lang,
                    "emulation.statistics.hand_line",
                    &[("label", r.label), ("row", r.code), ("cols", &cols.join(", "))],
                )
            })
        })
        .collect();
    let short = form.short_code();
    Table {
        title: form.title.into(),
        unit: c.unit.name.clone(),
        year: c.year,
        issued_by: form.issued_by.into(),
        unit_of_measure: form.unit_of_measure.into(),
        head1,
        head2,
        codes: form.cols.iter().map(|k| k.code.to_string()).collect(),
        rows,
        by_hand,
        notes: c.notes.iter().map(|n| note(ctx, n)).collect(),
        verified: form.verified,
        row_units: form.has_row_units(),
        xlsx: format!("/emulation/statistics/{short}.xlsx?year={}&unit={}", c.year, crate::html::urlencode(&c.unit.code)),
    }
}

/// Each form's name in the reader's language.
fn form_key(code: &str) -> &'static str {
    match code {
        "0601" => "emulation.statistics.form.0601",
        "0602" => "emulation.statistics.form.0602",
        "0603" => "emulation.statistics.form.0603",
        "0604" => "emulation.statistics.form.0604",
        _ => "emulation.statistics.form.0605",
    }
}

async fn stat_page(state: &AppState, ctx: &Ctx, form: Form, table: Option<Table>) -> Result<StatPage, WebError> {
    let units = st::report_units(&state.app, &ctx.caller).await?;
    let forms = FORM_CODES.iter().map(|c| Opt { value: (*c).into(), label: ctx.t(form_key(c)) }).collect();
    Ok(StatPage {
        p: Page::new(ctx, &ctx.t("emulation.statistics.title")),
        form,
        forms,
        units: units.into_iter().map(|u| Opt { value: u.code, label: u.name }).collect(),
        table,
    })
}

fn input_form(ctx: &Ctx, i: &StatInput) -> Form {
    Form::new(ctx.lang).set("form", &i.form).set("year", &i.year).set("unit", &i.unit)
}

async fn page(State(state): State<AppState>, ctx: Ctx, QueryParams(i): QueryParams<StatInput>) -> Result<Response, WebError> {
    // The first visit: the form with last year's report and the reader's own unit.
    if i.form.is_empty() && i.year.is_empty() && i.unit.is_empty() {
        let caller = &ctx.caller;
        caller.require_account()?;
        let unit = caller.memberships.first().map(|m| m.unit_code.clone()).unwrap_or_default();
        // The report being prepared: this year's from December (its period ends on 30 November,
        // the report is received on 15 December), else last year's.
        let today = danvan_app::cases::today();
        let year = chrono::Datelike::year(&today) - i32::from(chrono::Datelike::month(&today) < 12);
        let i = StatInput { form: FORM_CODES[0].into(), year: year.to_string(), unit };
        return Ok(render(&stat_page(&state, &ctx, input_form(&ctx, &i), None).await?));
    }
    match st::compute_form(&state.app, &ctx.caller, &i).await {
        Ok(c) => {
            let t = table(&ctx, &c);
            Ok(render(&stat_page(&state, &ctx, input_form(&ctx, &i), Some(t)).await?))
        }
        Err(danvan_app::AppError::Invalid(e)) => {
            let form = input_form(&ctx, &i).with_errors(&e);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &stat_page(&state, &ctx, form, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct XlsxQuery {
    year: String,
    unit: String,
}

/// The form as XLSX; `file` is "0601.xlsx" … "0605.xlsx". Bad input comes back as the page
/// with its field errors (422).
async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(file): PathParam<String>,
    QueryParams(q): QueryParams<XlsxQuery>,
) -> Result<Response, WebError> {
    let Some(code) = file.strip_suffix(".xlsx") else { return Err(WebError::NotFound) };
    let i = StatInput { form: code.chars().take(10).collect(), year: q.year, unit: q.unit };
    let c = match st::compute_form(&state.app, &ctx.caller, &i).await {
        Ok(c) => c,
        Err(danvan_app::AppError::Invalid(e)) => {
            let form = input_form(&ctx, &i).with_errors(&e);
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &stat_page(&state, &ctx, form, None).await?));
        }
        Err(e) => return Err(e.into()),
    };
    let bytes = form_xlsx(&c.form, &filled_of(&c)).map_err(|e| WebError::Internal(e.to_string()))?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let unit: String = c.unit.code.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '-' }).collect();
    let name = format!("bieu-{}-{}-{unit}.xlsx", c.form.short_code(), c.year);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}
