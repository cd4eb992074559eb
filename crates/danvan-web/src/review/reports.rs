//! Review reports as pages: the list and a new draft (`/review/reports`), a draft with its
//! narrative parts, its versions and its generations (`/review/reports/{id}`), a saved version
//! (`…/versions/{v}`), a generation's progress — refreshed by the page itself while it runs, no
//! JavaScript needed — and its documents (`…/runs/{run}`, PDF, DOCX and XLSX in `report_files.rs`).

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Opt, Page};
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::review::{self as app_rev, ReportView};
use danvan_app::review::{ReportRow, RunRow};
use danvan_domain::authz::Resource;
use danvan_domain::indicators::YearMonth;
use danvan_domain::review::{place_of, signing, Issuer, ReportContent, ReportForm, Section};
use danvan_domain::Action;

pub fn routes() -> Routes {
    Routes::new()
        .get("/review/reports", index)
        .post("/review/reports", create)
        .get("/review/reports/{id}", show)
        .post("/review/reports/{id}", save)
        .post("/review/reports/{id}/generate", generate)
        .get("/review/reports/{id}/versions/{version}", version_page)
        .get("/review/reports/{id}/runs/{run}", run_page)
}

/// The form's values of a draft.
pub(crate) fn report_form(f: &FormData) -> ReportForm {
    ReportForm {
        kind: f.get("kind"),
        issuer: f.get("issuer"),
        title: f.get("title"),
        from: f.get("from"),
        to: f.get("to"),
        place: f.get("place"),
        on_behalf: f.get("on_behalf"),
        signer_title: f.get("signer_title"),
        signer_name: f.get("signer_name"),
        recipients: f.get("recipients"),
        sections: Section::ALL.iter().map(|s| (s.as_str().to_string(), f.get(&format!("section_{}", s.as_str())))).collect(),
    }
}

fn month(k: i32) -> String {
    YearMonth::from_key(k).map(|m| m.to_string()).unwrap_or_default()
}

fn filled(lang: crate::i18n::Lang, c: &ReportContent) -> Form {
    let mut f = Form::new(lang)
        .set("kind", c.kind.as_str())
        .set("issuer", c.issuer.as_str())
        .set("title", &c.title)
        .set("from", month(c.from))
        .set("to", month(c.to))
        .set("place", &c.place)
        .set("on_behalf", &c.on_behalf)
        .set("signer_title", &c.signer_title)
        .set("signer_name", &c.signer_name)
        .set("recipients", c.recipients.join("\n"));
    for s in Section::ALL {
        f = f.set(&format!("section_{}", s.as_str()), c.sections.get(s).cloned().unwrap_or_default());
    }
    f
}

/// The message keys of a part's label and hint.
fn section_keys(s: Section) -> (&'static str, &'static str) {
    match s {
        Section::Situation => ("review.section.situation", "review.section_hint.situation"),
        Section::Results => ("review.section.results", "review.section_hint.results"),
        Section::Assessment => ("review.section.assessment", "review.section_hint.assessment"),
        Section::Lessons => ("review.section.lessons", "review.section_hint.lessons"),
        Section::Directions => ("review.section.directions", "review.section_hint.directions"),
        Section::Proposals => ("review.section.proposals", "review.section_hint.proposals"),
    }
}

/// The message key of a run's status.
fn run_status_key(status: &str) -> &'static str {
    match status {
        "queued" => "review.run.queued",
        "running" => "review.run.running",
        "done" => "review.run.done",
        _ => "review.run.failed",
    }
}

/// The choices of the draft form.
pub(crate) struct Choices {
    kinds: Vec<Opt>,
    issuers: Vec<Opt>,
    sections: Vec<(String, String, String)>,
}

fn choices(ctx: &Ctx) -> Choices {
    let opt = |v: &str, k: &str| Opt { value: v.into(), label: ctx.t(k) };
    Choices {
        kinds: vec![opt("final", "review.kind.final"), opt("interim", "review.kind.interim")],
        issuers: vec![opt("unit", "review.issuer.unit"), opt("party", "review.issuer.party")],
        sections: Section::ALL
            .iter()
            .map(|s| {
                let (label, hint) = section_keys(*s);
                (format!("section_{}", s.as_str()), ctx.t(label), ctx.t(hint))
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "review/reports.html")]
struct IndexPage {
    p: Page,
    rows: Vec<ReportRow>,
    units: Vec<Opt>,
    c: Choices,
    form: Form,
}

impl IndexPage {
    fn period(&self, r: &ReportRow) -> String {
        format!("{} – {}", month(r.from_month), month(r.to_month))
    }
}

async fn index_page(state: &AppState, ctx: &Ctx, form: Option<Form>) -> Result<IndexPage, WebError> {
    let rows = app_rev::reports(&state.app, &ctx.caller).await?;
    let units: Vec<Opt> = ctx
        .caller
        .memberships
        .iter()
        .filter(|m| ctx.caller.authorize(Action::Handle, Resource::ReviewReport { unit_ancestry: &m.unit_ancestry() }).is_ok())
        .map(|m| Opt { value: m.unit_code.clone(), label: format!("{} ({})", m.unit_name, m.unit_code) })
        .collect();
    let this_year = YearMonth::of(danvan_app::cases::today()).year;
    // Ready to create in one click: the caller's broadest unit, the last three years, the usual
    // subject, the place named after the unit, the caller as signer.
    let first = ctx
        .caller
        .memberships
        .iter()
        .filter(|m| units.iter().any(|u| u.value == m.unit_code))
        .min_by_key(|m| m.unit_ancestry().len());
    let place = first.map(|m| place_of(&m.unit_name)).unwrap_or_default();
    let signer = ctx.caller.account.as_ref().map(|a| a.full_name.clone()).unwrap_or_default();
    let (on_behalf, signer_title) = match first {
        Some(m) => signing(Issuer::Unit, danvan_app::org::queries::get_unit(&state.app, m.unit_id).await?.kind),
        None => ("", "CHỦ TỊCH"),
    };
    let default = || {
        Form::new(ctx.lang)
            .set("kind", "final")
            .set("issuer", "unit")
            .set("title", format!("công tác dân vận giai đoạn {} – {this_year}", this_year - 2))
            .set("from", format!("{}-01", this_year - 2))
            .set("to", format!("{this_year}-12"))
            .set("unit", first.map(|m| m.unit_code.clone()).unwrap_or_default())
            .set("place", &place)
            .set("on_behalf", on_behalf)
            .set("signer_title", signer_title)
            .set("signer_name", &signer)
    };
    Ok(IndexPage {
        p: Page::new(ctx, &ctx.t("review.reports")),
        rows,
        c: choices(ctx),
        form: form.unwrap_or_else(default),
        units,
    })
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    Ok(render(&index_page(&state, &ctx, None).await?))
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match app_rev::create_report(&state.app, &ctx.caller, &form.get("unit"), &report_form(&form)).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, &format!("/review/reports/{id}"), "review.created", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &index_page(&state, &ctx, Some(f)).await?))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "review/report.html")]
struct ReportPage {
    p: Page,
    v: ReportView,
    c: Choices,
    form: Form,
    /// The latest finished run the reader may download.
    latest_done: Option<i64>,
}

