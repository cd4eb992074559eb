//! Citizens' cases: intake, tracking, the inbox, handling, answers and their delivery, the public
//! list and map; pages and the JSON API side by side.

pub mod answer_doc;
pub mod api;
pub mod api_inbox;
pub mod case_actions;
pub mod case_page;
pub mod categories;
pub mod delivery;
pub mod export;
pub mod figures;
pub mod files;
pub mod form;
pub mod import_page;
pub mod inbox;
pub mod inbox_page;
pub mod lines;
pub mod map;
pub mod public;
pub mod record;
pub mod track;

use crate::routes::Routes;

/// The pages of cases: the citizen's form and tracking, the inbox, recording, the case page,
/// the public list, files.
pub fn routes() -> Routes {
    Routes::new()
        .merge(form::routes())
        .merge(track::routes())
        .merge(inbox_page::routes())
        .merge(record::routes())
        .merge(files::routes())
        .merge(case_page::routes())
        .merge(public::routes())
}

/// The routes that take files; the router gives them a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new().merge(form::upload_routes()).merge(record::upload_routes()).merge(files::upload_routes())
}
