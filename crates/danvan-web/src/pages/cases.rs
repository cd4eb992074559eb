//! Citizens' cases: the public form, the private tracking page, the officer inbox and case page,
//! officer intake with a printable receipt, and the public list.

use super::{render, render_status, FormData};
use crate::case_ops::{self, ActRequest, Submission};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, urlencode, Form, Opt, Page};
use crate::i18n;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use danvan_domain::calendar::DueStatus;
use danvan_domain::case::{CaseAction, CaseFacts, CaseInput, CaseKind, CaseStatus, Channel, DeadlinePolicy, RejectReason};
use danvan_domain::{Action, FieldErrors, Resource};
use danvan_store::cases::{Answer, CaseEvent, CaseFilter, CaseRow, CaseSort, Category, Contact};
use danvan_store::Unit;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/new", get(public_form).post(public_submit))
        .route("/track", get(track_find))
        .route("/track/{code}", get(track).post(track_act))
        .route("/inbox", get(inbox))
        .route("/cases/record", get(record_form).post(record_submit))
        .route("/cases/{id}", get(show))
        .route("/cases/{id}/act", post(act))
        .route("/cases/{id}/note", post(note))
        .route("/public/cases", get(public_list))
        .route("/public/cases/{code}", get(public_case))
}

/// A case as lists show it: with its category and unit names and its due status.
pub struct CaseLine {
    pub c: CaseRow,
    pub category: String,
    pub unit: String,
    pub due: Option<NaiveDate>,
    pub due_label: String,
    pub due_class: &'static str,
}

async fn names(state: &AppState) -> Result<(HashMap<i64, Category>, Vec<Category>), WebError> {
    let cats = state.store.categories(true).await?;
    Ok((cats.iter().map(|c| (c.id, c.clone())).collect(), cats))
}

async fn lines(state: &AppState, ctx: &Ctx, rows: Vec<CaseRow>) -> Result<Vec<CaseLine>, WebError> {
    let (cats, _) = names(state).await?;
    let cal = state.store.work_calendar().await?;
    let today = case_ops::today();
    let unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let units: HashMap<i64, String> = state.store.get_units(&unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let due = c.resolve_due.or(c.accept_due);
            let open = CaseStatus::parse(&c.status).is_some_and(|s| s.is_open());
            let (due_label, due_class) = match (due, open) {
                (Some(d), true) => {
                    let left = cal.working_days_between(today, d);
                    match cal.due_status(today, d, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS) {
                        DueStatus::Overdue => {
                            (i18n::tf(ctx.lang, "case.overdue_by", &[("n", &(-left).max(1).to_string())]), "badge-danger")
                        }
                        DueStatus::DueSoon => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-warn"),
                        DueStatus::OnTrack => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-ok"),
                    }
                }
                _ => (String::new(), "badge-muted"),
            };
            CaseLine {
                category: c.category_id.and_then(|id| cats.get(&id)).map(|c| c.name.clone()).unwrap_or_default(),
                unit: units.get(&c.unit_id).cloned().unwrap_or_default(),
                due,
                due_label,
                due_class,
                c,
            }
        })
        .collect())
}

fn kind_options(ctx: &Ctx, with_none: bool) -> Vec<Opt> {
    let mut v = vec![];
    if with_none {
        v.push(Opt { value: String::new(), label: ctx.t("field.none") });
    }
    v.extend(CaseKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(&format!("case.kind.{}", k.as_str())) }));
    v
}

fn category_options(ctx: &Ctx, cats: &[Category]) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    v.extend(
        cats.iter()
            .filter(|c| c.active)
            .map(|c| Opt { value: c.code.clone(), label: format!("{} — {}", c.group_name, c.name) }),
    );
    v
}

// ---------------------------------------------------------------------------------------------
// Public form

#[derive(Template)]
#[template(path = "case_form.html")]
struct CaseFormPage {
    p: Page,
    form: Form,
    officer: bool,
    action: String,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    provinces: Vec<Opt>,
    wards: Vec<Opt>,
    channels: Vec<Opt>,
    province: String,
    started: i64,
}

async fn province_options(state: &AppState, ctx: &Ctx) -> Result<Vec<Opt>, WebError> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("case.choose_province") }];
    v.extend(
        state
            .store
            .root_units()
            .await?
            .into_iter()
            .filter(|u| !u.dissolved())
            .map(|u| Opt { value: u.id.to_string(), label: u.name }),
    );
    Ok(v)
}

