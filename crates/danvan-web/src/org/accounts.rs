//! Administration of accounts and memberships, the audit log, and "my account".

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, Form, Opt, Page};
use crate::i18n;
use crate::pages::{redirect_with, render, render_status, unit_by_code, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::audit::{AuditEntry, AuditFilter};
use danvan_app::org::queries::{Account, MembershipRow};
use danvan_app::org::sessions::ApiTokenRow;
use danvan_domain::org::account::AccountInput;
use danvan_domain::{Action, FieldErrors, Resource, Role};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin", admin_home)
        .get("/admin/accounts", list)
        .post("/admin/accounts", create)
        .get("/admin/accounts/new", new_form)
        .get("/admin/accounts/{id}", show)
        .get("/admin/accounts/{id}/edit", edit_form)
        .post("/admin/accounts/{id}/edit", update)
        .post("/admin/accounts/{id}/password", reset_password)
        .post("/admin/accounts/{id}/active", set_active)
        .post("/admin/accounts/{id}/memberships", add_membership)
        .post("/admin/memberships/{id}/delete", remove_membership)
        .get("/admin/audit", audit)
        .get("/account", my_account)
        .post("/account", update_profile)
        .post("/account/password", change_password)
        .post("/account/tokens", create_token)
        .post("/account/tokens/{id}/revoke", revoke_token)
}

#[derive(Template)]
#[template(path = "org/admin_index.html")]
struct AdminHome {
    p: Page,
    is_admin: bool,
    pending: usize,
    led_units: Vec<MembershipRow>,
}

async fn admin_home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let pending =
        if ctx.is_admin() { danvan_app::org::transfers::pending_transfers(&state.app, &ctx.caller).await?.len() } else { 0 };
    let led_units = ctx.caller.units_where(Action::ManageMembers).cloned().collect();
    Ok(render(&AdminHome { p: Page::new(&ctx, &ctx.t("admin.title")), is_admin: ctx.is_admin(), pending, led_units }))
}

#[derive(Template)]
#[template(path = "org/accounts_index.html")]
struct ListPage {
    p: Page,
    q: String,
    accounts: Vec<Account>,
    total_label: String,
    pager: String,
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let text = q.get("q").cloned().unwrap_or_default();
    let page = crate::extract::page_number(q.get("page").and_then(|p| p.parse().ok()));
    let led = danvan_app::org::accounts::led_units(&ctx.caller);
    let scope = (!ctx.is_admin()).then_some(led.as_slice());
    let (accounts, total) = danvan_app::org::queries::list_accounts(&state.app, &text, scope, 50, (page - 1) * 50).await?;
    Ok(render(&ListPage {
        p: Page::new(&ctx, &ctx.t("admin.accounts")),
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/admin/accounts", &[("q", text.clone())], page, 50, total),
        q: text,
        accounts,
    }))
}

#[derive(Template)]
#[template(path = "org/account_form.html")]
struct AccountFormPage {
    p: Page,
    form: Form,
    action: String,
    cancel: String,
    new: bool,
    roles: Vec<Opt>,
    /// The units this person may grant roles on, to pick by name or code.
    units: Vec<Opt>,
}

/// The units of the subtrees where the caller grants roles (at most 1,000, shallowest first):
/// the role-grant forms' picker, typed by name or code without JavaScript.
async fn grant_units(state: &AppState, ctx: &Ctx) -> Result<Vec<Opt>, WebError> {
    let mut out: Vec<Opt> = vec![];
    for m in ctx.caller.units_where(Action::ManageMembers) {
        let search = danvan_app::org::queries::UnitSearch {
            q: String::new(),
            kind: None,
            within: Some(m.unit_id),
            include_dissolved: false,
            limit: 1000,
            offset: 0,
        };
        for u in danvan_app::org::queries::search_units(&state.app, &search).await?.0 {
            if out.len() < 1000 && !out.iter().any(|o| o.value == u.code) {
                out.push(Opt { value: u.code, label: u.name });
            }
        }
    }
    Ok(out)
}

