//! A category's extra fields (attributes): served in Open311's definitions and checked on every
//! way in — Open311, the public form, the officer's form and the JSON API.

use super::*;
use danvan_store::cases::CaseFilter;
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn category_attributes_are_served_and_checked_by_open311() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "app").await.unwrap();
        let mut c = admin(&app).await;
        c.page("/admin/categories/new").await;
        let base = [
            ("code", "cay-xanh"),
            ("name", "Cây xanh đô thị"),
            ("name_en", "Street trees"),
            ("group", "Môi trường"),
            ("unit_kind", "peoples_committee"),
            ("accept_days", ""),
            ("resolve_days", ""),
        ];
        // Wrong attribute lines are reported by line, nothing is created.
        let mut bad = base.to_vec();
        bad.push(("attributes", "size | singlevaluelist | yes | Mức độ\nBad | string"));
        let r = c.post_form("/admin/categories", &bad).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("Dòng 1: Kiểu danh sách cần ít nhất một giá trị."), "{html}");
        assert!(html.contains("Dòng 2: Mã thuộc tính chỉ gồm chữ thường"));
        assert!(app.store.category_by_code("cay-xanh").await.unwrap().is_none());

        let mut good = base.to_vec();
        good.push((
            "attributes",
            "size | singlevaluelist | yes | Mức độ | small=Cây nhỏ; large=Cây lớn\nheight | number | no | Chiều cao (m)",
        ));
        let r = c.post_form("/admin/categories", &good).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let (_, list) = c.page("/admin/categories").await;
        assert!(list.contains("cay-xanh") && list.contains("Street trees"));

        let def: Value =
            reqwest::get(format!("{}/open311/v2/services/cay-xanh.json", app.url)).await.unwrap().json().await.unwrap();
        let attrs = def["attributes"].as_array().unwrap();
        let size = attrs.iter().find(|a| a["code"] == "size").expect("size attribute");
        assert_eq!((size["datatype"].as_str(), size["required"].as_bool()), (Some("singlevaluelist"), Some(true)));
        assert_eq!(size["values"][1]["key"], "large");
        assert_eq!(size["values"][1]["name"], "Cây lớn");
        let height = attrs.iter().find(|a| a["code"] == "height").unwrap();
        assert_eq!(height["datatype"], "number");
        assert!(height["order"].as_i64().unwrap() > size["order"].as_i64().unwrap());
        let xml = reqwest::get(format!("{}/open311/v2/services/cay-xanh.xml", app.url)).await.unwrap().text().await.unwrap();
        assert!(xml.contains("<code>size</code><datatype>singlevaluelist</datatype><required>true</required>"), "{xml}");
        assert!(xml.contains("<values><value><key>small</key><name>Cây nhỏ</name></value>"));

        let req = [("service_code", "cay-xanh"), ("description", "Cây đổ chắn ngang đường sau cơn mưa."), ("address_id", "TA")];
        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 400);
        assert!(body.contains("attribute[size] is required"), "{body}");
        let mut wrong = req.to_vec();
        wrong.extend([("attribute[size]", "huge"), ("attribute[height]", "cao")]);
        let (s, body) = open311_post(&app, &key, &wrong).await;
        assert_eq!(s, 400);
        assert!(
            body.contains("attribute[size] is not one of the listed values")
                && body.contains("attribute[height] must be a number")
        );
        let mut ok = req.to_vec();
        ok.extend([("attribute[size]", "large"), ("attribute[height]", "12")]);
        let (s, body) = open311_post(&app, &key, &ok).await;
        assert_eq!(s, 201, "{body}");
        // The values are kept in the history, recorded by the client that sent them.
        let case = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        let events = app.store.case_events(case.id, false).await.unwrap();
        let note = events.iter().find(|e| e.action == "note").expect("the extra values");
        assert!(note.note.contains("size: large") && note.actor_label == "open311 (app)", "{note:?}");

        // Retired: gone from the list and the definitions, its cases keep it.
        let id = app.store.category_by_code("cay-xanh").await.unwrap().unwrap().id;
        assert_eq!(c.post_form(&format!("/admin/categories/{id}/active"), &[("active", "0")]).await.status().as_u16(), 303);
        let services = reqwest::get(format!("{}/open311/v2/services.json", app.url)).await.unwrap().text().await.unwrap();
        assert!(!services.contains("cay-xanh"));
        assert_eq!(reqwest::get(format!("{}/open311/v2/services/cay-xanh.json", app.url)).await.unwrap().status().as_u16(), 404);
        // A used category keeps its code.
        let mut renamed = good.clone();
        renamed[0] = ("code", "cay-xanh-2");
        let r = c.post_form(&format!("/admin/categories/{id}"), &renamed).await;
        assert_eq!(r.status().as_u16(), 422);
    }
}

