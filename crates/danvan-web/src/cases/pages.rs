//! Citizens' cases: the public form, the private tracking page, the officer inbox and case page,
//! officer intake with a printable receipt, and the public list.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, urlencode, Form, Opt, Page};
use crate::i18n;
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::uploads::UploadForm;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use danvan_app::cases::{ActRequest, Submission};
use danvan_domain::calendar::DueStatus;
use danvan_domain::case::{CaseAction, CaseFacts, CaseInput, CaseKind, CaseStatus, Channel, RejectReason};
use danvan_domain::{Action, FieldErrors};
use danvan_store::attachments::Attachment;
use danvan_store::cases::{Answer, CaseEvent, CaseFilter, CaseRow, CaseSort, Category, Contact};
use danvan_store::Unit;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/cases/new", public_form)
        .get("/track", track_find)
        .get("/track/{code}", track)
        .post("/track/{code}", track_act)
        .get("/inbox", inbox)
        .get("/cases/record", record_form)
        .get("/files/{id}", file)
        .get("/files/{id}/thumb", file_thumb)
        .post("/files/{id}/delete", file_delete)
        .get("/cases/{id}", show)
        .post("/cases/{id}/act", act)
        .post("/cases/{id}/note", note)
        .post("/cases/{id}/supports", support_add)
        .post("/cases/{id}/supports/{unit_id}/remove", support_remove)
        .get("/public/cases", public_list)
        .get("/public/cases/{code}", public_case)
}

/// The routes that take files; the router gives them a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new()
        .post("/cases/new", public_submit)
        .post("/cases/record", record_submit)
        .post("/cases/{id}/files", answer_files_upload)
}

/// A case as lists show it: with its category and unit names and its due status.
pub struct CaseLine {
    pub c: CaseRow,
    pub category: String,
    pub unit: String,
    pub due: Option<NaiveDate>,
    pub due_label: String,
    pub due_class: &'static str,
}

async fn names(state: &AppState) -> Result<(HashMap<i64, Category>, Vec<Category>), WebError> {
    let cats = state.store.categories(true).await?;
    Ok((cats.iter().map(|c| (c.id, c.clone())).collect(), cats))
}

async fn lines(state: &AppState, ctx: &Ctx, rows: Vec<CaseRow>) -> Result<Vec<CaseLine>, WebError> {
    let (cats, _) = names(state).await?;
    let cal = state.store.work_calendar().await?;
    let today = danvan_app::cases::today();
    let unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let units: HashMap<i64, String> = state.store.get_units(&unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    // As of today: a paused case's date has moved with its pause.
    let mut dues = danvan_app::cases::dues_as_of(&state.app, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|mut c| {
            let d = dues.remove(&c.id).unwrap_or_default();
            (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
            let due = d.date();
            let status = c.status;
            let standing =
                danvan_domain::case::due_status_as_of(status, due, today, &cal, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS);
            let (due_label, due_class) = match (due, standing) {
                (Some(d), Some(standing)) => {
                    let left = cal.working_days_between(today, d);
                    match standing {
                        DueStatus::Overdue => {
                            (i18n::tf(ctx.lang, "case.overdue_by", &[("n", &(-left).max(1).to_string())]), "badge-danger")
                        }
                        DueStatus::DueSoon => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-warn"),
                        DueStatus::OnTrack => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-ok"),
                    }
                }
                _ => (String::new(), "badge-muted"),
            };
            CaseLine {
                category: c.category_id.and_then(|id| cats.get(&id)).map(|c| c.name.clone()).unwrap_or_default(),
                unit: units.get(&c.unit_id).cloned().unwrap_or_default(),
                due,
                due_label,
                due_class,
                c,
            }
        })
        .collect())
}

fn kind_options(ctx: &Ctx, with_none: bool) -> Vec<Opt> {
    let mut v = vec![];
    if with_none {
        v.push(Opt { value: String::new(), label: ctx.t("field.none") });
    }
    v.extend(CaseKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(crate::labels::case_kind(k.as_str())) }));
    v
}

fn category_options(ctx: &Ctx, cats: &[Category]) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    v.extend(
        cats.iter()
            .filter(|c| c.active)
            // The English name when the reader uses English and one was given.
            .map(|c| Opt {
                value: c.code.clone(),
                label: format!("{} — {}", c.group_name, c.name_in(ctx.lang == crate::i18n::Lang::En)),
            }),
    );
    v
}

// ---------------------------------------------------------------------------------------------
// Public form

#[derive(Template)]
#[template(path = "cases/case_form.html")]
struct CaseFormPage {
    p: Page,
    form: Form,
    officer: bool,
    action: String,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    provinces: Vec<Opt>,
    wards: Vec<Opt>,
    channels: Vec<Opt>,
    province: String,
    started: i64,
    /// The categories' extra fields (Open311 attributes): (category name, rendered fields).
    extras: Vec<(String, Vec<String>)>,
    /// The point picker, when a tile source is configured (public form only).
    map: Option<super::map::MapView>,
}

