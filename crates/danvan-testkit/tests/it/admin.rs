//! Administrators' settings: time limits, boundaries and point-in-area routing, categories with
//! Open311 attributes, calendar overrides. On SQLite and (when configured) PostgreSQL.

use chrono::{Datelike, NaiveDate};
use danvan_domain::case::{ClockStart, DayCount};
use danvan_domain::settings::{Deadlines, POLICY_DAY_FIELDS};
use danvan_store::cases::{CaseFilter, CaseSort};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

async fn admin(app: &TestApp) -> Client {
    let mut c = app.client();
    assert_eq!(c.login("admin", PASSWORD).await.status().as_u16(), 303);
    c
}

/// The time-limits form filled with `d`.
fn deadlines_fields(d: &Deadlines) -> Vec<(String, String)> {
    let mut v = vec![];
    for kind in danvan_domain::case::CaseKind::ALL {
        let p = d.get(*kind);
        let k = kind.as_str();
        let nums = [
            p.accept_days,
            p.resolve_days,
            p.resolve_days_complex,
            p.resolve_days_remote,
            p.resolve_days_remote_complex,
            p.max_extensions,
            p.extension_days,
            p.reopen_window_days,
        ];
        for (f, n) in POLICY_DAY_FIELDS.iter().zip(nums) {
            v.push((format!("{k}.{f}"), n.to_string()));
        }
        let count = |c: DayCount| if c == DayCount::Working { "working" } else { "calendar" }.to_string();
        v.push((format!("{k}.accept_count"), count(p.accept_count)));
        v.push((format!("{k}.resolve_count"), count(p.resolve_count)));
        v.push((
            format!("{k}.resolve_from"),
            if p.resolve_from == ClockStart::Receipt { "receipt" } else { "acceptance" }.to_string(),
        ));
        v.push((format!("{k}.basis"), p.basis.clone()));
    }
    v
}

async fn post_owned(c: &mut Client, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form(path, &refs).await
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

#[tokio::test]
async fn changed_time_limits_set_a_new_cases_due_date() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "app").await.unwrap();
        let req =
            [("service_code", "thoat-nuoc"), ("description", "Cống trước chợ bị tắc, nước tràn ra đường."), ("address_id", "TA")];
        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 201, "{body}");
        let before = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        let cal = app.store.work_calendar().await.unwrap();
        assert_eq!(before.accept_due, cal.add_working_days(before.received_on, 5), "the legal default");

        let mut c = admin(&app).await;
        let (s, html) = c.page("/admin/settings/deadlines").await;
        assert_eq!(s, 200);
        assert!(html.contains("name=\"feedback.accept_days\" type=\"number\" value=\"5\""), "{html}");
        let mut d = Deadlines::default();
        d.feedback.accept_days = 2;
        d.feedback.accept_count = DayCount::Calendar;
        let r = post_owned(&mut c, "/admin/settings/deadlines", &deadlines_fields(&d)).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let (_, html) = c.page("/admin/settings/deadlines").await;
        assert!(html.contains("name=\"feedback.accept_days\" type=\"number\" value=\"2\""));

        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 201, "{body}");
        let after = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        // Two calendar days, to the next working day when the second is a rest day (Civil Code
        // Art. 148(5)).
        assert_eq!(after.accept_due, cal.add_calendar_days(after.received_on, 2), "{}", app.backend);
        // The change is audited.
        let (_, audit) = c.page("/admin/audit?action=settings.update").await;
        assert!(audit.contains("deadlines"), "audited");

        // Bad figures: field errors, nothing saved.
        let mut bad = deadlines_fields(&Deadlines::default());
        for (k, v) in bad.iter_mut() {
            if k == "complaint.resolve_days_complex" {
                *v = "3".into();
            }
            if k == "petition.accept_days" {
                *v = "năm".into();
            }
        }
        let r = post_owned(&mut c, "/admin/settings/deadlines", &bad).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-complaint.resolve_days_complex-error\""), "{html}");
        assert!(html.contains("Phải là một số."));
        assert_eq!(app.store.settings().await.unwrap().deadlines.feedback.accept_days, 2);
    }
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