#[tokio::test]
async fn the_public_form_shows_and_checks_a_categorys_extra_fields_and_routes_a_bare_point() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let mut a = admin(&app).await;
    a.page("/admin/categories/new").await;
    let r = a
        .post_form(
            "/admin/categories",
            &[
                ("code", "cay-xanh"),
                ("name", "Cây xanh đô thị"),
                ("unit_kind", "peoples_committee"),
                (
                    "attributes",
                    "size | singlevaluelist | yes | Mức độ | small=Cây nhỏ; large=Cây lớn\nnote | text | no | Ghi chú\nparts | multivaluelist | no | Bộ phận | root=Rễ; trunk=Thân; branch=Cành",
                ),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    a.page("/admin/settings/map").await;
    let r = upload(&mut a, "/admin/settings/map/boundaries", "b.geojson", &collection(&[square("TA", 105.0, 21.0, 105.1, 21.1)]))
        .await;
    assert_eq!(r.status().as_u16(), 303);

    let mut c = app.client();
    let (_, form) = c.page("/cases/new").await;
    assert!(form.contains("name=\"attr.cay-xanh.size\"") && form.contains("Cây lớn"), "extra fields shown");
    let started = danvan_testkit::started_ago(30);
    let base = [
        ("kind", "feedback"),
        ("category", "cay-xanh"),
        ("description", "Cây đổ chắn ngang đường sau cơn mưa."),
        ("place", ""),
        ("latitude", "21.05"),
        ("longitude", "105.05"),
        ("started", started.as_str()),
    ];
    let mut missing = base.to_vec();
    missing.extend([("attr.cay-xanh.parts", "root"), ("attr.cay-xanh.parts", "branch")]);
    let r = c.post_form("/cases/new", &missing).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-attr.cay-xanh.size-error\""), "{html}");
    // Both ticked boxes survive the round trip.
    assert!(
        html.contains("value=\"root\" checked")
            && html.contains("value=\"branch\" checked")
            && !html.contains("value=\"trunk\" checked")
    );
    let mut ok = base.to_vec();
    ok.push(("attr.cay-xanh.size", "large"));
    let r = c.post_form("/cases/new", &ok).await;
    assert_eq!(r.status().as_u16(), 303);
    let loc = r.headers().get("location").unwrap().to_str().unwrap().to_string();
    let code = loc.trim_start_matches("/track/").split('?').next().unwrap().to_string();
    let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
    assert_eq!(case.place_unit_id, Some(f.ward_a.id), "the point chose the ward");
    assert_eq!(case.unit_id, f.committee_a.id);
    let events = app.store.case_events(case.id, false).await.unwrap();
    assert!(events.iter().any(|e| e.note.contains("size: large")), "extra values kept in the history");

    // A refused form flooded with `attr.` pairs is answered promptly (one pass, not pairs²), and
    // only the chosen category's fields come back.
    let mut flood = missing.clone();
    flood.push(("attr.other.x", "kept-out"));
    flood.extend(std::iter::repeat_n(("attr.", ""), 150_000));
    let r = tokio::time::timeout(std::time::Duration::from_secs(20), c.post_form("/cases/new", &flood))
        .await
        .expect("a flood of attr. pairs must not tie up the worker");
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"root\" checked") && !html.contains("kept-out"));
}

