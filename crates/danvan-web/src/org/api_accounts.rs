//! The JSON API of accounts: accounts and memberships, the caller's own account and tokens, the
//! audit log. Registered in `crate::api::router`.

use crate::api::{created, paging, ApiJson, ApiResult, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use danvan_app::audit::AuditFilter;
use danvan_app::org::queries::{Account, MembershipRow};
use danvan_domain::org::account::AccountInput;
use danvan_domain::{Action, FieldErrors, Resource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
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
    Ok(Json(danvan_app::org::sessions::my_api_tokens(&state.app, &ctx.caller).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/tokens", tag = "me", request_body = TokenIn, responses((status = 201, body = TokenCreated), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TokenIn>,
) -> ApiResult<Response> {
    let (token, secret) = danvan_app::org::sessions::create_api_token(&state.app, &ctx.caller, &body.name).await?;
    Ok(created(TokenCreated { token: token.into(), secret }))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "me", params(("id" = i64, Path)), responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    danvan_app::org::sessions::revoke_api_token(&state.app, &ctx.caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = AuditList), (status = 403, body = Problem), (status = 422, body = Problem, description = "A date before 1945 or over ten years ahead")))]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<AuditQuery>,
) -> ApiResult<Json<AuditList>> {
    let (page, per_page) = paging(q.page, q.per_page);
    // Bounded like every date a user gives (1945 to ten years ahead, days in Viet Nam).
    let mut errors = FieldErrors::new();
    for (field, t) in [("from", q.from), ("to", q.to)] {
        if let Some(t) = t {
            let day = t.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
            danvan_app::input::bounded_date(day, field, danvan_domain::calendar::DateRange::Planning, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
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
    let (rows, total) = danvan_app::audit::list_audit(&state.app, &ctx.caller, &f).await?;
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