fn role_options(ctx: &Ctx) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    // Only the roles this person may grant somewhere (admins alone grant the admin role).
    for r in Role::ALL.into_iter().filter(|&r| danvan_app::org::accounts::may_grant(&ctx.caller, r)) {
        v.push(Opt { value: r.as_str().into(), label: ctx.t(crate::html::role_key(r)) });
    }
    v
}

async fn account_form(state: &AppState, ctx: &Ctx, form: Form, id: Option<i64>) -> Result<AccountFormPage, WebError> {
    let (title, action, cancel) = match id {
        Some(id) => (ctx.t("admin.edit_account"), format!("/admin/accounts/{id}/edit"), format!("/admin/accounts/{id}")),
        None => (ctx.t("admin.new_account"), "/admin/accounts".into(), "/admin/accounts".into()),
    };
    let units = grant_units(state, ctx).await?;
    Ok(AccountFormPage { p: Page::new(ctx, &title), form, action, cancel, new: id.is_none(), roles: role_options(ctx), units })
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    Ok(render(&account_form(&state, &ctx, Form::new(ctx.lang), None).await?))
}

fn account_input(form: &FormData) -> AccountInput {
    AccountInput {
        username: form.get("username"),
        full_name: form.get("full_name"),
        email: form.get("email"),
        phone: form.get("phone"),
    }
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let mut code_errors = FieldErrors::new();
    let unit_id = unit_by_code(&state, &form.get("unit_code"), "unit_id", &mut code_errors)
        .await?
        .map(|i| i.to_string())
        .unwrap_or_default();
    let parsed = if code_errors.is_empty() {
        danvan_app::org::accounts::parse_membership(&unit_id, &form.get("role"), &form.get("title"), !ctx.is_admin())
    } else {
        Err(code_errors)
    };
    let result = match parsed {
        Ok(m) => danvan_app::org::accounts::create_account(
            &state.app,
            &ctx.caller,
            &account_input(&form),
            &form.get("new_password"),
            m,
        )
        .await
        .map_err(WebError::from),
        Err(e) => {
            // Report membership and account field errors together.
            let mut all = e;
            if let Err(more) = danvan_app::org::accounts::validate_new_account(&account_input(&form), &form.get("new_password")) {
                all.0.extend(more.0);
            }
            Err(WebError::Invalid(all))
        }
    };
    match result {
        Ok(a) => Ok(redirect_with(&ctx, &format!("/admin/accounts/{}", a.id), "admin.created", &[])),
        Err(WebError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_form(&state, &ctx, crate::pages::refill(&ctx, &form, &e, &[("unit_id", "unit_code")]), None).await?,
        )),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "org/account_admin.html")]
struct AccountPage {
    p: Page,
    account: Account,
    memberships: Vec<MembershipRow>,
    form: Form,
    pw_form: Form,
    roles: Vec<Opt>,
    /// The units this person may grant roles on, to pick by name or code.
    units: Vec<Opt>,
}