/// The extra fields of every category that has some, named `attr.{category}.{code}`: the form
/// works without JavaScript, so each category's fields are shown under its name and only the
/// chosen category's are read.
fn extra_fields(ctx: &Ctx, form: &Form, cats: &[Category]) -> Vec<(String, Vec<String>)> {
    let en = ctx.lang == crate::i18n::Lang::En;
    cats.iter()
        .filter(|c| c.active)
        .filter_map(|c| {
            let defs = c.attribute_defs();
            if defs.is_empty() {
                return None;
            }
            let fields = defs
                .iter()
                .map(|a| {
                    let name = format!("attr.{}.{}", c.code, a.code);
                    let label = format!("{}{}", if a.description.is_empty() { &a.code } else { &a.description }, if a.required { " *" } else { "" });
                    match a.datatype.as_str() {
                        "singlevaluelist" => {
                            let mut opts = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
                            opts.extend(a.values.iter().map(|(k, n)| Opt { value: k.clone(), label: n.clone() }));
                            form.select_labelled(&name, &label, &opts)
                        }
                        "multivaluelist" => {
                            let chosen: Vec<&str> = form.value(&name).split('\u{1f}').collect();
                            let boxes: String = a
                                .values
                                .iter()
                                .enumerate()
                                .map(|(i, (k, n))| {
                                    format!(
                                        r#"<div class="check"><input type="checkbox" id="f-{name}-{i}" name="{name}" value="{k}"{c}> <label for="f-{name}-{i}">{n}</label></div>"#,
                                        name = crate::html::esc(&name),
                                        k = crate::html::esc(k),
                                        n = crate::html::esc(n),
                                        c = if chosen.contains(&k.as_str()) { " checked" } else { "" }
                                    )
                                })
                                .collect();
                            let err = form.errors.get(&name).map(|e| format!(r#"<p class="error" id="f-{}-error">{}</p>"#, crate::html::esc(&name), crate::html::esc(e))).unwrap_or_default();
                            format!(r#"<fieldset class="field"><legend>{}</legend>{err}{boxes}</fieldset>"#, crate::html::esc(&label))
                        }
                        "number" => form.input_labelled(&name, "text", &label),
                        _ => form.input_labelled(&name, "text", &label),
                    }
                })
                .collect();
            Some((c.name_in(en).to_string(), fields))
        })
        .collect()
}

/// The chosen category's extra values from a form; errors under the fields' names.
pub(crate) async fn form_attributes(
    state: &AppState,
    form: &FormData,
    errors: &mut FieldErrors,
) -> Result<Vec<(String, Vec<String>)>, WebError> {
    let Some(c) = state.store.category_by_code(&form.get("category")).await?.filter(|c| c.active) else { return Ok(vec![]) };
    let prefix = format!("attr.{}.", c.code);
    let given = |code: &str| -> Vec<String> {
        let key = format!("{prefix}{code}");
        form.0.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.clone()).collect()
    };
    match danvan_domain::category::check_values(&c.attribute_defs(), &given) {
        Ok(v) => Ok(v),
        Err(errs) => {
            for e in errs {
                errors.add(&format!("{prefix}{}", e.code), e.key());
            }
            Ok(vec![])
        }
    }
}

/// The note recording the extra values with the case (none when there are none).
fn attributes_notes(extras: &[(String, Vec<String>)]) -> Vec<String> {
    if extras.is_empty() {
        vec![]
    } else {
        vec![danvan_app::cases::attributes_note(extras)]
    }
}

/// Puts the chosen category's extra values back into a refilled form. Multi-value fields come
/// back as several pairs: all are kept. Only the chosen category's defined fields, grouped in one
/// pass (a body of many `attr.` pairs must not cost pairs² work).
async fn refill_attributes(state: &AppState, form: &FormData, refilled: &mut Form) -> Result<(), WebError> {
    let wanted: Vec<String> = match state.store.category_by_code(&form.get("category")).await? {
        Some(c) => c.attribute_defs().iter().map(|d| format!("attr.{}.{}", c.code, d.code)).collect(),
        None => vec![],
    };
    refilled.values.retain(|k, _| !k.starts_with("attr.") || wanted.contains(k));
    let mut grouped: HashMap<&str, Vec<&str>> = wanted.iter().map(|k| (k.as_str(), vec![])).collect();
    for (k, v) in &form.0 {
        if let Some(vals) = grouped.get_mut(k.as_str()) {
            vals.push(v.as_str());
        }
    }
    for (k, vals) in grouped {
        if !vals.is_empty() {
            refilled.values.insert(k.to_string(), vals.join("\u{1f}"));
        }
    }
    Ok(())
}

async fn province_options(state: &AppState, ctx: &Ctx) -> Result<Vec<Opt>, WebError> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("case.choose_province") }];
    v.extend(
        state
            .store
            .root_units()
            .await?
            .into_iter()
            .filter(|u| !u.dissolved())
            .map(|u| Opt { value: u.id.to_string(), label: u.name }),
    );
    Ok(v)
}

/// Wards, communes and special zones of a province (with their residential groups' parents).
async fn ward_options(state: &AppState, ctx: &Ctx, province: Option<i64>) -> Result<Vec<Opt>, WebError> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("case.choose_ward") }];
    if let Some(p) = province {
        for u in state.store.child_units(p, false).await? {
            if matches!(u.kind.as_str(), "ward" | "commune" | "special_zone") {
                v.push(Opt { value: u.id.to_string(), label: u.name });
            }
        }
    }
    Ok(v)
}

async fn case_form(
    state: &AppState,
    ctx: &Ctx,
    form: Form,
    officer: bool,
    province: Option<i64>,
) -> Result<CaseFormPage, WebError> {
    let (_, cats) = names(state).await?;
    let channels = Channel::ALL
        .iter()
        .filter(|c| !matches!(c, Channel::Web | Channel::Import | Channel::Open311))
        .map(|c| Opt { value: c.as_str().into(), label: ctx.t(crate::labels::channel(c.as_str())) })
        .collect();
    Ok(CaseFormPage {
        p: Page::new(ctx, &ctx.t(if officer { "case.record_title" } else { "case.form_title" })),
        officer,
        action: if officer { "/cases/record".into() } else { "/cases/new".into() },
        kinds: kind_options(ctx, false),
        categories: category_options(ctx, &cats),
        provinces: province_options(state, ctx).await?,
        wards: ward_options(state, ctx, province).await?,
        channels,
        province: province.map(|p| p.to_string()).unwrap_or_default(),
        started: chrono::Utc::now().timestamp(),
        extras: extra_fields(ctx, &form, &cats),
        map: if officer { None } else { super::map::MapView::of(&*state.store.settings().await?) },
        form,
    })
}

async fn default_province(state: &AppState) -> Option<i64> {
    // A deployment serves one province; the first province with wards filled in is the guess.
    let settings = state.store.settings().await.ok()?;
    state.store.get_unit_by_code(settings.province_code()).await.ok().flatten().map(|u| u.id)
}

async fn public_form(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let province = match q.get("province").and_then(|p| p.parse().ok()) {
        Some(p) => Some(p),
        None => default_province(&state).await,
    };
    let form = Form::new(ctx.lang)
        .set("kind", "feedback")
        .set("publish", "on")
        .set("province", province.map(|p| p.to_string()).unwrap_or_default());
    let settings = state.store.settings().await?;
    Ok(super::map::with_map_csp(render(&case_form(&state, &ctx, form, false, province).await?), &settings))
}

fn case_input(form: &FormData) -> (CaseInput, FieldErrors) {
    let mut e = FieldErrors::new();
    let num = |k: &str, e: &mut FieldErrors| -> Option<f64> {
        let v = form.get(k);
        if v.trim().is_empty() {
            return None;
        }
        match v.trim().replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                e.add(k, "error.number");
                None
            }
        }
    };
    let input = CaseInput {
        kind: form.get("kind"),
        category: form.get("category"),
        title: form.get("title"),
        description: form.get("description"),
        address: form.get("address"),
        latitude: num("latitude", &mut e),
        longitude: num("longitude", &mut e),
        sender_name: form.get("sender_name"),
        sender_phone: form.get("sender_phone"),
        sender_email: form.get("sender_email"),
        sender_address: form.get("sender_address"),
        publish: form.get("publish") == "on",
    };
    (input, e)
}

