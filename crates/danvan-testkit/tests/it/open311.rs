//! Open311 GeoReport v2: every endpoint in JSON and XML, creation with a key, errors.

use danvan_store::cases::CaseFilter;
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp};
use serde_json::Value;

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let r = reqwest::get(format!("{}{path}", app.url)).await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = reqwest::Client::new().post(format!("{}{path}", app.url)).form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn services_discovery_and_definitions_in_both_formats() {
    let app = TestApp::sqlite().await;
    let (s, ct, body) = get(&app, "/open311/discovery.json").await;
    assert_eq!((s, ct.starts_with("application/json")), (200, true));
    let d: Value = serde_json::from_str(&body).unwrap();
    assert!(d["endpoints"][0]["url"].as_str().unwrap().ends_with("/open311/v2"));
    let (s, ct, body) = get(&app, "/open311/discovery.xml").await;
    assert!(s == 200 && ct.starts_with("text/xml") && body.contains("<discovery>") && body.contains("<endpoints><endpoint>"));

    let (_, _, body) = get(&app, "/open311/v2/services.json?jurisdiction_id=").await;
    let services: Value = serde_json::from_str(&body).unwrap();
    let drains = services.as_array().unwrap().iter().find(|s| s["service_code"] == "thoat-nuoc").expect("default category");
    assert_eq!(drains["metadata"], true);
    assert_eq!(drains["type"], "realtime");
    assert!(drains["service_code"].is_string(), "service codes are strings in JSON");
    let (_, _, xml) = get(&app, "/open311/v2/services.xml?jurisdiction_id=ha-noi").await;
    assert!(xml.starts_with("<?xml") && xml.contains("<services><service><service_code>"), "{xml}");

    let (_, _, body) = get(&app, "/open311/v2/services/thoat-nuoc.json").await;
    let def: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(def["service_code"], "thoat-nuoc");
    let kind = &def["attributes"][0];
    assert_eq!(
        (kind["code"].as_str(), kind["datatype"].as_str(), kind["variable"].as_bool()),
        (Some("kind"), Some("singlevaluelist"), Some(true))
    );
    assert_eq!(kind["values"].as_array().unwrap().len(), 2);
    let (_, _, xml) = get(&app, "/open311/v2/services/thoat-nuoc.xml").await;
    assert!(xml.contains("<service_definition><service_code>thoat-nuoc</service_code><attributes><attribute>"));
    // Errors in the requested format.
    let (s, _, body) = get(&app, "/open311/v2/services/nope.json").await;
    assert_eq!(s, 404);
    let e: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(e[0]["code"], 404);
    let (s, _, xml) = get(&app, "/open311/v2/services/nope.xml").await;
    assert!(s == 404 && xml.contains("<errors><error><code>404</code>"));
}

