//! The audit log: reading it, and recording events that change nothing else.

use crate::{App, AppResult, Caller};

pub use danvan_store::{AuditCtx, AuditEntry, AuditFilter, Changes};

pub async fn list_audit(app: &App, f: &AuditFilter) -> AppResult<(Vec<AuditEntry>, i64)> {
    Ok(app.store.list_audit(f).await?)
}

pub async fn record_event(
    app: &App,
    caller: &Caller,
    action: &str,
    target_type: &str,
    target_id: Option<i64>,
    target_label: &str,
    changes: Changes,
) -> AppResult<()> {
    Ok(app.store.record_event(&caller.audit(), action, target_type, target_id, target_label, changes).await?)
}
