//! Integration tests through HTTP and the store, on SQLite and (when configured) PostgreSQL.
//! One binary with modules keeps link time down.

mod abuse;
mod admin;
mod answer_doc;
mod api;
mod architecture;
mod atomicity;
mod authz_matrix;
mod authz_matrix_routes;
mod bounds;
mod cases;
mod clock;
mod counters;
mod delivery;
mod denunciations;
mod emulation;
mod emulation_certificates;
mod emulation_council;
mod emulation_import;
mod emulation_mergers;
mod emulation_models;
mod emulation_settings;
mod emulation_statistics;
mod inbox;
mod intake;
mod merging;
mod movements;
mod open311;
mod overload;
mod pages;
mod photos;
mod resident;
mod review;
mod review_reports;
mod search;
mod store;
