//! Open cases left without a unit by a dissolution with several successors: the administrator
//! places each.

use crate::{App, AppResult, Caller};
use danvan_domain::UnitId;

pub async fn resolve_pending_transfer(app: &App, caller: &Caller, pending_id: i64, to: UnitId) -> AppResult<()> {
    Ok(app.store.resolve_pending_transfer(&caller.audit(), pending_id, to).await?)
}
