//! Administrators' settings: time limits, places and maps (tile source, boundaries, default
//! province), categories with their Open311 attributes, and the yearly calendar overrides.
//! Every page is admin-only (`Resource::System`) and every change is audited by the store.

use crate::ctx::{admin_only, Ctx};
use crate::error::WebError;
use crate::html::{numbered_errors, Form, Opt, Page};
use crate::pages::{redirect_with, render, render_status, FormData};
use crate::routes::Routes;
use crate::uploads::file_field;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use danvan_domain::cases::{CaseKind, ClockStart, DayCount, DeadlinePolicy};
use danvan_domain::settings::POLICY_DAY_FIELDS;
use danvan_domain::FieldErrors;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/settings", hub)
        .get("/admin/settings/deadlines", deadlines_form)
        .post("/admin/settings/deadlines", deadlines_save)
        .get("/admin/settings/map", map_form)
        .post("/admin/settings/map", map_save)
        // Multipart stops at axum's default 2 MB unless the route says otherwise.
        .route_with(
            "/admin/settings/map/boundaries",
            &["POST"],
            post(boundaries_upload).layer(DefaultBodyLimit::max(danvan_app::settings::MAX_BOUNDARIES + 64 * 1024)),
        )
        .post("/admin/settings/map/boundaries/clear", boundaries_clear)
}

// ---------------------------------------------------------------------------------------------
// Hub

#[derive(Template)]
#[template(path = "settings/admin_settings.html")]
struct HubPage {
    p: Page,
}

async fn hub(ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    Ok(render(&HubPage { p: Page::new(&ctx, &ctx.t("settings.title")) }))
}

// ---------------------------------------------------------------------------------------------
// Time limits

#[derive(Template)]
#[template(path = "settings/admin_deadlines.html")]
struct DeadlinesPage {
    p: Page,
    summary: String,
    /// (kind label, rendered fields)
    sections: Vec<(String, Vec<String>)>,
}

fn count_str(c: DayCount) -> &'static str {
    match c {
        DayCount::Working => "working",
        DayCount::Calendar => "calendar",
    }
}

fn policy_values(form: &mut Form, kind: CaseKind, p: &DeadlinePolicy) {
    let k = kind.as_str();
    let nums = [
        p.accept_days,
        p.resolve_days,
        p.resolve_days_complex,
        p.resolve_days_remote,
        p.resolve_days_remote_complex,
        p.max_extensions,
        p.extension_days,
        p.reopen_window_days,
    ];
    for (f, v) in POLICY_DAY_FIELDS.iter().zip(nums) {
        form.values.insert(format!("{k}.{f}"), v.to_string());
    }
    form.values.insert(format!("{k}.accept_count"), count_str(p.accept_count).into());
    form.values.insert(format!("{k}.resolve_count"), count_str(p.resolve_count).into());
    let from = if p.resolve_from == ClockStart::Receipt { "receipt" } else { "acceptance" };
    form.values.insert(format!("{k}.resolve_from"), from.into());
    form.values.insert(format!("{k}.basis"), p.basis.clone());
}

fn deadlines_page(ctx: &Ctx, form: &Form) -> DeadlinesPage {
    let counts = |ctx: &Ctx| {
        ["working", "calendar"]
            .iter()
            .map(|c| Opt { value: (*c).into(), label: ctx.t(crate::labels::settings_count(c)) })
            .collect::<Vec<_>>()
    };
    let froms: Vec<Opt> = ["acceptance", "receipt"]
        .iter()
        .map(|c| Opt { value: (*c).into(), label: ctx.t(crate::labels::settings_from(c)) })
        .collect();
    let sections = CaseKind::ALL
        .iter()
        .map(|kind| {
            let k = kind.as_str();
            let mut fields = vec![];
            for f in POLICY_DAY_FIELDS {
                fields.push(form.input_labelled(&format!("{k}.{f}"), "number", &ctx.t(crate::labels::settings_field(f))));
            }
            fields.push(form.select_labelled(&format!("{k}.accept_count"), &ctx.t("settings.field.accept_count"), &counts(ctx)));
            fields.push(form.select_labelled(
                &format!("{k}.resolve_count"),
                &ctx.t("settings.field.resolve_count"),
                &counts(ctx),
            ));
            fields.push(form.select_labelled(&format!("{k}.resolve_from"), &ctx.t("settings.field.resolve_from"), &froms));
            fields.push(form.input_labelled(&format!("{k}.basis"), "text", &ctx.t("settings.field.basis")));
            (ctx.t(crate::labels::case_kind(k)), fields)
        })
        .collect();
    DeadlinesPage { p: Page::new(ctx, &ctx.t("settings.deadlines")), summary: form.summary(), sections }
}

