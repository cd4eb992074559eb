//! Nomination lists and their councils as pages: the lists one may read, a list with the engine's
//! verdict beside each name (an ineligible name flagged with its justification), the forms to
//! add a name, to submit the list to its council, and to draft the decision once the council has
//! counted; the council's page with the secret ballot, or the secretary's paper result, and the
//! count.

use super::pages::kind_label;
use super::{award_name, award_options, explain, Explained};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Opt, Page};
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::emulation::decisions::{self as app_dec, DecisionInput};
use danvan_app::emulation::nominations::{self as app_nom, CouncilInput, ItemInput, NominationInput, NominationRow};
use danvan_domain::emulation::{BallotMode, CouncilStatus, NominationStatus};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/nominations", index)
        .post("/emulation/nominations", create)
        .get("/emulation/nominations/{id}", show)
        .post("/emulation/nominations/{id}/items", add_item)
        .post("/emulation/nominations/{id}/council", submit)
        .post("/emulation/nominations/{id}/decision", draft_decision)
        .get("/emulation/councils/{id}", council)
        .post("/emulation/councils/{id}/vote", vote)
        .post("/emulation/councils/{id}/close", close)
}

pub(crate) fn status_label(ctx: &Ctx, s: NominationStatus) -> String {
    ctx.t(match s {
        NominationStatus::Draft => "emulation.nomination.status.draft",
        NominationStatus::Submitted => "emulation.nomination.status.submitted",
        NominationStatus::Decided => "emulation.nomination.status.decided",
    })
}

fn council_status(ctx: &Ctx, s: CouncilStatus) -> String {
    ctx.t(match s {
        CouncilStatus::Open => "emulation.council.status.open",
        CouncilStatus::Closed => "emulation.council.status.closed",
    })
}

fn mode_label(ctx: &Ctx, m: BallotMode) -> String {
    ctx.t(match m {
        BallotMode::Secret => "emulation.council.mode.secret",
        BallotMode::Paper => "emulation.council.mode.paper",
    })
}

/// The paper result's fields and their labels.
const CHOICES: [(&str, &str); 3] = [
    ("for", "emulation.council.choice.for"),
    ("against", "emulation.council.choice.against"),
    ("abstain", "emulation.council.choice.abstain"),
];

#[derive(Template)]
#[template(path = "emulation/nominations.html")]
struct IndexPage {
    p: Page,
    rows: Vec<(NominationRow, String)>,
    may_handle: bool,
    form: Form,
    units: Vec<Opt>,
}

async fn index_page(state: &AppState, ctx: &Ctx, form: Form) -> Result<IndexPage, WebError> {
    let rows = app_nom::nominations(&state.app, &ctx.caller).await?;
    let units = super::unit_picks(state, ctx).await?;
    Ok(IndexPage {
        units,
        p: Page::new(ctx, &ctx.t("emulation.nominations")),
        rows: rows.into_iter().map(|n| (n.clone(), status_label(ctx, n.status))).collect(),
        may_handle: app_nom::may_handle(&ctx.caller),
        form,
    })
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let form = Form::new(ctx.lang);
    Ok(render(&index_page(&state, &ctx, form).await?))
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let input = NominationInput { unit: form.get("unit"), year: form.get("year"), title: form.get("title") };
    match app_nom::create_nomination(&state.app, &ctx.caller, &input).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, &format!("/emulation/nominations/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &index_page(&state, &ctx, f).await?))
        }
        Err(e) => Err(e),
    }
}

/// A name on the list as shown.
pub(crate) struct ItemLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub award: String,
    pub verdict: Explained,
    pub justification: String,
    /// "for / against / abstain", once counted, and whether it passed.
    pub count: Option<String>,
    pub passed: bool,
}

#[derive(Template)]
#[template(path = "emulation/nomination.html")]
struct NominationPage {
    p: Page,
    n: NominationRow,
    status: String,
    items: Vec<ItemLine>,
    council: Option<(i64, String)>,
    decisions: Vec<(i64, String)>,
    can_add: bool,
    can_submit: bool,
    can_draft: bool,
    /// Which form was sent with errors: item, council or decision.
    active: String,
    form: Form,
    blank: Form,
    recipients: Vec<Opt>,
    awards: Vec<Opt>,
    modes: Vec<Opt>,
    /// The officials who may sit on the council, to tick (value: username), with whether ticked.
    officials: Vec<(Opt, bool)>,
}

