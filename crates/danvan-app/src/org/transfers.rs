//! Open cases left without a unit by a dissolution with several successors: the administrator
//! places each.

use crate::{App, AppError, AppResult, Caller};
use danvan_domain::{Action, FieldErrors, Resource, UnitId};

pub use danvan_store::PendingTransfer;

/// The open cases waiting for a successor; administrators only.
pub async fn pending_transfers(app: &App, caller: &Caller) -> AppResult<Vec<PendingTransfer>> {
    caller.authorize(Action::Update, Resource::System)?;
    Ok(app.store.pending_transfers().await?)
}

/// Places a waiting case at one of the dissolved unit's successors (`to`, required); administrators
/// only.
pub async fn resolve_pending_transfer(app: &App, caller: &Caller, pending_id: i64, to: Option<UnitId>) -> AppResult<()> {
    caller.authorize(Action::Update, Resource::System)?;
    let to = to.ok_or_else(|| AppError::Invalid(FieldErrors::one("to", "error.required")))?;
    Ok(app.store.resolve_pending_transfer(&caller.audit(), pending_id, to).await?)
}
