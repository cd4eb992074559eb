//! The statistical forms' routes in the role × route matrix (issue 11 item 7): ward A's forms
//! are read by the officials over ward A (and the administrators over the city); ward B's leader
//! and the citizen are refused. The page without a choice is for every official (it shows the
//! form to choose).

use super::{c, Body, Case, Fresh, OFFICIALS};
use reqwest::Method;

const READERS: &[&str] = &["viewer_a", "front_a", "officer_a", "emulation_a", "leader_a", "admin"];

pub(super) fn cases() -> Vec<Case> {
    vec![
        c(Method::GET, "/emulation/statistics", Body::None, Fresh::None, OFFICIALS),
        c(Method::GET, "/emulation/statistics?form=0603&year=2026&unit=TA", Body::None, Fresh::None, READERS),
        c(Method::GET, "/emulation/statistics/0601.xlsx?year=2026&unit=TA", Body::None, Fresh::None, READERS),
    ]
}
