//! The review routes in the role × route matrix (issue 12): ward A's dashboard is read by those
//! who read its cases (and the administrators); without a unit, each official who reads cases
//! sees their own; the indicator catalogue is public.

use super::{c, Body, Case, Fresh, EVERYONE};
use reqwest::Method;

const READERS_A: &[&str] = &["viewer_a", "officer_a", "leader_a", "admin"];
const CASE_READERS: &[&str] = &["viewer_a", "officer_a", "leader_b", "leader_a", "admin"];

pub(super) fn cases() -> Vec<Case> {
    vec![
        c(Method::GET, "/review/dashboard", Body::None, Fresh::None, CASE_READERS),
        c(Method::GET, "/review/dashboard?unit=TA&from=2026-01&to=2026-12", Body::None, Fresh::None, READERS_A),
        c(Method::GET, "/api/v1/review/dashboard?unit=TA", Body::None, Fresh::None, READERS_A),
        c(Method::GET, "/review/dashboard.xlsx?unit=TA&from=2026-01&to=2026-12", Body::None, Fresh::None, READERS_A),
        c(Method::GET, "/review/indicators", Body::None, Fresh::None, EVERYONE),
        c(Method::GET, "/emulation/indicators", Body::None, Fresh::None, EVERYONE),
        c(Method::GET, "/api/v1/review/indicators", Body::None, Fresh::None, EVERYONE),
    ]
}
