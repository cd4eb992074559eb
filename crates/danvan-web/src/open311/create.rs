//! Creating a request with an API key: the same intake use case as the citizen's form, with
//! photos and the category's attributes.

use super::format::{busy, error, internal, param, respond, split, Fmt, Node};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use danvan_app::cases::Submission;
use danvan_domain::cases::{CaseInput, Channel};
use std::collections::HashMap;
/// Fields of a url-encoded POST, keeping repeated keys (several media_url, attribute[x][]).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    std::str::from_utf8(body).map(|s| crate::middleware::url_pairs(s).collect()).unwrap_or_default()
}

pub(super) async fn create_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    req: axum::extract::Request,
) -> Response {
    let Some(("requests", fmt)) = split(&file) else { return error(Fmt::Json, 404, "not found") };
    let headers = req.headers().clone();
    let multipart =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
    // The key is checked before a large body is read: from the query when it is there, and a
    // multipart body (photos, up to 55 MB) is read only for a client that sent it there.
    match param(&q, "api_key") {
        Some(key) => match danvan_app::open311::key_name(&state.app, key).await {
            Ok(Some(_)) => {}
            Ok(None) => return error(fmt, 403, "api_key is not valid"),
            Err(e) => return internal(fmt, e.into()),
        },
        None if multipart => return error(fmt, 403, "api_key is required in the query string of a multipart request"),
        None => {}
    }
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in q {
        fields.entry(k).or_default().push(v);
    }
    // Photos sent as files (`media`, as GeoReport clients name them): checked like the web form's.
    let mut photos = vec![];
    let mut _permit = None;
    if multipart {
        let (form, files) =
            match <crate::uploads::UploadForm as axum::extract::FromRequest<AppState>>::from_request(req, &state).await {
                Ok(u) => {
                    _permit = u.permit;
                    (u.form, u.files)
                }
                Err(WebError::Busy(_)) => return busy(fmt),
                Err(_) => return error(fmt, 400, "the multipart body cannot be read (at most 5 photos of 10 MB)"),
            };
        for (k, v) in form.0 {
            fields.entry(k).or_default().push(v);
        }
        photos = files
            .into_iter()
            .filter(|f| f.field == "media" || f.field == "media[]")
            .map(|f| danvan_app::cases::files::Incoming { field: "photos".into(), ..f })
            .collect();
    } else {
        let Ok(body) = axum::body::to_bytes(req.into_body(), 1 << 20).await else {
            return error(fmt, 400, "the body is too large");
        };
        for (k, v) in form_pairs(&body) {
            fields.entry(k).or_default().push(v);
        }
    }
    let get = |k: &str| fields.get(k).and_then(|v| v.iter().map(|s| s.trim()).find(|s| !s.is_empty())).map(str::to_string);
    let Some(key) = get("api_key") else { return error(fmt, 403, "api_key is required") };
    let client = match danvan_app::open311::key_name(&state.app, &key).await {
        Ok(Some(name)) => name,
        Ok(None) => return error(fmt, 403, "api_key is not valid"),
        Err(e) => return internal(fmt, e.into()),
    };
    let Some(service_code) = get("service_code") else { return error(fmt, 400, "service_code is required") };
    let attr = |code: &str| get(&format!("attribute[{code}]")).or_else(|| get(&format!("attribute[{code}][]")));
    // The category's own attributes, checked before anything is recorded.
    let attribute_values = match danvan_app::cases::categories::category_by_code(&state.app, &service_code).await {
        Ok(Some(c)) if c.active => {
            let all = |code: &str| -> Vec<String> {
                [format!("attribute[{code}]"), format!("attribute[{code}][]")]
                    .iter()
                    .flat_map(|k| fields.get(k).cloned().unwrap_or_default())
                    .collect()
            };
            match danvan_domain::cases::category::check_values(&c.attribute_defs(), &all) {
                Ok(v) => v,
                Err(errs) => {
                    let msg: Vec<String> = errs.iter().map(|e| e.message()).collect();
                    return error(fmt, 400, &msg.join("; "));
                }
            }
        }
        Ok(_) => return error(fmt, 400, "service_code is not a known service"),
        Err(e) => return internal(fmt, e.into()),
    };
    let kind = attr("kind").unwrap_or_else(|| "feedback".into());
    if kind != "feedback" && kind != "petition" {
        return error(fmt, 400, "attribute[kind] must be feedback or petition");
    }
    let lat = get("lat").map(|v| v.parse::<f64>());
    let lon = get("long").map(|v| v.parse::<f64>());
    let (latitude, longitude) = match (lat, lon) {
        (Some(Ok(a)), Some(Ok(b))) => (Some(a), Some(b)),
        (None, None) => (None, None),
        _ => return error(fmt, 400, "lat and long must both be numbers"),
    };
    let address = get("address_string").unwrap_or_default();
    // The place is a unit of the tree: address_id or attribute[ward] as its code, or a ward
    // named in the address.
    let place = match get("address_id").or_else(|| attr("ward")) {
        Some(code) => match danvan_app::org::queries::get_unit_by_code(&state.app, &code).await {
            Ok(Some(u)) => Some(u.id),
            Ok(None) => return error(fmt, 400, "address_id is not a known unit code"),
            Err(e) => return internal(fmt, e.into()),
        },
        None => {
            // A point inside the administrators' boundaries names its ward; else the address.
            let by_point = match (latitude, longitude) {
                (Some(lat), Some(lon)) => {
                    match danvan_app::cases::place_of_point(&state.app, lat, lon).await.map_err(WebError::from) {
                        Ok(u) => u.map(|u| u.id),
                        Err(e) => return internal(fmt, e),
                    }
                }
                _ => None,
            };
            match by_point {
                Some(p) => Some(p),
                None => match ward_in_address(&state, &address).await {
                    Ok(p) => p,
                    Err(e) => return internal(fmt, e),
                },
            }
        }
    };
    if place.is_none() {
        return error(
            fmt,
            400,
            "a location must name its ward: address_id (unit code, e.g. C00073) or a ward name in address_string",
        );
    }
    // The place itself is a location: an address_id alone is enough.
    let address = if address.is_empty() && latitude.is_none() {
        match place {
            Some(p) => danvan_app::org::queries::get_unit(&state.app, p).await.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        }
    } else {
        address
    };
    let name = [get("first_name"), get("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let description = get("description").unwrap_or_default();
    if description.chars().count() > 4000 {
        return error(fmt, 400, "description is longer than 4000 characters");
    }
    let input = CaseInput {
        kind,
        category: service_code.clone(),
        title: String::new(),
        description,
        address: if address.is_empty() {
            format!("{}, {}", latitude.unwrap_or_default(), longitude.unwrap_or_default())
        } else {
            address
        },
        latitude,
        longitude,
        sender_name: name,
        sender_phone: get("phone").unwrap_or_default(),
        sender_email: get("email").unwrap_or_default(),
        sender_address: String::new(),
        // Apps publish by default, as the public web form does for feedback.
        publish: true,
    };
    let idempotency = match danvan_app::input::idempotency_key(headers.get("idempotency-key").map(|v| v.as_bytes())) {
        Ok(k) => k.map(|k| format!("open311-{client}-{k}")),
        Err(_) => return error(fmt, 400, "Idempotency-Key must be at most 200 printable ASCII characters"),
    };
    // References to media elsewhere are kept for the officers as sent (plain web addresses only)
    // and never fetched: the server makes no request on a client's behalf. They and the
    // category's extra values are recorded with the case, in its commit.
    let media: Vec<String> = fields
        .get("media_url")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.trim().to_string())
        .filter(|m| danvan_domain::cases::attachment::valid_media_url(m))
        .take(danvan_domain::cases::attachment::MAX_PHOTOS)
        .collect();
    let mut notes = vec![];
    if !media.is_empty() {
        notes.push(format!("media_url: {}", media.join(" ")));
    }
    if !attribute_values.is_empty() {
        notes.push(danvan_app::cases::attributes_note(&attribute_values));
    }
    let submission = Submission {
        notify_zalo: false,
        input,
        category_code: service_code,
        place_unit_id: place,
        channel: Channel::Open311,
        received_on: None,
        idempotency_key: idempotency,
        source: None,
        unit_override: None,
        notes,
        actor_label: Some(format!("open311 ({client})")),
        // Open311 takes feedback and petitions only (above): a denunciation concerns nobody here.
        concern: Default::default(),
    };
    // The use case checks the request before it decodes any photo.
    let result = danvan_app::cases::submit_with_files(&state.app, &ctx.caller, submission, photos, Default::default())
        .await
        .map_err(WebError::from);
    match result {
        Ok((c, _)) => {
            let unit = danvan_app::org::queries::get_unit(&state.app, c.unit_id).await.map(|u| u.name).unwrap_or_default();
            let notice = c
                .accept_due
                .map(|d| format!("{unit} xem xét, thụ lý chậm nhất ngày {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            let node = Node::Obj(vec![
                ("service_request_id", Node::s(&c.code)),
                ("service_notice", Node::s(notice)),
                ("account_id", Node::Null),
            ]);
            respond(StatusCode::CREATED, fmt, "service_requests", Node::List("request", vec![node]))
        }
        Err(WebError::Invalid(e)) => error(fmt, 400, &field_messages(&e)),
        Err(WebError::TooMany(_)) => error(fmt, 429, "too many requests from this address; try again later"),
        Err(e) => internal(fmt, e),
    }
}

/// Field errors as one line of Open311's `description`, in English.
fn field_messages(e: &danvan_domain::FieldErrors) -> String {
    // The photos are `media` in Open311.
    let name = |f: &str| if f == "photos" { "media".to_string() } else { f.to_string() };
    let msg: Vec<String> =
        e.0.iter().map(|f| format!("{}: {}", name(&f.field), crate::i18n::t(crate::i18n::Lang::En, &f.key))).collect();
    msg.join("; ")
}

/// A ward of the default province whose name (without diacritics) appears in the address.
async fn ward_in_address(state: &AppState, address: &str) -> Result<Option<i64>, WebError> {
    let folded = danvan_domain::text::fold(address);
    if folded.trim().is_empty() {
        return Ok(None);
    }
    let settings = danvan_app::settings::settings(&state.app).await?;
    let Some(province) = danvan_app::org::queries::get_unit_by_code(&state.app, settings.province_code()).await? else {
        return Ok(None);
    };
    for u in danvan_app::org::queries::child_units(&state.app, province.id, false).await? {
        let name = danvan_domain::text::fold(&u.name);
        // "Phường Cửa Nam" or just "Cửa Nam" after the word phường/xã.
        let short = name.split_once(' ').map(|(_, rest)| rest).unwrap_or(&name);
        if folded.contains(&name) || folded.contains(&format!("phuong {short}")) || folded.contains(&format!("xa {short}")) {
            return Ok(Some(u.id));
        }
    }
    Ok(None)
}
