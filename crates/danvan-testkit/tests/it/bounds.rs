//! Input bounded everywhere (issue 10, findings 3, 6, 8, 11 and 12), tried through the HTTP
//! routes exactly as found, on SQLite and PostgreSQL: dates, searches, text the XML feed cannot
//! carry, hidden cases, idempotency keys, notes and /metrics.

use danvan_store::AuditCtx;
use danvan_testkit::{case_in, Fixture, TestApp, METRICS_TOKEN, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A case as the JSON API records it, with its `received_on`.
fn case_body(received_on: &str) -> Value {
    json!({"kind": "feedback", "category": "thoat-nuoc", "description": "Cống thoát nước đầu ngõ bị tắc.",
           "address": "Ngõ 5", "place": "TA", "channel": "walk_in", "received_on": received_on})
}

/// An Open311 request to create a case in ward A.
fn open311_form<'a>(key: &'a str, description: &'a str) -> [(&'a str, &'a str); 7] {
    [
        ("api_key", key),
        ("service_code", "thoat-nuoc"),
        ("description", description),
        ("lat", "21.0285"),
        ("long", "105.8542"),
        ("address_id", "TA"),
        ("address_string", "Chợ An Bình"),
    ]
}

fn field_key(problem: &Value, field: &str) -> Option<String> {
    problem["errors"].as_array()?.iter().find(|e| e["field"] == field).and_then(|e| e["key"].as_str()).map(str::to_string)
}

/// Finding 3: dates outside 1945..today are refused on every way in; a date an old database
/// holds (year 1) neither slows the lists nor fails the Excel export.
#[tokio::test]
async fn dates_users_give_are_bounded_and_old_ones_stay_harmless() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        let tomorrow = (danvan_app::cases::today() + chrono::Duration::days(1)).to_string();
        for (day, key) in [
            ("-262143-01-10", "error.date_too_early"),
            ("1944-12-31", "error.date_too_early"),
            (tomorrow.as_str(), "error.date_future"),
        ] {
            let r = c.json(Method::POST, "/api/v1/cases", Some(case_body(day))).await;
            assert_eq!(r.status().as_u16(), 422, "{b} {day}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(field_key(&p, "received_on").as_deref(), Some(key), "{b} {day}: {p}");
        }
        let r = c.json(Method::POST, "/api/v1/cases", Some(case_body("1945-01-01"))).await;
        assert_eq!(r.status().as_u16(), 201, "{b}");
        // The officers' form says it on the field.
        let r = c
            .post_multipart(
                "/cases/record",
                &[
                    ("kind", "feedback"),
                    ("category", "thoat-nuoc"),
                    ("description", "Cống thoát nước đầu ngõ bị tắc."),
                    ("address", "Ngõ 5"),
                    ("place_code", "TA"),
                    ("channel", "walk_in"),
                    ("received_on", "-262143-01-10"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("f-received_on-error"), "{b}");
        // Filters: a field error on the page, a 4xx from the export, Open311 in its own format.
        let (s, body) = c.page("/inbox?from=-262143-01-10").await;
        assert!(s == 200 && body.contains("f-from-error"), "{b} {s}");
        assert_eq!(c.get("/inbox/export.xlsx?to=20260-01-01").await.status().as_u16(), 422, "{b}");
        let r = reqwest::get(format!("{}/open311/v2/requests.xml?start_date=-262143-01-10", app.url)).await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{b}");
        assert!(r.text().await.unwrap().contains("<errors><error><code>400</code>"), "{b}");
        // A calendar override centuries away.
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;
        let r = admin.post_form("/admin/calendar", &[("day", "-262143-01-10"), ("kind", "day_off"), ("reason", "x")]).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        // The import of cases from another system: the row is named, nothing imported.
        admin.page("/admin/cases/import").await;
        let csv = "source_ref,received_at,kind,category,place,description,address\n\
                   DV-1,-262143-01-10,feedback,thoat-nuoc,TA,Cống trước chợ An Bình bị tắc nhiều ngày.,Chợ An Bình\n";
        let r = admin
            .post_multipart("/admin/cases/import", &[("source", "dvcqg")], &[("file", "cases.csv", csv.as_bytes().to_vec())])
            .await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("01/01/1945"), "{b}: the row's message names the bound");

        // A case an old database holds, received in year 1 (the Excel export once answered 500).
        let old = case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", false).await;
        let year_1 = chrono::NaiveDate::from_ymd_opt(1, 1, 10).unwrap();
        app.store
            .execute_raw(&format!(
                "UPDATE cases SET received_on = '{year_1}', accept_due = '{year_1}', publish = TRUE WHERE id = {}",
                old.id
            ))
            .await
            .unwrap();
        for path in
            ["/inbox", "/inbox?sort=newest", "/public/cases", "/public/cases?unit=TA", "/inbox/export.xlsx", "/inbox/export.csv"]
        {
            let started = Instant::now();
            let r = c.get(path).await;
            assert_eq!(r.status().as_u16(), 200, "{b} {path}");
            assert!(started.elapsed() < Duration::from_secs(5), "{b} {path}: {:?}", started.elapsed());
        }
    }
}

