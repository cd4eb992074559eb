//! Cases in the JSON API: creation with an idempotency key (a retried request never creates
//! two cases), the inbox, one case with its history, and actions through the state machine.

use crate::api::{paging, ApiJson, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use danvan_app::cases::queries::{CaseEvent, CaseFilter, CaseRow, CaseSort};
use danvan_app::cases::{ActRequest, Submission};
use danvan_domain::cases::{CaseInput, CaseStatus, Channel};
use danvan_domain::{Action, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

type ApiResult<T> = Result<T, WebError>;

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CaseIn {
    /// feedback, petition, complaint or denunciation
    pub kind: String,
    /// Category code (also the Open311 service code), e.g. thoat-nuoc
    pub category: String,
    pub title: String,
    pub description: String,
    /// Unit code of the ward, commune or residential group the case is about
    pub place: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: String,
    pub sender_address: String,
    pub publish: bool,
    /// hotline, walk_in, letter, meeting (officers recording on a citizen's behalf); default web
    pub channel: String,
    /// YYYY-MM-DD; default today
    pub received_on: String,
    /// The category's extra information (its Open311 attributes, listed in its service
    /// definition), by attribute code; a list even for one value. Checked against the category.
    pub attributes: std::collections::BTreeMap<String, Vec<String>>,
    /// For a denunciation (required): the code of the unit it concerns
    pub concerned_unit: String,
    /// For a denunciation (required): the person it concerns
    pub concerned_name: String,
    /// For a denunciation: the username of the person concerned, when an official
    pub concerned_account: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseOut {
    pub id: i64,
    /// Tracking code, e.g. PA-2026-000123
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub category_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub unit_id: i64,
    pub place_unit_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub publish: bool,
    /// When the case was recorded in danvan
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// The date the case was received (a letter's arrival, a walk-in's visit), which the time
    /// limits count from; earlier than `received_at` when it was recorded later
    pub received_on: chrono::NaiveDate,
    /// Accept by, as of today
    pub accept_due: Option<chrono::NaiveDate>,
    /// Resolve by, as of today: while the case is paused it moves with every day it waits
    pub resolve_due: Option<chrono::NaiveDate>,
    pub rating: Option<i64>,
    /// The sender's identity is protected (the case is or once was a denunciation): only the
    /// assigned officer sees the contact
    pub identity_protected: bool,
}

/// Cases as the API shows them: due dates as of today (a paused case's moved by its pause).
async fn cases_out(state: &AppState, rows: Vec<CaseRow>) -> ApiResult<Vec<CaseOut>> {
    let mut dues = danvan_app::cases::dues_as_of(&state.app, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|mut c| {
            if let Some(d) = dues.remove(&c.id) {
                (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
            }
            c.into()
        })
        .collect())
}

async fn case_out(state: &AppState, c: CaseRow) -> ApiResult<CaseOut> {
    cases_out(state, vec![c]).await?.pop().ok_or(WebError::NotFound)
}

impl From<CaseRow> for CaseOut {
    fn from(c: CaseRow) -> Self {
        CaseOut {
            id: c.id,
            code: c.code,
            kind: c.kind.as_str().into(),
            channel: c.channel.as_str().into(),
            status: c.status.as_str().into(),
            category_id: c.category_id,
            title: c.title,
            description: c.description,
            address: c.address,
            latitude: c.latitude,
            longitude: c.longitude,
            unit_id: c.unit_id,
            place_unit_id: c.place_unit_id,
            assignee_id: c.assignee_id,
            publish: c.publish,
            received_at: c.received_at,
            received_on: c.received_on,
            accept_due: c.accept_due,
            resolve_due: c.resolve_due,
            rating: c.rating,
            identity_protected: c.identity_protected,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CaseCreated {
    pub case: CaseOut,
    /// The citizen's private tracking link (shown once; absent when the request was a retry).
    pub tracking_link: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactOut {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: String,
    pub public: bool,
}

impl From<CaseEvent> for EventOut {
    fn from(e: CaseEvent) -> Self {
        EventOut {
            at: e.at,
            actor: e.actor_label,
            action: e.action,
            from_status: e.from_status.map(|s| s.as_str().into()),
            to_status: e.to_status.map(|s| s.as_str().into()),
            note: e.note,
            public: e.public,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetail {
    pub case: CaseOut,
    /// Only for those allowed to see the sender (never the denouncer, except the handling officer).
    pub contact: Option<ContactOut>,
    pub events: Vec<EventOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<CaseOut>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Unit code: cases handled within its subtree (default: the caller's first unit)
    pub unit: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    /// soon or overdue
    pub due: Option<String>,
    /// Diacritic-insensitive words (the first 20 words and 200 characters are searched; the
    /// rest is ignored)
    pub q: Option<String>,
    /// `supported`: the cases the unit's subtree supports (đơn vị phối hợp) instead of those it
    /// leads. The Front's representatives may list these only.
    pub scope: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ActionIn {
    /// accept, reject, assign, start, pause, resume, draft_answer, return_draft, approve_answer,
    /// send_answer, close, reopen, extend, withdraw, transfer_out, transfer, reclassify
    pub action: String,
    pub note: String,
    /// For reject: outside_competence, duplicate, insufficient_information, spam
    pub reason: String,
    /// For assign: a username (default the caller)
    pub assignee: String,
    /// For transfer: the receiving unit's code
    pub unit_code: String,
    /// For reclassify: the new kind. Leaving a denunciation needs a `note` (the reason)
    pub kind: String,
    pub complex: bool,
    /// For draft_answer
    pub answer: String,
    /// For reclassify to a denunciation (required): the code of the unit it concerns
    pub concerned_unit: String,
    /// For reclassify to a denunciation (required): the person it concerns
    pub concerned_name: String,
    /// For reclassify to a denunciation: the person's username, when an official
    pub concerned_account: String,
}

#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CaseIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retried request with the same key returns the case already created")),
    responses((status = 201, body = CaseCreated), (status = 200, body = CaseCreated, description = "Retry of an earlier request"), (status = 400, body = Problem, description = "Idempotency-Key over 200 characters or not printable ASCII"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_case(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CaseIn>,
) -> ApiResult<Response> {
    let me = ctx.require_account()?.clone();
    let mut errors = FieldErrors::new();
    let place = match danvan_app::org::queries::get_unit_by_code(&state.app, &body.place).await? {
        Some(u) => Some(u),
        None => {
            errors.add("place", if body.place.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
            None
        }
    };
    if let Some(p) = &place {
        danvan_app::cases::authorize_intake(&state.app, &ctx.caller, p).await?;
    }
    let channel = match body.channel.trim() {
        "" => Channel::Web,
        c => Channel::parse(c)
            .filter(|c| !matches!(c, Channel::Import | Channel::Open311))
            .ok_or_else(|| WebError::Invalid(FieldErrors::one("channel", "error.invalid")))?,
    };
    // Its range (1945 to today) is the use case's to check, as for every way in.
    let received_on = match body.received_on.trim() {
        "" => None,
        d => Some(crate::html::parse_date(d).ok_or_else(|| WebError::Invalid(FieldErrors::one("received_on", "error.date")))?),
    };
    let notes = check_attributes(&state, &body.category, &body.attributes, &mut errors).await?;
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    let key = danvan_app::input::idempotency_key(headers.get("idempotency-key").map(|v| v.as_bytes()))?;
    let input = CaseInput {
        kind: body.kind,
        category: body.category.clone(),
        title: body.title,
        description: body.description,
        address: body.address,
        latitude: body.latitude,
        longitude: body.longitude,
        sender_name: body.sender_name,
        sender_phone: body.sender_phone,
        sender_email: body.sender_email,
        sender_address: body.sender_address,
        publish: body.publish,
    };
    let submission = Submission {
        notify_zalo: false,
        input,
        category_code: body.category,
        place_unit_id: place.map(|p| p.id),
        channel,
        received_on,
        idempotency_key: key.map(|k| format!("api-{}-{k}", me.id)),
        source: None,
        unit_override: None,
        notes,
        actor_label: None,
        concern: danvan_domain::cases::denunciation::ConcernInput {
            unit: body.concerned_unit,
            name: body.concerned_name,
            account: body.concerned_account,
        },
    };
    let (c, secret) = danvan_app::cases::submit(&state.app, &ctx.caller, submission).await?;
    let status = if secret.is_some() { StatusCode::CREATED } else { StatusCode::OK };
    let link = secret.map(|s| format!("/track/{}?s={s}", c.code));
    Ok((status, Json(CaseCreated { case: case_out(&state, c).await?, tracking_link: link })).into_response())
}

/// More values than any list attribute offers (see the category's definitions).
const MAX_ATTRIBUTE_VALUES: usize = 50;

/// The category's extra values, checked against its definitions (errors under
/// `attributes.{code}`); returns the note that records them with the case. An unknown or
/// inactive category is reported by the intake itself.
async fn check_attributes(
    state: &AppState,
    category: &str,
    given: &std::collections::BTreeMap<String, Vec<String>>,
    errors: &mut FieldErrors,
) -> ApiResult<Vec<String>> {
    let Some(cat) = danvan_app::cases::categories::category_by_code(&state.app, category.trim()).await?.filter(|c| c.active)
    else {
        return Ok(vec![]);
    };
    let defs = cat.attribute_defs();
    // A value given twice counts once; a list longer than any category's is refused.
    let given: std::collections::BTreeMap<&String, Vec<String>> = given
        .iter()
        .map(|(k, vals)| {
            let mut seen = std::collections::HashSet::new();
            (k, vals.iter().filter(|v| seen.insert(v.trim().to_string())).cloned().collect())
        })
        .collect();
    for (code, vals) in &given {
        if vals.len() > MAX_ATTRIBUTE_VALUES && defs.iter().any(|d| &d.code == *code) {
            errors.add(&format!("attributes.{code}"), "error.invalid");
        }
    }
    for code in given.keys().filter(|k| !defs.iter().any(|d| &d.code == **k)).take(20) {
        // The code is the client's text: bounded before it becomes a field name.
        errors.add(&format!("attributes.{}", code.chars().take(64).collect::<String>()), "error.invalid");
    }
    let values_of = |code: &str| given.iter().find(|(k, _)| k.as_str() == code).map(|(_, v)| v.clone()).unwrap_or_default();
    match danvan_domain::cases::category::check_values(&defs, &values_of) {
        Ok(values) if values.is_empty() => Ok(vec![]),
        Ok(values) => Ok(vec![danvan_app::cases::attributes_note(&values)]),
        Err(problems) => {
            for e in problems {
                errors.add(&format!("attributes.{}", e.code), e.key());
            }
            Ok(vec![])
        }
    }
}

#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseQuery), responses((status = 200, body = CaseList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_cases(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<CaseQuery>,
) -> ApiResult<Json<CaseList>> {
    let asked_supported = match q.scope.as_deref().map(str::trim).unwrap_or("") {
        "" => false,
        "supported" => true,
        _ => return Err(WebError::Invalid(FieldErrors::one("scope", "error.invalid"))),
    };
    let scope = danvan_app::cases::inbox_scope(&state.app, &ctx.caller, q.unit.as_deref(), asked_supported).await?;
    let (within, supported) = (scope.within, scope.supported);
    let (page, per_page) = paging(q.page, q.per_page);
    let today = danvan_app::cases::today();
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        CaseStatus::parse(s).ok_or_else(|| WebError::Invalid(FieldErrors::one("status", "error.invalid")))?;
    }
    if let Some(k) = q.kind.as_deref().filter(|s| !s.is_empty()) {
        danvan_domain::cases::CaseKind::parse(k).ok_or_else(|| WebError::Invalid(FieldErrors::one("kind", "error.invalid")))?;
    }
    let (lead, support) = match within.map(|u| u.id) {
        Some(id) if supported => (None, Some(id)),
        w => (w, None),
    };
    let filter = CaseFilter {
        within: lead,
        supported_within: support,
        statuses: q.status.as_deref().and_then(CaseStatus::parse).into_iter().collect(),
        kind: q.kind.as_deref().and_then(danvan_domain::cases::CaseKind::parse),
        due_by: (q.due.as_deref() == Some("soon"))
            .then(|| cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today)),
        overdue_as_of: (q.due.as_deref() == Some("overdue")).then_some(today),
        q: q.q.unwrap_or_default(),
        sort: CaseSort::DueDate,
        limit: per_page,
        offset: (page - 1) * per_page,
        ..Default::default()
    };
    let (rows, total) = danvan_app::cases::queries::list_cases(&state.app, &ctx.caller, &filter).await?;
    Ok(Json(CaseList { items: cases_out(&state, rows).await?, total, page, per_page }))
}

/// The case, or 404 alike for an unknown code and a case the caller may not see.
async fn by_code(state: &AppState, ctx: &Ctx, code: &str) -> ApiResult<CaseRow> {
    Ok(danvan_app::cases::queries::visible_case_by_code(&state.app, &ctx.caller, code).await?)
}

#[utoipa::path(get, path = "/cases/{code}", tag = "cases", params(("code" = String, Path)), responses((status = 200, body = CaseDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_case(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
) -> ApiResult<Json<CaseDetail>> {
    let c = by_code(&state, &ctx, &code).await?;
    let internal =
        danvan_app::cases::authorize_case_file(&state.app, &ctx.caller, &c, Action::View).await.map_err(WebError::from).is_ok();
    if !internal {
        danvan_app::cases::authorize_case(&ctx.caller, &c, Action::View)?;
    }
    let contact = if danvan_app::cases::authorize_case(&ctx.caller, &c, Action::ViewContacts).is_ok() {
        let ct = danvan_app::cases::queries::case_contact(&state.app, c.id).await?;
        Some(ContactOut { name: ct.name, phone: ct.phone, email: ct.email, address: ct.address })
    } else {
        None
    };
    // The public sees what happened, not who did it or the notes.
    let events = danvan_app::cases::queries::case_events(&state.app, c.id, !internal)
        .await?
        .into_iter()
        .map(|e| {
            let mut out = EventOut::from(e);
            if !internal {
                out.actor.clear();
                out.note.clear();
            }
            out
        })
        .collect();
    Ok(Json(CaseDetail { case: case_out(&state, c).await?, contact, events }))
}

#[utoipa::path(post, path = "/cases/{code}/actions", tag = "cases", params(("code" = String, Path)), request_body = ActionIn,
    responses((status = 200, body = CaseOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "Not allowed in the case's current state"), (status = 422, body = Problem)))]
pub async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    ApiJson(body): ApiJson<ActionIn>,
) -> ApiResult<Json<CaseOut>> {
    let c = by_code(&state, &ctx, &code).await?;
    let r = ActRequest {
        action: body.action,
        note: body.note,
        reason: body.reason,
        assignee: body.assignee,
        unit_code: body.unit_code,
        kind: body.kind,
        complex: body.complex,
        answer: body.answer,
        concern: danvan_domain::cases::denunciation::ConcernInput {
            unit: body.concerned_unit,
            name: body.concerned_name,
            account: body.concerned_account,
        },
    };
    let updated = danvan_app::cases::act(&state.app, &ctx.caller, c.id, &r).await?;
    Ok(Json(case_out(&state, updated).await?))
}