async fn deadlines_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let s = danvan_app::settings::settings(&state.app).await?;
    let mut form = Form::new(ctx.lang);
    for kind in CaseKind::ALL {
        policy_values(&mut form, *kind, s.deadlines.get(*kind));
    }
    Ok(render(&deadlines_page(&ctx, &form)))
}

async fn deadlines_save(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::settings::save_deadlines(&state.app, &ctx.caller, &|k| form.get(k)).await.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, "/admin/settings/deadlines", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &deadlines_page(&ctx, &f)))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Places and maps

#[derive(Template)]
#[template(path = "settings/admin_map.html")]
struct MapPage {
    p: Page,
    form: Form,
    upload: Form,
    feature_errors: Vec<String>,
    areas: Vec<String>,
}

async fn map_page(
    state: &AppState,
    ctx: &Ctx,
    form: Form,
    upload: Form,
    feature_errors: Vec<String>,
) -> Result<MapPage, WebError> {
    let s = danvan_app::settings::settings(&state.app).await?;
    Ok(MapPage {
        p: Page::new(ctx, &ctx.t("settings.map")),
        form,
        upload,
        feature_errors,
        areas: s.boundaries.iter().map(|a| a.unit_code.clone()).collect(),
    })
}

async fn map_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let s = danvan_app::settings::settings(&state.app).await?;
    let form = Form::new(ctx.lang)
        .set("default_province", &s.default_province)
        .set("tile_url", &s.map.tile_url)
        .set("attribution", &s.map.attribution);
    Ok(render(&map_page(&state, &ctx, form, Form::new(ctx.lang), vec![]).await?))
}

async fn map_save(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let saved = danvan_app::settings::save_map(
        &state.app,
        &ctx.caller,
        &form.get("tile_url"),
        &form.get("attribution"),
        &form.get("default_province"),
    )
    .await;
    match saved.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[])),
        Err(WebError::Invalid(errors)) => {
            let f = crate::pages::refill(&ctx, &form, &errors, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &map_page(&state, &ctx, f, Form::new(ctx.lang), vec![]).await?))
        }
        Err(e) => Err(e),
    }
}

async fn boundaries_upload(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    // Refused before the body is read: only an administrator may make the server buffer a file.
    admin_only(&ctx)?;
    let bytes = file_field(&mut multipart, "error.bad_request").await?;
    match danvan_app::settings::save_boundaries(&state.app, &ctx.caller, bytes.as_deref()).await.map_err(WebError::from) {
        Ok(()) => Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let list = numbered_errors(&ctx, &e, "feature", "geo.feature");
            let mut upload =
                Form::new(ctx.lang).with_errors(&FieldErrors(e.0.iter().filter(|f| f.field == "boundaries").cloned().collect()));
            if !list.is_empty() {
                upload.errors.insert("boundaries".into(), ctx.t("geo.error.features"));
            }
            let s = danvan_app::settings::settings(&state.app).await?;
            let form = Form::new(ctx.lang)
                .set("default_province", &s.default_province)
                .set("tile_url", &s.map.tile_url)
                .set("attribution", &s.map.attribution);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &map_page(&state, &ctx, form, upload, list).await?))
        }
        Err(e) => Err(e),
    }
}

async fn boundaries_clear(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::settings::clear_boundaries(&state.app, &ctx.caller).await?;
    Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
}
