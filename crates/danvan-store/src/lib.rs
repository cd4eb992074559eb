//! danvan's data access: one `Store` over SQLite (embedded, default) or PostgreSQL, chosen once
//! from the URL. Queries are written once in SQL both databases accept and compiled for each
//! backend through the `on_pool!` macro; dialect-specific parts stay in a few methods.

use danvan_domain::FieldErrors;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$p` bound to the pool of the active backend. `write` picks SQLite's single
/// writer connection (one writer avoids SQLITE_BUSY between our own connections); `read` the
/// reader pool. Each arm is type-checked for its own database, so one SQL text serves both.
macro_rules! on_pool {
    ($store:expr, write, |$p:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { write, .. } => {
                let $p = write;
                $body
            }
            $crate::Backend::Postgres(pg) => {
                let $p = pg;
                $body
            }
        }
    };
    ($store:expr, read, |$p:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite { read, .. } => {
                let $p = read;
                $body
            }
            $crate::Backend::Postgres(pg) => {
                let $p = pg;
                $body
            }
        }
    };
}

/// Appends one audit entry inside the transaction `$tx` (same commit as the change it records).
macro_rules! audit {
    ($tx:expr, $ctx:expr, $action:expr, $ttype:expr, $tid:expr, $tlabel:expr, $changes:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, target_label, changes, ip)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(chrono::Utc::now())
        .bind($ctx.actor_id)
        .bind(&$ctx.actor_label)
        .bind($action)
        .bind($ttype)
        .bind($tid)
        .bind($tlabel)
        .bind(serde_json::Value::from($changes).to_string())
        .bind(&$ctx.ip)
        .execute(&mut *$tx)
        .await?
    };
}

/// Serialises the transactions that decide on the same thing (count, then write) with the lock
/// named by the i64 `$key` (`crate::lock_key`), held until the transaction ends. PostgreSQL takes
/// a transaction-scoped advisory lock; SQLite needs none, its one writer connection already runs
/// one transaction at a time.
macro_rules! serialize {
    ($store:expr, $tx:expr, $key:expr) => {
        if matches!($store.backend, $crate::Backend::Postgres(_)) {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind($key).execute(&mut *$tx).await?;
        }
    };
}

/// The advisory lock that `serialize!` takes for a name (the first 8 bytes of its SHA-256).
pub(crate) fn lock_key(name: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(name.as_bytes());
    i64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

// Areas: the organisation, citizens' cases, the calendar, settings, Open311 keys.
pub mod calendar;
pub mod cases;
pub mod emulation;
pub mod indicators;
pub mod open311;
pub mod org;
pub mod review;
pub mod settings;

// Shared by every area.
pub mod audit;
pub mod fault;
mod sqlite_setup;

pub use audit::{AuditCtx, AuditEntry, AuditFilter, Changes};
pub use cases::writer::IntakeStats;
pub use org::accounts::{Account, MemberRow, MembershipRow};
pub use org::auth::{ApiTokenRow, AttemptLimit, SessionRow};
pub use org::units::{PendingTransfer, Unit, UnitSearch};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Input the database refused for a reason the user can fix (field-level).
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    #[error("database: {0}")]
    Db(sqlx::Error),
    /// A stored value that no domain type knows (a kind, a status, a channel… written by another
    /// version or by hand): reported, never read as a default.
    #[error("unknown value in the database: {0}")]
    Corrupt(danvan_domain::UnknownValue),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (use sqlite:PATH or postgres://…): {0}")]
    BadUrl(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        // A row whose stored name did not decode into its domain enum (`Name`, `NullableName`).
        if let sqlx::Error::ColumnDecode { source, .. } = &e {
            if let Some(u) = source.downcast_ref::<danvan_domain::UnknownValue>() {
                return StoreError::Corrupt(u.clone());
            }
        }
        StoreError::Db(e)
    }
}

impl From<danvan_domain::UnknownValue> for StoreError {
    fn from(e: danvan_domain::UnknownValue) -> Self {
        StoreError::Corrupt(e)
    }
}

/// A stored name decoded straight into its domain enum:
/// `#[sqlx(try_from = "crate::Name<CaseKind>")]`. An unknown name fails the row's decoding with
/// the domain's `UnknownValue` (which `StoreError::from` reports as `StoreError::Corrupt`),
/// never a default. (`try_from = "String"` would do the same but lose the error's text.)
pub(crate) struct Name<T>(T);

