//! What every page shares: rendering, forms, redirects and flashes, the error pages, the home page
//! and the language switch. The pages themselves live with their capability (org/, cases/,
//! settings/); every flow works without JavaScript.

use crate::ctx::{set_cookie, Ctx, FLASH_COOKIE, LANG_COOKIE};
pub(crate) use crate::error::rename_fields;
use crate::error::{ErrorInfo, WebError};
use crate::html::{flash_value, Page};
use crate::i18n::{self, Lang};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danvan_app::org::queries::MembershipRow;

pub fn router() -> Routes {
    Routes::new()
        .get("/", home)
        .post("/lang", switch_lang)
        .post("/notifications/read", read_notifications)
        .get("/problems/{slug}", problem_type)
        .merge(crate::org::auth::routes())
        .merge(crate::org::units::routes())
        .merge(crate::org::answer_symbol::routes())
        .merge(crate::org::accounts::routes())
        .merge(crate::settings::pages::routes())
        .merge(crate::cases::categories::routes())
        .merge(crate::calendar::pages::routes())
        .merge(crate::cases::import_page::routes())
        .merge(crate::cases::map::routes())
        .merge(crate::cases::routes())
        .merge(crate::cases::answer_doc::routes())
        .merge(crate::cases::inbox::routes())
        .merge(crate::cases::export::routes())
        .merge(crate::cases::delivery::routes())
        .merge(crate::emulation::routes())
        .merge(crate::review::routes())
}

/// Routes that take files (multipart), kept apart for their larger body limit.
pub fn upload_routes() -> Routes {
    crate::cases::upload_routes().merge(crate::open311::upload_routes()).merge(crate::emulation::upload_routes())
}

/// Renders a template, or the plain error page when rendering itself fails.
pub(crate) fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => WebError::Internal(e.to_string()).into_response(),
    }
}

pub(crate) fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    let mut r = render(t);
    if r.status().is_success() {
        *r.status_mut() = status;
    }
    r
}

/// A redirect that shows a flash message on the next page.
pub(crate) fn redirect_with(ctx: &Ctx, to: &str, key: &str, args: &[(&str, String)]) -> Response {
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, &flash_value("ok", key, args), Some(60), ctx.secure));
    r
}

/// Only local paths are followed after sign-in or a language switch (no open redirects).
pub(crate) fn safe_back(s: &str) -> String {
    // Browsers drop tabs and newlines from URLs, so "/\t/evil" would become "//evil".
    let plain = s.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    if plain && s.starts_with('/') && !s.starts_with("//") {
        s.to_string()
    } else {
        "/".into()
    }
}

/// `application/x-www-form-urlencoded` fields, keeping repeated keys (multi-selects).
pub(crate) struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, k: &str) -> String {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    /// The boxes ticked under `tick` and the list typed in `typed`, as one list separated by
    /// `sep` (what a use case reads).
    pub fn ticked_and_typed(&self, tick: &str, typed: &str, sep: &str) -> String {
        self.all(tick).into_iter().chain([self.get(typed)]).filter(|v| !v.trim().is_empty()).collect::<Vec<_>>().join(sep)
    }
    /// The same form with the values of the repeated field `tick` folded into one, separated by
    /// commas: how a refilled form (`Form::ticks`) knows which boxes were ticked.
    pub fn fold_ticks(self, tick: &str) -> FormData {
        let ticked = self.all(tick).join(",");
        FormData(self.0.into_iter().filter(|(k, _)| k != tick).chain([(tick.to_string(), ticked)]).collect())
    }
    /// Every value of a repeated key (ticked checkboxes), in order.
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| WebError::BadRequest("error.bad_request"))?;
        let s = std::str::from_utf8(&bytes).map_err(|_| WebError::BadRequest("error.bad_request"))?;
        let pairs = crate::middleware::url_pairs(s)
            .map(|(k, v)| {
                // Passwords are taken exactly as typed; everything else is stored NFC.
                let v = if k.contains("password") { v } else { danvan_domain::text::clean_multiline(&v) };
                (k, v)
            })
            .collect();
        Ok(FormData(pairs))
    }
}

/// The submitted form again, with its errors (reported under the form's field names).
pub(crate) fn refill(ctx: &Ctx, form: &FormData, e: &danvan_domain::FieldErrors, renames: &[(&str, &str)]) -> crate::html::Form {
    let mut f = crate::html::Form::new(ctx.lang).with_errors(&rename_fields(e.clone(), renames));
    for (k, v) in &form.0 {
        f.values.insert(k.clone(), v.clone());
    }
    f
}

