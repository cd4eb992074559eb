//! A unit's symbol for the numbers of its answers to citizens ("46/UBND-TL"): a small page of its
//! own, for whoever may update the unit (`danvan_app::org::units::set_answer_symbol`).

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Page};
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::org::queries::Unit;
use danvan_domain::cases::answer_number::{answer_number, default_answer_symbol};

pub fn routes() -> Routes {
    Routes::new().get("/admin/units/{id}/answer-symbol", show).post("/admin/units/{id}/answer-symbol", save)
}

#[derive(Template)]
#[template(path = "org/unit_answer_symbol.html")]
struct SymbolPage {
    p: Page,
    unit: Unit,
    form: Form,
    /// "46/UBND-TL" with the symbol in force.
    example: String,
    default: String,
}

async fn page(state: &AppState, ctx: &Ctx, id: i64, form: Option<Form>) -> Result<SymbolPage, WebError> {
    let (symbol, own) = danvan_app::org::units::answer_symbol(&state.app, &ctx.caller, id).await?;
    let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
    let form = form.unwrap_or_else(|| Form::new(ctx.lang).set("answer_symbol", if own { symbol.as_str() } else { "" }));
    Ok(SymbolPage {
        p: Page::new(ctx, &ctx.t("unit.answer_symbol")),
        example: answer_number(46, &symbol, unit.kind),
        default: default_answer_symbol(unit.kind),
        unit,
        form,
    })
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    Ok(render(&page(&state, &ctx, id, None).await?))
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    match danvan_app::org::units::set_answer_symbol(&state.app, &ctx.caller, id, &form.get("answer_symbol")).await {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/units/{id}"), "admin.saved", &[])),
        Err(e) => match WebError::from(e) {
            WebError::Invalid(e) => {
                let f = refill(&ctx, &form, &e, &[]);
                Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &ctx, id, Some(f)).await?))
            }
            e => Err(e),
        },
    }
}
