//! The append-only audit log: who changed what, when, and which fields.

use crate::{Result, Store};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Who is acting, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditCtx {
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub ip: String,
}

impl AuditCtx {
    pub fn system(label: &str) -> Self {
        AuditCtx { actor_id: None, actor_label: label.to_string(), ip: String::new() }
    }
}

/// Changed fields as `{"field": [old, new]}`.
#[derive(Debug, Default, Clone)]
pub struct Changes(pub Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }
    /// Records a field when its value changed (or, for creations, when `old` is null).
    pub fn field<T: serde::Serialize>(mut self, name: &str, old: Option<T>, new: Option<T>) -> Self {
        let old = serde_json::to_value(old).unwrap_or(Value::Null);
        let new = serde_json::to_value(new).unwrap_or(Value::Null);
        if old != new {
            self.0.insert(name.to_string(), Value::Array(vec![old, new]));
        }
        self
    }
    pub fn set<T: serde::Serialize>(self, name: &str, new: T) -> Self {
        self.field(name, None, Some(new))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Changes> for Value {
    fn from(c: Changes) -> Value {
        Value::Object(c.0)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub changes: String,
    pub ip: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    /// Newest first. Empty filter fields match everything.
    pub async fn list_audit(&self, f: &AuditFilter) -> Result<(Vec<AuditEntry>, i64)> {
        let cond = "($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR target_type = $3)
             AND ($4 IS NULL OR target_id = $4) AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6)";
        let list = format!("SELECT * FROM audit_log WHERE {cond} ORDER BY id DESC LIMIT $7 OFFSET $8");
        let count = format!("SELECT COUNT(*) FROM audit_log WHERE {cond}");
        on_pool!(self, read, |p| {
            let rows = sqlx::query_as::<_, AuditEntry>(&list)
                .bind(f.actor_id)
                .bind(&f.action)
                .bind(&f.target_type)
                .bind(f.target_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.limit.clamp(1, 500))
                .bind(f.offset.max(0))
                .fetch_all(p)
                .await?;
            let total: i64 = sqlx::query_scalar(&count)
                .bind(f.actor_id)
                .bind(&f.action)
                .bind(&f.target_type)
                .bind(f.target_id)
                .bind(f.from)
                .bind(f.to)
                .fetch_one(p)
                .await?;
            Ok((rows, total))
        })
    }

    /// Records an event that changes nothing else (sign-in, sign-out, token use).
    pub async fn record_event(
        &self,
        ctx: &AuditCtx,
        action: &str,
        target_type: &str,
        target_id: Option<i64>,
        target_label: &str,
        changes: Changes,
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            audit!(tx, ctx, action, target_type, target_id, target_label, changes);
            tx.commit().await?;
            Ok(())
        })
    }
}