#[tokio::test]
async fn clients_create_list_and_fetch_requests_without_personal_data() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "City app").await.unwrap();
        let base = [
            ("service_code", "thoat-nuoc"),
            ("description", "Cống trước chợ An Bình bị tắc, nước tràn."),
            ("lat", "21.0285"),
            ("long", "105.8542"),
        ];
        // No key, wrong key: 403.
        let (s, body) = post(&app, "/open311/v2/requests.json", &base).await;
        assert_eq!(s, 403, "{body}");
        let mut wrong = base.to_vec();
        wrong.push(("api_key", "nope"));
        assert_eq!(post(&app, "/open311/v2/requests.json", &wrong).await.0, 403);
        // A location that names no ward: 400 with an explanation.
        let mut no_ward = base.to_vec();
        no_ward.push(("api_key", &key));
        let (s, body) = post(&app, "/open311/v2/requests.json", &no_ward).await;
        assert_eq!(s, 400, "{body}");
        assert!(body.contains("address_id"));
        // A good request, with personal data and two media URLs, the key in the query string.
        let mut good = base.to_vec();
        good.extend([
            ("address_id", "TA"),
            ("address_string", "Chợ An Bình"),
            ("attribute[kind]", "petition"),
            ("first_name", "Hoa"),
            ("last_name", "Lê"),
            ("email", "hoa@example.vn"),
            ("phone", "0987654321"),
            ("media_url", "https://img.example/1.jpg"),
            ("media_url", "https://img.example/2.jpg"),
            ("jurisdiction_id", ""),
        ]);
        let r = reqwest::Client::new()
            .post(format!("{}/open311/v2/requests.json?api_key={key}", app.url))
            .form(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        let created: Value = r.json().await.unwrap();
        let id = created[0]["service_request_id"].as_str().unwrap().to_string();
        assert!(id.starts_with("PA-"));
        assert!(created[0]["service_notice"].as_str().unwrap().contains("Ủy ban nhân dân phường An Bình"));
        let case = app.store.get_case_by_code(&id).await.unwrap().unwrap();
        assert_eq!((case.kind.as_str(), case.channel.as_str()), ("petition", "open311"));
        // The sender is kept, privately.
        assert_eq!(app.store.case_contact(case.id).await.unwrap().email.as_deref(), Some("hoa@example.vn"));

        // List and fetch, JSON and XML: no personal data; status open; expected = due date.
        let (_, _, body) = get(&app, "/open311/v2/requests.json?status=open&service_code=thoat-nuoc").await;
        let list: Value = serde_json::from_str(&body).unwrap();
        let item = list.as_array().unwrap().iter().find(|r| r["service_request_id"] == id.as_str()).expect("listed");
        assert_eq!(item["status"], "open");
        assert_eq!(item["agency_responsible"], "Ủy ban nhân dân phường An Bình");
        assert!(item["expected_datetime"].as_str().unwrap().ends_with("T23:59:59+07:00"));
        assert!(item["requested_datetime"].as_str().unwrap().ends_with("+07:00"));
        assert_eq!(item["lat"].as_f64(), Some(21.0285));
        for secret in ["hoa@example.vn", "0987654321", "Lê", "img.example"] {
            assert!(!body.contains(secret), "{secret} must not be public");
        }
        let (_, _, body) = get(&app, "/open311/v2/requests.json?status=closed").await;
        assert!(!body.contains(&id));
        let (s, _, body) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
        assert_eq!(s, 200);
        let one: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(one.as_array().unwrap().len(), 1);
        // The same request, field for field, whether listed or fetched alone.
        assert_eq!(&one[0], item, "{}", app.backend);
        assert_eq!(item["address_id"], "TA");
        assert_eq!(item["service_code"], "thoat-nuoc");
        assert!(item["zipcode"].is_null() && item["media_url"].is_null());
        let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{id}.xml")).await;
        assert!(
            xml.contains("<service_requests><request><service_request_id>")
                && xml.contains(&id)
                && !xml.contains("hoa@example.vn")
        );
        let (_, _, body) = get(&app, &format!("/open311/v2/requests.json?service_request_id={id},PA-1999-000001")).await;
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len(), 1);
        let (s, _, body) = get(&app, &format!("/open311/v2/tokens/{id}.json")).await;
        assert!(s == 200 && body.contains(&id));
        // Errors: unknown id 404, bad status 400, span over 90 days 400.
        assert_eq!(get(&app, "/open311/v2/requests/PA-1999-000001.json").await.0, 404);
        assert_eq!(get(&app, "/open311/v2/requests.json?status=pending").await.0, 400);
        let (s, _, xml) =
            get(&app, "/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").await;
        assert!(s == 400 && xml.contains("<errors><error><code>400</code>"));
        // A revoked key stops working.
        let keys = app.store.open311_keys().await.unwrap();
        app.store.revoke_open311_key(&AuditCtx::system("test"), keys[0].id).await.unwrap();
        let mut again = good.clone();
        again.push(("api_key", &key));
        assert_eq!(post(&app, "/open311/v2/requests.json", &again).await.0, 403);
    }
}

