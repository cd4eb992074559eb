//! The web error: one enum whose variants carry translation keys. It renders as an RFC 9457
//! problem document for the API and as a friendly page for browsers.

use crate::i18n::{t, Lang};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use danvan_domain::{Denied, FieldErrors};

#[derive(Debug)]
pub enum WebError {
    NotFound,
    SignIn,
    Forbidden,
    Csrf,
    TooMany(&'static str),
    BadRequest(&'static str),
    /// Field-level validation errors (422).
    Invalid(FieldErrors),
    /// The request conflicts with the state of the data (409), e.g. deleting a used unit.
    Conflict(FieldErrors),
    /// The server is saturated for this kind of request (503); the key says to try again.
    Busy(&'static str),
    Internal(String),
}

impl From<Denied> for WebError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotSignedIn => WebError::SignIn,
            Denied::Forbidden => WebError::Forbidden,
        }
    }
}

impl From<danvan_app::AppError> for WebError {
    fn from(e: danvan_app::AppError) -> Self {
        use danvan_app::AppError as A;
        match e {
            A::NotFound => WebError::NotFound,
            A::SignIn => WebError::SignIn,
            A::Forbidden => WebError::Forbidden,
            A::TooMany(k) => WebError::TooMany(k),
            A::BadRequest(k) => WebError::BadRequest(k),
            A::Invalid(f) => WebError::Invalid(f),
            A::Conflict(f) => WebError::Conflict(f),
            A::Busy(k) => WebError::Busy(k),
            A::Internal(m) => WebError::Internal(m),
        }
    }
}

impl From<FieldErrors> for WebError {
    fn from(f: FieldErrors) -> Self {
        if f.0.iter().any(|e| e.field == "unit") {
            WebError::Conflict(f)
        } else {
            WebError::Invalid(f)
        }
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::SignIn => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            WebError::NotFound => "error.not_found",
            WebError::SignIn => "error.signin",
            WebError::Forbidden => "error.forbidden",
            WebError::Csrf => "error.csrf",
            WebError::TooMany(k) | WebError::BadRequest(k) | WebError::Busy(k) => k,
            WebError::Invalid(_) | WebError::Conflict(_) => "error.summary",
            WebError::Internal(_) => "error.internal",
        }
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            WebError::Invalid(f) | WebError::Conflict(f) => Some(f),
            _ => None,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        ErrorInfo { status: self.status(), key: self.key(), fields: self.fields().cloned() }
    }

    /// RFC 9457 problem document, with per-field messages in `lang`.
    pub fn problem(&self, lang: Lang) -> Response {
        if let WebError::Internal(e) = self {
            tracing::error!(error = %e, "internal error");
        }
        let mut resp = problem_response(&self.info(), lang);
        if let WebError::Busy(_) = self {
            retry_after(&mut resp);
        }
        resp
    }
}

/// A saturated server tells the client when to try again (503 answers).
pub fn retry_after(resp: &mut Response) {
    resp.headers_mut().insert(header::RETRY_AFTER, crate::overload::RETRY_AFTER_SECS.into());
}

/// The last part of a problem's `type` URI: `error.not_found` → `not-found`.
pub fn problem_slug(key: &str) -> String {
    key.trim_start_matches("error.").replace(['_', '.'], "-")
}

pub fn problem_response(info: &ErrorInfo, lang: Lang) -> Response {
    let slug = problem_slug(info.key);
    let mut body = serde_json::json!({
        "type": format!("/problems/{slug}"),
        "title": t(lang, info.key),
        "status": info.status.as_u16(),
    });
    if let Some(f) = &info.fields {
        body["errors"] =
            f.0.iter().map(|e| serde_json::json!({"field": e.field, "key": e.key, "message": t(lang, &e.key)})).collect();
        body["detail"] = f.0.iter().map(|e| format!("{}: {}", e.field, t(lang, &e.key))).collect::<Vec<_>>().join("; ").into();
    }
    let mut resp = (info.status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
    // Pages re-render this as HTML and the API in the caller's language (see their middleware).
    resp.extensions_mut().insert(info.clone());
    resp
}

/// Without a request context (an extractor failing early), an API-shaped answer in Vietnamese.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.problem(Lang::Vi)
    }
}

/// What a page needs to show an error that an API handler would return as JSON.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub key: &'static str,
    pub fields: Option<FieldErrors>,
}

/// Reports errors under another field name (e.g. ids in the store, codes in a form).
pub fn rename_fields(mut e: FieldErrors, map: &[(&str, &str)]) -> FieldErrors {
    for fe in &mut e.0 {
        if let Some((_, to)) = map.iter().find(|(from, _)| *from == fe.field) {
            fe.field = to.to_string();
        }
    }
    e
}

pub type WebResult<T> = Result<T, WebError>;
