//! Administrators' settings: time limits, places and maps (tile source, boundaries, default
//! province), categories with their Open311 attributes, and the yearly calendar overrides.
//! Every page is admin-only (`Resource::System`) and every change is audited by the store.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{parse_date, Form, Opt, Page};
use crate::pages::{redirect_with, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use danvan_domain::calendar::Override;
use danvan_domain::case::{CaseKind, ClockStart, DayCount, DeadlinePolicy};
use danvan_domain::category::{format_attributes, parse_attributes};
use danvan_domain::settings::{parse_deadlines, validate_map, POLICY_DAY_FIELDS};
use danvan_domain::{Action, FieldErrors, Resource, UnitKind};
use danvan_store::cases::{Category, CategoryFields};
use danvan_store::settings::{KEY_BOUNDARIES, KEY_DEADLINES, KEY_DEFAULT_PROVINCE, KEY_MAP};
use std::collections::HashMap;

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
        .get("/admin/categories", categories)
        .post("/admin/categories", category_create)
        .get("/admin/categories/new", category_new)
        .get("/admin/categories/{id}/edit", category_edit)
        .post("/admin/categories/{id}", category_update)
        .post("/admin/categories/{id}/active", category_active)
        .get("/admin/calendar", calendar)
        .post("/admin/calendar", calendar_set)
        .post("/admin/calendar/delete", calendar_delete)
        .route_with(
            "/admin/calendar/import",
            &["POST"],
            post(calendar_import).layer(DefaultBodyLimit::max(MAX_CALENDAR_CSV + 64 * 1024)),
        )
        .route_with(
            "/admin/cases/import",
            &["GET", "POST"],
            get(case_import_form).post(case_import).layer(DefaultBodyLimit::max(MAX_CASE_IMPORT + 64 * 1024)),
        )
}

fn admin_only(ctx: &Ctx) -> Result<(), WebError> {
    ctx.authorize(Action::Update, Resource::System)
}

/// Errors named `prefix N` (features of a file, rows, lines) as a list of sentences.
fn numbered_errors(ctx: &Ctx, e: &FieldErrors, prefix: &str, label_key: &str) -> Vec<String> {
    e.0.iter()
        .filter(|fe| fe.field.starts_with(prefix))
        .map(|fe| format!("{} {}: {}", ctx.t(label_key), fe.field.trim_start_matches(prefix).trim(), ctx.t(&fe.key)))
        .collect()
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
    let s = state.store.settings().await?;
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
            state.store.save_setting(&ctx.audit(), KEY_DEADLINES, &json).await?;
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
    let s = state.store.settings().await?;
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
    let s = state.store.settings().await?;
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
        match state.store.get_unit_by_code(&province).await? {
            Some(u) if !u.dissolved() => {}
            Some(_) => errors.add("default_province", "error.unit_dissolved"),
            None => errors.add("default_province", "error.unit_unknown"),
        }
    }
    match (map, errors.is_empty()) {
        (Some(map), true) => {
            let json = serde_json::to_string(&map).map_err(|e| WebError::Internal(e.to_string()))?;
            state.store.save_setting(&ctx.audit(), KEY_MAP, &json).await?;
            if state.store.settings().await?.default_province != province {
                state.store.save_setting(&ctx.audit(), KEY_DEFAULT_PROVINCE, &province).await?;
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
/// A calendar CSV holds a few dozen rows a year; this is generous.
const MAX_CALENDAR_CSV: usize = 1024 * 1024;

/// The `file` field of a multipart form. `Ok(None)` when the body passed the route's limit (the
/// caller shows a field error rather than a bare 400); other malformed bodies are `bad`.
async fn file_field(multipart: &mut Multipart, bad: &'static str) -> Result<Option<Vec<u8>>, WebError> {
    let too_large = |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    let mut bytes = vec![];
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(Some(bytes)),
            Err(e) if too_large(&e) => return Ok(None),
            Err(_) => return Err(WebError::BadRequest(bad)),
        };
        if field.name() == Some("file") {
            bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if too_large(&e) => return Ok(None),
                Err(_) => return Err(WebError::BadRequest(bad)),
            };
        }
    }
}

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
                if state.store.get_unit_by_code(&a.unit_code).await?.is_some() {
                    known.insert(a.unit_code.clone());
                }
            }
            danvan_domain::geo::unknown_codes(&areas, &|c| known.contains(c)).into_result()
        }
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => {
            state.store.save_setting(&ctx.audit(), KEY_BOUNDARIES, &text).await?;
            Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
        }
        Err(e) => {
            let list = numbered_errors(&ctx, &e, "feature", "geo.feature");
            let mut upload =
                Form::new(ctx.lang).with_errors(&FieldErrors(e.0.iter().filter(|f| f.field == "boundaries").cloned().collect()));
            if !list.is_empty() {
                upload.errors.insert("boundaries".into(), ctx.t("geo.error.features"));
            }
            let s = state.store.settings().await?;
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
    state.store.save_setting(&ctx.audit(), KEY_BOUNDARIES, "").await?;
    Ok(redirect_with(&ctx, "/admin/settings/map", "admin.saved", &[]))
}