impl ReportPage {
    fn period(&self) -> String {
        format!("{} – {}", month(self.v.report.from_month), month(self.v.report.to_month))
    }
    fn run_status(&self, r: &RunRow) -> String {
        self.p.t(run_status_key(&r.status))
    }
}

async fn report_page(state: &AppState, ctx: &Ctx, id: i64, form: Option<Form>) -> Result<ReportPage, WebError> {
    let v = app_rev::report(&state.app, &ctx.caller, id).await?;
    let form = form.unwrap_or_else(|| filled(ctx.lang, &v.content).set("base", v.report.version));
    let latest_done = v.runs.iter().find(|r| r.status == "done").map(|r| r.id);
    let title = format!("{} {}", v.content.kind.name_vi(), v.content.title);
    Ok(ReportPage { p: Page::new(ctx, &title), v, c: choices(ctx), form, latest_done })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&report_page(&state, &ctx, id, None).await?))
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let base: i64 = form.get("base").trim().parse().unwrap_or(-1);
    match app_rev::save_report(&state.app, &ctx.caller, id, base, &report_form(&form)).await.map_err(WebError::from) {
        Ok(v) => Ok(redirect_with(&ctx, &format!("/review/reports/{id}"), "review.saved", &[("version", v.to_string())])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &report_page(&state, &ctx, id, Some(f)).await?))
        }
        Err(WebError::Conflict(e)) => {
            // Someone saved meanwhile: the text typed stays in the form, to copy over.
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::CONFLICT, &report_page(&state, &ctx, id, Some(f)).await?))
        }
        Err(e) => Err(e),
    }
}

async fn generate(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    match app_rev::generate_report(&state.app, &ctx.caller, id).await.map_err(WebError::from) {
        Ok(run) => Ok(redirect_with(&ctx, &format!("/review/reports/{id}/runs/{run}"), "review.generating", &[])),
        Err(WebError::Conflict(e)) => {
            // The draft as saved stays in its form, the refusal above it.
            let v = app_rev::report(&state.app, &ctx.caller, id).await?;
            let f = filled(ctx.lang, &v.content).set("base", v.report.version).with_errors(&e);
            Ok(render_status(StatusCode::CONFLICT, &report_page(&state, &ctx, id, Some(f)).await?))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "review/version.html")]
struct VersionPage {
    p: Page,
    id: i64,
    saved: String,
    content: ReportContent,
    sections: Vec<(String, String)>,
}

async fn version_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, number)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    let (r, v, content) = app_rev::report_version(&state.app, &ctx.caller, id, number).await?;
    let sections =
        Section::ALL.iter().filter_map(|s| content.sections.get(s).map(|t| (ctx.t(section_keys(*s).0), t.clone()))).collect();
    let title = crate::i18n::tf(ctx.lang, "review.version_of", &[("version", &number.to_string()), ("title", &r.title)]);
    let saved = format!("{} · {}", v.saved_by_name, crate::html::datetime(ctx.lang, &v.saved_at));
    Ok(render(&VersionPage { p: Page::new(&ctx, &title), id, saved, content, sections }))
}

#[derive(Template)]
#[template(path = "review/run.html")]
struct RunPage {
    p: Page,
    id: i64,
    run: RunRow,
    summary: Vec<(String, String)>,
}

impl RunPage {
    fn status_text(&self) -> String {
        self.p.t(run_status_key(&self.run.status))
    }
}

async fn run_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, run)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    let row = app_rev::report_run(&state.app, &ctx.caller, id, run).await?;
    let mut summary = vec![];
    if row.status == "done" {
        let d = app_rev::report_document(&state.app, &ctx.caller, id, run).await?;
        let f = d.figures.total.case_figures();
        for def in danvan_domain::indicators::CATALOGUE {
            let name = super::api::name_of(ctx.lang, def.name_vi, def.name_en);
            summary.push((name, crate::i18n::indicator_value(ctx.lang, def.key, f.value(def.key))));
        }
    }
    let title = ctx.t("review.run.title");
    Ok(render(&RunPage { p: Page::new(&ctx, &title), id, run: row, summary }))
}