/// Forms name units by code (officials know them; a select of every unit would not scale).
pub(crate) async fn unit_by_code(
    state: &AppState,
    code: &str,
    field: &str,
    errors: &mut danvan_domain::FieldErrors,
) -> Result<Option<i64>, WebError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    match danvan_app::org::queries::get_unit_by_code(&state.app, code).await? {
        Some(u) => Ok(Some(u.id)),
        None => {
            errors.add(field, "error.unit_unknown");
            Ok(None)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    p: Page,
    message: String,
    fields: Vec<String>,
}

/// Turns API-shaped errors outside the API into pages: sign-in redirects, friendly messages.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned().filter(|c| !c.here.starts_with("/api/") && !c.here.starts_with("/open311/"));
    let is_get = req.method() == axum::http::Method::GET;
    let resp = next.run(req).await;
    let (Some(info), Some(ctx)) = (resp.extensions().get::<ErrorInfo>().cloned(), ctx) else {
        return resp;
    };
    let status = resp.status();
    if status == StatusCode::UNAUTHORIZED && is_get {
        return Redirect::to(&format!("/login?next={}", crate::html::urlencode(&ctx.here))).into_response();
    }
    let title = i18n::t(ctx.lang, if status.is_client_error() { "error.title" } else { "error.internal" });
    let fields = info.fields.map(|f| f.0.iter().map(|e| i18n::t(ctx.lang, &e.key)).collect()).unwrap_or_default();
    let page = ErrorPage { p: Page::new(&ctx, &title), message: i18n::t(ctx.lang, info.key), fields };
    let retry = resp.headers().get(header::RETRY_AFTER).cloned();
    let mut page = render_status(status, &page);
    if let Some(v) = retry {
        page.headers_mut().insert(header::RETRY_AFTER, v);
    }
    page
}

/// The error page for `key` with `status`, for answers made outside a handler (overload).
pub(crate) fn error_page(ctx: &Ctx, status: StatusCode, key: &str) -> Response {
    let page = ErrorPage { p: Page::new(ctx, &ctx.t("error.title")), message: ctx.t(key), fields: vec![] };
    render_status(status, &page)
}

pub async fn not_found(ctx: Ctx) -> Response {
    if ctx.here.starts_with("/api/") {
        return WebError::NotFound.problem(ctx.lang);
    }
    let page = ErrorPage { p: Page::new(&ctx, &ctx.t("error.title")), message: ctx.t("error.not_found"), fields: vec![] };
    render_status(StatusCode::NOT_FOUND, &page)
}

/// The `type` URIs of problem documents resolve to a page that explains them.
async fn problem_type(ctx: Ctx, axum::extract::Path(slug): axum::extract::Path<String>) -> Response {
    let key = i18n::find_key(ctx.lang, |k| k.starts_with("error.") && crate::error::problem_slug(k) == slug);
    let Some(key) = key else {
        return not_found(ctx).await;
    };
    let page = ErrorPage { p: Page::new(&ctx, &ctx.t("error.title")), message: ctx.t(key), fields: vec![] };
    render(&page)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    p: Page,
    greeting: Option<String>,
    memberships: Vec<MembershipRow>,
    stats: String,
    counters: Vec<(String, String, i64)>,
    notices: Vec<danvan_app::cases::queries::Notification>,
    /// The public figures of the province this server serves (`/public/cases?unit=`).
    figures_unit: String,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let units = danvan_app::org::queries::count_units(&state.app).await?;
    let accounts = danvan_app::org::queries::count_accounts(&state.app).await?;
    let stats = i18n::tf(
        ctx.lang,
        "home.stats",
        &[("units", &i18n::number(ctx.lang, units)), ("accounts", &i18n::number(ctx.lang, accounts))],
    );
    let greeting = ctx.caller.account.as_ref().map(|a| i18n::tf(ctx.lang, "home.officer_title", &[("name", &a.full_name)]));
    // Officers, leaders and the party committee overseeing the territory see its work at a
    // glance, as links into the inbox.
    let work_unit = ctx.caller.work_unit(danvan_domain::Action::ViewCases).map(|m| m.unit_id);
    let counters = match work_unit {
        Some(u) => crate::cases::inbox_page::counters(&state, &ctx, Some(u)).await?,
        None => vec![],
    };
    let notices = match &ctx.caller.account {
        Some(_) if work_unit.is_some() => danvan_app::cases::queries::unread_notifications(&state.app, &ctx.caller, 20).await?,
        _ => vec![],
    };
    Ok(render(&HomePage {
        p: Page::new(&ctx, &ctx.t("home.title")),
        greeting,
        memberships: ctx.caller.memberships.to_vec(),
        stats,
        counters,
        notices,
        figures_unit: danvan_app::settings::settings(&state.app).await?.province_code().to_string(),
    }))
}

async fn read_notifications(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::cases::edits::mark_notifications_read(&state.app, &ctx.caller).await?;
    Ok(Redirect::to("/").into_response())
}

/// Switches the interface language and remembers it for a year.
async fn switch_lang(ctx: Ctx, form: FormData) -> Response {
    let lang = Lang::parse(&form.get("lang")).unwrap_or(ctx.lang.other());
    let mut r = Redirect::to(&safe_back(&form.get("back"))).into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), ctx.secure));
    r.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
    r
}
