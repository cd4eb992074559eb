//! Administrators' settings: time limits, the map, the default province, boundaries, retention.
//! Each change is a use case: authorize (administrators), validate, save with its audit entry.

use crate::{App, AppError, AppResult, Caller};
use danvan_domain::cases::delivery::{RetentionPolicy, RETENTION_COMPLAINT_KEY, RETENTION_FEEDBACK_KEY};
use danvan_domain::settings::{parse_deadlines, validate_map};
use danvan_domain::{Action, FieldErrors, Resource};
use std::sync::Arc;

pub use danvan_domain::settings::Settings;
use danvan_store::settings::{KEY_BOUNDARIES, KEY_DEADLINES, KEY_DEFAULT_PROVINCE, KEY_MAP};

/// The largest boundaries file accepted (GeoJSON).
pub const MAX_BOUNDARIES: usize = 12 * 1024 * 1024;

/// The settings in force (defaults where nothing was set).
pub async fn settings(app: &App) -> AppResult<Arc<Settings>> {
    Ok(app.store.settings().await?)
}

fn admin(caller: &Caller) -> AppResult<()> {
    caller.authorize(Action::Update, Resource::System)
}

fn json<T: serde::Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Saves the time limits per kind of case, read from the form's fields (`get`).
pub async fn save_deadlines(app: &App, caller: &Caller, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<()> {
    admin(caller)?;
    let d = parse_deadlines(get).map_err(AppError::Invalid)?;
    Ok(app.store.save_setting(&caller.audit(), KEY_DEADLINES, &json(&d)?).await?)
}

/// Saves the map's tile source and the default province (a live unit's code, or empty).
pub async fn save_map(app: &App, caller: &Caller, tile_url: &str, attribution: &str, province: &str) -> AppResult<()> {
    admin(caller)?;
    let mut errors = FieldErrors::new();
    let map = validate_map(tile_url, attribution).map_err(|e| errors.0.extend(e.0)).ok();
    let province = province.trim();
    if !province.is_empty() {
        match app.store.get_unit_by_code(province).await? {
            Some(u) if !u.dissolved() => {}
            Some(_) => errors.add("default_province", "error.unit_dissolved"),
            None => errors.add("default_province", "error.unit_unknown"),
        }
    }
    match (map, errors.is_empty()) {
        (Some(map), true) => {
            app.store.save_setting(&caller.audit(), KEY_MAP, &json(&map)?).await?;
            if app.store.settings().await?.default_province != province {
                app.store.save_setting(&caller.audit(), KEY_DEFAULT_PROVINCE, province).await?;
            }
            Ok(())
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Saves the boundaries (GeoJSON; `None` is a file over the size limit). Every feature must name
/// a unit that exists (dissolved ones route to their successors); errors are named
/// `boundaries` or `feature N`.
pub async fn save_boundaries(app: &App, caller: &Caller, file: Option<&[u8]>) -> AppResult<()> {
    admin(caller)?;
    let too_large = file.is_none_or(|b| b.len() > MAX_BOUNDARIES);
    let bytes = file.unwrap_or_default();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).unwrap_or("");
    let areas = if too_large {
        Err(FieldErrors::one("boundaries", "admin.error.boundaries_too_large"))
    } else if text.trim().is_empty() {
        Err(FieldErrors::one("boundaries", "error.required"))
    } else {
        danvan_domain::cases::geo::parse_boundaries(text)
    }
    .map_err(AppError::Invalid)?;
    let mut known = std::collections::HashSet::new();
    for a in &areas {
        if app.store.get_unit_by_code(&a.unit_code).await?.is_some() {
            known.insert(a.unit_code.clone());
        }
    }
    danvan_domain::cases::geo::unknown_codes(&areas, &|c| known.contains(c)).into_result().map_err(AppError::Invalid)?;
    Ok(app.store.save_setting(&caller.audit(), KEY_BOUNDARIES, text).await?)
}

/// Removes the boundaries.
pub async fn clear_boundaries(app: &App, caller: &Caller) -> AppResult<()> {
    admin(caller)?;
    Ok(app.store.save_setting(&caller.audit(), KEY_BOUNDARIES, "").await?)
}

/// Saves how many years closed cases are kept, per kind, as one audited change.
pub async fn save_retention(app: &App, caller: &Caller, feedback_years: &str, complaint_years: &str) -> AppResult<()> {
    admin(caller)?;
    let p = RetentionPolicy::parse(feedback_years, complaint_years).map_err(AppError::Invalid)?;
    let values =
        [(RETENTION_FEEDBACK_KEY, p.feedback_years.to_string()), (RETENTION_COMPLAINT_KEY, p.complaint_years.to_string())];
    Ok(app.store.set_settings_audited(&caller.audit(), "settings.retention", &values).await?)
}