const MIN_FILL_SECONDS: i64 = 3;
const MAX_CASES_PER_IP_PER_HOUR: i64 = 20;

async fn public_submit(State(state): State<AppState>, ctx: Ctx, up: UploadForm) -> Result<Response, WebError> {
    let UploadForm { form, files } = up;
    // Spam control: a hidden field people never fill, a minimum fill time, a rate per address.
    let started: i64 = form.get("started").parse().unwrap_or(0);
    if !form.get("website").is_empty() || chrono::Utc::now().timestamp() - started < MIN_FILL_SECONDS {
        return Err(WebError::BadRequest("case.error.too_fast"));
    }
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    if state.store.login_failures_since("case", &ctx.caller.ip, since).await? >= MAX_CASES_PER_IP_PER_HOUR {
        return Err(WebError::TooMany("error.too_many"));
    }
    let (input, mut errors) = case_input(&form);
    let place = form.get("place").parse::<i64>().ok();
    let province = form.get("province").parse::<i64>().ok();
    let extras = form_attributes(&state, &form, &mut errors).await?;
    // Decoding is the costly part of an anonymous submission: only for an otherwise valid form.
    let photos = if errors.is_empty() { photos_or_errors(&state, files, &mut errors).await } else { None };
    let result = if errors.is_empty() {
        submit_with_photos(
            &state,
            &ctx,
            Submission {
                input,
                category_code: form.get("category"),
                place_unit_id: place,
                channel: Channel::Web,
                received_on: None,
                idempotency_key: None,
                source: None,
                unit_override: None,
                notes: attributes_notes(&extras),
                actor_label: None,
            },
            photos,
        )
        .await
    } else {
        discard(&state, photos).await;
        Err(WebError::Invalid(std::mem::take(&mut errors)))
    };
    match result {
        Ok((c, Some(secret))) => {
            state.store.record_login_failure("case", &ctx.caller.ip).await?;
            super::delivery::save_zalo_choice(&state, &form, &c).await?;
            Ok(Redirect::to(&format!("/track/{}?s={secret}&new=1", c.code)).into_response())
        }
        Ok((c, None)) => Ok(Redirect::to(&format!("/public/cases/{}", c.code)).into_response()),
        Err(WebError::Invalid(e)) => {
            let mut refilled = crate::pages::refill(&ctx, &form, &e, &[]);
            refill_attributes(&state, &form, &mut refilled).await?;
            let page = case_form(&state, &ctx, refilled, false, province).await?;
            let settings = state.store.settings().await?;
            Ok(super::map::with_map_csp(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page), &settings))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Tracking by the citizen

#[derive(Template)]
#[template(path = "cases/case_track.html")]
struct TrackPage {
    p: Page,
    c: CaseRow,
    kind: String,
    status: String,
    unit: String,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    secret: String,
    link: String,
    is_new: bool,
    due_sentence: String,
    can_rate: bool,
    can_reopen: bool,
    can_withdraw: bool,
    form: Form,
    /// The case this one was merged into, and its answer.
    extras: super::delivery::TrackExtras,
    data_link: String,
    photos: Vec<Attachment>,
    answer_files: Vec<Attachment>,
    fq: String,
}

#[derive(Template)]
#[template(path = "cases/case_track_find.html")]
struct TrackFindPage {
    p: Page,
    form: Form,
}

async fn track_find(ctx: Ctx, QueryParams(q): QueryParams<HashMap<String, String>>) -> Result<Response, WebError> {
    if let (Some(code), Some(s)) = (q.get("code"), q.get("s")) {
        if !code.trim().is_empty() {
            return Ok(Redirect::to(&format!("/track/{}?s={}", urlencode(code.trim()), urlencode(s.trim()))).into_response());
        }
    }
    Ok(render(&TrackFindPage { p: Page::new(&ctx, &ctx.t("case.track_title")), form: Form::new(ctx.lang) }))
}

fn status_label(ctx: &Ctx, s: impl AsRef<str>) -> String {
    ctx.t(crate::labels::case_status(s))
}

async fn track_page(
    state: &AppState,
    ctx: &Ctx,
    c: CaseRow,
    secret: &str,
    is_new: bool,
    form: Form,
) -> Result<TrackPage, WebError> {
    let unit = state.store.get_unit(c.unit_id).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    let (photos, answer_files) = split_files(state.store.attachments(c.id).await?, answer.is_some());
    let kind = c.kind;
    let status = c.status;
    let category = match c.category_id {
        Some(id) => Some(state.store.category(id).await?),
        None => None,
    };
    let policy = danvan_app::cases::policy(&*state.store.settings().await?, kind, category.as_ref());
    let days_since = danvan_app::cases::days_since(c.answered_at);
    let facts = CaseFacts { kind, extensions_used: 0, days_since_answer: days_since };
    let allowed = |a: CaseAction| danvan_domain::case::transition(status, a, facts, &policy).is_ok();
    let dues = danvan_app::cases::due_as_of(&state.app, &c).await?;
    let due = dues.date();
    let due_sentence = match (due, status.is_open()) {
        (Some(d), true) => i18n::tf(
            ctx.lang,
            if dues.resolve_by.is_some() { "case.due_sentence" } else { "case.accept_sentence" },
            &[("unit", &unit.name), ("date", &crate::html::date(ctx.lang, &d))],
        ),
        _ => String::new(),
    };
    Ok(TrackPage {
        p: Page::new(ctx, &format!("{} {}", ctx.t("case.track_title"), c.code)),
        kind: ctx.t(crate::labels::case_kind(c.kind)),
        status: status_label(ctx, c.status),
        unit: unit.name,
        events: state.store.case_events(c.id, true).await?,
        answer,
        link: format!("/track/{}?s={}", c.code, secret),
        secret: secret.to_string(),
        is_new,
        due_sentence,
        can_rate: matches!(status, CaseStatus::Answered | CaseStatus::Closed),
        can_reopen: allowed(CaseAction::Reopen),
        can_withdraw: allowed(CaseAction::Withdraw),
        form,
        extras: super::delivery::track_extras(state, &c).await?,
        data_link: format!("/track/{}/data?s={}", c.code, urlencode(secret)),
        photos,
        answer_files,
        fq: secret_query(secret),
        c,
    })
}

async fn track(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let secret = q.get("s").cloned().unwrap_or_default();
    let c = state.store.case_by_secret(&code, &secret).await?.ok_or(WebError::NotFound)?;
    let mut r = render(&track_page(&state, &ctx, c, &secret, q.contains_key("new"), Form::new(ctx.lang)).await?);
    // The private link is a capability: keep it out of caches.
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn track_act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(code): PathParam<String>,
    form: FormData,
) -> Result<Response, WebError> {
    let secret = form.get("s");
    let c = state.store.case_by_secret(&code, &secret).await?.ok_or(WebError::NotFound)?;
    let rating = form.get("rating").parse::<i64>().ok();
    match danvan_app::cases::citizen_act(&state.app, &ctx.caller, &c, &form.get("action"), &form.get("note"), rating)
        .await
        .map_err(WebError::from)
    {
        Ok(_) => {
            Ok(crate::pages::redirect_with(&ctx, &format!("/track/{}?s={}", c.code, urlencode(&secret)), "case.thanks", &[]))
        }
        Err(WebError::Invalid(e)) => {
            let page = track_page(&state, &ctx, c, &secret, false, crate::pages::refill(&ctx, &form, &e, &[])).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Officer inbox

#[derive(Template)]
#[template(path = "cases/inbox.html")]
struct InboxPage {
    p: Page,
    form: Form,
    lines: Vec<CaseLine>,
    total_label: String,
    pager: String,
    statuses: Vec<Opt>,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    channels: Vec<Opt>,
    counters: Vec<(String, String, i64)>,
    /// Officials the selected cases may be given to (bulk assignment); empty for readers.
    handlers: Vec<Opt>,
    /// The same filters, as the Excel export's query string.
    export_query: String,
    /// Leaders and admins get a link to the response templates they manage.
    templates_link: bool,
    /// The work led (default) or supported by the subtree's units.
    scopes: Vec<Opt>,
}

/// Officials whose only work on cases is supporting them (the Front's and mass organisations'
/// representatives).
fn supports_only(ctx: &Ctx) -> bool {
    !ctx.caller.may_somewhere(Action::ViewCases)
}

pub async fn counters(state: &AppState, ctx: &Ctx, within: Option<i64>) -> Result<Vec<(String, String, i64)>, WebError> {
    let today = danvan_app::cases::today();
    let cal = state.store.work_calendar().await?;
    let soon = cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today);
    let n = state.store.case_counters(within, soon, today).await?;
    let out = [
        ("case.counter.new", "status=received", n.received),
        ("case.counter.due_soon", "due=soon", n.due_soon),
        ("case.counter.overdue", "due=overdue", n.overdue),
        ("case.counter.waiting", "status=paused", n.paused),
        ("case.counter.to_approve", "status=answer_drafted", n.to_approve),
    ]
    .into_iter()
    .map(|(key, query, n)| (ctx.t(key), query.to_string(), n))
    .collect();
    Ok(out)
}

/// The inbox's filters read from the query string, with the unit whose subtree they cover,
/// once the actor was authorised to read it (shared by the page and its Excel export).
pub(crate) struct InboxQuery {
    pub filter: CaseFilter,
    pub errors: FieldErrors,
    pub within: Option<Unit>,
    pub page: i64,
}

pub(crate) async fn inbox_query(state: &AppState, ctx: &Ctx, q: &HashMap<String, String>) -> Result<InboxQuery, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let asked_supported = get("scope") == "supported";
    // An unknown unit is a field error on the page, which then shows the caller's own unit.
    let scope = match danvan_app::cases::inbox_scope(&state.app, &ctx.caller, Some(&get("unit")), asked_supported).await {
        Err(danvan_app::AppError::Invalid(e)) if e.get("unit").is_some() => {
            errors.merge(e);
            danvan_app::cases::inbox_scope(&state.app, &ctx.caller, None, asked_supported).await
        }
        r => r,
    };
    let (within_unit, supported) = match scope {
        Ok(s) => (s.within, s.supported),
        // "Supported by whom?": an administrator names the unit.
        Err(danvan_app::AppError::Invalid(e)) => {
            errors.merge(e);
            (None, true)
        }
        Err(e) => return Err(e.into()),
    };
    let within = within_unit.as_ref().map(|u| u.id);
    let today = danvan_app::cases::today();
    let cal = state.store.work_calendar().await?;
    let date = |k: &str, errors: &mut FieldErrors| {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        let d = crate::html::parse_date(&v);
        if d.is_none() {
            errors.add(k, "error.date");
        }
        d
    };
    let page = crate::extract::page_number(get("page").parse().ok());
    let status = get("status");
    let filter = CaseFilter {
        within: if supported { None } else { within },
        // No unit: nothing (see the error above), never every case.
        supported_within: if supported { Some(within.unwrap_or(-1)) } else { None },
        statuses: CaseStatus::parse(&status).into_iter().collect(),
        kind: CaseKind::parse(&get("kind")),
        category_id: match get("category") {
            c if c.is_empty() => None,
            c => state.store.category_by_code(&c).await?.map(|c| c.id),
        },
        channel: Channel::parse(&get("channel")),
        due_by: (get("due") == "soon")
            .then(|| cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today)),
        overdue_as_of: (get("due") == "overdue").then_some(today),
        received_from: date("from", &mut errors),
        received_to: date("to", &mut errors),
        q: get("q"),
        public_only: false,
        codes: vec![],
        category_ids: vec![],
        skip_total: false,
        has_point: false,
        after_id: None,
        sort: if get("sort") == "newest" { CaseSort::Newest } else { CaseSort::DueDate },
        limit: 50,
        offset: (page - 1) * 50,
    };
    Ok(InboxQuery { filter, errors, within: within_unit, page })
}

/// The filter keys kept in the inbox's URL (and passed on to its export).
pub(crate) const INBOX_KEYS: [&str; 11] =
    ["q", "status", "kind", "category", "channel", "due", "from", "to", "unit", "sort", "scope"];

async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let InboxQuery { filter, errors, within: within_unit, page } = inbox_query(&state, &ctx, &q).await?;
    let within = within_unit.as_ref().map(|u| u.id);
    let (rows, total) = state.store.list_cases(&filter).await?;
    let mut form = Form::new(ctx.lang).with_errors(&errors);
    let keys = INBOX_KEYS;
    for k in keys {
        form.values.insert(k.into(), get(k));
    }
    if supports_only(&ctx) {
        form.values.insert("scope".into(), "supported".into());
    }
    let params: Vec<(&str, String)> = keys.iter().map(|k| (*k, get(k))).collect();
    let (_, cats) = names(&state).await?;
    let mut statuses = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    statuses.extend(CaseStatus::ALL.iter().map(|s| Opt { value: s.as_str().into(), label: status_label(&ctx, s.as_str()) }));
    let mut channels = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    channels
        .extend(Channel::ALL.iter().map(|c| Opt { value: c.as_str().into(), label: ctx.t(crate::labels::channel(c.as_str())) }));
    let page_view = InboxPage {
        p: Page::new(&ctx, &ctx.t("case.inbox_title")),
        lines: lines(&state, &ctx, rows).await?,
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/inbox", &params, page, 50, total),
        statuses,
        kinds: kind_options(&ctx, true),
        categories: category_options(&ctx, &cats),
        channels,
        // The counters are of the work led; the Front's representatives only support.
        counters: if supports_only(&ctx) { vec![] } else { counters(&state, &ctx, within).await? },
        // Supported work is assigned by the units that lead it.
        handlers: if filter.supported_within.is_some() {
            vec![]
        } else {
            bulk_handlers(&state, &ctx, within_unit.as_ref()).await?
        },
        scopes: vec![
            Opt { value: String::new(), label: ctx.t("inbox.scope.lead") },
            Opt { value: "supported".into(), label: ctx.t("inbox.scope.supported") },
        ],
        templates_link: ctx.caller.may_somewhere(Action::ManageTemplates),
        export_query: params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&"),
        form,
    };
    Ok(render(&page_view))
}

/// The choice of officials for bulk assignment: those who may handle cases of the subtree (the
/// state machine and `authorize` still decide case by case). None for those who only read.
async fn bulk_handlers(state: &AppState, ctx: &Ctx, within: Option<&Unit>) -> Result<Vec<Opt>, WebError> {
    if danvan_app::cases::authorize_case_work(&ctx.caller).is_err() {
        return Ok(vec![]);
    }
    let (path, anc) = match within {
        Some(u) => (u.path.clone(), u.ancestry()),
        None => ("/".to_string(), vec![]),
    };
    let mut v = vec![Opt { value: String::new(), label: ctx.t("inbox.choose_officer") }];
    v.extend(
        state
            .store
            .handlers_for(&path, &anc)
            .await?
            .into_iter()
            .map(|h| Opt { label: format!("{} ({})", h.full_name, h.username), value: h.username }),
    );
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// Officer intake

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
    let UploadForm { form, files } = up;
    let (input, mut errors) = case_input(&form);
    let place = crate::pages::unit_by_code(&state, &form.get("place_code"), "place_code", &mut errors).await?;
    if let Some(p) = place {
        if danvan_app::cases::authorize_intake(&state.app, &ctx.caller, &state.store.get_unit(p).await?)
            .await
            .map_err(WebError::from)
            .is_err()
        {
            errors.add("place_code", "case.error.place_outside");
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
            let d = crate::html::parse_date(&v);
            if d.is_none_or(|d| d > danvan_app::cases::today()) {
                errors.add("received_on", "error.date");
            }
            d
        }
    };
    let unit_override = match form.get("unit_code").trim() {
        "" => None,
        code => match state.store.get_unit_by_code(code).await? {
            Some(u) => Some((u.id, form.get("unit_reason"))),
            None => {
                errors.add("unit_code", "error.unit_unknown");
                None
            }
        },
    };
    let extras = form_attributes(&state, &form, &mut errors).await?;
    let photos = photos_or_errors(&state, files, &mut errors).await;
    let result = if errors.is_empty() {
        submit_with_photos(
            &state,
            &ctx,
            Submission {
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
            },
            photos,
        )
        .await
    } else {
        discard(&state, photos).await;
        Err(WebError::Invalid(errors))
    };
    match result {
        Ok((c, Some(secret))) => {
            super::delivery::save_zalo_choice(&state, &form, &c).await?;
            let unit = state.store.get_unit(c.unit_id).await?;
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

// ---------------------------------------------------------------------------------------------
// The officer's case page

#[derive(Template)]
#[template(path = "cases/case_show.html")]
pub(crate) struct CasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    channel: String,
    place: String,
    contact: Option<Contact>,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    assignee: String,
    actions: Vec<(String, String)>,
    reject_reasons: Vec<Opt>,
    kinds: Vec<Opt>,
    form: Form,
    can_handle: bool,
    /// Internal notes: the lead unit's officers and those of a supporting unit.
    can_note: bool,
    /// Supporting units (đơn vị phối hợp).
    supports: Vec<danvan_store::cases::CaseSupport>,
    /// Response templates offered for this case (its unit's and those above, its category's).
    templates: Vec<Opt>,
    /// Delivery of the answer, possible duplicates, merging.
    extras: super::delivery::CaseExtras,
    photos: Vec<Attachment>,
    answer_files: Vec<Attachment>,
    can_attach: bool,
    fq: String,
}

/// Fills the answer draft from a response template offered for this case; the placeholders
/// take only what the case page itself shows.
async fn apply_template(state: &AppState, ctx: &Ctx, c: &CaseRow, id: &str, form: &mut Form) -> Result<(), WebError> {
    let offered = match id.trim().parse::<i64>() {
        Ok(id) => state.store.templates_for_case(&c.unit_ancestry(), c.category_id).await?.into_iter().find(|t| t.id == id),
        Err(_) => None,
    };
    let Some(t) = offered else {
        form.errors.insert("template".into(), ctx.t("error.invalid"));
        return Ok(());
    };
    let category = match c.category_id {
        Some(id) => state.store.category(id).await?.name,
        None => String::new(),
    };
    let facts = danvan_domain::inbox::TemplateFacts {
        code: c.code.clone(),
        received_on: crate::html::date(ctx.lang, &c.received_on),
        unit: state.store.get_unit(c.unit_id).await?.name,
        title: c.title.clone(),
        category,
        today: crate::html::date(ctx.lang, &danvan_app::cases::today()),
    };
    form.values.insert("answer".into(), danvan_domain::inbox::fill_template(&t.body, &facts));
    Ok(())
}

pub(crate) async fn case_page(state: &AppState, ctx: &Ctx, c: CaseRow, form: Form) -> Result<CasePage, WebError> {
    // The supporting units are read once: they decide who else may read and note.
    let supports = state.store.case_supports(c.id).await?;
    danvan_app::cases::authorize_case_file_with(&ctx.caller, &c, &supports, Action::View)?;
    // A supporting unit sees the answer and its files once sent, like the citizen.
    let lead_view = danvan_app::cases::authorize_case_internal(&ctx.caller, &c).is_ok();
    let can_handle = danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle).is_ok();
    let can_note = danvan_app::cases::authorize_case_file_with(&ctx.caller, &c, &supports, Action::Contribute).is_ok();
    let can_approve = danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Approve).is_ok();
    let contact = if danvan_app::cases::authorize_case(&ctx.caller, &c, Action::ViewContacts).is_ok() {
        Some(state.store.case_contact(c.id).await?)
    } else {
        None
    };
    let kind = c.kind;
    let status = c.status;
    let category = match c.category_id {
        Some(id) => Some(state.store.category(id).await?),
        None => None,
    };
    let policy = danvan_app::cases::policy(&*state.store.settings().await?, kind, category.as_ref());
    let days_since = danvan_app::cases::days_since(c.answered_at);
    let facts = CaseFacts { kind, extensions_used: c.extensions_used.max(0) as u32, days_since_answer: days_since };
    let candidates = [
        CaseAction::Accept,
        CaseAction::Reject { reason: RejectReason::Spam },
        CaseAction::Assign,
        CaseAction::Start,
        CaseAction::Pause,
        CaseAction::Resume,
        CaseAction::DraftAnswer,
        CaseAction::ReturnDraft,
        CaseAction::ApproveAnswer,
        CaseAction::SendAnswer,
        CaseAction::Close,
        CaseAction::Reopen,
        CaseAction::Extend,
        CaseAction::Withdraw,
        CaseAction::TransferOut,
        CaseAction::Transfer,
        CaseAction::Reclassify,
    ];
    let actions = candidates
        .iter()
        .filter(|a| danvan_domain::case::transition(status, **a, facts, &policy).is_ok())
        .filter(|a| if matches!(a, CaseAction::ApproveAnswer | CaseAction::ReturnDraft) { can_approve } else { can_handle })
        .map(|a| (a.name().to_string(), ctx.t(crate::labels::case_action(a.name()))))
        .collect();
    let place = match c.place_unit_id {
        Some(id) => state.store.get_unit(id).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let assignee = match c.assignee_id {
        Some(id) => state.store.get_account(id).await.map(|a| a.full_name).unwrap_or_default(),
        None => String::new(),
    };
    let mut form = form;
    if !form.values.contains_key("answer") {
        if let Some(a) = state.store.answer(c.id).await? {
            form.values.insert("answer".into(), a.body);
        }
    }
    let templates = if can_handle {
        let mut v = vec![Opt { value: String::new(), label: ctx.t("template.choose") }];
        v.extend(
            state
                .store
                .templates_for_case(&c.unit_ancestry(), c.category_id)
                .await?
                .into_iter()
                .map(|t| Opt { value: t.id.to_string(), label: t.title }),
        );
        v
    } else {
        vec![]
    };
    let extras = super::delivery::case_extras(state, ctx, &c, can_handle, contact.is_some()).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| lead_view || a.sent_at.is_some());
    let (photos, answer_files) = split_files(state.store.attachments(c.id).await?, answer.is_some());
    let can_attach = can_handle && answer_files_open(state, &c).await?;
    let line = lines(state, ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(CasePage {
        templates,
        extras,
        photos,
        answer_files,
        can_attach,
        fq: String::new(),
        p: Page::new(ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(crate::labels::case_kind(line.c.kind)),
        status: status_label(ctx, line.c.status),
        channel: ctx.t(crate::labels::channel(line.c.channel)),
        place,
        contact,
        events: state.store.case_events(line.c.id, false).await?,
        answer,
        assignee,
        actions,
        reject_reasons: RejectReason::ALL
            .iter()
            .map(|r| Opt { value: r.as_str().into(), label: ctx.t(crate::labels::reject_reason(r.as_str())) })
            .collect(),
        kinds: kind_options(ctx, false),
        form,
        can_handle,
        can_note,
        supports,
        line,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.require_account()?;
    let c = state.store.get_case(id).await?;
    let mut form = Form::new(ctx.lang);
    // "Use template" (a GET form, so it works without JavaScript): the draft comes back filled.
    if let Some(t) = q.get("template").filter(|t| !t.trim().is_empty()) {
        danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle)?;
        apply_template(&state, &ctx, &c, t, &mut form).await?;
        form.values.insert("template".into(), t.trim().to_string());
    }
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render_status(status, &case_page(&state, &ctx, c, form).await?))
}

async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = ActRequest {
        action: form.get("action"),
        note: form.get("note"),
        reason: form.get("reason"),
        assignee: form.get("assignee"),
        unit_code: form.get("unit_code"),
        kind: form.get("kind"),
        complex: form.get("complex") == "on",
        answer: form.get("answer"),
    };
    match danvan_app::cases::act(&state.app, &ctx.caller, id, &r).await.map_err(WebError::from) {
        Ok(c) => Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{}", c.id), "case.done", &[])),
        Err(WebError::Invalid(e)) => {
            let c = state.store.get_case(id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &case_page(&state, &ctx, c, crate::pages::refill(&ctx, &form, &e, &[])).await?,
            ))
        }
        Err(e) => Err(e),
    }
}

async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let c = state.store.get_case(id).await?;
    danvan_app::cases::authorize_case_file(&state.app, &ctx.caller, &c, Action::Contribute).await?;
    let result = state.store.add_case_note(&ctx.audit(), id, &form.get("note")).await;
    back_to_case(&state, &ctx, c, &form, result, "").await
}