/// Finding 6: a search of 1,001 words answers, never 500, on every route that searches; the
/// pages say the excess was ignored.
#[tokio::test]
async fn searches_of_a_thousand_words_answer() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let b = app.backend;
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        let words = (0..1001).map(|i| format!("từ{i}")).collect::<Vec<_>>().join("+");
        for route in [
            "/public/cases",
            "/units",
            "/api/v1/units",
            "/inbox",
            "/api/v1/cases",
            "/inbox/export.xlsx",
            "/inbox/export.csv",
            "/search",
        ] {
            let r = c.get(&format!("{route}?q={words}")).await;
            assert_eq!(r.status().as_u16(), 200, "{b} {route}");
            if !route.starts_with("/api") && !route.ends_with(".xlsx") && !route.ends_with(".csv") {
                assert!(r.text().await.unwrap().contains("f-q-error"), "{b} {route}: the page says the search was cut");
            }
        }
        // A short search is not cut, and still finds by its words.
        let (_, body) = c.page("/units?q=an+binh").await;
        assert!(body.contains("Phường An Bình") && !body.contains("f-q-error"), "{b}");
    }
}

/// Finding 8: text loses noncharacters and control characters on the way in, and the Open311
/// XML feed stays well-formed even with such text written straight into the database.
#[tokio::test]
async fn the_open311_xml_feed_stays_well_formed() {
    // The parser refuses what the feed once held: the test would see it.
    assert!(roxmltree::Document::parse("<a>x\u{FFFF}</a>").is_err());
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "City app").await.unwrap();
        let bad = "Cống \u{FFFF}tắc\u{FFFE} trước\u{FDD0} chợ\u{1FFFF} An\u{7} Bình\u{85} <nước> & tràn.";
        let r = reqwest::Client::new()
            .post(format!("{}/open311/v2/requests.json", app.url))
            .form(&open311_form(&key, bad))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let created: Value = r.json().await.unwrap();
        assert_eq!(status, 201, "{b} {created}");
        let code = created[0]["service_request_id"].as_str().unwrap().to_string();
        let stored = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        assert_eq!(stored.description, "Cống tắc trước chợ An Bình <nước> & tràn.", "{b}");
        // A row written before the cleaning (or by hand): the writer alone keeps the feed valid.
        let old = case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", false).await;
        let new = danvan_store::cases::NewCase {
            zalo: false,
            concern: None,
            draft: danvan_domain::cases::CaseDraft {
                description: format!("Ghi thẳng\u{FFFF} vào\u{0B} cơ sở dữ liệu\u{FFFE}. {}", old.code),
                title: "Tiêu đề\u{FFFF}".into(),
                publish: true,
                point: None,
                sender_name: None,
                sender_phone: None,
                sender_email: None,
                sender_address: None,
                address: "Ngõ\u{FFFF} 7".into(),
                kind: danvan_domain::cases::CaseKind::Feedback,
            },
            channel: danvan_domain::cases::Channel::Hotline,
            category_id: old.category_id,
            place_unit_id: Some(f.ward_a.id),
            unit_id: f.ward_a.id,
            received_at: chrono::Utc::now(),
            received_on: old.received_on,
            accept_due: old.accept_due,
            source: None,
            idempotency_key: None,
            notes: vec![],
        };
        app.store.create_case(&AuditCtx::system("test"), &new).await.unwrap();
        for path in ["/open311/v2/requests.xml", &format!("/open311/v2/requests/{code}.xml")] {
            let xml = reqwest::get(format!("{}{path}", app.url)).await.unwrap().text().await.unwrap();
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{b} {path}: {e}\n{xml}"));
            assert_eq!(doc.root_element().tag_name().name(), "service_requests", "{b}");
        }
        let xml = reqwest::get(format!("{}/open311/v2/requests.xml", app.url)).await.unwrap().text().await.unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("description")).filter_map(|n| n.text()).collect();
        assert!(texts.iter().any(|t| t.starts_with("Ghi thẳng\u{FFFD} vào\u{FFFD} cơ sở")), "{b} {texts:?}");
    }
}