/// As [`Name`], for a nullable column: NULL is None.
pub(crate) struct NullableName<T>(Option<T>);

impl<DB: sqlx::Database, T> sqlx::Type<DB> for Name<T>
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database, T: TryFrom<String, Error = danvan_domain::UnknownValue>> sqlx::Decode<'r, DB> for Name<T>
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(Name(T::try_from(<String as sqlx::Decode<DB>>::decode(value)?)?))
    }
}

impl<DB: sqlx::Database, T> sqlx::Type<DB> for NullableName<T>
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database, T: TryFrom<String, Error = danvan_domain::UnknownValue>> sqlx::Decode<'r, DB> for NullableName<T>
where
    Option<String>: sqlx::Decode<'r, DB>,
{
    fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(NullableName(<Option<String> as sqlx::Decode<DB>>::decode(value)?.map(T::try_from).transpose()?))
    }
}

macro_rules! names {
    ($($t:ty),+ $(,)?) => {$(
        impl From<Name<$t>> for $t {
            fn from(n: Name<$t>) -> $t {
                n.0
            }
        }
        impl From<NullableName<$t>> for Option<$t> {
            fn from(n: NullableName<$t>) -> Option<$t> {
                n.0
            }
        }
    )+};
}
names!(
    danvan_domain::cases::CaseKind,
    danvan_domain::cases::CaseStatus,
    danvan_domain::cases::Channel,
    danvan_domain::cases::delivery::MessageChannel,
    danvan_domain::cases::delivery::MessageStatus,
    danvan_domain::cases::attachment::Purpose,
    danvan_domain::calendar::OverrideKind,
    danvan_domain::calendar::DueStatus,
    danvan_domain::Role,
    danvan_domain::UnitKind,
    danvan_domain::review::ReportKind,
);

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        StoreError::Invalid(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Sqlite { write: SqlitePool, read: SqlitePool },
    Postgres(PgPool),
}

/// The working calendar and when it was built.
pub(crate) type CachedCalendar = (std::time::Instant, std::sync::Arc<danvan_domain::calendar::WorkCalendar>);

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    /// The working calendar (rules + overrides), rebuilt when overrides change here and at
    /// least every minute (another server may have changed them).
    pub(crate) calendar: std::sync::Arc<std::sync::Mutex<Option<CachedCalendar>>>,
    /// The administrators' settings, cached the same way (see `settings`).
    pub(crate) settings_cache: std::sync::Arc<std::sync::Mutex<settings::SettingsCache>>,
    /// SQLite's group-committing writer of new cases (PostgreSQL has none: see `intake`).
    pub(crate) intake: Option<cases::writer::Intake>,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

