//! The officer inbox's bulk work and exports, and the units' response templates: assign the
//! selected cases, download the filtered list as XLSX, manage templates.

use super::inbox_page::{inbox_query, InboxQuery};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{Form, Opt, Page};
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use danvan_app::cases::queries::{CaseRow, CaseSort};
use danvan_app::cases::templates::ResponseTemplate;
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::cases::inbox::{bulk_selection, BulkOutcome};
use danvan_domain::Action;
use danvan_reports::{CaseListHeaders, CaseListRow, MAX_ROWS};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .post("/inbox/assign", bulk_assign)
        .get("/inbox/export.xlsx", export_xlsx)
        .get("/templates", templates_index)
        .post("/templates", template_create)
        .get("/templates/new", template_new)
        .post("/templates/{id}", template_update)
        .get("/templates/{id}/edit", template_edit)
        .post("/templates/{id}/delete", template_delete)
}

// ---------------------------------------------------------------------------------------------
// Bulk assignment

pub struct BulkLine {
    pub code: String,
    pub case_id: i64,
    pub done: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "cases/inbox_bulk.html")]
struct BulkPage {
    p: Page,
    form: Form,
    summary: String,
    lines: Vec<BulkLine>,
}

pub(crate) fn bulk_lines(ctx: &Ctx, o: &BulkOutcome) -> Vec<BulkLine> {
    o.items
        .iter()
        .map(|i| BulkLine {
            code: i.code.clone(),
            case_id: i.case_id,
            done: i.refused.is_none(),
            message: ctx.t(i.refused.as_deref().unwrap_or("inbox.assigned")),
        })
        .collect()
}

