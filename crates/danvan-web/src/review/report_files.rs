//! A generated review report's documents: `…/runs/{run}/report.pdf` (print-ready A4),
//! `report.docx` (for Word and LibreOffice) and `report.xlsx` (every table, with formulas, and the
//! charts), all rendered from the run's stored figures, so each shows the same numbers.

use super::report_doc::review_doc;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_app::review as app_rev;

pub fn routes() -> Routes {
    Routes::new()
        .get("/review/reports/{id}/runs/{run}/report.pdf", pdf)
        .get("/review/reports/{id}/runs/{run}/report.docx", docx)
        .get("/review/reports/{id}/runs/{run}/report.xlsx", xlsx)
}

fn file(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

async fn document(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    run: i64,
) -> Result<(danvan_reports::review::doc::ReviewDoc, String), WebError> {
    let d = app_rev::report_document(&state.app, &ctx.caller, id, run).await?;
    let unit: String = d.report.unit_code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    let kind = if d.content.kind.as_str() == "final" { "tong-ket" } else { "so-ket" };
    let name = format!("bao-cao-{kind}-{unit}-{}-{}", d.content.from, d.content.to);
    Ok((review_doc(&d), name))
}

async fn pdf(State(state): State<AppState>, ctx: Ctx, PathParam((id, run)): PathParam<(i64, i64)>) -> Result<Response, WebError> {
    let (doc, name) = document(&state, &ctx, id, run).await?;
    let bytes = tokio::task::spawn_blocking(move || danvan_reports::review::review_pdf(&doc))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(file(bytes, "application/pdf", format!("{name}.pdf")))
}

async fn docx(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, run)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    let (doc, name) = document(&state, &ctx, id, run).await?;
    let bytes = tokio::task::spawn_blocking(move || danvan_reports::review::review_docx(&doc))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(file(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", format!("{name}.docx")))
}

async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, run)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    let (doc, name) = document(&state, &ctx, id, run).await?;
    let bytes = tokio::task::spawn_blocking(move || danvan_reports::review::review_xlsx(&doc))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(file(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", format!("{name}.xlsx")))
}
