//! The rest of the role × route matrix (authz_matrix.rs runs it): public pages and service
//! routes, the citizen's tracking link, one's own account, case work and the remaining
//! administration routes. A capability (the tracking secret, an Open311 key) is given to every
//! actor, who is then allowed; without it everyone gets the same answer.

use crate::authz_matrix::{c, Body, Case, Fresh, ACTORS, ADMIN, EVERYONE, LEADERS, LEADER_A, SIGNED_IN};
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use reqwest::Method;

/// Those who read the cases of ward A's people's committee: its lead subtree.
const READERS_A: &[&str] = &["viewer_a", "officer_a", "leader_a", "admin"];
/// Those who work on them.
const HANDLERS_A: &[&str] = &["officer_a", "leader_a", "admin"];

pub(crate) fn cases() -> Vec<Case> {
    use Body::*;
    vec![
        // Public pages and service routes: no one is refused.
        c(Method::GET, "/", None, Fresh::None, EVERYONE),
        c(Method::GET, "/login", None, Fresh::None, EVERYONE),
        c(Method::POST, "/login", Form(&[("username", "citizen"), ("password", PASSWORD), ("next", "/")]), Fresh::None, EVERYONE),
        c(Method::GET, "/register", None, Fresh::None, EVERYONE),
        c(
            Method::POST,
            "/register",
            Form(&[("username", "dang.ky.{actor}"), ("full_name", "Người Đăng Ký"), ("new_password", "mot-mat-khau-dai")]),
            Fresh::None,
            EVERYONE,
        ),
        c(Method::POST, "/lang", Form(&[("lang", "en"), ("back", "/")]), Fresh::None, EVERYONE),
        c(Method::POST, "/logout", None, Fresh::None, EVERYONE),
        c(Method::GET, "/problems/not-found", None, Fresh::None, EVERYONE),
        c(Method::GET, "/static/danvan.css", None, Fresh::None, EVERYONE),
        c(Method::GET, "/static/map.js", None, Fresh::None, EVERYONE),
        c(Method::GET, "/healthz", None, Fresh::None, EVERYONE),
        // The scraper's bearer token, not an account, opens /metrics (tests/it/bounds.rs).
        c(Method::GET, "/metrics", None, Fresh::None, &[]),
        c(Method::GET, "/api/openapi.json", None, Fresh::None, EVERYONE),
        c(Method::GET, "/api/v1/units/{ward_a}/children", None, Fresh::None, EVERYONE),
        c(Method::GET, "/units", None, Fresh::None, EVERYONE),
        c(Method::GET, "/cases/new", None, Fresh::None, EVERYONE),
        c(
            Method::POST,
            "/cases/new",
            Form(&[
                ("kind", "feedback"),
                ("category", "thoat-nuoc"),
                ("description", "Cống thoát nước đầu ngõ bị tắc ({actor})."),
                ("place", "{ward_a}"),
                ("address", "Ngõ 5 phố An Bình"),
                ("started", "{started}"),
            ]),
            Fresh::None,
            EVERYONE,
        ),
        c(Method::GET, "/public/cases", None, Fresh::None, EVERYONE),
        c(Method::GET, "/public/cases/{code}", None, Fresh::TrackedCase, EVERYONE),
        c(Method::GET, "/public/cases/{code}/answer", None, Fresh::TrackedCase, EVERYONE),
        // Open311: reading is public; creating needs an API key, given here to everyone.
        c(Method::GET, "/open311/discovery.json", None, Fresh::None, EVERYONE),
        c(Method::GET, "/open311/v2/services.json", None, Fresh::None, EVERYONE),
        c(Method::GET, "/open311/v2/services/thoat-nuoc.json", None, Fresh::None, EVERYONE),
        c(Method::GET, "/open311/v2/requests/{code}.json", None, Fresh::TrackedCase, EVERYONE),
        c(Method::GET, "/open311/v2/tokens/{code}.json", None, Fresh::TrackedCase, EVERYONE),
        c(
            Method::POST,
            "/open311/v2/requests.json",
            Form(&[
                ("api_key", "{key}"),
                ("service_code", "thoat-nuoc"),
                ("description", "Cống trước chợ An Bình bị tắc ({actor})."),
                ("address_id", "TA"),
                ("lat", "21.0285"),
                ("long", "105.8542"),
            ]),
            Fresh::Open311Key,
            EVERYONE,
        ),
        // The citizen's private link: a capability, whoever holds it (see the test below for
        // those who do not).
        c(Method::GET, "/track", None, Fresh::None, EVERYONE),
        c(Method::GET, "/track/{code}?s={secret}", None, Fresh::TrackedCase, EVERYONE),
        c(Method::GET, "/track/{code}/answer?s={secret}", None, Fresh::TrackedCase, EVERYONE),
        c(Method::GET, "/track/{code}/data?s={secret}", None, Fresh::TrackedCase, EVERYONE),
        c(
            Method::POST,
            "/track/{code}",
            Form(&[("s", "{secret}"), ("action", "withdraw"), ("note", "Đã tự sửa xong")]),
            Fresh::TrackedCase,
            EVERYONE,
        ),
        // One's own account.
        c(
            Method::POST,
            "/account",
            Form(&[("full_name", "Tên mới {actor}"), ("email", "{actor}@example.vn"), ("phone", "")]),
            Fresh::None,
            SIGNED_IN,
        ),
        c(
            Method::POST,
            "/account/password",
            Form(&[("current_password", PASSWORD), ("new_password", "mat-khau-moi-rat-dai")]),
            Fresh::None,
            SIGNED_IN,
        ),
        c(Method::POST, "/account/tokens/{id}/revoke", None, Fresh::OwnToken, SIGNED_IN),
        c(Method::DELETE, "/api/v1/tokens/{id}", None, Fresh::OwnToken, SIGNED_IN),
        c(Method::POST, "/logout-everywhere", None, Fresh::None, SIGNED_IN),
        c(Method::POST, "/notifications/read", None, Fresh::None, SIGNED_IN),
        // Case work: the officer's page and files for the lead subtree; the rest hidden (404, the
        // pages as the API: a 403 would say the case exists).
        c(Method::GET, "/cases/{id}", None, Fresh::CaseInA, READERS_A).refused_as(&[404]),
        // The API answers a case one may not see as an unknown code (tests/it/bounds.rs).
        c(Method::GET, "/api/v1/cases/{code}", None, Fresh::CaseInA, READERS_A).refused_as(&[404]),
        c(Method::GET, "/files/{id}", None, Fresh::AnswerFileInA, READERS_A).refused_as(&[404]),
        c(Method::GET, "/files/{id}/thumb", None, Fresh::AnswerFileInA, READERS_A).refused_as(&[404]),
        c(Method::POST, "/cases/{id}/act", Form(&[("action", "assign"), ("assignee", "officer_a")]), Fresh::CaseInA, HANDLERS_A)
            .refused_as(&[404]),
        c(
            Method::POST,
            "/api/v1/cases/{code}/actions",
            Json(r#"{"action":"assign","assignee":"officer_a"}"#),
            Fresh::CaseInA,
            HANDLERS_A,
        )
        .refused_as(&[404]),
        c(
            Method::POST,
            "/cases/{id}/note",
            Form(&[("note", "Đã gọi điện cho người gửi ({actor}).")]),
            Fresh::CaseInA,
            HANDLERS_A,
        )
        .refused_as(&[404]),
        // Recording a case in ward A: a leader elsewhere may open the form, and is told on it
        // that the place lies outside their units (422).
        c(
            Method::POST,
            "/cases/record",
            Form(&[
                ("kind", "feedback"),
                ("category", "thoat-nuoc"),
                ("description", "Cống trước nhà văn hóa bị tắc ({actor})."),
                ("place_code", "TA"),
                ("address", "Nhà văn hóa"),
                ("channel", "hotline"),
            ]),
            Fresh::None,
            HANDLERS_A,
        )
        .refused_as(&[422]),
        // Administration.
        c(Method::GET, "/admin/accounts/new", None, Fresh::None, LEADERS),
        c(Method::GET, "/admin/accounts/{viewer_a}/edit", None, Fresh::None, LEADER_A),
        c(Method::POST, "/admin/calendar/import", File("2031-03-04,day_off,Nghỉ bù {actor}\n"), Fresh::None, ADMIN),
        c(
            Method::POST,
            "/admin/settings/map/boundaries",
            File(
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"unit_code":"TA"},"geometry":{"type":"Polygon","coordinates":[[[105.0,21.0],[105.1,21.0],[105.1,21.1],[105.0,21.1],[105.0,21.0]]]}}]}"#,
            ),
            Fresh::None,
            ADMIN,
        ),
        c(
            Method::POST,
            "/admin/units/import",
            File("code,name,kind,parent_code\nCSV-{actor},Tổ nhập {actor},residential_group,TA\n"),
            Fresh::None,
            ADMIN,
        ),
        c(Method::POST, "/admin/transfers/{id}", Form(&[("to", "{ward_a}")]), Fresh::PendingTransfer, ADMIN),
        c(Method::POST, "/api/v1/transfers/{id}", Json(r#"{"to":{ward_a}}"#), Fresh::PendingTransfer, ADMIN),
    ]
}

