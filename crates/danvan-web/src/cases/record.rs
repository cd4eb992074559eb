//! Recording by officers: a letter, a walk-in or a call typed in, with a printable receipt.

use super::form::{attributes_notes, case_form, case_input, form_attributes, refill_attributes};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::{Form, Page};
use crate::i18n;
use crate::pages::{render, render_status};
use crate::routes::Routes;
use crate::uploads::UploadForm;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::cases::queries::CaseRow;
use danvan_app::cases::Submission;
use danvan_domain::cases::Channel;

pub fn routes() -> Routes {
    Routes::new().get("/cases/record", record_form)
}

/// The submission takes files: the router gives it a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new().post("/cases/record", record_submit)
}

#[derive(Template)]
#[template(path = "cases/case_receipt.html")]
struct ReceiptPage {
    p: Page,
    c: CaseRow,
    unit: String,
    kind: String,
    link: String,
    due_sentence: String,
    received: String,
    /// Open cases nearby that look the same (the officer may merge them).
    duplicates: Vec<super::delivery::DupLine>,
}

async fn record_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::cases::authorize_case_work(&ctx.caller)?;
    let form = Form::new(ctx.lang)
        .set("kind", "feedback")
        .set("channel", "walk_in")
        .set("received_on", danvan_app::cases::today().to_string());
    Ok(render(&case_form(&state, &ctx, form, true, None).await?))
}

async fn record_submit(State(state): State<AppState>, ctx: Ctx, up: UploadForm) -> Result<Response, WebError> {
    danvan_app::cases::authorize_case_work(&ctx.caller)?;
    let UploadForm { form, files, permit: _permit } = up;
    let (input, mut errors) = case_input(&form);
    // Under `place`, as the use case names it (shown at `place_code`): one message for the field.
    let place = crate::pages::unit_by_code(&state, &form.get("place_code"), "place", &mut errors).await?;
    if let Some(p) = place {
        if danvan_app::cases::authorize_intake(&state.app, &ctx.caller, &danvan_app::org::queries::get_unit(&state.app, p).await?)
            .await
            .map_err(WebError::from)
            .is_err()
        {
            errors.add("place", "case.error.place_outside");
        }
    }
    let channel =
        Channel::parse(&form.get("channel")).filter(|c| !matches!(c, Channel::Web | Channel::Import | Channel::Open311));
    if channel.is_none() {
        errors.add("channel", "error.invalid");
    }
    let received_on = match form.get("received_on") {
        v if v.trim().is_empty() => None,
        v => {
            // Its range (1945 to today) is the use case's to check, as for every way in.
            let d = crate::html::parse_date(&v);
            if d.is_none() {
                errors.add("received_on", "error.date");
            }
            d
        }
    };
    let unit_override = match form.get("unit_code").trim() {
        "" => None,
        code => match danvan_app::org::queries::get_unit_by_code(&state.app, code).await? {
            Some(u) => Some((u.id, form.get("unit_reason"))),
            None => {
                errors.add("unit_code", "error.unit_unknown");
                None
            }
        },
    };
    let extras = form_attributes(&state, &form, &mut errors).await?;
    // The use case checks the whole submission (with what was found above) before it decodes
    // any photo.
    let submission = Submission {
        notify_zalo: form.get("notify_zalo") == "on",
        input,
        category_code: form.get("category"),
        place_unit_id: place,
        channel: channel.unwrap_or(Channel::WalkIn),
        received_on,
        idempotency_key: Some(form.get("started"))
            .filter(|s| !s.is_empty())
            .map(|s| format!("form-{}-{s}", ctx.caller.account.as_ref().map(|a| a.id).unwrap_or(0))),
        source: None,
        unit_override,
        notes: attributes_notes(&extras),
        actor_label: None,
        concern: super::form::concern_input(&form),
    };
    let result =
        danvan_app::cases::submit_with_files(&state.app, &ctx.caller, submission, files, errors).await.map_err(WebError::from);
    match result {
        Ok((c, Some(secret))) => {
            let unit = danvan_app::org::queries::get_unit(&state.app, c.unit_id).await?;
            let due = c.accept_due.map(|d| crate::html::date(ctx.lang, &d)).unwrap_or_default();
            let page = ReceiptPage {
                p: Page::new(&ctx, &ctx.t("case.receipt_title")),
                kind: ctx.t(crate::labels::case_kind(c.kind)),
                link: format!("/track/{}?s={secret}", c.code),
                due_sentence: i18n::tf(ctx.lang, "case.accept_sentence", &[("unit", &unit.name), ("date", &due)]),
                received: crate::html::date(ctx.lang, &c.received_on),
                unit: unit.name,
                duplicates: super::delivery::duplicate_lines(&state, &ctx, &c).await?,
                c,
            };
            Ok(render(&page))
        }
        // A resubmitted form (same key): show the case, not a second one.
        Ok((c, None)) => Ok(Redirect::to(&format!("/cases/{}", c.id)).into_response()),
        Err(WebError::Invalid(e)) => {
            let mut f = crate::pages::refill(&ctx, &form, &e, &[("place", "place_code"), ("unit", "unit_code")]);
            refill_attributes(&state, &form, &mut f).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &case_form(&state, &ctx, f, true, None).await?))
        }
        Err(e) => Err(e),
    }
}
