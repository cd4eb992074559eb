//! "Dân vận khéo" models in the JSON API (read): the models the caller may read, one model with
//! its appraisal, and the public list of recognised models (no sign-in).

use super::models::{field_label, kind_label};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use danvan_app::emulation::gallery::{self as app_g, GalleryQuery};
use danvan_app::emulation::models::{self as app_m, ModelRow};
use danvan_domain::emulation::models::{self as dm, Appraisal};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

type ApiResult<T> = Result<T, WebError>;

#[derive(Serialize, ToSchema)]
pub struct ModelOut {
    pub id: i64,
    /// model or exemplar
    pub kind: String,
    pub name: String,
    pub place: String,
    /// economy, culture_society, defence_security or political_system
    pub field: String,
    pub field_name: String,
    pub kind_name: String,
    pub owner_unit_code: String,
    pub owner_unit_name: String,
    pub owner_name: String,
    pub registered_unit_code: String,
    pub registered_unit_name: String,
    pub year: i64,
    pub description: String,
    pub people_mobilised: i64,
    pub results: String,
    /// registered, appraising, recognised or not_recognised
    pub status: String,
    /// YYYY-MM-DD
    pub decided_on: Option<String>,
    pub decision_ref: Option<String>,
    /// Addresses of its photos (full size; add /thumb for the thumbnail)
    pub photos: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AppraisalOut {
    pub appraisers: usize,
    /// The mean total, out of 100
    pub mean_total: f64,
    /// criterion → mean points (out of 20)
    #[schema(value_type = Object)]
    pub per_criterion: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ReplicationOut {
    pub unit_name: String,
    pub year: i64,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ModelDetailOut {
    pub model: ModelOut,
    pub appraisal: Option<AppraisalOut>,
    pub replications: Vec<ReplicationOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ModelListOut {
    pub total: i64,
    pub items: Vec<ModelOut>,
}

fn model_out(ctx: &Ctx, r: &ModelRow, photos: Vec<i64>) -> ModelOut {
    ModelOut {
        id: r.id,
        kind: r.kind.as_str().into(),
        name: r.name.clone(),
        place: r.place.clone(),
        field: r.field.as_str().into(),
        field_name: field_label(ctx.lang, r.field),
        kind_name: kind_label(ctx.lang, r.kind),
        owner_unit_code: r.owner_unit_code.clone(),
        owner_unit_name: r.owner_unit_name.clone(),
        owner_name: r.owner_name.clone(),
        registered_unit_code: r.registered_unit_code.clone(),
        registered_unit_name: r.registered_unit_name.clone(),
        year: r.year,
        description: r.description.clone(),
        people_mobilised: r.people_mobilised,
        results: r.results.clone(),
        status: dm::status(r.decision, usize::try_from(r.appraisers).unwrap_or(0)).as_str().into(),
        decided_on: r.decided_on.map(|d| d.to_string()),
        decision_ref: r.decision_ref.clone(),
        photos: photos.into_iter().map(|id| format!("/dan-van-kheo/photos/{id}")).collect(),
    }
}

fn appraisal_out(a: &Appraisal) -> AppraisalOut {
    let f = |t: i64| t as f64 / 10.0;
    AppraisalOut {
        appraisers: a.appraisers,
        mean_total: f(a.mean_total_tenths),
        per_criterion: a.per_criterion_tenths.iter().map(|(c, v)| (c.as_str().to_string(), serde_json::json!(f(*v)))).collect(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
}

#[utoipa::path(get, path = "/emulation/models", tag = "emulation", params(PageQuery),
    responses((status = 200, body = ModelListOut), (status = 401, body = Problem)))]
pub async fn list_models(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<PageQuery>,
) -> ApiResult<Json<ModelListOut>> {
    let (rows, total) = app_m::models(&state.app, &ctx.caller, crate::extract::page_number(q.page)).await?;
    let items = rows.iter().map(|r| model_out(&ctx, r, r.cover_photo.into_iter().collect())).collect();
    Ok(Json(ModelListOut { total, items }))
}

#[utoipa::path(get, path = "/emulation/models/{id}", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = ModelDetailOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_model(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<ModelDetailOut>> {
    let d = app_m::model_detail(&state.app, &ctx.caller, id).await?;
    Ok(Json(ModelDetailOut {
        model: model_out(&ctx, &d.model, d.photos.iter().map(|p| p.id).collect()),
        appraisal: d.appraisal.as_ref().map(appraisal_out),
        replications: d
            .replications
            .iter()
            .map(|r| ReplicationOut { unit_name: r.unit_name.clone(), year: r.year, note: r.note.clone() })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GalleryParams {
    /// economy, culture_society, defence_security or political_system
    pub field: Option<String>,
    /// model or exemplar
    pub kind: Option<String>,
    pub year: Option<String>,
    /// Words searched without regard to diacritics ("dan van" finds "Dân vận")
    pub q: Option<String>,
    pub page: Option<i64>,
}

/// The recognised models, for everyone (the festival's showcase).
#[utoipa::path(get, path = "/emulation/models/public", tag = "emulation", params(GalleryParams), security(()),
    responses((status = 200, body = ModelListOut), (status = 422, body = Problem)))]
pub async fn public_models(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<GalleryParams>,
) -> ApiResult<Json<ModelListOut>> {
    let query = GalleryQuery {
        field: q.field.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        year: q.year.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        page: crate::extract::page_number(q.page),
    };
    let (rows, total) = app_g::gallery(&state.app, &query).await?;
    let items = rows.iter().map(|r| model_out(&ctx, r, r.cover_photo.into_iter().collect())).collect();
    Ok(Json(ModelListOut { total, items }))
}

use crate::api::Problem;