/// After a form of the case page: back to the page (at `anchor`), or the page again with the
/// form's field errors (422).
async fn back_to_case(
    state: &AppState,
    ctx: &Ctx,
    c: CaseRow,
    form: &FormData,
    result: Result<(), danvan_store::StoreError>,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(crate::pages::redirect_with(ctx, &format!("/cases/{}{anchor}", c.id), "case.done", &[])),
        Err(danvan_store::StoreError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &case_page(state, ctx, c, crate::pages::refill(ctx, form, &e, &[])).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// Adds a supporting unit (đơn vị phối hợp), chosen by its code by the lead unit's handlers.
async fn support_add(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let c = state.store.get_case(id).await?;
    danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle)?;
    let code = form.get("support_unit");
    let result = match state.store.get_unit_by_code(code.trim()).await? {
        Some(u) => state.store.add_case_support(&ctx.audit(), id, u.id, &form.get("support_note")).await,
        None => {
            Err(FieldErrors::one("support_unit", if code.trim().is_empty() { "error.required" } else { "error.unit_unknown" })
                .into())
        }
    };
    back_to_case(&state, &ctx, c, &form, result, "#supports").await
}

/// Ends a unit's support of a case (the history keeps it).
async fn support_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, unit_id)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    let c = state.store.get_case(id).await?;
    danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle)?;
    state.store.remove_case_support(&ctx.audit(), id, unit_id, "").await?;
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{id}#supports"), "case.done", &[]))
}