/// Finding 11: the API answers a hidden case as it answers an unknown one (404), to everyone
/// who may not see it.
#[tokio::test]
async fn hidden_cases_answer_like_unknown_ones() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let hidden = case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Denunciation, "Người tố cáo", false).await;
        let unknown = "PA-2026-999999";
        let mut anonymous = app.client();
        let mut other_ward = app.client();
        other_ward.login("leader_b", PASSWORD).await;
        let mut own = app.client();
        own.login("officer_a", PASSWORD).await;
        for (who, c) in [("anonymous", &mut anonymous), ("leader_b", &mut other_ward)] {
            for code in [hidden.code.as_str(), unknown] {
                let r = c.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await;
                assert_eq!(r.status().as_u16(), 404, "{b} {who} GET {code}");
                let r = c.json(Method::POST, &format!("/api/v1/cases/{code}/actions"), Some(json!({"action": "accept"}))).await;
                assert_eq!(r.status().as_u16(), 404, "{b} {who} POST {code}");
            }
        }
        assert_eq!(own.json(Method::GET, &format!("/api/v1/cases/{}", hidden.code), None).await.status().as_u16(), 200, "{b}");
    }
}

/// Finding 12: an over-long Idempotency-Key is refused (never ignored), notes are bounded, and
/// /metrics wants its token.
#[tokio::test]
async fn keys_notes_and_metrics_are_bounded() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        let post = |key: String| {
            c.http
                .post(format!("{}/api/v1/cases", app.url))
                .header("x-csrf-token", c.csrf.clone())
                .header("idempotency-key", key)
                .json(&case_body(""))
                .send()
        };
        let long = "k".repeat(201);
        let r = post(long.clone()).await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{b}");
        assert_eq!(r.headers()["content-type"], "application/problem+json", "{b}");
        assert_eq!(post(long).await.unwrap().status().as_u16(), 400, "{b}: a retry is refused too, never a second case");
        let at_limit = "k".repeat(200);
        let first: Value = post(at_limit.clone()).await.unwrap().json().await.unwrap();
        let again = post(at_limit).await.unwrap();
        assert_eq!(again.status().as_u16(), 200, "{b}: the retry finds the case");
        let again: Value = again.json().await.unwrap();
        assert_eq!(first["case"]["code"], again["case"]["code"], "{b}");
        // Open311 refuses it in its own format.
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "City app").await.unwrap();
        let r = reqwest::Client::new()
            .post(format!("{}/open311/v2/requests.xml", app.url))
            .header("idempotency-key", "k".repeat(201))
            .form(&open311_form(&key, "Cống trước chợ An Bình bị tắc."))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400, "{b}");
        assert!(r.text().await.unwrap().contains("<errors><error><code>400</code>"), "{b}");

        // A supporting unit's note of 100 KB, an internal note of 100 KB.
        let case = case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await;
        let mut lead = app.client();
        lead.login("leader_a", PASSWORD).await;
        let huge = "ghi chú ".repeat(12_800);
        let page = format!("/cases/{}", case.id);
        let r = lead.post_form(&format!("{page}/supports"), &[("support_unit", "TB"), ("support_note", &huge)]).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("f-support_note-error"), "{b}");
        assert_eq!(lead.post_form(&format!("{page}/note"), &[("note", &huge)]).await.status().as_u16(), 422, "{b}");
        let r =
            lead.post_form(&format!("{page}/supports"), &[("support_unit", "TB"), ("support_note", "Phối hợp xác minh")]).await;
        assert_eq!(r.status().as_u16(), 303, "{b}");

        // An answer of a million characters (found after the issue): refused field by field.
        let actions = format!("/api/v1/cases/{}/actions", case.code);
        let act = async |c: &mut danvan_testkit::Client, body: Value| c.json(Method::POST, &actions, Some(body)).await;
        assert_eq!(act(&mut lead, json!({"action": "assign", "assignee": "officer_a"})).await.status().as_u16(), 200, "{b}");
        assert_eq!(act(&mut c, json!({"action": "start"})).await.status().as_u16(), 200, "{b}");
        let too_long = "trả lời ".repeat(2_501);
        let r = act(&mut c, json!({"action": "draft_answer", "answer": too_long})).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert_eq!(field_key(&r.json().await.unwrap(), "answer").as_deref(), Some("error.too_long"), "{b}");
        let r = act(&mut c, json!({"action": "draft_answer", "answer": "Đã sửa xong cống."})).await;
        assert_eq!(r.status().as_u16(), 200, "{b}");

        // /metrics: only with its bearer token.
        let metrics = |token: Option<&str>| {
            let r = reqwest::Client::new().get(format!("{}/metrics", app.url));
            match token {
                Some(t) => r.bearer_auth(t),
                None => r,
            }
            .send()
        };
        assert_eq!(metrics(None).await.unwrap().status().as_u16(), 401, "{b}");
        assert_eq!(metrics(Some("wrong")).await.unwrap().status().as_u16(), 401, "{b}");
        assert_eq!(c.get("/metrics").await.status().as_u16(), 401, "{b}: a session is not the token");
        let r = metrics(Some(METRICS_TOKEN)).await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{b}");
        assert!(r.text().await.unwrap().contains("danvan_http_requests_total"), "{b}");
        // The scheme's name in any case (RFC 9110 §11.1), as for API tokens.
        let r = reqwest::Client::new()
            .get(format!("{}/metrics", app.url))
            .header("authorization", format!("bearer {METRICS_TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{b}");
    }
}

