//! danvan's reports: documents made from lists and statistics — the XLSX of a case list (the
//! inbox's "export to Excel", [`case_list`]), the commendation documents ([`commendation`]:
//! decisions as PDF and DOCX, certificates as PDF) and the annual statistical report forms on
//! emulation and commendation ([`statistics`], XLSX), the review tables and review reports
//! ([`review`]: XLSX, and reports as PDF and DOCX with charts). Labels arrive translated: this
//! crate knows no languages, and no database; the web layer decides what the reader may see and passes only that.

pub mod case_list;
pub mod commendation;
mod docx;
mod pdf;
pub mod review;
pub mod statistics;

use rust_xlsxwriter::XlsxError;

pub use case_list::{case_list_xlsx, CaseListHeaders, CaseListRow, MAX_CELL_CHARS, MAX_ROWS};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
}
