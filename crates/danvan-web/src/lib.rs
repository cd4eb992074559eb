//! danvan's HTTP layer: server-rendered pages, the JSON API under /api/v1 with its OpenAPI
//! document, authentication, CSRF, security headers, metrics and health.

pub mod api;
mod api_problems;
pub mod body_deadline;
pub(crate) mod calendar;
pub(crate) mod cases;
pub(crate) mod charts;
pub mod ctx;
pub(crate) mod emulation;
pub mod error;
pub mod extract;
pub mod form;
pub mod html;
pub mod i18n;
pub mod labels;
pub mod metrics;
pub mod middleware;
pub mod open311;
pub(crate) mod org;
pub mod overload;
pub(crate) mod pages;
pub(crate) mod review;
pub mod routes;
pub(crate) mod settings;
pub mod uploads;

use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;
use danvan_app::App;
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
    /// The bearer token `/metrics` asks for (`DANVAN_METRICS_TOKEN`). Without one `/metrics` is
    /// not served (404): its routes, counts and pool figures are not for the public.
    pub metrics_token: Option<String>,
    /// Requests at once per lane, queueing and the request timeout (overload.rs).
    pub limits: overload::Limits,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            session_hours: 12,
            source_url: env!("CARGO_PKG_REPOSITORY").to_string(),
            metrics_token: None,
            limits: overload::Limits::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The use cases' application (store, configuration, file storage).
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
    /// Excel exports running at once (each may hold 100,000 rows): beyond this, 429.
    pub exports: Arc<tokio::sync::Semaphore>,
    /// The lanes requests wait in, and are refused from, under overload.
    pub overload: Arc<overload::Overload>,
    /// The bytes of upload bodies held in memory at once (uploads.rs).
    pub upload_bytes: Arc<tokio::sync::Semaphore>,
}

/// How many Excel exports may run at once on one node.
pub const MAX_CONCURRENT_EXPORTS: usize = 2;

impl AppState {
    pub fn new(app: App, config: WebConfig) -> AppState {
        AppState {
            app,
            overload: Arc::new(overload::Overload::new(config.limits.clone())),
            upload_bytes: Arc::new(tokio::sync::Semaphore::new(config.limits.upload_bytes)),
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
            exports: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_EXPORTS)),
        }
    }
}

/// The whole application.
/// The routes that are neither pages nor the JSON API: machine endpoints and static files.
fn service_routes() -> routes::Routes {
    routes::Routes::new()
        .get("/api/openapi.json", openapi_json)
        .get("/healthz", healthz)
        .get("/metrics", metrics_text)
        .get("/static/danvan.css", stylesheet)
        .get("/static/map.js", map_script)
        .get("/static/inbox.js", inbox_script)
        .get("/static/danvan.js", page_script)
}

/// Every (method, path) the application serves: pages, Open311, service routes (from `Routes`)
/// and the JSON API (from its OpenAPI document).
pub fn route_table() -> Vec<routes::Route> {
    let (_, mut table) =
        pages::router().merge(open311::routes()).merge(service_routes()).merge(pages::upload_routes()).into_parts();
    let doc = api::openapi();
    for (path, item) in doc.paths.paths.iter() {
        let path: &'static str = Box::leak(path.clone().into_boxed_str());
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        table.extend(methods.into_iter().filter(|(_, on)| *on).map(|(method, _)| routes::Route { method, path }));
    }
    table.sort();
    table.dedup();
    table
}

pub fn router(state: AppState) -> Router {
    let (api_router, _) = api::router().split_for_parts();
    let (pages, _) = pages::router().merge(open311::routes()).merge(service_routes()).into_parts();
    let (uploads, _) = pages::upload_routes().into_parts();
    Router::new()
        .merge(pages)
        .merge(api_router)
        .fallback(pages::not_found)
        // Only the routes above: the upload routes merged below have their own, larger limit.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024 * 1024))
        .merge(
            uploads
                .layer(tower_http::limit::RequestBodyLimitLayer::new(uploads::UPLOAD_BODY_LIMIT))
                // axum's own extractors (Multipart) stop at 2 MB unless told otherwise.
                .layer(axum::extract::DefaultBodyLimit::max(uploads::UPLOAD_BODY_LIMIT)),
        )
        .layer(axum::middleware::from_fn(middleware::csrf_layer))
        // Outside the CSRF check, which reads form bodies; inside `html_errors`, which shows
        // its refusal as a page.
        .layer(axum::middleware::from_fn(body_deadline::body_deadline))
        .layer(axum::middleware::from_fn(pages::html_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ctx::context_layer))
        // Before the context, so that a refusal costs no database query.
        .layer(axum::middleware::from_fn_with_state(state.clone(), overload::overload_layer))
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
    if danvan_app::health::healthy(&state.app).await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

async fn metrics_text(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::StatusCode;
    let Some(token) = state.config.metrics_token.as_deref().filter(|t| !t.is_empty()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = ctx::bearer_token(&headers);
    if !given.is_some_and(|g| metrics::same_token(g.as_bytes(), token.as_bytes())) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(danvan_app::health::pool_stats(&state.app), danvan_app::health::intake_stats(&state.app)),
    )
        .into_response()
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

/// The inbox's keyboard navigation (j/k, Enter): a small enhancement, the page works without it.
async fn inbox_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/inbox.js"),
    )
}

/// The pages' small enhancements (copy buttons): the pages work without it.
async fn page_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/danvan.js"),
    )
}

/// A connection must deliver each request's headers within this time, the first and every later
/// one on a kept-alive connection; otherwise it is closed. A client opening connections and
/// sending nothing (slowloris) holds each for this long at most. Bodies have their own deadline
/// (`body_deadline`).
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Serves until `shutdown` resolves; in-flight requests finish first. HTTP/1.1, like
/// `axum::serve`, with a deadline on request headers that `axum::serve` cannot set.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::Service;
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            // What `into_make_service_with_connect_info` gave: the peer's address for the limits.
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            app.clone().call(req.map(axum::body::Body::new))
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A closed or timed-out connection is the client's business, not an error of ours.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
