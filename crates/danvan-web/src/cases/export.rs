//! The inbox's list exported with its current filters: as XLSX (`/inbox/export.xlsx`, sorted as
//! the inbox, at most `MAX_ROWS` rows held to sort them) and as CSV (`/inbox/export.csv`, in the
//! order cases were recorded, streamed page by page: a list of a million cases never sits in
//! memory). Both show the sender only where the case page would, and are audited.

use super::inbox_page::{inbox_query, InboxQuery};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::routes::Routes;
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_app::cases::queries::{CaseFilter, CaseRow, CaseSort};
use danvan_domain::calendar::{vietnam_offset, WorkCalendar};
use danvan_domain::Action;
use danvan_reports::{CaseListHeaders, CaseListRow, MAX_ROWS};
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Routes {
    Routes::new().get("/inbox/export.xlsx", export_xlsx).get("/inbox/export.csv", export_csv)
}

/// Cases are read in pages of this size (the store's largest).
const EXPORT_BATCH: i64 = 500;

fn headers(ctx: &Ctx) -> CaseListHeaders {
    CaseListHeaders {
        code: ctx.t("inbox.export.code"),
        title: ctx.t("case.field.title"),
        description: ctx.t("case.field.description"),
        kind: ctx.t("case.field.kind"),
        channel: ctx.t("case.field.channel"),
        category: ctx.t("case.field.category"),
        address: ctx.t("case.field.address"),
        unit: ctx.t("case.field.unit"),
        status: ctx.t("common.status"),
        received_at: ctx.t("inbox.export.received_at"),
        due: ctx.t("case.due"),
        answered_on: ctx.t("inbox.export.answered_on"),
        on_time: ctx.t("inbox.export.on_time"),
        working_days: ctx.t("inbox.export.working_days"),
        answer: ctx.t("case.answer"),
        sender_name: ctx.t("inbox.export.sender_name"),
        sender_phone: ctx.t("inbox.export.sender_phone"),
    }
}

/// What every page of an export reads once: the categories' names and the working calendar.
struct Lookups {
    cats: HashMap<i64, String>,
    cal: Arc<WorkCalendar>,
    today: chrono::NaiveDate,
}

async fn lookups(state: &AppState) -> Result<Lookups, WebError> {
    let cats = danvan_app::cases::categories::categories(&state.app, true).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    Ok(Lookups { cats, cal, today: danvan_app::cases::today() })
}

