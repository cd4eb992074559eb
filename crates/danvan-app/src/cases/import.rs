//! Cases received by other systems (CSV or JSON), never imported twice.

use super::intake::{submit, Submission};
use super::routing::today;
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::cases::{self as case, CaseInput};
use danvan_domain::FieldErrors;

/// One case received by another system (the national public-service portal, a city app, a
/// hotline log), as a CSV row or JSON object.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportRow {
    /// The other system's reference: a case is never imported twice.
    pub source_ref: String,
    /// YYYY-MM-DD or an RFC 3339 instant.
    pub received_at: String,
    pub kind: String,
    pub category: String,
    pub title: String,
    pub description: String,
    /// Unit code of the ward, commune or residential group.
    pub place: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: String,
    pub sender_address: String,
    pub publish: Option<bool>,
    /// A denunciation's unit concerned (a unit code), the person concerned and, when an official,
    /// their username: required for a denunciation, as on every other way in.
    pub concerned_unit: String,
    pub concerned_name: String,
    pub concerned_account: String,
    /// Where the row is in its file, for error messages: the CSV line (the header is line 1) or
    /// the JSON array's item, counted from 1.
    #[serde(skip)]
    pub line: usize,
}

/// The most rows one file may hold: each is checked, then recorded in its own transaction, so
/// a file of 100,000 rows (8 MB of short lines) held a request for many minutes. Larger
/// exports are sent in several files (`import.error.too_many_rows`).
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// The longest name of a source system, and of a reference in it, in characters.
pub const MAX_SOURCE_CHARS: usize = 100;

/// Reads rows from CSV (with a header) or JSON (an array), by the file's first character; at
/// most [`MAX_IMPORT_ROWS`].
pub fn parse_import(bytes: &[u8]) -> Result<Vec<ImportRow>, FieldErrors> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| FieldErrors::one("file", "error.csv"))?;
    if text.trim_start().starts_with('[') {
        let mut rows: Vec<ImportRow> = serde_json::from_str(text).map_err(|_| FieldErrors::one("file", "error.json"))?;
        rows.iter_mut().enumerate().for_each(|(i, r)| r.line = i + 1);
        return check_row_count(rows);
    }
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let mut rows = vec![];
    for (i, r) in rdr.deserialize::<ImportRow>().enumerate() {
        if i >= MAX_IMPORT_ROWS {
            return Err(FieldErrors::one("file", "import.error.too_many_rows"));
        }
        let mut r = r.map_err(|_| FieldErrors::one(&format!("row {}", i + 2), "error.csv"))?;
        r.line = i + 2;
        rows.push(r);
    }
    Ok(rows)
}

fn check_row_count(rows: Vec<ImportRow>) -> Result<Vec<ImportRow>, FieldErrors> {
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(FieldErrors::one("file", "import.error.too_many_rows"));
    }
    Ok(rows)
}

/// Imports cases from another system: every row is checked first (nothing is written when one
/// is wrong), then rows already imported (same system and reference) are skipped.
/// Returns (created, skipped).
pub async fn import_cases(app: &App, source: &str, rows: Vec<ImportRow>) -> AppResult<(usize, usize)> {
    let source = danvan_domain::text::clean(source);
    if source.is_empty() {
        return Err(AppError::Invalid(FieldErrors::one("source", "error.required")));
    }
    if source.chars().count() > MAX_SOURCE_CHARS {
        return Err(AppError::Invalid(FieldErrors::one("source", "error.too_long")));
    }
    let rows = check_row_count(rows)?;
    let mut errors = FieldErrors::new();
    let mut prepared = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.into_iter().enumerate() {
        let line = format!("row {}", if r.line > 0 { r.line } else { i + 2 });
        if r.source_ref.trim().is_empty() || !seen.insert(r.source_ref.trim().to_string()) {
            errors.add(&line, if r.source_ref.trim().is_empty() { "error.required" } else { "error.code_duplicate" });
            continue;
        }
        if r.source_ref.trim().chars().count() > MAX_SOURCE_CHARS {
            errors.add(&line, "error.too_long");
            continue;
        }
        let received = chrono::DateTime::parse_from_rfc3339(r.received_at.trim())
            .map(|d| d.with_timezone(&vietnam_offset()).date_naive())
            .or_else(|_| NaiveDate::parse_from_str(r.received_at.trim(), "%Y-%m-%d"));
        let Ok(received_on) = received else {
            errors.add(&line, "error.date");
            continue;
        };
        // The same bounds as every way in (1945 to today): a row outside them fails the file.
        if let Err(key) = danvan_domain::calendar::check_date(received_on, today(), danvan_domain::calendar::DateRange::Past) {
            errors.add(&line, key);
            continue;
        }
        let input = CaseInput {
            kind: if r.kind.trim().is_empty() { "feedback".into() } else { r.kind.clone() },
            category: r.category.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            address: r.address.clone(),
            latitude: r.latitude,
            longitude: r.longitude,
            sender_name: r.sender_name.clone(),
            sender_phone: r.sender_phone.clone(),
            sender_email: r.sender_email.clone(),
            sender_address: r.sender_address.clone(),
            publish: r.publish.unwrap_or(false),
        };
        if let Err(e) = case::validate_case(&input) {
            for fe in e.0 {
                errors.add(&line, &fe.key);
            }
            continue;
        }
        let concern = case::denunciation::ConcernInput {
            unit: r.concerned_unit.clone(),
            name: r.concerned_name.clone(),
            account: r.concerned_account.clone(),
        };
        let kind = case::CaseKind::parse(&input.kind).unwrap_or(case::CaseKind::Feedback);
        match case::denunciation::validate_concern(kind, &concern) {
            Err(e) => {
                e.0.iter().for_each(|fe| errors.add(&line, &fe.key));
                continue;
            }
            Ok(Some(c)) => {
                if app.store.get_unit_by_code(&c.unit_code).await?.is_none() {
                    errors.add(&line, "error.unit_unknown");
                    continue;
                }
            }
            Ok(None) => {}
        }
        if !app.store.category_by_code(&r.category).await?.is_some_and(|c| c.active) {
            errors.add(&line, "error.invalid");
            continue;
        }
        match app.store.get_unit_by_code(&r.place).await? {
            Some(u) if !u.dissolved() => prepared.push((r, input, received_on, u.id)),
            Some(_) => errors.add(&line, "error.unit_dissolved"),
            None => errors.add(&line, "error.unit_unknown"),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let caller = Caller::system();
    let (mut created, mut skipped) = (0, 0);
    for (r, input, received_on, place) in prepared {
        let s = Submission {
            notify_zalo: false,
            input,
            category_code: r.category.clone(),
            place_unit_id: Some(place),
            channel: case::Channel::Import,
            received_on: Some(received_on),
            idempotency_key: None,
            source: Some((source.clone(), r.source_ref.trim().to_string())),
            unit_override: None,
            notes: vec![],
            actor_label: None,
            concern: case::denunciation::ConcernInput {
                unit: r.concerned_unit.clone(),
                name: r.concerned_name.clone(),
                account: r.concerned_account.clone(),
            },
        };
        match submit(app, &caller, s).await? {
            (_, Some(_)) => created += 1,
            (_, None) => skipped += 1,
        }
    }
    Ok((created, skipped))
}
