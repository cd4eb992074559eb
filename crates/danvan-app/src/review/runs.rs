//! Generating a report's figures: a run is queued by whoever drafts the report and computed in the
//! background (`tokio::spawn`), writing its progress as it goes, so a long generation never holds
//! a request nor blocks intake; a run a server left unfinished (stopped, or its task panicked) is
//! queued again by the job (`resume_runs`). One run per report and person at a time (a partial
//! unique index: concurrent requests cannot both start one).
//!
//! A run counts without the cases that concern the one who asked (Luật Tố cáo 2018 Điều 47, as the
//! dashboard), so its figures are theirs alone: another reader generates their own. Showing them
//! someone else's run only when it left out their cases too would tell them, by refusing, that a
//! denunciation about them exists.

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
    let excluded = crate::cases::queries::concerning(app, caller).await?;
    let excluded = serde_json::to_string(&excluded).map_err(|e| AppError::Internal(e.to_string()))?;
    let run = match app.store.queue_review_run(&caller.audit(), id, r.version, &r.title, &excluded).await? {
        Some(run) => run,
        None => return Err(AppError::Conflict(FieldErrors::one("status", "review.error.running"))),
    };
    spawn(app.clone(), run);
    Ok(run)
}

/// Computes `run` in the background; a failure, or a panic of its task, marks it failed.
fn spawn(app: App, run: i64) {
    tokio::spawn(async move {
        let work = tokio::spawn({
            let app = app.clone();
            async move { execute(&app, run).await }
        });
        let reason = match work.await {
            Ok(Ok(())) => return,
            Ok(Err(AppError::Internal(s))) => s,
            Ok(Err(other)) => format!("{other:?}"),
            Err(e) => format!("the generation stopped: {e}"),
        };
        tracing::warn!(run, %reason, "review report generation failed");
        if let Err(e) = app.store.fail_review_run(run, &reason).await {
            tracing::error!(run, error = %e, "marking a review report generation failed");
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

/// Starts again the runs left unfinished: queued, or running for over 15 minutes (a stopped server,
/// a lost task). The job calls it at start and on each pass; a run another task already took is
/// left alone (the claim is atomic).
pub async fn resume_runs(app: &App) -> AppResult<usize> {
    let runs = app.store.requeue_review_runs().await?;
    for run in &runs {
        spawn(app.clone(), *run);
    }
    Ok(runs.len())
}

/// A run as its page polls it: the caller's own (another's figures are theirs).
pub async fn report_run(app: &App, caller: &Caller, id: i64, run: i64) -> AppResult<RunRow> {
    report_row(app, caller, id, Action::View).await?;
    let account = caller.require_account()?.id;
    let row = app.store.review_run(run).await?.filter(|r| r.report_id == id && r.requested_by == account);
    row.ok_or(AppError::NotFound)
}

/// What a document is made of: the report, the version the run generated, and its figures.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    pub report: ReportRow,
    pub run: RunRow,
    pub content: ReportContent,
    pub figures: ReportFigures,
}

/// The caller's finished run's document.
pub async fn report_document(app: &App, caller: &Caller, id: i64, run: i64) -> AppResult<ReportDocument> {
    let row = report_run(app, caller, id, run).await?;
    let report = report_row(app, caller, id, Action::View).await?;
    let Some(json) = row.figures.as_deref().filter(|_| row.status == "done") else {
        return Err(AppError::Conflict(FieldErrors::one("status", "review.error.not_ready")));
    };
    let figures: ReportFigures = serde_json::from_str(json).map_err(|e| AppError::Internal(e.to_string()))?;
    let version = app.store.review_report_version(id, row.version).await?.ok_or(AppError::NotFound)?;
    Ok(ReportDocument { content: version.content()?, report, run: row, figures })
}
