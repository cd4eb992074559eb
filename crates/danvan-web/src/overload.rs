//! Overload: under more load than the machine can serve, the server sheds work with 503 and
//! `Retry-After` rather than queueing without bound, and serves citizens' intake apart from
//! expensive reads.
//!
//! Every request falls in one of three lanes (`classify`, by the matched route):
//!
//! - **intake**: the public form (`GET`/`POST /cases/new`), `POST /api/v1/cases`, Open311's
//!   `POST requests`, `/healthz` and the static files;
//! - **expensive**: lists, searches, figures and exports (the inbox and its Excel export,
//!   `GET /api/v1/cases`, the public list and map, Open311's listing, unit and account
//!   searches, the audit log, the unit CSV exports);
//! - **general**: everything else.
//!
//! Each lane has its own slots (`Limits`): a request takes one of its lane's, or waits for one in
//! a short queue (at most as many waiting as the lane has slots, each at most `queue_wait`);
//! beyond that it is refused at once with 503 `error.overloaded` and `Retry-After`. Lanes do not
//! borrow from each other, so expensive reads — a few at a time, fewer than the database's read
//! connections — cannot take the capacity intake needs.
//!
//! A client address may have at most `MAX_BODIES_PER_CLIENT` requests with a body in progress at
//! once, in all lanes; another waits for one of them to end (at most `queue_wait`, holding no
//! slot), then is refused the same way. A body is received while the
//! request holds its lane's slot, so without this one client sending a few dozen bodies slowly
//! (fast enough for the body deadline) would hold every intake slot. Many addresses doing so is
//! a distributed attack, for the reverse proxy (OPERATIONS.md).
//!
//! A request also has `request_timeout` from its arrival (the time spent waiting for the
//! client's body not counted: `body_deadline` bounds that), after which its work is dropped and
//! it is answered 503 `error.timeout`. Dropping is safe: every use case is one transaction, which
//! a dropped future rolls back, or which the intake writer task commits whole (the client may
//! retry with its `Idempotency-Key`); an Excel export being written keeps its export slot until
//! its blocking thread ends.
//!
//! The layer runs before the request context, so a refusal costs no database query. Refusals are
//! in each surface's format: a page (Vietnamese unless the visitor chose English), an
//! `application/problem+json` document under `/api/`, Open311's error document under
//! `/open311/`.

use crate::body_deadline::BodyWait;
use crate::ctx::{lang_for, Ctx};
use crate::error::{problem_response, ErrorInfo};
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The limits (settings `limits.*`, README's table).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests of the general lane handled at once.
    pub max_requests: usize,
    /// Intake requests (public form, API and Open311 creation, health, static files) at once.
    pub max_intake: usize,
    /// Expensive reads (lists, searches, figures, exports) at once. Keep it under the database's
    /// read connections (8 on SQLite, 16 in all on PostgreSQL).
    pub max_expensive: usize,
    /// How long a request may wait for a slot of its lane before it is refused.
    pub queue_wait: Duration,
    /// How long a request may take from its arrival, the time spent receiving its body excepted.
    pub request_timeout: Duration,
    /// Bytes of upload bodies held in memory at once (uploads.rs), then 503.
    pub upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_requests: 64,
            max_intake: 32,
            max_expensive: 4,
            queue_wait: Duration::from_secs(2),
            request_timeout: Duration::from_secs(60),
            upload_bytes: crate::uploads::UPLOAD_BYTES_IN_FLIGHT,
        }
    }
}

/// Requests with a body one client address may have in progress at once.
pub const MAX_BODIES_PER_CLIENT: usize = 8;

/// What a refused client is told to wait, in seconds.
pub const RETRY_AFTER_SECS: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Intake,
    Expensive,
    General,
}

/// The lane of a request, from its method and route template (the raw path when unmatched).
pub fn classify(method: &Method, route: &str) -> Lane {
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    match route {
        "/cases/new" if get || post => Lane::Intake,
        "/api/v1/cases" if post => Lane::Intake,
        "/open311/v2/{file}" if post => Lane::Intake,
        "/healthz" | "/static/danvan.css" | "/static/map.js" | "/static/inbox.js" => Lane::Intake,
        "/inbox"
        | "/inbox/export.xlsx"
        | "/api/v1/cases"
        | "/public/cases"
        | "/public/map.geojson"
        | "/open311/v2/{file}"
        | "/units"
        | "/api/v1/units"
        | "/api/v1/units/export"
        | "/admin/units/export.csv"
        | "/admin/accounts"
        | "/api/v1/accounts"
        | "/admin/audit"
        | "/api/v1/audit"
            if get =>
        {
            Lane::Expensive
        }
        _ => Lane::General,
    }
}

