//! Movements in the JSON API (issue 11 items 1–2): list, launch and read a movement, add a
//! criterion, register, assess, and a registration's score with each criterion explained and
//! each input linked to the inbox listing its cases. Errors are problem documents.

use crate::api::{created, ApiJson, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use danvan_app::emulation::movements::{self as mv, CriterionInput, MovementInput};
use danvan_app::emulation::scores::{self as sc, AssessmentInput, RegistrationInput};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

type ApiResult<T> = Result<T, WebError>;

#[derive(Serialize, ToSchema)]
pub struct MovementOut {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub unit_code: String,
    pub unit_name: String,
    /// annual, multi_year or thematic
    pub period_kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub cluster: Option<String>,
}

fn movement_out(m: &mv::MovementRow) -> MovementOut {
    MovementOut {
        id: m.id,
        name: m.name.clone(),
        purpose: m.purpose.clone(),
        unit_code: m.unit_code.clone(),
        unit_name: m.unit_name.clone(),
        period_kind: m.period_kind.as_str().into(),
        starts_on: m.starts_on.to_string(),
        ends_on: m.ends_on.to_string(),
        cluster: m.cluster_name.clone(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CriterionOut {
    pub id: i64,
    pub name: String,
    /// measured or reviewed
    pub kind: String,
    /// The indicator's key (measured criteria)
    pub indicator: Option<String>,
    pub target: Option<f64>,
    pub weight: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    /// Empty for the unit itself
    pub person: String,
}

#[derive(Serialize, ToSchema)]
pub struct MovementFileOut {
    pub movement: MovementOut,
    pub criteria: Vec<CriterionOut>,
    /// The target units' codes
    pub targets: Vec<String>,
    /// The cluster's member units' codes
    pub cluster_units: Vec<String>,
    pub registrations: Vec<RegistrationOut>,
}

#[utoipa::path(get, path = "/emulation/movements", tag = "emulation",
    responses((status = 200, body = Vec<MovementOut>), (status = 401, body = Problem)))]
pub async fn list_movements(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Json<Vec<MovementOut>>> {
    Ok(Json(mv::movements(&state.app, &ctx.caller).await?.iter().map(movement_out).collect()))
}

/// A movement to launch (dates YYYY-MM-DD; targets: unit codes separated by commas).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MovementIn {
    pub unit: String,
    pub name: String,
    pub purpose: String,
    pub period_kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub targets: String,
    pub cluster: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[utoipa::path(post, path = "/emulation/movements", tag = "emulation", request_body = MovementIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_movement(State(state): State<AppState>, ctx: Ctx, ApiJson(b): ApiJson<MovementIn>) -> ApiResult<Response> {
    let input = MovementInput {
        unit: b.unit,
        name: b.name,
        purpose: b.purpose,
        period_kind: b.period_kind,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        targets: b.targets,
        cluster: b.cluster.map(|c| c.to_string()).unwrap_or_default(),
    };
    Ok(created(Created { id: mv::create_movement(&state.app, &ctx.caller, &input).await? }))
}

#[utoipa::path(get, path = "/emulation/movements/{id}", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = MovementFileOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_movement(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<MovementFileOut>> {
    let f = mv::movement(&state.app, &ctx.caller, id).await?;
    Ok(Json(MovementFileOut {
        movement: movement_out(&f.movement),
        criteria: f
            .criteria
            .iter()
            .map(|c| CriterionOut {
                id: c.id,
                name: c.name.clone(),
                kind: c.kind.as_str().into(),
                indicator: c.indicator.map(|i| i.as_str().into()),
                target: c.target,
                weight: c.weight,
            })
            .collect(),
        targets: f.targets.iter().map(|u| u.code.clone()).collect(),
        cluster_units: f.cluster_units.iter().map(|u| u.code.clone()).collect(),
        registrations: f
            .registrations
            .iter()
            .map(|r| RegistrationOut {
                id: r.id,
                unit_code: r.unit_code.clone(),
                unit_name: r.unit_name.clone(),
                person: r.person.clone(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct StandingOut {
    pub registration: RegistrationOut,
    /// The registration's total (0–100), as its score sheet computes it
    pub total: f64,
}

#[utoipa::path(get, path = "/emulation/movements/{id}/standings", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StandingOut>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
/// The movement's standings: every registration's total, highest first.
pub async fn standings(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<Vec<StandingOut>>> {
    let rows = danvan_app::emulation::scores::standings(&state.app, &ctx.caller, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| StandingOut {
                registration: RegistrationOut {
                    id: s.registration.id,
                    unit_code: s.registration.unit_code,
                    unit_name: s.registration.unit_name,
                    person: s.registration.person,
                },
                total: s.total,
            })
            .collect(),
    ))
}

/// A criterion: kind measured (with indicator and target) or reviewed; weight 1–100.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CriterionIn {
    pub name: String,
    pub kind: String,
    pub indicator: String,
    pub target: Option<f64>,
    pub weight: Option<i64>,
}

#[utoipa::path(post, path = "/emulation/movements/{id}/criteria", tag = "emulation", params(("id" = i64, Path)), request_body = CriterionIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_criterion(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<CriterionIn>,
) -> ApiResult<Response> {
    let input = CriterionInput {
        name: b.name,
        kind: b.kind,
        indicator: b.indicator,
        target: b.target.map(|t| t.to_string()).unwrap_or_default(),
        weight: b.weight.map(|w| w.to_string()).unwrap_or_default(),
    };
    Ok(created(Created { id: mv::add_criterion(&state.app, &ctx.caller, id, &input).await? }))
}

/// A registration: the unit's code, the person (empty for the unit), targets by criterion id.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct RegistrationIn {
    pub unit: String,
    pub person: String,
    pub targets: HashMap<i64, String>,
}

#[utoipa::path(post, path = "/emulation/movements/{id}/registrations", tag = "emulation", params(("id" = i64, Path)), request_body = RegistrationIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<RegistrationIn>,
) -> ApiResult<Response> {
    let input = RegistrationInput { unit: b.unit, person: b.person, targets: b.targets };
    Ok(created(Created { id: sc::register(&state.app, &ctx.caller, id, &input).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct InputOut {
    /// received, answered, on_time, rated or reopened
    pub set: String,
    pub count: i64,
    /// The inbox listing these cases
    pub link: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScoreLineOut {
    pub criterion_id: i64,
    pub name: String,
    pub kind: String,
    pub indicator: Option<String>,
    pub weight: i64,
    /// The measured value (none when there was nothing to measure)
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// 0–100; none for a reviewed criterion not yet scored
    pub points: Option<f64>,
    /// The unit's own assessment, beside the measured value (never counted)
    pub self_points: Option<i64>,
    pub inputs: Vec<InputOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoreOut {
    pub registration_id: i64,
    pub unit_code: String,
    pub person: String,
    pub from: String,
    pub to: String,
    /// Σ weight × points / Σ weight, two decimals
    pub total: f64,
    pub lines: Vec<ScoreLineOut>,
}

fn registration_in(s: &sc::ScoreSheet, id: i64) -> ApiResult<()> {
    if s.registration.movement_id != id {
        return Err(WebError::NotFound);
    }
    Ok(())
}

#[utoipa::path(get, path = "/emulation/movements/{id}/registrations/{rid}/score", tag = "emulation", params(("id" = i64, Path), ("rid" = i64, Path)),
    responses((status = 200, body = ScoreOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, rid)): PathParam<(i64, i64)>,
) -> ApiResult<Json<ScoreOut>> {
    let s = sc::score(&state.app, &ctx.caller, rid).await?;
    registration_in(&s, id)?;
    Ok(Json(ScoreOut {
        registration_id: s.registration.id,
        unit_code: s.registration.unit_code.clone(),
        person: s.registration.person.clone(),
        from: s.movement.movement.starts_on.to_string(),
        to: s.movement.movement.ends_on.to_string(),
        total: s.total,
        lines: s
            .lines
            .iter()
            .map(|l| ScoreLineOut {
                criterion_id: l.criterion.id,
                name: l.criterion.name.clone(),
                kind: l.criterion.kind.as_str().into(),
                indicator: l.criterion.indicator.map(|i| i.as_str().into()),
                weight: l.line.weight,
                value: l.line.value,
                target: l.line.target,
                points: l.line.points,
                self_points: l.line.self_points,
                inputs: l
                    .inputs
                    .iter()
                    .map(|i| InputOut { set: i.set.as_str().into(), count: i.count, link: i.link.clone() })
                    .collect(),
            })
            .collect(),
    }))
}

/// An assessment: side self (the registered unit) or review (the launching unit, reviewed
/// criteria only); points 0–100.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AssessmentIn {
    pub criterion: Option<i64>,
    pub side: String,
    pub points: Option<i64>,
    pub note: String,
}

#[utoipa::path(post, path = "/emulation/movements/{id}/registrations/{rid}/assessments", tag = "emulation", params(("id" = i64, Path), ("rid" = i64, Path)), request_body = AssessmentIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn assess(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, rid)): PathParam<(i64, i64)>,
    ApiJson(b): ApiJson<AssessmentIn>,
) -> ApiResult<axum::http::StatusCode> {
    let s = sc::score(&state.app, &ctx.caller, rid).await?;
    registration_in(&s, id)?;
    let input = AssessmentInput {
        criterion: b.criterion.map(|c| c.to_string()).unwrap_or_default(),
        side: b.side,
        points: b.points.map(|p| p.to_string()).unwrap_or_default(),
        note: b.note,
    };
    sc::assess(&state.app, &ctx.caller, rid, &input).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
