//! A deadline on reading request bodies. A client must keep sending: past a grace period its
//! body must have arrived at an average of at least `MIN_BYTES_PER_SEC`, and all of it within
//! `max_read` of its length. One that sends a byte a second — to hold a connection, and formerly
//! an upload slot — is answered 408 once the grace period is over (Open311 in its own error
//! format). The clock starts when the handler first reads the body, not when the request
//! arrives: time spent waiting for a slot (overload.rs) is not the client's.
//!
//! The time spent waiting for the client's pieces is also told to the request timeout
//! (`BodyWait`), which counts only the server's own time: a slow upload is bounded here, by its
//! pace, and not cut by the timeout meant for slow handlers.

use crate::ctx::Ctx;
use crate::error::{problem_response, ErrorInfo};
use crate::i18n::Lang;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Time every body has, whatever its pace (a phone on a weak network starting up).
pub const GRACE: Duration = Duration::from_secs(10);
/// The slowest average pace accepted after the grace period (8 kbit/s: any real network).
pub const MIN_BYTES_PER_SEC: u64 = 1024;
/// Every body may take at least this long in all.
pub const MIN_TOTAL: Duration = Duration::from_secs(600);
/// The pace a whole large body must keep on average (128 kbit/s, a weak 2G/EDGE link): a body of
/// `n` bytes has `GRACE + n / FULL_BODY_PACE` in all when that is more than `MIN_TOTAL` — a
/// 55 MB upload about an hour, where ten minutes asked for 92 KB/s.
pub const FULL_BODY_PACE: u64 = 16 * 1024;

/// How long a body of `len` bytes may take in all (`len`: its Content-Length, or the largest a
/// route accepts when not given).
pub fn max_read(len: u64) -> Duration {
    (GRACE + Duration::from_millis(len.saturating_mul(1000) / FULL_BODY_PACE)).max(MIN_TOTAL)
}

/// How long after the first read the next piece of a body may arrive, once `got` bytes have: the
/// grace period plus the time `got` bytes buy at the minimum pace, at most `total`.
pub fn next_piece_due(got: u64, total: Duration) -> Duration {
    (GRACE + Duration::from_millis(got.saturating_mul(1000) / MIN_BYTES_PER_SEC)).min(total)
}

/// The time a request has spent waiting for pieces of its body (shared with the request timeout
/// in overload.rs through the request's extensions).
#[derive(Clone, Debug)]
pub struct BodyWait(Arc<WaitClock>);

#[derive(Debug)]
struct WaitClock {
    base: Instant,
    /// Microseconds waited for pieces that have arrived.
    total_us: AtomicU64,
    /// When the piece awaited now began to be awaited (microseconds after `base`, plus one), or 0.
    since_us: AtomicU64,
}

impl Default for BodyWait {
    fn default() -> Self {
        BodyWait(Arc::new(WaitClock { base: Instant::now(), total_us: AtomicU64::new(0), since_us: AtomicU64::new(0) }))
    }
}

impl BodyWait {
    fn now_us(&self) -> u64 {
        self.0.base.elapsed().as_micros() as u64 + 1
    }
    fn start(&self) {
        self.0.since_us.store(self.now_us(), Ordering::Relaxed);
    }
    fn stop(&self) {
        let since = self.0.since_us.swap(0, Ordering::Relaxed);
        if since > 0 {
            self.0.total_us.fetch_add(self.now_us().saturating_sub(since), Ordering::Relaxed);
        }
    }
    /// Time spent waiting for the body so far, the piece awaited now included.
    pub fn waited(&self) -> Duration {
        let since = self.0.since_us.load(Ordering::Relaxed);
        let now = if since > 0 { self.now_us().saturating_sub(since) } else { 0 };
        Duration::from_micros(self.0.total_us.load(Ordering::Relaxed) + now)
    }
}

pub async fn body_deadline(req: Request, next: Next) -> Response {
    if req.body().size_hint().exact() == Some(0) {
        return next.run(req).await;
    }
    let timed_out = Arc::new(AtomicBool::new(false));
    let path = req.uri().path().to_string();
    let lang = req.extensions().get::<Ctx>().map(|c| c.lang).unwrap_or(Lang::Vi);
    let wait = req.extensions().get::<BodyWait>().cloned().unwrap_or_default();
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let limit = crate::uploads::UPLOAD_BODY_LIMIT as u64;
    let total = max_read(declared.unwrap_or(limit).min(limit));
    let (parts, body) = req.into_parts();
    let flag = timed_out.clone();
    // (stream, bytes so far, when the handler first read, flag)
    let state = (body.into_data_stream(), 0u64, None::<Instant>, flag);
    let pieces = futures_util::stream::unfold(state, move |(mut s, got, start, flag)| {
        let wait = wait.clone();
        async move {
            if flag.load(Ordering::Relaxed) {
                return None;
            }
            let start = start.unwrap_or_else(Instant::now);
            wait.start();
            let next = tokio::time::timeout_at(start + next_piece_due(got, total), s.next()).await;
            wait.stop();
            match next {
                Ok(Some(Ok(piece))) => {
                    let got = got + piece.len() as u64;
                    Some((Ok(piece), (s, got, Some(start), flag)))
                }
                Ok(Some(Err(e))) => Some((Err(e), (s, got, Some(start), flag))),
                Ok(None) => None,
                Err(_) => {
                    flag.store(true, Ordering::Relaxed);
                    let e = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body sent too slowly");
                    Some((Err(axum::Error::new(e)), (s, got, Some(start), flag)))
                }
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
        let total = max_read(55 * 1024 * 1024);
        assert_eq!(next_piece_due(0, total), GRACE);
        // A byte a second never buys more than the grace period and a second.
        assert!(next_piece_due(60, total) < GRACE + Duration::from_secs(1));
        // 100 KiB buy 100 seconds at the minimum pace; nothing buys more than the total.
        assert_eq!(next_piece_due(100 * 1024, total), GRACE + Duration::from_secs(100));
        assert_eq!(next_piece_due(55 * 1024 * 1024, total), total);
        assert_eq!(next_piece_due(u64::MAX, total), total);
    }

    #[test]
    fn a_large_body_has_time_at_a_slow_mobile_pace() {
        // Small bodies keep ten minutes; a 55 MiB upload has its length at 16 KiB/s (an hour).
        assert_eq!(max_read(0), MIN_TOTAL);
        assert_eq!(max_read(4 * 1024 * 1024), MIN_TOTAL);
        assert_eq!(max_read(55 * 1024 * 1024), GRACE + Duration::from_secs(55 * 64));
        assert!(max_read(55 * 1024 * 1024) > Duration::from_secs(55 * 1024 * 1024 / (48 * 1024)), "a 384 kbit/s link makes it");
        assert!(max_read(u64::MAX) > MIN_TOTAL);
    }

    #[tokio::test]
    async fn the_wait_for_pieces_is_counted_while_it_lasts() {
        let w = BodyWait::default();
        assert_eq!(w.waited(), Duration::ZERO);
        w.start();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(w.waited() >= Duration::from_millis(60), "the piece awaited now counts");
        w.stop();
        let waited = w.waited();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(w.waited(), waited, "time between pieces is the server's");
    }
}
