//! The working calendar and the administrator's overrides of it.

use crate::{App, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::calendar::{Override, WorkCalendar};
use std::sync::Arc;

pub use danvan_store::calendar::OverrideRow;

pub async fn work_calendar(app: &App) -> AppResult<Arc<WorkCalendar>> {
    Ok(app.store.work_calendar().await?)
}

pub async fn calendar_overrides(app: &App) -> AppResult<Vec<OverrideRow>> {
    Ok(app.store.calendar_overrides().await?)
}

pub async fn set_calendar_override(app: &App, caller: &Caller, o: &Override) -> AppResult<()> {
    Ok(app.store.set_calendar_override(&caller.audit(), o).await?)
}

pub async fn set_calendar_overrides(app: &App, caller: &Caller, os: &[Override]) -> AppResult<()> {
    Ok(app.store.set_calendar_overrides(&caller.audit(), os).await?)
}

pub async fn delete_calendar_override(app: &App, caller: &Caller, day: NaiveDate) -> AppResult<()> {
    Ok(app.store.delete_calendar_override(&caller.audit(), day).await?)
}