// ---------------------------------------------------------------------------------------------
// Public accountability

#[derive(Template)]
#[template(path = "cases/public_cases.html")]
struct PublicListPage {
    p: Page,
    lines: Vec<CaseLine>,
    pager: String,
    total_label: String,
    q: String,
    stats: Option<(String, Vec<(String, String)>)>,
}

async fn public_list(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let page = crate::extract::page_number(get("page").parse().ok());
    let unit = match get("unit") {
        c if c.is_empty() => None,
        c => state.store.get_unit_by_code(&c).await?,
    };
    let filter = CaseFilter {
        within: unit.as_ref().map(|u| u.id),
        q: get("q"),
        public_only: true,
        sort: CaseSort::Newest,
        limit: 30,
        offset: (page - 1) * 30,
        ..Default::default()
    };
    let (rows, total) = state.store.list_cases(&filter).await?;
    let stats = match &unit {
        Some(u) => Some((u.name.clone(), unit_figures(&state, &ctx, u.id).await?)),
        None => None,
    };
    Ok(render(&PublicListPage {
        p: Page::new(&ctx, &ctx.t("case.public_title")),
        lines: lines(&state, &ctx, rows).await?,
        pager: pagination(ctx.lang, "/public/cases", &[("q", get("q")), ("unit", get("unit"))], page, 30, total),
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        q: get("q"),
        stats,
    }))
}

