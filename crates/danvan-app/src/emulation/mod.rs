//! Emulation and commendation (issue 11): people's and collectives' records (ratings, titles,
//! disciplines, initiatives), their import from spreadsheets (CSV), the eligibility check
//! against the rules in force (`danvan_domain::emulation::check_in`), nomination lists and their
//! council (`nominations`), numbered decisions (`decisions`) and a decision as a document
//! (`document`: plain data for the page, PDF, DOCX and certificates).
//!
//! Who: the emulation officers (role `emulation_officer`) over the record's unit write; the unit's
//! leaders read; the person reads their own record (`Resource::EmulationRecord`). Lists, councils
//! and decisions are `Resource::EmulationWork`; a vote is `Resource::CouncilBallot`.

pub mod decisions;
pub mod document;
pub mod import;
pub mod nominations;
pub mod records;

pub use import::{import_records, IMPORT_HEADER};
pub use records::*;
