//! Issue 9 (items 1–4) in the role × route matrix: the inbox's keyboard script is a static file
//! for everyone. The case page's shortcuts go through `/cases/{id}/act` (its lines are in
//! `admin_api_inbox`): accepting and handling oneself is for the lead unit's handlers.

use super::{c, Body, Case, Fresh, EVERYONE};
use reqwest::Method;

const HANDLERS_A: &[&str] = &["officer_a", "leader_a", "admin"];

pub(super) fn cases() -> Vec<Case> {
    vec![
        c(Method::GET, "/static/inbox.js", Body::None, Fresh::None, EVERYONE),
        // A case just received in ward A: its handlers (and the administrators' system role) take
        // it; whoever may not know of it hears 404.
        c(Method::POST, "/cases/{id}/act", Body::Form(&[("action", "accept_self")]), Fresh::CasePairInA, HANDLERS_A)
            .refused_as(&[404]),
    ]
}