/// Wards, communes and special zones of a province (with their residential groups' parents).
async fn ward_options(state: &AppState, ctx: &Ctx, province: Option<i64>) -> Result<Vec<Opt>, WebError> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("case.choose_ward") }];
    if let Some(p) = province {
        for u in state.store.child_units(p, false).await? {
            if matches!(u.kind.as_str(), "ward" | "commune" | "special_zone") {
                v.push(Opt { value: u.id.to_string(), label: u.name });
            }
        }
    }
    Ok(v)
}

async fn case_form(
    state: &AppState,
    ctx: &Ctx,
    form: Form,
    officer: bool,
    province: Option<i64>,
) -> Result<CaseFormPage, WebError> {
    let (_, cats) = names(state).await?;
    let channels = Channel::ALL
        .iter()
        .filter(|c| !matches!(c, Channel::Web | Channel::Import | Channel::Open311))
        .map(|c| Opt { value: c.as_str().into(), label: ctx.t(&format!("case.channel.{}", c.as_str())) })
        .collect();
    Ok(CaseFormPage {
        p: Page::new(ctx, &ctx.t(if officer { "case.record_title" } else { "case.form_title" })),
        officer,
        action: if officer { "/cases/record".into() } else { "/cases/new".into() },
        kinds: kind_options(ctx, false),
        categories: category_options(ctx, &cats),
        provinces: province_options(state, ctx).await?,
        wards: ward_options(state, ctx, province).await?,
        channels,
        province: province.map(|p| p.to_string()).unwrap_or_default(),
        started: chrono::Utc::now().timestamp(),
        form,
    })
}

async fn default_province(state: &AppState) -> Option<i64> {
    // A deployment serves one province; the first province with wards filled in is the guess.
    let code = state.store.get_setting("default_province").await.ok().flatten().unwrap_or_else(|| "P01".into());
    state.store.get_unit_by_code(&code).await.ok().flatten().map(|u| u.id)
}

async fn public_form(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let province = match q.get("province").and_then(|p| p.parse().ok()) {
        Some(p) => Some(p),
        None => default_province(&state).await,
    };
    let form = Form::new(ctx.lang)
        .set("kind", "feedback")
        .set("publish", "on")
        .set("province", province.map(|p| p.to_string()).unwrap_or_default());
    Ok(render(&case_form(&state, &ctx, form, false, province).await?))
}

fn case_input(form: &FormData) -> (CaseInput, FieldErrors) {
    let mut e = FieldErrors::new();
    let num = |k: &str, e: &mut FieldErrors| -> Option<f64> {
        let v = form.get(k);
        if v.trim().is_empty() {
            return None;
        }
        match v.trim().replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                e.add(k, "error.number");
                None
            }
        }
    };
    let input = CaseInput {
        kind: form.get("kind"),
        category: form.get("category"),
        title: form.get("title"),
        description: form.get("description"),
        address: form.get("address"),
        latitude: num("latitude", &mut e),
        longitude: num("longitude", &mut e),
        sender_name: form.get("sender_name"),
        sender_phone: form.get("sender_phone"),
        sender_email: form.get("sender_email"),
        sender_address: form.get("sender_address"),
        publish: form.get("publish") == "on",
    };
    (input, e)
}

const MIN_FILL_SECONDS: i64 = 3;
const MAX_CASES_PER_IP_PER_HOUR: i64 = 20;

