//! The JSON API of the organisation: units, accounts and memberships, the caller's own account and
//! tokens, transfers waiting for a successor, the audit log. Registered in `crate::api::router`.

use crate::api::{created, paging, ApiJson, ApiResult, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use danvan_app::audit::AuditFilter;
use danvan_app::org::queries::{Account, MemberRow, MembershipRow, Unit, UnitSearch};
use danvan_domain::account::AccountInput;
use danvan_domain::unit::{DissolutionRequest, UnitInput};
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
    /// Diacritic-insensitive words ("cua nam" finds "Phường Cửa Nam").
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
pub struct AccountOut {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Account> for AccountOut {
    fn from(a: Account) -> Self {
        AccountOut {
            id: a.id,
            username: a.username,
            full_name: a.full_name,
            email: a.email,
            phone: a.phone,
            active: a.active,
            created_at: a.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    /// admin, leader, officer, front, viewer
    pub role: String,
    pub title: String,
}

impl From<MembershipRow> for MembershipOut {
    fn from(m: MembershipRow) -> Self {
        MembershipOut {
            id: m.id,
            unit_id: m.unit_id,
            unit_name: m.unit_name,
            unit_code: m.unit_code,
            role: m.role.to_string(),
            title: m.title,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountDetail {
    pub account: AccountOut,
    pub memberships: Vec<MembershipOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    pub items: Vec<AccountOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Diacritic-insensitive search on name, username and e-mail.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AccountIn {
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// Required when creating.
    pub password: String,
    /// Optional first membership (required for leaders creating accounts).
    pub membership: Option<MembershipIn>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MembershipIn {
    pub unit_id: Option<i64>,
    pub role: String,
    pub title: String,
}

impl MembershipIn {
    fn parse(&self) -> ApiResult<danvan_app::org::accounts::NewMembership> {
        match danvan_app::org::accounts::parse_membership(
            &self.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            &self.role,
            &self.title,
            true,
        ) {
            Ok(Some(m)) => Ok(m),
            Ok(None) => Err(WebError::Invalid(FieldErrors::one("unit_id", "error.required"))),
            Err(e) => Err(WebError::Invalid(e)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub account: AccountOut,
    /// The token to send as `X-CSRF-Token` with changes made through the session cookie
    /// (absent when authenticated by an API token, which needs none).
    pub csrf_token: Option<String>,
    pub memberships: Vec<MembershipOut>,
    pub is_admin: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<danvan_app::org::sessions::ApiTokenRow> for TokenOut {
    fn from(t: danvan_app::org::sessions::ApiTokenRow) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: TokenOut,
    /// The secret, shown once.
    pub secret: String,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TokenIn {
    pub name: String,
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

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    /// `{"field": [old, new]}`
    pub changes: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditOut>,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// RFC 3339 instant
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// RFC 3339 instant (exclusive)
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/me", tag = "me", responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub(crate) async fn me(ctx: Ctx) -> ApiResult<Json<Me>> {
    let a = ctx.require_account()?.clone();
    Ok(Json(Me {
        csrf_token: (!ctx.via_token).then(|| ctx.csrf.clone()),
        is_admin: ctx.is_admin(),
        account: a.into(),
        memberships: ctx.caller.memberships.iter().cloned().map(Into::into).collect(),
    }))
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
    ctx.authorize(Action::Update, Resource::System)?;
    let mut out = vec![];
    for t in danvan_app::org::queries::pending_transfers(&state.app).await? {
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
    ctx.authorize(Action::Update, Resource::System)?;
    danvan_app::org::transfers::resolve_pending_transfer(&state.app, &ctx.caller, id, body.to).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/accounts", tag = "accounts", params(PageQuery), responses((status = 200, body = AccountList), (status = 403, body = Problem)))]
pub(crate) async fn list_accounts(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<PageQuery>,
) -> ApiResult<Json<AccountList>> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let (page, per_page) = paging(q.page, q.per_page);
    let led = danvan_app::org::accounts::led_units(&ctx.caller);
    let scope = (!ctx.is_admin()).then_some(led.as_slice());
    let (items, total) =
        danvan_app::org::queries::list_accounts(&state.app, q.q.as_deref().unwrap_or(""), scope, per_page, (page - 1) * per_page)
            .await?;
    Ok(Json(AccountList { items: items.into_iter().map(Into::into).collect(), total, page, per_page }))
}

#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = AccountIn,
    responses((status = 201, body = AccountDetail), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_account(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<AccountIn>,
) -> ApiResult<Response> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let membership = body.membership.as_ref().map(|m| m.parse()).transpose()?;
    let input = AccountInput { username: body.username, full_name: body.full_name, email: body.email, phone: body.phone };
    // The form calls the password field `new_password`; the API calls it `password`.
    let account = danvan_app::org::accounts::create_account(&state.app, &ctx.caller, &input, &body.password, membership)
        .await
        .map_err(WebError::from)
        .map_err(|e| match e {
            WebError::Invalid(f) => WebError::Invalid(crate::error::rename_fields(f, &[("new_password", "password")])),
            e => e,
        })?;
    let memberships =
        danvan_app::org::queries::memberships_of(&state.app, account.id).await?.into_iter().map(Into::into).collect();
    Ok(created(AccountDetail { account: account.into(), memberships }))
}

#[utoipa::path(get, path = "/accounts/{id}", tag = "accounts", params(("id" = i64, Path)), responses((status = 200, body = AccountDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn get_account(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<AccountDetail>> {
    let account = danvan_app::org::accounts::view_account(&state.app, &ctx.caller, id).await?;
    let memberships = danvan_app::org::queries::memberships_of(&state.app, id).await?.into_iter().map(Into::into).collect();
    Ok(Json(AccountDetail { account: account.into(), memberships }))
}

#[utoipa::path(put, path = "/accounts/{id}", tag = "accounts", params(("id" = i64, Path)), request_body = AccountIn,
    responses((status = 200, body = AccountOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn update_account(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(body): ApiJson<AccountIn>,
) -> ApiResult<Json<AccountOut>> {
    let input = AccountInput { username: body.username, full_name: body.full_name, email: body.email, phone: body.phone };
    Ok(Json(danvan_app::org::accounts::update_account(&state.app, &ctx.caller, id, &input).await?.into()))
}

#[utoipa::path(post, path = "/accounts/{id}/memberships", tag = "accounts", params(("id" = i64, Path)), request_body = MembershipIn,
    responses((status = 201, body = MembershipOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_membership(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(body): ApiJson<MembershipIn>,
) -> ApiResult<Response> {
    let m = body.parse()?;
    let mid = danvan_app::org::accounts::add_membership(&state.app, &ctx.caller, id, &m).await?;
    Ok(created(MembershipOut::from(danvan_app::org::queries::get_membership(&state.app, mid).await?)))
}

#[utoipa::path(delete, path = "/memberships/{id}", tag = "accounts", params(("id" = i64, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn remove_membership(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    danvan_app::org::accounts::remove_membership(&state.app, &ctx.caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/tokens", tag = "me", responses((status = 200, body = Vec<TokenOut>), (status = 401, body = Problem)))]
pub(crate) async fn list_tokens(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Json<Vec<TokenOut>>> {
    let me = ctx.require_account()?;
    Ok(Json(danvan_app::org::sessions::api_tokens_of(&state.app, me.id).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/tokens", tag = "me", request_body = TokenIn, responses((status = 201, body = TokenCreated), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TokenIn>,
) -> ApiResult<Response> {
    let me = ctx.require_account()?;
    let (token, secret) = danvan_app::org::sessions::create_api_token(&state.app, &ctx.caller, me.id, &body.name).await?;
    Ok(created(TokenCreated { token: token.into(), secret }))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "me", params(("id" = i64, Path)), responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    let me = ctx.require_account()?;
    danvan_app::org::sessions::revoke_api_token(&state.app, &ctx.caller, me.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = AuditList), (status = 403, body = Problem)))]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<AuditQuery>,
) -> ApiResult<Json<AuditList>> {
    ctx.authorize(Action::View, Resource::AuditLog)?;
    let (page, per_page) = paging(q.page, q.per_page);
    let f = AuditFilter {
        actor_id: q.actor_id,
        action: q.action,
        target_type: q.target_type,
        target_id: q.target_id,
        from: q.from,
        to: q.to,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (rows, total) = danvan_app::audit::list_audit(&state.app, &f).await?;
    let items = rows
        .into_iter()
        .map(|e| AuditOut {
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor_label: e.actor_label,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            target_label: e.target_label,
        })
        .collect();
    Ok(Json(AuditList { items, total }))
}