/// Officers recording a case and API clients give the category's extra fields too, checked as on
/// the public form; the values are recorded with the case, in its commit (a retry neither loses
/// nor repeats them).
#[tokio::test]
async fn officers_and_api_clients_give_a_categorys_extra_fields_recorded_with_the_case() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut a = admin(&app).await;
        a.page("/admin/categories/new").await;
        let r = a
            .post_form(
                "/admin/categories",
                &[
                    ("code", "cay-xanh"),
                    ("name", "Cây xanh đô thị"),
                    ("unit_kind", "peoples_committee"),
                    ("attributes", "size | singlevaluelist | yes | Mức độ | small=Cây nhỏ; large=Cây lớn\nheight | number | no | Chiều cao (m)"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let notes_of = |code: String| {
            let store = app.store.clone();
            async move {
                let c = store.get_case_by_code(&code).await.unwrap().unwrap();
                store
                    .case_events(c.id, false)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.action == "note")
                    .map(|e| e.note)
                    .collect::<Vec<_>>()
            }
        };

        // The officer's form shows the fields, refuses a missing required one (keeping the
        // values given), and records them.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (_, form) = officer.page("/cases/record").await;
        assert!(form.contains("name=\"attr.cay-xanh.size\""), "extra fields on the officer's form");
        let base = [
            ("kind", "feedback"),
            ("category", "cay-xanh"),
            ("description", "Cây đổ chắn ngang ngõ 5 sau cơn mưa."),
            ("place_code", "TA"),
            ("address", "Ngõ 5"),
            ("channel", "hotline"),
            ("attr.cay-xanh.height", "12"),
        ];
        let r = officer.post_form("/cases/record", &base).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-attr.cay-xanh.size-error\"") && html.contains("value=\"12\""), "{html}");
        let before = app.store.count_cases(&CaseFilter::default()).await.unwrap();
        let mut ok = base.to_vec();
        ok.push(("attr.cay-xanh.size", "large"));
        let r = officer.post_form("/cases/record", &ok).await;
        let status = r.status().as_u16();
        let receipt = r.text().await.unwrap();
        assert_eq!(
            status,
            200,
            "the receipt, {}: {}",
            app.backend,
            receipt.split("class=\"error").skip(1).map(|s| &s[..s.len().min(200)]).collect::<Vec<_>>().join(" | ")
        );
        let code = receipt.split("PA-").nth(1).map(|s| format!("PA-{}", &s[..11])).expect("a tracking code");
        assert_eq!(app.store.count_cases(&CaseFilter::default()).await.unwrap(), before + 1);
        let notes = notes_of(code).await;
        assert!(notes.iter().any(|n| n.contains("size: large") && n.contains("height: 12")), "{notes:?}");

        // The API: unknown codes and wrong values are field errors; good values are recorded
        // once, a retry with the same key adds nothing.
        let created: Value =
            officer.json(Method::POST, "/api/v1/tokens", Some(json!({"name": "Tổng đài"}))).await.json().await.unwrap();
        let token = created["secret"].as_str().unwrap().to_string();
        let api = reqwest::Client::new();
        let send = |attributes: Value, key: &'static str| {
            let body = json!({"kind": "feedback", "category": "cay-xanh", "description": "Cây nghiêng sắp đổ trước số 7.", "place": "TA", "address": "Số 7", "channel": "hotline", "attributes": attributes});
            api.post(format!("{}/api/v1/cases", app.url)).bearer_auth(&token).header("Idempotency-Key", key).json(&body).send()
        };
        let r = send(json!({"size": ["huge"], "colour": ["green"]}), "a1").await.unwrap();
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: Value = r.json().await.unwrap();
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert!(fields.contains(&"attributes.size") && fields.contains(&"attributes.colour"), "{problem}");
        let r = send(json!({"height": ["12"]}), "a2").await.unwrap();
        assert_eq!(r.status().as_u16(), 422, "the required size is missing");
        let r = send(json!({"size": ["small"]}), "a3").await.unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        let code = r.json::<Value>().await.unwrap()["case"]["code"].as_str().unwrap().to_string();
        assert_eq!(send(json!({"size": ["small"]}), "a3").await.unwrap().status().as_u16(), 200);
        let notes = notes_of(code).await;
        assert_eq!(notes.iter().filter(|n| n.contains("size: small")).count(), 1, "{notes:?}");
    }
}
