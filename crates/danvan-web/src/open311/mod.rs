//! Open311 GeoReport v2 at /open311/v2/ (docs/domain/OPEN311.md): services from the categories,
//! requests from published cases, creation with an API key. JSON and XML by file suffix.
//! Personal data is never returned.

mod create;
mod format;
mod requests;
mod services;

pub use format::error_for_path;

use crate::routes::Routes;
use create::create_request;
use requests::{one_request, token};
use services::{discovery, service_definition, services_or_requests};

pub fn routes() -> Routes {
    Routes::new()
        .get("/open311/{file}", discovery)
        .get("/open311/v2/{file}", services_or_requests)
        .get("/open311/v2/services/{file}", service_definition)
        .get("/open311/v2/requests/{file}", one_request)
        .get("/open311/v2/tokens/{file}", token)
}

/// `POST requests.{fmt}`, which may carry photos: the router gives it the upload body limit.
pub fn upload_routes() -> Routes {
    Routes::new().post("/open311/v2/{file}", create_request)
}
