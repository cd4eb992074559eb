//! The JSON API of units: the directory, administration, dissolution, CSV import and export,
//! members, and transfers waiting for a successor. Registered in `crate::api::router`.

use crate::api::{created, paging, ApiJson, ApiResult, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use danvan_app::org::queries::{MemberRow, Unit, UnitSearch};
use danvan_domain::org::unit::{DissolutionRequest, UnitInput};
use danvan_domain::{Action, FieldErrors, Resource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
#[derive(Serialize, ToSchema)]
pub struct UnitOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// province, city, commune, ward, special_zone, district, residential_group, village,
    /// party_committee, peoples_council, peoples_committee, agency, fatherland_front,
    /// mass_organization, other
    pub kind: String,
    pub parent_id: Option<i64>,
    pub territory_id: Option<i64>,
    /// Ids from the root to this unit.
    pub ancestry: Vec<i64>,
    pub effective_from: Option<chrono::NaiveDate>,
    pub effective_to: Option<chrono::NaiveDate>,
    pub remote_area: bool,
    pub dissolved: bool,
}

impl From<Unit> for UnitOut {
    fn from(u: Unit) -> Self {
        UnitOut {
            ancestry: u.ancestry(),
            dissolved: u.dissolved(),
            id: u.id,
            code: u.code,
            name: u.name,
            kind: u.kind.to_string(),
            parent_id: u.parent_id,
            territory_id: u.territory_id,
            effective_from: u.effective_from,
            effective_to: u.effective_to,
            remote_area: u.remote_area,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitDetail {
    pub unit: UnitOut,
    pub successors: Vec<UnitOut>,
    pub predecessors: Vec<UnitOut>,
    pub former_names: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub items: Vec<UnitOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Diacritic-insensitive words ("cua nam" finds "Phường Cửa Nam"); the first 20 words and
    /// 200 characters are searched, the rest is ignored.
    pub q: Option<String>,
    pub kind: Option<String>,
    /// Only units within this unit's subtree.
    pub within: Option<i64>,
    pub include_dissolved: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct UnitIn {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub territory_id: Option<i64>,
    /// YYYY-MM-DD
    pub effective_from: Option<String>,
    pub remote_area: bool,
}

impl UnitIn {
    fn input(self) -> ApiResult<UnitInput> {
        let mut e = FieldErrors::new();
        let effective_from =
            danvan_app::input::optional_date(self.effective_from.as_deref().unwrap_or(""), "effective_from", &mut e);
        e.into_result().map_err(WebError::Invalid)?;
        Ok(UnitInput {
            code: self.code,
            name: self.name,
            kind: self.kind,
            parent_id: self.parent_id,
            territory_id: self.territory_id,
            effective_from,
            remote_area: self.remote_area,
        })
    }
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DissolveIn {
    pub successors: Vec<i64>,
    /// Which successor takes each child unit; children left out wait for an administrator.
    pub assignments: Vec<Assignment>,
    /// YYYY-MM-DD
    pub effective_on: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    pub child: i64,
    pub successor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub membership_id: i64,
    pub account_id: i64,
    pub full_name: String,
    pub role: String,
    pub title: String,
    /// Only for leaders and officers of the unit's subtree.
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl MemberOut {
    fn new(m: MemberRow, contacts: bool) -> Self {
        MemberOut {
            membership_id: m.membership_id,
            account_id: m.account_id,
            full_name: m.full_name,
            role: m.role.to_string(),
            title: m.title,
            email: if contacts { m.email } else { None },
            phone: if contacts { m.phone } else { None },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
}

#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub id: i64,
    pub from_unit_id: i64,
    pub item_type: String,
    pub item_id: i64,
    pub item_label: String,
    pub successors: Vec<UnitOut>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PlaceIn {
    pub to: i64,
}

#[utoipa::path(get, path = "/units", tag = "units", params(UnitQuery), security(()), responses((status = 200, body = UnitList)))]
pub(crate) async fn list_units(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<UnitQuery>,
) -> ApiResult<Json<UnitList>> {
    let (page, per_page) = paging(q.page, q.per_page);
    let s = UnitSearch {
        q: q.q.unwrap_or_default(),
        kind: q.kind.filter(|k| !k.is_empty()),
        within: q.within,
        include_dissolved: q.include_dissolved.unwrap_or(false),
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (items, total) = danvan_app::org::queries::search_units(&state.app, &s).await?;
    Ok(Json(UnitList { items: items.into_iter().map(Into::into).collect(), total, page, per_page }))
}

#[utoipa::path(post, path = "/units", tag = "units", request_body = UnitIn,
    responses((status = 201, body = UnitOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_unit(State(state): State<AppState>, ctx: Ctx, ApiJson(body): ApiJson<UnitIn>) -> ApiResult<Response> {
    let input = body.input()?;
    Ok(created(UnitOut::from(danvan_app::org::units::create_unit(&state.app, &ctx.caller, &input).await?)))
}

#[utoipa::path(get, path = "/units/{id}", tag = "units", params(("id" = i64, Path)), security(()), responses((status = 200, body = UnitDetail), (status = 404, body = Problem)))]
pub(crate) async fn get_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<UnitDetail>> {
    let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
    ctx.authorize(Action::View, Resource::Unit { ancestry: &unit.ancestry() })?;
    Ok(Json(UnitDetail {
        successors: danvan_app::org::queries::successors(&state.app, id).await?.into_iter().map(Into::into).collect(),
        predecessors: danvan_app::org::queries::predecessors(&state.app, id).await?.into_iter().map(Into::into).collect(),
        former_names: danvan_app::org::queries::former_names(&state.app, id).await?.into_iter().map(|(n, _)| n).collect(),
        unit: unit.into(),
    }))
}

#[utoipa::path(put, path = "/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitIn,
    responses((status = 200, body = UnitOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn update_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(body): ApiJson<UnitIn>,
) -> ApiResult<Json<UnitOut>> {
    let input = body.input()?;
    Ok(Json(danvan_app::org::units::update_unit(&state.app, &ctx.caller, id, &input).await?.into()))
}

#[utoipa::path(delete, path = "/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "The unit has sub-units, members or work: dissolve it instead")))]
pub(crate) async fn delete_unit(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> ApiResult<StatusCode> {
    danvan_app::org::units::delete_unit(&state.app, &ctx.caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/units/{id}/children", tag = "units", params(("id" = i64, Path)), security(()), responses((status = 200, body = Vec<UnitOut>), (status = 404, body = Problem)))]
pub(crate) async fn unit_children(State(state): State<AppState>, PathParam(id): PathParam<i64>) -> ApiResult<Json<Vec<UnitOut>>> {
    danvan_app::org::queries::get_unit(&state.app, id).await?;
    Ok(Json(danvan_app::org::queries::child_units(&state.app, id, true).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/units/{id}/members", tag = "units", params(("id" = i64, Path)), responses((status = 200, body = Vec<MemberOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(crate) async fn unit_members(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<Vec<MemberOut>>> {
    let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
    let anc = unit.ancestry();
    ctx.authorize(Action::ViewMembers, Resource::Unit { ancestry: &anc })?;
    let contacts = ctx.authorize(Action::ViewContacts, Resource::Unit { ancestry: &anc }).is_ok();
    Ok(Json(
        danvan_app::org::queries::members_of_unit(&state.app, id)
            .await?
            .into_iter()
            .map(|m| MemberOut::new(m, contacts))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/units/{id}/dissolve", tag = "units", params(("id" = i64, Path)), request_body = DissolveIn,
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn dissolve_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(body): ApiJson<DissolveIn>,
) -> ApiResult<StatusCode> {
    let mut e = FieldErrors::new();
    let effective_on = danvan_app::input::optional_date(&body.effective_on, "effective_on", &mut e);
    e.into_result().map_err(WebError::Invalid)?;
    let req = DissolutionRequest {
        successors: body.successors,
        assignments: body.assignments.iter().map(|a| (a.child, a.successor)).collect(),
        effective_on,
    };
    danvan_app::org::units::dissolve_unit(&state.app, &ctx.caller, id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/units/import", tag = "units", request_body(content = String, content_type = "text/csv", description = "code,name,kind,parent_code[,effective_from,effective_to]"),
    responses((status = 200, body = ImportResult), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn import_units(
    State(state): State<AppState>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> ApiResult<Json<ImportResult>> {
    let (created, updated) = danvan_app::org::units::import_units(&state.app, &ctx.caller, &body).await?;
    Ok(Json(ImportResult { created, updated }))
}

#[utoipa::path(get, path = "/units/export", tag = "units", responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub(crate) async fn export_units(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    ctx.authorize(Action::View, Resource::Administration)?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        danvan_app::org::units::units_csv(&danvan_app::org::queries::all_units(&state.app).await?),
    )
        .into_response())
}

#[utoipa::path(get, path = "/transfers", tag = "units", responses((status = 200, body = Vec<TransferOut>), (status = 403, body = Problem)))]
pub(crate) async fn list_transfers(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Json<Vec<TransferOut>>> {
    let mut out = vec![];
    for t in danvan_app::org::transfers::pending_transfers(&state.app, &ctx.caller).await? {
        let successors =
            danvan_app::org::queries::successors(&state.app, t.from_unit_id).await?.into_iter().map(Into::into).collect();
        out.push(TransferOut {
            id: t.id,
            from_unit_id: t.from_unit_id,
            item_type: t.item_type,
            item_id: t.item_id,
            item_label: t.item_label,
            successors,
        });
    }
    Ok(Json(out))
}

#[utoipa::path(post, path = "/transfers/{id}", tag = "units", params(("id" = i64, Path)), request_body = PlaceIn,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn place_transfer(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(body): ApiJson<PlaceIn>,
) -> ApiResult<StatusCode> {
    danvan_app::org::transfers::resolve_pending_transfer(&state.app, &ctx.caller, id, Some(body.to)).await?;
    Ok(StatusCode::NO_CONTENT)
}
