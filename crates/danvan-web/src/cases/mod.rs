//! Citizens' cases: intake, tracking, the inbox, handling, answers and their delivery, the public
//! list and map; pages and the JSON API side by side.

pub mod answer_doc;
pub mod api;
pub mod api_inbox;
pub mod categories;
pub mod delivery;
pub mod import_page;
pub mod inbox;
pub mod map;
pub mod pages;
