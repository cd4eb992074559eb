//! Pages for answers sent to citizens, duplicates and merging, retention settings and the
//! resident's data request. The case, receipt and tracking pages include the parts built here.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{Form, Page};
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use danvan_app::cases::queries::{Answer, CaseRow, OutboxMessage};
use danvan_domain::cases::delivery::RetentionPolicy;
use danvan_domain::{Action, Resource};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .post("/cases/{id}/merge", merge)
        .get("/track/{code}/data", track_data)
        .get("/admin/settings/retention", retention_form)
        .post("/admin/settings/retention", retention_save)
}

/// A possible duplicate as listed to an officer.
pub struct DupLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub status: String,
    /// Similarity as a whole percentage (text similarity plus boosts, capped at 100).
    pub score: i64,
}

pub async fn duplicate_lines(state: &AppState, ctx: &Ctx, c: &CaseRow) -> Result<Vec<DupLine>, WebError> {
    Ok(danvan_app::cases::duplicates::suggest_duplicates(&state.app, &ctx.caller, c)
        .await?
        .into_iter()
        .map(|(o, s)| DupLine {
            id: o.id,
            status: ctx.t(crate::labels::case_status(o.status)),
            code: o.code,
            title: o.title,
            score: ((s * 100.0).round() as i64).min(100),
        })
        .collect())
}

/// What the officer's case page shows about delivery, duplicates and merging.
#[derive(Default)]
pub struct CaseExtras {
    pub messages: Vec<OutboxMessage>,
    /// Recipients are personal data: shown only to those who may see the contact.
    pub show_recipients: bool,
    pub duplicates: Vec<DupLine>,
    /// (id, code) of the case this one was merged into.
    pub merged_into: Option<(i64, String)>,
    /// (id, code) of the cases merged into this one.
    pub merged_from: Vec<(i64, String)>,
    pub can_merge: bool,
}

pub async fn case_extras(
    state: &AppState,
    ctx: &Ctx,
    c: &CaseRow,
    can_handle: bool,
    show_recipients: bool,
) -> Result<CaseExtras, WebError> {
    let merged_into = match c.merged_into {
        Some(id) => Some((id, danvan_app::cases::queries::get_case(&state.app, id).await?.code)),
        None => None,
    };
    let open = c.status.is_open();
    Ok(CaseExtras {
        messages: danvan_app::cases::queries::case_messages(&state.app, c.id).await?,
        show_recipients,
        duplicates: if open && c.merged_into.is_none() { duplicate_lines(state, ctx, c).await? } else { vec![] },
        merged_into,
        merged_from: danvan_app::cases::queries::merged_cases(&state.app, c.id)
            .await?
            .into_iter()
            .map(|m| (m.id, m.code))
            .collect(),
        can_merge: can_handle
            && open
            && c.merged_into.is_none()
            && c.status != "answer_approved"
            && danvan_domain::cases::delivery::merge_allowed(c.kind, danvan_domain::cases::CaseKind::Feedback)
            && !c.identity_protected,
    })
}

/// What a tracking page shows of the case its case was merged into: the code and, once sent, the
/// answer. Nothing about that case's sender.
#[derive(Default)]
pub struct TrackExtras {
    pub merged_code: Option<String>,
    pub merged_answer: Option<Answer>,
    /// The files of that answer (served to this page's link holder too).
    pub merged_files: Vec<danvan_app::cases::queries::Attachment>,
}

pub async fn track_extras(state: &AppState, c: &CaseRow) -> Result<TrackExtras, WebError> {
    let Some(a) = c.merged_into else { return Ok(TrackExtras::default()) };
    let a = danvan_app::cases::queries::get_case(&state.app, a).await?;
    let merged_answer = danvan_app::cases::queries::answer(&state.app, a.id).await?.filter(|x| x.sent_at.is_some());
    let merged_files = if merged_answer.is_some() {
        danvan_app::cases::queries::attachments(&state.app, a.id)
            .await?
            .into_iter()
            .filter(|f| f.purpose == danvan_domain::cases::attachment::Purpose::Answer)
            .collect()
    } else {
        vec![]
    };
    Ok(TrackExtras { merged_answer, merged_files, merged_code: Some(a.code) })
}

async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    match danvan_app::cases::duplicates::merge(&state.app, &ctx.caller, id, &form.get("into"), &form.get("note"))
        .await
        .map_err(WebError::from)
    {
        Ok(c) => Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{}", c.id), "merge.done", &[])),
        Err(WebError::Invalid(e)) => {
            let c = danvan_app::cases::queries::get_case(&state.app, id).await?;
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &super::case_page::case_page(&state, &ctx, c, f).await?))
        }
        Err(e) => Err(e),
    }
}

/// The resident's data request: the holder of the tracking link downloads what danvan holds
/// about them and their case, as JSON.
async fn track_data(
    State(state): State<AppState>,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let secret = q.get("s").cloned().unwrap_or_default();
    let c = danvan_app::cases::queries::case_by_secret(&state.app, &code, &secret).await?.ok_or(WebError::NotFound)?;
    let data = danvan_app::cases::retention::personal_data(&state.app, &c).await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| WebError::Internal(e.to_string()))?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.json\"", c.code)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "settings/admin_retention.html")]
struct RetentionPage {
    p: Page,
    form: Form,
    defaults: RetentionPolicy,
}

async fn retention_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    ctx.authorize(Action::Update, Resource::System)?;
    let p = danvan_app::cases::retention::retention_policy(&state.app).await?;
    let form = Form::new(ctx.lang).set("feedback_years", p.feedback_years).set("complaint_years", p.complaint_years);
    Ok(render(&RetentionPage { p: Page::new(&ctx, &ctx.t("retention.title")), form, defaults: RetentionPolicy::default() }))
}

async fn retention_save(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let saved =
        danvan_app::settings::save_retention(&state.app, &ctx.caller, &form.get("feedback_years"), &form.get("complaint_years"))
            .await;
    match saved.map_err(WebError::from) {
        Ok(()) => Ok(crate::pages::redirect_with(&ctx, "/admin/settings/retention", "retention.saved", &[])),
        Err(WebError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &RetentionPage {
                p: Page::new(&ctx, &ctx.t("retention.title")),
                form: crate::pages::refill(&ctx, &form, &e, &[]),
                defaults: RetentionPolicy::default(),
            },
        )),
        Err(e) => Err(e),
    }
}
