//! The runs that generate a review report's figures: queued by a reader, claimed and advanced by
//! the job, finished with the figures (JSON) or failed with a reason. A run left unfinished by a
//! stopped server is queued again at start.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    pub report_id: i64,
    pub version: i64,
    /// queued | running | done | failed
    pub status: String,
    pub progress: i64,
    pub step: String,
    #[serde(skip)]
    pub figures: Option<String>,
    #[serde(skip)]
    pub excluded: String,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

const RUN: &str = "SELECT r.id, r.report_id, r.version, r.status, r.progress, r.step, r.figures, r.excluded, r.requested_by,
    a.full_name AS requested_by_name, r.requested_at, r.finished_at, r.error
    FROM review_report_runs r JOIN accounts a ON a.id = r.requested_by";

impl Store {
    /// Queues the generation of a report's `version`, asked for by the audit context's account.
    /// `excluded` lists (JSON) the cases left out for them. None when they already have one
    /// unfinished (the partial unique index `review_report_runs_one_at_a_time`).
    pub async fn queue_review_run(
        &self,
        ctx: &AuditCtx,
        report: i64,
        version: i64,
        label: &str,
        excluded: &str,
    ) -> Result<Option<i64>> {
        let account = ctx.actor_id.ok_or(StoreError::NotFound)?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
                "INSERT INTO review_report_runs (report_id, version, status, requested_by, requested_at, excluded)
                 VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id",
            )
            .bind(report)
            .bind(version)
            .bind(account)
            .bind(Utc::now())
            .bind(excluded)
            .fetch_one(&mut *tx)
            .await;
            let id = match inserted {
                Ok((id,)) => id,
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let changes = Changes::new().field("version", None, Some(version)).field("run", None, Some(id));
            audit!(tx, ctx, "review.report.generate", "review_report", Some(report), label, changes);
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Takes a queued run for this process; false when another took it or it is gone.
    pub async fn claim_review_run(&self, id: i64) -> Result<bool> {
        let sql = "UPDATE review_report_runs SET status = 'running', progress = 0 WHERE id = $1 AND status = 'queued'";
        let n = on_pool!(self, write, |p| sqlx::query(sql).bind(id).execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    pub async fn review_run_progress(&self, id: i64, progress: i64, step: &str) -> Result<()> {
        let sql = "UPDATE review_report_runs SET progress = $1, step = $2 WHERE id = $3 AND status = 'running'";
        on_pool!(self, write, |p| sqlx::query(sql).bind(progress).bind(step).bind(id).execute(p).await?.rows_affected());
        Ok(())
    }

    pub async fn finish_review_run(&self, id: i64, figures: &str) -> Result<()> {
        let sql = "UPDATE review_report_runs SET status = 'done', progress = 100, step = '', figures = $1, finished_at = $2
            WHERE id = $3 AND status = 'running'";
        on_pool!(self, write, |p| sqlx::query(sql).bind(figures).bind(Utc::now()).bind(id).execute(p).await?.rows_affected());
        Ok(())
    }

    pub async fn fail_review_run(&self, id: i64, error: &str) -> Result<()> {
        let sql = "UPDATE review_report_runs SET status = 'failed', error = $1, finished_at = $2
            WHERE id = $3 AND status IN ('queued', 'running')";
        on_pool!(self, write, |p| sqlx::query(sql).bind(error).bind(Utc::now()).bind(id).execute(p).await?.rows_affected());
        Ok(())
    }

    /// The runs a stopped server left queued, or running for more than 15 minutes (a generation
    /// takes seconds; a younger one may be another server's at work), put back in the queue.
    pub async fn requeue_review_runs(&self) -> Result<Vec<i64>> {
        let stale = Utc::now() - chrono::Duration::minutes(15);
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE review_report_runs SET status = 'queued' WHERE status = 'running' AND requested_at < $1")
                .bind(stale)
                .execute(p)
                .await?;
            let rows: Vec<(i64,)> =
                sqlx::query_as("SELECT id FROM review_report_runs WHERE status = 'queued' ORDER BY id").fetch_all(p).await?;
            Ok(rows.into_iter().map(|r| r.0).collect())
        })
    }

    /// The runs of a report `account` asked for, latest first (without their figures).
    pub async fn review_runs(&self, report: i64, account: i64) -> Result<Vec<RunRow>> {
        let sql = format!(
            "{} WHERE r.report_id = $1 AND r.requested_by = $2 ORDER BY r.id DESC LIMIT 50",
            RUN.replace("r.figures", "NULL AS figures")
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RunRow>(&sql).bind(report).bind(account).fetch_all(p).await?))
    }

    pub async fn review_run(&self, id: i64) -> Result<Option<RunRow>> {
        let sql = format!("{RUN} WHERE r.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RunRow>(&sql).bind(id).fetch_optional(p).await?))
    }
}
