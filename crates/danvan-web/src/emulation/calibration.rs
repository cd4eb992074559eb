//! A unit's calibration for printing certificates on its pre-printed blanks (issue 11 item 8):
//! a shift in millimetres for the whole page and for each printed field, and a trial sheet (a
//! sample certificate as text only, placed by the calibration) to print on plain paper and hold
//! against a blank until they match. Kept by the unit's emulation officers and leaders
//! (`danvan_app::emulation::certificates`).

use super::decision_files::{blocking, file, overlay_calibration};
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
use danvan_app::emulation::certificates as app_cert;
use danvan_domain::emulation::{Calibration, CALIBRATED};
use danvan_reports::commendation::{certificates_overlay_pdf, sample};

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/units/{id}/calibration", show)
        .post("/emulation/units/{id}/calibration", save)
        .get("/emulation/units/{id}/calibration/trial.pdf", trial)
}

/// One calibrated part: its field names and its label.
struct Part {
    dx: String,
    dy: String,
    label: String,
}

#[derive(Template)]
#[template(path = "emulation/calibration.html")]
struct CalibrationPage {
    p: Page,
    unit_id: i64,
    unit_name: String,
    parts: Vec<Part>,
    form: Form,
}

/// Each calibrated part's name in the catalogues.
fn part_key(part: &str) -> &'static str {
    match part {
        "page" => "emulation.calibration.part.page",
        "recipient_name" => "emulation.calibration.part.recipient_name",
        "recipient_detail" => "emulation.calibration.part.recipient_detail",
        "achievement" => "emulation.calibration.part.achievement",
        "place_date" => "emulation.calibration.part.place_date",
        "signer" => "emulation.calibration.part.signer",
        "decision" => "emulation.calibration.part.decision",
        _ => "emulation.calibration.part.register_number",
    }
}

/// Millimetres as the officer types them: "-1,5" in Vietnamese, "-1.5" in English; empty for 0.
fn mm(ctx: &Ctx, v: f32) -> String {
    if v == 0.0 {
        return String::new();
    }
    let s = format!("{v}");
    if ctx.lang == crate::i18n::Lang::Vi {
        s.replace('.', ",")
    } else {
        s
    }
}

fn filled(ctx: &Ctx, cal: &Calibration) -> Form {
    CALIBRATED.iter().fold(Form::new(ctx.lang), |f, part| {
        let s = cal.shift(part);
        f.set(&format!("{part}_dx"), mm(ctx, s.dx)).set(&format!("{part}_dy"), mm(ctx, s.dy))
    })
}

async fn page(state: &AppState, ctx: &Ctx, id: i64, form: Option<Form>) -> Result<CalibrationPage, WebError> {
    let (unit, cal) = app_cert::calibration(&state.app, &ctx.caller, id).await?;
    let parts = CALIBRATED
        .iter()
        .map(|part| Part { dx: format!("{part}_dx"), dy: format!("{part}_dy"), label: ctx.t(part_key(part)) })
        .collect();
    Ok(CalibrationPage {
        p: Page::new(ctx, &ctx.t("emulation.calibration")),
        unit_id: unit.id,
        unit_name: unit.name,
        parts,
        form: form.unwrap_or_else(|| filled(ctx, &cal)),
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
    match app_cert::set_calibration(&state.app, &ctx.caller, id, |name| form.get(name)).await.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/emulation/units/{id}/calibration"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &ctx, id, Some(f)).await?))
        }
        Err(e) => Err(e),
    }
}

/// A sample certificate printed with the unit's calibration.
async fn trial(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let (_, cal) = app_cert::calibration(&state.app, &ctx.caller, id).await?;
    let cal = overlay_calibration(&cal);
    let bytes = blocking(move || certificates_overlay_pdf(&sample::sample_certificates(1), &cal)).await?;
    Ok(file(bytes, "application/pdf", "in-thu-phoi.pdf".into()))
}
