//! The citizen's form: sending feedback, a complaint or a denunciation, with photos, the place
//! and the category's extra fields; spam controls.

use super::lines::{category_options, kind_options, names};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::{Form, Opt, Page};
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::uploads::UploadForm;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::cases::categories::Category;
use danvan_app::cases::Submission;
use danvan_domain::cases::{CaseInput, Channel};
use danvan_domain::FieldErrors;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new().get("/cases/new", public_form)
}

/// The form's submission takes files: the router gives it a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new().post("/cases/new", public_submit)
}

#[derive(Template)]
#[template(path = "cases/case_form.html")]
pub(super) struct CaseFormPage {
    p: Page,
    form: Form,
    officer: bool,
    action: String,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    provinces: Vec<Opt>,
    wards: Vec<Opt>,
    /// The live units of the officer's provinces, or of the public form's province (code →
    /// name), offered as one types the place, the handling unit or the unit concerned.
    units: Vec<Opt>,
    /// The officer's form: the officials of the officer's provinces (username → name), for the
    /// account of the person a denunciation concerns.
    officials: Vec<Opt>,
    channels: Vec<Opt>,
    province: String,
    /// When the form was shown, signed by the server (`cases::spam`).
    started: String,
    /// The categories' extra fields (Open311 attributes): (category name, rendered fields).
    extras: Vec<(String, Vec<String>)>,
    /// The point picker, when a tile source is configured (public form only).
    map: Option<super::map::MapView>,
    /// Photos of a refused submission kept on the server (public form only).
    kept: Option<danvan_app::cases::pending::Kept>,
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
    let Some(c) = danvan_app::cases::categories::category_by_code(&state.app, &form.get("category")).await?.filter(|c| c.active)
    else {
        return Ok(vec![]);
    };
    let prefix = format!("attr.{}.", c.code);
    let given = |code: &str| -> Vec<String> {
        let key = format!("{prefix}{code}");
        form.0.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.clone()).collect()
    };
    match danvan_domain::cases::category::check_values(&c.attribute_defs(), &given) {
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
pub(super) fn attributes_notes(extras: &[(String, Vec<String>)]) -> Vec<String> {
    if extras.is_empty() {
        vec![]
    } else {
        vec![danvan_app::cases::attributes_note(extras)]
    }
}

/// Puts the chosen category's extra values back into a refilled form. Multi-value fields come
/// back as several pairs: all are kept. Only the chosen category's defined fields, grouped in one
/// pass (a body of many `attr.` pairs must not cost pairs² work).
pub(super) async fn refill_attributes(state: &AppState, form: &FormData, refilled: &mut Form) -> Result<(), WebError> {
    let wanted: Vec<String> = match danvan_app::cases::categories::category_by_code(&state.app, &form.get("category")).await? {
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
        danvan_app::org::queries::root_units(&state.app)
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
        for u in danvan_app::org::queries::child_units(&state.app, p, false).await? {
            if matches!(u.kind.as_str(), "ward" | "commune" | "special_zone") {
                v.push(Opt { value: u.id.to_string(), label: u.name });
            }
        }
    }
    Ok(v)
}

/// The provinces (or cities) the officer works in.
fn officer_provinces(ctx: &Ctx) -> Vec<i64> {
    let mut tops: Vec<i64> = ctx.caller.memberships.iter().filter_map(|m| m.unit_ancestry().first().copied()).collect();
    tops.sort_unstable();
    tops.dedup();
    tops
}

/// The officials with a role in these provinces, by name.
async fn official_choices(state: &AppState, provinces: Vec<i64>) -> Result<Vec<Opt>, WebError> {
    if provinces.is_empty() {
        return Ok(vec![]);
    }
    let (accounts, _) = danvan_app::org::queries::list_accounts(&state.app, "", Some(&provinces), 2000, 0).await?;
    Ok(accounts.into_iter().map(|a| Opt { label: a.full_name, value: a.username }).collect())
}

/// The live units of these provinces, by name (the unit directory is public).
async fn unit_choices(state: &AppState, provinces: Vec<i64>) -> Result<Vec<Opt>, WebError> {
    let mut v = vec![];
    for top in provinces {
        let units = danvan_app::org::queries::unit_names_within(&state.app, top, 2000).await?;
        v.extend(units.into_iter().map(|(code, name)| Opt { value: code, label: name }));
    }
    Ok(v)
}

pub(super) async fn case_form(
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
        units: unit_choices(state, if officer { officer_provinces(ctx) } else { province.into_iter().collect() }).await?,
        officials: if officer { official_choices(state, officer_provinces(ctx)).await? } else { vec![] },
        channels,
        province: province.map(|p| p.to_string()).unwrap_or_default(),
        started: danvan_app::cases::spam::started_token(&state.app).await?,
        extras: extra_fields(ctx, &form, &cats),
        map: if officer { None } else { super::map::MapView::of(&*danvan_app::settings::settings(&state.app).await?) },
        kept: None,
        form,
    })
}

