//! The calendar page (administrators): overrides of the working-day calendar, CSV import.

use crate::ctx::admin_only;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::numbered_errors;
use crate::html::{parse_date, Form, Opt, Page};
use crate::pages::{redirect_with, render, render_status, FormData};
use crate::routes::Routes;
use crate::uploads::file_field;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use danvan_domain::FieldErrors;
use std::collections::HashMap;

/// The largest calendar CSV accepted.
const MAX_CALENDAR_CSV: usize = 1024 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/calendar", calendar)
        .post("/admin/calendar", calendar_set)
        .post("/admin/calendar/delete", calendar_delete)
        .route_with(
            "/admin/calendar/import",
            &["POST"],
            post(calendar_import).layer(DefaultBodyLimit::max(MAX_CALENDAR_CSV + 64 * 1024)),
        )
}

#[derive(Template)]
#[template(path = "calendar/admin_calendar.html")]
struct CalendarPage {
    p: Page,
    year: i32,
    years: Vec<i32>,
    overrides: Vec<danvan_app::calendar::OverrideRow>,
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
    let overrides: Vec<_> =
        danvan_app::calendar::calendar_overrides(&state.app).await?.into_iter().filter(|o| o.day.year() == year).collect();
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
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

async fn calendar_set(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::calendar::set_override(&state.app, &ctx.caller, &form.get("day"), &form.get("kind"), &form.get("reason"))
        .await
        .map_err(WebError::from)
    {
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
    let day = danvan_app::calendar::delete_override(&state.app, &ctx.caller, &form.get("day")).await?;
    Ok(redirect_with(&ctx, &format!("/admin/calendar?year={}", chrono::Datelike::year(&day)), "admin.saved", &[]))
}

/// CSV `day,kind,reason` (a header row is allowed): every row is checked before any is saved.
async fn calendar_import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    // Refused before the body is read: only an administrator may make the server buffer a file.
    admin_only(&ctx)?;
    let bytes = file_field(&mut multipart, "error.csv").await?.filter(|b| b.len() <= MAX_CALENDAR_CSV);
    match danvan_app::calendar::import_overrides(&state.app, &ctx.caller, bytes.as_deref()).await.map_err(WebError::from) {
        Ok(parsed) => {
            let year = parsed.first().map(|o| chrono::Datelike::year(&o.date())).unwrap_or_else(|| year_of(&HashMap::new()));
            Ok(redirect_with(
                &ctx,
                &format!("/admin/calendar?year={year}"),
                "calendar.imported",
                &[("n", parsed.len().to_string())],
            ))
        }
        Err(WebError::Invalid(e)) => {
            let list = numbered_errors(&ctx, &e, "row", "common.row_prefix");
            let mut form = Form::new(ctx.lang)
                .set("kind", "day_off")
                .with_errors(&FieldErrors(e.0.iter().filter(|f| f.field == "file").cloned().collect()));
            if !list.is_empty() {
                form.errors.insert("file".into(), ctx.t("error.csv_rows"));
            }
            let year = year_of(&HashMap::new());
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &calendar_page(&state, &ctx, year, form, list).await?))
        }
        Err(e) => Err(e),
    }
}
