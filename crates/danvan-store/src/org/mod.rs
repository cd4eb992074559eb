//! The organisation: units, accounts and memberships, sessions and API tokens.

pub mod accounts;
pub mod auth;
pub mod units;
