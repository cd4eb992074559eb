//! The OpenAPI document's errors as the server sends them: every problem document is
//! `application/problem+json` (RFC 9457), and the answers any operation may give whatever its
//! handler does — a request the layers refuse before the handler runs — are listed on every
//! operation, so that a client (or schemathesis) can rely on the document.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

const PROBLEM: &str = "application/problem+json";

/// The answers of the layers around every handler, and why each can happen.
const ANY_OPERATION: [(&str, &str); 8] = [
    ("400", "The request cannot be read: a malformed path, query or body"),
    ("401", "Credentials are missing where needed, or a token is unknown or revoked"),
    ("403", "The caller may not do this, or a browser change lacks its CSRF token or comes from another origin"),
    ("404", "Nothing with this identifier, or nothing the caller may know of"),
    ("413", "The body is larger than the route accepts"),
    ("422", "The request is read but a field is wrong (`errors` lists each field)"),
    ("429", "Too many attempts: wait and try again"),
    ("503", "The server is overloaded, the request took too long, or the database is unreachable: try again after `Retry-After` seconds"),
];

/// The answers of operations that take a body, besides those above.
const WITH_BODY: [(&str, &str); 1] =
    [("408", "The body was sent too slowly (below 1 KiB/s on average after 10 s, or longer than its length allows)")];

pub fn document(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
            operation(op);
        }
        for op in [&mut item.put, &mut item.post, &mut item.patch].into_iter().flatten() {
            for (status, why) in WITH_BODY {
                op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(problem(why)));
            }
        }
    }
}

fn operation(op: &mut Operation) {
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(r) = response {
            problem_content(r);
        }
    }
    for (status, why) in ANY_OPERATION {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(problem(why)));
    }
}

/// A response documented as a JSON `Problem` is sent as `application/problem+json`.
fn problem_content(r: &mut Response) {
    let is_problem =
        |c: &utoipa::openapi::Content| matches!(&c.schema, Some(RefOr::Ref(re)) if re.ref_location.ends_with("/Problem"));
    if let Some(json) = r.content.get("application/json") {
        if is_problem(json) {
            let content = r.content.shift_remove("application/json").unwrap();
            r.content.insert(PROBLEM.to_string(), content);
        }
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
}
