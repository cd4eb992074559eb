//! Emulation and commendation (issue 11): people's and collectives' records (ratings, titles,
//! disciplines, initiatives), their import from spreadsheets (CSV), the eligibility check
//! against the rules in force (`danvan_domain::emulation::check_in`), and the movements with
//! their registrations and scores (`movements`, `scores`).
//!
//! Who: the emulation officers (role `emulation_officer`) over the record's unit write; the unit's
//! leaders read; the person reads their own record (`Resource::EmulationRecord`). Movements are
//! `Resource::EmulationWork` on the launching unit (and the registering unit for taking part).

pub mod import;
pub mod movements;
pub mod records;
pub mod scores;

pub use import::{import_records, IMPORT_HEADER};
pub use records::*;