impl NominationPage {
    /// One of the page's forms, its fields' ids prefixed by its name (they share field names).
    fn f(&self, which: &str) -> Form {
        let form = if self.active == which { &self.form } else { &self.blank };
        form.clone().scoped(which)
    }
}

async fn nomination_page(state: &AppState, ctx: &Ctx, id: i64, active: &str, form: Form) -> Result<NominationPage, WebError> {
    let v = app_nom::nomination(&state.app, &ctx.caller, id).await?;
    let lang = ctx.lang;
    let items = v
        .items
        .iter()
        .map(|x| ItemLine {
            id: x.item.id,
            name: x.item.recipient_name.clone(),
            kind: kind_label(lang, x.item.recipient_kind),
            award: award_name(lang, x.item.award).into(),
            verdict: explain(lang, &x.verdict),
            justification: x.item.justification.clone().unwrap_or_default(),
            count: x.item.passed.map(|_| {
                let n = |v: Option<i64>| v.unwrap_or(0).to_string();
                format!("{} / {} / {}", n(x.item.votes_for), n(x.item.votes_against), n(x.item.votes_abstain))
            }),
            passed: x.item.passed == Some(true),
        })
        .collect();
    let draft = v.nomination.status == NominationStatus::Draft;
    let closed = v.council.as_ref().is_some_and(|c| c.status == CouncilStatus::Closed);
    let recipients = if draft && v.can_handle {
        danvan_app::emulation::records(&state.app, &ctx.caller)
            .await?
            .into_iter()
            .filter(|r| r.unit_path.starts_with(&v.nomination_unit_path()))
            .map(|r| Opt { value: r.id.to_string(), label: format!("{} ({})", r.name, kind_label(lang, r.kind)) })
            .collect()
    } else {
        vec![]
    };
    let can_submit = draft && v.can_handle && !v.items.is_empty();
    let officials = if can_submit {
        let ticked: Vec<&str> = form.value("member").split(',').filter(|s| !s.is_empty()).collect();
        super::official_picks(state, ctx)
            .await?
            .into_iter()
            .map(|o| {
                let on = active == "council" && ticked.contains(&o.value.as_str());
                (o, on)
            })
            .collect()
    } else {
        vec![]
    };
    Ok(NominationPage {
        officials,
        p: Page::new(ctx, &v.nomination.title),
        status: status_label(ctx, v.nomination.status),
        items,
        council: v.council.as_ref().map(|c| (c.id, council_status(ctx, c.status))),
        decisions: v
            .decisions
            .iter()
            .map(|d| (d.id, d.number_text.clone().unwrap_or_else(|| ctx.t("emulation.decision.draft"))))
            .collect(),
        can_add: draft && v.can_handle,
        can_submit,
        can_draft: closed && v.can_handle && v.decisions.is_empty(),
        active: active.into(),
        form,
        blank: Form::new(lang).set("mode", "secret"),
        recipients,
        awards: award_options(lang),
        modes: BallotMode::ALL.iter().map(|m| Opt { value: m.as_str().into(), label: mode_label(ctx, *m) }).collect(),
        n: v.nomination,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&nomination_page(&state, &ctx, id, "", Form::new(ctx.lang)).await?))
}

/// Renders the outcome of one of the list's forms: back to the list, or the form with its errors.
async fn outcome<T>(
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
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &nomination_page(state, ctx, id, which, f).await?))
        }
        Err(e) => Err(e),
    }
}

async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let input =
        ItemInput { recipient: form.get("recipient"), award: form.get("award"), justification: form.get("justification") };
    let r = app_nom::add_item(&state.app, &ctx.caller, id, &input).await;
    outcome(&state, &ctx, id, "item", &form, r, |_| format!("/emulation/nominations/{id}")).await
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    // The ticked officials and any others typed, one list; the ticks come back as one field if
    // the form is shown again.
    let input = CouncilInput {
        meeting_on: form.get("meeting_on"),
        quorum: form.get("quorum"),
        mode: form.get("mode"),
        members: form.ticked_and_typed("member", "members", "\n"),
    };
    let form = form.fold_ticks("member");
    let r = app_nom::submit_to_council(&state.app, &ctx.caller, id, &input).await;
    outcome(&state, &ctx, id, "council", &form, r, |c| format!("/emulation/councils/{c}")).await
}

