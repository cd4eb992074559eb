//! Input parsing shared by every way in (pages, JSON API, CLI).

use chrono::NaiveDate;
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
