//! Emulation records (issue 11 items 4–5), on SQLite and (when configured) PostgreSQL: an
//! emulation officer records ratings and titles, the eligibility page explains each unmet
//! condition as a sentence, a file with a bad row stores nothing, and the records are seen only
//! by the person, their unit's leaders and the emulation officers.

use danvan_domain::org::account::AccountDraft;
use danvan_domain::Role;
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use serde_json::{json, Value};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

/// Creates a record from the officers' page form; returns its id.
async fn create(c: &mut Client, name: &str, account: &str) -> i64 {
    let r = c
        .post_form(
            "/emulation/records",
            &[("kind", "individual"), ("name", name), ("unit", "TA"), ("woman", "on"), ("account", account)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    to.trim_start_matches("/emulation/records/").parse().unwrap()
}

async fn entry(c: &mut Client, id: i64, fields: &[(&str, &str)]) {
    let r = c.post_form(&format!("/emulation/records/{id}/entries"), fields).await;
    assert_eq!(r.status().as_u16(), 303, "{fields:?}");
}

async fn upload(c: &mut Client, content: &str) -> reqwest::Response {
    c.page("/emulation/import").await;
    c.post_multipart("/emulation/import", &[], &[("file", "xep-loai.csv", content.as_bytes().to_vec())]).await
}

/// An officer of ward B, signed in.
async fn officer_b(app: &TestApp, f: &Fixture) -> Client {
    let ctx = AuditCtx::system("test");
    let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
    let draft =
        AccountDraft { username: "officer_b".into(), full_name: "Cán bộ phường B".into(), email: None, phone: None };
    let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
    app.store.add_membership(&ctx, acc.id, f.ward_b.id, Role::Emulation, "").await.unwrap();
    signed_in(app, "officer_b").await
}

const PROVINCIAL_2026: &str = "award=emulation_fighter_provincial&year=2026";

#[tokio::test]
async fn the_eligibility_page_names_each_unmet_condition_from_the_stored_record() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let id = create(&mut c, "Trần Thị Hoa", "").await;
        for y in ["2024", "2025", "2026"] {
            entry(&mut c, id, &[("entry", "rating"), ("year", y), ("rating", "excellent"), ("in_emulation", "on")]).await;
        }
        let title = |award: &'static str, year: i32| {
            json!({"entry": "title", "award": award, "year": year, "decision_no": format!("{year}/QĐ-UBND"),
                   "decided_on": format!("{year}-12-20"), "issuer": "UBND phường Cửa Nam"})
        };
        for y in [2024, 2025, 2026] {
            let r = c
                .json(
                    reqwest::Method::POST,
                    &format!("/api/v1/emulation/records/{id}/entries"),
                    Some(title("advanced_worker", y)),
                )
                .await;
            assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        }
        for y in [2025, 2026] {
            let body = title("emulation_fighter_grassroots", y);
            c.json(reqwest::Method::POST, &format!("/api/v1/emulation/records/{id}/entries"), Some(body)).await;
        }
        let r = c
            .json(
                reqwest::Method::POST,
                &format!("/api/v1/emulation/records/{id}/entries"),
                Some(json!({"entry": "initiative", "name": "Sổ tay dân vận điện tử", "year": 2025, "reach": "province"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 201);
        // A bad entry is a field error, and nothing is stored.
        let r = c
            .post_form(&format!("/emulation/records/{id}/entries"), &[("entry", "rating"), ("year", "2026"), ("rating", "tot")])
            .await;
        assert_eq!(r.status().as_u16(), 422);

        let (s, page) = c.page(&format!("/emulation/records/{id}")).await;
        assert_eq!(s, 200);
        assert!(page.contains("Sổ tay dân vận điện tử") && page.contains("2025/QĐ-UBND"), "{page}");

        let (s, page) = c.page(&format!("/emulation/records/{id}/eligibility?{PROVINCIAL_2026}")).await;
        assert_eq!(s, 200);
        assert!(page.contains("id=\"ineligible\""), "{page}");
        assert!(page.contains("cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở: có 2025, 2026; thiếu 2024"), "{page}");
        assert!(page.contains("Điều 22 Luật Thi đua, khen thưởng số 06/2022/QH15"), "{page}");
        // The same in English, from the English catalogue.
        let v: Value = c
            .http
            .get(format!("{}/api/v1/emulation/records/{id}/eligibility?{PROVINCIAL_2026}", app.url))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["eligible"], false);
        assert_eq!(
            v["unmet"][0]["sentence"],
            "needs 3 consecutive years of Grassroots Emulation Fighter: has 2025, 2026; missing 2024"
        );
        assert_eq!(v["unmet"][0]["rule"], "R4");

        // With the 2024 title recorded, eligible.
        let body = title("emulation_fighter_grassroots", 2024);
        c.json(reqwest::Method::POST, &format!("/api/v1/emulation/records/{id}/entries"), Some(body)).await;
        let (_, page) = c.page(&format!("/emulation/records/{id}/eligibility?{PROVINCIAL_2026}")).await;
        assert!(page.contains("id=\"eligible\"") && page.contains("Đủ tiêu chuẩn."), "{page}");
        // A wrong award or year is a field error.
        let (s, _) = c.page(&format!("/emulation/records/{id}/eligibility?award=badge&year=2026")).await;
        assert_eq!(s, 422);
        let r = c.get(&format!("/api/v1/emulation/records/{id}/eligibility?award=advanced_worker&year=20x6")).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    }
}

#[tokio::test]
async fn an_import_with_a_bad_row_stores_nothing_and_names_the_row() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let bad = "unit,kind,name,woman,year,rating,award,decision_no,decided_on,issuer\n\
                   TA,individual,Lê Văn Nam,,2025,excellent,advanced_worker,12/QĐ-UBND,2025-12-20,UBND phường\n\
                   TA,individual,Lê Văn Nam,,2026,xuat sac,,,,\n";
        let r = upload(&mut c, bad).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let page = r.text().await.unwrap();
        assert!(page.contains("Dòng 3"), "{page}");
        assert!(app.store.emulation_recipients(&["/".into()], None).await.unwrap().is_empty(), "nothing stored");

        let good = bad.replace("xuat sac", "good");
        let r = upload(&mut c, &good).await;
        assert_eq!(r.status().as_u16(), 303);
        let people = app.store.emulation_recipients(&["/".into()], None).await.unwrap();
        assert_eq!(people.len(), 1);
        let rows = app.store.emulation_record_rows(people[0].id).await.unwrap();
        assert_eq!(rows.ratings.len(), 2);
        assert_eq!(rows.titles[0].decision_no, "12/QĐ-UBND");

        // An officer of another ward may not import into ward A: the whole file is refused.
        let mut b = officer_b(&app, &f).await;
        let r = upload(&mut b, &good.replace("Lê Văn Nam", "Người khác")).await;
        assert_eq!(r.status().as_u16(), 403);
    }
}

