//! The role × route authorisation matrix: every route is tried by every kind of actor, and each
//! must be refused (401/403 or a sign-in redirect) exactly where the rules say. Removing an
//! authorisation check from any handler listed here makes this test fail.
//!
//! Here: the actors, the entry type, how each request is sent and the tests that run the matrix.
//! The entries: `authz_matrix/admin_api_inbox.rs` (administration pages and settings, the JSON API,
//! the inbox and the officer's case work) and `authz_matrix_routes.rs` (the rest); the targets
//! made afresh for each actor: `authz_matrix/targets.rs`.

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;

mod admin_api_inbox;
mod emulation;
mod emulation_council;
mod emulation_mergers;
mod emulation_models;
mod emulation_statistics;
mod movements;
mod resident;
mod review;
mod targets;
mod ux;

use admin_api_inbox::cases;
use targets::fresh_target;
pub(crate) use targets::tracked_case;

pub(crate) const ACTORS: &[&str] =
    &["anonymous", "citizen", "viewer_a", "front_a", "officer_a", "emulation_a", "leader_b", "leader_a", "admin"];
pub(crate) const ADMIN: &[&str] = &["admin"];
pub(crate) const LEADER_A: &[&str] = &["leader_a", "admin"];
pub(crate) const LEADERS: &[&str] = &["leader_a", "leader_b", "admin"];
pub(crate) const SIGNED_IN: &[&str] =
    &["citizen", "viewer_a", "front_a", "officer_a", "emulation_a", "leader_b", "leader_a", "admin"];
pub(crate) const OFFICIALS: &[&str] = &["viewer_a", "front_a", "officer_a", "emulation_a", "leader_b", "leader_a", "admin"];
pub(crate) const EVERYONE: &[&str] = ACTORS;

/// A target created afresh for each actor, for routes that consume it (delete, dissolve…).
#[derive(Clone, Copy)]
pub(crate) enum Fresh {
    None,
    /// A residential group under ward A ({id}).
    UnitInA,
    /// An official of ward A ({id}).
    AccountInA,
    /// A membership in ward A ({id}).
    MembershipInA,
    /// An administrator who also works in ward A ({id}): out of the ward leader's reach.
    AdminInA,
    /// A calendar override on 2031-03-03 (no id).
    CalendarOverride,
    /// An accepted case handled by ward A's people's committee ({id}, {code}).
    CaseInA,
    /// A response template owned by ward A ({id}).
    TemplateInA,
    /// An open case handled in ward A ({id}), and another one to merge it into ({into}: its code).
    CasePairInA,
    /// A case of ward A's people's committee whose answer was signed off and sent ({id}).
    AnsweredCaseInA,
    /// A file attached to the (unsent) answer of an accepted case in ward A ({id}: the file's).
    AnswerFileInA,
    /// A case of ward A's people's committee that ward A itself supports ({id}).
    SupportedCaseInA,
    /// A published case recorded by the hotline, its answer sent, followed by its private link
    /// ({id}, {code}, {secret}).
    TrackedCase,
    /// An API token of the acting actor (the citizen's for the anonymous visitor) ({id}).
    OwnToken,
    /// A sub-unit of a dissolved district waiting for an administrator to place it ({id});
    /// ward A is one of the successors.
    PendingTransfer,
    /// An Open311 API key ({key}).
    Open311Key,
    /// A person's emulation record in group A1 of ward A ({id}).
    EmulationRecordInA,
    /// A second version of the emulation settings, in force from 1 January 2027.
    EmulationSettingsVersion,
    /// A "Dân vận khéo" model of group A1 registered with ward A, culture–society, scored by
    /// front_a (on that field's team), undecided ({id}).
    ModelInA,
    /// The same, recognised ({id}).
    RecognisedModelInA,
    /// A photo of an undecided model in ward A, its files on disk ({id}: the photo's).
    ModelPhotoInA,
    /// A nomination list, council or decision of ward A (`emulation_council::Round`).
    Round(emulation_council::Round),
    /// A movement of ward A ({code}), its reviewed criterion ({key}) and group A1's registration
    /// ({id}): `authz_matrix/movements.rs`.
    MovementInA,
    /// A review report of ward A ({id}) generated once ({key}: the run): `authz_matrix/review.rs`.
    ReportInA,
}