#[tokio::test]
async fn a_retried_request_with_the_same_idempotency_key_creates_one_case() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "App").await.unwrap();
    app.store.set_setting("default_province", "T01").await.unwrap();
    let form = [
        ("api_key", key.as_str()),
        ("service_code", "ve-sinh"),
        ("description", "Rác chưa được thu gom ở cổng chợ."),
        ("address_string", "Cổng chợ, phường An Bình"),
    ];
    let send = || async {
        let r = reqwest::Client::new()
            .post(format!("{}/open311/v2/requests.json", app.url))
            .header("Idempotency-Key", "abc-123")
            .form(&form)
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        v[0]["service_request_id"].as_str().unwrap().to_string()
    };
    let first = send().await;
    let second = send().await;
    assert_eq!(first, second);
    assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 1);
}

/// The listing read in place from SQLite (on a multi-threaded runtime, as the server runs it) and
/// through sqlx on PostgreSQL gives every field as the case holds it: times to the nanosecond, a
/// case without a category, a point, the place's code, the handling unit's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_listing_gives_every_field_as_the_case_holds_it() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let today = chrono::Utc::now().date_naive();
        let new = danvan_store::cases::NewCase {
            zalo: false,
            concern: None,
            draft: danvan_domain::cases::CaseDraft {
                kind: danvan_domain::cases::CaseKind::Petition,
                title: "Đèn đường".into(),
                description: "Đề nghị lắp đèn \"chiếu sáng\" <ngõ 9> & ngõ 11.".into(),
                address: "Ngõ 9".into(),
                point: Some((21.0285, 105.8542)),
                sender_name: Some("Người Gửi Kín".into()),
                sender_phone: Some("0912345678".into()),
                sender_email: None,
                sender_address: None,
                publish: true,
            },
            channel: danvan_domain::cases::Channel::Web,
            category_id: None,
            place_unit_id: Some(f.group_a1.id),
            unit_id: f.committee_a.id,
            received_at: chrono::Utc::now(),
            received_on: today,
            accept_due: today.checked_add_days(chrono::Days::new(5)),
            source: None,
            idempotency_key: None,
            notes: vec![],
        };
        let (c, _) = app.store.create_case(&AuditCtx::system("test"), &new).await.unwrap();
        let filter =
            CaseFilter { public_only: true, codes: vec![c.code.clone()], limit: 10, skip_total: true, ..Default::default() };
        let rows = app.store.list_public_cases(&filter).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", app.backend);
        let p = &rows[0];
        assert_eq!((p.id, p.code.as_str(), p.status.as_str()), (c.id, c.code.as_str(), "received"));
        assert_eq!((p.category_code.as_deref(), p.category_name.as_deref()), (None, None));
        assert_eq!((p.description.as_str(), p.address.as_str()), (c.description.as_str(), "Ngõ 9"));
        assert_eq!((p.latitude, p.longitude), (Some(21.0285), Some(105.8542)));
        assert_eq!(p.place_code.as_deref(), Some(f.group_a1.code.as_str()));
        assert_eq!(p.unit_name, f.committee_a.name);
        assert_eq!((p.received_at, p.updated_at), (c.received_at, c.updated_at), "{}", app.backend);
        assert_eq!((p.accept_due, p.resolve_due, p.photo_id), (c.accept_due, None, None));

        // Through HTTP: the service fields are null, the text is escaped, nothing personal.
        let (_, _, body) = get(&app, &format!("/open311/v2/requests/{}.json", c.code)).await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(v[0]["service_code"].is_null() && v[0]["service_name"].is_null(), "{body}");
        assert_eq!(v[0]["description"], c.description.as_str());
        assert_eq!(v[0]["address_id"], f.group_a1.code.as_str());
        let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{}.xml", c.code)).await;
        assert!(xml.contains("&quot;chiếu sáng&quot; &lt;ngõ 9&gt; &amp; ngõ 11") && xml.contains("<service_code/>"), "{xml}");
        for secret in ["Người Gửi Kín", "0912345678"] {
            assert!(!body.contains(secret) && !xml.contains(secret));
        }
    }
}
