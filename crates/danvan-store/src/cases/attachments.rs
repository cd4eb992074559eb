//! Attachments: the photos sent with a case and the files attached to its answer. Only metadata
//! lives here; the bytes are files under the uploads directory, named by `storage_key`, which the
//! web layer writes (after the commit) and serves.

use crate::audit::AuditCtx;
use crate::{Result, Store};
use chrono::{DateTime, Utc};

/// An attachment about to be recorded (its files are still temporary).
#[derive(Debug, Clone, Default)]
pub struct NewAttachment {
    /// A photo, an answer file or a reference an Open311 client sent (never fetched).
    pub purpose: danvan_domain::cases::attachment::Purpose,
    pub content_type: String,
    pub file_name: String,
    pub storage_key: Option<String>,
    pub thumb_key: Option<String>,
    pub external_url: Option<String>,
    pub bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    #[sqlx(try_from = "crate::Name<danvan_domain::cases::attachment::Purpose>")]
    pub purpose: danvan_domain::cases::attachment::Purpose,
    pub position: i64,
    pub content_type: String,
    pub file_name: String,
    pub storage_key: Option<String>,
    pub thumb_key: Option<String>,
    pub external_url: Option<String>,
    pub bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/") && self.storage_key.is_some()
    }
}

const ATT_COLS: &str = "id, case_id, purpose, position, content_type, file_name, storage_key, thumb_key, external_url, bytes, width, height, sha256, created_by, created_at";

/// Inserts attachments inside the caller's transaction, numbered after those the case has.
macro_rules! insert_attachments {
    ($tx:expr, $ctx:expr, $case_id:expr, $atts:expr, $now:expr) => {
        for a in $atts {
            sqlx::query(
                "INSERT INTO attachments (case_id, purpose, position, content_type, file_name, storage_key, thumb_key, external_url, bytes, width, height, sha256, created_by, created_at)
                 VALUES ($1, $2, (SELECT COUNT(*) FROM attachments WHERE case_id = $1 AND purpose = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind($case_id)
            .bind(a.purpose.as_str())
            .bind(&a.content_type)
            .bind(&a.file_name)
            .bind(&a.storage_key)
            .bind(&a.thumb_key)
            .bind(&a.external_url)
            .bind(a.bytes)
            .bind(a.width)
            .bind(a.height)
            .bind(&a.sha256)
            .bind($ctx.actor_id)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_attachments;

impl Store {
    /// Adds attachments to an existing case (answer files), with one audit entry, in one commit.
    pub async fn add_attachments(&self, ctx: &AuditCtx, case_id: i64, atts: &[NewAttachment]) -> Result<()> {
        let now = Utc::now();
        let names: Vec<&str> = atts.iter().map(|a| a.file_name.as_str()).collect();
        let changes = crate::Changes::new()
            .set("files", names.join(", "))
            .set("purpose", atts.first().map(|a| a.purpose.as_str()).unwrap_or(""));
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            insert_attachments!(tx, ctx, case_id, atts, now);
            audit!(tx, ctx, "attachment.add", "case", Some(case_id), &case_id.to_string(), changes.clone());
            tx.commit().await?;
            Ok(())
        })
    }

    /// A case's attachments, photos first, each kind in the order it was sent.
    pub async fn attachments(&self, case_id: i64) -> Result<Vec<Attachment>> {
        let sql = format!("SELECT {ATT_COLS} FROM attachments WHERE case_id = $1 ORDER BY purpose DESC, position, id");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Attachment>(&sql).bind(case_id).fetch_all(p).await?))
    }

    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let sql = format!("SELECT {ATT_COLS} FROM attachments WHERE id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Attachment>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// Removes an attachment's row (its files are the caller's to delete after this commit).
    pub async fn delete_attachment(&self, ctx: &AuditCtx, id: i64) -> Result<Option<Attachment>> {
        let Some(a) = self.attachment(id).await? else {
            return Ok(None);
        };
        let changes = crate::Changes::new().set("file", &a.file_name).set("purpose", a.purpose.as_str());
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM attachments WHERE id = $1").bind(id).execute(&mut *tx).await?;
            audit!(tx, ctx, "attachment.delete", "case", Some(a.case_id), &a.case_id.to_string(), changes.clone());
            tx.commit().await?;
            Ok::<_, crate::StoreError>(())
        })?;
        Ok(Some(a))
    }

    /// Every file the database refers to (for checks and backups).
    pub async fn attachment_keys(&self) -> Result<Vec<String>> {
        let rows: Vec<(Option<String>, Option<String>)> = on_pool!(self, read, |p| sqlx::query_as(
            "SELECT storage_key, thumb_key FROM attachments WHERE storage_key IS NOT NULL"
        )
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().flat_map(|(a, b)| a.into_iter().chain(b)).collect())
    }
}

impl Store {
    /// Rows in one of the tables a case's intake writes (checks that nothing was half-saved).
    pub async fn count_rows(&self, table: &str) -> Result<i64> {
        if !matches!(table, "cases" | "case_contacts" | "case_events" | "attachments") {
            return Err(crate::StoreError::NotFound);
        }
        let sql = format!("SELECT COUNT(*) FROM {table}");
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await?))
    }
}