/// A unit's public figures: received, answered, on time, median working days, satisfaction.
pub async fn unit_figures(state: &AppState, ctx: &Ctx, unit: i64) -> Result<Vec<(String, String)>, WebError> {
    let s = state.store.case_stats(unit).await?;
    let cal = state.store.work_calendar().await?;
    let mut days: Vec<i64> = s
        .answered_dates
        .iter()
        .map(|(r, a)| cal.working_days_between(*r, a.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive()))
        .collect();
    days.sort_unstable();
    let median = days.get(days.len() / 2).map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let on_time = if s.answered > 0 { format!("{}%", s.on_time * 100 / s.answered) } else { "—".into() };
    let sat = s.satisfaction.map(|v| format!("{v:.1}/5 ({} {})", s.ratings, ctx.t("case.ratings"))).unwrap_or_else(|| "—".into());
    Ok(vec![
        (ctx.t("case.stat.received"), i18n::number(ctx.lang, s.received)),
        (ctx.t("case.stat.answered"), i18n::number(ctx.lang, s.answered)),
        (ctx.t("case.stat.on_time"), on_time),
        (ctx.t("case.stat.median_days"), median),
        (ctx.t("case.stat.satisfaction"), sat),
    ])
}

#[derive(Template)]
#[template(path = "cases/public_case.html")]
struct PublicCasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    photos: Vec<Attachment>,
    fq: String,
}

