//! Background work. The escalation job marks cases due soon and overdue: the handling unit's
//! leaders (and those of the unit above it) hear of cases due soon; once a case is overdue the
//! leaders one level higher hear too. Notices are unique per account, case and kind, so the job
//! can run on every server and repeat without duplicates.

use crate::cases;
use crate::App;
use danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS;
use std::time::Duration;

/// One pass; returns how many new notices were given.
pub async fn escalate(app: &App) -> Result<u64, danvan_store::StoreError> {
    let today = cases::today();
    let cal = app.store.work_calendar().await?;
    let soon = cal.add_working_days(today, DEFAULT_DUE_SOON_DAYS).unwrap_or(today);
    let mut given = 0;
    for c in app.store.cases_due_by(soon).await? {
        let anc: Vec<i64> = c.unit_path.split('/').filter_map(|s| s.parse().ok()).collect();
        let overdue = c.due < today;
        // The handling unit and its parent; once overdue, the grandparent too.
        let levels = if overdue { 3 } else { 2 };
        let units: Vec<i64> = anc.iter().rev().take(levels).copied().collect();
        let leaders = app.store.leaders_of(&units).await?;
        given += app.store.notify(&leaders, c.id, if overdue { "overdue" } else { "due_soon" }).await?;
    }
    Ok(given)
}

/// Runs `escalate` now and then every `every`, until the process ends; hourly, it also erases
/// personal data past its retention period.
pub fn spawn(app: App, every: Duration) {
    tokio::spawn(async move {
        let mut last_retention: Option<std::time::Instant> = None;
        loop {
            if last_retention.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                last_retention = Some(std::time::Instant::now());
                // At start and hourly: uploads left in tmp/ by a process that died mid-request.
                let swept = app.uploads.sweep_tmp(cases::files::TMP_MAX_AGE).await;
                if swept > 0 {
                    tracing::info!(files = swept, "stale temporary uploads removed");
                }
                match cases::retention::erase_expired_today(&app).await {
                    Ok(n) if n > 0 => tracing::info!(cases = n, "personal data erased after its retention period"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = ?e, "retention job failed"),
                }
            }
            if let Err(e) = app.store.optimize().await {
                tracing::warn!(error = %e, "optimize");
            }
            match escalate(&app).await {
                Ok(n) if n > 0 => tracing::info!(notices = n, "escalation"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "escalation job failed"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Sends queued messages to citizens now and then every `every`. Each pass claims its messages
/// (with `FOR UPDATE SKIP LOCKED` on PostgreSQL), so every server may run it.
pub fn spawn_delivery(app: App, every: Duration) {
    tokio::spawn(async move {
        loop {
            match cases::delivery::deliver(&app).await {
                Ok(r) if r.sent + r.failed + r.retried > 0 => {
                    tracing::info!(sent = r.sent, retried = r.retried, failed = r.failed, "delivery")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "delivery job failed"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
