//! A deadline on reading request bodies. A client must keep sending: past a grace period its
//! body must have arrived at an average of at least `MIN_BYTES_PER_SEC`, and all of it within
//! `MAX_READ`. One that sends a byte a second — to hold a connection, and formerly an upload
//! slot — is answered 408 once the grace period is over (Open311 in its own error format).

use crate::ctx::Ctx;
use crate::error::{problem_response, ErrorInfo};
use crate::i18n::Lang;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Time every body has, whatever its pace (a phone on a weak network starting up).
pub const GRACE: Duration = Duration::from_secs(10);
/// The slowest average pace accepted after the grace period (8 kbit/s: any real network).
pub const MIN_BYTES_PER_SEC: u64 = 1024;
/// No body takes longer than this to arrive (55 MB at this pace is ~95 KB/s).
pub const MAX_READ: Duration = Duration::from_secs(600);

/// How long after the request began the next piece of its body may arrive, once `got` bytes
/// have: the grace period plus the time `got` bytes buy at the minimum pace, at most `MAX_READ`.
pub fn next_piece_due(got: u64) -> Duration {
    (GRACE + Duration::from_millis(got.saturating_mul(1000) / MIN_BYTES_PER_SEC)).min(MAX_READ)
}

pub async fn body_deadline(req: Request, next: Next) -> Response {
    if req.body().size_hint().exact() == Some(0) {
        return next.run(req).await;
    }
    let start = tokio::time::Instant::now();
    let timed_out = Arc::new(AtomicBool::new(false));
    let path = req.uri().path().to_string();
    let lang = req.extensions().get::<Ctx>().map(|c| c.lang).unwrap_or(Lang::Vi);
    let (parts, body) = req.into_parts();
    let flag = timed_out.clone();
    let pieces = futures_util::stream::unfold((body.into_data_stream(), 0u64, flag), move |(mut s, got, flag)| async move {
        if flag.load(Ordering::Relaxed) {
            return None;
        }
        match tokio::time::timeout_at(start + next_piece_due(got), s.next()).await {
            Ok(Some(Ok(piece))) => {
                let got = got + piece.len() as u64;
                Some((Ok(piece), (s, got, flag)))
            }
            Ok(Some(Err(e))) => Some((Err(e), (s, got, flag))),
            Ok(None) => None,
            Err(_) => {
                flag.store(true, Ordering::Relaxed);
                let e = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body sent too slowly");
                Some((Err(axum::Error::new(e)), (s, got, flag)))
            }
        }
    });
    let resp = next.run(Request::from_parts(parts, Body::from_stream(pieces))).await;
    if !timed_out.load(Ordering::Relaxed) {
        // The body limit's refusal comes from outside Open311's handlers: in its format too.
        if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && path.starts_with("/open311/") {
            return crate::open311::error_for_path(&path, 413, "the request body is too large");
        }
        return resp;
    }
    // Whatever the handler made of the cut body, the answer is that it came too slowly.
    let mut refusal = if path.starts_with("/open311/") {
        crate::open311::error_for_path(&path, 408, "the request body was sent too slowly")
    } else {
        let info = ErrorInfo { status: StatusCode::REQUEST_TIMEOUT, key: "error.body_timeout", fields: None };
        problem_response(&info, lang)
    };
    refusal.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    refusal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_must_keep_a_minimum_pace_after_the_grace_period() {
        assert_eq!(next_piece_due(0), GRACE);
        // A byte a second never buys more than the grace period and a second.
        assert!(next_piece_due(60) < GRACE + Duration::from_secs(1));
        // 100 KiB buy 100 seconds at the minimum pace; nothing buys more than MAX_READ.
        assert_eq!(next_piece_due(100 * 1024), GRACE + Duration::from_secs(100));
        assert_eq!(next_piece_due(55 * 1024 * 1024), MAX_READ);
        assert_eq!(next_piece_due(u64::MAX), MAX_READ);
    }
}