/// The slots of one lane and its queue.
#[derive(Debug)]
struct Slots {
    slots: Arc<Semaphore>,
    size: usize,
    waiting: AtomicUsize,
}

impl Slots {
    fn new(size: usize) -> Slots {
        let size = size.max(1);
        Slots { slots: Arc::new(Semaphore::new(size)), size, waiting: AtomicUsize::new(0) }
    }

    /// A slot now, or after waiting at most `wait` behind at most `size` others; else None.
    async fn take(&self, wait: Duration) -> Option<OwnedSemaphorePermit> {
        if let Ok(p) = self.slots.clone().try_acquire_owned() {
            return Some(p);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.size {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        // Leaves the queue however the wait ends (a dropped request included).
        struct Queued<'a>(&'a AtomicUsize);
        impl Drop for Queued<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let _queued = Queued(&self.waiting);
        tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await.ok()?.ok()
    }
}

/// The server's lanes (in `AppState`).
#[derive(Debug)]
pub struct Overload {
    limits: Limits,
    intake: Slots,
    expensive: Slots,
    general: Slots,
    /// Requests with a body in progress, per client address.
    bodies: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    /// Woken when one ends.
    body_ended: Arc<tokio::sync::Notify>,
}

/// A client's request with a body, counted until dropped.
struct BodyTicket {
    bodies: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    ended: Arc<tokio::sync::Notify>,
    client: String,
}

impl Drop for BodyTicket {
    fn drop(&mut self) {
        let mut m = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.client);
            }
        }
        drop(m);
        self.ended.notify_waiters();
    }
}

impl Overload {
    pub fn new(limits: Limits) -> Overload {
        Overload {
            intake: Slots::new(limits.max_intake),
            expensive: Slots::new(limits.max_expensive),
            general: Slots::new(limits.max_requests),
            limits,
            bodies: Arc::default(),
            body_ended: Arc::default(),
        }
    }

    /// Counts a request with a body from `client`, now or once one of its others ends within
    /// `wait`; None when it still has its maximum.
    async fn body_ticket(&self, client: &str, wait: Duration) -> Option<BodyTicket> {
        let until = Instant::now() + wait;
        loop {
            // Registered before looking, so that an end between the two is not missed.
            let ended = self.body_ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            {
                let mut m = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
                let n = m.entry(client.to_string()).or_insert(0);
                if *n < MAX_BODIES_PER_CLIENT {
                    *n += 1;
                    return Some(BodyTicket {
                        bodies: self.bodies.clone(),
                        ended: self.body_ended.clone(),
                        client: client.to_string(),
                    });
                }
            }
            if tokio::time::timeout_at(until, ended).await.is_err() {
                return None;
            }
        }
    }

    fn slots(&self, lane: Lane) -> &Slots {
        match lane {
            Lane::Intake => &self.intake,
            Lane::Expensive => &self.expensive,
            Lane::General => &self.general,
        }
    }

    /// Takes every free slot of `lane` and keeps them until the permit is dropped: what a lane
    /// full of slow requests looks like (tests; an operator's drain).
    pub async fn hold_all(&self, lane: Lane) -> OwnedSemaphorePermit {
        let s = self.slots(lane);
        s.slots.clone().acquire_many_owned(s.size as u32).await.expect("the semaphore is never closed")
    }
}

/// Where a refusal goes, and so its format.
enum Surface {
    Api,
    Open311,
    Plain,
    Page,
}

fn surface(path: &str) -> Surface {
    if path.starts_with("/api/") {
        Surface::Api
    } else if path.starts_with("/open311/") {
        Surface::Open311
    } else if path == "/healthz" || path == "/metrics" || path.starts_with("/static/") {
        Surface::Plain
    } else {
        Surface::Page
    }
}

/// 503 with `Retry-After`, in the surface's format.
struct Head {
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
}

