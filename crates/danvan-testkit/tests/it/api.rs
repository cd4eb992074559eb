//! The JSON API and its OpenAPI document, on SQLite and PostgreSQL.

use danvan_testkit::{Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn openapi_document_is_openapi_3_and_covers_every_api_route() {
    let app = TestApp::sqlite().await;
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.url)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/units/{id}",
        "/api/v1/units/{id}/children",
        "/api/v1/units/{id}/members",
        "/api/v1/units/{id}/dissolve",
        "/api/v1/units/import",
        "/api/v1/units/export",
        "/api/v1/transfers",
        "/api/v1/transfers/{id}",
        "/api/v1/accounts",
        "/api/v1/accounts/{id}",
        "/api/v1/accounts/{id}/memberships",
        "/api/v1/memberships/{id}",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/audit",
        "/api/v1/cases",
        "/api/v1/cases/{code}",
        "/api/v1/cases/{code}/actions",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    for (path, ops) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path} has no responses");
        }
    }
    // Every documented route exists (an undocumented one would be a 404 fallback instead).
    let mut c = app.client();
    for path in paths.keys() {
        let r = c.get(&path.replace("{id}", "1").replace("{code}", "PA-2026-000001")).await;
        let body = r.text().await.unwrap_or_default();
        assert!(!body.contains("/problems/not-found") || path.contains('{'), "{path} is not routed");
    }
}

