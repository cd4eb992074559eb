//! The request context: who is asking (session cookie or API token), in which language, with
//! which CSRF token. Built once per request by `context_layer` and read by handlers.

use crate::error::{WebError, WebResult};
use crate::i18n::{self, Lang};
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use danvan_app::audit::AuditCtx;
use danvan_app::org::queries::Account;
use danvan_app::Caller;
use danvan_domain::{Action, Resource};
use std::net::SocketAddr;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "dv_session";
pub const CSRF_COOKIE: &str = "dv_csrf";
pub const LANG_COOKIE: &str = "dv_lang";
pub const FLASH_COOKIE: &str = "dv_flash";

#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    /// Who is asking, as the use cases see them.
    pub caller: Caller,
    /// The token a state-changing request must echo (form field `_csrf` or `X-CSRF-Token`).
    pub csrf: String,
    /// Authenticated by `Authorization: Bearer` (no cookie, so no CSRF check).
    pub via_token: bool,
    pub session_token: Option<String>,
    pub user_agent: String,
    /// Path and query of this request (to come back after signing in or switching language).
    pub here: String,
    pub flash: Option<String>,
    pub secure: bool,
    pub source_url: Arc<str>,
}

impl Ctx {
    /// The context of work done outside a request (command-line tools, jobs): no account.
    pub fn system() -> Ctx {
        Ctx {
            lang: Lang::Vi,
            caller: Caller::system(),
            csrf: String::new(),
            via_token: false,
            session_token: None,
            user_agent: String::new(),
            here: String::new(),
            flash: None,
            secure: false,
            source_url: Arc::from(""),
        }
    }

    /// The context of a request answered before its session is read (a refusal under
    /// overload): an anonymous visitor in `lang`.
    pub fn visitor(lang: Lang, here: String, source_url: &str) -> Ctx {
        Ctx { lang, here, source_url: Arc::from(source_url), caller: Caller::anonymous(String::new()), ..Ctx::system() }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    pub fn audit(&self) -> AuditCtx {
        self.caller.audit()
    }
    pub fn authorize(&self, action: Action, resource: Resource<'_>) -> WebResult<()> {
        Ok(self.caller.authorize(action, resource)?)
    }
    pub fn require_account(&self) -> WebResult<&Account> {
        Ok(self.caller.require_account()?)
    }
    pub fn is_admin(&self) -> bool {
        self.caller.is_admin()
    }
    pub fn can_administer(&self) -> bool {
        self.authorize(Action::View, Resource::Administration).is_ok()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| WebError::Internal("request context missing".into()))
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A Set-Cookie value with the attributes every danvan cookie shares.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The language of the answer to a request: pages are Vietnamese until the visitor switches
/// (a cookie); API clients may ask for a language with Accept-Language.
pub fn lang_for(headers: &HeaderMap, path: &str) -> Lang {
    let accept = || headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::from_accept);
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| if path.starts_with("/api/") { accept() } else { None })
        .unwrap_or_default()
}

async fn build(state: &AppState, headers: &HeaderMap, ip: String, here: String) -> Result<(Ctx, bool), WebError> {
    let secure = state.config.secure_cookies || headers.get("x-forwarded-proto").is_some_and(|v| v == "https");
    let lang = lang_for(headers, &here);
    let mut ctx = Ctx {
        lang,
        caller: Caller::anonymous(ip),
        csrf: String::new(),
        via_token: false,
        session_token: None,
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(300).collect(),
        here,
        flash: cookie(headers, FLASH_COOKIE).map(|s| s.to_string()),
        secure,
        source_url: Arc::from(state.config.source_url.as_str()),
    };
    let bearer = bearer_token(headers);
    let account_id = if let Some(secret) = bearer {
        let id = danvan_app::org::sessions::account_for_api_token(&state.app, secret).await?;
        if id.is_none() {
            return Err(WebError::SignIn);
        }
        ctx.via_token = true;
        id
    } else if let Some(token) = cookie(headers, SESSION_COOKIE) {
        match danvan_app::org::sessions::session(&state.app, token).await? {
            Some(s) => {
                ctx.csrf = s.csrf_token;
                ctx.session_token = Some(token.to_string());
                Some(s.account_id)
            }
            None => None,
        }
    } else {
        None
    };
    if let Some(id) = account_id {
        let account = danvan_app::org::queries::get_account(&state.app, id).await?;
        let memberships = danvan_app::org::queries::memberships_of(&state.app, id).await?;
        ctx.caller = Caller::account(account, memberships, std::mem::take(&mut ctx.caller.ip));
    }
    // Visitors without a session get a random double-submit token in their own cookie.
    let mut new_csrf_cookie = false;
    if ctx.csrf.is_empty() && !ctx.via_token {
        match cookie(headers, CSRF_COOKIE) {
            Some(c) if c.len() == 64 => ctx.csrf = c.to_string(),
            _ => {
                ctx.csrf = danvan_app::org::sessions::random_token();
                new_csrf_cookie = true;
            }
        }
    }
    Ok((ctx, new_csrf_cookie))
}

/// The token of an `Authorization: Bearer …` header; the scheme's name in any case (RFC 9110
/// §11.1).
pub(crate) fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The client's address: the connection's, or behind a trusted proxy the address it appended.
pub(crate) fn client_ip(state: &AppState, req: &Request) -> String {
    if state.config.trust_proxy {
        if let Some(fwd) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            // The last entry is the one our proxy appended; earlier ones come from the client.
            if let Some(last) = fwd.rsplit(',').next() {
                return last.trim().to_string();
            }
        }
    }
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default()
}

/// Middleware: builds the context, and afterwards sets the CSRF cookie for new visitors and
/// clears a flash message once shown.
pub async fn context_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // The scraper's bearer token is /metrics' own (`WebConfig::metrics_token`), not an API token.
    if req.uri().path() == "/metrics" {
        return next.run(req).await;
    }
    let ip = client_ip(&state, &req);
    let here = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let headers = req.headers().clone();
    let (ctx, new_csrf) = match build(&state, &headers, ip, here).await {
        Ok(x) => x,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let had_flash = ctx.flash.is_some();
    let csrf = ctx.csrf.clone();
    let secure = ctx.secure;
    req.extensions_mut().insert(ctx);
    let mut resp = next.run(req).await;
    let sets_flash =
        resp.headers().get_all(header::SET_COOKIE).iter().any(|v| v.to_str().is_ok_and(|s| s.starts_with(FLASH_COOKIE)));
    if had_flash && !sets_flash && !resp.status().is_redirection() {
        resp.headers_mut().append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), secure));
    }
    if new_csrf {
        resp.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &csrf, None, secure));
    }
    resp
}

/// Refuses whoever does not administer the whole system (the settings, categories, calendar and
/// import pages).
pub(crate) fn admin_only(ctx: &Ctx) -> Result<(), WebError> {
    ctx.authorize(Action::Update, Resource::System)
}

/// The site's address for absolute links: the configured public address when set; else the
/// request's, where X-Forwarded-Host/-Proto count only behind a trusted proxy (anyone can send
/// them, and the links end up in other clients' responses and caches).
pub fn base_url(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let config = &state.config;
    let public = state.app.config.delivery.public_url.trim_end_matches('/');
    if !public.is_empty() {
        return public.to_string();
    }
    let forwarded = |name: &str| if config.trust_proxy { headers.get(name) } else { None };
    let host = forwarded("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let proto = forwarded("x-forwarded-proto").and_then(|v| v.to_str().ok()).unwrap_or("http");
    format!("{proto}://{host}")
}
