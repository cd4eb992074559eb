//! The inbox's bulk work in the JSON API: assign many cases to one official, each through the
//! state machine, with a report case by case.

use crate::api::{ApiJson, Problem};
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::i18n;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use danvan_domain::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct BulkAssignIn {
    /// Tracking codes of the cases, e.g. ["PA-2026-000123"] (at most 200)
    pub codes: Vec<String>,
    /// Username of the officer or leader who will handle them
    pub assignee: String,
    /// Internal note recorded in each case's history
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct BulkItemOut {
    /// The tracking code as sent
    pub code: String,
    pub assigned: bool,
    /// Why it was refused: a translation key and its message in the caller's language
    pub key: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkAssignOut {
    pub assigned: usize,
    pub refused: usize,
    pub items: Vec<BulkItemOut>,
}

#[utoipa::path(post, path = "/cases/assign", tag = "cases", request_body = BulkAssignIn,
    responses((status = 200, body = BulkAssignOut, description = "At least one case was assigned; the others say why not"),
        (status = 409, body = BulkAssignOut, description = "No case could be assigned"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn bulk_assign(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<BulkAssignIn>,
) -> Result<Response, WebError> {
    ctx.require_account()?;
    // Refused before any work when far over the cap; dedup by set, order kept.
    if body.codes.len() > danvan_domain::cases::inbox::MAX_RAW_BULK {
        return Err(WebError::Invalid(FieldErrors::one("codes", "inbox.error.too_many")));
    }
    let mut codes: Vec<String> = vec![];
    let mut seen = std::collections::HashSet::new();
    for c in &body.codes {
        let c = c.trim().to_uppercase();
        if !c.is_empty() && seen.insert(c.clone()) {
            codes.push(c);
        }
    }
    if codes.is_empty() {
        return Err(WebError::Invalid(FieldErrors::one("codes", "inbox.error.none_selected")));
    }
    if codes.len() > danvan_domain::cases::inbox::MAX_BULK {
        return Err(WebError::Invalid(FieldErrors::one("codes", "inbox.error.too_many")));
    }
    // Codes become ids; an unknown code is reported like a refused case, in its place.
    let mut ids = vec![];
    let mut unknown = vec![];
    for c in &codes {
        match danvan_app::cases::queries::get_case_by_code(&state.app, c).await? {
            Some(row) => ids.push((c.clone(), row.id)),
            None => unknown.push(c.clone()),
        }
    }
    let just_ids: Vec<i64> = ids.iter().map(|(_, id)| *id).collect();
    let outcome = if just_ids.is_empty() {
        danvan_domain::cases::inbox::BulkOutcome::default()
    } else {
        danvan_app::cases::bulk_assign(&state.app, &ctx.caller, &just_ids, &body.assignee, &body.note).await?
    };
    // 403 only when every code named a case the caller may not handle; with unknown codes in the
    // same request the full report (409) says which were which.
    if unknown.is_empty()
        && !outcome.items.is_empty()
        && outcome.items.iter().all(|i| i.refused.as_deref() == Some("error.forbidden"))
    {
        return Err(WebError::Forbidden);
    }
    let mut items: Vec<BulkItemOut> = outcome
        .items
        .iter()
        .zip(&ids)
        .map(|(i, (code, _))| BulkItemOut {
            code: code.clone(),
            assigned: i.refused.is_none(),
            message: i.refused.as_ref().map(|k| i18n::t(ctx.lang, k)),
            key: i.refused.clone(),
        })
        .collect();
    items.extend(unknown.into_iter().map(|code| BulkItemOut {
        code,
        assigned: false,
        key: Some("error.not_found".into()),
        message: Some(i18n::t(ctx.lang, "error.not_found")),
    }));
    let assigned = items.iter().filter(|i| i.assigned).count();
    let out = BulkAssignOut { assigned, refused: items.len() - assigned, items };
    let status = if assigned == 0 { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((status, Json(out)).into_response())
}
