//! The organisation: units, accounts and memberships.

pub mod accounts;
pub mod units;
