//! Open311 GeoReport v2 at /open311/v2/ (docs/domain/OPEN311.md): services from the categories,
//! requests from published cases, creation with an API key. JSON and XML by file suffix.
//! Personal data is never returned.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::esc;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use danvan_app::cases::Submission;
use danvan_domain::calendar::{deadline_instant, vietnam_offset};
use danvan_domain::case::{CaseInput, Channel};
use danvan_store::cases::{CaseFilter, CaseSort, Category, PublicCase};
use std::collections::HashMap;

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

#[derive(Clone, Copy, PartialEq)]
enum Fmt {
    Json,
    Xml,
}

/// "services.json" → ("services", Json).
fn split(file: &str) -> Option<(&str, Fmt)> {
    let (name, ext) = file.rsplit_once('.')?;
    let fmt = match ext {
        "json" => Fmt::Json,
        "xml" => Fmt::Xml,
        _ => return None,
    };
    Some((name, fmt))
}

/// A value and its XML element name (lists name their items).
enum Node {
    Text(String),
    Bool(bool),
    Num(String),
    Null,
    List(&'static str, Vec<Node>),
    Obj(Vec<(&'static str, Node)>),
}

impl Node {
    fn s(v: impl Into<String>) -> Node {
        Node::Text(v.into())
    }
    /// Writes JSON straight into `out`: a listing is 1,000 requests of 17 fields, and building a
    /// `serde_json::Value` tree first doubled the work.
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            // Writing into a Vec cannot fail, and a &str always serialises.
            Node::Text(s) => serde_json::to_writer(&mut *out, s).expect("a string serialises"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Num(n) => match n.parse::<i64>() {
                Ok(i) => out.extend_from_slice(i.to_string().as_bytes()),
                Err(_) => match n.parse::<f64>() {
                    Ok(f) if f.is_finite() => serde_json::to_writer(&mut *out, &f).expect("a finite number serialises"),
                    _ => out.extend_from_slice(b"null"),
                },
            },
            Node::Null => out.extend_from_slice(b"null"),
            Node::List(_, items) => {
                out.push(b'[');
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    n.write_json(out);
                }
                out.push(b']');
            }
            Node::Obj(fields) => {
                out.push(b'{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, k).expect("a key serialises");
                    out.push(b':');
                    v.write_json(out);
                }
                out.push(b'}');
            }
        }
    }
    fn xml(&self, name: &str, out: &mut String) {
        match self {
            Node::Text(s) | Node::Num(s) => out.push_str(&format!("<{name}>{}</{name}>", esc(s))),
            Node::Bool(b) => out.push_str(&format!("<{name}>{b}</{name}>")),
            Node::Null => out.push_str(&format!("<{name}/>")),
            Node::List(item, items) => {
                out.push_str(&format!("<{name}>"));
                for i in items {
                    i.xml(item, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            Node::Obj(fields) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in fields {
                    v.xml(k, out);
                }
                out.push_str(&format!("</{name}>"));
            }
        }
    }
}

/// Renders a document: JSON as is, XML under `root`.
fn respond(status: StatusCode, fmt: Fmt, root: &str, node: Node) -> Response {
    match fmt {
        Fmt::Json => {
            // About 800 bytes per request listed: sized once rather than grown by copying.
            let items = if let Node::List(_, items) = &node { items.len() } else { 1 };
            let mut out = Vec::with_capacity(1024 + 800 * items);
            node.write_json(&mut out);
            (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], out).into_response()
        }
        Fmt::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            node.xml(root, &mut out);
            (status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], out).into_response()
        }
    }
}

fn error(fmt: Fmt, code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let err = Node::Obj(vec![("code", Node::Num(code.to_string())), ("description", Node::s(description))]);
    respond(status, fmt, "errors", Node::List("error", vec![err]))
}