pub(crate) fn decision_input(form: &FormData) -> DecisionInput {
    DecisionInput {
        decided_on: form.get("decided_on"),
        place: form.get("place"),
        subject: form.get("subject"),
        signer_name: form.get("signer_name"),
        signer_title: form.get("signer_title"),
    }
}

async fn draft_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = app_dec::draft_decision(&state.app, &ctx.caller, id, &decision_input(&form)).await;
    outcome(&state, &ctx, id, "decision", &form, r, |d| format!("/emulation/decisions/{d}")).await
}

#[derive(Template)]
#[template(path = "emulation/council.html")]
struct CouncilPage {
    p: Page,
    v: app_nom::CouncilView,
    status: String,
    mode: String,
    items: Vec<CouncilLine>,
    may_vote: bool,
    may_close: bool,
    paper: bool,
    form: Form,
}

/// A name on the council's ballot: its count once closed, the vote's error, and the paper
/// result's inputs (rendered here, their names carry the item's id).
pub(crate) struct CouncilLine {
    pub id: i64,
    pub name: String,
    pub award: String,
    pub justification: String,
    pub count: Option<String>,
    pub passed: bool,
    pub vote_error: Option<String>,
    pub paper_inputs: String,
}

async fn council_page(state: &AppState, ctx: &Ctx, id: i64, form: Form) -> Result<CouncilPage, WebError> {
    let v = app_nom::council(&state.app, &ctx.caller, id).await?;
    let open = v.council.status == CouncilStatus::Open;
    let paper = v.council.mode == BallotMode::Paper;
    let items = v
        .items
        .iter()
        .map(|i| {
            let count = i.passed.map(|_| {
                let n = |v: Option<i64>| v.unwrap_or(0).to_string();
                format!("{} / {} / {}", n(i.votes_for), n(i.votes_against), n(i.votes_abstain))
            });
            let paper_inputs =
                CHOICES.iter().map(|(c, key)| form.input_labelled(&format!("{c}_{}", i.id), "number", &ctx.t(key))).collect();
            CouncilLine {
                id: i.id,
                name: i.recipient_name.clone(),
                award: award_name(ctx.lang, i.award).to_string(),
                justification: i.justification.clone().unwrap_or_default(),
                count,
                passed: i.passed == Some(true),
                vote_error: form.errors.get(&format!("vote_{}", i.id)).cloned(),
                paper_inputs,
            }
        })
        .collect();
    Ok(CouncilPage {
        p: Page::new(ctx, &format!("{} — {}", ctx.t("emulation.council"), v.nomination.title)),
        status: council_status(ctx, v.council.status),
        mode: mode_label(ctx, v.council.mode),
        items,
        may_vote: open && !paper && v.is_member && !v.has_voted,
        may_close: open && v.can_handle,
        paper,
        form,
        v,
    })
}

async fn council(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&council_page(&state, &ctx, id, Form::new(ctx.lang)).await?))
}

async fn council_outcome(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: &FormData,
    r: Result<(), danvan_app::AppError>,
) -> Result<Response, WebError> {
    match r.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(ctx, &format!("/emulation/councils/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(ctx, form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &council_page(state, ctx, id, f).await?))
        }
        Err(e) => Err(e),
    }
}

async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let votes: HashMap<String, String> =
        form.0.iter().filter_map(|(k, v)| k.strip_prefix("vote_").map(|i| (i.to_string(), v.clone()))).collect();
    let r = app_nom::cast_vote(&state.app, &ctx.caller, id, &votes).await;
    council_outcome(&state, &ctx, id, &form, r).await
}

/// The paper result as typed: item id → (for, against, abstain).
pub(crate) fn paper_counts(
    get: impl Fn(&str) -> String,
    items: impl Iterator<Item = i64>,
) -> HashMap<String, (String, String, String)> {
    items
        .map(|i| (i.to_string(), (get(&format!("for_{i}")), get(&format!("against_{i}")), get(&format!("abstain_{i}")))))
        .collect()
}

async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let ids: Vec<i64> = form.0.iter().filter_map(|(k, _)| k.strip_prefix("for_").and_then(|i| i.parse().ok())).collect();
    let paper = paper_counts(|k| form.get(k), ids.into_iter());
    let r = app_nom::close_council(&state.app, &ctx.caller, id, &paper).await.map(|_| ());
    council_outcome(&state, &ctx, id, &form, r).await
}