#[tokio::test]
async fn api_tokens_authenticate_without_csrf_and_stop_when_revoked() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("leader_a", PASSWORD).await;
        let created: Value =
            c.json(Method::POST, "/api/v1/tokens", Some(json!({"name": "Ứng dụng tổ dân phố"}))).await.json().await.unwrap();
        let secret = created["secret"].as_str().unwrap().to_string();
        let bare = reqwest::Client::new();
        let me: Value =
            bare.get(format!("{}/api/v1/me", app.url)).bearer_auth(&secret).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["account"]["username"], "leader_a", "{}", app.backend);
        // A change with the token needs no CSRF token.
        let r = bare
            .post(format!("{}/api/v1/units", app.url))
            .bearer_auth(&secret)
            .json(&json!({"code": "TA-9", "name": "Tổ dân phố số 9", "kind": "residential_group", "parent_id": f.ward_a.id}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        let unit: Value = r.json().await.unwrap();
        assert_eq!(unit["ancestry"], json!([f.city.id, f.ward_a.id, unit["id"]]));
        let id = created["token"]["id"].as_i64().unwrap();
        assert_eq!(c.json(Method::DELETE, &format!("/api/v1/tokens/{id}"), None).await.status().as_u16(), 204);
        let r = bare.get(format!("{}/api/v1/me", app.url)).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn bad_input_gets_field_level_problems_in_the_callers_language() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("admin", PASSWORD).await;
        let r = c
            .json(
                Method::POST,
                "/api/v1/units",
                Some(json!({"code": "bad code", "name": "", "kind": "castle", "parent_id": 999999})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: Value = r.json().await.unwrap();
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"code") && fields.contains(&"name") && fields.contains(&"kind"), "{p}");
        assert_eq!(p["errors"][0]["message"].as_str().map(|m| m.is_ascii()), Some(false), "Vietnamese by default: {p}");
        // English on request
        let r = c
            .http
            .post(format!("{}/api/v1/units", app.url))
            .header("x-csrf-token", c.csrf.clone())
            .header("accept-language", "en")
            .json(&json!({"code": "OK1", "name": "Phường Mới", "kind": "ward", "parent_id": 999999}))
            .send()
            .await
            .unwrap();
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "parent_id");
        assert_eq!(p["errors"][0]["message"], "There is no such parent unit.");
        // Duplicate code
        let r = c.json(Method::POST, "/api/v1/units", Some(json!({"code": "TA", "name": "Trùng", "kind": "ward"}))).await;
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["key"], "error.code_duplicate", "{}", app.backend);
        // Cycle
        let r = c
            .json(
                Method::PUT,
                &format!("/api/v1/units/{}", f.ward_a.id),
                Some(json!({"code": "TA", "name": "Phường An Bình", "kind": "ward", "parent_id": f.group_a1.id})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["key"], "error.cycle");
        // Deleting a unit with sub-units and members: 409 with the reasons.
        let r = c.json(Method::DELETE, &format!("/api/v1/units/{}", f.ward_a.id), None).await;
        assert_eq!(r.status().as_u16(), 409);
        let p: Value = r.json().await.unwrap();
        let keys: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["error.unit_has_children", "error.unit_has_members"]);
        // Malformed JSON and unknown ids
        let r = c
            .http
            .post(format!("{}/api/v1/units", app.url))
            .header("x-csrf-token", c.csrf.clone())
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400);
        let r = c.get("/api/v1/units/987654").await;
        assert_eq!(r.status().as_u16(), 404);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn dissolving_through_the_api_moves_sub_units_and_lists_the_rest() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("admin", PASSWORD).await;
        let body = json!({"successors": [f.ward_b.id, f.city.id], "assignments": [{"child": f.group_a1.id, "successor": f.ward_b.id}], "effective_on": "2025-06-30"});
        let r = c.json(Method::POST, &format!("/api/v1/units/{}/dissolve", f.ward_a.id), Some(body)).await;
        assert_eq!(r.status().as_u16(), 204, "{}: {}", app.backend, r.text().await.unwrap());
        let g: Value = c.get(&format!("/api/v1/units/{}", f.group_a1.id)).await.json().await.unwrap();
        assert_eq!(g["unit"]["parent_id"], f.ward_b.id);
        let a: Value = c.get(&format!("/api/v1/units/{}", f.ward_a.id)).await.json().await.unwrap();
        assert_eq!(a["unit"]["dissolved"], true);
        assert_eq!(a["successors"].as_array().unwrap().len(), 2);
        // The people's committee of the old ward was not assigned: it waits for an administrator.
        let waiting: Value = c.get("/api/v1/transfers").await.json().await.unwrap();
        assert_eq!(waiting[0]["item_id"], f.committee_a.id);
        let r = c.json(Method::POST, &format!("/api/v1/transfers/{}", waiting[0]["id"]), Some(json!({"to": f.ward_b.id}))).await;
        assert_eq!(r.status().as_u16(), 204);
        // Dissolved units refuse a second dissolution and new members.
        let r = c
            .json(
                Method::POST,
                &format!("/api/v1/units/{}/dissolve", f.ward_a.id),
                Some(json!({"successors": [f.ward_b.id], "effective_on": "2025-07-01"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
    }
}

#[tokio::test]
async fn csv_round_trip_through_the_api() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = app.client();
    c.login("admin", PASSWORD).await;
    let csv = c.get("/api/v1/units/export").await.text().await.unwrap();
    assert!(csv.starts_with("code,name,kind,parent_code"));
    assert!(csv.contains("TA-1,Tổ dân phố số 1,residential_group,TA"));
    let other = TestApp::sqlite().await;
    Fixture::build(&other.store).await;
    let mut c2 = other.client();
    c2.login("admin", PASSWORD).await;
    let r = c2
        .http
        .post(format!("{}/api/v1/units/import", other.url))
        .header("x-csrf-token", c2.csrf.clone())
        .body(csv.replace("Tổ dân phố số 1", "Tổ dân phố Một"))
        .send()
        .await
        .unwrap();
    let result: Value = r.json().await.unwrap();
    assert_eq!(result, json!({"created": 0, "updated": 1}));
    // A list without the date columns keeps the dates (and dissolutions) units already have.
    let r = c2
        .json(
            Method::POST,
            "/api/v1/units",
            Some(json!({"code": "OLD", "name": "Quận Cũ", "kind": "district", "effective_from": "1961-05-31"})),
        )
        .await;
    let old: Value = r.json().await.unwrap();
    let ta = other.store.get_unit_by_code("TA").await.unwrap().unwrap().id;
    let r = c2
        .json(
            Method::POST,
            &format!("/api/v1/units/{}/dissolve", old["id"]),
            Some(json!({"successors": [ta, ta], "effective_on": "2025-06-30"})),
        )
        .await;
    assert_eq!(r.status().as_u16(), 204);
    let r = c2
        .http
        .post(format!("{}/api/v1/units/import", other.url))
        .header("x-csrf-token", c2.csrf.clone())
        .body("code,name,kind,parent_code\nOLD,Quận Cũ (tên mới),district,\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let after: Value = c2.get(&format!("/api/v1/units/{}", old["id"])).await.json().await.unwrap();
    assert_eq!(after["unit"]["name"], "Quận Cũ (tên mới)");
    assert_eq!(after["unit"]["effective_from"], "1961-05-31");
    assert_eq!(after["unit"]["dissolved"], true);
    assert_eq!(after["successors"].as_array().unwrap().len(), 1, "a repeated successor counts once");
    let bad = c2
        .http
        .post(format!("{}/api/v1/units/import", other.url))
        .header("x-csrf-token", c2.csrf.clone())
        .body("code,name,kind,parent_code\nZ1,Tổ Z,residential_group,NOPE\n")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    let p: Value = bad.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "row 2");
}

#[tokio::test]
async fn cases_through_the_api_with_an_idempotency_key() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        let created: Value =
            c.json(Method::POST, "/api/v1/tokens", Some(json!({"name": "Tổng đài"}))).await.json().await.unwrap();
        let token = created["secret"].as_str().unwrap().to_string();
        let api = reqwest::Client::new();
        let body = json!({"kind": "petition", "category": "chieu-sang", "description": "Đề nghị lắp đèn ở ngõ 9.", "place": "TA-1", "address": "Ngõ 9", "channel": "hotline", "sender_name": "Vũ Văn Tám", "sender_phone": "0901234567"});
        let send = || {
            api.post(format!("{}/api/v1/cases", app.url))
                .bearer_auth(&token)
                .header("Idempotency-Key", "call-42")
                .json(&body)
                .send()
        };
        let first = send().await.unwrap();
        assert_eq!(first.status().as_u16(), 201, "{}", app.backend);
        let first: Value = first.json().await.unwrap();
        assert!(first["tracking_link"].as_str().unwrap().starts_with("/track/PA-"));
        let again = send().await.unwrap();
        assert_eq!(again.status().as_u16(), 200, "a retry returns the case already created");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["case"]["code"], first["case"]["code"]);
        assert!(again["tracking_link"].is_null());
        let code = first["case"]["code"].as_str().unwrap();
        let list: Value = api
            .get(format!("{}/api/v1/cases?q=den+ngo", app.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 1);
        let detail: Value =
            api.get(format!("{}/api/v1/cases/{code}", app.url)).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(detail["contact"]["name"], "Vũ Văn Tám");
        let r = api
            .post(format!("{}/api/v1/cases/{code}/actions", app.url))
            .bearer_auth(&token)
            .json(&json!({"action": "accept"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let r = api
            .post(format!("{}/api/v1/cases/{code}/actions", app.url))
            .bearer_auth(&token)
            .json(&json!({"action": "close"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 409);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["key"], "case.error.not_now");
        // Field errors.
        let r = api
            .post(format!("{}/api/v1/cases", app.url))
            .bearer_auth(&token)
            .json(&json!({"kind": "complaint", "place": "TA"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422);
    }
}