async fn public_submit(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    // Spam control: a hidden field people never fill, a minimum fill time, a rate per address.
    let started: i64 = form.get("started").parse().unwrap_or(0);
    if !form.get("website").is_empty() || chrono::Utc::now().timestamp() - started < MIN_FILL_SECONDS {
        return Err(WebError::BadRequest("case.error.too_fast"));
    }
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    if state.store.login_failures_since("case", &ctx.ip, since).await? >= MAX_CASES_PER_IP_PER_HOUR {
        return Err(WebError::TooMany("error.too_many"));
    }
    let (input, mut errors) = case_input(&form);
    let place = form.get("place").parse::<i64>().ok();
    let province = form.get("province").parse::<i64>().ok();
    let result = if errors.is_empty() {
        case_ops::submit(
            &state,
            &ctx,
            Submission {
                input,
                category_code: form.get("category"),
                place_unit_id: place,
                channel: Channel::Web,
                received_on: None,
                idempotency_key: None,
                source: None,
                unit_override: None,
            },
        )
        .await
    } else {
        Err(WebError::Invalid(std::mem::take(&mut errors)))
    };
    match result {
        Ok((c, Some(secret))) => {
            state.store.record_login_failure("case", &ctx.ip).await?;
            Ok(Redirect::to(&format!("/track/{}?s={secret}&new=1", c.code)).into_response())
        }
        Ok((c, None)) => Ok(Redirect::to(&format!("/public/cases/{}", c.code)).into_response()),
        Err(WebError::Invalid(e)) => {
            let page = case_form(&state, &ctx, super::refill(&ctx, &form, &e, &[]), false, province).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Tracking by the citizen

#[derive(Template)]
#[template(path = "case_track.html")]
struct TrackPage {
    p: Page,
    c: CaseRow,
    kind: String,
    status: String,
    unit: String,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    secret: String,
    link: String,
    is_new: bool,
    due_sentence: String,
    can_rate: bool,
    can_reopen: bool,
    can_withdraw: bool,
    form: Form,
}

#[derive(Template)]
#[template(path = "case_track_find.html")]
struct TrackFindPage {
    p: Page,
    form: Form,
}

async fn track_find(ctx: Ctx, QueryParams(q): QueryParams<HashMap<String, String>>) -> Result<Response, WebError> {
    if let (Some(code), Some(s)) = (q.get("code"), q.get("s")) {
        if !code.trim().is_empty() {
            return Ok(Redirect::to(&format!("/track/{}?s={}", urlencode(code.trim()), urlencode(s.trim()))).into_response());
        }
    }
    Ok(render(&TrackFindPage { p: Page::new(&ctx, &ctx.t("case.track_title")), form: Form::new(ctx.lang) }))
}

fn status_label(ctx: &Ctx, s: &str) -> String {
    ctx.t(&format!("case.status.{s}"))
}

async fn track_page(
    state: &AppState,
    ctx: &Ctx,
    c: CaseRow,
    secret: &str,
    is_new: bool,
    form: Form,
) -> Result<TrackPage, WebError> {
    let unit = state.store.get_unit(c.unit_id).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    let kind = CaseKind::parse(&c.kind).unwrap_or(CaseKind::Feedback);
    let status = CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Received);
    let policy = DeadlinePolicy::default_for(kind);
    let days_since = case_ops::days_since(c.answered_at);
    let facts = CaseFacts { kind, extensions_used: 0, days_since_answer: days_since };
    let allowed = |a: CaseAction| danvan_domain::case::transition(status, a, facts, &policy).is_ok();
    let due = c.resolve_due.or(c.accept_due);
    let due_sentence = match (due, status.is_open()) {
        (Some(d), true) => i18n::tf(
            ctx.lang,
            if c.resolve_due.is_some() { "case.due_sentence" } else { "case.accept_sentence" },
            &[("unit", &unit.name), ("date", &crate::html::date(ctx.lang, &d))],
        ),
        _ => String::new(),
    };
    Ok(TrackPage {
        p: Page::new(ctx, &format!("{} {}", ctx.t("case.track_title"), c.code)),
        kind: ctx.t(&format!("case.kind.{}", c.kind)),
        status: status_label(ctx, &c.status),
        unit: unit.name,
        events: state.store.case_events(c.id, true).await?,
        answer,
        link: format!("/track/{}?s={}", c.code, secret),
        secret: secret.to_string(),
        is_new,
        due_sentence,
        can_rate: matches!(status, CaseStatus::Answered | CaseStatus::Closed),
        can_reopen: allowed(CaseAction::Reopen),
        can_withdraw: allowed(CaseAction::Withdraw),
        form,
        c,
    })
}

async fn track(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let secret = q.get("s").cloned().unwrap_or_default();
    let c = state.store.case_by_secret(&code, &secret).await?.ok_or(WebError::NotFound)?;
    let mut r = render(&track_page(&state, &ctx, c, &secret, q.contains_key("new"), Form::new(ctx.lang)).await?);
    // The private link is a capability: keep it out of caches.
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn track_act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let secret = form.get("s");
    let c = state.store.case_by_secret(&code, &secret).await?.ok_or(WebError::NotFound)?;
    let rating = form.get("rating").parse::<i64>().ok();
    match case_ops::citizen_act(&state, &ctx, &c, &form.get("action"), &form.get("note"), rating).await {
        Ok(_) => Ok(super::redirect_with(&ctx, &format!("/track/{}?s={}", c.code, urlencode(&secret)), "case.thanks", &[])),
        Err(WebError::Invalid(e)) => {
            let page = track_page(&state, &ctx, c, &secret, false, super::refill(&ctx, &form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Officer inbox

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    p: Page,
    form: Form,
    lines: Vec<CaseLine>,
    total_label: String,
    pager: String,
    statuses: Vec<Opt>,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    channels: Vec<Opt>,
    counters: Vec<(String, String, i64)>,
}

/// The unit whose subtree an official works on: the one asked for (if theirs), else their first.
fn home_unit(ctx: &Ctx, state_unit: Option<&Unit>) -> Option<i64> {
    match state_unit {
        Some(u) => Some(u.id),
        None if ctx.is_admin() => None,
        None => ctx.memberships.iter().find(|m| matches!(m.role.as_str(), "leader" | "officer" | "viewer")).map(|m| m.unit_id),
    }
}

pub async fn counters(state: &AppState, ctx: &Ctx, within: Option<i64>) -> Result<Vec<(String, String, i64)>, WebError> {
    let today = case_ops::today();
    let cal = state.store.work_calendar().await?;
    let soon = cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today);
    let n = state.store.case_counters(within, soon, today).await?;
    let out = [
        ("case.counter.new", "status=received", n.received),
        ("case.counter.due_soon", "due=soon", n.due_soon),
        ("case.counter.overdue", "due=overdue", n.overdue),
        ("case.counter.waiting", "status=paused", n.paused),
        ("case.counter.to_approve", "status=answer_drafted", n.to_approve),
    ]
    .into_iter()
    .map(|(key, query, n)| (ctx.t(key), query.to_string(), n))
    .collect();
    Ok(out)
}

async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.require_account()?;
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let unit = match get("unit") {
        code if code.is_empty() => None,
        code => match state.store.get_unit_by_code(&code).await? {
            Some(u) => Some(u),
            None => {
                errors.add("unit", "error.unit_unknown");
                None
            }
        },
    };
    let within = home_unit(&ctx, unit.as_ref());
    match within {
        Some(w) => {
            let anc = state.store.get_unit(w).await?.ancestry();
            ctx.authorize(Action::Handle, Resource::Unit { ancestry: &anc }).or_else(|_| {
                // Viewers read the subtree's work too.
                if ctx.memberships.iter().any(|m| m.role == "viewer" && anc.contains(&m.unit_id)) {
                    Ok(())
                } else {
                    Err(WebError::Forbidden)
                }
            })?;
        }
        None => ctx.authorize(Action::Update, Resource::System)?,
    }
    let today = case_ops::today();
    let cal = state.store.work_calendar().await?;
    let date = |k: &str, errors: &mut FieldErrors| {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        let d = crate::html::parse_date(&v);
        if d.is_none() {
            errors.add(k, "error.date");
        }
        d
    };
    let page = crate::extract::page_number(get("page").parse().ok());
    let status = get("status");
    let filter = CaseFilter {
        within,
        statuses: if status.is_empty() { vec![] } else { vec![status.clone()] },
        kind: Some(get("kind")).filter(|s| !s.is_empty()),
        category_id: match get("category") {
            c if c.is_empty() => None,
            c => state.store.category_by_code(&c).await?.map(|c| c.id),
        },
        channel: Some(get("channel")).filter(|s| !s.is_empty()),
        due_by: (get("due") == "soon")
            .then(|| cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today)),
        overdue_as_of: (get("due") == "overdue").then_some(today),
        received_from: date("from", &mut errors),
        received_to: date("to", &mut errors),
        q: get("q"),
        public_only: false,
        codes: vec![],
        category_ids: vec![],
        skip_total: false,
        sort: if get("sort") == "newest" { CaseSort::Newest } else { CaseSort::DueDate },
        limit: 50,
        offset: (page - 1) * 50,
    };
    let (rows, total) = state.store.list_cases(&filter).await?;
    let mut form = Form::new(ctx.lang).with_errors(&errors);
    let keys = ["q", "status", "kind", "category", "channel", "due", "from", "to", "unit", "sort"];
    for k in keys {
        form.values.insert(k.into(), get(k));
    }
    let params: Vec<(&str, String)> = keys.iter().map(|k| (*k, get(k))).collect();
    let (_, cats) = names(&state).await?;
    let mut statuses = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    statuses.extend(CaseStatus::ALL.iter().map(|s| Opt { value: s.as_str().into(), label: status_label(&ctx, s.as_str()) }));
    let mut channels = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    channels.extend(
        Channel::ALL.iter().map(|c| Opt { value: c.as_str().into(), label: ctx.t(&format!("case.channel.{}", c.as_str())) }),
    );
    let page_view = InboxPage {
        p: Page::new(&ctx, &ctx.t("case.inbox_title")),
        lines: lines(&state, &ctx, rows).await?,
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/inbox", &params, page, 50, total),
        statuses,
        kinds: kind_options(&ctx, true),
        categories: category_options(&ctx, &cats),
        channels,
        counters: counters(&state, &ctx, within).await?,
        form,
    };
    Ok(render(&page_view))
}

// ---------------------------------------------------------------------------------------------
// Officer intake

#[derive(Template)]
#[template(path = "case_receipt.html")]
struct ReceiptPage {
    p: Page,
    c: CaseRow,
    unit: String,
    kind: String,
    link: String,
    due_sentence: String,
    received: String,
}

async fn record_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    if !ctx.memberships.iter().any(|m| matches!(m.role.as_str(), "leader" | "officer")) && !ctx.is_admin() {
        return Err(if ctx.account.is_some() { WebError::Forbidden } else { WebError::SignIn });
    }
    let form =
        Form::new(ctx.lang).set("kind", "feedback").set("channel", "walk_in").set("received_on", case_ops::today().to_string());
    Ok(render(&case_form(&state, &ctx, form, true, None).await?))
}

async fn record_submit(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    if !ctx.memberships.iter().any(|m| matches!(m.role.as_str(), "leader" | "officer")) && !ctx.is_admin() {
        return Err(if ctx.account.is_some() { WebError::Forbidden } else { WebError::SignIn });
    }
    let (input, mut errors) = case_input(&form);
    let place = super::unit_by_code(&state, &form.get("place_code"), "place_code", &mut errors).await?;
    if let Some(p) = place {
        if case_ops::authorize_intake(&state, &ctx, &state.store.get_unit(p).await?).await.is_err() {
            errors.add("place_code", "case.error.place_outside");
        }
    }
    let channel =
        Channel::parse(&form.get("channel")).filter(|c| !matches!(c, Channel::Web | Channel::Import | Channel::Open311));
    if channel.is_none() {
        errors.add("channel", "error.invalid");
    }
    let received_on = match form.get("received_on") {
        v if v.trim().is_empty() => None,
        v => {
            let d = crate::html::parse_date(&v);
            if d.is_none_or(|d| d > case_ops::today()) {
                errors.add("received_on", "error.date");
            }
            d
        }
    };
    let unit_override = match form.get("unit_code").trim() {
        "" => None,
        code => match state.store.get_unit_by_code(code).await? {
            Some(u) => Some((u.id, form.get("unit_reason"))),
            None => {
                errors.add("unit_code", "error.unit_unknown");
                None
            }
        },
    };
    let result = if errors.is_empty() {
        case_ops::submit(
            &state,
            &ctx,
            Submission {
                input,
                category_code: form.get("category"),
                place_unit_id: place,
                channel: channel.unwrap_or(Channel::WalkIn),
                received_on,
                idempotency_key: Some(form.get("started"))
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("form-{}-{s}", ctx.account.as_ref().map(|a| a.id).unwrap_or(0))),
                source: None,
                unit_override,
            },
        )
        .await
    } else {
        Err(WebError::Invalid(errors))
    };
    match result {
        Ok((c, Some(secret))) => {
            let unit = state.store.get_unit(c.unit_id).await?;
            let due = c.accept_due.map(|d| crate::html::date(ctx.lang, &d)).unwrap_or_default();
            let page = ReceiptPage {
                p: Page::new(&ctx, &ctx.t("case.receipt_title")),
                kind: ctx.t(&format!("case.kind.{}", c.kind)),
                link: format!("/track/{}?s={secret}", c.code),
                due_sentence: i18n::tf(ctx.lang, "case.accept_sentence", &[("unit", &unit.name), ("date", &due)]),
                received: crate::html::date(ctx.lang, &c.received_on),
                unit: unit.name,
                c,
            };
            Ok(render(&page))
        }
        // A resubmitted form (same key): show the case, not a second one.
        Ok((c, None)) => Ok(Redirect::to(&format!("/cases/{}", c.id)).into_response()),
        Err(WebError::Invalid(e)) => {
            let f = super::refill(&ctx, &form, &e, &[("place", "place_code"), ("unit", "unit_code")]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &case_form(&state, &ctx, f, true, None).await?))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The officer's case page

#[derive(Template)]
#[template(path = "case_show.html")]
struct CasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    channel: String,
    place: String,
    contact: Option<Contact>,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    assignee: String,
    actions: Vec<(String, String)>,
    reject_reasons: Vec<Opt>,
    kinds: Vec<Opt>,
    form: Form,
    can_handle: bool,
}

async fn case_page(state: &AppState, ctx: &Ctx, c: CaseRow, form: Form) -> Result<CasePage, WebError> {
    case_ops::authorize_case_internal(ctx, &c)?;
    let can_handle = case_ops::authorize_case(ctx, &c, Action::Handle).is_ok();
    let can_approve = case_ops::authorize_case(ctx, &c, Action::Approve).is_ok();
    let contact = if case_ops::authorize_case(ctx, &c, Action::ViewContacts).is_ok() {
        Some(state.store.case_contact(c.id).await?)
    } else {
        None
    };
    let kind = CaseKind::parse(&c.kind).unwrap_or(CaseKind::Feedback);
    let status = CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Received);
    let category = match c.category_id {
        Some(id) => Some(state.store.category(id).await?),
        None => None,
    };
    let policy = case_ops::policy(kind, category.as_ref());
    let days_since = case_ops::days_since(c.answered_at);
    let facts = CaseFacts { kind, extensions_used: c.extensions_used.max(0) as u32, days_since_answer: days_since };
    let candidates = [
        CaseAction::Accept,
        CaseAction::Reject { reason: RejectReason::Spam },
        CaseAction::Assign,
        CaseAction::Start,
        CaseAction::Pause,
        CaseAction::Resume,
        CaseAction::DraftAnswer,
        CaseAction::ReturnDraft,
        CaseAction::ApproveAnswer,
        CaseAction::SendAnswer,
        CaseAction::Close,
        CaseAction::Reopen,
        CaseAction::Extend,
        CaseAction::Withdraw,
        CaseAction::TransferOut,
        CaseAction::Transfer,
        CaseAction::Reclassify,
    ];
    let actions = candidates
        .iter()
        .filter(|a| danvan_domain::case::transition(status, **a, facts, &policy).is_ok())
        .filter(|a| if matches!(a, CaseAction::ApproveAnswer | CaseAction::ReturnDraft) { can_approve } else { can_handle })
        .map(|a| (a.name().to_string(), ctx.t(&format!("case.action.{}", a.name()))))
        .collect();
    let place = match c.place_unit_id {
        Some(id) => state.store.get_unit(id).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let assignee = match c.assignee_id {
        Some(id) => state.store.get_account(id).await.map(|a| a.full_name).unwrap_or_default(),
        None => String::new(),
    };
    let mut form = form;
    if !form.values.contains_key("answer") {
        if let Some(a) = state.store.answer(c.id).await? {
            form.values.insert("answer".into(), a.body);
        }
    }
    let line = lines(state, ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(CasePage {
        p: Page::new(ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(&format!("case.kind.{}", line.c.kind)),
        status: status_label(ctx, &line.c.status),
        channel: ctx.t(&format!("case.channel.{}", line.c.channel)),
        place,
        contact,
        events: state.store.case_events(line.c.id, false).await?,
        answer: state.store.answer(line.c.id).await?,
        assignee,
        actions,
        reject_reasons: RejectReason::ALL
            .iter()
            .map(|r| Opt { value: r.as_str().into(), label: ctx.t(&format!("case.reject.{}", r.as_str())) })
            .collect(),
        kinds: kind_options(ctx, false),
        form,
        can_handle,
        line,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    ctx.require_account()?;
    let c = state.store.get_case(id).await?;
    Ok(render(&case_page(&state, &ctx, c, Form::new(ctx.lang)).await?))
}

async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = ActRequest {
        action: form.get("action"),
        note: form.get("note"),
        reason: form.get("reason"),
        assignee: form.get("assignee"),
        unit_code: form.get("unit_code"),
        kind: form.get("kind"),
        complex: form.get("complex") == "on",
        answer: form.get("answer"),
    };
    match case_ops::act(&state, &ctx, id, &r).await {
        Ok(c) => Ok(super::redirect_with(&ctx, &format!("/cases/{}", c.id), "case.done", &[])),
        Err(WebError::Invalid(e)) => {
            let c = state.store.get_case(id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &case_page(&state, &ctx, c, super::refill(&ctx, &form, &e, &[])).await?,
            ))
        }
        Err(e) => Err(e),
    }
}

async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let c = state.store.get_case(id).await?;
    case_ops::authorize_case(&ctx, &c, Action::Handle)?;
    match state.store.add_case_note(&ctx.audit(), id, &form.get("note")).await {
        Ok(()) => Ok(super::redirect_with(&ctx, &format!("/cases/{id}"), "case.done", &[])),
        Err(danvan_store::StoreError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &case_page(&state, &ctx, c, super::refill(&ctx, &form, &e, &[])).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Public accountability

#[derive(Template)]
#[template(path = "public_cases.html")]
struct PublicListPage {
    p: Page,
    lines: Vec<CaseLine>,
    pager: String,
    total_label: String,
    q: String,
    stats: Option<(String, Vec<(String, String)>)>,
}

async fn public_list(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let page = crate::extract::page_number(get("page").parse().ok());
    let unit = match get("unit") {
        c if c.is_empty() => None,
        c => state.store.get_unit_by_code(&c).await?,
    };
    let filter = CaseFilter {
        within: unit.as_ref().map(|u| u.id),
        q: get("q"),
        public_only: true,
        sort: CaseSort::Newest,
        limit: 30,
        offset: (page - 1) * 30,
        ..Default::default()
    };
    let (rows, total) = state.store.list_cases(&filter).await?;
    let stats = match &unit {
        Some(u) => Some((u.name.clone(), unit_figures(&state, &ctx, u.id).await?)),
        None => None,
    };
    Ok(render(&PublicListPage {
        p: Page::new(&ctx, &ctx.t("case.public_title")),
        lines: lines(&state, &ctx, rows).await?,
        pager: pagination(ctx.lang, "/public/cases", &[("q", get("q")), ("unit", get("unit"))], page, 30, total),
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        q: get("q"),
        stats,
    }))
}

/// A unit's public figures: received, answered, on time, median working days, satisfaction.
pub async fn unit_figures(state: &AppState, ctx: &Ctx, unit: i64) -> Result<Vec<(String, String)>, WebError> {
    let s = state.store.case_stats(unit).await?;
    let cal = state.store.work_calendar().await?;
    let mut days: Vec<i64> = s
        .answered_dates
        .iter()
        .map(|(r, a)| cal.working_days_between(*r, a.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive()))
        .collect();
    days.sort_unstable();
    let median = days.get(days.len() / 2).map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let on_time = if s.answered > 0 { format!("{}%", s.on_time * 100 / s.answered) } else { "—".into() };
    let sat = s.satisfaction.map(|v| format!("{v:.1}/5 ({} {})", s.ratings, ctx.t("case.ratings"))).unwrap_or_else(|| "—".into());
    Ok(vec![
        (ctx.t("case.stat.received"), i18n::number(ctx.lang, s.received)),
        (ctx.t("case.stat.answered"), i18n::number(ctx.lang, s.answered)),
        (ctx.t("case.stat.on_time"), on_time),
        (ctx.t("case.stat.median_days"), median),
        (ctx.t("case.stat.satisfaction"), sat),
    ])
}

#[derive(Template)]
#[template(path = "public_case.html")]
struct PublicCasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
}

async fn public_case(State(state): State<AppState>, ctx: Ctx, PathParam(code): PathParam<String>) -> Result<Response, WebError> {
    let c = state.store.get_case_by_code(&code).await?.ok_or(WebError::NotFound)?;
    // Not published: as if it did not exist (no hint that the code is taken).
    if !case_ops::is_public(&c) {
        return Err(WebError::NotFound);
    }
    let events = state.store.case_events(c.id, true).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    let line = lines(&state, &ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(render(&PublicCasePage {
        p: Page::new(&ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(&format!("case.kind.{}", line.c.kind)),
        status: status_label(&ctx, &line.c.status),
        events,
        answer,
        line,
    }))
}
