//! The organisation: units, accounts and memberships.

pub mod accounts;
pub mod queries;
pub mod sessions;
pub mod transfers;
pub mod units;
