//! A registration's score page (issue 11 item 2): each criterion with its measured value (from
//! the indicator catalogue, for the registering unit's subtree and the movement's period), its
//! target, points and weight, the inputs each linked to the inbox listing the cases behind them,
//! the unit's self-assessment beside (never instead of) the measured value, the reviewers'
//! points for reviewed criteria, and the achievements reported. Plus the catalogue's page.

use super::movement_labels as labels;
use super::{indicator_name, movements::CriterionView};
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
use danvan_app::emulation::scores::{self as sc, AchievementInput, AssessmentInput, ScoreSheet};
use danvan_domain::emulation::CriterionKind;
use danvan_domain::indicators::Direction;

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/movements/{id}/registrations/{rid}", show)
        .post("/emulation/movements/{id}/registrations/{rid}/achievements", report)
        .post("/emulation/movements/{id}/registrations/{rid}/assessments", assess)
}

/// One criterion's line as shown.
struct LineView {
    c: CriterionView,
    measured: bool,
    value: String,
    points: String,
    /// (label, count, inbox link)
    inputs: Vec<(String, i64, String)>,
    explanation: String,
    registered_target: String,
    self_points: String,
    self_note: String,
    review_note: String,
}

#[derive(Template)]
#[template(path = "emulation/score.html")]
struct ScorePage {
    p: Page,
    s: ScoreSheet,
    lines: Vec<LineView>,
    total: String,
    /// (day, criterion, text, link)
    achievements: Vec<(String, String, String, String)>,
    criteria: Vec<Opt>,
    reviewed: Vec<Opt>,
    report_form: Form,
    self_form: Form,
    review_form: Form,
}

fn explain(ctx: &Ctx, l: &sc::SheetLine) -> String {
    let line = &l.line;
    let v = |x: Option<f64>| x.map(|x| labels::value(ctx.lang, x)).unwrap_or_else(|| "—".into());
    let (Some(ind), CriterionKind::Measured) = (l.criterion.indicator, l.criterion.kind) else {
        let key = if line.points.is_some() { "movement.explain.reviewed" } else { "movement.explain.unreviewed" };
        return crate::i18n::tf(ctx.lang, key, &[("weight", &line.weight.to_string())]);
    };
    let key = match (line.value, ind.definition().direction) {
        (None, _) => "movement.explain.no_value",
        (_, Direction::HigherIsBetter) => "movement.explain.higher",
        (_, Direction::LowerIsBetter) => "movement.explain.lower",
    };
    crate::i18n::tf(
        ctx.lang,
        key,
        &[
            ("value", &v(line.value)),
            ("target", &v(line.target)),
            ("points", &v(line.points)),
            ("weight", &line.weight.to_string()),
        ],
    )
}

