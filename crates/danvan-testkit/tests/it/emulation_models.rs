//! "Dân vận khéo" models (issue 11 item 3), on SQLite and (when configured) PostgreSQL: an
//! emulation officer registers a model, the field team's appraiser scores it, the leader
//! recognises it and it appears in the public gallery (found without diacritics), with its
//! photo; an unrecognised model, and its photo, never show publicly; another ward's emulation
//! officer is refused; bad input gets field-level errors.

use danvan_domain::org::account::AccountDraft;
use danvan_domain::Role;
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use serde_json::Value;

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 9) as u8, (y * 7) as u8, 90]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Registers a model in group A1 of ward A with ward A; returns its id.
async fn register(c: &mut Client, name: &str, field: &str) -> i64 {
    let r = c
        .post_form(
            "/emulation/models",
            &[
                ("kind", "model"),
                ("name", name),
                ("place", "Ngõ 12, tổ dân phố số 1"),
                ("field", field),
                ("owner_unit", "TA-1"),
                ("owner_name", ""),
                ("registered_unit", "TA"),
                ("year", "2025"),
                ("description", "Các hộ cùng phân loại rác tại nguồn và tự quản vỉa hè."),
                ("people_mobilised", "120"),
                ("results", "Không còn điểm rác tự phát."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "registered");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    to.trim_start_matches("/emulation/models/").parse().unwrap()
}

async fn name_appraiser(c: &mut Client, field: &str, username: &str) {
    let r = c.post_form("/emulation/models/teams", &[("unit", "TA"), ("field", field), ("account", username)]).await;
    assert_eq!(r.status().as_u16(), 303, "appraiser named");
}

const SCORES: &[(&str, &str)] =
    &[("forces", "18"), ("effect", "17"), ("support", "19"), ("local_task", "16"), ("sustainable", "15")];

async fn decide(c: &mut Client, id: i64, decision: &str) -> reqwest::Response {
    let today = chrono::Utc::now().date_naive().to_string();
    c.post_form(
        &format!("/emulation/models/{id}/decision"),
        &[("decision", decision), ("decided_on", &today), ("decision_ref", "15/QĐ-BCĐ")],
    )
    .await
}

async fn public_json(app: &TestApp, query: &str) -> Value {
    let r = reqwest::get(format!("{}/api/v1/emulation/models/public{query}", app.url)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_model_is_registered_appraised_recognised_and_shown_in_the_gallery() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        let id = register(&mut officer, "Đường phố sạch, không rác thải", "culture_society").await;
        // A photo while it is being built: re-encoded, and not public yet.
        let r =
            officer.post_multipart(&format!("/emulation/models/{id}/photos"), &[], &[("photos", "pho.png", png(40, 30))]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let detail: Value =
            officer.json(reqwest::Method::GET, &format!("/api/v1/emulation/models/{id}"), None).await.json().await.unwrap();
        let photo = detail["model"]["photos"][0].as_str().unwrap().to_string();
        let mut anonymous = app.client();
        assert_eq!(anonymous.get(&photo).await.status().as_u16(), 404, "not public before recognition");
        assert_eq!(anonymous.get(&format!("/dan-van-kheo/{id}")).await.status().as_u16(), 404);
        assert_eq!(public_json(&app, "").await["total"], 0);

        // The culture–society team scores; someone of another field's team cannot.
        name_appraiser(&mut officer, "culture_society", "front_a").await;
        name_appraiser(&mut officer, "economy", "viewer_a").await;
        let mut leader = signed_in(&app, "leader_a").await;
        let r = decide(&mut leader, id, "recognised").await;
        assert_eq!(r.status().as_u16(), 422, "not appraised yet");
        assert!(r.text().await.unwrap().contains("f-decision-error"));
        let mut viewer = signed_in(&app, "viewer_a").await;
        let r = viewer.post_form(&format!("/emulation/models/{id}/scores"), SCORES).await;
        assert_eq!(r.status().as_u16(), 403, "an appraiser of another field");
        let mut front = signed_in(&app, "front_a").await;
        let mut too_many = SCORES.to_vec();
        too_many[0] = ("forces", "25");
        let r = front.post_form(&format!("/emulation/models/{id}/scores"), &too_many).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("f-forces-error"));
        let r = front.post_form(&format!("/emulation/models/{id}/scores"), SCORES).await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = front.page(&format!("/emulation/models/{id}")).await;
        assert!(page.contains("id=\"mean-total\""), "{page}");

        // The leader recognises it; an emulation officer may not.
        assert_eq!(decide(&mut officer, id, "recognised").await.status().as_u16(), 403);
        assert_eq!(decide(&mut leader, id, "recognised").await.status().as_u16(), 303);
        assert_eq!(decide(&mut leader, id, "not_recognised").await.status().as_u16(), 409, "decided once");
        let r = front.post_form(&format!("/emulation/models/{id}/scores"), SCORES).await;
        assert_eq!(r.status().as_u16(), 403, "scores close with the decision");

        // Public: the gallery, a search without diacritics, the page and the photo.
        let (status, gallery) = anonymous.page("/dan-van-kheo?q=duong+pho+sach").await;
        assert_eq!(status, 200);
        assert!(gallery.contains("Đường phố sạch, không rác thải"), "{gallery}");
        let (_, none) = anonymous.page("/dan-van-kheo?q=cho+dan+sinh").await;
        assert!(!none.contains("Đường phố sạch"));
        let (_, by_field) = anonymous.page("/dan-van-kheo?field=economy&year=2025").await;
        assert!(!by_field.contains("Đường phố sạch"));
        let (status, public) = anonymous.page(&format!("/dan-van-kheo/{id}")).await;
        assert_eq!(status, 200);
        assert!(public.contains("85") && !public.contains("front_a"), "the mean, no appraiser's name");
        let r = anonymous.get(&photo).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        let found = public_json(&app, "?q=DUONG%20PHO").await;
        assert_eq!(found["total"], 1, "{found}");
        assert_eq!(found["items"][0]["status"], "recognised");
        // Replicated in ward B; edits are closed.
        let r = officer
            .post_form(&format!("/emulation/models/{id}/replications"), &[("unit", "TB"), ("year", "2026"), ("note", "")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, public) = anonymous.page(&format!("/dan-van-kheo/{id}")).await;
        assert!(public.contains("Phường Bến Đò"));
        let (status, _) = officer.page(&format!("/emulation/models/{id}/edit")).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn an_unrecognised_model_and_its_photos_are_never_public() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        let id = register(&mut officer, "Góc đọc sách cộng đồng", "culture_society").await;
        officer.post_multipart(&format!("/emulation/models/{id}/photos"), &[], &[("photos", "a.png", png(20, 20))]).await;
        name_appraiser(&mut officer, "culture_society", "front_a").await;
        let mut front = signed_in(&app, "front_a").await;
        assert_eq!(front.post_form(&format!("/emulation/models/{id}/scores"), SCORES).await.status().as_u16(), 303);
        let mut leader = signed_in(&app, "leader_a").await;
        assert_eq!(decide(&mut leader, id, "not_recognised").await.status().as_u16(), 303);
        let mut anonymous = app.client();
        let (_, gallery) = anonymous.page("/dan-van-kheo?q=goc+doc+sach").await;
        assert!(!gallery.contains("Góc đọc sách"));
        assert_eq!(anonymous.get(&format!("/dan-van-kheo/{id}")).await.status().as_u16(), 404);
        assert_eq!(public_json(&app, "?q=goc").await["total"], 0);
        let photos = app.store.emulation_model_photos(id).await.unwrap();
        assert_eq!(photos.len(), 1, "{}", app.backend);
        assert_eq!(anonymous.get(&format!("/dan-van-kheo/photos/{}", photos[0].id)).await.status().as_u16(), 404);
        // The unit's officials still see it, and its photo.
        assert_eq!(leader.get(&format!("/dan-van-kheo/photos/{}/thumb", photos[0].id)).await.status().as_u16(), 200);
    }
}

#[tokio::test]
async fn another_wards_emulation_officer_is_refused() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        let id = register(&mut officer, "Tổ tự quản an toàn phòng cháy", "defence_security").await;
        let ctx = AuditCtx::system("test");
        let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
        let draft =
            AccountDraft {
                username: "thidua_b".into(), full_name: "Cán bộ thi đua phường B".into(), email: None, phone: None
            };
        let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
        app.store.add_membership(&ctx, acc.id, f.ward_b.id, Role::Emulation, "").await.unwrap();
        let mut other = signed_in(&app, "thidua_b").await;
        let form = [
            ("kind", "model"),
            ("name", "Mô hình của phường khác"),
            ("place", "Phường An Bình"),
            ("field", "economy"),
            ("owner_unit", "TA-1"),
            ("registered_unit", "TA"),
            ("year", "2025"),
            ("description", "Nội dung"),
            ("people_mobilised", "10"),
            ("results", "Kết quả"),
        ];
        assert_eq!(other.post_form("/emulation/models", &form).await.status().as_u16(), 403, "{}", app.backend);
        assert_eq!(other.get(&format!("/emulation/models/{id}")).await.status().as_u16(), 404);
        assert_eq!(other.post_form(&format!("/emulation/models/{id}/edit"), &form).await.status().as_u16(), 404);
        let r = other.json(reqwest::Method::GET, &format!("/api/v1/emulation/models/{id}"), None).await;
        assert_eq!(r.status().as_u16(), 404);
        let r =
            other.post_form("/emulation/models/teams", &[("unit", "TA"), ("field", "economy"), ("account", "thidua_b")]).await;
        assert_eq!(r.status().as_u16(), 403);
        // Their own ward's list does not show ward A's model.
        let list: Value = other.json(reqwest::Method::GET, "/api/v1/emulation/models", None).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
        // In their own ward they register.
        let mut own = form;
        own[4] = ("owner_unit", "TB");
        own[5] = ("registered_unit", "TB");
        assert_eq!(other.post_form("/emulation/models", &own).await.status().as_u16(), 303);
    }
}

#[tokio::test]
async fn bad_input_gets_field_errors() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        let r = officer
            .post_form(
                "/emulation/models",
                &[
                    ("kind", "model"),
                    ("name", ""),
                    ("place", "Ngõ 5"),
                    ("field", "sport"),
                    ("owner_unit", "TA-1"),
                    ("registered_unit", "KHONG-CO"),
                    ("year", "abc"),
                    ("description", "x"),
                    ("people_mobilised", "-5"),
                    ("results", "y"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let page = r.text().await.unwrap();
        for field in ["name", "field", "registered_unit", "year", "people_mobilised"] {
            assert!(page.contains(&format!("f-{field}-error")), "{field}: {page}");
        }
        let id = register(&mut officer, "Chợ an toàn", "economy").await;
        let r = officer
            .post_form(&format!("/emulation/models/{id}/replications"), &[("unit", "TA-1"), ("year", "2024"), ("note", "")])
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("f-unit-error") && page.contains("f-year-error"));
        // A file that is no photo is refused like a case's.
        let r = officer
            .post_multipart(&format!("/emulation/models/{id}/photos"), &[], &[("photos", "x.png", b"not a png".to_vec())])
            .await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(app.store.emulation_model_photos(id).await.unwrap().is_empty());
        let mut anonymous = app.client();
        assert_eq!(anonymous.get("/dan-van-kheo?field=sport").await.status().as_u16(), 422);
        let r = anonymous.get("/api/v1/emulation/models/public?year=abc").await;
        assert_eq!(r.status().as_u16(), 422);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "year", "{body}");
    }
}
