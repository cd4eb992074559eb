//! The import of cases received by other systems (administrators), in the browser.

use crate::ctx::admin_only;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::numbered_errors;
use crate::html::{Form, Page};
use crate::pages::{render, render_status};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use danvan_domain::FieldErrors;

pub fn routes() -> Routes {
    Routes::new().route_with(
        "/admin/cases/import",
        &["GET", "POST"],
        get(case_import_form).post(case_import).layer(DefaultBodyLimit::max(MAX_CASE_IMPORT + 64 * 1024)),
    )
}

/// The largest file of cases taken at once (about 10,000 rows).
const MAX_CASE_IMPORT: usize = 8 * 1024 * 1024;

#[derive(Template)]
#[template(path = "cases/admin_case_import.html")]
struct CaseImportPage {
    p: Page,
    form: Form,
    /// What the last import did, when it did something.
    result: Option<String>,
    /// Refused rows, one sentence each (nothing was imported).
    row_errors: Vec<String>,
}

async fn case_import_form(ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let page = CaseImportPage {
        p: Page::new(&ctx, &ctx.t("import.title")),
        form: Form::new(ctx.lang),
        result: None,
        row_errors: vec![],
    };
    Ok(render(&page))
}

/// Imports a CSV or JSON file of cases from another system (the national portal's feedback, a
/// city app, a hotline log): every row is checked before any is recorded, and a reference
/// already imported from the same system is skipped, so the same file can be sent again.
async fn case_import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let (mut source, mut bytes, mut too_large) = (String::new(), Vec::new(), false);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("error.bad_request")),
        };
        let name = field.name().unwrap_or("").to_string();
        let data = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("error.bad_request")),
        };
        match name.as_str() {
            "source" => source = String::from_utf8_lossy(&data[..data.len().min(200)]).to_string(),
            "file" => bytes = data.to_vec(),
            _ => {}
        }
    }
    let mut form = Form::new(ctx.lang).set("source", &source);
    let refused = |form: Form, row_errors: Vec<String>| -> Result<Response, WebError> {
        let page = CaseImportPage { p: Page::new(&ctx, &ctx.t("import.title")), form, result: None, row_errors };
        Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    if too_large || bytes.len() > MAX_CASE_IMPORT {
        return refused(form.with_errors(&FieldErrors::one("file", "import.error.too_large")), vec![]);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return refused(form.with_errors(&FieldErrors::one("file", "error.required")), vec![]);
    }
    let result = match danvan_app::cases::parse_import(&bytes) {
        Ok(rows) => danvan_app::cases::import_cases(&state.app, &source, rows).await.map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok((created, skipped)) => {
            form = Form::new(ctx.lang).set("source", &source);
            let result =
                crate::i18n::tf(ctx.lang, "import.done", &[("created", &created.to_string()), ("skipped", &skipped.to_string())]);
            let page =
                CaseImportPage { p: Page::new(&ctx, &ctx.t("import.title")), form, result: Some(result), row_errors: vec![] };
            Ok(render(&page))
        }
        Err(WebError::Invalid(e)) => {
            let rows = numbered_errors(&ctx, &e, "row", "common.row_prefix");
            let own = FieldErrors(e.0.iter().filter(|f| !f.field.starts_with("row")).cloned().collect());
            refused(form.with_errors(&own), rows)
        }
        Err(e) => Err(e),
    }
}
