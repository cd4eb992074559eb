//! Administrators' settings, on SQLite and (when configured) PostgreSQL: who may open the
//! settings pages (here), and one file per setting — `admin/time_limits.rs` (time limits and a new
//! case's due date), `admin/map.rs` (boundaries, point-in-area routing, the public map),
//! `admin/category_fields.rs` (categories' extra fields on every way in, Open311 attributes),
//! `admin/calendar.rs` (calendar overrides) and `admin/import.rs` (cases from other systems).

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use serde_json::Value;

mod calendar;
mod category_fields;
mod import;
mod map;
mod time_limits;

async fn admin(app: &TestApp) -> Client {
    let mut c = app.client();
    assert_eq!(c.login("admin", PASSWORD).await.status().as_u16(), 303);
    c
}

/// A multipart upload of one file field named `file`, with the CSRF token in the query string.
async fn upload(c: &mut Client, path: &str, name: &str, content: &str) -> reqwest::Response {
    if c.csrf.is_empty() {
        c.page("/").await;
    }
    let boundary = "----danvan-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    c.http
        .post(format!("{}{path}?_csrf={}", c.base, c.csrf))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn open311_post(app: &TestApp, key: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut all = form.to_vec();
    all.push(("api_key", key));
    let r = reqwest::Client::new().post(format!("{}/open311/v2/requests.json", app.url)).form(&all).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn created_code(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap();
    v[0]["service_request_id"].as_str().unwrap().to_string()
}

fn square(code: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"unit_code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
    )
}

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[tokio::test]
async fn settings_pages_are_for_administrators_only() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut leader = app.client();
    leader.login("leader_a", PASSWORD).await;
    for path in ["/admin/settings", "/admin/settings/deadlines", "/admin/settings/map", "/admin/categories", "/admin/calendar"] {
        assert_eq!(leader.get(path).await.status().as_u16(), 403, "{path}");
    }
    let r = leader
        .post_form("/admin/settings/map", &[("tile_url", "https://evil.example/{z}/{x}/{y}.png"), ("attribution", "x")])
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let r =
        upload(&mut leader, "/admin/settings/map/boundaries", "b.geojson", r#"{"type":"FeatureCollection","features":[]}"#).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = upload(&mut leader, "/admin/calendar/import", "c.csv", "2031-01-02,day_off,x\n").await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(app.store.settings().await.unwrap().map.tile_url.is_empty());
    assert!(app.store.calendar_overrides().await.unwrap().is_empty());
    let mut anon = app.client();
    let r = anon.get("/admin/settings").await;
    assert_eq!(r.status().as_u16(), 303, "sign in first");
    // The hub links every section, including retention.
    let mut c = admin(&app).await;
    let (s, hub) = c.page("/admin/settings").await;
    assert_eq!(s, 200);
    for link in
        ["/admin/settings/deadlines", "/admin/settings/map", "/admin/settings/retention", "/admin/categories", "/admin/calendar"]
    {
        assert!(hub.contains(&format!("href=\"{link}\"")), "{link}");
    }
}