pub(crate) enum Body {
    None,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
    Csv(&'static str),
    /// A multipart form with one small PDF in the `files` field.
    Pdf,
    /// A multipart form with a `source` field and this text as the `file`.
    CaseFile(&'static str),
    /// A multipart form with this text as its only field, the `file`.
    File(&'static str),
    /// A multipart form with one small PNG in the `photos` field.
    Photo,
}

pub(crate) struct Case {
    pub(crate) method: Method,
    /// `{ward_a}`, `{group_a1}`, `{viewer_a}`, `{id}`, `{code}`, `{into}`, `{secret}`, `{key}`
    /// (fresh target), `{started}` (a signed form start) and `{actor}` are replaced.
    pub(crate) path: &'static str,
    pub(crate) body: Body,
    pub(crate) fresh: Fresh,
    pub(crate) allowed: &'static [&'static str],
    /// Statuses that also count as a refusal here: 404 where a route hides what one may not
    /// see, 422 where it explains the refusal on the form.
    pub(crate) refused_as: &'static [u16],
}

impl Case {
    pub(crate) fn refused_as(self, statuses: &'static [u16]) -> Case {
        Case { refused_as: statuses, ..self }
    }
}

/// One matrix entry.
pub(crate) fn c(method: Method, path: &'static str, body: Body, fresh: Fresh, allowed: &'static [&'static str]) -> Case {
    Case { method, path, body, fresh, allowed, refused_as: &[] }
}

/// A client with a session of `actor`, made in the store: signing in through `/login` for each
/// actor of each route would spend most of the matrix's time hashing passwords (the sign-in
/// itself is tested in admin.rs; the other tests here still sign in through the form).
async fn signed_in(app: &TestApp, actor: &str) -> Client {
    let id = account_id(app, actor).await;
    let (token, _) = app.store.create_session(id, chrono::Duration::hours(1), "127.0.0.1", "matrix").await.unwrap();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = app.url.parse().unwrap();
    jar.add_cookie_str(&format!("{}={token}; Path=/", danvan_web::ctx::SESSION_COOKIE), &url);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, app.url.parse().unwrap());
    let http = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    let mut client = Client { http, base: app.url.clone(), csrf: String::new() };
    // The session's own CSRF token, from a page.
    let (status, home) = client.page("/").await;
    assert!(status == 200 && home.contains("id=\"logout\""), "{actor} is signed in");
    client
}

pub(crate) async fn account_id(app: &TestApp, username: &str) -> i64 {
    app.store.get_account_by_username(username).await.unwrap().unwrap().id
}

async fn send(client: &mut Client, case: &Case, path: &str, actor: &str, subst: &dyn Fn(&str) -> String) -> reqwest::Response {
    match &case.body {
        Body::Form(fields) => {
            let owned: Vec<(String, String)> =
                fields.iter().map(|(k, v)| (subst(k), subst(v).replace("{actor}", actor))).collect();
            let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post_form(path, &refs).await
        }
        Body::Json(j) => {
            let body: serde_json::Value = serde_json::from_str(&subst(j).replace("{actor}", actor)).unwrap();
            client.json(case.method.clone(), path, Some(body)).await
        }
        Body::CaseFile(text) => {
            let file = text.replace("{actor}", actor).into_bytes();
            client.post_multipart(path, &[("source", "matrix")], &[("file", "cases.csv", file)]).await
        }
        Body::Csv(text) => {
            client.json(Method::GET, "/", None).await; // ensure the CSRF token is known
            client
                .http
                .post(format!("{}{path}", client.base))
                .header("x-csrf-token", client.csrf.clone())
                .header("content-type", "text/csv")
                .body(text.replace("{actor}", actor))
                .send()
                .await
                .unwrap()
        }
        Body::File(text) => {
            let file = subst(text).replace("{actor}", actor).into_bytes();
            client.post_multipart(path, &[], &[("file", "data.txt", file)]).await
        }
        Body::Photo => {
            let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30]));
            let mut png = std::io::Cursor::new(vec![]);
            img.write_to(&mut png, image::ImageFormat::Png).unwrap();
            client.post_multipart(path, &[], &[("photos", "a.png", png.into_inner())]).await
        }
        Body::Pdf => client.post_multipart(path, &[], &[("files", "a.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())]).await,
        Body::None if case.method == Method::GET => client.get(path).await,
        Body::None => client.json(case.method.clone(), path, None).await,
    }
}

#[tokio::test]
async fn every_route_refuses_exactly_the_actors_the_rules_refuse() {
    let mut failures = vec![];
    let mut n = 0;
    for case in cases() {
        // A fresh locality per route, so one actor's change cannot mask another's refusal.
        let app = TestApp::sqlite().await;
        let f = Fixture::build(&app.store).await;
        let viewer = account_id(&app, "viewer_a").await;
        // Refused actors go first: an allowed one may consume the target.
        let mut order: Vec<&str> = ACTORS.iter().copied().filter(|a| !case.allowed.contains(a)).collect();
        order.extend(ACTORS.iter().copied().filter(|a| case.allowed.contains(a)));
        for actor in order {
            n += 1;
            let t = fresh_target(&app, &f, case.fresh, n, actor).await;
            let subst = |s: &str| {
                s.replace("{ward_a}", &f.ward_a.id.to_string())
                    .replace("{group_a1}", &f.group_a1.id.to_string())
                    .replace("{viewer_a}", &viewer.to_string())
                    .replace("{id}", &t.id.map(|i| i.to_string()).unwrap_or_default())
                    .replace("{code}", &t.code)
                    .replace("{into}", &t.code)
                    .replace("{secret}", &t.secret)
                    .replace("{key}", &t.key)
                    .replace("{started}", &danvan_testkit::started_ago(30))
            };
            let path = subst(case.path).replace("{actor}", actor);
            let mut client = if actor == "anonymous" { app.client() } else { signed_in(&app, actor).await };
            let resp = send(&mut client, &case, &path, actor, &subst).await;
            let status = resp.status().as_u16();
            let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            // A sign-in redirect names where to come back (`/login?next=…`); a plain `/login` is
            // where a password change sends its author.
            let refused = status == 401
                || status == 403
                || (status == 303 && location.starts_with("/login?"))
                || case.refused_as.contains(&status);
            let allowed = case.allowed.contains(&actor);
            if allowed && (refused || status >= 400) {
                failures.push(format!("{} {path}: {actor} should be allowed, got {status} {location}", case.method));
            }
            if !allowed && !refused {
                failures.push(format!("{} {path}: {actor} should be refused, got {status} {location}", case.method));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix failures:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn state_changes_without_the_csrf_token_or_from_another_origin_are_refused() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut client = app.client();
    client.login("admin", PASSWORD).await;
    let form = [("code", "X1"), ("name", "Phường X"), ("kind", "ward")];
    // No token
    let r = client.http.post(format!("{}/admin/units", app.url)).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Wrong token
    let r = client.http.post(format!("{}/admin/units", app.url)).form(&[("code", "X1"), ("_csrf", "0000")]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Right token, foreign origin
    let csrf = client.csrf.clone();
    let mut with_token: Vec<(&str, &str)> = form.to_vec();
    with_token.push(("_csrf", &csrf));
    let r = client
        .http
        .post(format!("{}/admin/units", app.url))
        .header("origin", "https://evil.example")
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // JSON API with the session cookie but no header
    let r = client
        .http
        .post(format!("{}/api/v1/units", app.url))
        .json(&serde_json::json!({"code":"X2","name":"Phường Y","kind":"ward"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.store.get_unit_by_code("X1").await.unwrap(), None, "nothing was created");
    // The same form with the token works.
    let r = client.post_form("/admin/units", &form).await;
    assert_eq!(r.status().as_u16(), 303);
}

/// Whether a registered route (`/cases/{id}/act`) is the one a matrix path (`/cases/{id}/act`,
/// `/units/{ward_a}`, `/track/{code}?…`) exercises: same method, same segments, parameters free.
fn covers(case: &Case, route: &danvan_web::routes::Route) -> bool {
    let path = case.path.split('?').next().unwrap_or("");
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), route.path.split('/').collect());
    case.method.as_str() == route.method
        && a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (y.starts_with('{') && y.ends_with('}')) || (x.starts_with('{') && y.contains('{')))
}

#[test]
fn the_matrix_covers_every_route_of_the_route_table() {
    let cases = cases();
    let table = danvan_web::route_table();
    assert!(table.len() > 80, "the route table lists {} routes", table.len());
    // Each line of the matrix exercises the route the router dispatches it to: of the routes it
    // matches, the one with the most fixed segments (`/cases/record` is not `/cases/{id}`).
    let fixed = |r: &danvan_web::routes::Route| r.path.split('/').filter(|s| !s.contains('{')).count();
    let tried: Vec<&danvan_web::routes::Route> =
        cases.iter().filter_map(|c| table.iter().filter(|r| covers(c, r)).max_by_key(|r| fixed(r))).collect();
    let missing: Vec<String> = table.iter().filter(|r| !tried.contains(r)).map(|r| format!("{} {}", r.method, r.path)).collect();
    assert!(missing.is_empty(), "routes the authorisation matrix does not try:\n{}", missing.join("\n"));
}
