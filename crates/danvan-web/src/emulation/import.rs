//! The import page: a unit's years of ratings and titles, from a CSV file saved from its
//! spreadsheet; a bad row stores nothing and is named on the page.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::{numbered_errors, Form, Page};
use crate::pages::{redirect_with, render, render_status};
use crate::routes::Routes;
use crate::uploads::file_field;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use danvan_domain::FieldErrors;

/// The largest file accepted.
const MAX_IMPORT: usize = 2 * 1024 * 1024;

pub fn routes() -> Routes {
    Routes::new().get("/emulation/import", page).route_with(
        "/emulation/import",
        &["POST"],
        post(import).layer(DefaultBodyLimit::max(MAX_IMPORT + 64 * 1024)),
    )
}

#[derive(Template)]
#[template(path = "emulation/import.html")]
struct ImportPage {
    p: Page,
    header: &'static str,
    form: Form,
    errors: Vec<String>,
}

fn refuse_unless_officer(ctx: &Ctx) -> Result<(), WebError> {
    ctx.require_account()?;
    if danvan_app::emulation::may_record(&ctx.caller) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

fn import_page(ctx: &Ctx, form: Form, errors: Vec<String>) -> ImportPage {
    ImportPage { p: Page::new(ctx, &ctx.t("emulation.import")), header: danvan_app::emulation::IMPORT_HEADER, form, errors }
}

async fn page(ctx: Ctx) -> Result<Response, WebError> {
    refuse_unless_officer(&ctx)?;
    Ok(render(&import_page(&ctx, Form::new(ctx.lang), vec![])))
}

async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    // Refused before the body is read: only an emulation officer may make the server buffer a file.
    refuse_unless_officer(&ctx)?;
    let bytes = file_field(&mut multipart, "error.csv").await?.filter(|b| b.len() <= MAX_IMPORT);
    match danvan_app::emulation::import_records(&state.app, &ctx.caller, bytes.as_deref()).await.map_err(WebError::from) {
        Ok((created, written)) => Ok(redirect_with(
            &ctx,
            "/emulation",
            "emulation.imported",
            &[("created", created.to_string()), ("n", written.to_string())],
        )),
        Err(WebError::Invalid(e)) => {
            let list = numbered_errors(&ctx, &e, "row", "common.row_prefix");
            let mut form =
                Form::new(ctx.lang).with_errors(&FieldErrors(e.0.iter().filter(|f| f.field == "file").cloned().collect()));
            if !list.is_empty() {
                form.errors.insert("file".into(), ctx.t("error.csv_rows"));
            }
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &import_page(&ctx, form, list)))
        }
        Err(e) => Err(e),
    }
}
