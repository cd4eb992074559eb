//! The audit log: reading it, and recording events that change nothing else.

use crate::{App, AppResult, Caller};
use danvan_domain::{Action, Resource};

pub use danvan_store::{AuditCtx, AuditEntry, AuditFilter, Changes};

/// A page of the audit log; for those who may read it.
pub async fn list_audit(app: &App, caller: &Caller, f: &AuditFilter) -> AppResult<(Vec<AuditEntry>, i64)> {
    caller.authorize(Action::View, Resource::AuditLog)?;
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
