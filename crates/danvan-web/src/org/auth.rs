//! Signing in and out, citizen registration.

use crate::ctx::{set_cookie, Ctx, SESSION_COOKIE};
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::{Form, Page};
use crate::pages::{redirect_with, render, render_status, safe_back, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::org::account::AccountInput;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout)
        .post("/logout-everywhere", logout_everywhere)
        .get("/register", register_form)
        .post("/register", register)
}

#[derive(Template)]
#[template(path = "org/login.html")]
struct LoginPage {
    p: Page,
    form: Form,
    next: String,
    message: String,
}

async fn login_form(ctx: Ctx, QueryParams(q): QueryParams<HashMap<String, String>>) -> Response {
    let next = safe_back(q.get("next").map(|s| s.as_str()).unwrap_or("/"));
    render(&LoginPage { p: Page::new(&ctx, &ctx.t("login.title")), form: Form::new(ctx.lang), next, message: String::new() })
}

async fn start_session(state: &AppState, ctx: &Ctx, account_id: i64, to: &str) -> Result<Response, WebError> {
    let ttl = chrono::Duration::hours(state.config.session_hours);
    let (token, _csrf) =
        danvan_app::org::sessions::create_session(&state.app, account_id, ttl, &ctx.caller.ip, &ctx.user_agent).await?;
    let mut r = redirect_with(ctx, to, "login.welcome", &[]);
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, Some(state.config.session_hours * 3600), ctx.secure));
    Ok(r)
}

async fn login(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let next = safe_back(&form.get("next"));
    match danvan_app::org::accounts::login(&state.app, &ctx.caller, &form.get("username"), &form.get("password"))
        .await
        .map_err(WebError::from)
    {
        Ok(account) => {
            danvan_app::audit::record_event(
                &state.app,
                &ctx.caller,
                "session.login",
                "account",
                Some(account.id),
                &account.full_name,
                Default::default(),
            )
            .await?;
            start_session(&state, &ctx, account.id, &next).await
        }
        Err(e @ (WebError::Invalid(_) | WebError::TooMany(_))) => {
            let status = e.status();
            let message = ctx.t(match &e {
                WebError::TooMany(k) => k,
                _ => "login.failed",
            });
            let f = Form::new(ctx.lang).set("username", form.get("username"));
            Ok(render_status(status, &LoginPage { p: Page::new(&ctx, &ctx.t("login.title")), form: f, next, message }))
        }
        Err(e) => Err(e),
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    if let Some(token) = &ctx.session_token {
        danvan_app::org::sessions::delete_session(&state.app, token).await?;
    }
    let mut r = redirect_with(&ctx, "/", "logout.done", &[]);
    r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure));
    Ok(r)
}

async fn logout_everywhere(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::org::sessions::sign_out_everywhere(&state.app, &ctx.caller).await?;
    let mut r = redirect_with(&ctx, "/", "logout.everywhere_done", &[]);
    r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure));
    Ok(r)
}

#[derive(Template)]
#[template(path = "org/register.html")]
struct RegisterPage {
    p: Page,
    form: Form,
}

async fn register_form(ctx: Ctx) -> Response {
    if ctx.caller.account.is_some() {
        return Redirect::to("/account").into_response();
    }
    render(&RegisterPage { p: Page::new(&ctx, &ctx.t("register.title")), form: Form::new(ctx.lang) })
}

async fn register(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let input = AccountInput {
        username: form.get("username"),
        full_name: form.get("full_name"),
        email: form.get("email"),
        phone: form.get("phone"),
    };
    match danvan_app::org::accounts::register(&state.app, &ctx.caller, &input, &form.get("new_password"))
        .await
        .map_err(WebError::from)
    {
        Ok(account) => start_session(&state, &ctx, account.id, "/account").await,
        Err(WebError::Invalid(e)) => {
            let f = Form::new(ctx.lang)
                .set("username", &input.username)
                .set("full_name", &input.full_name)
                .set("email", &input.email)
                .set("phone", &input.phone)
                .with_errors(&e);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage { p: Page::new(&ctx, &ctx.t("register.title")), form: f },
            ))
        }
        Err(e) => Err(e),
    }
}
