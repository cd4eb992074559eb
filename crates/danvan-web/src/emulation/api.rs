//! Emulation records in the JSON API: a record, adding an entry, and the eligibility check with
//! each unmet condition as its message key, its sentence and its legal basis. Errors are
//! problem documents like the rest of the API.

use super::{award_name, explain};
use crate::api::{created, ApiJson, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use danvan_app::emulation::{self as app_em, EntryInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

type ApiResult<T> = Result<T, WebError>;

#[derive(Serialize, ToSchema)]
pub struct RatingOut {
    pub year: i64,
    /// excellent, good, complete or incomplete
    pub rating: String,
    pub in_emulation: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TitleOut {
    pub year: i64,
    /// The award's code, e.g. emulation_fighter_grassroots
    pub award: String,
    pub award_name: String,
    pub decision_no: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    pub issuer: String,
}

#[derive(Serialize, ToSchema)]
pub struct DisciplineOut {
    pub level: String,
    pub from: String,
    pub to: Option<String>,
    pub decision_no: String,
}

#[derive(Serialize, ToSchema)]
pub struct InitiativeOut {
    pub name: String,
    pub year: i64,
    /// unit, province or national
    pub reach: String,
    pub used_for: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    /// maternity, other (leave) or investigation
    pub kind: String,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    pub id: i64,
    /// individual, collective or household
    pub kind: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub ratings: Vec<RatingOut>,
    pub titles: Vec<TitleOut>,
    pub disciplines: Vec<DisciplineOut>,
    pub initiatives: Vec<InitiativeOut>,
    pub periods: Vec<PeriodOut>,
    /// A collective's history from the dissolved units its unit succeeds (none for a person).
    pub from_predecessors: Vec<InheritedOut>,
}

/// A title of a dissolved unit's collective, in the history of a unit that succeeds it.
#[derive(Serialize, ToSchema)]
pub struct InheritedOut {
    /// The unit whose history shows it
    pub successor_id: i64,
    pub successor_name: String,
    /// The collective's record and its name when awarded
    pub recipient_id: i64,
    pub recipient_name: String,
    /// The dissolved unit: its name when the award was recorded, and the day it ended
    pub unit_id: i64,
    pub unit_name: String,
    /// YYYY-MM-DD
    pub dissolved_on: String,
    pub year: i64,
    pub award: String,
    pub award_name: String,
    pub decision_no: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    pub issuer: String,
}

fn inherited_out(lang: crate::i18n::Lang, titles: Vec<app_em::InheritedTitle>) -> Vec<InheritedOut> {
    titles
        .into_iter()
        .map(|t| InheritedOut {
            successor_id: t.successor_id,
            successor_name: t.successor_name,
            recipient_id: t.recipient_id,
            recipient_name: t.recipient_name,
            unit_id: t.unit_id,
            unit_name: t.unit_name,
            dissolved_on: t.dissolved_on.to_string(),
            year: t.year,
            award: t.award.as_str().into(),
            award_name: award_name(lang, t.award).into(),
            decision_no: t.decision_no,
            decided_on: t.decided_on.to_string(),
            issuer: t.issuer,
        })
        .collect()
}

/// A record in the list: who, and where.
#[derive(Serialize, ToSchema)]
pub struct RecordLine {
    pub id: i64,
    /// individual, collective or household
    pub kind: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecordList {
    /// The records the caller may read
    pub records: Vec<RecordLine>,
    /// What the units whose records they read took over from dissolved units
    pub from_predecessors: Vec<InheritedOut>,
}

#[utoipa::path(get, path = "/emulation/records", tag = "emulation",
    responses((status = 200, body = RecordList), (status = 401, body = Problem)))]
pub async fn list_records(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Json<RecordList>> {
    let records = app_em::records(&state.app, &ctx.caller)
        .await?
        .into_iter()
        .map(|r| RecordLine {
            id: r.id,
            kind: r.kind.as_str().into(),
            name: r.name,
            unit_code: r.unit_code,
            unit_name: r.unit_name,
        })
        .collect();
    let from_predecessors = inherited_out(ctx.lang, app_em::inherited_titles(&state.app, &ctx.caller).await?);
    Ok(Json(RecordList { records, from_predecessors }))
}

#[utoipa::path(get, path = "/emulation/records/{id}", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = RecordOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_record(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> ApiResult<Json<RecordOut>> {
    let (r, rows) = app_em::record(&state.app, &ctx.caller, id).await?;
    let from_predecessors = inherited_out(ctx.lang, app_em::record_history(&state.app, &ctx.caller, &r).await?);
    let day = |d: &chrono::NaiveDate| d.to_string();
    Ok(Json(RecordOut {
        id: r.id,
        kind: r.kind.as_str().into(),
        name: r.name,
        unit_code: r.unit_code,
        unit_name: r.unit_name,
        ratings: rows
            .ratings
            .iter()
            .map(|x| RatingOut { year: x.year, rating: x.rating.as_str().into(), in_emulation: x.in_emulation })
            .collect(),
        titles: rows
            .titles
            .iter()
            .map(|t| TitleOut {
                year: t.year,
                award: t.award.as_str().into(),
                award_name: award_name(ctx.lang, t.award).into(),
                decision_no: t.decision_no.clone(),
                decided_on: day(&t.decided_on),
                issuer: t.issuer.clone(),
            })
            .collect(),
        disciplines: rows
            .disciplines
            .iter()
            .map(|d| DisciplineOut {
                level: d.level.as_str().into(),
                from: day(&d.from_day),
                to: d.to_day.as_ref().map(day),
                decision_no: d.decision_no.clone(),
            })
            .collect(),
        initiatives: rows
            .initiatives
            .iter()
            .map(|i| InitiativeOut {
                name: i.name.clone(),
                year: i.year,
                reach: i.reach.as_str().into(),
                used_for: i.used_for.map(|a| a.as_str().into()),
            })
            .collect(),
        periods: rows
            .periods
            .iter()
            .map(|p| PeriodOut { kind: p.kind.clone(), from: day(&p.from_day), to: p.to_day.as_ref().map(day) })
            .collect(),
        from_predecessors,
    }))
}

/// One entry: `entry` is rating, title, discipline, initiative, leave, investigation or member;
/// the other fields as that kind needs (dates YYYY-MM-DD).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EntryIn {
    pub entry: String,
    pub year: Option<i32>,
    pub rating: String,
    /// For a rating: whether they took part in the year's emulation movement (default true)
    pub in_emulation: Option<bool>,
    pub award: String,
    pub decision_no: String,
    pub decided_on: String,
    pub issuer: String,
    pub level: String,
    pub from: String,
    pub to: String,
    pub name: String,
    pub reach: String,
    pub used_for: String,
    /// For leave: maternity or other
    pub kind: String,
    /// For a collective's member: the member's record id
    pub member: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryCreated {
    /// The audit action of the entry, e.g. emulation.rating
    pub entry: String,
}

#[utoipa::path(post, path = "/emulation/records/{id}/entries", tag = "emulation", params(("id" = i64, Path)), request_body = EntryIn,
    responses((status = 201, body = EntryCreated), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<EntryIn>,
) -> ApiResult<Response> {
    let input = EntryInput {
        entry: b.entry,
        year: b.year.map(|y| y.to_string()).unwrap_or_default(),
        rating: b.rating,
        in_emulation: b.in_emulation.map(|x| x.to_string()).unwrap_or_default(),
        award: b.award,
        decision_no: b.decision_no,
        decided_on: b.decided_on,
        issuer: b.issuer,
        level: b.level,
        from: b.from,
        to: b.to,
        name: b.name,
        reach: b.reach,
        used_for: b.used_for,
        kind: b.kind,
        member: b.member.map(|m| m.to_string()).unwrap_or_default(),
    };
    let entry = app_em::record_entry(&state.app, &ctx.caller, id, &input).await?;
    Ok(created(EntryCreated { entry: entry.action().into() }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// The award's code, e.g. emulation_fighter_provincial
    pub award: Option<String>,
    pub year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConditionOut {
    /// R1–R12, or other
    pub rule: String,
    /// The sentence in the caller's language
    pub sentence: String,
    /// The legal basis, cited
    pub basis: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerdictOut {
    pub eligible: bool,
    pub award: String,
    pub year: i32,
    /// Each unmet condition (empty when eligible)
    pub unmet: Vec<ConditionOut>,
    /// The engine's structured verdict: unmet conditions with message keys and parameters
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// What the council still judges on the file (when eligible)
    pub judged: Vec<String>,
}

#[utoipa::path(get, path = "/emulation/records/{id}/eligibility", tag = "emulation", params(("id" = i64, Path), EligibilityQuery),
    responses((status = 200, body = VerdictOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn eligibility(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<EligibilityQuery>,
) -> ApiResult<Json<VerdictOut>> {
    let (award, year) = app_em::parse_nomination(q.award.as_deref().unwrap_or(""), q.year.as_deref().unwrap_or(""))?;
    let v = app_em::check_eligibility(&state.app, &ctx.caller, id, award, year).await?;
    let e = explain(ctx.lang, &v);
    Ok(Json(VerdictOut {
        eligible: e.eligible,
        award: award.as_str().into(),
        year,
        unmet: e.unmet.into_iter().map(|l| ConditionOut { rule: l.rule, sentence: l.text, basis: l.basis }).collect(),
        detail: serde_json::to_value(&v).unwrap_or_default(),
        judged: e.judged,
    }))
}
