//! The festival's page: the public showcase of recognised "Dân vận khéo" models and exemplars, by
//! field and year, with a diacritic-insensitive search; a recognised model's page; the models'
//! photos (public once the model is recognised, otherwise only for whoever may read it). And the
//! field teams of appraisers, for the units' emulation officers and leaders.

use super::models::{card, criterion_label, field_label, field_options, kind_options, points, Card};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, Form, Opt, Page};
use crate::i18n;
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::emulation::gallery::{self as app_g, GalleryQuery, GALLERY_PAGE};
use danvan_domain::emulation::models::ModelField;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/dan-van-kheo", gallery)
        .get("/dan-van-kheo/{id}", public_model)
        .get("/dan-van-kheo/photos/{id}", photo)
        .get("/dan-van-kheo/photos/{id}/thumb", photo_thumb)
        .get("/emulation/models/teams", teams)
        .post("/emulation/models/teams", add_appraiser)
        .post("/emulation/models/teams/remove", remove_appraiser)
}

#[derive(Template)]
#[template(path = "emulation/gallery.html")]
struct GalleryPage {
    p: Page,
    form: Form,
    fields: Vec<Opt>,
    kinds: Vec<Opt>,
    years: Vec<Opt>,
    /// Per field: its name and its models (all fields when none is chosen).
    sections: Vec<(String, Vec<Card>)>,
    total_label: String,
    pager: String,
    q_cut: bool,
}

async fn gallery(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let page = crate::extract::page_number(get("page").parse().ok());
    let query = GalleryQuery { field: get("field"), kind: get("kind"), year: get("year"), q: get("q"), page };
    let mut form =
        Form::new(ctx.lang).set("field", get("field")).set("kind", get("kind")).set("year", get("year")).set("q", get("q"));
    let (rows, total, status) = match app_g::gallery(&state.app, &query).await {
        Ok((rows, total)) => (rows, total, StatusCode::OK),
        Err(danvan_app::AppError::Invalid(e)) => {
            form = form.with_errors(&e);
            (vec![], 0, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(e.into()),
    };
    let mut sections: Vec<(String, Vec<Card>)> = vec![];
    for f in ModelField::ALL {
        let cards: Vec<Card> = rows.iter().filter(|r| r.field == *f).map(|r| card(ctx.lang, r)).collect();
        if !cards.is_empty() {
            sections.push((field_label(ctx.lang, *f), cards));
        }
    }
    let all = || vec![Opt { value: String::new(), label: ctx.t("gallery.all") }];
    let mut years = all();
    years.extend(app_g::gallery_years(&state.app).await?.into_iter().map(|y| Opt { value: y.to_string(), label: y.to_string() }));
    let mut fields = all();
    fields.extend(field_options(ctx.lang));
    let mut kinds = all();
    kinds.extend(kind_options(ctx.lang));
    let params = [("field", get("field")), ("kind", get("kind")), ("year", get("year")), ("q", get("q"))];
    let page = GalleryPage {
        p: Page::new(&ctx, &ctx.t("gallery.title")),
        form,
        fields,
        kinds,
        years,
        sections,
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/dan-van-kheo", &params, page, GALLERY_PAGE, total),
        q_cut: danvan_domain::text::search_is_cut(&get("q")),
    };
    Ok(render_status(status, &page))
}

#[derive(Template)]
#[template(path = "emulation/gallery_model.html")]
struct PublicModelPage {
    p: Page,
    c: Card,
    /// Criterion, mean; the mean total and the number of appraisers.
    criteria: Vec<(String, String)>,
    mean: String,
    appraisers: usize,
    replications: Vec<(String, i64, String)>,
    photos: Vec<i64>,
}

async fn public_model(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let m = app_g::public_model(&state.app, id).await?;
    let lang = ctx.lang;
    let (criteria, mean, appraisers) = match &m.appraisal {
        Some(a) => (
            a.per_criterion_tenths.iter().map(|(c, v)| (criterion_label(lang, *c), points(lang, *v))).collect(),
            points(lang, a.mean_total_tenths),
            a.appraisers,
        ),
        None => (vec![], String::new(), 0),
    };
    Ok(render(&PublicModelPage {
        p: Page::new(&ctx, &m.model.name),
        c: card(lang, &m.model),
        criteria,
        mean,
        appraisers,
        replications: m.replications.iter().map(|r| (r.unit_name.clone(), r.year, r.note.clone())).collect(),
        photos: m.photos.iter().map(|p| p.id).collect(),
    }))
}

async fn photo(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    serve_photo(&state, &ctx, id, false).await
}

async fn photo_thumb(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    serve_photo(&state, &ctx, id, true).await
}

/// A model's photo (already re-encoded as JPEG without metadata when it was uploaded): public
/// once the model is recognised, else only to whoever may read the model (404 to the others).
async fn serve_photo(state: &AppState, ctx: &Ctx, id: i64, thumb: bool) -> Result<Response, WebError> {
    let (p, public) = app_g::model_photo(&state.app, &ctx.caller, id).await?;
    let key = if thumb { &p.thumb_key } else { &p.storage_key };
    let cache = if public { "public, max-age=3600" } else { "private, max-age=3600" };
    let etag = format!("{}{}", &p.sha256[..p.sha256.len().min(32)], if thumb { "t" } else { "" });
    crate::uploads::serve_upload(state, key, "image/jpeg", &p.file_name, &etag, cache).await
}

#[derive(Template)]
#[template(path = "emulation/teams.html")]
struct TeamsPage {
    p: Page,
    /// (unit code, unit name, field code, field label, username, full name)
    rows: Vec<(String, String, String, String, String, String)>,
    form: Form,
    fields: Vec<Opt>,
    units: Vec<Opt>,
    officials: Vec<Opt>,
}

async fn teams_page(state: &AppState, ctx: &Ctx, form: Form) -> Result<TeamsPage, WebError> {
    let rows = app_g::appraisers(&state.app, &ctx.caller)
        .await?
        .into_iter()
        .map(|r| {
            let label = field_label(ctx.lang, r.field);
            (r.unit_code, r.unit_name, r.field.as_str().to_string(), label, r.username, r.full_name)
        })
        .collect();
    let units = super::unit_picks(state, ctx).await?;
    let officials = super::official_picks(state, ctx).await?;
    Ok(TeamsPage { p: Page::new(ctx, &ctx.t("model.teams")), rows, form, fields: field_options(ctx.lang), units, officials })
}

async fn teams(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    Ok(render(&teams_page(&state, &ctx, Form::new(ctx.lang)).await?))
}

async fn set_appraiser(state: AppState, ctx: Ctx, form: FormData, on_team: bool) -> Result<Response, WebError> {
    let done =
        app_g::set_appraiser(&state.app, &ctx.caller, &form.get("unit"), &form.get("field"), &form.get("account"), on_team).await;
    match done.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, "/emulation/models/teams", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = teams_page(&state, &ctx, refill(&ctx, &form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn add_appraiser(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    set_appraiser(state, ctx, form, true).await
}

async fn remove_appraiser(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    set_appraiser(state, ctx, form, false).await
}
