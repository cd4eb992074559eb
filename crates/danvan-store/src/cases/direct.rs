//! Reading rows straight from one of sqlx's SQLite connections, for the one listing where sqlx's
//! per-row work cost more than the query: the public listing (Open311 `requests`, 1,000 rows of
//! 17 columns). sqlx copies every value on the connection's thread, hands each row to the
//! runtime through a channel and decodes it by column name there; reading the same statement in
//! place halves the listing's CPU. Only reads go this way; everything else stays on sqlx.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::types::Value;
use sqlx::sqlite::SqlitePool;

/// Runs `read` on one read connection of `pool`, borrowed from sqlx while its worker is locked
/// out. `read` runs on this thread: where the runtime has several, it is told to move its other
/// tasks elsewhere meanwhile (a listing takes a few milliseconds).
pub(crate) async fn with_connection<T>(
    pool: &SqlitePool,
    read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
) -> Result<T, StoreError> {
    let mut conn = pool.acquire().await?;
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle();
    let run = || {
        // SAFETY: sqlx's lock gives this thread the connection alone until `handle` is dropped,
        // after `read` has finished and the borrowed connection (which never closes the handle
        // it was made from) is gone. Statements prepared here are finalised before that.
        let c = unsafe { rusqlite::Connection::from_handle(db.as_ptr()) }?;
        read(&c)
    };
    let result = match tokio::runtime::Handle::current().runtime_flavor() {
        tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(run),
        _ => run(),
    };
    drop(handle);
    result.map_err(db_error)
}

fn db_error(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::FromSqlConversionFailure(_, _, source) = &e {
        if let Some(u) = source.downcast_ref::<danvan_domain::UnknownValue>() {
            return StoreError::Corrupt(u.clone());
        }
    }
    StoreError::Db(sqlx::Error::Decode(Box::new(e)))
}

/// Binds `values` to the statement's `$1`, `$2`… (SQLite numbers named parameters by their
/// first appearance, so each is looked up by name, as sqlx does).
pub(crate) fn bind_numbered(stmt: &mut rusqlite::Statement<'_>, values: &[Value]) -> rusqlite::Result<()> {
    for (i, v) in values.iter().enumerate() {
        if let Some(at) = stmt.parameter_index(&format!("${}", i + 1))? {
            stmt.raw_bind_parameter(at, v)?;
        }
    }
    Ok(())
}

/// Text → `Option<String>` (sqlx writes Options as NULL).
pub(crate) fn text(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::Text)
}

/// A date as sqlx writes it in SQLite (`%F`).
pub(crate) fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::Text(d.format("%F").to_string()))
}

/// A timestamp as sqlx writes it in SQLite (RFC 3339), or in the other text forms sqlx reads
/// (SQLite's own `CURRENT_TIMESTAMP`, with or without seconds), read as UTC.
pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|t| t.and_utc())
    })
}

/// A timestamp column: text as above, or seconds since 1970 (as sqlx also reads).
pub(crate) fn timestamp(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    match row.get_ref(i)? {
        rusqlite::types::ValueRef::Integer(secs) => {
            DateTime::from_timestamp(secs, 0).ok_or_else(|| conversion(i, format!("not a timestamp: {secs}")))
        }
        _ => {
            let s: String = row.get(i)?;
            parse_timestamp(&s).ok_or_else(|| conversion(i, format!("not a timestamp: {s}")))
        }
    }
}

pub(crate) fn opt_date(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%F").map(Some).map_err(|_| conversion(i, format!("not a date: {s}"))),
    }
}

/// A stored name decoded into its domain enum; an unknown name is an error, never a default.
pub(crate) fn named<T: TryFrom<String, Error = danvan_domain::UnknownValue>>(
    row: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    T::try_from(row.get::<_, String>(i)?)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

fn conversion(i: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_in_every_form_sqlite_holds() {
        let t = DateTime::parse_from_rfc3339("2026-11-27T07:05:09Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_timestamp("2026-11-27T07:05:09+00:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-27T14:05:09+07:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-27 07:05:09"), Some(t));
        assert_eq!(parse_timestamp("2026-11-27 07:05").map(|x| x.timestamp()), Some(t.timestamp() - 9));
        assert_eq!(parse_timestamp("2026-11-27T07:05:09.5+00:00").map(|x| x.timestamp_subsec_millis()), Some(500));
        assert_eq!(parse_timestamp("27/11/2026"), None);
    }
}
