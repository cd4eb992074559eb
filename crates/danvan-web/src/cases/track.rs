//! Tracking by the citizen: the private page reached with the case's code and secret, and what
//! the citizen may do there (withdraw, rate).

use super::files::{secret_query, split_files};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{urlencode, Form, Page};
use crate::i18n;
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::cases::queries::{Answer, Attachment, CaseEvent, CaseRow};
use danvan_domain::cases::{CaseAction, CaseStatus};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/track", track_find)
        .post("/track", track_by_contact)
        .get("/track/{code}", track)
        .post("/track/{code}", track_act)
}

#[derive(Template)]
#[template(path = "cases/case_track.html")]
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
    /// The private link with the site's address, to copy or write down.
    full_link: String,
    is_new: bool,
    due_sentence: String,
    can_rate: bool,
    can_reopen: bool,
    can_withdraw: bool,
    form: Form,
    /// The case this one was merged into, and its answer.
    extras: super::delivery::TrackExtras,
    data_link: String,
    photos: Vec<Attachment>,
    answer_files: Vec<Attachment>,
    fq: String,
}

#[derive(Template)]
#[template(path = "cases/case_track_find.html")]
struct TrackFindPage {
    p: Page,
    /// The form finding a case by its code and the sender's phone or e-mail.
    contact_form: Form,
}

async fn track_find(ctx: Ctx, QueryParams(q): QueryParams<HashMap<String, String>>) -> Result<Response, WebError> {
    if let (Some(code), Some(s)) = (q.get("code"), q.get("s")) {
        if !code.trim().is_empty() {
            return Ok(Redirect::to(&format!("/track/{}?s={}", urlencode(code.trim()), urlencode(s.trim()))).into_response());
        }
    }
    let page = TrackFindPage { p: Page::new(&ctx, &ctx.t("case.track_title")), contact_form: Form::new(ctx.lang) };
    Ok(render(&page))
}

/// A case found again by its code and the phone or e-mail its sender gave: a fresh private link.
/// A code that does not exist and a contact that does not match get the same answer.
async fn track_by_contact(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let (code, contact) = (form.get("code"), form.get("contact"));
    let mut errors = danvan_domain::FieldErrors::new();
    if code.trim().is_empty() {
        errors.add("code", "error.required");
    }
    if contact.trim().is_empty() {
        errors.add("contact", "error.required");
    }
    if errors.is_empty() {
        match danvan_app::cases::tracking::link_by_contact(&state.app, &ctx.caller, &code, &contact).await? {
            Some((code, secret)) => {
                return Ok(Redirect::to(&format!("/track/{}?s={}", urlencode(&code), urlencode(&secret))).into_response())
            }
            None => errors.add("contact", "case.track.not_matched"),
        }
    }
    let page = TrackFindPage {
        p: Page::new(&ctx, &ctx.t("case.track_title")),
        contact_form: crate::pages::refill(&ctx, &form, &errors, &[]),
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

async fn track_page(
    state: &AppState,
    ctx: &Ctx,
    base: &str,
    c: CaseRow,
    secret: &str,
    is_new: bool,
    form: Form,
) -> Result<TrackPage, WebError> {
    let unit = danvan_app::org::queries::get_unit(&state.app, c.unit_id).await?;
    let answer = danvan_app::cases::queries::answer(&state.app, c.id).await?.filter(|a| a.sent_at.is_some());
    let (photos, answer_files) = split_files(danvan_app::cases::queries::attachments(&state.app, c.id).await?, answer.is_some());
    let status = c.status;
    let rules = danvan_app::cases::transitions(&state.app, &c).await?;
    let allowed = |a: CaseAction| rules.allows(a);
    let dues = danvan_app::cases::due_as_of(&state.app, &c).await?;
    let due = dues.date();
    let due_sentence = match (due, status.is_open()) {
        (Some(d), true) => i18n::tf(
            ctx.lang,
            if dues.resolve_by.is_some() { "case.due_sentence" } else { "case.accept_sentence" },
            &[("unit", &unit.name), ("date", &crate::html::date(ctx.lang, &d))],
        ),
        _ => String::new(),
    };
    Ok(TrackPage {
        p: Page::new(ctx, &format!("{} {}", ctx.t("case.track_title"), c.code)),
        kind: ctx.t(crate::labels::case_kind(c.kind)),
        status: ctx.t(crate::labels::public_case_status(c.status)),
        unit: unit.name,
        events: danvan_app::cases::queries::case_events(&state.app, c.id, true).await?,
        answer,
        link: format!("/track/{}?s={}", c.code, secret),
        full_link: format!("{base}/track/{}?s={}", c.code, secret),
        secret: secret.to_string(),
        is_new,
        due_sentence,
        can_rate: matches!(status, CaseStatus::Answered | CaseStatus::Closed),
        can_reopen: allowed(CaseAction::Reopen),
        can_withdraw: allowed(CaseAction::Withdraw),
        form,
        extras: super::delivery::track_extras(state, &c).await?,
        data_link: format!("/track/{}/data?s={}", c.code, urlencode(secret)),
        photos,
        answer_files,
        fq: secret_query(secret),
        c,
    })
}

async fn track(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let secret = q.get("s").cloned().unwrap_or_default();
    let c = danvan_app::cases::queries::case_by_secret(&state.app, &code, &secret).await?.ok_or(WebError::NotFound)?;
    let base = crate::ctx::base_url(&state, &headers);
    let mut r = render(&track_page(&state, &ctx, &base, c, &secret, q.contains_key("new"), Form::new(ctx.lang)).await?);
    // The private link is a capability: keep it out of caches.
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn track_act(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PathParam(code): PathParam<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let secret = form.get("s");
    let c = danvan_app::cases::queries::case_by_secret(&state.app, &code, &secret).await?.ok_or(WebError::NotFound)?;
    let rating = form.get("rating").parse::<i64>().ok();
    match danvan_app::cases::citizen_act(&state.app, &ctx.caller, &c, &form.get("action"), &form.get("note"), rating)
        .await
        .map_err(WebError::from)
    {
        Ok(_) => {
            Ok(crate::pages::redirect_with(&ctx, &format!("/track/{}?s={}", c.code, urlencode(&secret)), "case.thanks", &[]))
        }
        Err(WebError::Invalid(e)) => {
            let base = crate::ctx::base_url(&state, &headers);
            let page = track_page(&state, &ctx, &base, c, &secret, false, crate::pages::refill(&ctx, &form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}
