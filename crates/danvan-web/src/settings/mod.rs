//! Administrators' settings: time limits, the map, categories, the calendar, retention, imports.

pub mod pages;
