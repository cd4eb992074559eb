//! The emulation settings page (administrators): the versions in force over time, and a form
//! to add one (prefilled with the latest) or replace the version of a date. The JSON API reads
//! the versions (`GET /api/v1/emulation/settings`).

use super::award_name;
use crate::ctx::{admin_only, Ctx};
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Opt, Page};
use crate::i18n::number;
use crate::pages::{redirect_with, refill, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_domain::emulation::{
    coefficient_field, coefficient_text, high_field, settings_form_values, Award, EmulationSettings, SettingsBook, BASE_SALARY,
    GRASSROOTS_CAP, MAX_ABSENCE, ROUNDING_UNIT, WOMEN_PRIORITY,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/settings", page)
        .post("/emulation/settings", save)
        .get("/emulation/settings/{date}/delete", confirm_remove)
        .post("/emulation/settings/{date}/delete", remove)
}

/// The question before a version is removed (a removal cannot be undone): the version, and a
/// button to remove it or a way back.
#[derive(Template)]
#[template(path = "emulation/settings_remove.html")]
struct RemovePage {
    p: Page,
    v: VersionLine,
}

async fn confirm_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(date): PathParam<String>,
) -> Result<Response, WebError> {
    let (from, settings) = danvan_app::emulation::settings::settings_version(&state.app, &ctx.caller, &date).await?;
    let v = line(&ctx, from, &settings);
    Ok(render(&RemovePage { p: Page::new(&ctx, &ctx.t("emulation.settings.remove_title")), v }))
}

/// One version as a line of the table.
struct VersionLine {
    from: String,
    from_iso: String,
    base_salary: String,
    council_high: String,
    council_other: String,
    cap: String,
    coefficients: String,
}

#[derive(Template)]
#[template(path = "emulation/settings.html")]
struct SettingsPage {
    p: Page,
    versions: Vec<VersionLine>,
    summary: String,
    general: Vec<String>,
    councils: Vec<String>,
    awards: Vec<(String, String, String)>,
}

