//! The sent answer as the unit's document, laid out per Decree 30/2020/NĐ-CP and printable (print
//! CSS, no JavaScript). Three doors, one document: the officers of the case, the citizen's
//! private link, and the public page of a published case — the last without personal data.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{urlencode, Page};
use crate::pages::render;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use danvan_app::cases::queries::CaseRow;
use danvan_domain::cases::document;
use danvan_domain::{Action, FieldErrors};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/cases/{id}/answer/print", officer)
        .get("/track/{code}/answer", citizen)
        .get("/public/cases/{code}/answer", public)
}

#[derive(Template)]
#[template(path = "cases/answer_doc.html")]
struct AnswerDocPage {
    p: Page,
    /// The page the document was opened from (UI chrome, hidden when printing).
    back: String,
    parent_body: Option<String>,
    issuer: String,
    register_no: String,
    place_date: String,
    subject: String,
    addressee: String,
    body: String,
    files: Vec<String>,
    signer_lines: Vec<String>,
    signer_name: String,
    /// Not yet sent: the draft as it would go out, marked DỰ THẢO (the lead unit's officials).
    draft: bool,
}

/// Who is reading, which decides whether the sender's name may be printed.
enum Viewer {
    /// An officer: the name only if `ViewContacts` passes (for a denunciation, the assigned officer).
    Officer,
    /// The holder of the private link: the sender's own name, except a denouncer's (whose
    /// identity nobody but the handling officer sees, and a link can be passed on).
    Citizen,
    /// Anyone: never personal data.
    Public,
}

/// The document of a case whose answer was sent; `None` when there is none yet. The lead unit's
/// officials (`Viewer::Officer`) also preview a draft or a signed answer not yet sent, marked
/// DỰ THẢO, so the leader reads what they sign (issue 9).
async fn document_page(
    state: &AppState,
    ctx: &Ctx,
    c: &CaseRow,
    viewer: Viewer,
    back: String,
) -> Result<Option<AnswerDocPage>, WebError> {
    let drafts = matches!(viewer, Viewer::Officer);
    let Some(answer) = danvan_app::cases::queries::answer(&state.app, c.id).await?.filter(|a| a.sent_at.is_some() || drafts)
    else {
        return Ok(None);
    };
    let draft = answer.sent_at.is_none();
    let unit = danvan_app::org::queries::get_unit(&state.app, c.unit_id).await?;
    let mut chain = danvan_app::org::queries::get_units(&state.app, &unit.ancestry()).await?;
    chain.sort_by_key(|u| u.depth);
    let pairs: Vec<(&str, &str)> = chain.iter().map(|u| (u.kind.as_str(), u.name.as_str())).collect();
    let (parent_body, issuer) = document::header_bodies(&pairs);
    // The document is dated the day it was signed off, in Vietnam.
    let signed = answer.approved_at.or(answer.sent_at).unwrap_or_else(chrono::Utc::now);
    let day = signed.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();

    // The signer: the approving leader, with the position of their membership nearest the
    // handling unit (its own first, then the closest unit above it).
    let (signer_name, title) = match answer.approved_by {
        Some(id) => {
            let name = danvan_app::org::queries::get_account(&state.app, id).await.map(|a| a.full_name).unwrap_or_default();
            let anc = c.unit_ancestry();
            let title = danvan_app::org::queries::memberships_of(&state.app, id)
                .await?
                .into_iter()
                .filter(|m| anc.contains(&m.unit_id) && !m.title.trim().is_empty())
                .max_by_key(|m| anc.iter().position(|u| *u == m.unit_id))
                .map(|m| m.title)
                .unwrap_or_default();
            (name, title)
        }
        None => (String::new(), String::new()),
    };

    let name = match viewer {
        Viewer::Officer if danvan_app::cases::authorize_case(&ctx.caller, c, Action::ViewContacts).is_ok() => {
            danvan_app::cases::queries::case_contact(&state.app, c.id).await?.name
        }
        // A link can be passed on: never the name of a sender who is or was a denouncer.
        Viewer::Citizen if !c.identity_protected => danvan_app::cases::queries::case_contact(&state.app, c.id).await?.name,
        _ => None,
    };
    // Answer files are never public (their names and contents may name the citizen).
    let files = if matches!(viewer, Viewer::Public) {
        vec![]
    } else {
        danvan_app::cases::queries::attachments(&state.app, c.id)
            .await?
            .into_iter()
            .filter(|a| a.purpose == danvan_domain::cases::attachment::Purpose::Answer)
            .map(|a| a.file_name)
            .collect()
    };
    Ok(Some(AnswerDocPage {
        p: Page::new(ctx, &format!("{} — {}", ctx.t("answer_doc.title"), c.code)),
        back,
        parent_body,
        issuer,
        // Numbered when signed: a draft shows where the number goes.
        register_no: answer.register_no.unwrap_or_else(|| "…….".into()),
        place_date: document::place_and_date(&document::place_name(&pairs), day),
        subject: format!("V/v trả lời {} mã {}", document::sender_and_subject(c.kind.as_str()).1, c.code),
        addressee: document::addressee(c.kind.as_str(), name.as_deref()),
        body: answer.body,
        files,
        signer_lines: document::signer_lines(unit.kind.as_str(), &title),
        signer_name,
        draft,
    }))
}

/// Pages naming a person are not kept by caches.
fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn officer(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    // The lead unit's officials print the answer (a supporting unit sees it once sent, on the
    // case page).
    let c = danvan_app::cases::queries::internal_case(&state.app, &ctx.caller, id).await?;
    match document_page(&state, &ctx, &c, Viewer::Officer, format!("/cases/{}", c.id)).await? {
        Some(page) => Ok(no_store(render(&page))),
        // The officer knows the case: say there is no answer yet rather than "not found".
        None => Err(WebError::Conflict(FieldErrors::one("answer", "answer_doc.not_sent"))),
    }
}

async fn citizen(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let secret = q.get("s").cloned().unwrap_or_default();
    // The secret is the capability, as on the tracking page: a wrong one is an unknown case.
    let c = danvan_app::cases::queries::case_by_secret(&state.app, &code, &secret).await?.ok_or(WebError::NotFound)?;
    let back = format!("/track/{}?s={}", c.code, urlencode(&secret));
    let page = document_page(&state, &ctx, &c, Viewer::Citizen, back).await?.ok_or(WebError::NotFound)?;
    Ok(no_store(render(&page)))
}

async fn public(State(state): State<AppState>, ctx: Ctx, PathParam(code): PathParam<String>) -> Result<Response, WebError> {
    // Only published cases (never a denunciation), and no hint that an unpublished code exists.
    let c = danvan_app::cases::queries::public_case(&state.app, &code).await?.ok_or(WebError::NotFound)?;
    let back = format!("/public/cases/{}", c.code);
    let page = document_page(&state, &ctx, &c, Viewer::Public, back).await?.ok_or(WebError::NotFound)?;
    Ok(render(&page))
}