async fn public_case(State(state): State<AppState>, ctx: Ctx, PathParam(code): PathParam<String>) -> Result<Response, WebError> {
    let c = state.store.get_case_by_code(&code).await?.ok_or(WebError::NotFound)?;
    // Not published: as if it did not exist (no hint that the code is taken).
    if !danvan_app::cases::is_public(&c) {
        return Err(WebError::NotFound);
    }
    let events = state.store.case_events(c.id, true).await?;
    let answer = state.store.answer(c.id).await?.filter(|a| a.sent_at.is_some());
    // An answer's files (official letters) usually name the citizen: never on the public page.
    let (photos, _) = split_files(state.store.attachments(c.id).await?, false);
    let line = lines(&state, &ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(render(&PublicCasePage {
        p: Page::new(&ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(crate::labels::case_kind(line.c.kind)),
        status: status_label(&ctx, line.c.status),
        events,
        answer,
        photos,
        fq: String::new(),
        line,
    }))
}

// ---------------------------------------------------------------------------------------------
// Photos and attachment files

type Prepared = Option<(Vec<danvan_store::attachments::NewAttachment>, danvan_app::cases::files::Staged)>;

/// Checks and stages a submission's photos; their problems join the form's other errors.
async fn photos_or_errors(
    state: &AppState,
    files: Vec<danvan_app::cases::files::Incoming>,
    errors: &mut FieldErrors,
) -> Prepared {
    match danvan_app::cases::files::prepare_photos(&state.app.uploads, files).await {
        Ok(p) => Some(p),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    }
}

async fn discard(state: &AppState, photos: Prepared) {
    if let Some((_, staged)) = photos {
        state.app.uploads.discard(staged).await;
    }
}

/// Records the case with its photos; the files take their place only once the case committed.
async fn submit_with_photos(
    state: &AppState,
    ctx: &Ctx,
    s: Submission,
    photos: Prepared,
) -> Result<(CaseRow, Option<String>), WebError> {
    let (atts, staged) = photos.unwrap_or_default();
    let result = danvan_app::cases::submit_with(&state.app, &ctx.caller, s, &atts).await.map_err(WebError::from);
    match &result {
        // A new case: its rows committed with it.
        Ok((_, Some(_))) => state.app.uploads.promote(staged).await,
        // A resubmission of a recorded case, or a failure: the photos were not recorded.
        _ => state.app.uploads.discard(staged).await,
    }
    result
}

/// The query a file link needs on the citizen's private page (the capability travels along).
fn secret_query(secret: &str) -> String {
    if secret.is_empty() {
        String::new()
    } else {
        format!("?s={}", urlencode(secret))
    }
}

/// Photos of the case, and files of its answer (shown only once the answer is sent, except to
/// the officers handling it).
fn split_files(all: Vec<Attachment>, answer_visible: bool) -> (Vec<Attachment>, Vec<Attachment>) {
    let (photos, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|a| a.purpose == "photo");
    let answer = if answer_visible { rest.into_iter().filter(|a| a.purpose == "answer").collect() } else { vec![] };
    (photos, answer)
}

async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    serve_file(&state, &ctx, id, q.get("s").map(String::as_str).unwrap_or(""), false).await
}

async fn file_thumb(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    serve_file(&state, &ctx, id, q.get("s").map(String::as_str).unwrap_or(""), true).await
}

/// Who may see a file: whoever may see the case (anyone for a public case — never a
/// denunciation —, the holder of the private link, the officers authorised for it). An answer's
/// files are shown outside the handling unit only once the answer has been sent. Anything else
/// is a 404, so a file's existence says nothing about a case one may not see.
async fn serve_file(state: &AppState, ctx: &Ctx, id: i64, secret: &str, thumb: bool) -> Result<Response, WebError> {
    let a = state.store.attachment(id).await?.ok_or(WebError::NotFound)?;
    let c = state.store.get_case(a.case_id).await?;
    // The lead unit's officials see every file; a supporting unit's, the photos, and an answer's
    // files once it was sent (as the citizen does).
    let officer = danvan_app::cases::authorize_case_internal(&ctx.caller, &c).is_ok()
        || (danvan_app::cases::authorize_case_file(&state.app, &ctx.caller, &c, Action::View)
            .await
            .map_err(WebError::from)
            .is_ok()
            && (a.purpose != "answer" || state.store.answer(c.id).await?.is_some_and(|x| x.sent_at.is_some())));
    let mut by_link =
        !officer && !secret.is_empty() && state.store.case_by_secret(&c.code, secret).await?.is_some_and(|x| x.id == c.id);
    // The citizens of cases merged into this one receive its answer, files included.
    if a.purpose == "answer" && !officer && !by_link && !secret.is_empty() {
        for m in state.store.merged_cases(c.id).await? {
            if state.store.case_by_secret(&m.code, secret).await?.is_some_and(|x| x.id == m.id) {
                by_link = true;
                break;
            }
        }
    }
    // An answer's files usually name the citizen: never public, only for the link's holder.
    let public = danvan_app::cases::is_public(&c) && a.purpose != "answer";
    if !(officer || by_link || public) {
        return Err(WebError::NotFound);
    }
    if a.purpose == "answer" && !officer && state.store.answer(c.id).await?.and_then(|x| x.sent_at).is_none() {
        return Err(WebError::NotFound);
    }
    let key = if thumb { a.thumb_key.as_deref().or(a.storage_key.as_deref()) } else { a.storage_key.as_deref() };
    let path = key.and_then(|k| state.app.uploads.path_of(k)).ok_or(WebError::NotFound)?;
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WebError::NotFound),
        Err(e) => return Err(WebError::Internal(format!("reading upload: {e}"))),
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
    // Streamed in chunks: a 20 MB PDF is not held in memory per download.
    let stream = futures_util::stream::unfold(file, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    let content_type = if thumb && a.thumb_key.is_some() { "image/jpeg" } else { a.content_type.as_str() };
    // Public files may sit in shared caches briefly; the others only in the viewer's, and the
    // private link's not at all (like its page).
    let cache = if by_link {
        "private, no-store"
    } else if public && !officer {
        "public, max-age=3600"
    } else {
        "private, max-age=3600"
    };
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if a.content_type.starts_with("image/") { "inline" } else { "attachment" },
        urlencode(&a.file_name)
    );
    let mut r = axum::body::Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    if let Some(len) = len {
        h.insert(axum::http::header::CONTENT_LENGTH, axum::http::HeaderValue::from(len));
    }
    let hv = |v: &str| axum::http::HeaderValue::from_str(v).map_err(|_| WebError::Internal("header".into()));
    h.insert(axum::http::header::CONTENT_TYPE, hv(content_type)?);
    h.insert(axum::http::header::CACHE_CONTROL, hv(cache)?);
    h.insert(axum::http::header::CONTENT_DISPOSITION, hv(&disposition)?);
    h.insert(
        axum::http::header::ETAG,
        hv(&format!("\"{}{}\"", &a.sha256[..a.sha256.len().min(32)], if thumb { "t" } else { "" }))?,
    );
    // A file is never a document that runs anything, whatever it claims.
    h.insert(axum::http::header::CONTENT_SECURITY_POLICY, hv("default-src 'none'; img-src 'self'; sandbox")?);
    Ok(r)
}

