//! Reading photos and attachment files from a multipart form, within bounds. Checking them by
//! content and keeping them is the application's (`danvan_app::cases::files`).

use crate::error::WebError;
use crate::pages::FormData;
use crate::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use danvan_app::cases::files::Incoming;
use danvan_domain::cases::attachment;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};

/// Upload routes accept bodies this large (five photos of 10 MB and the form); others keep
/// the router's general limit.
pub const UPLOAD_BODY_LIMIT: usize = 55 * 1024 * 1024;

/// A form that may carry files: text fields as `FormData`, files apart. An urlencoded body is
/// accepted too (no files), so clients that send no photo need not change.
pub(crate) struct UploadForm {
    pub form: FormData,
    pub files: Vec<Incoming>,
    /// One of the `UPLOADING` slots while files are held and processed, and the bytes held
    /// from `UPLOAD_BYTES`; keep it (`permit: _permit`) until the handler is done with the files.
    pub permit: Option<UploadPermit>,
}

/// What an upload holds while its handler works: a processing slot (when it carries files) and
/// its share of the byte budget.
pub(crate) struct UploadPermit {
    _slot: Option<SemaphorePermit<'static>>,
    _bytes: Option<OwnedSemaphorePermit>,
}

/// Files are kept in memory up to this many bytes each (the largest any route accepts); beyond
/// it the rest is read and dropped so the other fields still arrive and the form can be shown
/// again with its values.
const KEEP_AT_MOST: usize = attachment::MAX_ANSWER_FILE_BYTES;
/// More file parts than this are not kept at all.
const KEEP_FILES: usize = attachment::MAX_ANSWER_FILES + 1;
/// A text field longer than this, or a form with more parts, is refused: no form of danvan
/// needs more, and each part is held in memory.
const MAX_TEXT_FIELD: usize = 64 * 1024;
const MAX_PARTS: usize = 200;

/// At most this many requests hold received files at once server-wide (each up to ~55 MB).
/// A slot is taken once the body has arrived, never while it is being read: a client sending
/// slowly (`body_deadline` ends it) holds only its connection. When all are taken, 503 at once
/// rather than queueing more files in memory.
static UPLOADING: Semaphore = Semaphore::const_new(4);

/// The bytes of multipart bodies held in memory at once server-wide, while they are read and
/// until their handler is done (default `overload::Limits::upload_bytes`: as many as four bodies
/// of the largest size; `AppState::upload_bytes`). Each piece kept takes its bytes from the
/// budget as it arrives; when the budget is spent the upload is refused at once (503
/// `photo.error.busy`, `Retry-After`) rather than held waiting, which could deadlock uploads
/// holding parts of it. A slow client holds only what it has sent, and `body_deadline` ends it
/// when its pace falls below the minimum.
pub const UPLOAD_BYTES_IN_FLIGHT: usize = 4 * UPLOAD_BODY_LIMIT;

/// The bytes an upload holds from the budget.
struct Budget {
    from: Arc<Semaphore>,
    held: Option<OwnedSemaphorePermit>,
}

impl Budget {
    /// Takes `n` more bytes from the budget, or refuses the upload.
    fn take(&mut self, n: usize) -> Result<(), WebError> {
        if n == 0 {
            return Ok(());
        }
        let more = u32::try_from(n)
            .ok()
            .and_then(|n| self.from.clone().try_acquire_many_owned(n).ok())
            .ok_or(WebError::Busy("photo.error.busy"))?;
        match &mut self.held {
            Some(held) => held.merge(more),
            None => self.held = Some(more),
        }
        Ok(())
    }

    /// Gives `n` bytes back (a part read but not kept).
    fn give_back(&mut self, n: usize) {
        if let Some(held) = &mut self.held {
            drop(held.split(n));
        }
    }
}