/// The cases' due dates as of today (a paused case's has moved with its pause).
async fn with_dues(state: &AppState, mut cases: Vec<CaseRow>) -> Result<Vec<CaseRow>, WebError> {
    let dues = danvan_app::cases::dues_as_of(&state.app, &cases).await?;
    for c in cases.iter_mut() {
        if let Some(d) = dues.get(&c.id) {
            (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
        }
    }
    Ok(cases)
}

/// The lines of `cases`, with the sender only where the reader may see them (never a denouncer,
/// except to the officer handling the denunciation), and how many lines carry a sender.
async fn lines(state: &AppState, ctx: &Ctx, cases: Vec<CaseRow>, lk: &Lookups) -> Result<(Vec<CaseListRow>, i64), WebError> {
    let visible: Vec<i64> = cases
        .iter()
        .filter(|c| danvan_app::cases::authorize_case(&ctx.caller, c, Action::ViewContacts).is_ok())
        .map(|c| c.id)
        .collect();
    let contacts = danvan_app::cases::queries::case_contacts(&state.app, &visible).await?;
    let mut unit_ids: Vec<i64> = cases.iter().map(|c| c.unit_id).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units: HashMap<i64, String> =
        danvan_app::org::queries::get_units(&state.app, &unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let with_contacts =
        cases.iter().filter(|c| contacts.get(&c.id).is_some_and(|ct| ct.name.is_some() || ct.phone.is_some())).count() as i64;
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let answers = danvan_app::cases::queries::sent_answers(&state.app, &ids).await?;
    let (cal, today) = (&lk.cal, lk.today);
    let (on_time, late, in_time) =
        (ctx.t("inbox.export.on_time_yes"), ctx.t("inbox.export.on_time_late"), ctx.t("inbox.export.on_time_open"));
    let rows = cases
        .into_iter()
        .map(|c| {
            let contact = contacts.get(&c.id);
            let due = c.resolve_due.or(c.accept_due);
            let answered_on = c.answered_at.map(|a| a.with_timezone(&vietnam_offset()).date_naive());
            let standing = match (due, answered_on) {
                (Some(d), Some(a)) => {
                    if a <= d {
                        on_time.clone()
                    } else {
                        late.clone()
                    }
                }
                (Some(d), None) if c.status.is_open() => {
                    if today <= d {
                        in_time.clone()
                    } else {
                        late.clone()
                    }
                }
                _ => String::new(),
            };
            let answer = answers
                .get(&c.id)
                .map(|(body, no)| match no {
                    Some(no) => format!("{} {no}\n{body}", ctx.t("case.register_no")),
                    None => body.clone(),
                })
                .unwrap_or_default();
            let working_days = match answered_on {
                Some(a) => Some(cal.working_days_between(c.received_on, a)),
                None if c.status.is_open() => Some(cal.working_days_between(c.received_on, today)),
                None => None,
            };
            CaseListRow {
                title: c.title.clone(),
                description: c.description.clone(),
                answered_on,
                on_time: standing,
                working_days,
                answer,
                kind: ctx.t(crate::labels::case_kind(c.kind)),
                channel: ctx.t(crate::labels::channel(c.channel)),
                category: c.category_id.and_then(|id| lk.cats.get(&id)).cloned().unwrap_or_default(),
                address: c.address.clone(),
                unit: units.get(&c.unit_id).cloned().unwrap_or_default(),
                status: ctx.t(crate::labels::case_status(c.status)),
                received_at: c.received_at.with_timezone(&vietnam_offset()).naive_local(),
                due,
                sender_name: contact.and_then(|ct| ct.name.clone()),
                sender_phone: contact.and_then(|ct| ct.phone.clone()),
                code: c.code,
            }
        })
        .collect();
    Ok((rows, with_contacts))
}

/// Who took senders' names and phones out of the system, and which list: audited.
async fn audit(
    state: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    file: &str,
    rows: Option<i64>,
    with_contacts: Option<i64>,
) -> Result<(), WebError> {
    let filters: std::collections::BTreeMap<&String, &String> =
        q.iter().filter(|(k, v)| !v.is_empty() && super::inbox_page::INBOX_KEYS.contains(&k.as_str())).collect();
    let changes = danvan_app::audit::Changes::new()
        .field("filters", None, Some(serde_json::to_string(&filters).unwrap_or_default()))
        .field("rows", None, rows)
        .field("rows_with_contacts", None, with_contacts);
    danvan_app::audit::record_event(&state.app, &ctx.caller, "inbox.export", "cases", None, file, changes).await?;
    Ok(())
}

fn busy() -> Response {
    // Slots free as exports finish (seconds): no longer wait promised than that.
    let mut r = WebError::TooMany("inbox.error.export_busy").into_response();
    crate::error::retry_after(&mut r);
    r
}

fn attachment(r: &mut Response, content_type: &'static str, name: &str) {
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// An export's filter, read by pages of ids, with the inbox's order it asked for, and its slot;
/// or the answer when every slot is taken.
async fn begin(
    state: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
) -> Result<Result<(CaseFilter, CaseSort, tokio::sync::OwnedSemaphorePermit), Response>, WebError> {
    let InboxQuery { mut filter, errors, .. } = inbox_query(state, ctx, q, false).await?;
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    // A few exports at a time: each holds a slot until its last row is written.
    let Ok(permit) = state.exports.clone().try_acquire_owned() else {
        return Ok(Err(busy()));
    };
    // Paged by id, the key that never changes, so a case whose due date or status moves during
    // the read is neither repeated nor skipped, and each page is an index range (no OFFSET scan).
    let sort = filter.sort;
    filter.sort = CaseSort::Id;
    filter.skip_total = true;
    filter.limit = EXPORT_BATCH;
    filter.offset = 0;
    filter.after_id = None;
    Ok(Ok((filter, sort, permit)))
}

async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (mut filter, sort, permit) = match begin(&state, &ctx, &q).await? {
        Ok(started) => started,
        Err(busy) => return Ok(busy),
    };
    // Every page read, then put in the inbox's order.
    let mut cases: Vec<CaseRow> = vec![];
    loop {
        let (batch, _) = danvan_app::cases::queries::list_cases(&state.app, &ctx.caller, &filter).await?;
        let n = batch.len() as i64;
        filter.after_id = batch.last().map(|c| c.id);
        cases.extend(batch);
        // One row past the cap tells that the list was cut.
        if n < EXPORT_BATCH || cases.len() > MAX_ROWS {
            break;
        }
    }
    let truncated = cases.len() > MAX_ROWS;
    cases.truncate(MAX_ROWS);
    let mut cases = with_dues(&state, cases).await?;
    match sort {
        // As the store sorts: undated last, then by due date, then by id.
        CaseSort::DueDate => cases.sort_by_key(|c| {
            let due = c.resolve_due.or(c.accept_due);
            (due.is_none(), due, c.id)
        }),
        CaseSort::Newest => cases.sort_by_key(|c| std::cmp::Reverse((c.received_at, c.id))),
        CaseSort::Id => {}
    }
    let lk = lookups(&state).await?;
    let n = cases.len() as i64;
    let (rows, with_contacts) = lines(&state, &ctx, cases, &lk).await?;
    audit(&state, &ctx, &q, "export.xlsx", Some(n), Some(with_contacts)).await?;
    let headers = headers(&ctx);
    let note = truncated
        .then(|| crate::i18n::tf(ctx.lang, "inbox.export.truncated", &[("n", &crate::i18n::number(ctx.lang, MAX_ROWS as i64))]));
    let sheet = ctx.t("case.inbox_title");
    // Writing a large workbook is CPU work: keep it off the async workers. The thread keeps the
    // export's slot: it runs to its end even when the request is dropped (timed out, overload.rs).
    let bytes = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        danvan_reports::case_list_xlsx(&sheet, &headers, &rows, note.as_deref())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("{}-{}.xlsx", ctx.t("inbox.export.file"), danvan_app::cases::today().format("%Y%m%d"));
    let mut r = bytes.into_response();
    attachment(&mut r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name);
    Ok(r)
}

/// A cell as a spreadsheet reads it literally: text beginning like a formula is quoted (CSV
/// injection: "=HYPERLINK(…)" typed by a citizen must not run on an officer's machine).
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn record(r: &CaseListRow) -> Vec<String> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    vec![
        cell(&r.code),
        cell(&r.title),
        cell(&r.kind),
        cell(&r.channel),
        cell(&r.category),
        cell(&r.unit),
        cell(&r.status),
        r.received_at.format("%Y-%m-%d %H:%M").to_string(),
        date(r.due),
        date(r.answered_on),
        cell(&r.on_time),
        r.working_days.map(|d| d.to_string()).unwrap_or_default(),
        cell(r.sender_name.as_deref().unwrap_or("")),
        cell(r.sender_phone.as_deref().unwrap_or("")),
        cell(&r.address),
        cell(&r.description),
        cell(&r.answer),
    ]
}

fn csv_bytes(records: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, WebError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records {
        w.write_record(&r).map_err(|e| WebError::Internal(e.to_string()))?;
    }
    w.into_inner().map_err(|e| WebError::Internal(e.to_string()))
}

/// One page of the CSV export being streamed.
struct Page {
    state: AppState,
    ctx: Ctx,
    filter: CaseFilter,
    lk: Lookups,
    done: bool,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

async fn next_page(mut p: Page) -> Option<(Result<Vec<u8>, std::io::Error>, Page)> {
    if p.done {
        return None;
    }
    let read = async {
        let (batch, _) = danvan_app::cases::queries::list_cases(&p.state.app, &p.ctx.caller, &p.filter).await?;
        p.done = (batch.len() as i64) < EXPORT_BATCH;
        p.filter.after_id = batch.last().map(|c| c.id);
        let batch = with_dues(&p.state, batch).await?;
        let (rows, _) = lines(&p.state, &p.ctx, batch, &p.lk).await?;
        csv_bytes(rows.iter().map(record))
    };
    match read.await {
        Ok(bytes) => Some((Ok(bytes), p)),
        Err(e) => {
            // The response has begun: the client sees a cut file, the log says why.
            tracing::error!(error = ?e, "inbox CSV export failed");
            p.done = true;
            Some((Err(std::io::Error::other("export failed")), p))
        }
    }
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    // In id order, page after page as the client reads.
    let (filter, _, permit) = match begin(&state, &ctx, &q).await? {
        Ok(started) => started,
        Err(busy) => return Ok(busy),
    };
    audit(&state, &ctx, &q, "export.csv", None, None).await?;
    let h = headers(&ctx);
    let head = [
        h.code,
        h.title,
        h.kind,
        h.channel,
        h.category,
        h.unit,
        h.status,
        h.received_at,
        h.due,
        h.answered_on,
        h.on_time,
        h.working_days,
        h.sender_name,
        h.sender_phone,
        h.address,
        h.description,
        h.answer,
    ];
    // A byte-order mark first: spreadsheets then read the Vietnamese as UTF-8.
    let mut first = "\u{feff}".as_bytes().to_vec();
    first.extend(csv_bytes([head.to_vec()])?);
    let lk = lookups(&state).await?;
    let pages =
        futures_util::stream::unfold(Page { state, ctx: ctx.clone(), filter, lk, done: false, _permit: permit }, next_page);
    let body = futures_util::StreamExt::chain(futures_util::stream::iter([Ok::<_, std::io::Error>(first)]), pages);
    let mut r = Body::from_stream(body).into_response();
    let name = format!("{}-{}.csv", ctx.t("inbox.export.file"), danvan_app::cases::today().format("%Y%m%d"));
    attachment(&mut r, "text/csv; charset=utf-8", &name);
    Ok(r)
}
