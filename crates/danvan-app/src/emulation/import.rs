//! Importing years of ratings and titles from a unit's spreadsheet, an Excel workbook (XLSX, its
//! first sheet) or CSV, with a header:
//! `unit,kind,name,woman,year,rating,award,decision_no,decided_on,issuer`. A row carries a
//! rating, a title, or both; its recipient (by unit, kind and name) is created when new. Every
//! row is checked before any is saved, and the file is saved in one transaction: a bad row
//! stores nothing and is named (`row N`, N the file's line, the header being line 1).

use super::records::{parse_entry, EntryInput};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::emulation::{Award, Rating, RecipientKind};
use danvan_domain::text::fold;
use danvan_domain::{Action, FieldErrors, Resource};
use danvan_store::emulation::{ImportItem, NewRecipient};
use serde::Deserialize;

/// The header an import file starts with.
pub const IMPORT_HEADER: &str = "unit,kind,name,woman,year,rating,award,decision_no,decided_on,issuer";

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Row {
    unit: String,
    kind: String,
    name: String,
    woman: String,
    year: String,
    rating: String,
    award: String,
    decision_no: String,
    decided_on: String,
    issuer: String,
}

/// Imports an XLSX or CSV file (`None`: over the size limit). Emulation officers, for the units of every
/// row. Returns (recipients created, entries written).
pub async fn import_records(app: &App, caller: &Caller, file: Option<&[u8]>) -> AppResult<(usize, usize)> {
    caller.require_account()?;
    if !super::may_record(caller) {
        return Err(AppError::Forbidden);
    }
    let Some(bytes) = file else { return Err(AppError::Invalid(FieldErrors::one("file", "emulation.error.file_too_large"))) };
    let workbook;
    let text = if super::spreadsheet::is_xlsx(bytes) {
        workbook = super::spreadsheet::xlsx_to_csv(bytes).map_err(|key| AppError::Invalid(FieldErrors::one("file", key)))?;
        workbook.as_str()
    } else {
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .map_err(|_| AppError::Invalid(FieldErrors::one("file", "error.csv")))?
    };
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|_| AppError::Invalid(FieldErrors::one("file", "error.csv")))?.clone();
    for h in ["unit", "kind", "name", "year"] {
        if !headers.iter().any(|x| x == h) {
            return Err(AppError::Invalid(FieldErrors::one("file", "emulation.error.header")));
        }
    }
    let (mut items, mut errors) = (Vec::<ImportItem>::new(), FieldErrors::new());
    let mut units = std::collections::HashMap::new();
    for (i, row) in rdr.deserialize::<Row>().enumerate() {
        let field = format!("row {}", i + 2);
        if i >= MAX_ROWS {
            errors.add(&field, "emulation.error.too_many_rows");
            break;
        }
        let Ok(mut row) = row else {
            errors.add(&field, "error.csv");
            continue;
        };
        row.kind = code_of(&row.kind, RecipientKind::ALL, |k| k.as_str(), |k| vec![k.name_vi()]);
        row.rating = code_of(&row.rating, Rating::ALL, |r| r.as_str(), rating_names);
        row.award = code_of(&row.award, Award::ALL, |a| a.as_str(), award_names);
        match item(app, caller, &row, &mut units).await? {
            Ok(item) => items.push(item),
            Err(key) => errors.add(&field, &key),
        }
    }
    if items.is_empty() && errors.is_empty() {
        errors.add("file", "error.required");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(app.store.import_emulation(&caller.audit(), &items).await?)
}