impl Store {
    /// Opens the database named by `url` (`sqlite:path`, `sqlite://path`, `postgres://…`), creating
    /// an SQLite file (and its folder) when missing, and runs the embedded migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = Self::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database without touching its schema (backups, inspections).
    pub async fn connect_without_migrating(url: &str) -> Result<Store> {
        let store = if url.starts_with("sqlite:") {
            Self::open_sqlite(url).await?
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            Store {
                backend: Backend::Postgres(pool),
                calendar: Default::default(),
                settings_cache: Default::default(),
                intake: None,
            }
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        Ok(store)
    }

    /// Runs one trusted statement (administration and tests only; never user input).
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::raw_sql(sql).execute(p).await?;
            Ok(())
        })
    }

    async fn open_sqlite(url: &str) -> Result<Store> {
        sqlite_setup::configure_sqlite_memory();
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Read connections never commit; the setting matters for the writer below.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // An 8 MB page cache per connection keeps the hot index pages (the inbox's) in
            // memory. (Memory-mapped reads were faster still, but each connection's mapping
            // counts in the process's resident size.)
            .pragma("cache_size", "-8000");
        if let Some(dir) = opts.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
            }
        }
        // Every commit is durable once acknowledged: in WAL mode NORMAL may lose the last commits
        // on a power loss, FULL syncs the log at each commit. New cases are committed in groups
        // (see `intake`) so that the sync is paid once per group.
        let write = sqlite_setup::pool(1).connect_with(opts.clone().synchronous(SqliteSynchronous::Full)).await?;
        // Rows travel one by one from each connection's thread; a buffer as large as the longest
        // list (Open311's 1,000) lets that thread finish without waiting for the reader.
        let read = sqlite_setup::pool(8).connect_with(opts.read_only(true).row_buffer_size(1024)).await?;
        let intake = Some(cases::writer::Intake::start(write.clone()));
        Ok(Store {
            backend: Backend::Sqlite { write, read },
            calendar: Default::default(),
            settings_cache: Default::default(),
            intake,
        })
    }

    /// Runs pending migrations. PostgreSQL's migrator takes an advisory lock, so several nodes
    /// starting together migrate once.
    pub async fn migrate(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Backend::Postgres(pg) => sqlx::migrate!("./migrations/postgres").run(pg).await?,
        }
        self.ensure_default_categories().await
    }

    /// Refreshes the query planner's statistics (after bulk loads, and now and then), so that
    /// subtree ranges are preferred over scanning a whole status. PostgreSQL's autovacuum does
    /// this by itself; an explicit ANALYZE after a bulk load does not hurt.
    pub async fn optimize(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite { write, .. } => {
                // The first time, a full ANALYZE; later, only what SQLite judges worth it.
                let analyzed: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetch_one(write).await?;
                let sql = if analyzed == 0 { "ANALYZE" } else { "PRAGMA optimize" };
                sqlx::query(sql).execute(write).await?;
            }
            Backend::Postgres(pg) => {
                sqlx::query("ANALYZE cases").execute(pg).await?;
            }
        }
        Ok(())
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// True when the database answers a trivial query.
    pub async fn health(&self) -> bool {
        on_pool!(self, read, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// How SQLite's writer of new cases grouped its commits (None on PostgreSQL).
    pub fn intake_stats(&self) -> Option<IntakeStats> {
        self.intake.as_ref().map(|i| i.stats())
    }

    pub fn pool_stats(&self) -> PoolStats {
        match &self.backend {
            Backend::Sqlite { write, read } => PoolStats {
                size: write.size() + read.size(),
                idle: (write.num_idle() + read.num_idle()) as u32,
                max: write.options().get_max_connections() + read.options().get_max_connections(),
            },
            Backend::Postgres(pg) => {
                PoolStats { size: pg.size(), idle: pg.num_idle() as u32, max: pg.options().get_max_connections() }
            }
        }
    }

    /// A consistent online copy of an SQLite database (VACUUM INTO). PostgreSQL has pg_dump.
    pub async fn backup_sqlite(&self, dest: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite { write, .. } => {
                sqlx::query("VACUUM INTO $1").bind(dest).execute(write).await?;
                Ok(true)
            }
            Backend::Postgres(_) => Ok(false),
        }
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pg) => pg.close().await,
        }
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(p)
            .await?))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(p)
            .await?;
            Ok::<(), StoreError>(())
        })?;
        self.forget_settings();
        Ok(())
    }
}

impl Store {
    /// SQL for the calendar day in Viet Nam (+07:00) of a timestamp column: dialects differ.
    pub(crate) fn vn_date_sql(&self, col: &str) -> String {
        match self.backend {
            Backend::Sqlite { .. } => format!("date({col}, '+7 hours')"),
            Backend::Postgres(_) => format!("CAST(({col} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)"),
        }
    }
}

