//! Fault injection for the atomicity tests: a process that dies between two statements of a
//! write must leave the database as it was before the write or as it is after it.
//!
//! Every statement of a case transition (and of the older single-step writes a transition once
//! chained) passes a [`point`]. The points are inert unless the environment variable
//! `DANVAN_TEST_KILL_AT_POINT` holds a number n when the process first passes one: the n-th
//! point passed then kills the process with SIGKILL (no destructor, no rollback, no flush runs),
//! as a power cut or the OOM killer would. Only `tests/it/atomicity.rs` sets it, in a child
//! process it starts for the purpose.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The variable naming the point at which the process kills itself.
pub const KILL_AT_VAR: &str = "DANVAN_TEST_KILL_AT_POINT";

static KILL_AT: OnceLock<Option<u64>> = OnceLock::new();
static PASSED: AtomicU64 = AtomicU64::new(0);

/// One point between two statements of a write (see the module's documentation).
pub fn point() {
    let Some(n) = *KILL_AT.get_or_init(|| std::env::var(KILL_AT_VAR).ok().and_then(|v| v.trim().parse().ok())) else {
        return;
    };
    if PASSED.fetch_add(1, Ordering::SeqCst) + 1 == n {
        kill_self();
    }
}

/// How many points this process has passed (counted only while the variable is set).
pub fn passed() -> u64 {
    PASSED.load(Ordering::SeqCst)
}

#[cfg(unix)]
fn kill_self() -> ! {
    // SAFETY: getpid and kill have no preconditions; SIGKILL cannot be caught, so kill does not
    // return once delivered.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}

#[cfg(not(unix))]
fn kill_self() -> ! {
    std::process::abort()
}