async fn default_province(state: &AppState) -> Option<i64> {
    // A deployment serves one province; the first province with wards filled in is the guess.
    let settings = danvan_app::settings::settings(&state.app).await.ok()?;
    danvan_app::org::queries::get_unit_by_code(&state.app, settings.province_code()).await.ok().flatten().map(|u| u.id)
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
    let form = Form::new(ctx.lang).set("kind", "feedback").set("province", province.map(|p| p.to_string()).unwrap_or_default());
    let settings = danvan_app::settings::settings(&state.app).await?;
    Ok(super::map::with_map_csp(render(&case_form(&state, &ctx, form, false, province).await?), &settings))
}

pub(super) fn case_input(form: &FormData) -> (CaseInput, FieldErrors) {
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

/// Whom a denunciation concerns, as the intake forms send it (ignored for other kinds).
pub(super) fn concern_input(form: &FormData) -> danvan_domain::cases::denunciation::ConcernInput {
    danvan_domain::cases::denunciation::ConcernInput {
        unit: form.get("concerned_unit"),
        name: form.get("concerned_name"),
        account: form.get("concerned_account"),
    }
}

async fn public_submit(State(state): State<AppState>, ctx: Ctx, up: UploadForm) -> Result<Response, WebError> {
    let UploadForm { form, mut files, permit: _permit } = up;
    // Photos kept from a refused attempt come first, as they were chosen first.
    let mut kept_before = danvan_app::cases::pending::take(&state.app.uploads, &form.get("pending")).await;
    if !kept_before.is_empty() {
        kept_before.append(&mut files);
        files = kept_before;
    }
    // Every attempt counts against the address's limit, whatever becomes of it.
    danvan_app::cases::spam::count_public_attempt(&state.app, &ctx.caller).await?;
    // Spam control: a hidden field people never fill, a minimum fill time from a signed start.
    if !form.get("website").is_empty() {
        return Err(WebError::BadRequest("case.error.too_fast"));
    }
    let (input, mut errors) = case_input(&form);
    match danvan_app::cases::spam::check_started(&state.app, &form.get("started")).await {
        Ok(()) => {}
        // A genuine form sent too soon (or too late): shown again with its values, nothing saved.
        Err(danvan_app::AppError::Invalid(e)) => errors.merge(e),
        Err(e) => return Err(e.into()),
    }
    let place = form.get("place").parse::<i64>().ok();
    let province = form.get("province").parse::<i64>().ok();
    let extras = form_attributes(&state, &form, &mut errors).await?;
    let submission = Submission {
        notify_zalo: form.get("notify_zalo") == "on",
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
        concern: concern_input(&form),
    };
    // Decoding is the costly part of an anonymous submission: the use case checks the whole
    // submission (and what was found above) before it decodes any photo.
    let result = danvan_app::cases::submit_keeping_files(&state.app, &ctx.caller, submission, files, errors).await;
    match result {
        Ok((c, Some(secret))) => {
            // The receipt goes to the phone or e-mail given; the case stands whatever becomes of it.
            let due = danvan_app::cases::due_as_of(&state.app, &c).await.ok().and_then(|d| d.date());
            let due = due.map(|d| crate::html::date(crate::i18n::Lang::Vi, &d));
            if let Err(e) = danvan_app::cases::tracking::queue_receipt(&state.app, c.id, &c.code, &secret, due.as_deref()).await {
                tracing::warn!(error = ?e, "could not queue a receipt");
            }
            Ok(Redirect::to(&format!("/track/{}?s={secret}&new=1", c.code)).into_response())
        }
        Ok((c, None)) => Ok(Redirect::to(&format!("/public/cases/{}", c.code)).into_response()),
        Err((danvan_app::AppError::Invalid(e), files)) => {
            let mut refilled = crate::pages::refill(&ctx, &form, &e, &[]);
            refill_attributes(&state, &form, &mut refilled).await?;
            let mut page = case_form(&state, &ctx, refilled, false, province).await?;
            // The photos need not be chosen again: kept on the server for an hour.
            page.kept = danvan_app::cases::pending::keep(&state.app.uploads, files).await;
            let settings = danvan_app::settings::settings(&state.app).await?;
            Ok(super::map::with_map_csp(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page), &settings))
        }
        Err((e, _)) => Err(e.into()),
    }
}