fn iso(t: DateTime<Utc>) -> String {
    // Same text as the strftime pattern "%Y-%m-%dT%H:%M:%S%:z", without parsing it per field.
    t.with_timezone(&vietnam_offset()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A parameter sent empty is treated as absent.
fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
    q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The site's address for absolute links: the configured public address when set; else the
/// request's, where X-Forwarded-Host/-Proto count only behind a trusted proxy (anyone can send
/// them, and the links end up in other clients' responses and caches).
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let config = &state.config;
    let public = state.app.config.delivery.public_url.trim_end_matches('/');
    if !public.is_empty() {
        return public.to_string();
    }
    let forwarded = |name: &str| if config.trust_proxy { headers.get(name) } else { None };
    let host =
        forwarded("x-forwarded-host").or_else(|| headers.get(header::HOST)).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let proto = forwarded("x-forwarded-proto").and_then(|v| v.to_str().ok()).unwrap_or("http");
    format!("{proto}://{host}")
}

async fn discovery(State(state): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
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

fn service(c: &Category) -> Node {
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

async fn services_or_requests(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match split(&file) {
        Some(("services", fmt)) => match state.store.categories(false).await {
            Ok(cats) => respond(StatusCode::OK, fmt, "services", Node::List("service", cats.iter().map(service).collect())),
            Err(e) => internal(fmt, e.into()),
        },
        Some(("requests", fmt)) => list_requests(&state, &ctx, fmt, &q, &base_url(&state, &headers)).await,
        Some((_, fmt)) => error(fmt, 404, "not found"),
        None => error(Fmt::Json, 404, "not found"),
    }
}

fn internal(fmt: Fmt, e: WebError) -> Response {
    tracing::error!(error = ?e, "open311");
    error(fmt, 500, "internal error")
}

async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    match state.store.category_by_code(code).await {
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

/// One field of a request as the listing writes it.
enum Val<'a> {
    Str(&'a str),
    Num(f64),
    Null,
}

/// Requests written straight into the response body, as JSON or XML: a listing is 1,000
/// requests of 17 fields, and building a tree of them first cost as much as reading them.
struct Requests {
    fmt: Fmt,
    out: Vec<u8>,
    count: usize,
    /// The site's address, for `media_url`.
    base: String,
}

impl Requests {
    fn new(fmt: Fmt, base: &str, expected: usize) -> Requests {
        // About 800 bytes per request: sized once rather than grown by copying.
        let mut out = Vec::with_capacity(256 + 800 * expected);
        out.extend_from_slice(match fmt {
            Fmt::Json => b"[".as_slice(),
            Fmt::Xml => b"<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests>".as_slice(),
        });
        Requests { fmt, out, count: 0, base: base.to_string() }
    }

    fn push(&mut self, c: &PublicCase) {
        let status = c.status.open311();
        let status_notes = crate::i18n::t(crate::i18n::Lang::Vi, crate::labels::case_status(c.status));
        let due = c.resolve_due.or(c.accept_due);
        let notice = due.map(|d| format!("{} trả lời chậm nhất ngày {:02}/{:02}/{}", c.unit_name, d.day(), d.month(), d.year()));
        // The statutory due date: the end of its last day in Viet Nam.
        let expected = due.map(|d| deadline_instant(d).to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
        let (requested, updated) = (iso(c.received_at), iso(c.updated_at));
        let media = c.photo_id.map(|p| format!("{}/files/{p}", self.base));
        fn opt(v: &Option<String>) -> Val<'_> {
            v.as_deref().map_or(Val::Null, Val::Str)
        }
        let num = |v: Option<f64>| v.map_or(Val::Null, Val::Num);
        let fields = [
            ("service_request_id", Val::Str(&c.code)),
            ("status", Val::Str(status)),
            ("status_notes", Val::Str(&status_notes)),
            ("service_name", opt(&c.category_name)),
            ("service_code", opt(&c.category_code)),
            ("description", Val::Str(&c.description)),
            ("agency_responsible", Val::Str(&c.unit_name)),
            ("service_notice", opt(&notice)),
            ("requested_datetime", Val::Str(&requested)),
            ("updated_datetime", Val::Str(&updated)),
            ("expected_datetime", opt(&expected)),
            ("address", Val::Str(&c.address)),
            ("address_id", opt(&c.place_code)),
            ("zipcode", Val::Null),
            ("lat", num(c.latitude)),
            ("long", num(c.longitude)),
            // A published case's first photo; references that clients sent are not echoed: they
            // were never checked, and are kept for the officers only.
            ("media_url", opt(&media)),
        ];
        let out = &mut self.out;
        match self.fmt {
            Fmt::Json => {
                out.extend_from_slice(if self.count == 0 { b"{" } else { b",{" });
                for (i, (name, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // Field names are fixed ASCII identifiers: nothing to escape.
                    out.push(b'"');
                    out.extend_from_slice(name.as_bytes());
                    out.extend_from_slice(b"\":");
                    match v {
                        // Writing into a Vec cannot fail, and a &str always serialises.
                        Val::Str(s) => serde_json::to_writer(&mut *out, s).expect("a string serialises"),
                        // Whole numbers as integers (105, not 105.0), as before.
                        Val::Num(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
                            out.extend_from_slice((*f as i64).to_string().as_bytes())
                        }
                        Val::Num(f) if f.is_finite() => serde_json::to_writer(&mut *out, f).expect("a finite number serialises"),
                        Val::Num(_) | Val::Null => out.extend_from_slice(b"null"),
                    }
                }
                out.push(b'}');
            }
            Fmt::Xml => {
                out.extend_from_slice(b"<request>");
                for (name, v) in &fields {
                    let text = match v {
                        Val::Str(s) => esc(s),
                        Val::Num(f) => f.to_string(),
                        Val::Null => {
                            out.extend_from_slice(format!("<{name}/>").as_bytes());
                            continue;
                        }
                    };
                    out.extend_from_slice(format!("<{name}>{text}</{name}>").as_bytes());
                }
                out.extend_from_slice(b"</request>");
            }
        }
        self.count += 1;
    }

    fn finish(mut self) -> Response {
        let content_type = match self.fmt {
            Fmt::Json => {
                self.out.push(b']');
                "application/json; charset=utf-8"
            }
            Fmt::Xml => {
                self.out.extend_from_slice(b"</service_requests>");
                "text/xml; charset=utf-8"
            }
        };
        (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], self.out).into_response()
    }
}

async fn list_requests(state: &AppState, _ctx: &Ctx, fmt: Fmt, q: &HashMap<String, String>, base: &str) -> Response {
    // Err carries the parameter's name; the response is built once below.
    let parse_dt = |k: &'static str| -> Result<Option<NaiveDate>, &'static str> {
        match param(q, k) {
            None => Ok(None),
            Some(v) => DateTime::parse_from_rfc3339(v)
                .map(|d| Some(d.with_timezone(&vietnam_offset()).date_naive()))
                .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some))
                .map_err(|_| k),
        }
    };
    let mut filter =
        CaseFilter { public_only: true, sort: CaseSort::Newest, limit: 1000, skip_total: true, ..Default::default() };
    if let Some(ids) = param(q, "service_request_id") {
        // A list of ids overrides the other filters.
        filter.codes = ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    } else {
        let today = danvan_app::cases::today();
        let (start, end) = match (parse_dt("start_date"), parse_dt("end_date")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(k), _) | (_, Err(k)) => return error(fmt, 400, &format!("{k} must be an ISO 8601 date-time")),
        };
        let end = end.unwrap_or(today);
        let start = start.unwrap_or(end - chrono::Duration::days(90));
        if start > end || (end - start).num_days() > 90 {
            return error(fmt, 400, "start_date and end_date must span at most 90 days");
        }
        filter.received_from = Some(start);
        filter.received_to = Some(end);
        if let Some(codes) = param(q, "service_code") {
            for code in codes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match state.store.category_by_code(code).await {
                    Ok(Some(c)) => filter.category_ids.push(c.id),
                    Ok(None) => filter.category_ids.push(-1),
                    Err(e) => return internal(fmt, e.into()),
                }
            }
        }
        if let Some(st) = param(q, "status") {
            let mut statuses = vec![];
            for s in st.split(',').map(str::trim) {
                match s {
                    "open" => statuses.extend(danvan_domain::case::CaseStatus::ALL.iter().filter(|x| x.is_open()).copied()),
                    "closed" => statuses.extend(danvan_domain::case::CaseStatus::ALL.iter().filter(|x| !x.is_open()).copied()),
                    _ => return error(fmt, 400, "status must be open or closed"),
                }
            }
            filter.statuses = statuses;
        }
    }
    match list_as_of_today(state, &filter).await {
        Ok(rows) => {
            let mut out = Requests::new(fmt, base, rows.len());
            rows.iter().for_each(|c| out.push(c));
            out.finish()
        }
        Err(e) => internal(fmt, e),
    }
}