// ---------------------------------------------------------------------------------------------
// Categories

#[derive(Template)]
#[template(path = "cases/admin_categories.html")]
struct CategoriesPage {
    p: Page,
    items: Vec<(Category, usize)>,
}

async fn categories(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let items = state.store.categories(true).await?.into_iter().map(|c| {
        let n = c.attribute_defs().len();
        (c, n)
    });
    Ok(render(&CategoriesPage { p: Page::new(&ctx, &ctx.t("category.admin_title")), items: items.collect() }))
}

#[derive(Template)]
#[template(path = "cases/admin_category_form.html")]
struct CategoryFormPage {
    p: Page,
    form: Form,
    action: String,
    kinds: Vec<Opt>,
    attr_errors: Vec<String>,
    /// (id, active) of an existing category.
    existing: Option<(i64, bool)>,
}

fn category_page(
    ctx: &Ctx,
    title: &str,
    form: Form,
    action: String,
    attr_errors: Vec<String>,
    existing: Option<(i64, bool)>,
) -> CategoryFormPage {
    let kinds =
        UnitKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(&format!("kind.{}", k.as_str())) }).collect();
    CategoryFormPage { p: Page::new(ctx, title), form, action, kinds, attr_errors, existing }
}

async fn category_new(ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let form = Form::new(ctx.lang).set("unit_kind", "peoples_committee");
    Ok(render(&category_page(&ctx, &ctx.t("category.new"), form, "/admin/categories".into(), vec![], None)))
}

async fn category_edit(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let c = state.store.category(id).await?;
    let opt = |v: Option<i64>| v.map(|d| d.to_string()).unwrap_or_default();
    let form = Form::new(ctx.lang)
        .set("code", &c.code)
        .set("name", &c.name)
        .set("name_en", &c.name_en)
        .set("group", &c.group_name)
        .set("description", &c.description)
        .set("keywords", &c.keywords)
        .set("unit_kind", &c.unit_kind)
        .set("accept_days", opt(c.accept_days))
        .set("resolve_days", opt(c.resolve_days))
        .set("attributes", format_attributes(&c.attribute_defs()));
    Ok(render(&category_page(&ctx, &c.name, form, format!("/admin/categories/{id}"), vec![], Some((id, c.active)))))
}

fn category_fields(form: &FormData) -> Result<CategoryFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let days = |k: &str, e: &mut FieldErrors| -> Option<i64> {
        let v = form.get(k);
        if v.trim().is_empty() {
            return None;
        }
        match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add(k, "error.number");
                None
            }
        }
    };
    let accept_days = days("accept_days", &mut e);
    let resolve_days = days("resolve_days", &mut e);
    let attributes = parse_attributes(&form.get("attributes")).map_err(|a| e.0.extend(a.0)).unwrap_or_default();
    e.into_result()?;
    Ok(CategoryFields {
        code: form.get("code"),
        name: form.get("name"),
        name_en: form.get("name_en"),
        group: form.get("group"),
        description: form.get("description"),
        keywords: form.get("keywords"),
        unit_kind: form.get("unit_kind"),
        accept_days,
        resolve_days,
        attributes,
    })
}

async fn category_failed(
    state: &AppState,
    ctx: &Ctx,
    form: &FormData,
    e: FieldErrors,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let attr_errors = numbered_errors(ctx, &e, "attributes.", "category.attr_line");
    let mut f = crate::pages::refill(
        ctx,
        form,
        &FieldErrors(e.0.iter().filter(|x| !x.field.starts_with("attributes.")).cloned().collect()),
        &[],
    );
    if !attr_errors.is_empty() {
        f.errors.insert("attributes".into(), ctx.t("category.error.attributes"));
    }
    let (title, action, existing) = match id {
        Some(id) => {
            let c = state.store.category(id).await?;
            (c.name.clone(), format!("/admin/categories/{id}"), Some((id, c.active)))
        }
        None => (ctx.t("category.new"), "/admin/categories".into(), None),
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &category_page(ctx, &title, f, action, attr_errors, existing)))
}

async fn category_create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let result = match category_fields(&form) {
        Ok(f) => state.store.create_category_with(&ctx.audit(), &f).await.map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => category_failed(&state, &ctx, &form, e, None).await,
        Err(e) => Err(e),
    }
}

