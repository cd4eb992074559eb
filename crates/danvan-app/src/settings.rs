//! Administrators' settings: time limits, the map, the default province, boundaries.

use crate::{App, AppResult, Caller};
use std::sync::Arc;

pub use danvan_domain::settings::Settings;
pub use danvan_store::settings::{KEY_BOUNDARIES, KEY_DEADLINES, KEY_DEFAULT_PROVINCE, KEY_MAP};

/// The settings in force (defaults where nothing was set).
pub async fn settings(app: &App) -> AppResult<Arc<Settings>> {
    Ok(app.store.settings().await?)
}

pub async fn save_setting(app: &App, caller: &Caller, key: &str, value: &str) -> AppResult<()> {
    Ok(app.store.save_setting(&caller.audit(), key, value).await?)
}

/// Saves several settings as one audited change named `action`.
pub async fn save_settings(app: &App, caller: &Caller, action: &str, values: &[(&str, String)]) -> AppResult<()> {
    Ok(app.store.set_settings_audited(&caller.audit(), action, values).await?)
}
