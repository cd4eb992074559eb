//! Requests: the published cases as Open311 service requests (never personal data), one
//! request, and tokens.

use super::format::{base_url, error, internal, iso, param, respond, split, xml_esc, Fmt, Node};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate};
use danvan_app::cases::queries::{CaseFilter, CaseSort, PublicCase};
use danvan_domain::calendar::{check_date, deadline_instant, vietnam_offset, DateRange};
use std::collections::HashMap;
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
                        Val::Str(s) => xml_esc(s),
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

/// The most ids or service codes one list parameter may name.
const MAX_LISTED: usize = 100;

pub(super) async fn list_requests(state: &AppState, _ctx: &Ctx, fmt: Fmt, q: &HashMap<String, String>, base: &str) -> Response {
    // Err carries the parameter's name; the response is built once below.
    let parse_dt = |k: &'static str| -> Result<Option<NaiveDate>, &'static str> {
        match param(q, k) {
            None => Ok(None),
            Some(v) => DateTime::parse_from_rfc3339(v)
                .map(|d| d.with_timezone(&vietnam_offset()).date_naive())
                .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
                .ok()
                // Bounded as every date a user gives (1945 to ten years ahead).
                .filter(|d| check_date(*d, danvan_app::cases::today(), DateRange::Planning).is_ok())
                .map(Some)
                .ok_or(k),
        }
    };
    let mut filter =
        CaseFilter { public_only: true, sort: CaseSort::Newest, limit: 1000, skip_total: true, ..Default::default() };
    if let Some(ids) = param(q, "service_request_id") {
        // A list of ids overrides the other filters; a list is a page's worth, not the database.
        filter.codes = ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        filter.codes.sort();
        filter.codes.dedup();
        if filter.codes.len() > MAX_LISTED {
            return error(fmt, 400, &format!("service_request_id lists at most {MAX_LISTED} ids"));
        }
    } else {
        let today = danvan_app::cases::today();
        let (start, end) = match (parse_dt("start_date"), parse_dt("end_date")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(k), _) | (_, Err(k)) => {
                return error(fmt, 400, &format!("{k} must be an ISO 8601 date-time from 1945 to ten years from today"))
            }
        };
        let end = end.unwrap_or(today);
        let start = start.unwrap_or(end - chrono::Duration::days(90));
        if start > end || (end - start).num_days() > 90 {
            return error(fmt, 400, "start_date and end_date must span at most 90 days");
        }
        filter.received_from = Some(start);
        filter.received_to = Some(end);
        if let Some(codes) = param(q, "service_code") {
            // Each code is looked up: a few dozen services, not thousands of repeats.
            let mut codes: Vec<&str> = codes.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.len() > MAX_LISTED {
                return error(fmt, 400, &format!("service_code lists at most {MAX_LISTED} services"));
            }
            for code in codes {
                match danvan_app::cases::categories::category_by_code(&state.app, code).await {
                    Ok(Some(c)) => filter.category_ids.push(c.id),
                    Ok(None) => filter.category_ids.push(-1),
                    Err(e) => return internal(fmt, e.into()),
                }
            }
        }
        if let Some(st) = param(q, "status") {
            let (mut open, mut closed) = (false, false);
            for s in st.split(',').map(str::trim) {
                match s {
                    "open" => open = true,
                    "closed" => closed = true,
                    _ => return error(fmt, 400, "status must be open or closed"),
                }
            }
            // Each status once, however often it was named.
            let all = danvan_domain::cases::CaseStatus::ALL.iter();
            filter.statuses = all.filter(|x| if x.is_open() { open } else { closed }).copied().collect();
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
    let mut rows = danvan_app::cases::queries::list_public_cases(&state.app, filter).await?;
    for c in rows.iter_mut().filter(|c| c.status == "paused") {
        let d = danvan_app::cases::due_of_case(&state.app, c.id).await?;
        (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
    }
    Ok(rows)
}

pub(super) async fn one_request(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
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
pub(super) async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((t, fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    match danvan_app::cases::queries::public_case(&state.app, t).await {
        Ok(Some(c)) => respond(
            StatusCode::OK,
            fmt,
            "service_requests",
            Node::List("request", vec![Node::Obj(vec![("service_request_id", Node::s(&c.code)), ("token", Node::s(&c.code))])]),
        ),
        Ok(_) => error(fmt, 404, "token not found"),
        Err(e) => internal(fmt, e.into()),
    }
}