fn line(ctx: &Ctx, from: chrono::NaiveDate, s: &EmulationSettings) -> VersionLine {
    let threshold = |t: danvan_domain::emulation::Threshold| {
        let base = ctx.t(if t.base == danvan_domain::emulation::VoteBase::AllMembers {
            "emulation.settings.base.all_members"
        } else {
            "emulation.settings.base.votes_cast"
        });
        format!("{} {}% {}", if t.strictly_more { ">" } else { "≥" }, t.percent, base)
    };
    VersionLine {
        from: from.format("%d/%m/%Y").to_string(),
        from_iso: from.to_string(),
        base_salary: format!("{} đ", number(ctx.lang, s.base_salary)),
        council_high: threshold(s.council_high),
        council_other: threshold(s.council_other),
        cap: s.grassroots_cap_percent.map(|c| format!("{c}%")).unwrap_or_else(|| ctx.t("emulation.settings.none")),
        coefficients: Award::ALL
            .iter()
            .map(|a| {
                format!(
                    "{} {}",
                    award_name(ctx.lang, *a),
                    decimal(ctx, coefficient_text(s.coefficients.get(a).copied().unwrap_or(0)))
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A coefficient with the reader's decimal mark: "4,5" in Vietnamese, "4.5" in English (both are
/// read back).
fn decimal(ctx: &Ctx, vi: String) -> String {
    match ctx.lang {
        crate::i18n::Lang::Vi => vi,
        crate::i18n::Lang::En => vi.replace(',', "."),
    }
}

fn settings_page(ctx: &Ctx, book: &SettingsBook, form: &Form) -> SettingsPage {
    let bases = [
        Opt { value: "all_members".into(), label: ctx.t("emulation.settings.base.all_members") },
        Opt { value: "votes_cast".into(), label: ctx.t("emulation.settings.base.votes_cast") },
    ];
    let general = vec![
        form.input("effective_from", "date", "emulation.settings.effective_from", "emulation.settings.hint.effective_from", true),
        form.input(BASE_SALARY, "text", "emulation.settings.base_salary", "emulation.settings.hint.base_salary", true),
        form.input(ROUNDING_UNIT, "text", "emulation.settings.rounding_unit", "emulation.settings.hint.rounding_unit", true),
        form.input(GRASSROOTS_CAP, "text", "emulation.settings.grassroots_cap", "emulation.settings.hint.grassroots_cap", false),
        form.input(WOMEN_PRIORITY, "text", "emulation.settings.women_priority", "emulation.settings.hint.women_priority", true),
        form.input(MAX_ABSENCE, "text", "emulation.settings.max_absence", "emulation.settings.hint.max_absence", false),
    ];
    let mut councils = vec![];
    for (prefix, label) in [
        ("council_high", "emulation.settings.council_high_percent"),
        ("council_other", "emulation.settings.council_other_percent"),
    ] {
        councils.push(form.input_labelled(&format!("{prefix}_percent"), "text", &ctx.t(label)));
        councils.push(form.select_labelled(&format!("{prefix}_base"), &ctx.t("emulation.settings.vote_base"), &bases));
        councils.push(form.checkbox(&format!("{prefix}_strict"), "emulation.settings.strictly_more"));
    }
    let awards = Award::ALL
        .iter()
        .map(|a| {
            let name = award_name(ctx.lang, *a).to_string();
            let coefficient = form.input_labelled(&coefficient_field(*a), "text", &ctx.t("emulation.settings.coefficient"));
            let high = form.checkbox_labelled(&high_field(*a), &ctx.t("emulation.settings.high_threshold"));
            (name, coefficient, high)
        })
        .collect();
    SettingsPage {
        p: Page::new(ctx, &ctx.t("emulation.settings.title")),
        versions: book.versions.iter().rev().map(|v| line(ctx, v.effective_from, &v.settings)).collect(),
        summary: form.summary(),
        general,
        councils,
        awards,
    }
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let book = danvan_app::emulation::settings::settings_book(&state.app).await?;
    let mut form = Form::new(ctx.lang);
    if let Some(latest) = book.versions.last() {
        for (k, v) in settings_form_values(&latest.settings) {
            let v = if k.starts_with("coefficient.") { decimal(&ctx, v) } else { v };
            form.values.insert(k, v);
        }
    }
    Ok(render(&settings_page(&ctx, &book, &form)))
}

async fn save(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::emulation::settings::save_settings(&state.app, &ctx.caller, &|k| form.get(k)).await.map_err(WebError::from)
    {
        Ok(from) => Ok(redirect_with(
            &ctx,
            "/emulation/settings",
            "emulation.settings.saved",
            &[("date", from.format("%Y%m%d").to_string())],
        )),
        Err(WebError::Invalid(e)) => {
            let book = danvan_app::emulation::settings::settings_book(&state.app).await?;
            let f = refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &settings_page(&ctx, &book, &f)))
        }
        Err(e) => Err(e),
    }
}

async fn remove(State(state): State<AppState>, ctx: Ctx, PathParam(date): PathParam<String>) -> Result<Response, WebError> {
    match danvan_app::emulation::settings::remove_settings(&state.app, &ctx.caller, &date).await.map_err(WebError::from) {
        // The date as the use case read it (it is a date, or the removal was refused).
        Ok(()) => {
            let day = danvan_app::input::parse_date(&date).map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default();
            Ok(redirect_with(&ctx, "/emulation/settings", "emulation.settings.removed", &[("date", day)]))
        }
        Err(WebError::Invalid(e)) => {
            let book = danvan_app::emulation::settings::settings_book(&state.app).await?;
            let f = Form::new(ctx.lang).with_errors(&e);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &settings_page(&ctx, &book, &f)))
        }
        Err(e) => Err(e),
    }
}
