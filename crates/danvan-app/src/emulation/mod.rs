//! Emulation and commendation (issue 11): people's and collectives' records (ratings, titles,
//! disciplines, initiatives), their import from spreadsheets (CSV), and the eligibility check
//! against the rules in force (`danvan_domain::emulation::check_in`); "Dân vận khéo" model
//! practices and exemplars with their appraisal, recognition and public gallery (`models`,
//! `gallery`).
//!
//! Who: the emulation officers (role `emulation_officer`) over the record's unit write; the unit's
//! leaders read; the person reads their own record (`Resource::EmulationRecord`).

pub mod gallery;
pub mod import;
pub mod models;
pub mod records;
pub mod settings;
pub mod spreadsheet;

pub use import::{import_records, IMPORT_HEADER};
pub use records::*;
