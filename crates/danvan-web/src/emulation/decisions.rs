//! Decisions as pages: the list, a decision shown in the administrative format (the issuing body
//! under its parent, "Số: …", the national motto, place and date, QUYẾT ĐỊNH, the articles, the
//! signature and the annex of individuals, collectives and households) from the app's
//! `DecisionDocument`, the draft's corrections, issuing, and drafting an amendment. An issued
//! decision's edit form is refused with 409 and explained.

use super::nominations::decision_input;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Page};
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::emulation::decisions::{self as app_dec, DecisionRow};
use danvan_app::emulation::document::{document_of, money, DecisionDocument};
use danvan_domain::emulation::DecisionStatus;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/decisions", index)
        .get("/emulation/decisions/{id}", show)
        .post("/emulation/decisions/{id}", edit)
        .post("/emulation/decisions/{id}/issue", issue)
        .post("/emulation/decisions/{id}/amend", amend)
}

#[derive(Template)]
#[template(path = "emulation/decisions.html")]
struct IndexPage {
    p: Page,
    rows: Vec<DecisionRow>,
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let rows = app_dec::decisions(&state.app, &ctx.caller).await?;
    Ok(render(&IndexPage { p: Page::new(&ctx, &ctx.t("emulation.decisions")), rows }))
}

#[derive(Template)]
#[template(path = "emulation/decision.html")]
struct DecisionPage {
    p: Page,
    doc: DecisionDocument,
    issued: bool,
    amends: Option<(i64, String)>,
    amended_by: Vec<(i64, String)>,
    can_edit: bool,
    can_issue: bool,
    can_amend: bool,
    /// Some award in the annex comes with a certificate to print.
    has_certificates: bool,
    /// The issuer whose printing calibration the reader may set.
    calibrate: Option<i64>,
    /// Which form was sent with errors: edit or amend.
    active: String,
    form: Form,
    blank: Form,
}

impl DecisionPage {
    /// One of the page's forms, its fields' ids prefixed by its name (they share field names).
    fn f(&self, which: &str) -> Form {
        let form = if self.active == which { &self.form } else { &self.blank };
        form.clone().scoped(which)
    }
    fn money(&self, v: &Option<i64>) -> String {
        v.map(money).unwrap_or_default()
    }
}

async fn decision_page(state: &AppState, ctx: &Ctx, id: i64, active: &str, form: Form) -> Result<DecisionPage, WebError> {
    let v = app_dec::decision(&state.app, &ctx.caller, id).await?;
    // The decision is shown as it is printed: in Vietnamese, whatever the reader's language.
    let doc = document_of(&state.app, &v).await?;
    let d = &v.decision;
    let issued = d.status == DecisionStatus::Issued;
    let header = Form::new(ctx.lang)
        .set("decided_on", d.decided_on)
        .set("place", &d.place)
        .set("subject", &d.subject)
        .set("signer_name", &d.signer_name)
        .set("signer_title", &d.signer_title);
    let label = |x: &DecisionRow| x.number_text.clone().unwrap_or_else(|| ctx.t("emulation.decision.draft"));
    Ok(DecisionPage {
        p: Page::new(ctx, &format!("{} {}", ctx.t("emulation.decision"), label(d))),
        issued,
        amends: v.amends.as_ref().map(|a| (a.id, label(a))),
        amended_by: v.amended_by.iter().map(|a| (a.id, label(a))).collect(),
        can_edit: !issued && v.can_handle,
        can_issue: !issued && v.can_approve,
        can_amend: issued && v.can_handle,
        has_certificates: v.awards.iter().any(|a| a.award.certificate().is_some()),
        calibrate: v.can_handle.then_some(d.issuer_id),
        active: active.into(),
        form,
        blank: header,
        doc,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&decision_page(&state, &ctx, id, "", Form::new(ctx.lang)).await?))
}

async fn form_outcome<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    which: &str,
    form: &FormData,
    r: Result<T, danvan_app::AppError>,
    to: impl FnOnce(T) -> String,
) -> Result<Response, WebError> {
    match r.map_err(WebError::from) {
        Ok(x) => Ok(redirect_with(ctx, &to(x), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(ctx, form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &decision_page(state, ctx, id, which, f).await?))
        }
        Err(WebError::Conflict(e)) => {
            let f = refill(ctx, form, &e, &[]);
            Ok(render_status(StatusCode::CONFLICT, &decision_page(state, ctx, id, which, f).await?))
        }
        Err(e) => Err(e),
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = app_dec::update_decision(&state.app, &ctx.caller, id, &decision_input(&form)).await;
    form_outcome(&state, &ctx, id, "edit", &form, r, |_| format!("/emulation/decisions/{id}")).await
}

async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = app_dec::issue_decision(&state.app, &ctx.caller, id).await;
    form_outcome(&state, &ctx, id, "issue", &form, r, |_| format!("/emulation/decisions/{id}")).await
}

async fn amend(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = app_dec::amend_decision(&state.app, &ctx.caller, id, &decision_input(&form)).await;
    form_outcome(&state, &ctx, id, "amend", &form, r, |d| format!("/emulation/decisions/{d}")).await
}
