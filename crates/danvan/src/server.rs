//! `serve` and `demo`: the web server, its background jobs, and a graceful stop.

use crate::config::{ServeSettings, Settings};
use crate::demo;
use anyhow::{Context, Result};
use danvan_app::jobs::{self, Shutdown};
use danvan_app::App;
use danvan_store::Store;
use danvan_web::AppState;
use std::time::Duration;

/// How long a stopping server waits for its background jobs to finish their batch.
pub const JOBS_STOP_LIMIT: Duration = Duration::from_secs(10);

pub async fn serve(store: Store, settings: &Settings, s: &ServeSettings, logins: Option<&[(&str, &str)]>) -> Result<()> {
    let (web_config, app_config) = (s.web_config(), s.app_config(settings)?);
    let addr = &s.addr;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    let stop = shutdown_signal();
    println!("danvan {} serving on http://{local}/ ({} database)", env!("CARGO_PKG_VERSION"), store.backend_name());
    if let Some(logins) = logins {
        println!("demo sign-ins (password for all: {}):", demo::PASSWORD);
        for (user, what) in logins {
            println!("  {user:<14} {what}");
        }
    }
    let app = App::new(store.clone(), app_config);
    let (trigger, shutdown) = Shutdown::new();
    let running = vec![
        jobs::spawn(app.clone(), Duration::from_secs(300), shutdown.clone()),
        jobs::spawn_delivery(app.clone(), Duration::from_secs(30), shutdown),
    ];
    let state = AppState::new(app, web_config);
    // The signal stops the jobs at once; they finish their batch while requests drain.
    let signal = async move {
        stop.await;
        trigger.trigger();
    };
    let served = danvan_web::serve(listener, state, signal).await;
    if jobs::join(running, JOBS_STOP_LIMIT).await {
        tracing::info!("background jobs stopped");
    } else {
        tracing::warn!(limit_s = JOBS_STOP_LIMIT.as_secs(), "background jobs abandoned their batch");
    }
    store.close().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM or Ctrl-C: stop accepting, let in-flight requests finish. The handlers are installed
/// now, before the server says it is serving, so an early SIGTERM also stops it gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut signals = {
        use tokio::signal::unix::{signal, SignalKind};
        [SignalKind::terminate(), SignalKind::interrupt()].map(|k| signal(k).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let [term, int] = &mut signals;
            tokio::select! { _ = recv(term.as_mut()) => {}, _ = recv(int.as_mut()) => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing in-flight requests and background jobs");
    }
}

#[cfg(unix)]
async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}
