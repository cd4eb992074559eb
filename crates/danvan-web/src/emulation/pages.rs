//! The emulation pages: the records one may read, a record (ratings by year, titles, disciplines,
//! initiatives, leave) with the officers' forms to add to it, and the eligibility page.

use super::{award_name, award_options, explain, Explained};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{Form, Opt, Page};
use crate::i18n::Lang;
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::emulation::{self as app_em, EntryInput, InheritedTitle, RecipientRow, RecordRows, SubjectInput};
use danvan_domain::emulation::{DisciplineLevel, Rating, Reach, RecipientKind};
use danvan_domain::Action;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation", index)
        .post("/emulation/records", create)
        .get("/emulation/records/{id}", show)
        .post("/emulation/records/{id}/entries", add_entry)
        .get("/emulation/records/{id}/eligibility", eligibility)
}

pub(crate) fn kind_label(lang: Lang, k: RecipientKind) -> String {
    let key = match k {
        RecipientKind::Individual => "emulation.kind.individual",
        RecipientKind::Collective => "emulation.kind.collective",
        RecipientKind::Household => "emulation.kind.household",
    };
    crate::i18n::t(lang, key)
}

/// Leave (`maternity`, `other`) or an investigation, as stored.
fn period_label(ctx: &Ctx, kind: &str) -> String {
    ctx.t(match kind {
        "maternity" => "emulation.period.maternity",
        "other" => "emulation.period.other",
        _ => "emulation.period.investigation",
    })
}

fn rating_label(lang: Lang, r: Rating) -> &'static str {
    if lang == Lang::Vi {
        r.name_vi()
    } else {
        r.name_en()
    }
}

fn opts<T: Copy>(all: &[T], value: impl Fn(T) -> &'static str, label: impl Fn(T) -> String) -> Vec<Opt> {
    all.iter().map(|x| Opt { value: value(*x).into(), label: label(*x) }).collect()
}

/// A title of a dissolved unit's collective in a successor's history, as the pages show it: the
/// successor, the collective's and its unit's names when awarded, the day the unit ended.
pub(crate) struct InheritedLine {
    pub successor: String,
    pub name: String,
    pub unit: String,
    pub dissolved_on: String,
    pub year: i64,
    pub award: String,
    pub decision: String,
    pub issuer: String,
}

pub(crate) fn inherited_lines(lang: Lang, titles: &[InheritedTitle]) -> Vec<InheritedLine> {
    titles
        .iter()
        .map(|t| InheritedLine {
            successor: t.successor_name.clone(),
            name: t.recipient_name.clone(),
            unit: t.unit_name.clone(),
            dissolved_on: crate::html::date(lang, &t.dissolved_on),
            year: t.year,
            award: award_name(lang, t.award).to_string(),
            decision: format!("{}, {}", t.decision_no, crate::html::date(lang, &t.decided_on)),
            issuer: t.issuer.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "emulation/index.html")]
struct IndexPage {
    p: Page,
    rows: Vec<(i64, String, String, String)>,
    inherited: Vec<InheritedLine>,
    may_record: bool,
    form: Form,
    kinds: Vec<Opt>,
    units: Vec<Opt>,
    officials: Vec<Opt>,
}

async fn index_page(state: &AppState, ctx: &Ctx, form: Form) -> Result<IndexPage, WebError> {
    let rows = app_em::records(&state.app, &ctx.caller)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name, kind_label(ctx.lang, r.kind), r.unit_name))
        .collect();
    let inherited = inherited_lines(ctx.lang, &app_em::inherited_titles(&state.app, &ctx.caller).await?);
    let units = super::unit_picks(state, ctx).await?;
    let officials = super::official_picks(state, ctx).await?;
    Ok(IndexPage {
        units,
        officials,
        p: Page::new(ctx, &ctx.t("emulation.title")),
        rows,
        inherited,
        may_record: app_em::may_record(&ctx.caller),
        form,
        kinds: opts(RecipientKind::ALL, |k| k.as_str(), |k| kind_label(ctx.lang, k)),
    })
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let form = Form::new(ctx.lang).set("kind", "individual");
    Ok(render(&index_page(&state, &ctx, form).await?))
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let input = SubjectInput {
        kind: form.get("kind"),
        name: form.get("name"),
        unit: form.get("unit"),
        woman: form.get("woman"),
        account: form.get("account"),
    };
    match app_em::create_subject(&state.app, &ctx.caller, &input).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, &format!("/emulation/records/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &index_page(&state, &ctx, f).await?))
        }
        Err(e) => Err(e),
    }
}