async fn category_update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let result = match category_fields(&form) {
        Ok(f) => state.store.update_category(&ctx.audit(), id, &f).await.map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => category_failed(&state, &ctx, &form, e, Some(id)).await,
        Err(e) => Err(e),
    }
}

async fn category_active(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    state.store.set_category_active(&ctx.audit(), id, form.get("active") == "1").await?;
    Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[]))
}

// ---------------------------------------------------------------------------------------------
// Calendar overrides

#[derive(Template)]
#[template(path = "calendar/admin_calendar.html")]
struct CalendarPage {
    p: Page,
    year: i32,
    years: Vec<i32>,
    overrides: Vec<danvan_store::calendar::OverrideRow>,
    days_off: Vec<(String, String)>,
    form: Form,
    kinds: Vec<Opt>,
    import_errors: Vec<String>,
}

async fn calendar_page(
    state: &AppState,
    ctx: &Ctx,
    year: i32,
    form: Form,
    import_errors: Vec<String>,
) -> Result<CalendarPage, WebError> {
    use chrono::Datelike;
    let overrides: Vec<_> = state.store.calendar_overrides().await?.into_iter().filter(|o| o.day.year() == year).collect();
    let cal = state.store.work_calendar().await?;
    let days_off = cal.days_off(year).into_iter().map(|d| (crate::html::date(ctx.lang, &d.date), d.reason)).collect();
    let kinds = ["day_off", "working_day", "remove_holiday"]
        .iter()
        .map(|k| Opt { value: (*k).into(), label: ctx.t(crate::labels::calendar_kind(k)) })
        .collect();
    let now = danvan_app::cases::today().year();
    Ok(CalendarPage {
        p: Page::new(ctx, &ctx.t("calendar.admin_title")),
        year,
        years: (now - 1..=now + 2).collect(),
        overrides,
        days_off,
        form,
        kinds,
        import_errors,
    })
}

fn year_of(q: &HashMap<String, String>) -> i32 {
    use chrono::Datelike;
    q.get("year")
        .and_then(|y| y.parse().ok())
        .filter(|y| (1900..=2199).contains(y))
        .unwrap_or_else(|| danvan_app::cases::today().year())
}

async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let year = year_of(&q);
    let form = Form::new(ctx.lang).set("kind", "day_off");
    Ok(render(&calendar_page(&state, &ctx, year, form, vec![]).await?))
}

fn override_of(day: &str, kind: &str, reason: &str, e: &mut FieldErrors) -> Option<Override> {
    let Some(date) = parse_date(day) else {
        e.add("day", if day.trim().is_empty() { "error.required" } else { "error.date" });
        return None;
    };
    let o = Override::from_parts(date, kind, reason);
    if o.is_none() {
        e.add("kind", "error.invalid");
    }
    o
}

async fn calendar_set(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let mut e = FieldErrors::new();
    let o = override_of(&form.get("day"), &form.get("kind"), &form.get("reason"), &mut e);
    let result = match o {
        Some(o) if e.is_empty() => {
            state.store.set_calendar_override(&ctx.audit(), &o).await.map(|_| o.date()).map_err(WebError::from)
        }
        _ => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(day) => {
            use chrono::Datelike;
            Ok(redirect_with(&ctx, &format!("/admin/calendar?year={}", day.year()), "admin.saved", &[]))
        }
        Err(WebError::Invalid(e)) => {
            let year =
                parse_date(&form.get("day")).map(|d| chrono::Datelike::year(&d)).unwrap_or_else(|| year_of(&HashMap::new()));
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &calendar_page(&state, &ctx, year, f, vec![]).await?))
        }
        Err(e) => Err(e),
    }
}

async fn calendar_delete(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let day = parse_date(&form.get("day")).ok_or(WebError::Invalid(FieldErrors::one("day", "error.date")))?;
    state.store.delete_calendar_override(&ctx.audit(), day).await?;
    Ok(redirect_with(&ctx, &format!("/admin/calendar?year={}", chrono::Datelike::year(&day)), "admin.saved", &[]))
}

