//! JSON API under /api/v1, described by OpenAPI 3 (utoipa). Every route is registered through
//! `OpenApiRouter::routes`, so the document and the router cannot drift apart. Errors are RFC 9457
//! problem documents in the caller's language (Accept-Language or the language cookie).

use crate::ctx::Ctx;
use crate::error::{problem_response, ErrorInfo, WebError};
use crate::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) type ApiResult<T> = Result<T, WebError>;

#[derive(OpenApi)]
#[openapi(
    info(title = "danvan API", description = "JSON API of danvan, the platform for mass mobilisation work (công tác dân vận). Authenticate with a personal API token (`Authorization: Bearer dv_…`) or a browser session cookie plus the `X-CSRF-Token` header for changes. Errors are RFC 9457 problem documents with per-field messages.", license(name = "AGPL-3.0-or-later")),
    modifiers(&Security),
    components(schemas(Problem, FieldProblem)),
    tags((name = "units", description = "The organisation tree"), (name = "accounts", description = "Officials, citizens and their roles"), (name = "me", description = "The caller's own account and tokens"), (name = "audit", description = "The append-only audit log"), (name = "cases", description = "Citizens' feedback, petitions, complaints and denunciations"), (name = "emulation", description = "Emulation records (ratings, titles, disciplines), the eligibility check, nomination lists, councils and decisions, and movements with their registrations and scores"), (name = "review", description = "The indicator catalogue, a unit's dashboard (indicators for whole months with the previous period and the year before, monthly series, sub-units, breakdowns and overdue cases) and the review reports with their generated figures"))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("dv_…").build()),
        );
        components
            .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::ctx::SESSION_COOKIE))));
        openapi.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new("token", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
    }
}

/// The API routes (with their full /api/v1 paths) and their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(crate::org::api_accounts::me))
        .routes(routes!(crate::org::api_units::list_units, crate::org::api_units::create_unit))
        .routes(routes!(crate::org::api_units::get_unit, crate::org::api_units::update_unit, crate::org::api_units::delete_unit))
        .routes(routes!(crate::org::api_units::unit_children))
        .routes(routes!(crate::org::api_units::unit_members))
        .routes(routes!(crate::org::api_units::dissolve_unit))
        .routes(routes!(crate::org::api_units::import_units))
        .routes(routes!(crate::org::api_units::export_units))
        .routes(routes!(crate::org::api_units::list_transfers))
        .routes(routes!(crate::org::api_units::place_transfer))
        .routes(routes!(crate::org::api_accounts::list_accounts, crate::org::api_accounts::create_account))
        .routes(routes!(crate::org::api_accounts::get_account, crate::org::api_accounts::update_account))
        .routes(routes!(crate::org::api_accounts::add_membership))
        .routes(routes!(crate::org::api_accounts::remove_membership))
        .routes(routes!(crate::org::api_accounts::list_tokens, crate::org::api_accounts::create_token))
        .routes(routes!(crate::org::api_accounts::revoke_token))
        .routes(routes!(crate::org::api_accounts::list_audit))
        .routes(routes!(crate::cases::api::create_case, crate::cases::api::list_cases))
        .routes(routes!(crate::cases::api::get_case))
        .routes(routes!(crate::cases::api::act))
        .routes(routes!(crate::cases::api_inbox::bulk_assign))
        .routes(routes!(crate::emulation::api::list_records))
        .routes(routes!(crate::emulation::api::get_record))
        .routes(routes!(crate::emulation::api::add_entry))
        .routes(routes!(crate::emulation::api::eligibility))
        .routes(routes!(crate::emulation::models_api::list_models))
        .routes(routes!(crate::emulation::models_api::public_models))
        .routes(routes!(crate::emulation::models_api::get_model))
        .routes(routes!(crate::emulation::api_council::awards))
        .routes(routes!(crate::emulation::api_council::create_nomination))
        .routes(routes!(crate::emulation::api_council::get_nomination))
        .routes(routes!(crate::emulation::api_council::add_item))
        .routes(routes!(crate::emulation::api_council::submit))
        .routes(routes!(crate::emulation::api_council::vote))
        .routes(routes!(crate::emulation::api_council::close))
        .routes(routes!(crate::emulation::api_council::draft_decision))
        .routes(routes!(crate::emulation::api_council::get_decision, crate::emulation::api_council::update_decision))
        .routes(routes!(crate::emulation::api_council::issue))
        .routes(routes!(crate::emulation::api_council::amend))
        .routes(routes!(crate::emulation::movement_api::list_movements, crate::emulation::movement_api::create_movement))
        .routes(routes!(crate::emulation::movement_api::get_movement))
        .routes(routes!(crate::emulation::movement_api::standings))
        .routes(routes!(crate::emulation::movement_api::add_criterion))
        .routes(routes!(crate::emulation::movement_api::register))
        .routes(routes!(crate::emulation::movement_api::score))
        .routes(routes!(crate::emulation::movement_api::assess))
        .routes(routes!(crate::review::api::dashboard))
        .routes(routes!(crate::review::api::indicators))
        .routes(routes!(crate::review::report_api::reports))
        .routes(routes!(crate::review::report_api::run))
        .layer(axum::middleware::from_fn(problem_language));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = router().split_for_parts().1;
    crate::api_problems::document(&mut doc);
    doc
}

/// Problem documents in the caller's language.
async fn problem_language(req: Request, next: Next) -> Response {
    let lang = req.extensions().get::<Ctx>().map(|c| c.lang).unwrap_or_default();
    let resp = next.run(req).await;
    match resp.extensions().get::<ErrorInfo>() {
        Some(info) if lang != crate::i18n::Lang::Vi => problem_response(info, lang),
        _ => resp,
    }
}

/// A JSON body; a malformed one is a 400 problem, not a plain-text rejection.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(_) => Err(WebError::BadRequest("error.json")),
        }
    }
}

/// RFC 9457 problem document.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "/problems/summary")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: Option<String>,
    pub errors: Option<Vec<FieldProblem>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// Translation key, stable across languages.
    pub key: String,
    pub message: String,
}

pub(crate) fn paging(page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    (crate::extract::page_number(page), per_page.unwrap_or(50).clamp(1, 500))
}

pub(crate) fn created<T: Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}
