//! Photos and attachment files: staging with a submission, serving to whoever may see the case,
//! the answer's files.

use super::case_page::case_page;

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::urlencode;
use crate::pages::render_status;
use crate::routes::Routes;
use crate::uploads::UploadForm;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_app::cases::queries::Attachment;
use danvan_domain::Action;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new().get("/files/{id}", file).get("/files/{id}/thumb", file_thumb).post("/files/{id}/delete", file_delete)
}

/// Uploads of the answer's files: the router gives them a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new().post("/cases/{id}/files", answer_files_upload)
}

/// The query a file link needs on the citizen's private page (the capability travels along).
pub(super) fn secret_query(secret: &str) -> String {
    if secret.is_empty() {
        String::new()
    } else {
        format!("?s={}", urlencode(secret))
    }
}

/// Photos of the case, and files of its answer (shown only once the answer is sent, except to
/// the officers handling it).
pub(super) fn split_files(all: Vec<Attachment>, answer_visible: bool) -> (Vec<Attachment>, Vec<Attachment>) {
    let (photos, rest): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|a| a.purpose == danvan_domain::cases::attachment::Purpose::Photo);
    let answer = if answer_visible {
        rest.into_iter().filter(|a| a.purpose == danvan_domain::cases::attachment::Purpose::Answer).collect()
    } else {
        vec![]
    };
    (photos, answer)
}

async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    serve_file(&state, &ctx, id, q.get("s").map(String::as_str).unwrap_or(""), false).await
}

async fn file_thumb(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    serve_file(&state, &ctx, id, q.get("s").map(String::as_str).unwrap_or(""), true).await
}

/// Who may see a file: whoever may see the case (anyone for a public case — never a
/// denunciation —, the holder of the private link, the officers authorised for it). An answer's
/// files are shown outside the handling unit only once the answer has been sent. Anything else
/// is a 404, so a file's existence says nothing about a case one may not see.
async fn serve_file(state: &AppState, ctx: &Ctx, id: i64, secret: &str, thumb: bool) -> Result<Response, WebError> {
    let a = danvan_app::cases::queries::attachment(&state.app, id).await?.ok_or(WebError::NotFound)?;
    let c = danvan_app::cases::queries::get_case(&state.app, a.case_id).await?;
    // The lead unit's officials see every file; a supporting unit's, the photos, and an answer's
    // files once it was sent (as the citizen does).
    let officer = danvan_app::cases::authorize_case_internal(&ctx.caller, &c).is_ok()
        || (danvan_app::cases::authorize_case_file(&state.app, &ctx.caller, &c, Action::View)
            .await
            .map_err(WebError::from)
            .is_ok()
            && (a.purpose != danvan_domain::cases::attachment::Purpose::Answer
                || danvan_app::cases::queries::answer(&state.app, c.id).await?.is_some_and(|x| x.sent_at.is_some())));
    let mut by_link = !officer
        && !secret.is_empty()
        && danvan_app::cases::queries::case_by_secret(&state.app, &c.code, secret).await?.is_some_and(|x| x.id == c.id);
    // The citizens of cases merged into this one receive its answer, files included.
    if a.purpose == danvan_domain::cases::attachment::Purpose::Answer && !officer && !by_link && !secret.is_empty() {
        for m in danvan_app::cases::queries::merged_cases(&state.app, c.id).await? {
            if danvan_app::cases::queries::case_by_secret(&state.app, &m.code, secret).await?.is_some_and(|x| x.id == m.id) {
                by_link = true;
                break;
            }
        }
    }
    // An answer's files usually name the citizen: never public, only for the link's holder.
    let public = danvan_app::cases::is_public(&c) && a.purpose != danvan_domain::cases::attachment::Purpose::Answer;
    if !(officer || by_link || public) {
        return Err(WebError::NotFound);
    }
    if a.purpose == danvan_domain::cases::attachment::Purpose::Answer
        && !officer
        && danvan_app::cases::queries::answer(&state.app, c.id).await?.and_then(|x| x.sent_at).is_none()
    {
        return Err(WebError::NotFound);
    }
    let key = if thumb { a.thumb_key.as_deref().or(a.storage_key.as_deref()) } else { a.storage_key.as_deref() };
    let path = key.and_then(|k| state.app.uploads.path_of(k)).ok_or(WebError::NotFound)?;
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WebError::NotFound),
        Err(e) => return Err(WebError::Internal(format!("reading upload: {e}"))),
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
    // Streamed in chunks: a 20 MB PDF is not held in memory per download.
    let stream = futures_util::stream::unfold(file, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    let content_type = if thumb && a.thumb_key.is_some() { "image/jpeg" } else { a.content_type.as_str() };
    // Public files may sit in shared caches briefly; the others only in the viewer's, and the
    // private link's not at all (like its page).
    let cache = if by_link {
        "private, no-store"
    } else if public && !officer {
        "public, max-age=3600"
    } else {
        "private, max-age=3600"
    };
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if a.content_type.starts_with("image/") { "inline" } else { "attachment" },
        urlencode(&a.file_name)
    );
    let mut r = axum::body::Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    if let Some(len) = len {
        h.insert(axum::http::header::CONTENT_LENGTH, axum::http::HeaderValue::from(len));
    }
    let hv = |v: &str| axum::http::HeaderValue::from_str(v).map_err(|_| WebError::Internal("header".into()));
    h.insert(axum::http::header::CONTENT_TYPE, hv(content_type)?);
    h.insert(axum::http::header::CACHE_CONTROL, hv(cache)?);
    h.insert(axum::http::header::CONTENT_DISPOSITION, hv(&disposition)?);
    h.insert(
        axum::http::header::ETAG,
        hv(&format!("\"{}{}\"", &a.sha256[..a.sha256.len().min(32)], if thumb { "t" } else { "" }))?,
    );
    // A file is never a document that runs anything, whatever it claims.
    h.insert(axum::http::header::CONTENT_SECURITY_POLICY, hv("default-src 'none'; img-src 'self'; sandbox")?);
    Ok(r)
}

async fn answer_files_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    req: axum::extract::Request,
) -> Result<Response, WebError> {
    let c = danvan_app::cases::queries::case_for(&state.app, &ctx.caller, id, Action::Handle).await?;
    // The body (up to 55 MB) is read only once the officer is known to handle the case.
    let UploadForm { form, files, permit: _permit } =
        <UploadForm as axum::extract::FromRequest<AppState>>::from_request(req, &state).await?;
    // The use case checks everything cheap (the answer still open, the files' number, size and
    // kind) before it decodes any photo.
    match danvan_app::cases::edits::add_answer_files(&state.app, &ctx.caller, id, files).await {
        Ok(()) => {}
        Err(danvan_app::AppError::Invalid(e) | danvan_app::AppError::Conflict(e)) => {
            let page = case_page(&state, &ctx, c, crate::pages::refill(&ctx, &form, &e, &[])).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{id}#answer-files"), "case.done", &[]))
}

async fn file_delete(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let case_id = danvan_app::cases::edits::delete_answer_file(&state.app, &ctx.caller, id).await?;
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{case_id}#answer-files"), "case.done", &[]))
}