/// Whether officers may still change the answer's files: before it is sent.
async fn answer_files_open(state: &AppState, c: &CaseRow) -> Result<bool, WebError> {
    let status = c.status;
    Ok(status.is_open() && state.store.answer(c.id).await?.is_none_or(|a| a.sent_at.is_none()))
}

async fn answer_files_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    req: axum::extract::Request,
) -> Result<Response, WebError> {
    let c = state.store.get_case(id).await?;
    danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle)?;
    // The body (up to 55 MB) is read only once the officer is known to handle the case.
    let UploadForm { form, files } = <UploadForm as axum::extract::FromRequest<AppState>>::from_request(req, &state).await?;
    let refused = |e: FieldErrors| crate::pages::refill(&ctx, &form, &e, &[]);
    let mut problem = None;
    if !answer_files_open(&state, &c).await? {
        problem = Some(FieldErrors::one("files", "photo.error.answer_sent"));
    } else if files.iter().all(|f| f.field != "files") {
        problem = Some(FieldErrors::one("files", "error.required"));
    }
    let prepared = match problem {
        Some(e) => Err(e),
        None => {
            let already = state.store.attachments(id).await?.iter().filter(|a| a.purpose == "answer").count();
            danvan_app::cases::files::prepare_answer_files(&state.app.uploads, files, already).await
        }
    };
    let (atts, staged) = match prepared {
        Ok(p) => p,
        Err(e) => {
            let page = case_page(&state, &ctx, c, refused(e)).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    match state.store.add_attachments(&ctx.audit(), id, &atts).await {
        Ok(()) => state.app.uploads.promote(staged).await,
        Err(e) => {
            state.app.uploads.discard(staged).await;
            return Err(e.into());
        }
    }
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{id}#answer-files"), "case.done", &[]))
}

async fn file_delete(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let a = state.store.attachment(id).await?.ok_or(WebError::NotFound)?;
    let c = state.store.get_case(a.case_id).await?;
    danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle)?;
    // What the citizen sent is evidence: only the answer's own files can be removed, before it is sent.
    if a.purpose != "answer" || !answer_files_open(&state, &c).await? {
        return Err(WebError::Conflict(FieldErrors::one("files", "photo.error.answer_sent")));
    }
    if let Some(gone) = state.store.delete_attachment(&ctx.audit(), id).await? {
        state.app.uploads.remove(&[gone.storage_key, gone.thumb_key]).await;
    }
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{}#answer-files", c.id), "case.done", &[]))
}
