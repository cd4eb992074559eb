//! Citizens' cases: intake, routing, handling, answers and their delivery, duplicates, imports,
//! retention.

pub mod access;
pub mod categories;
pub mod clock;
pub mod delivery;
pub mod duplicates;
pub mod edits;
pub mod files;
pub mod handling;
pub mod import;
pub mod intake;
pub mod pending;
pub mod queries;
pub mod retention;
pub mod routing;
pub mod shortcuts;
pub mod spam;
pub mod templates;
pub mod tracking;

pub use access::{
    authorize_case, authorize_case_file, authorize_case_file_with, authorize_case_internal, authorize_case_work, inbox_scope,
    is_public, InboxScope,
};
pub use clock::{due_as_of, due_of_case, dues_as_of, Due};
pub use handling::{act, action_needs, bulk_assign, citizen_act, days_since, may_act, transitions, ActRequest, Transitions};
pub use import::{import_cases, parse_import, ImportRow};
pub use intake::{attributes_note, authorize_intake, submit, submit_keeping_files, submit_with_files, Submission};
pub use routing::{place_of_point, policy, suggest_unit, territory_of, today};