fn refusal(state: &AppState, req: &Head, key: &'static str) -> Response {
    let path = req.uri.path();
    let status = StatusCode::SERVICE_UNAVAILABLE;
    let lang = lang_for(&req.headers, path);
    let mut resp = match surface(path) {
        Surface::Api => problem_response(&ErrorInfo { status, key, fields: None }, lang),
        Surface::Open311 => crate::open311::error_for_path(path, 503, &crate::i18n::t(crate::i18n::Lang::En, key)),
        Surface::Plain => axum::response::IntoResponse::into_response((status, crate::i18n::t(crate::i18n::Lang::En, key))),
        Surface::Page => {
            let here = req.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
            crate::pages::error_page(&Ctx::visitor(lang, here, &state.config.source_url), status, key)
        }
    };
    crate::error::retry_after(&mut resp);
    resp
}

/// The layer: a slot of the request's lane, then the handler within the request timeout.
pub async fn overload_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let arrived = Instant::now();
    let overload = state.overload.clone();
    let lane = {
        let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str()).unwrap_or(req.uri().path());
        classify(req.method(), route)
    };
    let wait = BodyWait::default();
    req.extensions_mut().insert(wait.clone());
    // What a refusal needs once the request has gone to the handler.
    let head = Head { uri: req.uri().clone(), headers: req.headers().clone() };

    // A body is coming: a declared length above zero, or chunks.
    let has_body = req.headers().get(axum::http::header::TRANSFER_ENCODING).is_some()
        || req.headers().get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() != "0");
    let _ticket = if has_body {
        match overload.body_ticket(&crate::ctx::client_ip(&state, &req), overload.limits.queue_wait).await {
            Some(t) => Some(t),
            None => {
                tracing::warn!(?lane, path = head.uri.path(), "too many bodies from one client: request refused");
                return refusal(&state, &head, "error.overloaded");
            }
        }
    } else {
        None
    };

    let limits = &overload.limits;
    let work = async {
        let _slot = overload.slots(lane).take(limits.queue_wait).await?;
        Some(next.run(req).await)
    };
    tokio::pin!(work);
    loop {
        // The time spent waiting for the client's body does not count.
        let due = arrived + limits.request_timeout + wait.waited();
        tokio::select! {
            done = &mut work => {
                return match done {
                    Some(resp) => resp,
                    None => {
                        tracing::warn!(?lane, path = head.uri.path(), "overloaded: request refused");
                        refusal(&state, &head, "error.overloaded")
                    }
                };
            }
            _ = tokio::time::sleep_until(due) => {
                if Instant::now() >= arrived + limits.request_timeout + wait.waited() {
                    tracing::warn!(?lane, path = head.uri.path(), "request timed out");
                    return refusal(&state, &head, "error.timeout");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intake_and_expensive_reads_have_their_own_lanes() {
        assert_eq!(classify(&Method::POST, "/cases/new"), Lane::Intake);
        assert_eq!(classify(&Method::POST, "/api/v1/cases"), Lane::Intake);
        assert_eq!(classify(&Method::POST, "/open311/v2/{file}"), Lane::Intake);
        assert_eq!(classify(&Method::GET, "/healthz"), Lane::Intake);
        assert_eq!(classify(&Method::GET, "/api/v1/cases"), Lane::Expensive);
        assert_eq!(classify(&Method::GET, "/open311/v2/{file}"), Lane::Expensive);
        assert_eq!(classify(&Method::GET, "/inbox/export.xlsx"), Lane::Expensive);
        assert_eq!(classify(&Method::GET, "/public/cases"), Lane::Expensive);
        assert_eq!(classify(&Method::GET, "/cases/{id}"), Lane::General);
        assert_eq!(classify(&Method::POST, "/inbox"), Lane::General);
    }

    #[tokio::test]
    async fn a_full_lane_queues_a_few_then_refuses() {
        let s = Slots::new(1);
        let held = s.take(Duration::ZERO).await.expect("a free slot");
        // One may wait (the queue is as long as the lane); it gets the slot once freed.
        let waiter = s.take(Duration::from_secs(5));
        tokio::pin!(waiter);
        tokio::select! { _ = &mut waiter => panic!("no slot is free"), _ = tokio::time::sleep(Duration::from_millis(20)) => {} }
        // The queue is full: refused at once.
        assert!(s.take(Duration::from_secs(5)).await.is_none());
        drop(held);
        assert!(waiter.await.is_some());
        // An empty queue again, and a wait that ends refused.
        assert_eq!(s.waiting.load(Ordering::Relaxed), 0);
        let _held = s.take(Duration::ZERO).await.expect("free again");
        assert!(s.take(Duration::from_millis(10)).await.is_none());
        assert_eq!(s.waiting.load(Ordering::Relaxed), 0);
    }
}
