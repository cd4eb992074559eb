//! The organisation: units of the political system and the accounts of the people who work in them.

pub mod account;
pub mod unit;