async fn score_page(state: &AppState, ctx: &Ctx, id: i64, rid: i64, active: &str, refilled: Form) -> Result<ScorePage, WebError> {
    let s = sc::score(&state.app, &ctx.caller, rid).await?;
    if s.registration.movement_id != id {
        return Err(WebError::NotFound);
    }
    let lang = ctx.lang;
    let lines = s
        .lines
        .iter()
        .map(|l| LineView {
            c: CriterionView {
                id: l.criterion.id,
                name: l.criterion.name.clone(),
                kind: labels::criterion(ctx, l.criterion.kind),
                indicator: l.criterion.indicator.map(|i| indicator_name(lang, i).to_string()).unwrap_or_default(),
                target: l.criterion.target.map(|t| labels::value(lang, t)).unwrap_or_default(),
                weight: l.criterion.weight,
            },
            measured: l.criterion.kind == CriterionKind::Measured,
            value: l.criterion.indicator.map(|i| labels::measured(ctx, i, l.line.value)).unwrap_or_default(),
            points: l.line.points.map(|p| labels::value(lang, p)).unwrap_or_else(|| "—".into()),
            inputs: l.inputs.iter().map(|i| (labels::case_set(ctx, i.set), i.count, i.link.clone())).collect(),
            explanation: explain(ctx, l),
            registered_target: l.registered_target.clone(),
            self_points: l.line.self_points.map(|p| p.to_string()).unwrap_or_default(),
            self_note: l.self_note.clone(),
            review_note: l.review_note.clone(),
        })
        .collect();
    let crit_name = |cid: Option<i64>| {
        cid.and_then(|c| s.movement.criteria.iter().find(|x| x.id == c)).map(|c| c.name.clone()).unwrap_or_default()
    };
    let achievements = s
        .achievements
        .iter()
        .map(|a| (crate::html::date(lang, &a.reported_on), crit_name(a.criterion_id), a.body.clone(), a.link.clone()))
        .collect();
    let opt = |c: &danvan_app::emulation::movements::CriterionRow| Opt { value: c.id.to_string(), label: c.name.clone() };
    let mut criteria = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    criteria.extend(s.movement.criteria.iter().map(opt));
    let reviewed = s.movement.criteria.iter().filter(|c| c.kind == CriterionKind::Reviewed).map(opt).collect();
    let mut forms = [Form::new(lang), Form::new(lang), Form::new(lang)];
    let slot = match active {
        "report" => Some(0),
        "self" => Some(1),
        "review" => Some(2),
        _ => None,
    };
    if let Some(i) = slot {
        forms[i] = refilled;
    }
    let [report_form, self_form, review_form] = forms;
    let who = if s.registration.person.is_empty() {
        s.registration.unit_name.clone()
    } else {
        format!("{} ({})", s.registration.person, s.registration.unit_name)
    };
    Ok(ScorePage {
        p: Page::new(ctx, &format!("{} — {}", s.movement.movement.name, who)),
        total: labels::value(lang, s.total),
        lines,
        achievements,
        criteria,
        reviewed,
        report_form,
        self_form,
        review_form,
        s,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, rid)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    Ok(render(&score_page(&state, &ctx, id, rid, "", Form::new(ctx.lang)).await?))
}

async fn outcome(
    state: &AppState,
    ctx: &Ctx,
    (id, rid): (i64, i64),
    active: &str,
    form: &FormData,
    r: danvan_app::AppResult<()>,
) -> Result<Response, WebError> {
    match r.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(ctx, &format!("/emulation/movements/{id}/registrations/{rid}"), "admin.saved", &[])),
        // A refused value or a duplicate (a conflict on a field): the form again, with it.
        Err(WebError::Invalid(e)) | Err(WebError::Conflict(e)) => {
            let f = refill(ctx, form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &score_page(state, ctx, id, rid, active, f).await?))
        }
        Err(e) => Err(e),
    }
}

async fn registration_of(state: &AppState, ctx: &Ctx, id: i64, rid: i64) -> Result<(), WebError> {
    let s = sc::score(&state.app, &ctx.caller, rid).await?;
    if s.registration.movement_id != id {
        return Err(WebError::NotFound);
    }
    Ok(())
}

async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, rid)): PathParam<(i64, i64)>,
    form: FormData,
) -> Result<Response, WebError> {
    registration_of(&state, &ctx, id, rid).await?;
    let input = AchievementInput {
        criterion: form.get("criterion"),
        reported_on: form.get("reported_on"),
        body: form.get("body"),
        link: form.get("link"),
    };
    let r = sc::report_achievement(&state.app, &ctx.caller, rid, &input).await.map(|_| ());
    outcome(&state, &ctx, (id, rid), "report", &form, r).await
}

async fn assess(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, rid)): PathParam<(i64, i64)>,
    form: FormData,
) -> Result<Response, WebError> {
    registration_of(&state, &ctx, id, rid).await?;
    let input = AssessmentInput {
        criterion: form.get("criterion"),
        side: form.get("side"),
        points: form.get("points"),
        note: form.get("note"),
    };
    let r = sc::assess(&state.app, &ctx.caller, rid, &input).await;
    let active = if form.get("side") == "review" { "review" } else { "self" };
    outcome(&state, &ctx, (id, rid), active, &form, r).await
}