async fn account_page(state: &AppState, ctx: &Ctx, id: i64, form: Form, pw_form: Form) -> Result<AccountPage, WebError> {
    let account = danvan_app::org::accounts::view_account(&state.app, &ctx.caller, id).await?;
    Ok(AccountPage {
        p: Page::new(ctx, &account.full_name),
        memberships: danvan_app::org::queries::memberships_of(&state.app, id).await?,
        account,
        form,
        pw_form,
        roles: role_options(ctx),
        units: grant_units(state, ctx).await?,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    Ok(render(&account_page(&state, &ctx, id, Form::new(ctx.lang), Form::new(ctx.lang)).await?))
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let a = danvan_app::org::accounts::view_account(&state.app, &ctx.caller, id).await?;
    let form = Form::new(ctx.lang)
        .set("username", &a.username)
        .set("full_name", &a.full_name)
        .set("email", a.email.as_deref().unwrap_or(""))
        .set("phone", a.phone.as_deref().unwrap_or(""));
    Ok(render(&account_form(&state, &ctx, form, Some(id)).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    match danvan_app::org::accounts::update_account(&state.app, &ctx.caller, id, &account_input(&form))
        .await
        .map_err(WebError::from)
    {
        Ok(_) => Ok(redirect_with(&ctx, &format!("/admin/accounts/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_form(&state, &ctx, crate::pages::refill(&ctx, &form, &e, &[("unit_id", "unit_code")]), Some(id)).await?,
        )),
        Err(e) => Err(e),
    }
}

async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    match danvan_app::org::accounts::reset_password(&state.app, &ctx.caller, id, &form.get("new_password"))
        .await
        .map_err(WebError::from)
    {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/admin/accounts/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = account_page(&state, &ctx, id, Form::new(ctx.lang), Form::new(ctx.lang).with_errors(&e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    danvan_app::org::accounts::set_active(&state.app, &ctx.caller, id, form.get("active") == "true").await?;
    Ok(redirect_with(&ctx, &format!("/admin/accounts/{id}"), "admin.saved", &[]))
}

async fn add_membership(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let mut code_errors = FieldErrors::new();
    let unit_id = unit_by_code(&state, &form.get("unit_code"), "unit_id", &mut code_errors)
        .await?
        .map(|i| i.to_string())
        .unwrap_or_default();
    let parsed = if code_errors.is_empty() {
        danvan_app::org::accounts::parse_membership(&unit_id, &form.get("role"), &form.get("title"), true)
    } else {
        Err(code_errors)
    };
    let result = match parsed {
        Ok(Some(m)) => {
            danvan_app::org::accounts::add_membership(&state.app, &ctx.caller, id, &m).await.map_err(WebError::from).map(|_| ())
        }
        Ok(None) => Err(WebError::Invalid(FieldErrors::one("unit_id", "error.required"))),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/admin/accounts/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = account_page(
                &state,
                &ctx,
                id,
                crate::pages::refill(&ctx, &form, &e, &[("unit_id", "unit_code")]),
                Form::new(ctx.lang),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn remove_membership(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let account = danvan_app::org::accounts::remove_membership(&state.app, &ctx.caller, id).await?;
    Ok(redirect_with(&ctx, &format!("/admin/accounts/{account}"), "admin.saved", &[]))
}

#[derive(Template)]
#[template(path = "org/audit.html")]
struct AuditPage {
    p: Page,
    form: Form,
    entries: Vec<AuditEntry>,
    total_label: String,
    pager: String,
}

async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let page = crate::extract::page_number(get("page").parse().ok());
    let mut errors = FieldErrors::new();
    let day = |k: &str, errors: &mut FieldErrors| {
        // Bounded like every date a user gives (1945 to ten years ahead).
        let d = danvan_app::input::filter_date(&get(k), k, errors);
        // Dates are Vietnamese days: midnight at +07:00.
        d.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc() - chrono::Duration::hours(7))
    };
    let actor_id = match get("actor") {
        a if a.is_empty() => None,
        a => match a.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => danvan_app::org::queries::get_account_by_username(&state.app, &a).await?.map(|acc| acc.id).or(Some(-1)),
        },
    };
    let filter = AuditFilter {
        actor_id,
        action: Some(get("action")).filter(|s| !s.is_empty()),
        target_type: Some(get("target_type")).filter(|s| !s.is_empty()),
        target_id: get("target_id").parse().ok(),
        from: day("from", &mut errors),
        to: day("to", &mut errors).map(|t| t + chrono::Duration::days(1)),
        limit: 100,
        offset: (page - 1) * 100,
    };
    let (entries, total) = danvan_app::audit::list_audit(&state.app, &ctx.caller, &filter).await?;
    let mut form = Form::new(ctx.lang).with_errors(&errors);
    for k in ["action", "target_type", "actor", "from", "to"] {
        form.values.insert(k.into(), get(k));
    }
    let params: Vec<(&str, String)> =
        ["action", "target_type", "actor", "from", "to", "target_id"].iter().map(|k| (*k, get(k))).collect();
    Ok(render(&AuditPage {
        p: Page::new(&ctx, &ctx.t("admin.audit")),
        form,
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/admin/audit", &params, page, 100, total),
        entries,
    }))
}

#[derive(Template)]
#[template(path = "org/my_account.html")]
struct MyAccountPage {
    p: Page,
    memberships: Vec<MembershipRow>,
    form: Form,
    pw_form: Form,
    token_form: Form,
    tokens: Vec<ApiTokenRow>,
    new_token: Option<String>,
    sessions_label: String,
}

async fn my_page(
    state: &AppState,
    ctx: &Ctx,
    form: Option<Form>,
    pw_form: Form,
    token_form: Form,
    new_token: Option<String>,
) -> Result<MyAccountPage, WebError> {
    let me = ctx.require_account()?;
    let form = form.unwrap_or_else(|| {
        Form::new(ctx.lang)
            .set("full_name", &me.full_name)
            .set("email", me.email.as_deref().unwrap_or(""))
            .set("phone", me.phone.as_deref().unwrap_or(""))
    });
    let n = danvan_app::org::sessions::count_my_sessions(&state.app, &ctx.caller).await?;
    Ok(MyAccountPage {
        p: Page::new(ctx, &ctx.t("account.title")),
        memberships: ctx.caller.memberships.to_vec(),
        form,
        pw_form,
        token_form,
        tokens: danvan_app::org::sessions::my_api_tokens(&state.app, &ctx.caller).await?,
        new_token,
        sessions_label: i18n::tf(ctx.lang, "account.sessions", &[("n", &n.to_string())]),
    })
}

async fn my_account(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    Ok(render(&my_page(&state, &ctx, None, Form::new(ctx.lang), Form::new(ctx.lang), None).await?))
}

async fn update_profile(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let me = ctx.require_account()?.clone();
    let input = AccountInput {
        username: me.username.clone(),
        full_name: form.get("full_name"),
        email: form.get("email"),
        phone: form.get("phone"),
    };
    match danvan_app::org::accounts::update_account(&state.app, &ctx.caller, me.id, &input).await.map_err(WebError::from) {
        Ok(_) => Ok(redirect_with(&ctx, "/account", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = my_page(
                &state,
                &ctx,
                Some(crate::pages::refill(&ctx, &form, &e, &[("unit_id", "unit_code")])),
                Form::new(ctx.lang),
                Form::new(ctx.lang),
                None,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn change_password(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::org::accounts::change_own_password(
        &state.app,
        &ctx.caller,
        &form.get("current_password"),
        &form.get("new_password"),
    )
    .await
    .map_err(WebError::from)
    {
        // The password change ended every session, this one too: sign in again.
        Ok(()) => Ok(redirect_with(&ctx, "/login", "account.password_changed", &[])),
        Err(WebError::Invalid(e)) => {
            let page = my_page(&state, &ctx, None, Form::new(ctx.lang).with_errors(&e), Form::new(ctx.lang), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        // Too many tries of the current password: said next to it, like a wrong one.
        Err(WebError::TooMany(key)) => {
            let e = FieldErrors::one("current_password", key);
            let page = my_page(&state, &ctx, None, Form::new(ctx.lang).with_errors(&e), Form::new(ctx.lang), None).await?;
            Ok(render_status(StatusCode::TOO_MANY_REQUESTS, &page))
        }
        Err(e) => Err(e),
    }
}

async fn create_token(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::org::sessions::create_api_token(&state.app, &ctx.caller, &form.get("name")).await {
        // Shown once, on this page; never stored in clear.
        Ok((_, secret)) => {
            Ok(render(&my_page(&state, &ctx, None, Form::new(ctx.lang), Form::new(ctx.lang), Some(secret)).await?))
        }
        Err(danvan_app::AppError::Invalid(e) | danvan_app::AppError::Conflict(e)) => {
            let page = my_page(&state, &ctx, None, Form::new(ctx.lang), Form::new(ctx.lang).with_errors(&e), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke_token(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    danvan_app::org::sessions::revoke_api_token(&state.app, &ctx.caller, id).await?;
    Ok(redirect_with(&ctx, "/account", "account.token_revoked", &[]))
}