/// A record's rows as the page shows them.
pub(crate) struct RecordView {
    pub ratings: Vec<(i64, String, bool)>,
    pub titles: Vec<(i64, String, String, String, String)>,
    pub disciplines: Vec<(String, String, String, String)>,
    pub initiatives: Vec<(i64, String, String, String)>,
    pub periods: Vec<(String, String, String)>,
}

fn record_view(ctx: &Ctx, rows: &RecordRows) -> RecordView {
    let lang = ctx.lang;
    let date = |d: &chrono::NaiveDate| crate::html::date(lang, d);
    let until = |d: &Option<chrono::NaiveDate>| d.as_ref().map(date).unwrap_or_else(|| ctx.t("emulation.still_running"));
    RecordView {
        ratings: rows.ratings.iter().map(|r| (r.year, rating_label(lang, r.rating).to_string(), r.in_emulation)).collect(),
        titles: rows
            .titles
            .iter()
            .map(|t| {
                (t.year, award_name(lang, t.award).to_string(), t.decision_no.clone(), date(&t.decided_on), t.issuer.clone())
            })
            .collect(),
        disciplines: rows
            .disciplines
            .iter()
            .map(|d| {
                let level = if lang == Lang::Vi { d.level.name_vi() } else { d.level.name_en() };
                (level.to_string(), date(&d.from_day), until(&d.to_day), d.decision_no.clone())
            })
            .collect(),
        initiatives: rows
            .initiatives
            .iter()
            .map(|i| {
                let reach = if lang == Lang::Vi { i.reach.name_vi() } else { i.reach.name_en() };
                let used = i.used_for.map(|a| award_name(lang, a).to_string()).unwrap_or_default();
                (i.year, i.name.clone(), reach.to_string(), used)
            })
            .collect(),
        periods: rows.periods.iter().map(|p| (period_label(ctx, &p.kind), date(&p.from_day), until(&p.to_day))).collect(),
    }
}

#[derive(Template)]
#[template(path = "emulation/record.html")]
struct RecordPage {
    p: Page,
    r: RecipientRow,
    kind: String,
    v: RecordView,
    inherited: Vec<InheritedLine>,
    can_write: bool,
    /// The form that was sent with errors (its entry kind), refilled; the others are blank.
    active: String,
    form: Form,
    blank: Form,
    ratings: Vec<Opt>,
    awards: Vec<Opt>,
    levels: Vec<Opt>,
    reaches: Vec<Opt>,
    leaves: Vec<Opt>,
}

impl RecordPage {
    /// The form of one kind of entry, its fields' ids prefixed by the kind: the page holds five
    /// forms that share field names (year, decision number…).
    fn f(&self, entry: &str) -> Form {
        let form = if self.active == entry { &self.form } else { &self.blank };
        form.clone().scoped(entry).with_labels(&[
            ("year", "emulation.field.year"),
            ("rating", "emulation.field.rating"),
            ("award", "emulation.field.award"),
            ("decision_no", "emulation.field.decision_no"),
            ("decided_on", "emulation.field.decided_on"),
            ("issuer", "emulation.field.issuer"),
            ("from", "emulation.field.from"),
            ("to", "emulation.field.to"),
            ("level", "emulation.field.level"),
            ("reach", "emulation.field.reach"),
            ("kind", "emulation.field.leave"),
            ("name", if entry == "initiative" { "emulation.field.initiative" } else { "emulation.field.name" }),
        ])
    }
}

