//! danvan's reports: documents made from lists and statistics. For now the XLSX of a case list
//! (the inbox's "export to Excel", `case_list`). Labels arrive translated: this crate knows no
//! languages, and no database; the web layer decides what the reader may see and passes only that.

use rust_xlsxwriter::XlsxError;

pub mod case_list;

pub use case_list::{case_list_xlsx, CaseListHeaders, CaseListRow, MAX_CELL_CHARS, MAX_ROWS};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
}
