//! Boundaries and the map: bad boundary files refused, a point routed to the ward whose area
//! holds it, the public map and its tile host.

use super::*;
use danvan_store::cases::{CaseFilter, CaseSort};
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use serde_json::Value;

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
                &danvan_domain::org::unit::UnitDraft {
                    code: "TX".into(),
                    name: "Phường Trung Gian".into(),
                    kind: danvan_domain::org::unit::UnitKind::Ward,
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
                    ("concerned_unit", "TA-1"),
                    ("concerned_name", "Cán bộ một cửa"),
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
