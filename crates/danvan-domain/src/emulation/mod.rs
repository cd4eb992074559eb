//! Emulation and commendation (RULES.md §6; Law on Emulation and Commendation 06/2022/QH15, in
//! force 1 January 2024; detailed by Decree 98/2023/NĐ-CP, replaced by Decree 152/2025/NĐ-CP from
//! 1 July 2025): the eligibility engine, as pure functions over a person's, a collective's or a
//! household's record.
//!
//! One file per concept:
//! - `vocab`: ratings, awards (titles and forms), recipient kinds, reach of an initiative,
//!   discipline levels, the legal instruments cited;
//! - `record`: the record the engine reads (years → rating, titles held, initiatives, disciplines,
//!   investigations, leave, members) and the continuation of a merged unit's record;
//! - `rules`: the conditions as data (`Condition`), rules R1–R12 with their legal basis, the rule
//!   sets with their effective dates (`RuleBook`);
//! - `check`: the engine, `check(rules, record, nomination, settings) -> Verdict`;
//! - `verdict`: the verdict and its unmet conditions as message keys with parameters, with a
//!   plain renderer (Vietnamese and English) used by the tests;
//! - `council`: counting a council's secret ballot (R11);
//! - `decision`: the award catalogue's kinds and levels, the states of a nomination list, a
//!   council and a decision, votes, and a decision's number ("15/QĐ-UBND");
//! - `certificate`: which awards are handed with a sheet to print, and a unit's calibration
//!   for printing on pre-printed blanks;
//! - `money`: cash awards, coefficients × base salary in integer đồng;
//! - `order`: the share cap (R3) and the tie-break ordering (R10);
//! - `settings`: thresholds, caps, coefficients and the base salary, with their defaults, and
//!   their versions over time (`SettingsBook`); `settings_form`: the same as an administrator
//!   types them;
//! - `models`: "Dân vận khéo" model practices and exemplars: fields, appraisal criteria, the
//!   appraisal's mean and a model's status (used as `emulation::models::…`).
//! - `movement`: movements' period kinds, criteria kinds and the score arithmetic;
//!
//! Nothing here does I/O; the store keeps records and decisions, the app calls the engine.

mod certificate;
mod check;
mod council;
mod decision;
pub mod models;
mod money;
mod movement;
mod order;
mod record;
mod rules;
mod settings;
mod settings_form;
pub mod stat_forms;
mod verdict;
mod vocab;

pub use certificate::*;
pub use check::*;
pub use council::*;
pub use decision::*;
pub use money::*;
pub use movement::*;
pub use order::*;
pub use record::*;
pub use rules::*;
pub use settings::*;
pub use settings_form::*;
pub use verdict::*;
pub use vocab::*;

#[cfg(test)]
mod tests;