/// The private link's routes answer 404 to whoever lacks the secret, signed in or not, admins
/// included: a tracking code alone says nothing about a case.
#[tokio::test]
async fn the_tracking_routes_are_unknown_without_the_right_secret() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let (_, code, secret) = crate::authz_matrix::tracked_case(&app, &f, 0).await;
    let mut failures = vec![];
    for actor in ACTORS {
        let mut client = app.client();
        if *actor != "anonymous" {
            client.login(actor, PASSWORD).await;
        }
        for s in ["", "wrong-secret", &secret[..secret.len() - 1]] {
            let q = if s.is_empty() { String::new() } else { format!("?s={s}") };
            for path in [format!("/track/{code}{q}"), format!("/track/{code}/answer{q}"), format!("/track/{code}/data{q}")] {
                let status = client.get(&path).await.status().as_u16();
                if status != 404 {
                    failures.push(format!("GET {path}: {actor} got {status}"));
                }
            }
            let r = client.post_form(&format!("/track/{code}"), &[("s", s), ("action", "withdraw"), ("note", "")]).await;
            if r.status().as_u16() != 404 {
                failures.push(format!("POST /track/{code} (s={s:?}): {actor} got {}", r.status()));
            }
        }
    }
    assert!(failures.is_empty(), "the tracking routes answered without the secret:\n{}", failures.join("\n"));
    assert_eq!(app.store.get_case_by_code(&code).await.unwrap().unwrap().status, "received", "nothing was withdrawn");
}