fn square(code: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"unit_code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
    )
}

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[tokio::test]
async fn bad_boundaries_are_field_errors_and_map_settings_are_checked() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = admin(&app).await;
    c.page("/admin/settings/map").await;
    let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", "{not json").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Dữ liệu JSON không hợp lệ."));
    let file = collection(&[square("TA", 105.0, 21.0, 105.1, 21.1), square("NOPE", 105.1, 21.0, 105.2, 21.1)]);
    let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", &file).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Vùng 2: Mã đơn vị không có trong danh mục."), "{html}");
    assert!(!html.contains("Vùng 1:"));
    assert!(app.store.settings().await.unwrap().boundaries.is_empty(), "nothing saved");
    let point = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ma":"TA"},"geometry":{"type":"Point","coordinates":[105,21]}}]}"#;
    let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", point).await;
    assert!(r.text().await.unwrap().contains("Vùng 1: Chỉ nhận Polygon hoặc MultiPolygon."));
    // Past axum's default 2 MB for multipart bodies: accepted up to the boundaries' own limit.
    let big = format!("{}{}", collection(&[square("TA", 105.0, 21.0, 105.1, 21.1)]), " ".repeat(3 * 1024 * 1024));
    let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", &big).await;
    assert_eq!(r.status().as_u16(), 303, "a 3 MB file is accepted");
    assert_eq!(app.store.settings().await.unwrap().boundaries.len(), 1);
    // Over it: a field error saying so, not a bare 400.
    let huge = format!("{}{}", collection(&[square("TA", 105.0, 21.0, 105.1, 21.1)]), " ".repeat(13 * 1024 * 1024));
    let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", &huge).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Tệp quá lớn (tối đa 12 MB)."));
    drop((big, huge));
    let csv = format!("2031-03-04,day_off,Nghỉ bù\n{}", "#\n".repeat(700 * 1024));
    c.page("/admin/calendar").await;
    let r = upload(&mut c, "/admin/calendar/import", "o.csv", &csv).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Tệp quá lớn (tối đa 1 MB)."));

    // Tile URLs that could break out of the CSP header, or miss placeholders, are refused.
    let r = c
        .post_form(
            "/admin/settings/map",
            &[("tile_url", "https://t.example/{z}/{x}/{y}.png; script-src *"), ("attribution", "x")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"f-tile_url-error\""));
    let r = c.post_form("/admin/settings/map", &[("default_province", "ZZZ"), ("tile_url", ""), ("attribution", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = c
        .post_form(
            "/admin/settings/map",
            &[("default_province", "T01"), ("tile_url", "https://t.example/{z}/{x}/{y}.png"), ("attribution", "© T")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let s = app.store.settings().await.unwrap();
    assert_eq!((s.default_province.as_str(), s.map.tile_url.as_str()), ("T01", "https://t.example/{z}/{x}/{y}.png"));
}

#[tokio::test]
async fn a_point_inside_the_boundaries_routes_to_its_ward() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "app").await.unwrap();
        let req = |lat: &'static str, lon: &'static str| {
            [
                ("service_code", "thoat-nuoc"),
                ("description", "Cống trước chợ bị tắc, nước tràn ra đường."),
                ("lat", lat),
                ("long", lon),
            ]
        };
        // Without boundaries a bare point names no ward: refused as before.
        let (s, _) = open311_post(&app, &key, &req("21.05", "105.15")).await;
        assert_eq!(s, 400);

        let mut c = admin(&app).await;
        c.page("/admin/settings/map").await;
        // Ward A, with residential group A1 nested in its south-west corner, and ward B east.
        let file = collection(&[
            square("TA", 105.0, 21.0, 105.1, 21.1),
            square("TA-1", 105.0, 21.0, 105.02, 21.02),
            square("TB", 105.1, 21.0, 105.2, 21.1),
        ]);
        let r = upload(&mut c, "/admin/settings/map/boundaries", "b.geojson", &file).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);

        let (s, body) = open311_post(&app, &key, &req("21.05", "105.15")).await;
        assert_eq!(s, 201, "{body}");
        let case = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        assert_eq!(case.place_unit_id, Some(f.ward_b.id), "{}", app.backend);
        assert_eq!(case.unit_id, f.ward_b.id, "ward B has no committee: the ward handles it");

        // The smallest area wins; the category's unit kind (people's committee) then applies.
        let (s, body) = open311_post(&app, &key, &req("21.01", "105.01")).await;
        assert_eq!(s, 201, "{body}");
        let case = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        assert_eq!(case.place_unit_id, Some(f.group_a1.id));
        assert_eq!(case.unit_id, f.committee_a.id);

        // Outside every area: still refused with an explanation.
        let (s, body) = open311_post(&app, &key, &req("10.0", "106.0")).await;
        assert_eq!(s, 400, "{body}");

        // Ward B merged into a new ward, itself later merged into ward A: the chain of successors
        // is followed to the live unit.
        let mid = app
            .store
            .create_unit(
                &AuditCtx::system("test"),
                &danvan_domain::unit::UnitDraft {
                    code: "TX".into(),
                    name: "Phường Trung Gian".into(),
                    kind: danvan_domain::unit::UnitKind::Ward,
                    parent_id: Some(f.city.id),
                    territory_id: None,
                    effective_from: None,
                    remote_area: false,
                },
            )
            .await
            .unwrap();
        let (b, x, a) = (f.ward_b.id, mid.id, f.ward_a.id);
        app.store
            .execute_raw(&format!(
                "UPDATE units SET effective_to = '2026-01-01' WHERE id IN ({b}, {x});
                 INSERT INTO unit_successors (unit_id, successor_id) VALUES ({b}, {x}), ({x}, {a});"
            ))
            .await
            .unwrap();
        let (s, body) = open311_post(&app, &key, &req("21.05", "105.15")).await;
        assert_eq!(s, 201, "{body}");
        let case = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        assert_eq!(case.place_unit_id, Some(f.ward_a.id), "{}", app.backend);

        // Cleared: back to no routing by point.
        assert_eq!(c.post_form("/admin/settings/map/boundaries/clear", &[]).await.status().as_u16(), 303);
        assert_eq!(open311_post(&app, &key, &req("21.05", "105.15")).await.0, 400);
    }
}

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
async fn calendar_overrides_from_the_page_change_working_days() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = admin(&app).await;
        let (s, _) = c.page("/admin/calendar?year=2031").await;
        assert_eq!(s, 200);
        // Tuesday 4 March 2031 is an ordinary working day.
        let tue = NaiveDate::from_ymd_opt(2031, 3, 4).unwrap();
        let mon = NaiveDate::from_ymd_opt(2031, 3, 3).unwrap();
        assert!(app.store.work_calendar().await.unwrap().is_working_day(tue));
        assert_eq!(app.store.work_calendar().await.unwrap().add_working_days(mon, 1), Some(tue));
        // A day off needs its reason.
        let r = c.post_form("/admin/calendar", &[("day", "2031-03-04"), ("kind", "day_off"), ("reason", "")]).await;
        assert_eq!(r.status().as_u16(), 422);
        let r =
            c.post_form("/admin/calendar", &[("day", "04/03/2031"), ("kind", "day_off"), ("reason", "Thông báo số 1/TB")]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let cal = app.store.work_calendar().await.unwrap();
        assert!(!cal.is_working_day(tue));
        assert_eq!(cal.add_working_days(mon, 1), NaiveDate::from_ymd_opt(2031, 3, 5));
        let (_, page) = c.page("/admin/calendar?year=2031").await;
        assert!(page.contains("Thông báo số 1/TB"));

        assert_eq!(c.post_form("/admin/calendar/delete", &[("day", "2031-03-04")]).await.status().as_u16(), 303);
        assert!(app.store.work_calendar().await.unwrap().is_working_day(tue));

        // Import: one bad row, nothing saved; then a good file.
        c.page("/admin/calendar").await;
        let r = upload(
            &mut c,
            "/admin/calendar/import",
            "o.csv",
            "day,kind,reason\n2031-03-04,day_off,Nghỉ bù\n2031-03-05,holiday,x\n",
        )
        .await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("Dòng 3"));
        assert!(app.store.calendar_overrides().await.unwrap().is_empty());
        let r = upload(&mut c, "/admin/calendar/import", "o.csv", "2031-03-04,day_off,Nghỉ bù\n2031-03-08,working_day,Làm bù\n")
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let cal = app.store.work_calendar().await.unwrap();
        let sat = NaiveDate::from_ymd_opt(2031, 3, 8).unwrap();
        assert_eq!(sat.weekday(), chrono::Weekday::Sat);
        assert!(!cal.is_working_day(tue) && cal.is_working_day(sat));
        let (_, audit) = c.page("/admin/audit?action=calendar.override").await;
        assert!(audit.contains("2031-03-08"));
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
    let started = (chrono::Utc::now().timestamp() - 30).to_string();
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

