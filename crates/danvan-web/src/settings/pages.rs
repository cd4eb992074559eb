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
use danvan_app::settings::{KEY_BOUNDARIES, KEY_DEADLINES, KEY_DEFAULT_PROVINCE, KEY_MAP};
use danvan_domain::case::{CaseKind, ClockStart, DayCount, DeadlinePolicy};
use danvan_domain::settings::{parse_deadlines, validate_map, POLICY_DAY_FIELDS};
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
            post(boundaries_upload).layer(DefaultBodyLimit::max(MAX_BOUNDARIES + 64 * 1024)),
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
    admin_only(&ctx)?;
    match parse_deadlines(&|k| form.get(k)) {
        Ok(d) => {
            let json = serde_json::to_string(&d).map_err(|e| WebError::Internal(e.to_string()))?;
            danvan_app::settings::save_setting(&state.app, &ctx.caller, KEY_DEADLINES, &json).await?;
            Ok(redirect_with(&ctx, "/admin/settings/deadlines", "admin.saved", &[]))
        }
        Err(e) => {
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &deadlines_page(&ctx, &f)))
        }
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
    admin_only(&ctx)?;
    let mut errors = FieldErrors::new();
    let map = validate_map(&form.get("tile_url"), &form.get("attribution")).map_err(|e| errors.0.extend(e.0)).ok();
    let province = form.get("default_province").trim().to_string();
    if !province.is_empty() {
        match danvan_app::org::queries::get_unit_by_code(&state.app, &province).await? {
            Some(u) if !u.dissolved() => {}
            Some(_) => errors.add("default_province", "error.unit_dissolved"),
            None => errors.add("default_province", "error.unit_unknown"),
        }
    }
    match (map, errors.is_empty()) {
        (Some(map), true) => {
            let json = serde_json::to_string(&map).map_err(|e| WebError::Internal(e.to_string()))?;
            danvan_app::settings::save_setting(&state.app, &ctx.caller, KEY_MAP, &json).await?;
            if danvan_app::settings::settings(&state.app).await?.default_province != province {
                danvan_app::settings::save_setting(&state.app, &ctx.caller, KEY_DEFAULT_PROVINCE, &province).await?;
            }
            Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
        }
        _ => {
            let f = crate::pages::refill(&ctx, &form, &errors, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &map_page(&state, &ctx, f, Form::new(ctx.lang), vec![]).await?))
        }
    }
}

const MAX_BOUNDARIES: usize = 12 * 1024 * 1024;

async fn boundaries_upload(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let bytes = file_field(&mut multipart, "error.bad_request").await?;
    let too_large = bytes.as_ref().is_none_or(|b| b.len() > MAX_BOUNDARIES);
    let bytes = bytes.unwrap_or_default();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap_or("").to_string();
    let parsed = if too_large {
        Err(FieldErrors::one("boundaries", "admin.error.boundaries_too_large"))
    } else if text.trim().is_empty() {
        Err(FieldErrors::one("boundaries", "error.required"))
    } else {
        danvan_domain::geo::parse_boundaries(&text)
    };
    let checked = match parsed {
        Ok(areas) => {
            // Every feature must name a unit that exists (dissolved ones route to successors).
            let mut known = std::collections::HashSet::new();
            for a in &areas {
                if danvan_app::org::queries::get_unit_by_code(&state.app, &a.unit_code).await?.is_some() {
                    known.insert(a.unit_code.clone());
                }
            }
            danvan_domain::geo::unknown_codes(&areas, &|c| known.contains(c)).into_result()
        }
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => {
            danvan_app::settings::save_setting(&state.app, &ctx.caller, KEY_BOUNDARIES, &text).await?;
            Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
        }
        Err(e) => {
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
    }
}

async fn boundaries_clear(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    danvan_app::settings::save_setting(&state.app, &ctx.caller, KEY_BOUNDARIES, "").await?;
    Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
}
