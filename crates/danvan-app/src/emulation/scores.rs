//! Taking part in a movement (issue 11 items 1–2): a unit (or a person in it) registers with its
//! targets, reports achievements with evidence, assesses itself; the launching unit's reviewers
//! score the reviewed criteria; and the score sheet computes each measured criterion from the
//! indicator catalogue for the registering unit's subtree and the movement's period, with its
//! inputs linked to the cases behind them.

use super::movements::{
    authorize_on, clean, day, figure, movement, CriterionRow, MovementFile, RegCriterionRow, RegistrationRow,
};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::emulation::{indicator_points, round2, score_total, CriterionKind, ScoreLine, MAX_POINTS};
use danvan_domain::indicators::CaseSet;
use danvan_domain::text::sort_key;
use danvan_domain::{Action, FieldErrors};
use danvan_store::emulation::{AchievementRow, Assessment};
use serde::Deserialize;
use std::collections::HashMap;

/// A registration as typed: the registering unit's code, the person ('' for the unit itself),
/// and a target per criterion (`target_<criterion id>`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationInput {
    pub unit: String,
    pub person: String,
    pub targets: HashMap<i64, String>,
}

/// Registers a target unit (or a unit inside one, or a person there) for the movement; its own
/// keepers register. Returns the registration's id.
pub async fn register(app: &App, caller: &Caller, movement_id: i64, i: &RegistrationInput) -> AppResult<i64> {
    let f = movement(app, caller, movement_id).await?;
    let mut e = FieldErrors::new();
    let Some(unit) = app.store.get_unit_by_code_or_name(i.unit.trim()).await? else {
        e.add("unit", if i.unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
        return Err(AppError::Invalid(e));
    };
    if !f.targets.iter().any(|t| unit.path.starts_with(&t.path)) {
        return Err(AppError::Invalid(FieldErrors::one("unit", "emulation.error.not_target")));
    }
    authorize_on(caller, &unit.path, Action::Handle)?;
    let person = clean(&i.person, "person", 200, false, &mut e);
    let mut targets = vec![];
    for c in &f.criteria {
        let field = format!("target_{}", c.id);
        let t = clean(i.targets.get(&c.id).map(String::as_str).unwrap_or(""), &field, 500, false, &mut e);
        // A measured criterion's target is a figure in its indicator's unit ("95", "4,5").
        if c.kind == CriterionKind::Measured && !t.is_empty() && figure(&t).is_none() {
            e.add(&field, "error.number");
        } else if !t.is_empty() {
            targets.push((c.id, t));
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(app.store.register_for_emulation(&caller.audit(), movement_id, unit.id, &person, &targets).await?)
}

/// A registration and its movement, for who may read the movement or keeps the registering unit.
async fn registration(app: &App, caller: &Caller, id: i64) -> AppResult<(RegistrationRow, MovementFile)> {
    caller.require_account()?;
    let r = app.store.emulation_registration(id).await?.ok_or(AppError::NotFound)?;
    let f = movement(app, caller, r.movement_id).await?;
    Ok((r, f))
}

/// An achievement as typed: the criterion (optional), the day, the text and an optional link.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AchievementInput {
    pub criterion: String,
    pub reported_on: String,
    pub body: String,
    pub link: String,
}

/// The registered unit reports an achievement with its evidence, within the movement's period.
pub async fn report_achievement(app: &App, caller: &Caller, registration_id: i64, i: &AchievementInput) -> AppResult<i64> {
    let (r, f) = registration(app, caller, registration_id).await?;
    authorize_on(caller, &r.unit_path, Action::Handle)?;
    let mut e = FieldErrors::new();
    let criterion = criterion_of(&f, &i.criterion, "criterion", &mut e, false);
    let on = day(&i.reported_on, "reported_on", &mut e);
    if on.is_some_and(|d| d < f.movement.starts_on || d > f.movement.ends_on) {
        e.add("reported_on", "emulation.error.outside_period");
    }
    let body = clean(&i.body, "body", 4000, true, &mut e);
    let link = clean(&i.link, "link", 500, false, &mut e);
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://") || link.starts_with('/')) {
        e.add("link", "emulation.error.link");
    }
    let (Some(on), true) = (on, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    Ok(app.store.report_emulation_achievement(&caller.audit(), r.id, criterion.map(|c| c.id), on, &body, &link).await?)
}

fn criterion_of<'a>(f: &'a MovementFile, s: &str, field: &str, e: &mut FieldErrors, required: bool) -> Option<&'a CriterionRow> {
    if s.trim().is_empty() {
        if required {
            e.add(field, "error.required");
        }
        return None;
    }
    let c = s.trim().parse::<i64>().ok().and_then(|id| f.criteria.iter().find(|c| c.id == id));
    if c.is_none() {
        e.add(field, "error.invalid");
    }
    c
}

/// An assessment as typed: `side` is `self` (the registered unit) or `review` (the launching
/// unit's reviewers, reviewed criteria only); points 0–100.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AssessmentInput {
    pub criterion: String,
    pub side: String,
    pub points: String,
    pub note: String,
}