#[tokio::test]
async fn the_public_map_lists_only_public_cases_and_allows_only_the_tile_host() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "app").await.unwrap();
        let req = [
            ("service_code", "thoat-nuoc"),
            ("description", "Cống trước chợ bị tắc, nước tràn ra đường."),
            ("address_id", "TA"),
            ("lat", "21.0301"),
            ("long", "105.8502"),
            ("email", "an@example.vn"),
            ("first_name", "An"),
        ];
        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 201, "{body}");
        let public = created_code(&body);
        // A denunciation recorded with a point never appears.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page("/cases/record").await;
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "denunciation"),
                    ("category", "thu-tuc"),
                    ("description", "Tố cáo cán bộ nhận tiền khi làm hồ sơ."),
                    ("place_code", "TA"),
                    ("latitude", "21.0302"),
                    ("longitude", "105.8503"),
                    ("sender_name", "Người tố cáo"),
                    ("sender_phone", "0912345678"),
                    ("sender_address", "Số 1 phố Huế"),
                    ("channel", "walk_in"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "the receipt, {}", app.backend);
        assert!(r.text().await.unwrap().contains("PA-"), "recorded");
        // Marked for publication behind the form's back (an import, an old row, a kind changed
        // later): only the kind keeps it off the map, so the kind filter itself is tested.
        app.store.execute_raw("UPDATE cases SET publish = TRUE WHERE kind = 'denunciation'").await.unwrap();
        let any_point = CaseFilter { has_point: true, limit: 10, skip_total: true, ..Default::default() };
        let (all, _) = app.store.list_cases(&any_point).await.unwrap();
        assert!(
            all.iter().any(|c| c.kind == "denunciation" && c.publish),
            "the denunciation is publish-eligible but for its kind"
        );
        let (listed, _) = app.store.list_cases(&CaseFilter { public_only: true, ..any_point.clone() }).await.unwrap();
        assert!(listed.iter().all(|c| c.kind != "denunciation"), "the store's public filter leaves it out");
        let geo: Value = reqwest::get(format!("{}/public/map.geojson", app.url)).await.unwrap().json().await.unwrap();
        let features = geo["features"].as_array().unwrap();
        assert_eq!(features.len(), 1, "{geo}");
        assert_eq!(features[0]["properties"]["code"], public.as_str());
        assert_eq!(features[0]["geometry"]["coordinates"][1].as_f64(), Some(21.0301));
        let text = geo.to_string();
        assert!(!text.contains("an@example.vn") && !text.contains("Người tố cáo") && !text.contains("21.0302"));

        // Without a tile source: a list with coordinates, no map, the default CSP.
        let r = reqwest::get(format!("{}/public/map", app.url)).await.unwrap();
        let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("img-src 'self' data:;"), "{csp}");
        let html = r.text().await.unwrap();
        assert!(html.contains(&public) && html.contains("21.0301") && !html.contains("data-map"));

        // With one: the map, and the tile host allowed for images only.
        app.store
            .set_setting("map", r#"{"tile_url":"https://tiles.example.vn/{z}/{x}/{y}.png","attribution":"© T"}"#)
            .await
            .unwrap();
        for path in ["/public/map", "/cases/new"] {
            let r = reqwest::get(format!("{}{path}", app.url)).await.unwrap();
            let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
            assert!(csp.contains("img-src 'self' data: https://tiles.example.vn;"), "{csp}");
            assert!(csp.contains("script-src 'self';") && !csp.contains("unsafe-inline"));
            let html = r.text().await.unwrap();
            assert!(html.contains("data-map") && html.contains("src=\"/static/map.js\""), "{path}");
        }
        let js = reqwest::get(format!("{}/static/map.js", app.url)).await.unwrap();
        assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    }
}