/// One row's recipient and entries, or the key of its first error. A row for a unit where the
/// caller is not an emulation officer refuses the whole file.
async fn item(
    app: &App,
    caller: &Caller,
    row: &Row,
    units: &mut std::collections::HashMap<String, Option<i64>>,
) -> AppResult<Result<ImportItem, String>> {
    let code = row.unit.trim().to_string();
    if !units.contains_key(&code) {
        let unit = app.store.get_unit_by_code(&code).await?;
        if let Some(u) = &unit {
            caller.authorize(Action::Update, Resource::EmulationRecord { unit_ancestry: &u.ancestry(), account: None })?;
        }
        units.insert(code.clone(), unit.map(|u| u.id));
    }
    let Some(unit_id) = units[&code] else {
        return Ok(Err(if code.is_empty() { "error.required" } else { "error.unit_unknown" }.into()));
    };
    let Some(kind) = RecipientKind::parse(&row.kind) else { return Ok(Err("emulation.error.kind".into())) };
    let name = danvan_domain::text::clean(&row.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Ok(Err("emulation.error.name".into()));
    }
    let mut entries = vec![];
    let first_error = |e: FieldErrors| e.0.first().map(|f| f.key.clone()).unwrap_or_else(|| "error.invalid".into());
    if !row.rating.trim().is_empty() {
        let input =
            EntryInput { entry: "rating".into(), year: row.year.clone(), rating: row.rating.clone(), ..Default::default() };
        match parse_entry(&input) {
            Ok(e) => entries.push(e),
            Err(e) => return Ok(Err(first_error(e))),
        }
    }
    if !row.award.trim().is_empty() {
        let input = EntryInput {
            entry: "title".into(),
            year: row.year.clone(),
            award: row.award.clone(),
            decision_no: row.decision_no.clone(),
            decided_on: row.decided_on.clone(),
            issuer: row.issuer.clone(),
            ..Default::default()
        };
        match parse_entry(&input) {
            Ok(e) => entries.push(e),
            Err(e) => return Ok(Err(first_error(e))),
        }
    }
    if entries.is_empty() {
        return Ok(Err("emulation.error.empty_row".into()));
    }
    let woman = matches!(row.woman.trim(), "true" | "1" | "yes" | "x" | "nữ");
    Ok(Ok(ImportItem { recipient: NewRecipient { kind, name, unit_id, woman, account_id: None }, entries }))
}

/// The code of a value written as a spreadsheet holds it: the code itself, the Vietnamese or
/// English name, or the abbreviation officials write ("HTXSNV", "LĐTT"), in any case and with or
/// without diacritics. Anything else is returned as written, for the row's error to name it.
fn code_of<T: Copy>(value: &str, all: &[T], code: impl Fn(T) -> &'static str, names: impl Fn(T) -> Vec<&'static str>) -> String {
    let folded = fold(value).replace(['.', '-', '_'], " ");
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return value.trim().to_string();
    }
    for &x in all {
        let candidates = std::iter::once(code(x)).chain(names(x));
        if candidates
            .map(|n| fold(n).replace(['.', '-', '_'], " "))
            .any(|n| n.split_whitespace().collect::<Vec<_>>().join(" ") == folded)
        {
            return code(x).to_string();
        }
    }
    value.trim().to_string()
}

fn rating_names(r: Rating) -> Vec<&'static str> {
    let abbreviation = match r {
        Rating::Excellent => "HTXSNV",
        Rating::Good => "HTTNV",
        Rating::Complete => "HTNV",
        Rating::Incomplete => "KHTNV",
    };
    vec![r.name_vi(), abbreviation]
}

fn award_names(a: Award) -> Vec<&'static str> {
    let abbreviation = match a {
        Award::AdvancedWorker => "LĐTT",
        Award::GrassrootsEmulationFighter => "CSTĐCS",
        Award::ProvincialEmulationFighter => "CSTĐ cấp tỉnh",
        Award::NationalEmulationFighter => "CSTĐTQ",
        Award::AdvancedCollective => "TTLĐTT",
        Award::ExcellentCollective => "TTLĐXS",
        Award::ProvincialEmulationFlag => "Cờ thi đua tỉnh",
        Award::GovernmentEmulationFlag => "Cờ thi đua Chính phủ",
        Award::ProvincialCommendation => "Bằng khen tỉnh",
        Award::PrimeMinisterCommendation => "Bằng khen Thủ tướng",
        Award::CertificateOfMerit => "GK",
    };
    vec![a.name_vi(), a.name_en(), abbreviation]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_words_become_codes() {
        let rating = |s: &str| code_of(s, Rating::ALL, |r| r.as_str(), rating_names);
        assert_eq!(rating("Hoàn thành xuất sắc nhiệm vụ"), "excellent");
        assert_eq!(rating("hoan thanh tot nhiem vu"), "good");
        assert_eq!(rating("HTNV"), "complete");
        assert_eq!(rating("excellent"), "excellent");
        assert_eq!(rating("rất tốt"), "rất tốt", "unknown words stay for the error to name");
        let award = |s: &str| code_of(s, Award::ALL, |a| a.as_str(), award_names);
        assert_eq!(award("Chiến sĩ thi đua cơ sở"), "emulation_fighter_grassroots");
        assert_eq!(award("LĐTT"), "advanced_worker");
        assert_eq!(award("ldtt"), "advanced_worker");
        assert_eq!(award("Giấy khen"), "certificate_of_merit");
        let kind = |s: &str| code_of(s, RecipientKind::ALL, |k| k.as_str(), |k| vec![k.name_vi()]);
        assert_eq!(kind("Tập thể"), "collective");
        assert_eq!(kind("individual"), "individual");
    }
}
