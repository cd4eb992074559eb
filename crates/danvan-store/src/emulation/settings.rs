//! The emulation settings over time (`SettingsBook`), kept as JSON under one settings key and
//! written through `save_setting` (one transaction with its audit entry).

use crate::audit::AuditCtx;
use crate::{Result, Store};
use danvan_domain::emulation::SettingsBook;

pub const KEY_EMULATION: &str = "emulation.settings";

impl Store {
    /// The versions saved, or the defaults (the law's figures from 2024) when none were.
    pub async fn emulation_settings_book(&self) -> Result<SettingsBook> {
        Ok(match self.get_setting(KEY_EMULATION).await? {
            // A stored value of an older shape falls back to the defaults rather than stopping
            // the eligibility pages; the settings page shows what is in force.
            Some(v) => serde_json::from_str(&v).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "stored emulation settings unreadable; using the defaults");
                SettingsBook::default()
            }),
            None => SettingsBook::default(),
        })
    }

    pub async fn save_emulation_settings_book(&self, ctx: &AuditCtx, book: &SettingsBook) -> Result<()> {
        // Plain numbers, strings and enum names: serialising cannot fail, but says so if it does.
        let json = serde_json::to_string(book).map_err(|e| crate::StoreError::Db(sqlx::Error::Protocol(e.to_string())))?;
        self.save_setting(ctx, KEY_EMULATION, &json).await
    }
}
