//! The working calendar: holidays and administrators' overrides (days off, working days).

pub mod pages;
