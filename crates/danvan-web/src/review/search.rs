//! The search page (`/search?q=…&type=…&unit=…&from=…&to=…`), for officials and the public alike:
//! what each may read (`danvan_app::review::search`), what was typed with its diacritics first,
//! the words found highlighted (`<mark>`), filters by kind, unit and date.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::{esc, Form, Opt, Page};
use crate::pages::{render, render_status};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::input::filter_date;
use danvan_app::review::search::{search, HitKind, SearchInput};
use danvan_domain::review::search::{highlight, snippet};
use danvan_domain::FieldErrors;
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new().get("/search", page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub unit: String,
    pub from: String,
    pub to: String,
}

/// A hit as shown: its kind's label, the title and snippet as HTML with the words marked.
struct Line {
    kind: String,
    title_html: String,
    text_html: String,
    link: String,
    meta: String,
    date: String,
}

#[derive(Template)]
#[template(path = "review/search.html")]
struct SearchPage {
    p: Page,
    form: Form,
    kinds: Vec<Opt>,
    searched: bool,
    lines: Vec<Line>,
    cut: bool,
}

/// Pieces as HTML, the marked ones in `<mark>`.
fn marked(pieces: &[(String, bool)]) -> String {
    pieces.iter().map(|(s, m)| if *m { format!("<mark>{}</mark>", esc(s)) } else { esc(s) }).collect()
}

fn kind_key(k: HitKind) -> &'static str {
    match k {
        HitKind::Case => "search.kind.case",
        HitKind::Model => "search.kind.model",
        HitKind::Unit => "search.kind.unit",
        HitKind::Report => "search.kind.report",
    }
}

async fn page(State(state): State<AppState>, ctx: Ctx, QueryParams(q): QueryParams<SearchQuery>) -> Result<Response, WebError> {
    let mut errors = FieldErrors::default();
    let kind = match q.kind.trim() {
        "" => None,
        k => {
            let parsed = HitKind::parse(k);
            if parsed.is_none() {
                errors.add("type", "error.invalid");
            }
            parsed
        }
    };
    let from = filter_date(&q.from, "from", &mut errors);
    let to = filter_date(&q.to, "to", &mut errors);
    let form = Form::new(ctx.lang).set("q", &q.q).set("type", &q.kind).set("unit", &q.unit).set("from", &q.from).set("to", &q.to);
    let mut kinds = vec![Opt { value: String::new(), label: ctx.t("search.kind.all") }];
    kinds.extend(HitKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(kind_key(*k)) }));
    let title = ctx.t("search.title");
    if !errors.is_empty() {
        let page = SearchPage {
            p: Page::new(&ctx, &title),
            form: form.with_errors(&errors),
            kinds,
            searched: false,
            lines: vec![],
            cut: false,
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let input = SearchInput { q: q.q.clone(), kind, unit: q.unit.clone(), from, to };
    let hits = match search(&state.app, &ctx.caller, &input).await {
        Ok(h) => h,
        Err(danvan_app::AppError::Invalid(e)) => {
            let page = SearchPage {
                p: Page::new(&ctx, &title),
                form: form.with_errors(&e),
                kinds,
                searched: false,
                lines: vec![],
                cut: false,
            };
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(e) => return Err(e.into()),
    };
    let lines = hits
        .iter()
        .map(|h| Line {
            kind: ctx.t(kind_key(h.kind)),
            title_html: marked(&highlight(&q.q, &h.title)),
            text_html: marked(&snippet(&highlight(&q.q, &h.text), 240)),
            link: h.link.clone(),
            meta: h.meta.clone(),
            date: h.date.map(|d| crate::html::date(ctx.lang, &d)).unwrap_or_default(),
        })
        .collect();
    let searched = !danvan_domain::text::search_query(&q.q).is_empty();
    // The excess of a long search is ignored; the field says so, as on every search page.
    let cut = danvan_domain::text::search_is_cut(&q.q);
    let form = if cut { form.with_errors(&FieldErrors::one("q", "error.search_cut")) } else { form };
    Ok(render(&SearchPage { p: Page::new(&ctx, &title), form, kinds, searched, lines, cut }))
}