#[tokio::test]
async fn the_map_reads_cases_with_points_not_the_newest_cases() {
    use danvan_testkit::{record_case, CaseSpec};
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec = |point| CaseSpec {
            description: "Đèn đường hỏng cả tuần nay.".into(),
            place: f.ward_a.id,
            point,
            ..Default::default()
        };
        let (older, _) = record_case(&app.store, &spec(Some((21.0301, 105.8502)))).await;
        for _ in 0..3 {
            record_case(&app.store, &spec(None)).await;
        }
        // The newest public case has no point; asking for points finds the older one anyway.
        let newest = CaseFilter { public_only: true, sort: CaseSort::Newest, limit: 1, skip_total: true, ..Default::default() };
        let (rows, _) = app.store.list_cases(&newest).await.unwrap();
        assert!(rows[0].latitude.is_none(), "{}", app.backend);
        let (rows, _) = app.store.list_cases(&CaseFilter { has_point: true, ..newest.clone() }).await.unwrap();
        assert_eq!(rows.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), vec![older.code.as_str()], "{}", app.backend);
        let geo: Value = reqwest::get(format!("{}/public/map.geojson", app.url)).await.unwrap().json().await.unwrap();
        assert_eq!(geo["features"].as_array().unwrap().len(), 1, "{geo}");
    }
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

