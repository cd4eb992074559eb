//! Cross-cutting layers: CSRF and Origin checks, security headers, request metrics.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

const FORM_LIMIT: usize = 4 * 1024 * 1024;

/// Every state-changing request authenticated by cookie (or made by an anonymous visitor) must
/// carry the CSRF token — `X-CSRF-Token` header, `_csrf` form field or `_csrf` query parameter for
/// multipart uploads — and, when the browser says where it comes from, come from this site.
/// Requests authenticated by an API token carry no cookie and need neither.
pub async fn csrf_layer(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return WebError::Internal("request context missing".into()).into_response();
    };
    // API tokens and Open311 keys carry no cookie: no CSRF to check. Open311 handlers never
    // act on a session's authority.
    if ctx.via_token || req.uri().path().starts_with("/open311/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").is_some_and(|v| v == "cross-site") || !same_origin(headers) {
        return WebError::Csrf.into_response();
    }
    let expected = ctx.csrf.as_str();
    let header_ok =
        headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(|v| !expected.is_empty() && v == expected);
    let query_ok =
        req.uri().query().is_some_and(|q| url_pairs(q).any(|(k, v)| k == "_csrf" && !expected.is_empty() && v == expected));
    if header_ok || query_ok {
        return next.run(req).await;
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return WebError::Csrf.into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return WebError::BadRequest("error.too_long").into_response(),
    };
    let ok = std::str::from_utf8(&bytes)
        .is_ok_and(|s| url_pairs(s).any(|(k, v)| k == "_csrf" && !expected.is_empty() && v == expected));
    if !ok {
        return WebError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

pub(crate) fn url_pairs(s: &str) -> impl Iterator<Item = (String, String)> + '_ {
    s.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (percent_decode(k), percent_decode(v)))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            // Two hex digits exactly (`from_str_radix` alone would also take "+1").
            b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// When the browser sends Origin, its host must be ours.
fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    let host = headers.get("x-forwarded-host").or_else(|| headers.get(header::HOST)).and_then(|v| v.to_str().ok()).unwrap_or("");
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// The Content-Security-Policy: no inline script, no framing. Pages with a map add the
/// configured tile host to img-src (pages::map::with_map_csp); handlers' own header wins.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// CSP without inline script, no framing, no sniffing, a strict referrer policy.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(self)");
    set(h, "cross-origin-opener-policy", "same-origin");
    // Every refusal for load or for too many attempts says when to come back (RFC 9110 §10.2.3),
    // whichever layer produced it; one that knows better has set its own.
    if matches!(resp.status(), StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) {
        set(resp.headers_mut(), "retry-after", "60");
    }
    resp
}

/// Counts requests by route and status and observes their latency.
pub async fn metrics_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    // Only standard methods become label values, so odd requests cannot grow the series.
    let method = match *req.method() {
        Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE | Method::HEAD | Method::OPTIONS => {
            req.method().to_string()
        }
        _ => "other".to_string(),
    };
    let start = Instant::now();
    let span = tracing::info_span!("request", %method, %route);
    let resp = tracing::Instrument::instrument(next.run(req), span).await;
    let status = resp.status().as_u16();
    let secs = start.elapsed().as_secs_f64();
    state.metrics.observe(&method, &route, status, secs);
    tracing::info!(%method, %route, status, ms = secs * 1000.0, "request");
    resp
}

#[cfg(test)]
mod tests {
    use super::url_pairs;
    use proptest::prelude::*;

    fn encode(s: &str) -> String {
        s.bytes().map(|b| format!("%{b:02X}")).collect()
    }

    proptest! {
        // Bounded fuzzing of the form and query parser (pages, CSRF checks, Open311 bodies).
        #[test]
        fn any_body_parses_without_panic(body in ".{0,200}") {
            for (k, v) in url_pairs(&body) {
                prop_assert!(!k.contains('&') || body.contains('%'));
                let _ = v;
            }
        }

        #[test]
        fn encoded_pairs_come_back(pairs in prop::collection::vec((".{0,12}", ".{0,24}"), 0..8)) {
            let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
            let back: Vec<(String, String)> = url_pairs(&body.join("&")).collect();
            prop_assert_eq!(back, pairs);
        }

        #[test]
        fn a_percent_without_two_hex_digits_stays(a in "[^0-9A-Fa-f%&=+]", b in "[^0-9A-Fa-f%&=+]") {
            let body = format!("k=%{a}{b}");
            let back: Vec<(String, String)> = url_pairs(&body).collect();
            prop_assert_eq!(back, vec![("k".to_string(), format!("%{a}{b}"))]);
        }
    }

    #[test]
    fn plus_one_is_not_a_byte() {
        assert_eq!(url_pairs("k=%+1").collect::<Vec<_>>(), vec![("k".into(), "% 1".into())]);
        assert_eq!(url_pairs("k=%C3%A1+b").collect::<Vec<_>>(), vec![("k".into(), "á b".into())]);
    }
}