/// Leftover of finding 3: a unit's dates — when it takes effect, when it ends, when it is
/// dissolved — are bounded like every date a user gives (1945 to ten years ahead), and end no
/// earlier than they start, on the pages, the API and the CSV that `danvan unit import` reads.
#[tokio::test]
async fn unit_dates_are_bounded_on_every_way_in() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;
        let unit = |code: &str, from: &str| json!({"code": code, "name": "Tổ dân phố thử", "kind": "residential_group", "parent_id": f.ward_a.id, "effective_from": from});
        for (day, key) in [
            ("-262143-01-10", "error.date_too_early"),
            ("1944-12-31", "error.date_too_early"),
            ("2099-01-01", "error.date_too_late"),
        ] {
            let r = admin.json(Method::POST, "/api/v1/units", Some(unit("X1", day))).await;
            assert_eq!(r.status().as_u16(), 422, "{b} create {day}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(field_key(&p, "effective_from").as_deref(), Some(key), "{b} create {day}: {p}");
            let r = admin.json(Method::PUT, &format!("/api/v1/units/{}", f.group_a1.id), Some(unit("TA-1", day))).await;
            assert_eq!(r.status().as_u16(), 422, "{b} edit {day}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(field_key(&p, "effective_from").as_deref(), Some(key), "{b} edit {day}: {p}");
        }
        assert!(app.store.get_unit_by_code("X1").await.unwrap().is_none(), "{b}");
        assert_eq!(app.store.get_unit(f.group_a1.id).await.unwrap().effective_from, None, "{b}");
        let r = admin.json(Method::POST, "/api/v1/units", Some(unit("X1", "1945-01-01"))).await;
        assert_eq!(r.status().as_u16(), 201, "{b}");
        // The page says it next to the field.
        admin.page("/admin/units/new").await;
        let fields = [
            ("code", "X2"),
            ("name", "Tổ dân phố thử"),
            ("kind", "residential_group"),
            ("parent_code", "TA"),
            ("effective_from", "-262143-01-10"),
        ];
        let r = admin.post_form("/admin/units", &fields).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("f-effective_from-error"), "{b}");

        // A units CSV through the API, and through the parser `danvan unit import` uses.
        let header = "code,name,kind,parent_code,effective_from,effective_to\n";
        for (row, key) in [
            ("X3,Tổ thử,residential_group,TA,2020-01-01,-262143-01-10", "error.date_too_early"),
            ("X3,Tổ thử,residential_group,TA,2099-01-01,", "error.date_too_late"),
            ("X3,Tổ thử,residential_group,TA,2025-07-01,2025-06-30", "error.date_before_start"),
        ] {
            let csv = format!("{header}{row}\n");
            let r = admin
                .http
                .post(format!("{}/api/v1/units/import", app.url))
                .header("x-csrf-token", admin.csrf.clone())
                .header("content-type", "text/csv")
                .body(csv.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 422, "{b} {row}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(field_key(&p, "row 2").as_deref(), Some(key), "{b} {row}: {p}");
            let e = danvan_app::org::units::parse_units_csv(csv.as_bytes()).unwrap_err();
            assert_eq!(e.fields().and_then(|f| f.get("row 2")), Some(key), "{b} {row}: the CLI's parser");
        }
        assert!(app.store.get_unit_by_code("X3").await.unwrap().is_none(), "{b}");

        // Dissolution: its day bounded, and not before the unit took effect.
        let x1 = app.store.get_unit_by_code("X1").await.unwrap().unwrap();
        let dissolve = |on: &str| json!({"successors": [f.group_a1.id], "effective_on": on});
        for (day, key) in [
            ("-262143-01-10", "error.date_too_early"),
            ("2099-01-01", "error.date_too_late"),
            ("1944-12-31", "error.date_too_early"),
        ] {
            let r = admin.json(Method::POST, &format!("/api/v1/units/{}/dissolve", x1.id), Some(dissolve(day))).await;
            assert_eq!(r.status().as_u16(), 422, "{b} dissolve {day}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(field_key(&p, "effective_on").as_deref(), Some(key), "{b} dissolve {day}: {p}");
        }
        let group = app.store.get_unit_by_code("TA-1").await.unwrap().unwrap();
        let r = admin.json(Method::PUT, &format!("/api/v1/units/{}", group.id), Some(unit("TA-1", "2020-01-01"))).await;
        assert_eq!(r.status().as_u16(), 200, "{b}");
        let page = format!("/admin/units/{}/dissolve", group.id);
        admin.page(&page).await;
        let r = admin.post_form(&page, &[("successors", "TA"), ("effective_on", "2019-12-31")]).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("f-effective_on-error"), "{b}");
        assert!(
            !app.store.get_unit(x1.id).await.unwrap().dissolved() && !app.store.get_unit(group.id).await.unwrap().dissolved()
        );
        let r = admin.json(Method::POST, &format!("/api/v1/units/{}/dissolve", x1.id), Some(dissolve("1945-01-01"))).await;
        assert_eq!(r.status().as_u16(), 204, "{b}");
    }
}

