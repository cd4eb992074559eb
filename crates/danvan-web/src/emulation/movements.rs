//! The movements' pages (issue 11 item 1): the list with the forms to launch a movement and to
//! set up an emulation cluster, and a movement's page (criteria, target units, cluster and pacts,
//! registrations) with the forms of its keepers and of the target units. Each form posts back and,
//! on bad input, the page comes back with that form's field errors (422).

use super::{indicator_name, movement_labels as labels};
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
use danvan_app::emulation::movements::{self as mv, ClusterInput, CriterionInput, MovementFile, MovementInput, PactInput};
use danvan_app::emulation::scores::{self as sc, RegistrationInput};
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_domain::indicators::CATALOGUE;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/movements", index)
        .post("/emulation/movements", create)
        .post("/emulation/movements/clusters", create_cluster)
        .get("/emulation/movements/{id}", show)
        .post("/emulation/movements/{id}/criteria", add_criterion)
        .post("/emulation/movements/{id}/pacts", sign_pact)
        .post("/emulation/movements/{id}/registrations", register)
}

#[derive(Template)]
#[template(path = "emulation/movements.html")]
struct IndexPage {
    p: Page,
    /// (id, name, launching unit, period kind, from, to)
    rows: Vec<(i64, String, String, String, String, String)>,
    form: Form,
    cluster_form: Form,
    kinds: Vec<Opt>,
    units: Vec<Opt>,
    /// The sub-units of each unit whose movements the caller keeps: (unit's name, its sub-units).
    sub_units: Vec<(String, Vec<Opt>)>,
    /// Those units' clusters, "name (unit)", after a "none" choice.
    clusters: Vec<Opt>,
}

async fn index_page(state: &AppState, ctx: &Ctx, form: Form, cluster_form: Form) -> Result<IndexPage, WebError> {
    let rows = mv::movements(&state.app, &ctx.caller)
        .await?
        .into_iter()
        .map(|m| {
            let kind = labels::period(ctx, m.period_kind);
            (m.id, m.name, m.unit_name, kind, ctx_date(ctx, &m.starts_on), ctx_date(ctx, &m.ends_on))
        })
        .collect();
    let units = super::unit_picks(state, ctx).await?;
    let choices = mv::sub_unit_choices(&state.app, &ctx.caller).await?;
    let mut clusters = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    for s in &choices {
        for (id, name, unit) in &s.clusters {
            if !clusters.iter().any(|o| o.value == id.to_string()) {
                clusters.push(Opt { value: id.to_string(), label: format!("{name} ({unit})") });
            }
        }
    }
    let sub_units = choices
        .into_iter()
        .map(|s| (s.name, s.children.into_iter().map(|(value, label)| Opt { value, label }).collect()))
        .collect();
    Ok(IndexPage {
        units,
        sub_units,
        clusters,
        p: Page::new(ctx, &ctx.t("movement.title")),
        rows,
        form: form.with_labels(&[("target_unit", "movement.field.targets"), ("targets", "movement.field.targets_other")]),
        cluster_form: cluster_form
            .scoped("cluster")
            .with_labels(&[("member_unit", "movement.cluster.members"), ("members", "movement.field.targets_other")]),
        kinds: PeriodKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: labels::period(ctx, *k) }).collect(),
    })
}

fn ctx_date(ctx: &Ctx, d: &chrono::NaiveDate) -> String {
    crate::html::date(ctx.lang, d)
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let form = Form::new(ctx.lang).set("period_kind", "annual");
    Ok(render(&index_page(&state, &ctx, form, Form::new(ctx.lang)).await?))
}

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let input = MovementInput {
        unit: form.get("unit"),
        name: form.get("name"),
        purpose: form.get("purpose"),
        period_kind: form.get("period_kind"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        // The ticked sub-units and any deeper units typed by code.
        targets: form.ticked_and_typed("target_unit", "targets", ","),
        cluster: form.get("cluster"),
    };
    let form = form.fold_ticks("target_unit");
    // With nothing typed, what is wrong with the units is about the ticks.
    let renames: &[(&str, &str)] = if form.get("targets").trim().is_empty() { &[("targets", "target_unit")] } else { &[] };
    match mv::create_movement(&state.app, &ctx.caller, &input).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, &format!("/emulation/movements/{id}"), "admin.saved", &[])),
        // A refused value or a duplicate (a conflict on a field): the form again, with it.
        Err(WebError::Invalid(e)) | Err(WebError::Conflict(e)) => {
            let f = refill(&ctx, &form, &e, renames);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &index_page(&state, &ctx, f, Form::new(ctx.lang)).await?))
        }
        Err(e) => Err(e),
    }
}

