//! Review reports as JSON (`/api/v1/review/reports…`), for other systems: the reports the caller
//! reads, and a generation's state with its figures once done — the numbers its documents show.

use crate::api::Problem;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use danvan_app::review as app_rev;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub unit: String,
    pub unit_name: String,
    /// interim (sơ kết) or final (tổng kết)
    pub kind: String,
    pub title: String,
    /// YYYY-MM, both included
    pub from: String,
    pub to: String,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub report_id: i64,
    /// The draft's version it generated.
    pub version: i64,
    /// queued, running, done or failed
    pub status: String,
    /// 0–100
    pub progress: i64,
    /// The figures once done: totals, the previous period, by year, by sub-unit (and year), by
    /// kind, channel and category, the recognised models and the awards.
    #[schema(value_type = Object)]
    pub figures: Option<serde_json::Value>,
}

fn ym(k: i32) -> String {
    danvan_domain::indicators::YearMonth::from_key(k).map(|m| m.to_string()).unwrap_or_default()
}

/// The review reports of the units the caller reads reports of, latest first.
#[utoipa::path(get, path = "/review/reports", tag = "review",
    responses((status = 200, body = Vec<ReportOut>), (status = 401, body = Problem)))]
pub async fn reports(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<ReportOut>>, WebError> {
    let rows = app_rev::reports(&state.app, &ctx.caller).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ReportOut {
                id: r.id,
                unit: r.unit_code,
                unit_name: r.unit_name,
                kind: r.kind.as_str().into(),
                title: r.title,
                from: ym(r.from_month),
                to: ym(r.to_month),
                version: r.version,
            })
            .collect(),
    ))
}

/// A generation of a report: its state, and its figures once done (409 when they count cases
/// that concern the caller: they generate their own).
#[utoipa::path(get, path = "/review/reports/{id}/runs/{run}", tag = "review",
    params(("id" = i64, Path, description = "The report"), ("run" = i64, Path, description = "The generation")),
    responses((status = 200, body = RunOut), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, run)): PathParam<(i64, i64)>,
) -> Result<Json<RunOut>, WebError> {
    let row = app_rev::report_run(&state.app, &ctx.caller, id, run).await?;
    let figures = if row.status == "done" {
        let d = app_rev::report_document(&state.app, &ctx.caller, id, run).await?;
        Some(serde_json::to_value(&d.figures).map_err(|e| WebError::Internal(e.to_string()))?)
    } else {
        None
    };
    Ok(Json(RunOut {
        id: row.id,
        report_id: row.report_id,
        version: row.version,
        status: row.status,
        progress: row.progress,
        figures,
    }))
}
