//! Open311's two formats, JSON and XML, written from one tree of nodes; errors, times and
//! parameters as GeoReport v2 writes them.

use crate::error::WebError;
use crate::html::esc;
use crate::AppState;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::text::is_xml_char;
use std::collections::HashMap;
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Fmt {
    Json,
    Xml,
}

/// "services.json" → ("services", Json).
pub(super) fn split(file: &str) -> Option<(&str, Fmt)> {
    let (name, ext) = file.rsplit_once('.')?;
    let fmt = match ext {
        "json" => Fmt::Json,
        "xml" => Fmt::Xml,
        _ => return None,
    };
    Some((name, fmt))
}

/// A value and its XML element name (lists name their items).
pub(super) enum Node {
    Text(String),
    Bool(bool),
    Num(String),
    Null,
    List(&'static str, Vec<Node>),
    Obj(Vec<(&'static str, Node)>),
}

impl Node {
    pub(super) fn s(v: impl Into<String>) -> Node {
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
            Node::Text(s) | Node::Num(s) => out.push_str(&format!("<{name}>{}</{name}>", xml_esc(s))),
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

/// Text as XML character data: escaped as HTML is, and every code point XML 1.0 forbids (a
/// control character, U+FFFE, U+FFFF) replaced by U+FFFD. Text is cleaned on the way in, but a
/// row written before that, or by hand, must not make the whole feed unreadable: no character
/// reference can carry these either.
pub(super) fn xml_esc(s: &str) -> String {
    if s.chars().all(is_xml_char) {
        esc(s)
    } else {
        esc(&s.chars().map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' }).collect::<String>())
    }
}

/// Renders a document: JSON as is, XML under `root`.
pub(super) fn respond(status: StatusCode, fmt: Fmt, root: &str, node: Node) -> Response {
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

pub(super) fn error(fmt: Fmt, code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let err = Node::Obj(vec![("code", Node::Num(code.to_string())), ("description", Node::s(description))]);
    respond(status, fmt, "errors", Node::List("error", vec![err]))
}

/// 503 with Retry-After: the server holds as many uploads as it may; the client tries again.
pub(super) fn busy(fmt: Fmt) -> Response {
    let mut r = error(fmt, 503, "the server is receiving many files at once; try again in a minute");
    r.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("60"));
    r
}

/// An error in Open311's own format for a request under `/open311/` that failed outside its
/// handlers (a body sent too slowly): the format comes from the path's suffix, JSON by default.
pub fn error_for_path(path: &str, code: u16, description: &str) -> Response {
    let fmt = if path.ends_with(".xml") { Fmt::Xml } else { Fmt::Json };
    error(fmt, code, description)
}

pub(super) fn iso(t: DateTime<Utc>) -> String {
    // Same text as the strftime pattern "%Y-%m-%dT%H:%M:%S%:z", without parsing it per field.
    t.with_timezone(&vietnam_offset()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A parameter sent empty is treated as absent.
pub(super) fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
    q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The site's address for absolute links (`ctx::base_url`).
pub(super) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    crate::ctx::base_url(state, headers)
}

pub(super) fn internal(fmt: Fmt, e: WebError) -> Response {
    // A saturated server is no fault: the client tries again later, as elsewhere.
    if let WebError::Busy(_) = e {
        return busy(fmt);
    }
    tracing::error!(error = ?e, "open311");
    error(fmt, 500, "internal error")
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
    fn xml_text_never_holds_what_xml_forbids() {
        assert_eq!(xml_esc("a\u{FFFF}b\u{0}c\u{FFFE}<d>\u{B}\te\n"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}&lt;d&gt;\u{FFFD}\te\n");
        assert_eq!(xml_esc("Cống \"tắc\""), "Cống &quot;tắc&quot;");
        let mut out = String::new();
        Node::Obj(vec![("description", Node::s("x\u{FFFF}"))]).xml("request", &mut out);
        assert_eq!(out, "<request><description>x\u{FFFD}</description></request>");
    }

    #[test]
    fn times_are_iso_8601_in_viet_nam() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T17:05:09Z").unwrap().with_timezone(&Utc);
        assert_eq!(iso(t), "2026-11-27T00:05:09+07:00");
        assert_eq!(iso(t), t.with_timezone(&vietnam_offset()).format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
}
