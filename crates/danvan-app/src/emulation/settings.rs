//! The emulation settings over time: thresholds, caps, the base salary and the coefficients
//! (RULES.md §6, settings marked **setting**), each version with the date it takes effect, so that
//! a nomination is judged and paid by the figures in force for its year. Administrators change
//! them (`Resource::System`); everyone who checks eligibility reads them.

use crate::input::{bounded_date, parse_date};
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::calendar::DateRange;
use danvan_domain::emulation::{law_in_force, parse_settings_form, EmulationSettings, SettingsBook, SettingsVersion};
use danvan_domain::{Action, FieldErrors, Resource};

/// Every version, oldest first.
pub async fn settings_book(app: &App) -> AppResult<SettingsBook> {
    Ok(app.store.emulation_settings_book().await?)
}

/// The version that judges a year (in force on 31 December).
pub async fn settings_for_year(app: &App, year: i32) -> AppResult<EmulationSettings> {
    Ok(app.store.emulation_settings_book().await?.for_year(year).clone())
}

fn admin(caller: &Caller) -> AppResult<()> {
    caller.authorize(Action::Update, Resource::System)
}

/// The date a version takes effect: not before the Law took effect, at most ten years ahead.
fn effective_from(value: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    const FIELD: &str = "effective_from";
    if value.trim().is_empty() {
        errors.add(FIELD, "error.required");
        return None;
    }
    let Some(d) = parse_date(value) else {
        errors.add(FIELD, "error.date");
        return None;
    };
    let d = bounded_date(d, FIELD, DateRange::Planning, errors)?;
    if d < law_in_force() {
        errors.add(FIELD, "emulation.settings.error.before_law");
        return None;
    }
    Some(d)
}

/// Saves a version read from the form's fields (`get`), replacing one of the same date.
pub async fn save_settings(app: &App, caller: &Caller, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<NaiveDate> {
    admin(caller)?;
    let mut errors = FieldErrors::new();
    let from = effective_from(&get("effective_from"), &mut errors);
    let settings = parse_settings_form(get).map_err(|e| errors.merge(e)).ok();
    let (Some(from), Some(settings)) = (from, settings) else {
        return Err(AppError::Invalid(errors));
    };
    let mut book = app.store.emulation_settings_book().await?;
    book.put(SettingsVersion { effective_from: from, settings });
    app.store.save_emulation_settings_book(&caller.audit(), &book).await?;
    Ok(from)
}

/// One version, by the day it takes effect (the page that asks before removing it).
pub async fn settings_version(app: &App, caller: &Caller, effective_from: &str) -> AppResult<(NaiveDate, EmulationSettings)> {
    admin(caller)?;
    let day = parse_date(effective_from).ok_or(AppError::NotFound)?;
    let book = app.store.emulation_settings_book().await?;
    let v = book.versions.iter().find(|v| v.effective_from == day).ok_or(AppError::NotFound)?;
    Ok((day, v.settings.clone()))
}

/// Removes the version of that date; the last one left stays (404 when there is no such version).
pub async fn remove_settings(app: &App, caller: &Caller, effective_from: &str) -> AppResult<()> {
    admin(caller)?;
    let Some(day) = parse_date(effective_from) else {
        return Err(AppError::NotFound);
    };
    let mut book = app.store.emulation_settings_book().await?;
    if !book.versions.iter().any(|v| v.effective_from == day) {
        return Err(AppError::NotFound);
    }
    if !book.remove(day) {
        return Err(AppError::Invalid(FieldErrors::one("effective_from", "emulation.settings.error.last_version")));
    }
    app.store.save_emulation_settings_book(&caller.audit(), &book).await?;
    Ok(())
}