impl FromRequest<AppState> for UploadForm {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return Ok(UploadForm { form: FormData::from_request(req, state).await?, files: vec![], permit: None });
        }
        let mut mp = Multipart::from_request(req, state).await.map_err(|_| WebError::BadRequest("error.bad_request"))?;
        let mut fields = vec![];
        let mut files = vec![];
        // A body cut by the size limit shows up as an error while reading: the upload was too big.
        let too_big = |_| WebError::BadRequest("photo.error.body_too_large");
        let mut parts = 0usize;
        let mut budget = Budget { from: state.upload_bytes.clone(), held: None };
        while let Some(mut field) = mp.next_field().await.map_err(too_big)? {
            parts += 1;
            if parts > MAX_PARTS {
                return Err(WebError::BadRequest("error.bad_request"));
            }
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let mut bytes = vec![];
                    let mut size = 0usize;
                    while let Some(chunk) = field.chunk().await.map_err(too_big)? {
                        size += chunk.len();
                        if size <= KEEP_AT_MOST && files.len() < KEEP_FILES {
                            budget.take(chunk.len())?;
                            bytes.extend_from_slice(&chunk);
                        }
                    }
                    if size > KEEP_AT_MOST {
                        // Not kept: its bytes go back to the budget.
                        budget.give_back(bytes.len());
                        bytes = vec![];
                    }
                    // A file input left empty still sends a part: it is not a file.
                    if size > 0 || !file_name.is_empty() {
                        files.push(Incoming { field: name, file_name, bytes, size });
                    }
                }
                None => {
                    let mut raw = vec![];
                    while let Some(chunk) = field.chunk().await.map_err(too_big)? {
                        if raw.len() + chunk.len() > MAX_TEXT_FIELD {
                            return Err(WebError::BadRequest("error.bad_request"));
                        }
                        budget.take(chunk.len())?;
                        raw.extend_from_slice(&chunk);
                    }
                    let v = String::from_utf8(raw).map_err(|_| WebError::BadRequest("error.bad_request"))?;
                    let v = if name.contains("password") { v } else { danvan_domain::text::clean_multiline(&v) };
                    fields.push((name, v));
                }
            }
        }
        let slot =
            if files.is_empty() { None } else { Some(UPLOADING.try_acquire().map_err(|_| WebError::Busy("photo.error.busy"))?) };
        Ok(UploadForm { form: FormData(fields), files, permit: Some(UploadPermit { _slot: slot, _bytes: budget.held }) })
    }
}

/// The `file` field of a multipart form. `Ok(None)` when the body passed the route's limit (the
/// caller shows a field error rather than a bare 400); other malformed bodies are `bad`.
pub(crate) async fn file_field(multipart: &mut Multipart, bad: &'static str) -> Result<Option<Vec<u8>>, WebError> {
    let too_large = |e: &axum::extract::multipart::MultipartError| e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    let mut bytes = vec![];
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(Some(bytes)),
            Err(e) if too_large(&e) => return Ok(None),
            Err(_) => return Err(WebError::BadRequest(bad)),
        };
        if field.name() == Some("file") {
            bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if too_large(&e) => return Ok(None),
                Err(_) => return Err(WebError::BadRequest(bad)),
            };
        }
    }
}

/// A stored upload streamed in chunks with its headers: `content_type`, `cache` (Cache-Control),
/// an ETag from `sha256`, inline for images, and a policy under which it runs nothing. A file
/// missing on disk is a 404.
pub(crate) async fn serve_upload(
    state: &AppState,
    key: &str,
    content_type: &str,
    file_name: &str,
    etag: &str,
    cache: &str,
) -> Result<axum::response::Response, WebError> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let path = state.app.uploads.path_of(key).ok_or(WebError::NotFound)?;
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WebError::NotFound),
        Err(e) => return Err(WebError::Internal(format!("reading upload: {e}"))),
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
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
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if content_type.starts_with("image/") { "inline" } else { "attachment" },
        crate::html::urlencode(file_name)
    );
    let mut r = axum::body::Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    if let Some(len) = len {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    let hv = |v: &str| HeaderValue::from_str(v).map_err(|_| WebError::Internal("header".into()));
    h.insert(header::CONTENT_TYPE, hv(content_type)?);
    h.insert(header::CACHE_CONTROL, hv(cache)?);
    h.insert(header::CONTENT_DISPOSITION, hv(&disposition)?);
    h.insert(header::ETAG, hv(&format!("\"{etag}\""))?);
    h.insert(header::CONTENT_SECURITY_POLICY, hv("default-src 'none'; img-src 'self'; sandbox")?);
    Ok(r)
}
