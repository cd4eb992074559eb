//! Open311 clients' keys.

use crate::{App, AppResult};

/// The name of the client holding this key; `None` for an unknown or revoked key.
pub async fn key_name(app: &App, secret: &str) -> AppResult<Option<String>> {
    Ok(app.store.open311_key_name(secret).await?)
}
