//! Organisation: units (directory, administration, dissolution, import), accounts and memberships,
//! sign-in; pages and the JSON API side by side.

pub mod accounts;
pub mod answer_symbol;
pub mod api_accounts;
pub mod api_units;
pub mod auth;
pub mod units;