/// CSV `day,kind,reason` (a header row is allowed): every row is checked before any is saved.
async fn calendar_import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let Some(bytes) = file_field(&mut multipart, "error.csv").await?.filter(|b| b.len() <= MAX_CALENDAR_CSV) else {
        let form =
            Form::new(ctx.lang).set("kind", "day_off").with_errors(&FieldErrors::one("file", "calendar.error.csv_too_large"));
        let year = year_of(&HashMap::new());
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &calendar_page(&state, &ctx, year, form, vec![]).await?));
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        .map_err(|_| WebError::BadRequest("error.csv"))?;
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let (mut parsed, mut e) = (vec![], FieldErrors::new());
    for (i, row) in rdr.records().enumerate() {
        let field = format!("row {}", i + 1);
        let Ok(row) = row else {
            e.add(&field, "error.csv");
            continue;
        };
        let (day, kind, reason) = (row.get(0).unwrap_or(""), row.get(1).unwrap_or(""), row.get(2).unwrap_or(""));
        if i == 0 && parse_date(day).is_none() && day.eq_ignore_ascii_case("day") {
            continue;
        }
        let mut re = FieldErrors::new();
        match override_of(day, kind, reason, &mut re) {
            Some(Override::RemoveHoliday { date }) => parsed.push(Override::RemoveHoliday { date }),
            Some(o) if !reason.trim().is_empty() => parsed.push(o),
            Some(_) => e.add(&field, "calendar.error.reason_required"),
            None => e.add(&field, re.0.first().map(|x| x.key.as_str()).unwrap_or("error.invalid")),
        }
    }
    if parsed.is_empty() && e.is_empty() {
        e.add("file", "error.required");
    }
    if !e.is_empty() {
        let list = numbered_errors(&ctx, &e, "row", "common.row_prefix");
        let mut form = Form::new(ctx.lang)
            .set("kind", "day_off")
            .with_errors(&FieldErrors(e.0.iter().filter(|f| f.field == "file").cloned().collect()));
        if !list.is_empty() {
            form.errors.insert("file".into(), ctx.t("error.csv_rows"));
        }
        let year = year_of(&HashMap::new());
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &calendar_page(&state, &ctx, year, form, list).await?));
    }
    // One transaction: the whole file or nothing.
    state.store.set_calendar_overrides(&ctx.audit(), &parsed).await?;
    let year = parsed.first().map(|o| chrono::Datelike::year(&o.date())).unwrap_or_else(|| year_of(&HashMap::new()));
    Ok(redirect_with(&ctx, &format!("/admin/calendar?year={year}"), "calendar.imported", &[("n", parsed.len().to_string())]))
}

// ---------------------------------------------------------------------------------------------
// Import of cases received by other systems

/// The largest file of cases taken at once (about 10,000 rows).
const MAX_CASE_IMPORT: usize = 8 * 1024 * 1024;

#[derive(Template)]
#[template(path = "cases/admin_case_import.html")]
struct CaseImportPage {
    p: Page,
    form: Form,
    /// What the last import did, when it did something.
    result: Option<String>,
    /// Refused rows, one sentence each (nothing was imported).
    row_errors: Vec<String>,
}

async fn case_import_form(ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let page = CaseImportPage {
        p: Page::new(&ctx, &ctx.t("import.title")),
        form: Form::new(ctx.lang),
        result: None,
        row_errors: vec![],
    };
    Ok(render(&page))
}

/// Imports a CSV or JSON file of cases from another system (the national portal's feedback, a
/// city app, a hotline log): every row is checked before any is recorded, and a reference
/// already imported from the same system is skipped, so the same file can be sent again.
async fn case_import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let (mut source, mut bytes, mut too_large) = (String::new(), Vec::new(), false);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("error.bad_request")),
        };
        let name = field.name().unwrap_or("").to_string();
        let data = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                too_large = true;
                break;
            }
            Err(_) => return Err(WebError::BadRequest("error.bad_request")),
        };
        match name.as_str() {
            "source" => source = String::from_utf8_lossy(&data[..data.len().min(200)]).to_string(),
            "file" => bytes = data.to_vec(),
            _ => {}
        }
    }
    let mut form = Form::new(ctx.lang).set("source", &source);
    let refused = |form: Form, row_errors: Vec<String>| -> Result<Response, WebError> {
        let page = CaseImportPage { p: Page::new(&ctx, &ctx.t("import.title")), form, result: None, row_errors };
        Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    if too_large || bytes.len() > MAX_CASE_IMPORT {
        return refused(form.with_errors(&FieldErrors::one("file", "import.error.too_large")), vec![]);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return refused(form.with_errors(&FieldErrors::one("file", "error.required")), vec![]);
    }
    let result = match danvan_app::cases::parse_import(&bytes) {
        Ok(rows) => danvan_app::cases::import_cases(&state.app, &source, rows).await.map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok((created, skipped)) => {
            form = Form::new(ctx.lang).set("source", &source);
            let result =
                crate::i18n::tf(ctx.lang, "import.done", &[("created", &created.to_string()), ("skipped", &skipped.to_string())]);
            let page =
                CaseImportPage { p: Page::new(&ctx, &ctx.t("import.title")), form, result: Some(result), row_errors: vec![] };
            Ok(render(&page))
        }
        Err(WebError::Invalid(e)) => {
            let rows = numbered_errors(&ctx, &e, "row", "common.row_prefix");
            let own = FieldErrors(e.0.iter().filter(|f| !f.field.starts_with("row")).cloned().collect());
            refused(form.with_errors(&own), rows)
        }
        Err(e) => Err(e),
    }
}
