//! The resident's routes in the role × route matrix: the page script, and finding a case again
//! with its code and the phone number given (anyone holding both; the tracked case's sender gave
//! 0912 345 678).

use super::{c, Body, Case, Fresh, EVERYONE};
use reqwest::Method;

pub(super) fn cases() -> Vec<Case> {
    use Body::*;
    vec![
        c(Method::GET, "/static/danvan.js", None, Fresh::None, EVERYONE),
        c(Method::POST, "/track", Form(&[("code", "{code}"), ("contact", "0912345678")]), Fresh::TrackedCase, EVERYONE),
    ]
}
