//! Input parsing shared by every way in (pages, JSON API, CLI).

use chrono::NaiveDate;
use danvan_domain::calendar::{check_date, DateRange};
use danvan_domain::FieldErrors;

/// A date as officials type it: `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).ok()
}

/// Parses a date field (dd/mm/yyyy or yyyy-mm-dd), empty meaning none.
pub fn optional_date(value: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        errors.add(field, "error.date");
    }
    d
}

/// `date` when a user may give it (`calendar::check_date`, today in Viet Nam), else a field
/// error under `field`. Every date typed into a form, an API body, a query or a file passes here.
pub fn bounded_date(date: NaiveDate, field: &str, range: DateRange, errors: &mut FieldErrors) -> Option<NaiveDate> {
    match check_date(date, crate::cases::today(), range) {
        Ok(d) => Some(d),
        Err(key) => {
            errors.add(field, key);
            None
        }
    }
}

/// A filter's date (`from`, `to`): parsed, then bounded as a plan is (up to ten years ahead);
/// empty meaning none.
pub fn filter_date(value: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    optional_date(value, field, errors).and_then(|d| bounded_date(d, field, DateRange::Planning, errors))
}

/// Parses an optional id field.
pub fn optional_id(value: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let id = v.parse::<i64>().ok();
    if id.is_none() {
        errors.add(field, "error.number");
    }
    id
}

/// Longest `Idempotency-Key` accepted, in characters.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// The `Idempotency-Key` header of the JSON API and Open311: `None` when absent or blank. A key
/// that is too long or not printable ASCII is refused (`error.idempotency_key`, 400) rather than
/// ignored: ignored, a client's retry would create a second case.
pub fn idempotency_key(header: Option<&[u8]>) -> Result<Option<String>, crate::AppError> {
    let Some(raw) = header else { return Ok(None) };
    let key = std::str::from_utf8(raw).map(str::trim).map_err(|_| crate::AppError::BadRequest("error.idempotency_key"))?;
    if key.chars().count() > MAX_IDEMPOTENCY_KEY || !key.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err(crate::AppError::BadRequest("error.idempotency_key"));
    }
    Ok(Some(key.to_string()).filter(|k| !k.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_kept_or_refused_never_ignored() {
        assert_eq!(idempotency_key(None).ok(), Some(None));
        assert_eq!(idempotency_key(Some(b"  ")).ok(), Some(None));
        assert_eq!(idempotency_key(Some(b" abc-1 ")).ok(), Some(Some("abc-1".into())));
        let at_limit = "k".repeat(MAX_IDEMPOTENCY_KEY);
        assert_eq!(idempotency_key(Some(at_limit.as_bytes())).ok(), Some(Some(at_limit.clone())));
        assert!(idempotency_key(Some(format!("{at_limit}k").as_bytes())).is_err());
        assert!(idempotency_key(Some(b"\xff\xfe")).is_err());
        assert!(idempotency_key(Some(b"a\tb")).is_err());
    }
}
