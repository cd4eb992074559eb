//! Discovery and services: the categories as Open311 services, with their attribute
//! definitions.

use super::format::{base_url, error, internal, respond, split, Fmt, Node};
use super::requests::list_requests;

use crate::ctx::Ctx;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use danvan_app::cases::categories::Category;
use std::collections::HashMap;
pub(super) async fn discovery(State(state): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(("discovery", fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    let endpoint = Node::Obj(vec![
        ("specification", Node::s("http://wiki.open311.org/GeoReport_v2")),
        ("url", Node::s(format!("{}/open311/v2", base_url(&state, &headers)))),
        ("changeset", Node::s("2026-11-27T00:00:00+07:00")),
        ("type", Node::s("production")),
        ("formats", Node::List("format", vec![Node::s("application/json"), Node::s("text/xml")])),
    ]);
    let doc = Node::Obj(vec![
        ("changeset", Node::s("2026-11-27T00:00:00+07:00")),
        ("contact", Node::s("Bộ phận tiếp nhận phản ánh, kiến nghị")),
        ("key_service", Node::s("API keys are issued by the administrators of this danvan installation.")),
        ("endpoints", Node::List("endpoint", vec![endpoint])),
    ]);
    respond(StatusCode::OK, fmt, "discovery", doc)
}

pub(super) fn service(c: &Category) -> Node {
    Node::Obj(vec![
        ("service_code", Node::s(&c.code)),
        ("service_name", Node::s(&c.name)),
        ("description", Node::s(if c.description.is_empty() { &c.name } else { &c.description })),
        ("metadata", Node::Bool(true)),
        ("type", Node::s("realtime")),
        ("keywords", Node::s(&c.keywords)),
        ("group", Node::s(&c.group_name)),
    ])
}

pub(super) async fn services_or_requests(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match split(&file) {
        Some(("services", fmt)) => match danvan_app::cases::categories::categories(&state.app, false).await {
            Ok(cats) => respond(StatusCode::OK, fmt, "services", Node::List("service", cats.iter().map(service).collect())),
            Err(e) => internal(fmt, e.into()),
        },
        Some(("requests", fmt)) => list_requests(&state, &ctx, fmt, &q, &base_url(&state, &headers)).await,
        Some((_, fmt)) => error(fmt, 404, "not found"),
        None => error(Fmt::Json, 404, "not found"),
    }
}

pub(super) async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    match danvan_app::cases::categories::category_by_code(&state.app, code).await {
        Ok(Some(c)) if c.active => {
            let kind = Node::Obj(vec![
                ("variable", Node::Bool(true)),
                ("code", Node::s("kind")),
                ("datatype", Node::s("singlevaluelist")),
                ("required", Node::Bool(false)),
                ("datatype_description", Node::s("feedback (phản ánh, default) or petition (kiến nghị)")),
                ("order", Node::Num("1".into())),
                ("description", Node::s("Loại: phản ánh hoặc kiến nghị")),
                (
                    "values",
                    Node::List(
                        "value",
                        vec![
                            Node::Obj(vec![("key", Node::s("feedback")), ("name", Node::s("Phản ánh"))]),
                            Node::Obj(vec![("key", Node::s("petition")), ("name", Node::s("Kiến nghị"))]),
                        ],
                    ),
                ),
            ]);
            let ward = Node::Obj(vec![
                ("variable", Node::Bool(true)),
                ("code", Node::s("ward")),
                ("datatype", Node::s("string")),
                ("required", Node::Bool(false)),
                (
                    "datatype_description",
                    Node::s("Unit code of the ward, commune or residential group (e.g. C00073); or send it as address_id"),
                ),
                ("order", Node::Num("2".into())),
                ("description", Node::s("Mã phường, xã nơi xảy ra")),
            ]);
            let mut attributes = vec![kind, ward];
            // The administrators' own attributes follow the two built-in ones.
            for a in c.attribute_defs() {
                let mut fields = vec![
                    ("variable", Node::Bool(true)),
                    ("code", Node::s(&a.code)),
                    ("datatype", Node::s(&a.datatype)),
                    ("required", Node::Bool(a.required)),
                    ("datatype_description", Node::s(&a.description)),
                    ("order", Node::Num((a.order + 2).to_string())),
                    ("description", Node::s(if a.description.is_empty() { &a.code } else { &a.description })),
                ];
                if a.is_list() {
                    let values =
                        a.values.iter().map(|(k, n)| Node::Obj(vec![("key", Node::s(k)), ("name", Node::s(n))])).collect();
                    fields.push(("values", Node::List("value", values)));
                }
                attributes.push(Node::Obj(fields));
            }
            let doc = Node::Obj(vec![("service_code", Node::s(&c.code)), ("attributes", Node::List("attribute", attributes))]);
            respond(StatusCode::OK, fmt, "service_definition", doc)
        }
        Ok(_) => error(fmt, 404, "service_code not found"),
        Err(e) => internal(fmt, e.into()),
    }
}
