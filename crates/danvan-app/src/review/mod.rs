//! Review reports (sơ kết, tổng kết; issue 12 item 3): a unit's drafts with every saved version
//! (`reports.rs`), and the generation of their figures as a background run with its progress
//! (`runs.rs`), from the same computation as the leader's dashboard (`figures.rs`).

mod figures;
mod reports;
mod runs;
pub mod search;

pub use figures::{AwardLine, Figures, ModelLine, ReportFigures, SubUnitFigures};
pub use reports::*;
pub use runs::*;

pub use danvan_store::review::{ReportRow, RunRow, VersionRow};
