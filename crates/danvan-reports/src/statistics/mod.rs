//! The annual statistical report forms on emulation and commendation (issue 11 item 7): the
//! Ministry of Home Affairs' forms 0601–0605 of the Home Affairs statistical reporting regime
//! (Circular 02/2023/TT-BNV, revised by Circular 18/2025/TT-BNV of 8 October 2025), as
//! **versioned form definitions** — data: form code, version and the report years it applies
//! to, title, row and column headings with their codes, which rows and columns are totals — and
//! a filled form rendered to XLSX (the definitions are data of the domain,
//! `danvan_domain::emulation::stat_forms`, which the app counts against) in the official layout ([`form_xlsx`]).
//!
//! The counts come in as plain numbers per (row code, column code); totals are not inputs: they
//! are formulas in the sheet (and their computed values are stored beside the formulas, so a
//! viewer that does not recalculate still shows them).

mod xlsx;

pub use danvan_domain::emulation::stat_forms::{catalogue, form_code, form_for, ColDef, FormDef, RowDef, FORM_CODES};
pub use xlsx::form_xlsx;

use std::collections::{BTreeMap, BTreeSet};

/// A form filled in for one reporting unit and year.
#[derive(Debug, Clone)]
pub struct FilledForm {
    /// The form's code without version: "0601.N/BNV-TĐKT".
    pub form_code: String,
    pub year: i32,
    /// "Ủy ban nhân dân phường Cửa Nam".
    pub reporting_unit: String,
    /// "Sở Nội vụ thành phố Hà Nội".
    pub receiving_unit: String,
    /// Counts per (row code, column code) of the input cells; missing cells are 0.
    pub counts: BTreeMap<(String, String), u64>,
    /// "Hà Nội" — for "…, ngày … tháng … năm …" above the head's signature.
    pub place: String,
    /// Input cells left blank, to be filled in by hand (what the data cannot answer).
    pub by_hand: BTreeSet<(String, String)>,
}

/// Why a filled form cannot be rendered.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StatError {
    #[error("no version of form {form} applies to the year {year}")]
    NoForm { form: String, year: i32 },
    #[error("form {form} has no input cell at row {row}, column {col}")]
    UnknownCell { form: String, row: String, col: String },
    #[error("form {form}: row {row}, column {col} is a total, computed by the sheet")]
    TotalGiven { form: String, row: String, col: String },
    #[error("xlsx: {0}")]
    Xlsx(String),
}

impl From<rust_xlsxwriter::XlsxError> for StatError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        StatError::Xlsx(e.to_string())
    }
}

/// Checks that every count is for an input cell of `form` (not a total, not unknown).
pub fn validate(form: &FormDef, filled: &FilledForm) -> Result<(), StatError> {
    for (row, col) in filled.counts.keys() {
        let (r, c) = (form.row(row), form.col(col));
        let (Some(r), Some(c)) = (r, c) else {
            return Err(StatError::UnknownCell { form: form.code.into(), row: row.clone(), col: col.clone() });
        };
        if !r.sum_of.is_empty() || !c.sum_of.is_empty() {
            return Err(StatError::TotalGiven { form: form.code.into(), row: row.clone(), col: col.clone() });
        }
    }
    Ok(())
}

/// The value of a cell: an input count, or the sum its total row or column defines.
pub fn value(form: &FormDef, filled: &FilledForm, row: &str, col: &str) -> u64 {
    let r = form.row(row);
    let c = form.col(col);
    if let Some(c) = c.filter(|c| !c.sum_of.is_empty()) {
        return c.sum_of.iter().map(|k| value(form, filled, row, k)).sum();
    }
    if let Some(r) = r.filter(|r| !r.sum_of.is_empty()) {
        return r.sum_of.iter().map(|k| value(form, filled, k, col)).sum();
    }
    filled.counts.get(&(row.to_string(), col.to_string())).copied().unwrap_or(0)
}