/// SQLite's allocation callbacks over Rust's global allocator. Each block carries its size in an
/// 8-byte header (Rust's deallocation needs it; SQLite asks for it through `xSize`), which also
/// keeps the 8-byte alignment SQLite requires.
mod sqlite_alloc {
    use std::alloc::{alloc, dealloc, realloc, Layout};
    use std::os::raw::{c_int, c_void};

    const HEADER: usize = 8;

    fn layout(total: usize) -> Option<Layout> {
        Layout::from_size_align(total, HEADER).ok()
    }

    pub unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
        let Some(l) = usize::try_from(n).ok().filter(|n| *n > 0).and_then(|n| layout(n + HEADER)) else {
            return std::ptr::null_mut();
        };
        // SAFETY: the layout has a non-zero size; the header is written inside the block.
        unsafe {
            let base = alloc(l);
            if base.is_null() {
                return std::ptr::null_mut();
            }
            (base as *mut usize).write(l.size());
            base.add(HEADER) as *mut c_void
        }
    }

    pub unsafe extern "C" fn x_free(p: *mut c_void) {
        if p.is_null() {
            return;
        }
        // SAFETY: `p` came from x_malloc/x_realloc, so a header with the block's size precedes it.
        unsafe {
            let base = (p as *mut u8).sub(HEADER);
            let total = (base as *const usize).read();
            dealloc(base, Layout::from_size_align_unchecked(total, HEADER));
        }
    }

    pub unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        // SQLite's own wrapper turns realloc(NULL) into malloc and realloc(p, 0) into free; kept
        // here too, so the callbacks are correct on their own.
        if p.is_null() {
            // SAFETY: as x_malloc.
            return unsafe { x_malloc(n) };
        }
        let Some(n) = usize::try_from(n).ok().filter(|n| *n > 0) else {
            // SAFETY: as x_free.
            unsafe { x_free(p) };
            return std::ptr::null_mut();
        };
        // An impossible size fails like a failed allocation: the old block stays SQLite's.
        let Some(new) = layout(n + HEADER) else { return std::ptr::null_mut() };
        // SAFETY: `p` came from x_malloc/x_realloc (header before it); the new size is non-zero.
        unsafe {
            let base = (p as *mut u8).sub(HEADER);
            let old = (base as *const usize).read();
            let moved = realloc(base, Layout::from_size_align_unchecked(old, HEADER), new.size());
            if moved.is_null() {
                return std::ptr::null_mut();
            }
            (moved as *mut usize).write(new.size());
            moved.add(HEADER) as *mut c_void
        }
    }

    pub unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
        if p.is_null() {
            return 0;
        }
        // SAFETY: as x_free; the size fits an int because it was asked for as one.
        unsafe { ((((p as *mut u8).sub(HEADER)) as *const usize).read() - HEADER) as c_int }
    }

    pub unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
        // SQLite never asks for more than 0x7fffff00 bytes: rounding up to 8 cannot overflow.
        n.saturating_add(7) & !7
    }

    pub unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
        libsqlite3_sys::SQLITE_OK
    }

    pub unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn blocks_keep_their_size_and_contents_through_realloc() {
            unsafe {
                let p = x_malloc(13) as *mut u8;
                assert!(!p.is_null());
                assert_eq!(p as usize % 8, 0);
                assert_eq!(x_size(p as *mut c_void), 13);
                for i in 0..13 {
                    p.add(i).write(i as u8);
                }
                let q = x_realloc(p as *mut c_void, 4000) as *mut u8;
                assert_eq!(x_size(q as *mut c_void), 4000);
                assert_eq!(std::slice::from_raw_parts(q, 13), (0..13).collect::<Vec<u8>>().as_slice());
                assert!(x_malloc(0).is_null() && x_malloc(-1).is_null());
                assert_eq!(x_roundup(13), 16);
                assert_eq!(x_roundup(16), 16);
                x_free(q as *mut c_void);
                x_free(std::ptr::null_mut());
            }
        }
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