#[tokio::test]
async fn records_are_for_the_person_their_leaders_and_the_emulation_officers() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        // The person has an account (the citizen's, here).
        let id = create(&mut officer, "Phạm Thu Trang", "citizen").await;
        let page = format!("/emulation/records/{id}");
        let api = format!("/api/v1/emulation/records/{id}");
        let rating = [("entry", "rating"), ("year", "2025"), ("rating", "good"), ("in_emulation", "on")];

        let mut b = officer_b(&app, &f).await;
        assert_eq!(b.get(&page).await.status().as_u16(), 403, "{}", app.backend);
        assert_eq!(b.get(&api).await.status().as_u16(), 403);
        assert_eq!(b.get(&format!("{page}/eligibility?{PROVINCIAL_2026}")).await.status().as_u16(), 403);
        assert_eq!(b.post_form(&format!("{page}/entries"), &rating).await.status().as_u16(), 403);
        let r = b
            .json(
                reqwest::Method::POST,
                &format!("{api}/entries"),
                Some(json!({"entry": "rating", "year": 2025, "rating": "good"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);
        assert!(app.store.emulation_record_rows(id).await.unwrap().ratings.is_empty());
        let (_, list) = b.page("/emulation").await;
        assert!(!list.contains("Phạm Thu Trang"));

        // The ward's leader reads but does not write; the viewer does not read.
        let mut leader = signed_in(&app, "leader_a").await;
        assert_eq!(leader.get(&page).await.status().as_u16(), 200);
        assert_eq!(leader.post_form(&format!("{page}/entries"), &rating).await.status().as_u16(), 403);
        let mut viewer = signed_in(&app, "viewer_a").await;
        assert_eq!(viewer.get(&page).await.status().as_u16(), 403);
        // The person reads their own record.
        let mut me = signed_in(&app, "citizen").await;
        assert_eq!(me.get(&page).await.status().as_u16(), 200);
        let (_, list) = me.page("/emulation").await;
        assert!(list.contains("Phạm Thu Trang"));
        assert_eq!(me.post_form(&format!("{page}/entries"), &rating).await.status().as_u16(), 403);

        // Anonymous: a sign-in redirect for the page, 401 for the API.
        let mut anon = app.client();
        let r = anon.get(&page).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?"));
        assert_eq!(anon.get(&api).await.status().as_u16(), 401);
    }
}

#[tokio::test]
async fn entries_without_the_csrf_token_are_refused() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let id = create(&mut c, "Đỗ Minh Quân", "").await;
        let form = [("entry", "rating"), ("year", "2025"), ("rating", "good")];
        let r = c.http.post(format!("{}/emulation/records/{id}/entries", app.url)).form(&form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let r = c
            .http
            .post(format!("{}/api/v1/emulation/records/{id}/entries", app.url))
            .json(&json!({"entry": "rating", "year": 2025, "rating": "good"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let r = c.http.post(format!("{}/emulation/import", app.url)).body("x").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert!(app.store.emulation_record_rows(id).await.unwrap().ratings.is_empty(), "{}", app.backend);
    }
}
