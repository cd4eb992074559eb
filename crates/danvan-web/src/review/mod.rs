//! Review (issue 12): the review reports — drafts, versions, generations and their documents
//! (`reports.rs`, `report_doc.rs`, `report_files.rs`, JSON in `report_api.rs`) — and the leader's dashboard of a unit's subtree (`dashboard.rs`, the page; its
//! data as JSON in `api.rs`, its tables as XLSX in `export.rs`) and the indicator catalogue documented for readers (`catalogue.rs`).
//! Every figure comes from `danvan_app::indicators`: the same numbers in the page, the API and
//! the emulation scores.

pub mod api;
mod catalogue;
mod dashboard;
mod export;
pub mod report_api;
mod report_doc;
mod report_files;
mod reports;
mod search;

use crate::routes::Routes;

pub fn routes() -> Routes {
    dashboard::routes()
        .merge(catalogue::routes())
        .merge(Routes::new().get("/review/dashboard.xlsx", export::xlsx))
        .merge(reports::routes())
        .merge(report_files::routes())
        .merge(search::routes())
}