async fn record_page(state: &AppState, ctx: &Ctx, id: i64, active: &str, form: Form) -> Result<RecordPage, WebError> {
    let (r, rows) = app_em::record(&state.app, &ctx.caller, id).await?;
    let lang = ctx.lang;
    let can_write = app_em::authorize_record(&ctx.caller, &r, Action::Update).is_ok();
    let inherited = inherited_lines(lang, &app_em::record_history(&state.app, &ctx.caller, &r).await?);
    let level = |l: DisciplineLevel| (if lang == Lang::Vi { l.name_vi() } else { l.name_en() }).to_string();
    let reach = |x: Reach| (if lang == Lang::Vi { x.name_vi() } else { x.name_en() }).to_string();
    Ok(RecordPage {
        p: Page::new(ctx, &r.name),
        kind: kind_label(lang, r.kind),
        v: record_view(ctx, &rows),
        inherited,
        r,
        can_write,
        active: active.into(),
        form,
        blank: Form::new(lang),
        // No rating picked until one is chosen (the first would be "không hoàn thành").
        ratings: std::iter::once(Opt { value: String::new(), label: ctx.t("emulation.choose_rating") })
            .chain(opts(Rating::ALL, |x| x.as_str(), |x| rating_label(lang, x).to_string()))
            .collect(),
        awards: award_options(lang),
        levels: opts(DisciplineLevel::ALL, |x| x.as_str(), level),
        reaches: opts(Reach::ALL, |x| x.as_str(), reach),
        leaves: ["maternity", "other"].iter().map(|k| Opt { value: (*k).into(), label: period_label(ctx, k) }).collect(),
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let form = Form::new(ctx.lang);
    Ok(render(&record_page(&state, &ctx, id, "", form).await?))
}

pub(crate) fn entry_input(form: &FormData) -> EntryInput {
    EntryInput {
        entry: form.get("entry"),
        year: form.get("year"),
        rating: form.get("rating"),
        // An unticked box is not sent: no part in the year's emulation movement.
        in_emulation: if form.get("entry") == "rating" && form.get("in_emulation").is_empty() {
            "false".into()
        } else {
            form.get("in_emulation")
        },
        award: form.get("award"),
        decision_no: form.get("decision_no"),
        decided_on: form.get("decided_on"),
        issuer: form.get("issuer"),
        level: form.get("level"),
        from: form.get("from"),
        to: form.get("to"),
        name: form.get("name"),
        reach: form.get("reach"),
        used_for: form.get("used_for"),
        kind: form.get("kind"),
        member: form.get("member"),
    }
}

async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    match app_em::record_entry(&state.app, &ctx.caller, id, &entry_input(&form)).await.map_err(WebError::from) {
        Ok(_) => Ok(redirect_with(&ctx, &format!("/emulation/records/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            let page = record_page(&state, &ctx, id, &form.get("entry"), f).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "emulation/eligibility.html")]
struct EligibilityPage {
    p: Page,
    r: RecipientRow,
    form: Form,
    awards: Vec<Opt>,
    /// The award and year judged, and the verdict.
    asked: Option<(String, i32)>,
    verdict: Option<Explained>,
}

async fn eligibility(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (r, _) = app_em::record(&state.app, &ctx.caller, id).await?;
    let award = q.get("award").cloned().unwrap_or_default();
    let year = q.get("year").cloned().unwrap_or_default();
    let mut form = Form::new(ctx.lang).set("award", &award).set("year", &year);
    let (mut asked, mut verdict, mut status) = (None, None, StatusCode::OK);
    if !award.is_empty() || !year.is_empty() {
        match app_em::parse_nomination(&award, &year) {
            Ok((a, y)) => {
                let v = app_em::check_eligibility(&state.app, &ctx.caller, id, a, y).await?;
                verdict = Some(explain(ctx.lang, &v));
                asked = Some((award_name(ctx.lang, a).to_string(), y));
            }
            Err(e) => {
                form = form.with_errors(&e);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
        }
    }
    let page = EligibilityPage {
        p: Page::new(&ctx, &format!("{} — {}", ctx.t("emulation.eligibility"), r.name)),
        r,
        form,
        awards: award_options(ctx.lang),
        asked,
        verdict,
    };
    Ok(render_status(status, &page))
}
