//! The working calendar and the administrator's overrides of it: one day at a time from the page,
//! or a CSV file checked whole before any row is saved.

use crate::input::parse_date;
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::calendar::{Override, WorkCalendar};
use danvan_domain::{Action, FieldErrors, Resource};
use std::sync::Arc;

pub use danvan_store::calendar::OverrideRow;

pub async fn work_calendar(app: &App) -> AppResult<Arc<WorkCalendar>> {
    Ok(app.store.work_calendar().await?)
}

pub async fn calendar_overrides(app: &App) -> AppResult<Vec<OverrideRow>> {
    Ok(app.store.calendar_overrides().await?)
}

/// An override from its parts as typed; errors under `day` and `kind`.
fn override_of(day: &str, kind: &str, reason: &str, e: &mut FieldErrors) -> Option<Override> {
    let Some(date) = parse_date(day) else {
        e.add("day", if day.trim().is_empty() { "error.required" } else { "error.date" });
        return None;
    };
    // A year's schedule is announced ahead, never centuries away (each year costs lunar work).
    let date = crate::input::bounded_date(date, "day", danvan_domain::calendar::DateRange::Planning, e)?;
    let o = Override::from_parts(date, kind, reason);
    if o.is_none() {
        e.add("kind", "error.invalid");
    }
    o
}

/// Sets one day's override (administrators); returns its day.
pub async fn set_override(app: &App, caller: &Caller, day: &str, kind: &str, reason: &str) -> AppResult<NaiveDate> {
    caller.authorize(Action::Update, Resource::System)?;
    let mut e = FieldErrors::new();
    match override_of(day, kind, reason, &mut e) {
        Some(o) if e.is_empty() => {
            app.store.set_calendar_override(&caller.audit(), &o).await?;
            Ok(o.date())
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Removes one day's override (administrators); returns its day.
pub async fn delete_override(app: &App, caller: &Caller, day: &str) -> AppResult<NaiveDate> {
    caller.authorize(Action::Update, Resource::System)?;
    let day = parse_date(day).ok_or_else(|| AppError::Invalid(FieldErrors::one("day", "error.date")))?;
    app.store.delete_calendar_override(&caller.audit(), day).await?;
    Ok(day)
}

/// Imports a CSV `day,kind,reason` (a header row is allowed; `None` is a file over the size
/// limit), administrators only. Every row is checked before any is saved, in one transaction;
/// errors are named `row N` (and `file`). Returns the overrides saved.
pub async fn import_overrides(app: &App, caller: &Caller, file: Option<&[u8]>) -> AppResult<Vec<Override>> {
    caller.authorize(Action::Update, Resource::System)?;
    let Some(bytes) = file else { return Err(AppError::Invalid(FieldErrors::one("file", "calendar.error.csv_too_large"))) };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::BadRequest("error.csv"))?;
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let (mut parsed, mut e) = (vec![], FieldErrors::new());
    for (i, row) in rdr.records().enumerate() {
        let field = format!("row {}", i + 1);
        let Ok(row) = row else {
            e.add(&field, "error.csv");
            continue;
        };
        let (day, kind, reason) = (row.get(0).unwrap_or(""), row.get(1).unwrap_or(""), row.get(2).unwrap_or(""));
        if i == 0 && parse_date(day).is_none() && day.eq_ignore_ascii_case("day") {
            continue;
        }
        let mut re = FieldErrors::new();
        match override_of(day, kind, reason, &mut re) {
            Some(Override::RemoveHoliday { date }) => parsed.push(Override::RemoveHoliday { date }),
            Some(o) if !reason.trim().is_empty() => parsed.push(o),
            Some(_) => e.add(&field, "calendar.error.reason_required"),
            None => e.add(&field, re.0.first().map(|x| x.key.as_str()).unwrap_or("error.invalid")),
        }
    }
    if parsed.is_empty() && e.is_empty() {
        e.add("file", "error.required");
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    app.store.set_calendar_overrides(&caller.audit(), &parsed).await?;
    Ok(parsed)
}
