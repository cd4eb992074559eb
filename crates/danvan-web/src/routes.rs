//! The route table: every page and Open311 route is registered through `Routes`, which builds the
//! axum router and, beside it, the list of (method, path) it serves. The JSON API's list comes from
//! its OpenAPI document. Tests read `table()` so that the role × route matrix covers every route.

use crate::AppState;
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use axum::Router;

/// One method on one path, as registered (`{id}` for parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.route_with(path, &["GET"], routing::get(h))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.route_with(path, &["POST"], routing::post(h))
    }

    /// A route whose method router carries its own layers (a larger body limit); `methods` names
    /// what it serves.
    pub fn route_with(mut self, path: &'static str, methods: &[&'static str], mr: MethodRouter<AppState>) -> Routes {
        self.table.extend(methods.iter().map(|&method| Route { method, path }));
        self.router = self.router.route(path, mr);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.table)
    }
}
