//! The database's health and figures for `/healthz` and `/metrics`.

use crate::App;

pub use danvan_store::{IntakeStats, PoolStats};

pub async fn healthy(app: &App) -> bool {
    app.store.health().await
}

pub fn pool_stats(app: &App) -> PoolStats {
    app.store.pool_stats()
}

pub fn intake_stats(app: &App) -> Option<IntakeStats> {
    app.store.intake_stats()
}