/// The hostile sweep after the review: what an administrator or a client gives that is stored
/// or looked up one by one is bounded too — a case import's rows, its source and references, a
/// membership's title, a category's texts and attribute lists, Open311's lists of services.
#[tokio::test]
async fn imports_titles_categories_and_lists_are_bounded() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;

        // An import of 5,001 rows is refused whole, at once, before any row is looked up.
        let header = "source_ref,received_at,kind,category,place,description,address\n";
        let row =
            |r: &str| format!("{r},2026-01-05,feedback,thoat-nuoc,TA,Cống trước chợ An Bình bị tắc nhiều ngày.,Chợ An Bình\n");
        let many: String = std::iter::once(header.to_string()).chain((0..=5000).map(|i| row(&format!("DV-{i}")))).collect();
        admin.page("/admin/cases/import").await;
        let started = Instant::now();
        let r = admin
            .post_multipart("/admin/cases/import", &[("source", "dvcqg")], &[("file", "cases.csv", many.clone().into_bytes())])
            .await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("quá nhiều dòng"), "{b}");
        assert!(started.elapsed() < Duration::from_secs(10), "{b}: {:?}", started.elapsed());
        let e = danvan_app::cases::parse_import(many.as_bytes()).unwrap_err();
        assert_eq!(e.get("file"), Some("import.error.too_many_rows"), "{b}");
        let json: Vec<Value> = (0..=5000).map(|i| json!({"source_ref": format!("J-{i}")})).collect();
        let e = danvan_app::cases::parse_import(serde_json::to_string(&json).unwrap().as_bytes()).unwrap_err();
        assert_eq!(e.get("file"), Some("import.error.too_many_rows"), "{b}");
        // A reference or a source name of 101 characters.
        let long_ref = format!("{header}{}", row(&"R".repeat(101)));
        let rows = danvan_app::cases::parse_import(long_ref.as_bytes()).unwrap();
        let e = danvan_app::cases::import_cases(&app.app, "dvcqg", rows).await.unwrap_err();
        assert_eq!(e.fields().and_then(|f| f.get("row 2")), Some("error.too_long"), "{b}");
        let rows = danvan_app::cases::parse_import(format!("{header}{}", row("DV-1")).as_bytes()).unwrap();
        let e = danvan_app::cases::import_cases(&app.app, &"s".repeat(101), rows).await.unwrap_err();
        assert_eq!(e.fields().and_then(|f| f.get("source")), Some("error.too_long"), "{b}");
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 0, "{b}");

        // A membership's title, by the API: refused before an account is created with it.
        let title = "Cán bộ ".repeat(20);
        let citizen = app.store.get_account_by_username("citizen").await.unwrap().unwrap();
        let body = json!({"unit_id": f.ward_a.id, "role": "viewer", "title": title});
        let r = admin.json(Method::POST, &format!("/api/v1/accounts/{}/memberships", citizen.id), Some(body.clone())).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(field_key(&p, "title").as_deref(), Some("error.too_long"), "{b}: {p}");
        let account =
            json!({"username": "canbo_moi", "full_name": "Cán bộ mới", "password": "mật khẩu đủ dài", "membership": body});
        assert_eq!(admin.json(Method::POST, "/api/v1/accounts", Some(account)).await.status().as_u16(), 422, "{b}");
        assert!(app.store.get_account_by_username("canbo_moi").await.unwrap().is_none(), "{b}");
        assert!(app.store.memberships_of(citizen.id).await.unwrap().is_empty(), "{b}");

        // A category's name, and an attribute offering a thousand values of a thousand characters.
        admin.page("/admin/categories/new").await;
        let name = "Cống ".repeat(60);
        let values: Vec<String> = (0..1000).map(|i| format!("v{i}={}", "x".repeat(1000))).collect();
        let attributes = format!("muc-do | singlevaluelist | no | Mức độ | {}", values.join("; "));
        for (field, fields) in [
            ("name", vec![("code", "cong"), ("name", name.as_str()), ("unit_kind", "peoples_committee")]),
            (
                "attributes",
                vec![("code", "cong"), ("name", "Cống"), ("unit_kind", "peoples_committee"), ("attributes", &attributes)],
            ),
        ] {
            let r = admin.post_form("/admin/categories", &fields).await;
            assert_eq!(r.status().as_u16(), 422, "{b} {field}");
        }
        assert!(app.store.category_by_code("cong").await.unwrap().is_none(), "{b}");

        // Open311: a list of services is a few dozen, each looked up once.
        let codes: Vec<String> = (0..101).map(|i| format!("dich-vu-{i}")).collect();
        let r = reqwest::get(format!("{}/open311/v2/requests.json?service_code={}", app.url, codes.join(","))).await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{b}");
        assert!(r.text().await.unwrap().starts_with("[{\"code\":400"), "{b}");
        let repeated = vec!["thoat-nuoc"; 3000].join(",");
        let r = reqwest::get(format!("{}/open311/v2/requests.json?service_code={repeated}&status=open,open,closed", app.url))
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{b}: the same service named again and again is one");
    }
}
