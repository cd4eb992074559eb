//! "Dân vận khéo" model practices and exemplars for officials: the list, registration and edits,
//! the model's page with the appraisers' scores, the steering committee's decision, replications
//! and photos. The public gallery and the field teams are in `gallery.rs`; the API in
//! `models_api.rs`.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, Form, Opt, Page};
use crate::i18n::{self, Lang};
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::uploads::UploadForm;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::emulation::models::{self as app_m, ModelDetail, ModelInput, ModelRow};
use danvan_domain::emulation::models::{self as dm, Criterion, ModelField, ModelKind, ModelStatus, Recognition};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/models", list)
        .get("/emulation/models/new", new_form)
        .post("/emulation/models", create)
        .get("/emulation/models/{id}", show)
        .get("/emulation/models/{id}/edit", edit_form)
        .post("/emulation/models/{id}/edit", update)
        .post("/emulation/models/{id}/scores", score)
        .post("/emulation/models/{id}/decision", decide)
        .post("/emulation/models/{id}/replications", replicate)
}

/// Photos come as multipart bodies: the router gives them the upload limit.
pub fn upload_routes() -> Routes {
    Routes::new().post("/emulation/models/{id}/photos", photos)
}

pub(crate) fn field_label(lang: Lang, f: ModelField) -> String {
    i18n::t(lang, crate::labels::model_field(f))
}

pub(crate) fn kind_label(lang: Lang, k: ModelKind) -> String {
    i18n::t(
        lang,
        match k {
            ModelKind::Model => "model.kinds.model",
            ModelKind::Exemplar => "model.kinds.exemplar",
        },
    )
}

pub(crate) fn criterion_label(lang: Lang, c: Criterion) -> String {
    i18n::t(
        lang,
        match c {
            Criterion::Forces => "model.criteria.forces",
            Criterion::Effect => "model.criteria.effect",
            Criterion::Support => "model.criteria.support",
            Criterion::LocalTask => "model.criteria.local_task",
            Criterion::Sustainable => "model.criteria.sustainable",
        },
    )
}

pub(crate) fn status_label(lang: Lang, s: ModelStatus) -> String {
    i18n::t(
        lang,
        match s {
            ModelStatus::Registered => "model.status.registered",
            ModelStatus::Appraising => "model.status.appraising",
            ModelStatus::Recognised => "model.status.recognised",
            ModelStatus::NotRecognised => "model.status.not_recognised",
        },
    )
}

fn decision_status(d: Recognition) -> ModelStatus {
    match d {
        Recognition::Recognised => ModelStatus::Recognised,
        Recognition::NotRecognised => ModelStatus::NotRecognised,
    }
}

pub(crate) fn points(lang: Lang, tenths: i64) -> String {
    dm::tenths(tenths, lang == Lang::Vi)
}

pub(crate) fn field_options(lang: Lang) -> Vec<Opt> {
    ModelField::ALL.iter().map(|f| Opt { value: f.as_str().into(), label: field_label(lang, *f) }).collect()
}

pub(crate) fn kind_options(lang: Lang) -> Vec<Opt> {
    ModelKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: kind_label(lang, *k) }).collect()
}

/// A model as every page shows it (no contact data: none is kept).
pub(crate) struct Card {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub place: String,
    pub field: String,
    pub owner: String,
    pub registered: String,
    pub year: i64,
    pub description: String,
    pub people: String,
    pub results: String,
    pub status: String,
    /// The badge's class for the status.
    pub badge: &'static str,
    /// "Recognised — 12/QĐ-BCĐ, 20/05/2026"
    pub decision: String,
    pub cover: Option<i64>,
}

pub(crate) fn card(lang: Lang, r: &ModelRow) -> Card {
    let status = dm::status(r.decision, usize::try_from(r.appraisers).unwrap_or(0));
    let decision = match (r.decision, &r.decided_on, &r.decision_ref) {
        (Some(d), Some(on), Some(no)) => {
            format!("{} — {}, {}", status_label(lang, decision_status(d)), no, crate::html::date(lang, on))
        }
        _ => String::new(),
    };
    let owner =
        if r.owner_name.is_empty() { r.owner_unit_name.clone() } else { format!("{} ({})", r.owner_name, r.owner_unit_name) };
    Card {
        id: r.id,
        kind: kind_label(lang, r.kind),
        name: r.name.clone(),
        place: r.place.clone(),
        field: field_label(lang, r.field),
        owner,
        registered: r.registered_unit_name.clone(),
        year: r.year,
        description: r.description.clone(),
        people: i18n::number(lang, r.people_mobilised),
        results: r.results.clone(),
        status: status_label(lang, status),
        badge: badge(status),
        decision,
        cover: r.cover_photo,
    }
}

