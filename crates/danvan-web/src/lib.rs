//! danvan's HTTP layer: server-rendered pages, the JSON API under /api/v1 with its OpenAPI
//! document, authentication, CSRF, security headers, metrics and health.

pub mod api;
pub mod api_cases;
pub mod api_inbox;
pub mod ctx;
pub mod error;
pub mod extract;
pub mod html;
pub mod i18n;
pub mod metrics;
pub mod middleware;
pub mod open311;
pub mod pages;
pub mod uploads;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use danvan_app::App;
use danvan_store::Store;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies Secure (when served behind TLS). Also inferred from X-Forwarded-Proto.
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (behind a reverse proxy).
    pub trust_proxy: bool,
    pub session_hours: i64,
    /// Where the running version's source code is published (AGPL §13): shown in every footer.
    pub source_url: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            session_hours: 12,
            source_url: env!("CARGO_PKG_REPOSITORY").to_string(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The use cases' application (store, configuration, file storage).
    pub app: App,
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
    /// Excel exports running at once (each may hold 100,000 rows): beyond this, 429.
    pub exports: Arc<tokio::sync::Semaphore>,
}

/// How many Excel exports may run at once on one node.
pub const MAX_CONCURRENT_EXPORTS: usize = 2;

impl AppState {
    pub fn new(app: App, config: WebConfig) -> AppState {
        AppState {
            store: app.store.clone(),
            app,
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            exports: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_EXPORTS)),
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api_router, _) = api::router().split_for_parts();
    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .merge(open311::routes())
        .route("/api/openapi.json", get(openapi_json))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/static/danvan.css", get(stylesheet))
        .route("/static/map.js", get(map_script))
        .fallback(pages::not_found)
        // Only the routes above: the upload routes merged below have their own, larger limit.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024 * 1024))
        .merge(
            pages::upload_routes()
                .layer(tower_http::limit::RequestBodyLimitLayer::new(uploads::UPLOAD_BODY_LIMIT))
                // axum's own extractors (Multipart) stop at 2 MB unless told otherwise.
                .layer(axum::extract::DefaultBodyLimit::max(uploads::UPLOAD_BODY_LIMIT))
                .layer(axum::middleware::from_fn(uploads::limit_uploads)),
        )
        .layer(axum::middleware::from_fn(middleware::csrf_layer))
        .layer(axum::middleware::from_fn(pages::html_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ctx::context_layer))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::metrics_layer))
        .with_state(state)
}

async fn openapi_json() -> impl IntoResponse {
    // The document is fixed at build time: generate it once.
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOC.get_or_init(|| api::openapi().to_pretty_json().unwrap_or_default()).clone(),
    )
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    if state.store.health().await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

async fn metrics_text(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(state.store.pool_stats(), state.store.intake_stats()),
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/danvan.css"),
    )
}

async fn map_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/map.js"),
    )
}

/// Serves until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
