//! The emulation routes in the role × route matrix: a person's record in group A1 of ward A is
//! read by ward A's emulation officers and leaders, written by its emulation officers only (not
//! the case officers, nor the administrators' system role); the list is for everyone signed in
//! (each sees what they may).

use super::{c, Body, Case, Fresh, ADMIN, SIGNED_IN};
use reqwest::Method;

const READERS: &[&str] = &["emulation_a", "leader_a"];
const OFFICERS: &[&str] = &["emulation_a"];

/// A whole settings form: the defaults, in force from 1 July 2026.
const SETTINGS: &[(&str, &str)] = &[
    ("effective_from", "2026-07-01"),
    ("base_salary", "2340000"),
    ("rounding_unit", "10000"),
    ("grassroots_cap_percent", ""),
    ("women_priority_percent", "70"),
    ("max_absence_days", ""),
    ("council_high_percent", "90"),
    ("council_high_base", "all_members"),
    ("council_other_percent", "50"),
    ("council_other_base", "all_members"),
    ("council_other_strict", "on"),
    ("coefficient.advanced_worker", "0,3"),
    ("coefficient.emulation_fighter_grassroots", "1"),
    ("coefficient.emulation_fighter_provincial", "3"),
    ("coefficient.emulation_fighter_national", "4,5"),
    ("coefficient.advanced_collective", "0,8"),
    ("coefficient.excellent_collective", "1,5"),
    ("coefficient.emulation_flag_provincial", "8"),
    ("coefficient.emulation_flag_government", "12"),
    ("coefficient.certificate_of_commendation_provincial", "1,5"),
    ("coefficient.certificate_of_commendation_prime_minister", "3,5"),
    ("coefficient.certificate_of_merit", "0,3"),
];

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    vec![
        c(Method::GET, "/emulation", None, Fresh::None, SIGNED_IN),
        c(
            Method::POST,
            "/emulation/records",
            Form(&[("kind", "individual"), ("name", "Người {actor}"), ("unit", "TA")]),
            Fresh::None,
            OFFICERS,
        ),
        c(Method::GET, "/emulation/records/{id}", None, Fresh::EmulationRecordInA, READERS),
        c(
            Method::POST,
            "/emulation/records/{id}/entries",
            Form(&[("entry", "rating"), ("year", "2025"), ("rating", "good"), ("in_emulation", "on")]),
            Fresh::EmulationRecordInA,
            OFFICERS,
        ),
        c(
            Method::GET,
            "/emulation/records/{id}/eligibility?award=emulation_fighter_provincial&year=2026",
            None,
            Fresh::EmulationRecordInA,
            READERS,
        ),
        c(Method::GET, "/emulation/import", None, Fresh::None, OFFICERS),
        c(
            Method::POST,
            "/emulation/import",
            File("unit,kind,name,year,rating\nTA,individual,Người nhập {actor},2025,good\n"),
            Fresh::None,
            OFFICERS,
        ),
        c(Method::GET, "/api/v1/emulation/records/{id}", None, Fresh::EmulationRecordInA, READERS),
        c(
            Method::POST,
            "/api/v1/emulation/records/{id}/entries",
            Json(r#"{"entry":"rating","year":2025,"rating":"good"}"#),
            Fresh::EmulationRecordInA,
            OFFICERS,
        ),
        c(
            Method::GET,
            "/api/v1/emulation/records/{id}/eligibility?award=advanced_worker&year=2025",
            None,
            Fresh::EmulationRecordInA,
            READERS,
        ),
        // The settings over time are the administrators'.
        c(Method::GET, "/emulation/settings", None, Fresh::None, ADMIN),
        c(Method::POST, "/emulation/settings", Form(SETTINGS), Fresh::None, ADMIN),
        c(Method::GET, "/emulation/settings/2027-01-01/delete", None, Fresh::EmulationSettingsVersion, ADMIN),
        c(Method::POST, "/emulation/settings/2027-01-01/delete", None, Fresh::EmulationSettingsVersion, ADMIN),
    ]
}