async fn create_cluster(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let input = ClusterInput {
        unit: form.get("unit"),
        name: form.get("name"),
        members: form.ticked_and_typed("member_unit", "members", ","),
    };
    let form = form.fold_ticks("member_unit");
    let renames: &[(&str, &str)] = if form.get("members").trim().is_empty() { &[("members", "member_unit")] } else { &[] };
    match mv::create_cluster(&state.app, &ctx.caller, &input).await.map_err(WebError::from) {
        Ok(id) => Ok(redirect_with(&ctx, "/emulation/movements", "movement.cluster_saved", &[("id", id.to_string())])),
        // A refused value or a duplicate (a conflict on a field): the form again, with it.
        Err(WebError::Invalid(e)) | Err(WebError::Conflict(e)) => {
            let f = refill(&ctx, &form, &e, renames);
            let page = index_page(&state, &ctx, Form::new(ctx.lang).set("period_kind", "annual"), f).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

/// A criterion as the movement's page lists it.
pub(crate) struct CriterionView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub indicator: String,
    pub target: String,
    pub weight: i64,
}

#[derive(Template)]
#[template(path = "emulation/movement.html")]
struct MovementPage {
    p: Page,
    f: MovementFile,
    period: String,
    criteria: Vec<CriterionView>,
    /// The registration form's target fields: (name, label).
    reg_targets: Vec<(String, String)>,
    may_keep: bool,
    crit_form: Form,
    pact_form: Form,
    reg_form: Form,
    crit_kinds: Vec<Opt>,
    indicators: Vec<Opt>,
    /// The standings: (registration id, who, total points), highest first.
    standings: Vec<(i64, String, String)>,
    units: Vec<Opt>,
}

async fn movement_page(state: &AppState, ctx: &Ctx, id: i64, active: &str, refilled: Form) -> Result<MovementPage, WebError> {
    let f = mv::movement(&state.app, &ctx.caller, id).await?;
    let mut forms = [Form::new(ctx.lang).set("kind", "measured").set("weight", "10"), Form::new(ctx.lang), Form::new(ctx.lang)];
    let slot = match active {
        "criterion" => Some(0),
        "pact" => Some(1),
        "registration" => Some(2),
        _ => None,
    };
    if let Some(i) = slot {
        forms[i] = refilled;
    }
    let [crit_form, pact_form, reg_form] = forms;
    let criteria = f
        .criteria
        .iter()
        .map(|c| CriterionView {
            id: c.id,
            name: c.name.clone(),
            kind: labels::criterion(ctx, c.kind),
            indicator: c.indicator.map(|i| indicator_name(ctx.lang, i).to_string()).unwrap_or_default(),
            target: c.target.map(|t| labels::value(ctx.lang, t)).unwrap_or_default(),
            weight: c.weight,
        })
        .collect();
    let standings = danvan_app::emulation::scores::standings(&state.app, &ctx.caller, id)
        .await?
        .into_iter()
        .map(|s| {
            let r = s.registration;
            let who = if r.person.is_empty() { r.unit_name } else { format!("{} ({})", r.person, r.unit_name) };
            (r.id, who, labels::value(ctx.lang, s.total))
        })
        .collect();
    let units = super::unit_picks(state, ctx).await?;
    Ok(MovementPage {
        units,
        standings,
        p: Page::new(ctx, &f.movement.name),
        period: format!(
            "{} · {} – {}",
            labels::period(ctx, f.movement.period_kind),
            ctx_date(ctx, &f.movement.starts_on),
            ctx_date(ctx, &f.movement.ends_on)
        ),
        may_keep: mv::may_keep(&ctx.caller, &f.movement),
        reg_targets: f
            .criteria
            .iter()
            .map(|c| (format!("target_{}", c.id), format!("{}: {}", ctx.t("movement.field.registered_target"), c.name)))
            .collect(),
        criteria,
        crit_form,
        pact_form: pact_form.scoped("pact"),
        reg_form: reg_form.scoped("registration"),
        crit_kinds: CriterionKind::ALL
            .iter()
            .map(|k| Opt { value: k.as_str().into(), label: labels::criterion(ctx, *k) })
            .collect(),
        indicators: CATALOGUE
            .iter()
            .filter(|d| d.key.measures_a_period())
            .map(|d| Opt { value: d.key.as_str().into(), label: indicator_name(ctx.lang, d.key).into() })
            .collect(),
        f,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&movement_page(&state, &ctx, id, "", Form::new(ctx.lang)).await?))
}

/// Runs a form's use case: back to the movement's page, or the page with the form's errors.
async fn outcome(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    active: &str,
    form: &FormData,
    r: danvan_app::AppResult<i64>,
) -> Result<Response, WebError> {
    match r.map_err(WebError::from) {
        Ok(_) => Ok(redirect_with(ctx, &format!("/emulation/movements/{id}"), "admin.saved", &[])),
        // A refused value or a duplicate (a conflict on a field): the form again, with it.
        Err(WebError::Invalid(e)) | Err(WebError::Conflict(e)) => {
            let f = refill(ctx, form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &movement_page(state, ctx, id, active, f).await?))
        }
        Err(e) => Err(e),
    }
}

async fn add_criterion(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let input = CriterionInput {
        name: form.get("name"),
        kind: form.get("kind"),
        indicator: form.get("indicator"),
        target: form.get("target"),
        weight: form.get("weight"),
    };
    let r = mv::add_criterion(&state.app, &ctx.caller, id, &input).await;
    outcome(&state, &ctx, id, "criterion", &form, r).await
}

async fn sign_pact(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let input = PactInput { unit: form.get("unit"), commitment: form.get("commitment"), signed_on: form.get("signed_on") };
    let r = mv::sign_pact(&state.app, &ctx.caller, id, &input).await;
    outcome(&state, &ctx, id, "pact", &form, r).await
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let targets = form
        .0
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("target_").and_then(|c| c.parse::<i64>().ok()).map(|c| (c, v.clone())))
        .collect();
    let input = RegistrationInput { unit: form.get("unit"), person: form.get("person"), targets };
    let r = sc::register(&state.app, &ctx.caller, id, &input).await;
    outcome(&state, &ctx, id, "registration", &form, r).await
}
