//! Background work. The escalation job marks cases due soon and overdue: the handling unit's
//! leaders (and those of the unit above it) hear of cases due soon; once a case is overdue the
//! leaders one level higher hear too. Notices are unique per account, case and kind, so the job
//! can run on every server and repeat without duplicates. A denunciation is never announced to
//! whom it concerns.

use crate::cases;
use crate::App;
use danvan_domain::calendar::{DueStatus, DEFAULT_DUE_SOON_DAYS};
use danvan_domain::cases::denunciation::Concerned;
use danvan_domain::UnitId;
use danvan_store::org::units::path_ids;
use std::collections::HashMap;
use std::time::Duration;

/// One pass; returns how many new notices were given.
pub async fn escalate(app: &App) -> Result<u64, danvan_store::StoreError> {
    let today = cases::today();
    let cal = app.store.work_calendar().await?;
    let soon = cal.add_working_days(today, DEFAULT_DUE_SOON_DAYS).unwrap_or(today);
    let mut given = 0;
    // The ancestries of each leader's memberships, read once a pass.
    let mut workplaces: HashMap<i64, Vec<Vec<UnitId>>> = HashMap::new();
    for c in app.store.cases_due_by(soon).await? {
        let anc: Vec<i64> = c.unit_path.split('/').filter_map(|s| s.parse().ok()).collect();
        let overdue = c.due < today;
        // The handling unit and its parent; once overdue, the grandparent too.
        let levels = if overdue { 3 } else { 2 };
        let units: Vec<i64> = anc.iter().rev().take(levels).copied().collect();
        let mut leaders = app.store.leaders_of(&units).await?;
        // A denunciation is never announced to whom it concerns (Luật Tố cáo 2018, Điều 8 khoản
        // 3): not the person denounced, nor a leader working in the unit concerned or below it.
        let concerned = Concerned { unit: c.concerned_unit_id, account: c.concerned_account_id };
        if concerned != Concerned::default() {
            let mut kept = Vec::with_capacity(leaders.len());
            for l in leaders {
                if let std::collections::hash_map::Entry::Vacant(e) = workplaces.entry(l) {
                    e.insert(app.store.memberships_of(l).await?.iter().map(|m| path_ids(&m.unit_path)).collect());
                }
                if !concerned.includes(Some(l), &workplaces[&l]) {
                    kept.push(l);
                }
            }
            leaders = kept;
        }
        let kind = if overdue { DueStatus::Overdue } else { DueStatus::DueSoon };
        given += app.store.notify(&leaders, c.id, kind).await?;
    }
    Ok(given)
}

/// Tells the background jobs to stop; clones all hear the same signal.
#[derive(Clone)]
pub struct Shutdown(tokio::sync::watch::Receiver<bool>);

/// The sending side of [`Shutdown`]; dropping it also stops the jobs.
pub struct ShutdownTrigger(tokio::sync::watch::Sender<bool>);

impl Shutdown {
    pub fn new() -> (ShutdownTrigger, Shutdown) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (ShutdownTrigger(tx), Shutdown(rx))
    }

    pub fn is_requested(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Resolves once shutdown is requested (or its trigger is gone).
    pub async fn requested(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Waits `d`; false when shutdown was requested first.
    async fn sleep(&mut self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => !self.is_requested(),
            _ = self.requested() => false,
        }
    }
}

impl ShutdownTrigger {
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }
}

/// Runs `escalate` now and then every `every`, until `shutdown`; hourly, it also erases
/// personal data past its retention period. A pass in progress finishes its current step (each
/// is its own transactions) and skips the rest.
pub fn spawn(app: App, every: Duration, mut shutdown: Shutdown) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Review reports whose generation a stopped server left unfinished.
        match crate::review::resume_runs(&app).await {
            Ok(n) if n > 0 => tracing::info!(runs = n, "review report generations resumed"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "resuming review report generations failed"),
        }
        let mut last_retention: Option<std::time::Instant> = None;
        loop {
            if last_retention.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                last_retention = Some(std::time::Instant::now());
                // At start and hourly: uploads left in tmp/ by a process that died mid-request.
                let swept = app.uploads.sweep_tmp(cases::files::TMP_MAX_AGE).await;
                if swept > 0 {
                    tracing::info!(files = swept, "stale temporary uploads removed");
                }
                if shutdown.is_requested() {
                    break;
                }
                // Once after the upgrade that added the address to it: the cases' search text.
                loop {
                    match app.store.refresh_case_search(2000).await {
                        Ok(0) => break,
                        Ok(n) => tracing::debug!(cases = n, "search text rewritten"),
                        Err(e) => {
                            tracing::error!(error = ?e, "rewriting the search text failed");
                            break;
                        }
                    }
                    if shutdown.is_requested() {
                        break;
                    }
                }
                // Once after the upgrade that added them: the working days to answer of the cases
                // answered before (their counts move with them; nothing left, one cheap query).
                match crate::indicators::fill_answer_days(&app).await {
                    Ok(n) if n > 0 => tracing::info!(cases = n, "working days to answer filled"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = ?e, "filling the working days to answer failed"),
                }
                if shutdown.is_requested() {
                    break;
                }
                match cases::retention::erase_expired_today(&app).await {
                    Ok(n) if n > 0 => tracing::info!(cases = n, "personal data erased after its retention period"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = ?e, "retention job failed"),
                }
            }
            if shutdown.is_requested() {
                break;
            }
            // Review report generations left unfinished by a stopped server or a lost task.
            if let Err(e) = crate::review::resume_runs(&app).await {
                tracing::error!(error = ?e, "resuming review report generations failed");
            }
            if let Err(e) = app.store.optimize().await {
                tracing::warn!(error = %e, "optimize");
            }
            if shutdown.is_requested() {
                break;
            }
            match escalate(&app).await {
                Ok(n) if n > 0 => tracing::info!(notices = n, "escalation"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "escalation job failed"),
            }
            if !shutdown.sleep(every).await {
                break;
            }
        }
        tracing::info!("escalation job stopped");
    })
}

/// Sends queued messages to citizens now and then every `every`, until `shutdown`; a pass in
/// progress finishes. Each pass claims its messages (with `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), so every server may run it.
pub fn spawn_delivery(app: App, every: Duration, mut shutdown: Shutdown) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !shutdown.is_requested() {
            match cases::delivery::deliver(&app).await {
                Ok(r) if r.sent + r.failed + r.retried > 0 => {
                    tracing::info!(sent = r.sent, retried = r.retried, failed = r.failed, "delivery")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "delivery job failed"),
            }
            if !shutdown.sleep(every).await {
                break;
            }
        }
        tracing::info!("delivery job stopped");
    })
}

/// Waits for stopping jobs, at most `limit`, then abandons (aborts) those still running.
/// Abandoning is safe: notices are unique, so the next pass gives any not given; a message
/// claimed but not sent goes back to the queue when its lease ends. True when all finished.
pub async fn join(mut jobs: Vec<tokio::task::JoinHandle<()>>, limit: Duration) -> bool {
    let finished = tokio::time::timeout(limit, async {
        for j in jobs.iter_mut() {
            let _ = j.await;
        }
    })
    .await
    .is_ok();
    for j in &jobs {
        j.abort();
    }
    finished
}
