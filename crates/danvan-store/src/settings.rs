//! Administrators' settings, typed by the domain and kept as JSON in `settings`. Read through a
//! cache like the working calendar: forgotten on every write here, and at most 30 seconds old
//! when another server changed them.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store};
use danvan_domain::settings::{Deadlines, MapSettings, Settings};
use std::sync::Arc;

pub const KEY_DEADLINES: &str = "deadlines";
pub const KEY_DEFAULT_PROVINCE: &str = "default_province";
pub const KEY_MAP: &str = "map";
pub const KEY_BOUNDARIES: &str = "map.boundaries";

/// The settings and when they were read.
pub(crate) type CachedSettings = (std::time::Instant, Arc<Settings>);

/// The cached settings and a generation bumped whenever they are forgotten: a read that began
/// before a save and ends after it must not put its stale values back.
#[derive(Debug, Default)]
pub(crate) struct SettingsCache {
    generation: u64,
    value: Option<CachedSettings>,
}

impl SettingsCache {
    fn fresh(&self, fresh_for: std::time::Duration) -> Option<Arc<Settings>> {
        self.value.as_ref().filter(|(at, _)| at.elapsed() < fresh_for).map(|(_, s)| s.clone())
    }
    /// Keeps `s`, read since `generation` was seen, unless the settings were forgotten meanwhile.
    fn put(&mut self, generation: u64, s: Arc<Settings>) -> bool {
        if self.generation != generation {
            return false;
        }
        self.value = Some((std::time::Instant::now(), s));
        true
    }
    fn forget(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.value = None;
    }
}

impl Store {
    /// The settings in force (defaults where nothing was set).
    pub async fn settings(&self) -> Result<Arc<Settings>> {
        const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);
        let generation = match self.settings_cache.lock() {
            Ok(guard) => {
                if let Some(s) = guard.fresh(FRESH_FOR) {
                    return Ok(s);
                }
                guard.generation
            }
            Err(_) => u64::MAX,
        };
        // A stored value that no longer parses (an older shape) falls back to the defaults
        // rather than stopping intake.
        let deadlines: Deadlines = match self.get_setting(KEY_DEADLINES).await? {
            Some(v) => serde_json::from_str(&v).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "stored deadlines unreadable; using the legal defaults");
                Deadlines::default()
            }),
            None => Deadlines::default(),
        };
        let map: MapSettings = self.get_setting(KEY_MAP).await?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
        let boundaries = match self.get_setting(KEY_BOUNDARIES).await? {
            Some(v) if !v.is_empty() => danvan_domain::cases::geo::parse_boundaries(&v).unwrap_or_default(),
            _ => vec![],
        };
        let s = Arc::new(Settings {
            deadlines,
            default_province: self.get_setting(KEY_DEFAULT_PROVINCE).await?.unwrap_or_default(),
            map,
            boundaries,
        });
        if let Ok(mut guard) = self.settings_cache.lock() {
            guard.put(generation, s.clone());
        }
        Ok(s)
    }

    pub(crate) fn forget_settings(&self) {
        if let Ok(mut guard) = self.settings_cache.lock() {
            guard.forget();
        }
    }

    /// Writes one setting and its audit entry in one transaction. Large values (boundaries) are
    /// audited by size, not copied into the log.
    pub async fn save_setting(&self, ctx: &AuditCtx, key: &str, value: &str) -> Result<()> {
        let old = self.get_setting(key).await?;
        let changes = if value.len() > 4000 || old.as_ref().is_some_and(|o| o.len() > 4000) {
            Changes::new().field("bytes", old.as_ref().map(|o| o.len()), Some(value.len()))
        } else {
            let as_json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::String(s.into()));
            Changes::new().field("value", old.as_deref().map(as_json), Some(as_json(value)))
        };
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
            audit!(tx, ctx, "settings.update", "settings", None::<i64>, key, changes);
            tx.commit().await?;
            Ok::<(), crate::StoreError>(())
        })?;
        self.forget_settings();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_overtaken_by_a_save_does_not_refill_the_cache() {
        let mut c = SettingsCache::default();
        let fresh_for = std::time::Duration::from_secs(30);
        // A read starts, then a save forgets the cache, then the read finishes with old values.
        let seen = c.generation;
        c.forget();
        assert!(!c.put(seen, Arc::new(Settings::default())), "stale values are dropped");
        assert!(c.fresh(fresh_for).is_none());
        // A read that began after the save is kept.
        let seen = c.generation;
        assert!(c.put(seen, Arc::new(Settings::default())));
        assert!(c.fresh(fresh_for).is_some());
    }
}
