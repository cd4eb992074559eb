//! Generating a report's figures: a run is queued by whoever drafts the report and computed in the
//! background (`tokio::spawn`), writing its progress as it goes, so a long generation never holds
//! a request nor blocks intake; a server stopped mid-run queues it again at start
//! (`resume_runs`). One run per report at a time.
//!
//! A run counts without the cases that concern the one who asked (Luật Tố cáo 2018 Điều 47, as the
//! dashboard). Another reader gets its figures only when it also left out every case of the
//! subtree that concerns them; otherwise they generate their own.

use super::figures::{generate, ReportFigures};
use super::reports::report_row;
use crate::caller::Caller;
use crate::{App, AppError, AppResult};
use danvan_domain::authz::Action;
use danvan_domain::review::ReportContent;
use danvan_domain::FieldErrors;
use danvan_store::review::{ReportRow, RunRow};

/// Queues the generation of the report's latest version and starts it; returns the run's id.
pub async fn generate_report(app: &App, caller: &Caller, id: i64) -> AppResult<i64> {
    let r = report_row(app, caller, id, Action::Handle).await?;
    if app.store.review_runs(id).await?.iter().any(|run| run.status == "queued" || run.status == "running") {
        return Err(AppError::Conflict(FieldErrors::one("status", "review.error.running")));
    }
    let excluded = crate::cases::queries::concerning(app, caller).await?;
    let excluded = serde_json::to_string(&excluded).map_err(|e| AppError::Internal(e.to_string()))?;
    let run = app.store.queue_review_run(&caller.audit(), id, r.version, &r.title, &excluded).await?;
    spawn(app.clone(), run);
    Ok(run)
}

fn spawn(app: App, run: i64) {
    tokio::spawn(async move {
        if let Err(e) = execute(&app, run).await {
            let reason = match &e {
                AppError::Internal(s) => s.clone(),
                other => format!("{other:?}"),
            };
            tracing::warn!(run, %reason, "review report generation failed");
            let _ = app.store.fail_review_run(run, &reason).await;
        }
    });
}

/// Computes a queued run to the end (none: another process took it).
pub async fn execute(app: &App, run: i64) -> AppResult<()> {
    if !app.store.claim_review_run(run).await? {
        return Ok(());
    }
    let row = app.store.review_run(run).await?.ok_or(AppError::NotFound)?;
    let report = app.store.review_report(row.report_id).await?.ok_or(AppError::NotFound)?;
    let version = app.store.review_report_version(row.report_id, row.version).await?.ok_or(AppError::NotFound)?;
    let content = version.content()?;
    let excluded: Vec<i64> = serde_json::from_str(&row.excluded).unwrap_or_default();
    let unit = app.store.get_unit(report.unit_id).await?;
    let figures = generate(app, unit, content.range(), &excluded, Some(run)).await?;
    let json = serde_json::to_string(&figures).map_err(|e| AppError::Internal(e.to_string()))?;
    app.store.finish_review_run(run, &json).await?;
    Ok(())
}

/// Starts again the runs a stopped server left unfinished (the background job, at start).
pub async fn resume_runs(app: &App) -> AppResult<usize> {
    let runs = app.store.requeue_review_runs().await?;
    for run in &runs {
        spawn(app.clone(), *run);
    }
    Ok(runs.len())
}

/// A run as its page polls it.
pub async fn report_run(app: &App, caller: &Caller, id: i64, run: i64) -> AppResult<RunRow> {
    report_row(app, caller, id, Action::View).await?;
    let row = app.store.review_run(run).await?.filter(|r| r.report_id == id).ok_or(AppError::NotFound)?;
    Ok(row)
}

/// What a document is made of: the report, the version the run generated, and its figures.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    pub report: ReportRow,
    pub run: RunRow,
    pub content: ReportContent,
    pub figures: ReportFigures,
}

/// The finished run's document, for a reader the run's figures may be shown to.
pub async fn report_document(app: &App, caller: &Caller, id: i64, run: i64) -> AppResult<ReportDocument> {
    let report = report_row(app, caller, id, Action::View).await?;
    let row = app.store.review_run(run).await?.filter(|r| r.report_id == id).ok_or(AppError::NotFound)?;
    let Some(json) = row.figures.as_deref().filter(|_| row.status == "done") else {
        return Err(AppError::Conflict(FieldErrors::one("status", "review.error.not_ready")));
    };
    let left_out: Vec<i64> = serde_json::from_str(&row.excluded).unwrap_or_default();
    let missing: Vec<i64> =
        crate::cases::queries::concerning(app, caller).await?.into_iter().filter(|c| !left_out.contains(c)).collect();
    if !app.store.counted_cases(&report.unit_path, &missing).await?.is_empty() {
        return Err(AppError::Conflict(FieldErrors::one("status", "review.error.generate_own")));
    }
    let figures: ReportFigures = serde_json::from_str(json).map_err(|e| AppError::Internal(e.to_string()))?;
    let version = app.store.review_report_version(id, row.version).await?.ok_or(AppError::NotFound)?;
    Ok(ReportDocument { content: version.content()?, report, run: row, figures })
}

/// The figures of `unit_code`'s subtree over a version's months as a run computes them, without
/// a run (tests compare them with the dashboard's).
pub async fn figures_now(app: &App, caller: &Caller, id: i64) -> AppResult<ReportFigures> {
    let r = report_row(app, caller, id, Action::View).await?;
    let content = app.store.review_report_version(id, r.version).await?.ok_or(AppError::NotFound)?.content()?;
    let excluded = crate::cases::queries::concerning(app, caller).await?;
    generate(app, app.store.get_unit(r.unit_id).await?, content.range(), &excluded, None).await
}
