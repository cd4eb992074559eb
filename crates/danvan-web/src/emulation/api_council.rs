//! The council round in the JSON API: the award catalogue, nomination lists with the engine's
//! verdict beside each name, the council's secret ballot and count, and decisions (the document
//! as plain data; a draft corrected with PATCH, issued, or amended once issued — PATCH on an
//! issued decision is 409). Errors are problem documents like the rest of the API.

use super::{award_name, explain};
use crate::api::{created, ApiJson, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use danvan_app::emulation::decisions::{self as app_dec, DecisionInput};
use danvan_app::emulation::document::decision_document;
use danvan_app::emulation::nominations::{self as app_nom, CouncilInput, ItemInput, NominationInput};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

type ApiResult<T> = Result<T, WebError>;

#[derive(Serialize, ToSchema)]
pub struct CatalogueOut {
    pub award: String,
    pub name: String,
    /// title or form
    pub kind: String,
    /// grassroots, provincial or national
    pub level: String,
    pub recipients: Vec<String>,
    pub effective_from: String,
    pub effective_to: Option<String>,
}

#[utoipa::path(get, path = "/emulation/awards", tag = "emulation",
    responses((status = 200, body = Vec<CatalogueOut>)))]
pub async fn awards(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Json<Vec<CatalogueOut>>> {
    let rows = app_dec::award_catalogue(&state.app).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| CatalogueOut {
                award: r.award.as_str().into(),
                name: award_name(ctx.lang, r.award).into(),
                kind: r.kind.as_str().into(),
                level: r.level.as_str().into(),
                recipients: r.recipients.split(',').map(String::from).collect(),
                effective_from: r.effective_from.to_string(),
                effective_to: r.effective_to.map(|d| d.to_string()),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NominationIn {
    /// The proposing unit's code
    pub unit: String,
    pub year: Option<i32>,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[utoipa::path(post, path = "/emulation/nominations", tag = "emulation", request_body = NominationIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_nomination(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<NominationIn>,
) -> ApiResult<Response> {
    let input = NominationInput { unit: b.unit, year: b.year.map(|y| y.to_string()).unwrap_or_default(), title: b.title };
    Ok(created(Created { id: app_nom::create_nomination(&state.app, &ctx.caller, &input).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub id: i64,
    pub recipient: i64,
    pub name: String,
    pub award: String,
    /// The engine's verdict now
    pub eligible: bool,
    /// Each unmet condition as a sentence in the caller's language
    pub unmet: Vec<String>,
    /// The written justification of an ineligible name, flagged to the council
    pub justification: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub passed: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct NominationOut {
    pub id: i64,
    pub unit: String,
    pub year: i64,
    pub title: String,
    /// draft, submitted or decided
    pub status: String,
    pub council: Option<i64>,
    pub decisions: Vec<i64>,
    pub items: Vec<ItemOut>,
}

#[utoipa::path(get, path = "/emulation/nominations/{id}", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = NominationOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_nomination(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<NominationOut>> {
    let v = app_nom::nomination(&state.app, &ctx.caller, id).await?;
    let items = v
        .items
        .iter()
        .map(|x| {
            let e = explain(ctx.lang, &x.verdict);
            let i = &x.item;
            ItemOut {
                id: i.id,
                recipient: i.recipient_id,
                name: i.recipient_name.clone(),
                award: i.award.as_str().into(),
                eligible: e.eligible,
                unmet: e.unmet.into_iter().map(|l| l.text).collect(),
                justification: i.justification.clone(),
                votes_for: i.votes_for,
                votes_against: i.votes_against,
                votes_abstain: i.votes_abstain,
                passed: i.passed,
            }
        })
        .collect();
    Ok(Json(NominationOut {
        id: v.nomination.id,
        unit: v.nomination.unit_name.clone(),
        year: v.nomination.year,
        title: v.nomination.title.clone(),
        status: v.nomination.status.as_str().into(),
        council: v.council.as_ref().map(|c| c.id),
        decisions: v.decisions.iter().map(|d| d.id).collect(),
        items,
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ItemIn {
    /// The recipient's record id
    pub recipient: Option<i64>,
    pub award: String,
    /// Required when the engine finds the name ineligible
    pub justification: String,
}

#[derive(Serialize, ToSchema)]
pub struct ItemCreated {
    pub id: i64,
    pub eligible: bool,
}

#[utoipa::path(post, path = "/emulation/nominations/{id}/items", tag = "emulation", params(("id" = i64, Path)), request_body = ItemIn,
    responses((status = 201, body = ItemCreated), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<ItemIn>,
) -> ApiResult<Response> {
    let input = ItemInput {
        recipient: b.recipient.map(|r| r.to_string()).unwrap_or_default(),
        award: b.award,
        justification: b.justification,
    };
    let (item, eligible) = app_nom::add_item(&state.app, &ctx.caller, id, &input).await?;
    Ok(created(ItemCreated { id: item, eligible }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CouncilIn {
    /// YYYY-MM-DD
    pub meeting_on: String,
    pub quorum: Option<i64>,
    /// secret or paper
    pub mode: String,
    /// The members' usernames
    pub members: Vec<String>,
}

#[utoipa::path(post, path = "/emulation/nominations/{id}/council", tag = "emulation", params(("id" = i64, Path)), request_body = CouncilIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<CouncilIn>,
) -> ApiResult<Response> {
    let input = CouncilInput {
        meeting_on: b.meeting_on,
        quorum: b.quorum.map(|q| q.to_string()).unwrap_or_default(),
        mode: b.mode,
        members: b.members.join("\n"),
    };
    Ok(created(Created { id: app_nom::submit_to_council(&state.app, &ctx.caller, id, &input).await? }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct BallotIn {
    /// Item id → for, against or abstain; every name needs a vote
    pub votes: HashMap<String, String>,
}

#[utoipa::path(post, path = "/emulation/councils/{id}/votes", tag = "emulation", params(("id" = i64, Path)), request_body = BallotIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<BallotIn>,
) -> ApiResult<StatusCode> {
    app_nom::cast_vote(&state.app, &ctx.caller, id, &b.votes).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PaperCount {
    #[serde(rename = "for")]
    pub votes_for: Option<u32>,
    pub against: Option<u32>,
    pub abstain: Option<u32>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CloseIn {
    /// For a paper ballot: item id → the counts the secretary recorded
    pub paper: HashMap<String, PaperCount>,
}

#[derive(Serialize, ToSchema)]
pub struct CountOut {
    pub item: i64,
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
    pub passed: bool,
}

#[utoipa::path(post, path = "/emulation/councils/{id}/close", tag = "emulation", params(("id" = i64, Path)), request_body = CloseIn,
    responses((status = 200, body = Vec<CountOut>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<CloseIn>,
) -> ApiResult<Json<Vec<CountOut>>> {
    let s = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_default();
    let paper = b.paper.into_iter().map(|(k, c)| (k, (s(c.votes_for), s(c.against), s(c.abstain)))).collect();
    let counts = app_nom::close_council(&state.app, &ctx.caller, id, &paper).await?;
    Ok(Json(
        counts
            .into_iter()
            .map(|c| CountOut {
                item: c.item_id,
                votes_for: c.votes_for,
                against: c.against,
                abstain: c.abstain,
                passed: c.passed,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DecisionIn {
    /// YYYY-MM-DD
    pub decided_on: String,
    pub place: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
}

impl From<DecisionIn> for DecisionInput {
    fn from(b: DecisionIn) -> Self {
        DecisionInput {
            decided_on: b.decided_on,
            place: b.place,
            subject: b.subject,
            signer_name: b.signer_name,
            signer_title: b.signer_title,
        }
    }
}

#[utoipa::path(post, path = "/emulation/nominations/{id}/decision", tag = "emulation", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn draft_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<DecisionIn>,
) -> ApiResult<Response> {
    Ok(created(Created { id: app_dec::draft_decision(&state.app, &ctx.caller, id, &b.into()).await? }))
}

/// The decision as a document: issuer, number, place and date, articles, signer and the annex
/// with each recipient's award and amount.
#[utoipa::path(get, path = "/emulation/decisions/{id}", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, description = "The decision as a document: issuer, number, place and date, articles, signer, annex"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let doc = decision_document(&state.app, &ctx.caller, id).await?;
    Ok(Json(serde_json::to_value(doc).map_err(|e| WebError::Internal(e.to_string()))?))
}

#[utoipa::path(patch, path = "/emulation/decisions/{id}", tag = "emulation", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<DecisionIn>,
) -> ApiResult<StatusCode> {
    app_dec::update_decision(&state.app, &ctx.caller, id, &b.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Issued {
    /// As written, e.g. 15/QĐ-UBND
    pub number: String,
}

#[utoipa::path(post, path = "/emulation/decisions/{id}/issue", tag = "emulation", params(("id" = i64, Path)),
    responses((status = 200, body = Issued), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn issue(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> ApiResult<Json<Issued>> {
    Ok(Json(Issued { number: app_dec::issue_decision(&state.app, &ctx.caller, id).await? }))
}

#[utoipa::path(post, path = "/emulation/decisions/{id}/amend", tag = "emulation", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn amend(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    ApiJson(b): ApiJson<DecisionIn>,
) -> ApiResult<Response> {
    Ok(created(Created { id: app_dec::amend_decision(&state.app, &ctx.caller, id, &b.into()).await? }))
}
