//! The indicator catalogue for readers (`/review/indicators`, public: the public figures use it
//! too): each indicator's name, meaning, formula, basis, unit and direction, as the dashboards,
//! reports, API and movement scores compute it. `/emulation/indicators`, where it first lived,
//! redirects here.

use super::api::name_of;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::Page;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::response::Response;
use danvan_app::indicators::CATALOGUE;

pub fn routes() -> Routes {
    Routes::new().get("/review/indicators", page).get("/emulation/indicators", moved)
}

struct Entry {
    key: String,
    name: String,
    meaning: String,
    formula: String,
    basis: String,
    unit: String,
    direction: String,
}

#[derive(Template)]
#[template(path = "review/indicators.html")]
struct CataloguePage {
    p: Page,
    entries: Vec<Entry>,
}

async fn page(ctx: Ctx) -> Result<Response, WebError> {
    let entries = CATALOGUE
        .iter()
        .map(|d| Entry {
            key: d.key.as_str().into(),
            name: name_of(ctx.lang, d.name_vi, d.name_en),
            meaning: name_of(ctx.lang, d.meaning_vi, d.meaning_en),
            formula: d.formula.into(),
            basis: d.basis.into(),
            unit: ctx.t(crate::labels::indicator_unit(d.unit)),
            direction: ctx.t(crate::labels::indicator_direction(d.direction)),
        })
        .collect();
    Ok(render(&CataloguePage { p: Page::new(&ctx, &ctx.t("indicator.title")), entries }))
}

async fn moved() -> axum::response::Redirect {
    axum::response::Redirect::permanent("/review/indicators")
}