#[derive(Template)]
#[template(path = "emulation/models.html")]
struct ListPage {
    p: Page,
    cards: Vec<Card>,
    pager: String,
    may_register: bool,
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let page = crate::extract::page_number(q.get("page").and_then(|s| s.parse().ok()));
    let (rows, total) = app_m::models(&state.app, &ctx.caller, page).await?;
    Ok(render(&ListPage {
        p: Page::new(&ctx, &ctx.t("model.title")),
        cards: rows.iter().map(|r| card(ctx.lang, r)).collect(),
        pager: pagination(ctx.lang, "/emulation/models", &[], page, 50, total),
        may_register: app_m::may_register(&ctx.caller),
    }))
}

#[derive(Template)]
#[template(path = "emulation/model_form.html")]
struct FormPage {
    p: Page,
    /// Where the form posts.
    action: String,
    form: Form,
    fields: Vec<Opt>,
    kinds: Vec<Opt>,
    units: Vec<Opt>,
}

async fn form_page(state: &AppState, ctx: &Ctx, title: &str, action: String, form: Form) -> Result<FormPage, WebError> {
    let units = super::unit_picks(state, ctx).await?;
    Ok(FormPage { p: Page::new(ctx, title), action, form, fields: field_options(ctx.lang), kinds: kind_options(ctx.lang), units })
}

fn input_form(lang: Lang, i: &ModelInput) -> Form {
    Form::new(lang)
        .set("kind", &i.kind)
        .set("name", &i.name)
        .set("place", &i.place)
        .set("field", &i.field)
        .set("owner_unit", &i.owner_unit)
        .set("owner_name", &i.owner_name)
        .set("recipient", &i.recipient)
        .set("registered_unit", &i.registered_unit)
        .set("year", &i.year)
        .set("description", &i.description)
        .set("people_mobilised", &i.people_mobilised)
        .set("results", &i.results)
}

