//! The public map of cases that may be shown (feedback and petitions their senders published;
//! never denunciations, never personal data) and the map parts of other pages. Without a tile
//! source the page lists the cases with their addresses and coordinates.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::Page;
use crate::pages::render;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_app::cases::queries::{CaseFilter, CaseRow, CaseSort};
use danvan_domain::settings::Settings;

pub fn routes() -> Routes {
    Routes::new().get("/public/map", public_map).get("/public/map.geojson", public_points)
}

/// What a template needs to draw a map (present only when a tile source is configured).
pub struct MapView {
    pub tiles: String,
    pub attribution: String,
    pub lat: String,
    pub lon: String,
}

impl MapView {
    pub fn of(s: &Settings) -> Option<MapView> {
        if !s.map.enabled() {
            return None;
        }
        // Centre on the boundaries when there are some (the installation's own area).
        let (lat, lon) = s
            .boundaries
            .first()
            .and_then(|a| a.polygons.first())
            .map(|p| {
                let n = p.outer.len().max(1) as f64;
                (p.outer.iter().map(|c| c.1).sum::<f64>() / n, p.outer.iter().map(|c| c.0).sum::<f64>() / n)
            })
            .unwrap_or((21.0285, 105.8542));
        Some(MapView {
            tiles: s.map.tile_url.clone(),
            attribution: s.map.attribution.clone(),
            lat: format!("{lat:.6}"),
            lon: format!("{lon:.6}"),
        })
    }
}

/// The page's Content-Security-Policy with the tile host allowed for images only.
pub fn with_map_csp(mut resp: Response, s: &Settings) -> Response {
    if let Some(origin) = s.map.tile_origin() {
        let csp = crate::middleware::CSP.replace("img-src 'self' data:", &format!("img-src 'self' data: {origin}"));
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut().insert("content-security-policy", v);
        }
    }
    resp
}

/// Most points on the public map (and its list): the newest this many public cases with a point.
/// A deliberate cap: one store page (the store serves at most 500 rows at a time), enough to see
/// where a ward's problems are, small enough for a phone to draw.
pub const MAP_MAX_POINTS: i64 = 500;

/// Public cases that carry a point (at most the [`MAP_MAX_POINTS`] newest). The point condition is
/// in the query, so older cases with points are not crowded out by newer ones without.
async fn public_with_points(state: &AppState) -> Result<Vec<CaseRow>, WebError> {
    let filter = CaseFilter {
        public_only: true,
        has_point: true,
        sort: CaseSort::Newest,
        limit: MAP_MAX_POINTS,
        skip_total: true,
        ..Default::default()
    };
    let (rows, _) =
        danvan_app::cases::queries::list_cases(&state.app, &danvan_app::Caller::anonymous(String::new()), &filter).await?;
    Ok(rows.into_iter().filter(|c| danvan_app::cases::is_public(c) && c.latitude.is_some() && c.longitude.is_some()).collect())
}

#[derive(Template)]
#[template(path = "cases/public_map.html")]
struct MapPage {
    p: Page,
    map: Option<MapView>,
    cases: Vec<CaseRow>,
}

async fn public_map(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let s = danvan_app::settings::settings(&state.app).await?;
    let page =
        MapPage { p: Page::new(&ctx, &ctx.t("map.title")), map: MapView::of(&s), cases: public_with_points(&state).await? };
    Ok(with_map_csp(render(&page), &s))
}

/// GeoJSON of the public cases with points: code, title, status and link only.
async fn public_points(State(state): State<AppState>) -> Result<Response, WebError> {
    let features: Vec<serde_json::Value> = public_with_points(&state)
        .await?
        .iter()
        .map(|c| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
                "properties": {
                    "code": c.code,
                    "title": c.title,
                    "status": c.status,
                    "url": format!("/public/cases/{}", c.code),
                }
            })
        })
        .collect();
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    Ok(([(header::CONTENT_TYPE, "application/geo+json; charset=utf-8")], doc.to_string()).into_response())
}
