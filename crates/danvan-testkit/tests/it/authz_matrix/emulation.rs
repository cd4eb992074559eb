//! The emulation routes in the role × route matrix: a person's record in group A1 of ward A is
//! read by ward A's emulation officers and leaders, written by its emulation officers only (not
//! the case officers, nor the administrators' system role); the list is for everyone signed in
//! (each sees what they may).

use super::{c, Body, Case, Fresh, SIGNED_IN};
use reqwest::Method;

const READERS: &[&str] = &["emulation_a", "leader_a"];
const OFFICERS: &[&str] = &["emulation_a"];

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
    ]
}