pub async fn assess(app: &App, caller: &Caller, registration_id: i64, i: &AssessmentInput) -> AppResult<()> {
    let (r, f) = registration(app, caller, registration_id).await?;
    let reviewing = match i.side.trim() {
        "self" => false,
        "review" => true,
        _ => return Err(AppError::Invalid(FieldErrors::one("side", "error.invalid"))),
    };
    authorize_on(caller, if reviewing { &f.movement.unit_path } else { &r.unit_path }, Action::Handle)?;
    let mut e = FieldErrors::new();
    let c = criterion_of(&f, &i.criterion, "criterion", &mut e, true);
    if reviewing && c.is_some_and(|c| c.kind != CriterionKind::Reviewed) {
        e.add("criterion", "emulation.error.measured");
    }
    let points = i.points.trim().parse::<i64>().ok().filter(|p| (0..=MAX_POINTS as i64).contains(p));
    if points.is_none() {
        e.add("points", if i.points.trim().is_empty() { "error.required" } else { "emulation.error.points" });
    }
    let note = clean(&i.note, "note", 2000, false, &mut e);
    let (Some(c), Some(points), true) = (c, points, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    let a = if reviewing {
        Assessment::Reviewed { points, note, by: Some(caller.require_account()?.id) }
    } else {
        Assessment::SelfAssessed { points, note }
    };
    Ok(app.store.assess_emulation(&caller.audit(), r.id, c.id, &a).await?)
}

/// One input of a measured value: the set of cases, their number, the inbox listing them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Input {
    pub set: CaseSet,
    pub count: i64,
    pub link: String,
}

/// A criterion's line on the score sheet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetLine {
    pub criterion: CriterionRow,
    pub line: ScoreLine,
    pub inputs: Vec<Input>,
    pub registered_target: String,
    pub self_note: String,
    pub review_note: String,
}

/// A registration's score: each criterion explained, and the total (weighted mean, 0–100).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScoreSheet {
    pub registration: RegistrationRow,
    pub movement: MovementFile,
    pub lines: Vec<SheetLine>,
    pub total: f64,
    pub achievements: Vec<AchievementRow>,
    /// Whether the caller scores the reviewed criteria (the launching unit's keepers).
    pub may_review: bool,
    /// Whether the caller keeps the registering unit (self-assessment, achievements).
    pub may_report: bool,
}

/// Computes the registration's score for the movement's period.
pub async fn score(app: &App, caller: &Caller, registration_id: i64) -> AppResult<ScoreSheet> {
    let (r, f) = registration(app, caller, registration_id).await?;
    let (lines, achievements) = sheet(app, &f, &r).await?;
    let total = total_of(&lines);
    let may_review = authorize_on(caller, &f.movement.unit_path, Action::Handle).is_ok();
    let may_report = authorize_on(caller, &r.unit_path, Action::Handle).is_ok();
    Ok(ScoreSheet { registration: r, movement: f, lines, total, achievements, may_review, may_report })
}

/// One line of a movement's standings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Standing {
    pub registration: RegistrationRow,
    /// The same total as the registration's score sheet.
    pub total: f64,
}

/// A movement's standings: every registration's total, computed as its score sheet computes it,
/// highest first (then by name in Vietnamese order), for whoever may read the movement.
pub async fn standings(app: &App, caller: &Caller, movement_id: i64) -> AppResult<Vec<Standing>> {
    let f = movement(app, caller, movement_id).await?;
    let mut out = Vec::with_capacity(f.registrations.len());
    for r in &f.registrations {
        let (lines, _) = sheet(app, &f, r).await?;
        out.push(Standing { registration: r.clone(), total: total_of(&lines) });
    }
    out.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| sort_key(&a.registration.unit_name).cmp(&sort_key(&b.registration.unit_name)))
            .then_with(|| sort_key(&a.registration.person).cmp(&sort_key(&b.registration.person)))
    });
    Ok(out)
}

fn total_of(lines: &[SheetLine]) -> f64 {
    round2(score_total(&lines.iter().map(|l| l.line.clone()).collect::<Vec<_>>()))
}

/// A registration's lines (each criterion with its value, points and inputs) and achievements.
async fn sheet(app: &App, f: &MovementFile, r: &RegistrationRow) -> AppResult<(Vec<SheetLine>, Vec<AchievementRow>)> {
    let (from, to) = (f.movement.starts_on, f.movement.ends_on);
    let figures = crate::indicators::case_figures(app, &r.unit_path, from, to).await?;
    let (rows, achievements) = app.store.emulation_registration_detail(r.id).await?;
    let mut lines = vec![];
    for c in &f.criteria {
        let reg = rows.iter().find(|x| x.criterion_id == c.id);
        let (value, points, inputs) = match (c.kind, c.indicator) {
            (CriterionKind::Measured, Some(ind)) => {
                let v = figures.value(ind);
                let p = indicator_points(ind.definition(), v, c.target.unwrap_or(0.0));
                let inputs = figures
                    .inputs(ind)
                    .into_iter()
                    .map(|(set, count)| Input { set, count, link: crate::indicators::inbox_link(&r.unit_code, from, to, set) })
                    .collect();
                (v, Some(p), inputs)
            }
            _ => (None, reg.and_then(|x| x.review_points).map(|p| p as f64), vec![]),
        };
        let line = ScoreLine {
            criterion_id: c.id,
            weight: c.weight,
            value,
            target: c.target,
            points,
            self_points: reg.and_then(|x: &RegCriterionRow| x.self_points),
        };
        lines.push(SheetLine {
            criterion: c.clone(),
            line,
            inputs,
            registered_target: reg.map(|x| x.target.clone()).unwrap_or_default(),
            self_note: reg.map(|x| x.self_note.clone()).unwrap_or_default(),
            review_note: reg.map(|x| x.review_note.clone()).unwrap_or_default(),
        });
    }
    Ok((lines, achievements))
}