async fn import_cases(c: &mut Client, source: &str, name: &str, content: &str) -> reqwest::Response {
    c.page("/admin/cases/import").await;
    c.post_multipart("/admin/cases/import", &[("source", source)], &[("file", name, content.as_bytes().to_vec())]).await
}

/// Administrators import cases received by other systems from a CSV or JSON file: every row is
/// checked first (one wrong row, nothing imported, errors by line), and a reference already
/// imported from the same system is skipped, so the same file can be sent twice.
#[tokio::test]
async fn administrators_import_cases_from_other_systems_once_each() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        assert_eq!(officer.page("/admin/cases/import").await.0, 403);
        let mut a = admin(&app).await;
        let (s, html) = a.page("/admin/cases/import").await;
        assert!(s == 200 && html.contains("id=\"case-import\""), "{}", app.backend);
        let csv = "source_ref,received_at,kind,category,place,description,address\n\
                   DV-1,2026-11-02,feedback,thoat-nuoc,TA,Cống trước chợ An Bình bị tắc nhiều ngày.,Chợ An Bình\n\
                   DV-2,2026-11-03,petition,chieu-sang,TA,Đề nghị lắp thêm đèn ở ngõ 9 phố An Bình.,Ngõ 9\n";
        let r = import_cases(&mut a, "dvcqg", "cases.csv", csv).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("Đã nhập 2 vụ việc; bỏ qua 0"));
        let r = import_cases(&mut a, "dvcqg", "cases.csv", csv).await;
        assert!(r.text().await.unwrap().contains("Đã nhập 0 vụ việc; bỏ qua 2"), "never twice");
        let filter = CaseFilter {
            channel: Some(danvan_domain::case::Channel::Import),
            limit: 10,
            skip_total: false,
            ..Default::default()
        };
        let (rows, total) = app.store.list_cases(&filter).await.unwrap();
        assert_eq!(total, 2);
        assert!(rows.iter().all(|c| c.source_system.as_deref() == Some("dvcqg")));

        // JSON, with one wrong row: nothing imported, the row named.
        let json = r#"[{"source_ref":"APP-1","received_at":"2026-11-04","category":"thoat-nuoc","place":"TA","description":"Nước thải tràn ra đường trước số 3.","address":"Số 3"},
                       {"source_ref":"APP-2","received_at":"2026-11-05","category":"thoat-nuoc","place":"ZZ-404","description":"Nắp cống bị vỡ trước số 8 phố An Bình.","address":"Số 8"}]"#;
        let r = import_cases(&mut a, "ihanoi", "cases.json", json).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"import-errors\"") && html.contains("Dòng 2: Không có đơn vị này."), "{html}");
        assert_eq!(app.store.list_cases(&filter).await.unwrap().1, 2, "nothing of the refused file");
        // No source system: a field error.
        let r = import_cases(&mut a, "", "cases.csv", csv).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("f-source-error"));
    }
}