fn model_input(f: &FormData) -> ModelInput {
    ModelInput {
        kind: f.get("kind"),
        name: f.get("name"),
        place: f.get("place"),
        field: f.get("field"),
        owner_unit: f.get("owner_unit"),
        owner_name: f.get("owner_name"),
        recipient: f.get("recipient"),
        registered_unit: f.get("registered_unit"),
        year: f.get("year"),
        description: f.get("description"),
        people_mobilised: f.get("people_mobilised"),
        results: f.get("results"),
    }
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    ctx.caller.require_account()?;
    if !app_m::may_register(&ctx.caller) {
        return Err(WebError::Forbidden);
    }
    let form = Form::new(ctx.lang).set("kind", "model").set("year", app_m::today().format("%Y"));
    Ok(render(&form_page(&state, &ctx, &ctx.t("model.register"), "/emulation/models".into(), form).await?))
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match app_m::register_model(&state.app, &ctx.caller, &model_input(&form)).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, &format!("/emulation/models/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page =
                form_page(&state, &ctx, &ctx.t("model.register"), "/emulation/models".into(), refill(&ctx, &form, &e, &[]))
                    .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let (row, access) = app_m::model_for(&state.app, &ctx.caller, id).await?;
    if !access.edit {
        return Err(WebError::Forbidden);
    }
    let form = input_form(ctx.lang, &app_m::input_of(&row));
    Ok(render(&form_page(&state, &ctx, &row.name, format!("/emulation/models/{id}/edit"), form).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    match app_m::update_model(&state.app, &ctx.caller, id, &model_input(&form)).await.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/emulation/models/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) | Err(WebError::Conflict(e)) => {
            let action = format!("/emulation/models/{id}/edit");
            let page = form_page(&state, &ctx, &ctx.t("model.edit"), action, refill(&ctx, &form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

/// A criterion as the appraisal table shows it: its form field, its name, its mean.
pub(crate) struct Crit {
    pub code: &'static str,
    pub label: String,
    pub mean: String,
}

/// One appraiser's line: name, points per criterion, total.
pub(crate) struct ScoreLine {
    pub name: String,
    pub points: Vec<i64>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "emulation/model.html")]
struct ModelPage {
    p: Page,
    c: Card,
    d: ModelDetail,
    criteria: Vec<Crit>,
    lines: Vec<ScoreLine>,
    mean: String,
    max_points: i32,
    /// The form sent with errors, refilled; the others start blank (or from the caller's scores).
    active: String,
    form: Form,
    blank: Form,
    mine: Form,
    decisions: Vec<Opt>,
    replications: Vec<(String, i64, String)>,
    units: Vec<Opt>,
}

impl ModelPage {
    /// One of the page's forms, its fields' ids prefixed by its name (they share field names).
    fn f(&self, name: &str) -> Form {
        let form = if self.active == name {
            &self.form
        } else if name == "scores" {
            &self.mine
        } else {
            &self.blank
        };
        form.clone().scoped(name)
    }
}

async fn model_page(state: &AppState, ctx: &Ctx, id: i64, active: &str, form: Form) -> Result<ModelPage, WebError> {
    let d = app_m::model_detail(&state.app, &ctx.caller, id).await?;
    let lang = ctx.lang;
    let me = ctx.caller.account.as_ref().map(|a| a.id);
    let mut lines: Vec<ScoreLine> = vec![];
    let mut mine = Form::new(lang);
    for s in &d.scores {
        if Some(s.appraiser_id) == me {
            mine = mine.set(s.criterion.as_str(), s.points);
        }
        let at = Criterion::ALL.iter().position(|c| *c == s.criterion).unwrap_or(0);
        match lines.last_mut() {
            Some(l) if l.name == s.appraiser_name => {
                l.points[at] = s.points;
                l.total += s.points;
            }
            _ => {
                let mut points = vec![0; Criterion::ALL.len()];
                points[at] = s.points;
                lines.push(ScoreLine { name: s.appraiser_name.clone(), points, total: s.points });
            }
        }
    }
    let criteria = Criterion::ALL
        .iter()
        .map(|c| {
            let mean = d
                .appraisal
                .as_ref()
                .and_then(|a| a.per_criterion_tenths.iter().find(|(x, _)| x == c))
                .map(|(_, v)| points(lang, *v))
                .unwrap_or_default();
            Crit { code: c.as_str(), label: criterion_label(lang, *c), mean }
        })
        .collect();
    let mean = d.appraisal.as_ref().map(|a| points(lang, a.mean_total_tenths)).unwrap_or_default();
    let decisions = Recognition::ALL
        .iter()
        .map(|r| Opt { value: r.as_str().into(), label: status_label(lang, decision_status(*r)) })
        .collect();
    let replications = d.replications.iter().map(|r| (r.unit_name.clone(), r.year, r.note.clone())).collect();
    let units = super::unit_picks(state, ctx).await?;
    Ok(ModelPage {
        units,
        p: Page::new(ctx, &d.model.name),
        c: card(lang, &d.model),
        criteria,
        lines,
        mean,
        max_points: dm::MAX_POINTS,
        active: active.into(),
        form,
        blank: Form::new(lang).set("decided_on", app_m::today()),
        mine,
        decisions,
        replications,
        d,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&model_page(&state, &ctx, id, "", Form::new(ctx.lang)).await?))
}

/// After a model's form: back to the model, or its page again with the form's errors.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    name: &str,
    form: &FormData,
    done: Result<(), danvan_app::AppError>,
) -> Result<Response, WebError> {
    match done.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(ctx, &format!("/emulation/models/{id}#{name}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = model_page(state, ctx, id, name, refill(ctx, form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(WebError::Conflict(e)) => {
            let page = model_page(state, ctx, id, name, refill(ctx, form, &e, &[])).await?;
            Ok(render_status(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e),
    }
}

async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let done = app_m::score_model(&state.app, &ctx.caller, id, |k| form.get(k)).await.map(|_| ());
    after(&state, &ctx, id, "scores", &form, done).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let done = app_m::decide_model(
        &state.app,
        &ctx.caller,
        id,
        &form.get("decision"),
        &form.get("decided_on"),
        &form.get("decision_ref"),
    )
    .await;
    after(&state, &ctx, id, "decision", &form, done).await
}

async fn replicate(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let done = app_m::add_replication(&state.app, &ctx.caller, id, &form.get("unit"), &form.get("year"), &form.get("note")).await;
    after(&state, &ctx, id, "replications", &form, done).await
}

async fn photos(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    req: axum::extract::Request,
) -> Result<Response, WebError> {
    // The body (up to 55 MB) is read only once the caller is known to keep the model.
    let (_, access) = app_m::model_for(&state.app, &ctx.caller, id).await?;
    if !access.replicate {
        return Err(WebError::Forbidden);
    }
    let UploadForm { form, files, permit: _permit } =
        <UploadForm as axum::extract::FromRequest<AppState>>::from_request(req, &state).await?;
    let done = app_m::add_photos(&state.app, &ctx.caller, id, files).await;
    after(&state, &ctx, id, "photos", &form, done).await
}

/// The class of a status's badge.
fn badge(status: ModelStatus) -> &'static str {
    match status {
        ModelStatus::Recognised => "badge-ok",
        ModelStatus::NotRecognised => "badge-danger",
        ModelStatus::Appraising => "badge-warn",
        ModelStatus::Registered => "badge-muted",
    }
}