/// Published requests with their due dates as of today: a paused request's expected date has
/// moved with its pause (`danvan_app::cases::due_as_of`; paused requests are few).
async fn list_as_of_today(state: &AppState, filter: &CaseFilter) -> Result<Vec<PublicCase>, WebError> {
    let mut rows = state.store.list_public_cases(filter).await?;
    for c in rows.iter_mut().filter(|c| c.status == "paused") {
        let d = danvan_app::cases::due_of_case(&state.app, c.id).await?;
        (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
    }
    Ok(rows)
}

async fn one_request(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some((id, fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    // The public listing's own filter decides what may be shown: published feedback and
    // petitions, never merged ones.
    let filter = CaseFilter { public_only: true, codes: vec![id.to_string()], limit: 1, skip_total: true, ..Default::default() };
    match list_as_of_today(&state, &filter).await {
        Ok(rows) if !rows.is_empty() => {
            let mut out = Requests::new(fmt, &base_url(&state, &headers), 1);
            out.push(&rows[0]);
            out.finish()
        }
        Ok(_) => error(fmt, 404, "service_request_id not found"),
        Err(e) => internal(fmt, e),
    }
}

/// danvan creates requests synchronously, so a token is the request id itself.
async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((t, fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    match state.store.get_case_by_code(t).await {
        Ok(Some(c)) if danvan_app::cases::is_public(&c) => respond(
            StatusCode::OK,
            fmt,
            "service_requests",
            Node::List("request", vec![Node::Obj(vec![("service_request_id", Node::s(&c.code)), ("token", Node::s(&c.code))])]),
        ),
        Ok(_) => error(fmt, 404, "token not found"),
        Err(e) => internal(fmt, e.into()),
    }
}

/// Fields of a url-encoded POST, keeping repeated keys (several media_url, attribute[x][]).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    std::str::from_utf8(body).map(|s| crate::middleware::url_pairs(s).collect()).unwrap_or_default()
}

async fn create_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    req: axum::extract::Request,
) -> Response {
    let Some(("requests", fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    let headers = req.headers().clone();
    let multipart =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
    // The key is checked before a large body is read: from the query when it is there, and a
    // multipart body (photos, up to 55 MB) is read only for a client that sent it there.
    match param(&q, "api_key") {
        Some(key) => match state.store.open311_key_name(key).await {
            Ok(Some(_)) => {}
            Ok(None) => return error(fmt, 403, "api_key is not valid"),
            Err(e) => return internal(fmt, e.into()),
        },
        None if multipart => return error(fmt, 403, "api_key is required in the query string of a multipart request"),
        None => {}
    }
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in q {
        fields.entry(k).or_default().push(v);
    }
    // Photos sent as files (`media`, as GeoReport clients name them): checked like the web form's.
    let mut photos = vec![];
    if multipart {
        let Ok(crate::uploads::UploadForm { form, files }) =
            <crate::uploads::UploadForm as axum::extract::FromRequest<AppState>>::from_request(req, &state).await
        else {
            return error(fmt, 400, "the multipart body cannot be read (at most 5 photos of 10 MB)");
        };
        for (k, v) in form.0 {
            fields.entry(k).or_default().push(v);
        }
        photos = files
            .into_iter()
            .filter(|f| f.field == "media" || f.field == "media[]")
            .map(|f| danvan_app::cases::files::Incoming { field: "photos".into(), ..f })
            .collect();
    } else {
        let Ok(body) = axum::body::to_bytes(req.into_body(), 1 << 20).await else {
            return error(fmt, 400, "the body is too large");
        };
        for (k, v) in form_pairs(&body) {
            fields.entry(k).or_default().push(v);
        }
    }
    let get = |k: &str| fields.get(k).and_then(|v| v.iter().map(|s| s.trim()).find(|s| !s.is_empty())).map(str::to_string);
    let Some(key) = get("api_key") else { return error(fmt, 403, "api_key is required") };
    let client = match state.store.open311_key_name(&key).await {
        Ok(Some(name)) => name,
        Ok(None) => return error(fmt, 403, "api_key is not valid"),
        Err(e) => return internal(fmt, e.into()),
    };
    let Some(service_code) = get("service_code") else { return error(fmt, 400, "service_code is required") };
    let attr = |code: &str| get(&format!("attribute[{code}]")).or_else(|| get(&format!("attribute[{code}][]")));
    // The category's own attributes, checked before anything is recorded.
    let attribute_values = match state.store.category_by_code(&service_code).await {
        Ok(Some(c)) if c.active => {
            let all = |code: &str| -> Vec<String> {
                [format!("attribute[{code}]"), format!("attribute[{code}][]")]
                    .iter()
                    .flat_map(|k| fields.get(k).cloned().unwrap_or_default())
                    .collect()
            };
            match danvan_domain::category::check_values(&c.attribute_defs(), &all) {
                Ok(v) => v,
                Err(errs) => {
                    let msg: Vec<String> = errs.iter().map(|e| e.message()).collect();
                    return error(fmt, 400, &msg.join("; "));
                }
            }
        }
        Ok(_) => return error(fmt, 400, "service_code is not a known service"),
        Err(e) => return internal(fmt, e.into()),
    };
    let kind = attr("kind").unwrap_or_else(|| "feedback".into());
    if kind != "feedback" && kind != "petition" {
        return error(fmt, 400, "attribute[kind] must be feedback or petition");
    }
    let lat = get("lat").map(|v| v.parse::<f64>());
    let lon = get("long").map(|v| v.parse::<f64>());
    let (latitude, longitude) = match (lat, lon) {
        (Some(Ok(a)), Some(Ok(b))) => (Some(a), Some(b)),
        (None, None) => (None, None),
        _ => return error(fmt, 400, "lat and long must both be numbers"),
    };
    let address = get("address_string").unwrap_or_default();
    // The place is a unit of the tree: address_id or attribute[ward] as its code, or a ward
    // named in the address.
    let place = match get("address_id").or_else(|| attr("ward")) {
        Some(code) => match state.store.get_unit_by_code(&code).await {
            Ok(Some(u)) => Some(u.id),
            Ok(None) => return error(fmt, 400, "address_id is not a known unit code"),
            Err(e) => return internal(fmt, e.into()),
        },
        None => {
            // A point inside the administrators' boundaries names its ward; else the address.
            let by_point = match (latitude, longitude) {
                (Some(lat), Some(lon)) => {
                    match danvan_app::cases::place_of_point(&state.app, lat, lon).await.map_err(WebError::from) {
                        Ok(u) => u.map(|u| u.id),
                        Err(e) => return internal(fmt, e),
                    }
                }
                _ => None,
            };
            match by_point {
                Some(p) => Some(p),
                None => match ward_in_address(&state, &address).await {
                    Ok(p) => p,
                    Err(e) => return internal(fmt, e),
                },
            }
        }
    };
    if place.is_none() {
        return error(
            fmt,
            400,
            "a location must name its ward: address_id (unit code, e.g. C00073) or a ward name in address_string",
        );
    }
    // The place itself is a location: an address_id alone is enough.
    let address = if address.is_empty() && latitude.is_none() {
        match place {
            Some(p) => state.store.get_unit(p).await.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        }
    } else {
        address
    };
    let name = [get("first_name"), get("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let description = get("description").unwrap_or_default();
    if description.chars().count() > 4000 {
        return error(fmt, 400, "description is longer than 4000 characters");
    }
    let input = CaseInput {
        kind,
        category: service_code.clone(),
        title: String::new(),
        description,
        address: if address.is_empty() {
            format!("{}, {}", latitude.unwrap_or_default(), longitude.unwrap_or_default())
        } else {
            address
        },
        latitude,
        longitude,
        sender_name: name,
        sender_phone: get("phone").unwrap_or_default(),
        sender_email: get("email").unwrap_or_default(),
        sender_address: String::new(),
        // Apps publish by default, as the public web form does for feedback.
        publish: true,
    };
    let idempotency = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|k| format!("open311-{client}-{k}"));
    // References to media elsewhere are kept for the officers as sent (plain web addresses only)
    // and never fetched: the server makes no request on a client's behalf. They and the
    // category's extra values are recorded with the case, in its commit.
    let media: Vec<String> = fields
        .get("media_url")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.trim().to_string())
        .filter(|m| danvan_domain::attachment::valid_media_url(m))
        .take(danvan_domain::attachment::MAX_PHOTOS)
        .collect();
    let mut notes = vec![];
    if !media.is_empty() {
        notes.push(format!("media_url: {}", media.join(" ")));
    }
    if !attribute_values.is_empty() {
        notes.push(danvan_app::cases::attributes_note(&attribute_values));
    }
    let submission = Submission {
        input,
        category_code: service_code,
        place_unit_id: place,
        channel: Channel::Open311,
        received_on: None,
        idempotency_key: idempotency,
        source: None,
        unit_override: None,
        notes,
        actor_label: Some(format!("open311 ({client})")),
    };
    let (atts, staged) = match danvan_app::cases::files::prepare_photos(&state.app.uploads, photos).await {
        Ok(p) => p,
        Err(e) => {
            let msg: Vec<String> =
                e.0.iter().map(|f| format!("media: {}", crate::i18n::t(crate::i18n::Lang::En, &f.key))).collect();
            return error(fmt, 400, &msg.join("; "));
        }
    };
    let result = danvan_app::cases::submit_with(&state.app, &ctx.caller, submission, &atts).await.map_err(WebError::from);
    match &result {
        Ok((_, Some(_))) => state.app.uploads.promote(staged).await,
        _ => state.app.uploads.discard(staged).await,
    }
    match result {
        Ok((c, _)) => {
            let unit = state.store.get_unit(c.unit_id).await.map(|u| u.name).unwrap_or_default();
            let notice = c
                .accept_due
                .map(|d| format!("{unit} xem xét, thụ lý chậm nhất ngày {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            let node = Node::Obj(vec![
                ("service_request_id", Node::s(&c.code)),
                ("service_notice", Node::s(notice)),
                ("account_id", Node::Null),
            ]);
            respond(StatusCode::CREATED, fmt, "service_requests", Node::List("request", vec![node]))
        }
        Err(WebError::Invalid(e)) => {
            let msg: Vec<String> =
                e.0.iter().map(|f| format!("{}: {}", f.field, crate::i18n::t(crate::i18n::Lang::En, &f.key))).collect();
            error(fmt, 400, &msg.join("; "))
        }
        Err(WebError::TooMany(_)) => error(fmt, 400, "too many requests"),
        Err(e) => internal(fmt, e),
    }
}

/// A ward of the default province whose name (without diacritics) appears in the address.
async fn ward_in_address(state: &AppState, address: &str) -> Result<Option<i64>, WebError> {
    let folded = danvan_domain::text::fold(address);
    if folded.trim().is_empty() {
        return Ok(None);
    }
    let settings = state.store.settings().await?;
    let Some(province) = state.store.get_unit_by_code(settings.province_code()).await? else { return Ok(None) };
    for u in state.store.child_units(province.id, false).await? {
        let name = danvan_domain::text::fold(&u.name);
        // "Phường Cửa Nam" or just "Cửa Nam" after the word phường/xã.
        let short = name.split_once(' ').map(|(_, rest)| rest).unwrap_or(&name);
        if folded.contains(&name) || folded.contains(&format!("phuong {short}")) || folded.contains(&format!("xa {short}")) {
            return Ok(Some(u.id));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_as_serde_json_reads_it() {
        let node = Node::List(
            "request",
            vec![Node::Obj(vec![
                ("id", Node::s("PA-2026-000001")),
                ("notes", Node::s("Cống \"tắc\"\nngõ 5 <b>")),
                ("lat", Node::Num("21.0285".into())),
                ("n", Node::Num("42".into())),
                ("bad", Node::Num("x".into())),
                ("ok", Node::Bool(true)),
                ("none", Node::Null),
            ])],
        );
        let mut out = Vec::new();
        node.write_json(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"id": "PA-2026-000001", "notes": "Cống \"tắc\"\nngõ 5 <b>", "lat": 21.0285, "n": 42, "bad": null, "ok": true, "none": null}])
        );
    }

    #[test]
    fn times_are_iso_8601_in_viet_nam() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T17:05:09Z").unwrap().with_timezone(&Utc);
        assert_eq!(iso(t), "2026-11-27T00:05:09+07:00");
        assert_eq!(iso(t), t.with_timezone(&vietnam_offset()).format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
}
