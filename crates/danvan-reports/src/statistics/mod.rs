//! The annual statistical report forms on emulation and commendation (issue 11 item 7): the
//! Ministry of Home Affairs' forms 0601–0605 of the Home Affairs statistical reporting regime
//! (Circular 02/2023/TT-BNV, revised by Circular 18/2025/TT-BNV of 8 October 2025), as
//! **versioned form definitions** — data: form code, version and the report years it applies
//! to, title, row and column headings with their codes, which rows and columns are totals — and
//! a filled form rendered to XLSX in the official layout ([`form_xlsx`]).
//!
//! The counts come in as plain numbers per (row code, column code); totals are not inputs: they
//! are formulas in the sheet (and their computed values are stored beside the formulas, so a
//! viewer that does not recalculate still shows them).

mod forms;
mod xlsx;

pub use forms::{catalogue, form_for};
pub use xlsx::form_xlsx;

use std::collections::BTreeMap;

/// A row of a form: its code (column "B" of the form), label and indentation level; a total row
/// lists the rows it adds up.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDef {
    pub code: &'static str,
    pub label: &'static str,
    /// 0 for a top-level line, 1 for "chia ra" lines under it, …
    pub level: u8,
    /// The rows this one adds up (empty: an input row). A heading row has no code.
    pub sum_of: Vec<&'static str>,
}

/// A column of a form: its code ("1", "2", …), heading, the group heading above it (merged over
/// consecutive columns of the same group), and the columns it adds up when it is a total.
#[derive(Debug, Clone, PartialEq)]
pub struct ColDef {
    pub code: &'static str,
    pub label: &'static str,
    pub group: Option<&'static str>,
    pub sum_of: Vec<&'static str>,
}

/// One version of one form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDef {
    /// "0601.N/BNV-TĐKT".
    pub code: &'static str,
    /// The act that issued this version: "Thông tư số 02/2023/TT-BNV".
    pub issued_by: &'static str,
    /// The first report year this version applies to (a later version replaces it from its own).
    pub first_year: i32,
    pub title: &'static str,
    /// "Đơn vị tính: Phong trào".
    pub unit_of_measure: &'static str,
    /// When the report is due: "Ngày 15 tháng 01 năm sau".
    pub due: &'static str,
    pub rows: Vec<RowDef>,
    pub cols: Vec<ColDef>,
}

impl FormDef {
    pub fn row(&self, code: &str) -> Option<&RowDef> {
        self.rows.iter().find(|r| r.code == code && !code.is_empty())
    }

    pub fn col(&self, code: &str) -> Option<&ColDef> {
        self.cols.iter().find(|c| c.code == code)
    }
}

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
