//! How the store sets up SQLite: the process-wide memory configuration (before the first
//! connection) and each pooled connection's settings.

use sqlx::sqlite::SqlitePoolOptions;

/// The options of a pool of SQLite connections: `max` connections, each set up by
/// `stable_query_plans` when it opens.
pub(crate) fn pool(max: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new().max_connections(max).after_connect(|conn, _| Box::pin(stable_query_plans(conn)))
}

/// SQLite's query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) on a new connection:
/// a statement's plan no longer depends on the values bound to it. Without it, SQLite (built with
/// STAT4, as libsqlite3-sys builds it) looks at a bound value when the planner's statistics have
/// samples for the index it constrains (the inbox's `c.unit_path >= $1`), and marks the statement
/// to be compiled again whenever that parameter is bound again: every execution, so the prepared
/// statement cache saved nothing for those queries (at 20,000 cases a quarter of an inbox API
/// request's instructions; docs/PERFORMANCE.md, 2026-12-07 17:40 UTC). The plans that matter
/// are fixed in the SQL text already (`INDEXED BY`, dates and ids written as literals).
async fn stable_query_plans(conn: &mut sqlx::SqliteConnection) -> std::result::Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is locked (no statement runs on this connection meanwhile) and
    // SQLITE_DBCONFIG_ENABLE_QPSG takes an int and an int pointer (which may be null).
    let on: std::os::raw::c_int = 1;
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            on,
            std::ptr::null_mut::<std::os::raw::c_int>(),
        )
    };
    if rc != libsqlite3_sys::SQLITE_OK {
        return Err(sqlx::Error::Protocol(format!("sqlite3_db_config(ENABLE_QPSG) returned {rc}")));
    }
    Ok(())
}

/// Sets up SQLite's memory before its initialisation (the first connection); a later call is
/// refused harmlessly (SQLITE_MISUSE), and a Once keeps other threads out.
///
/// - Memory statistics off: SQLite keeps them (nothing here reads them) under one process-wide
///   mutex taken by every allocation and free; rows freed on the runtime's threads while a
///   connection's thread allocated the next ones spent a fifth of a 1,000-row listing waiting.
/// - SQLite allocates through Rust's global allocator (mimalloc in the server) instead of
///   glibc's: each row sqlx reads is copied on the connection's thread and freed on a runtime
///   thread, and glibc's arenas made those cross-thread frees a quarter of the listing's CPU.
pub(crate) fn configure_sqlite_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let methods = libsqlite3_sys::sqlite3_mem_methods {
            xMalloc: Some(crate::sqlite_alloc::x_malloc),
            xFree: Some(crate::sqlite_alloc::x_free),
            xRealloc: Some(crate::sqlite_alloc::x_realloc),
            xSize: Some(crate::sqlite_alloc::x_size),
            xRoundup: Some(crate::sqlite_alloc::x_roundup),
            xInit: Some(crate::sqlite_alloc::x_init),
            xShutdown: Some(crate::sqlite_alloc::x_shutdown),
            pAppData: std::ptr::null_mut(),
        };
        // SAFETY: sqlite3_config takes one int for MEMSTATUS and a pointer to a methods struct
        // for MALLOC, which it copies before returning; both are refused once SQLite is
        // initialised, and the Once keeps other threads from configuring it meanwhile.
        let (memstatus, malloc) = unsafe {
            let off: std::os::raw::c_int = 0;
            (
                libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, off),
                libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MALLOC, &methods as *const _),
            )
        };
        // Refused when something opened SQLite first: it works as before, only slower.
        if memstatus != libsqlite3_sys::SQLITE_OK || malloc != libsqlite3_sys::SQLITE_OK {
            tracing::warn!(memstatus, malloc, "SQLite was initialised before its memory could be configured");
        }
    });
}
