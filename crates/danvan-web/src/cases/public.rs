//! Public accountability: the list of public cases, a public case, a unit's figures.

use super::files::split_files;
use super::lines::{lines, CaseLine};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, Page};
use crate::i18n;
use crate::pages::render;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use danvan_app::cases::queries::{Answer, Attachment, CaseEvent, CaseFilter, CaseSort};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new().get("/public/cases", public_list).get("/public/cases/{code}", public_case)
}

#[derive(Template)]
#[template(path = "cases/public_cases.html")]
struct PublicListPage {
    p: Page,
    lines: Vec<CaseLine>,
    pager: String,
    total_label: String,
    q: String,
    /// The search had more words or characters than are searched (the excess is ignored).
    q_cut: bool,
    figures: Option<super::figures::FiguresView>,
}

async fn public_list(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let page = crate::extract::page_number(get("page").parse().ok());
    let unit = match get("unit") {
        c if c.is_empty() => None,
        c => danvan_app::org::queries::get_unit_by_code(&state.app, &c).await?,
    };
    let filter = CaseFilter {
        within: unit.as_ref().map(|u| u.id),
        q: get("q"),
        public_only: true,
        sort: CaseSort::Newest,
        limit: 30,
        offset: (page - 1) * 30,
        ..Default::default()
    };
    let (rows, total) = danvan_app::cases::queries::list_cases(&state.app, &ctx.caller, &filter).await?;
    let figures = match &unit {
        Some(u) => Some(super::figures::figures_view(&state, &ctx, u, &get("period")).await?),
        None => None,
    };
    Ok(render(&PublicListPage {
        p: Page::new(&ctx, &ctx.t("case.public_title")),
        lines: lines(&state, &ctx, rows).await?,
        pager: pagination(
            ctx.lang,
            "/public/cases",
            &[("q", get("q")), ("unit", get("unit")), ("period", get("period"))],
            page,
            30,
            total,
        ),
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        q_cut: danvan_domain::text::search_is_cut(&get("q")),
        q: get("q"),
        figures,
    }))
}

#[derive(Template)]
#[template(path = "cases/public_case.html")]
struct PublicCasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    photos: Vec<Attachment>,
    fq: String,
}

async fn public_case(State(state): State<AppState>, ctx: Ctx, PathParam(code): PathParam<String>) -> Result<Response, WebError> {
    // Not published: as if it did not exist (no hint that the code is taken).
    let c = danvan_app::cases::queries::public_case(&state.app, &code).await?.ok_or(WebError::NotFound)?;
    let events = danvan_app::cases::queries::case_events(&state.app, c.id, true).await?;
    let answer = danvan_app::cases::queries::answer(&state.app, c.id).await?.filter(|a| a.sent_at.is_some());
    // An answer's files (official letters) usually name the citizen: never on the public page.
    let (photos, _) = split_files(danvan_app::cases::queries::attachments(&state.app, c.id).await?, false);
    let line = lines(&state, &ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(render(&PublicCasePage {
        p: Page::new(&ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(crate::labels::case_kind(line.c.kind)),
        status: ctx.t(crate::labels::public_case_status(line.c.status)),
        events,
        answer,
        photos,
        fq: String::new(),
        line,
    }))
}
