//! Review reports (issue 12 item 3): drafts with their versions, and the runs that generate
//! their figures. What the figures are is the app's; this keeps them.

mod runs;

pub use runs::RunRow;

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use danvan_domain::review::{ReportContent, ReportKind};
use danvan_domain::{FieldErrors, UnitId};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReportRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    #[sqlx(try_from = "crate::Name<ReportKind>")]
    pub kind: ReportKind,
    pub title: String,
    pub from_month: i32,
    pub to_month: i32,
    pub version: i64,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReportRow {
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct VersionRow {
    pub version: i64,
    #[serde(skip)]
    pub content: String,
    pub saved_by_name: String,
    pub saved_at: DateTime<Utc>,
}

impl VersionRow {
    /// The version's content; a row that no longer reads (written by hand) is reported.
    pub fn content(&self) -> Result<ReportContent> {
        serde_json::from_str(&self.content).map_err(|_| stale_content())
    }
}

fn stale_content() -> StoreError {
    StoreError::Invalid(FieldErrors::one("version", "review.error.content"))
}

/// Another editor saved a version after the one edited.
fn edited_meanwhile() -> StoreError {
    StoreError::Invalid(FieldErrors::one("version", "review.error.edited_meanwhile"))
}

const REPORT: &str = "SELECT r.id, r.unit_id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, r.kind,
    r.title, r.from_month, r.to_month, r.version, a.full_name AS created_by_name, r.created_at, r.updated_at
    FROM review_reports r JOIN units u ON u.id = r.unit_id JOIN accounts a ON a.id = r.created_by";

impl Store {
    /// A new draft of `unit_id`'s report: version 1.
    pub async fn create_review_report(&self, ctx: &AuditCtx, unit_id: i64, c: &ReportContent) -> Result<i64> {
        let json = serde_json::to_string(c).map_err(|_| stale_content())?;
        let account = ctx.actor_id.ok_or(StoreError::NotFound)?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let now = Utc::now();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO review_reports (unit_id, kind, title, from_month, to_month, version, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id",
            )
            .bind(unit_id)
            .bind(c.kind.as_str())
            .bind(&c.title)
            .bind(c.from)
            .bind(c.to)
            .bind(account)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO review_report_versions (report_id, version, content, saved_by, saved_at) VALUES ($1, 1, $2, $3, $4)",
            )
            .bind(id)
            .bind(&json)
            .bind(account)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let changes = Changes::new().field("version", None, Some(1i64));
            audit!(tx, ctx, "review.report.create", "review_report", Some(id), &c.subject(), changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Saves a new version of a draft edited from version `base`; refused when another was saved
    /// since. Returns the new version's number.
    pub async fn save_review_report(&self, ctx: &AuditCtx, id: i64, base: i64, c: &ReportContent) -> Result<i64> {
        let json = serde_json::to_string(c).map_err(|_| stale_content())?;
        let account = ctx.actor_id.ok_or(StoreError::NotFound)?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let now = Utc::now();
            let done = sqlx::query(
                "UPDATE review_reports SET version = version + 1, kind = $1, title = $2, from_month = $3, to_month = $4,
                 updated_at = $5 WHERE id = $6 AND version = $7",
            )
            .bind(c.kind.as_str())
            .bind(&c.title)
            .bind(c.from)
            .bind(c.to)
            .bind(now)
            .bind(id)
            .bind(base)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(edited_meanwhile());
            }
            let version = base + 1;
            sqlx::query("INSERT INTO review_report_versions (report_id, version, content, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(version)
                .bind(&json)
                .bind(account)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let changes = Changes::new().field("version", Some(base), Some(version));
            audit!(tx, ctx, "review.report.save", "review_report", Some(id), &c.subject(), changes);
            tx.commit().await?;
            Ok(version)
        })
    }

    pub async fn review_report(&self, id: i64) -> Result<Option<ReportRow>> {
        let sql = format!("{REPORT} WHERE r.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ReportRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The reports of the units in the subtrees at `paths`, latest first.
    pub async fn review_reports(&self, paths: &[String]) -> Result<Vec<ReportRow>> {
        let mut out: Vec<ReportRow> = vec![];
        let sql = format!("{REPORT} WHERE u.path >= $1 AND u.path < ($1 || '~') ORDER BY r.updated_at DESC, r.id DESC LIMIT 500");
        for path in paths {
            let rows = on_pool!(self, read, |p| sqlx::query_as::<_, ReportRow>(&sql).bind(path).fetch_all(p).await?);
            for r in rows {
                if !out.iter().any(|o| o.id == r.id) {
                    out.push(r);
                }
            }
        }
        out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// The latest 200 versions of a report, latest first, without their contents (a version is
    /// read alone: `review_report_version`).
    pub async fn review_report_versions(&self, id: i64) -> Result<Vec<VersionRow>> {
        let sql = "SELECT v.version, '' AS content, a.full_name AS saved_by_name, v.saved_at
            FROM review_report_versions v JOIN accounts a ON a.id = v.saved_by WHERE v.report_id = $1
            ORDER BY v.version DESC LIMIT 200";
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, VersionRow>(sql).bind(id).fetch_all(p).await?))
    }

    pub async fn review_report_version(&self, id: i64, version: i64) -> Result<Option<VersionRow>> {
        let sql = "SELECT v.version, v.content, a.full_name AS saved_by_name, v.saved_at
            FROM review_report_versions v JOIN accounts a ON a.id = v.saved_by WHERE v.report_id = $1 AND v.version = $2";
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, VersionRow>(sql).bind(id).bind(version).fetch_optional(p).await?))
    }
}