async fn bulk_assign(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    ctx.require_account()?;
    let ids: Vec<String> = form.0.iter().filter(|(k, _)| k == "ids").map(|(_, v)| v.clone()).collect();
    let result = match bulk_selection(&ids) {
        Ok(ids) => danvan_app::cases::bulk_assign(&state.app, &ctx.caller, &ids, &form.get("assignee"), &form.get("note"))
            .await
            .map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(o) => {
            // Every case refused for want of rights: the request itself was not the actor's to make.
            if !o.items.is_empty() && o.items.iter().all(|i| i.refused.as_deref() == Some("error.forbidden")) {
                return Err(WebError::Forbidden);
            }
            let summary = crate::i18n::tf(
                ctx.lang,
                "inbox.bulk_summary",
                &[("done", &o.done_count().to_string()), ("refused", &o.refused_count().to_string())],
            );
            let page = BulkPage {
                p: Page::new(&ctx, &ctx.t("inbox.bulk_title")),
                form: Form::new(ctx.lang),
                summary,
                lines: bulk_lines(&ctx, &o),
            };
            let status = if o.nothing_done() { StatusCode::CONFLICT } else { StatusCode::OK };
            Ok(render_status(status, &page))
        }
        Err(WebError::Invalid(e)) => {
            let page = BulkPage {
                p: Page::new(&ctx, &ctx.t("inbox.bulk_title")),
                form: crate::pages::refill(&ctx, &form, &e, &[]),
                summary: String::new(),
                lines: vec![],
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Excel export

/// Cases are read in pages of this size (the store's largest).
const EXPORT_BATCH: i64 = 500;

async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let InboxQuery { mut filter, errors, .. } = inbox_query(&state, &ctx, &q, false).await?;
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    // A few exports at a time: each holds up to MAX_ROWS rows in memory and a blocking thread.
    let Ok(permit) = state.exports.clone().try_acquire_owned() else {
        // Slots free as exports finish (seconds): no longer wait promised than that.
        let mut r = WebError::TooMany("inbox.error.export_busy").into_response();
        crate::error::retry_after(&mut r);
        return Ok(r);
    };
    // Paged by id, the key that never changes, so a case whose due date or status moves during
    // the read is neither repeated nor skipped, and each page is an index range (no OFFSET scan);
    // the rows are then put in the inbox's order.
    let sort = filter.sort;
    filter.sort = CaseSort::Id;
    filter.skip_total = true;
    filter.limit = EXPORT_BATCH;
    filter.offset = 0;
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
    // Due dates as of today (a paused case's has moved with its pause), then the inbox's order.
    let dues = danvan_app::cases::dues_as_of(&state.app, &cases).await?;
    for c in cases.iter_mut() {
        if let Some(d) = dues.get(&c.id) {
            (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
        }
    }
    match sort {
        // As the store sorts: undated last, then by due date, then by id.
        CaseSort::DueDate => cases.sort_by_key(|c| {
            let due = c.resolve_due.or(c.accept_due);
            (due.is_none(), due, c.id)
        }),
        CaseSort::Newest => cases.sort_by_key(|c| std::cmp::Reverse((c.received_at, c.id))),
        CaseSort::Id => {}
    }

    // The sender is shown only where the case page would show them (never a denouncer, except
    // to the officer handling the denunciation).
    let visible: Vec<i64> = cases
        .iter()
        .filter(|c| danvan_app::cases::authorize_case(&ctx.caller, c, Action::ViewContacts).is_ok())
        .map(|c| c.id)
        .collect();
    let contacts = danvan_app::cases::queries::case_contacts(&state.app, &visible).await?;
    let cats: HashMap<i64, String> =
        danvan_app::cases::categories::categories(&state.app, true).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut unit_ids: Vec<i64> = cases.iter().map(|c| c.unit_id).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units: HashMap<i64, String> =
        danvan_app::org::queries::get_units(&state.app, &unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let rows_with_contacts =
        cases.iter().filter(|c| contacts.get(&c.id).is_some_and(|ct| ct.name.is_some() || ct.phone.is_some())).count() as i64;
    // Who took senders' names and phones out of the system, and which list: audited.
    let filters: std::collections::BTreeMap<&String, &String> =
        q.iter().filter(|(k, v)| !v.is_empty() && super::inbox_page::INBOX_KEYS.contains(&k.as_str())).collect();
    let changes = danvan_app::audit::Changes::new()
        .field("filters", None, Some(serde_json::to_string(&filters).unwrap_or_default()))
        .field("rows", None, Some(cases.len() as i64))
        .field("rows_with_contacts", None, Some(rows_with_contacts));
    danvan_app::audit::record_event(&state.app, &ctx.caller, "inbox.export", "cases", None, "export.xlsx", changes).await?;
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let answers = danvan_app::cases::queries::sent_answers(&state.app, &ids).await?;
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    let today = danvan_app::cases::today();
    let (on_time, late, in_time) =
        (ctx.t("inbox.export.on_time_yes"), ctx.t("inbox.export.on_time_late"), ctx.t("inbox.export.on_time_open"));
    let rows: Vec<CaseListRow> = cases
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
                category: c.category_id.and_then(|id| cats.get(&id)).cloned().unwrap_or_default(),
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
    let headers = CaseListHeaders {
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
    };
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
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// Response templates

#[derive(Template)]
#[template(path = "cases/templates_index.html")]
struct TemplatesPage {
    p: Page,
    templates: Vec<ResponseTemplate>,
}

async fn templates_index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let templates = danvan_app::cases::templates::managed_templates(&state.app, &ctx.caller).await?;
    Ok(render(&TemplatesPage { p: Page::new(&ctx, &ctx.t("template.index_title")), templates }))
}

#[derive(Template)]
#[template(path = "cases/template_form.html")]
struct TemplateFormPage {
    p: Page,
    form: Form,
    action: String,
    categories: Vec<Opt>,
    /// The units whose templates the official manages.
    units: Vec<Opt>,
    delete_id: Option<i64>,
    placeholders: String,
}

async fn template_form(
    state: &AppState,
    ctx: &Ctx,
    form: Form,
    action: String,
    delete_id: Option<i64>,
) -> Result<TemplateFormPage, WebError> {
    let mut categories = vec![Opt { value: String::new(), label: ctx.t("template.all_categories") }];
    categories.extend(
        danvan_app::cases::categories::categories(&state.app, false)
            .await?
            .into_iter()
            .map(|c| Opt { value: c.code, label: format!("{} — {}", c.group_name, c.name) }),
    );
    let title = if delete_id.is_some() { "template.edit_title" } else { "template.new_title" };
    Ok(TemplateFormPage {
        p: Page::new(ctx, &ctx.t(title)),
        form,
        action,
        categories,
        units: ctx
            .caller
            .units_where(Action::ManageTemplates)
            .map(|m| Opt { value: m.unit_code.clone(), label: m.unit_name.clone() })
            .collect(),
        delete_id,
        placeholders: danvan_domain::cases::inbox::PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" "),
    })
}

async fn template_new(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::cases::templates::managed_paths(&ctx.caller)?;
    let unit = ctx.caller.units_where(Action::ManageTemplates).next().map(|m| m.unit_code.clone()).unwrap_or_default();
    let form = Form::new(ctx.lang).set("unit_code", unit);
    Ok(render(&template_form(&state, &ctx, form, "/templates".into(), None).await?))
}

async fn template_create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::cases::templates::create_template(&state.app, &ctx.caller, &|k| form.get(k)).await.map_err(WebError::from) {
        Ok(_) => Ok(crate::pages::redirect_with(&ctx, "/templates", "template.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = template_form(&state, &ctx, crate::pages::refill(&ctx, &form, &e, &[]), "/templates".into(), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn template_edit(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let t = danvan_app::cases::templates::managed_template(&state.app, &ctx.caller, id).await?;
    let category = match t.category_id {
        Some(c) => danvan_app::cases::categories::category(&state.app, c).await?.code,
        None => String::new(),
    };
    let form =
        Form::new(ctx.lang).set("unit_code", &t.unit_code).set("category", category).set("title", &t.title).set("body", &t.body);
    Ok(render(&template_form(&state, &ctx, form, format!("/templates/{id}"), Some(id)).await?))
}

async fn template_update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let saved = danvan_app::cases::templates::update_template(&state.app, &ctx.caller, id, &|k| form.get(k)).await;
    match saved.map_err(WebError::from) {
        Ok(()) => Ok(crate::pages::redirect_with(&ctx, "/templates", "template.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            let page = template_form(&state, &ctx, f, format!("/templates/{id}"), Some(id)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn template_delete(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    danvan_app::cases::templates::delete_template(&state.app, &ctx.caller, id).await?;
    Ok(crate::pages::redirect_with(&ctx, "/templates", "template.deleted", &[]))
}
