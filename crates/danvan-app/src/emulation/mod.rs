//! Emulation and commendation (issue 11): people's and collectives' records (ratings, titles,
//! disciplines, initiatives), their import from spreadsheets (XLSX or CSV: `spreadsheet`), the
//! settings over time (`settings`); "Dân vận khéo" model practices and exemplars with their
//! appraisal, recognition and public gallery (`models`, `gallery`); the eligibility check
//! against the rules in force (`danvan_domain::emulation::check_in`), nomination lists and their
//! council (`nominations`), numbered decisions (`decisions`), a unit's calibration for printing certificates on its blanks
//! (`certificates`) and a decision as a document
//! (`document`: plain data for the page, PDF, DOCX and certificates); the movements with their
//! registrations and scores (`movements`, `scores`); the annual statistical forms 0601–0605
//! computed from all of these (`statistics`).
//!
//! Who: the emulation officers (role `emulation_officer`) over the record's unit write; the unit's
//! leaders read; the person reads their own record (`Resource::EmulationRecord`). Lists, councils
//! decisions and movements are `Resource::EmulationWork` (movements on the launching unit, and the
//! registering unit for taking part); a vote is `Resource::CouncilBallot`.

pub mod certificates;
pub mod decisions;
pub mod document;
pub mod gallery;
pub mod import;
pub mod models;
pub mod movements;
pub mod nominations;
pub mod records;
pub mod scores;
pub mod settings;
pub mod spreadsheet;
pub mod statistics;

pub use import::{import_records, IMPORT_HEADER};
pub use records::*;

/// The live units whose emulation work the caller reads, as (code, name), for the forms' unit
/// pickers: each such membership's subtree, shallowest first, at most 1,000 in all. One light
/// query per membership (no count, no ranking): it runs on every emulation form's page.
pub async fn unit_picks(app: &crate::App, caller: &crate::Caller) -> crate::AppResult<Vec<(String, String)>> {
    use danvan_domain::{Action, Resource};
    const MAX: usize = 1000;
    let mut out: Vec<(String, String)> = vec![];
    for m in caller.memberships.iter() {
        if out.len() >= MAX
            || caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &m.unit_ancestry() }).is_err()
        {
            continue;
        }
        for u in app.store.unit_names_within(m.unit_id, MAX as i64).await? {
            if out.len() < MAX && !out.iter().any(|x| x.0 == u.0) {
                out.push(u);
            }
        }
    }
    Ok(out)
}
