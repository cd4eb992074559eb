//! The server under abuse, through its real routes (issue 10): slow request bodies, costly
//! refused forms, parallel attempts against the limits, a forged form start time, and the last
//! administrator. On SQLite and PostgreSQL.

use danvan_store::AuditCtx;
use danvan_testkit::{case_in, started_ago, Client, Fixture, TestApp, PASSWORD};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 3) as u8, (y * 7) as u8, 90]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).expect("encode");
    out.into_inner()
}

fn public_fields<'a>(ward: &'a str, description: &'a str, started: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "feedback"),
        ("category", "thoat-nuoc"),
        ("description", description),
        ("place", ward),
        ("address", "Ngõ 3 phố An Bình"),
        ("publish", "on"),
        ("started", started),
    ]
}

/// Opens a raw connection that sends a multipart upload's headers and the start of a file part,
/// then one byte a second. Returns what the server answered (within 60 s).
async fn slow_upload(app: &TestApp, path: &str, extra_headers: &str, file_field: &str) -> tokio::task::JoinHandle<String> {
    let addr = app.url.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 1000000\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.expect("headers");
    tokio::spawn(async move {
        let (mut r, mut w) = s.into_split();
        let trickle = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if w.write_all(b"x").await.is_err() {
                    break;
                }
            }
        });
        // The answer, read until the server closes or goes quiet once it began.
        let mut got = vec![];
        let mut buf = [0u8; 4096];
        let mut wait = Duration::from_secs(60);
        while let Ok(Ok(n)) = tokio::time::timeout(wait, r.read(&mut buf)).await {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
            wait = Duration::from_secs(2);
        }
        trickle.abort();
        String::from_utf8_lossy(&got).into_owned()
    })
}

#[tokio::test]
async fn slow_bodies_hold_no_upload_slot_and_are_cut_with_408() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let (_, key) = app.store.create_open311_key(&ctx, "City app").await.unwrap();
        let officer = app.store.get_account_by_username("officer_a").await.unwrap().unwrap();
        let (_, token) = app.store.create_api_token(&ctx, officer.id, "slow").await.unwrap();
        let csrf = "ab".repeat(32);
        // More slow senders than there are upload slots, on every upload route.
        let mut slow = vec![];
        for _ in 0..2 {
            slow.push(slow_upload(&app, "/cases/record", &format!("Authorization: Bearer {token}\r\n"), "photos").await);
            slow.push(
                slow_upload(&app, &format!("/cases/new?_csrf={csrf}"), &format!("Cookie: dv_csrf={csrf}\r\n"), "photos").await,
            );
        }
        let slow_open311 = slow_upload(&app, &format!("/open311/v2/requests.json?api_key={key}"), "", "media").await;
        let slow_xml = slow_upload(&app, &format!("/open311/v2/requests.xml?api_key={key}"), "", "media").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        // Meanwhile an officer's upload and an Open311 client's go through.
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        c.page("/cases/record").await;
        let started = started_ago(5);
        let fields = [
            ("kind", "feedback"),
            ("category", "thoat-nuoc"),
            ("description", "Công dân mang ảnh cống tắc đến trụ sở phường."),
            ("place_code", f.ward_a.code.as_str()),
            ("address", "Ngõ 9"),
            ("channel", "walk_in"),
            ("started", started.as_str()),
        ];
        let r = c.post_multipart("/cases/record", &fields, &[("photos", "a.png", png(40, 30))]).await;
        assert_eq!(r.status().as_u16(), 200, "{}: the officer's upload while slow clients send", app.backend);
        let form = reqwest::multipart::Form::new()
            .text("service_code", "thoat-nuoc")
            .text("description", "Cống trước chợ An Bình bị tắc, ảnh kèm theo.")
            .text("address_id", "TA")
            .part("media", reqwest::multipart::Part::bytes(png(30, 20)).file_name("a.png"));
        let r = reqwest::Client::new()
            .post(format!("{}/open311/v2/requests.json?api_key={key}", app.url))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}: an Open311 upload while slow clients send", app.backend);
        // The slow senders are cut off after the grace period, each in its route's format.
        for h in slow {
            let answer = h.await.unwrap();
            assert!(answer.starts_with("HTTP/1.1 408"), "{}: {answer}", app.backend);
        }
        let json = slow_open311.await.unwrap();
        assert!(json.starts_with("HTTP/1.1 408"), "{json}");
        assert!(json.contains("application/json") && json.contains("[{\"code\":408,\"description\":"), "{json}");
        let xml = slow_xml.await.unwrap();
        assert!(xml.starts_with("HTTP/1.1 408"), "{xml}");
        assert!(xml.contains("<errors><error><code>408</code>"), "{xml}");
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 2, "{}", app.backend);
    }
}

#[tokio::test]
async fn open311_answers_a_body_over_the_limit_in_its_own_format() {
    let app = TestApp::sqlite().await;
    let addr = app.url.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let head = format!(
        "POST /open311/v2/requests.xml?api_key=x HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 99000000\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut got = vec![];
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut got)).await;
    let answer = String::from_utf8_lossy(&got);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("<errors><error><code>413</code>"), "{answer}");
}

#[tokio::test]
async fn a_refused_public_form_decodes_no_photo_and_every_attempt_counts() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut c = app.client();
        c.page("/cases/new").await;
        let started = started_ago(30);
        // An empty description with five photos: the field error, and not one photo decoded.
        let photos: Vec<(&str, &str, Vec<u8>)> = (0..5).map(|_| ("photos", "p.png", png(64, 48))).collect();
        let r = c.post_multipart("/cases/new", &public_fields(&ward, "", &started), &photos).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("id=\"f-description-error\""), "{}", app.backend);
        assert_eq!(app.app.uploads.decoded(), 0, "{}: photos decoded for a refused form", app.backend);
        // Refused attempts count too: 20 in the hour, then even a good form is refused.
        for _ in 1..20 {
            let r = c.post_form("/cases/new", &public_fields(&ward, "ngắn", &started)).await;
            assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        }
        let good = "Cống thoát nước đầu ngõ 3 bị tắc nhiều ngày.";
        let r = c.post_form("/cases/new", &public_fields(&ward, good, &started)).await;
        assert_eq!(r.status().as_u16(), 429, "{}: the 21st attempt", app.backend);
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 0);
    }
}

#[tokio::test]
async fn parallel_attempts_are_checked_and_counted_in_one_step() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        // Ten wrong passwords at once against a limit of five.
        let mut tasks = vec![];
        for _ in 0..10 {
            let mut c = app.client();
            c.page("/login").await;
            tasks.push(tokio::spawn(async move {
                let r = c.post_form("/login", &[("username", "officer_a"), ("password", "wrong password")]).await;
                r.status().as_u16()
            }));
        }
        let mut statuses = vec![];
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [vec![422; 5], vec![429; 5]].concat(), "{}", app.backend);
        assert_eq!(app.client().login("officer_a", PASSWORD).await.status().as_u16(), 429, "{}", app.backend);
        // Twenty-five public forms at once against a limit of twenty an hour.
        let ward = f.ward_a.id.to_string();
        let mut tasks = vec![];
        for i in 0..25 {
            let mut c = app.client();
            c.page("/cases/new").await;
            let ward = ward.clone();
            tasks.push(tokio::spawn(async move {
                let description = format!("Đèn đường số {i} trên phố An Bình không sáng.");
                let started = started_ago(30);
                c.post_form("/cases/new", &public_fields(&ward, &description, &started)).await.status().as_u16()
            }));
        }
        let mut statuses = vec![];
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [vec![303; 20], vec![429; 5]].concat(), "{}", app.backend);
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 20, "{}", app.backend);
    }
}

#[tokio::test]
async fn the_forms_start_time_is_signed_by_the_server() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut c = app.client();
        let (_, page) = c.page("/cases/new").await;
        let shown = page.split("name=\"started\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
        let at = danvan_app::cases::spam::verify_started(danvan_testkit::FORM_KEY, &shown).expect("a signed start time");
        assert!((chrono::Utc::now().timestamp() - at).abs() < 5);
        let description = "Cống thoát nước đầu ngõ 3 bị tắc nhiều ngày.";
        let old = (chrono::Utc::now().timestamp() - 30).to_string();
        let forged = danvan_app::cases::spam::sign_started(b"another key", chrono::Utc::now().timestamp() - 30);
        let future = danvan_app::cases::spam::sign_started(danvan_testkit::FORM_KEY, chrono::Utc::now().timestamp() + 60);
        let too_fast = started_ago(0);
        let replayed = started_ago(danvan_domain::cases::spam::MAX_FORM_AGE_SECONDS + 60);
        // Missing or not signed by the server: a script, refused outright.
        for started in ["0", "", old.as_str(), forged.as_str()] {
            let r = c.post_form("/cases/new", &public_fields(&ward, description, started)).await;
            assert_eq!(r.status().as_u16(), 400, "{}: started = {started:?}", app.backend);
        }
        // Signed but sent too soon (or a day later): a person may be fast or leave a tab open, so
        // the form comes back with what they typed and the reason, and nothing is saved.
        for started in [future.as_str(), too_fast.as_str(), replayed.as_str(), shown.as_str()] {
            let r = c.post_form("/cases/new", &public_fields(&ward, description, started)).await;
            assert_eq!(r.status().as_u16(), 422, "{}: started = {started:?}", app.backend);
            let page = r.text().await.unwrap();
            assert!(page.contains(description) && page.contains("Biểu mẫu được gửi quá nhanh"), "{}", app.backend);
        }
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 0);
        let r = c.post_form("/cases/new", &public_fields(&ward, description, &started_ago(30))).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
    }
}

#[tokio::test]
async fn the_form_key_is_made_once_per_database_and_shared_by_nodes() {
    for app in TestApp::each_backend().await {
        let key = app.store.form_key().await.unwrap();
        assert_eq!(key.len(), 64);
        assert_eq!(app.store.form_key().await.unwrap(), key);
        let other_node = danvan_store::Store::connect_without_migrating(&app.db_url).await.unwrap();
        assert_eq!(other_node.form_key().await.unwrap(), key, "{}", app.backend);
        other_node.close().await;
    }
}

async fn admin_memberships(app: &TestApp, username: &str) -> (i64, Vec<i64>) {
    let acc = app.store.get_account_by_username(username).await.unwrap().unwrap();
    let admin = danvan_domain::authz::system_roles();
    let ids = app.store.memberships_of(acc.id).await.unwrap().iter().filter(|m| admin.contains(&m.role)).map(|m| m.id).collect();
    (acc.id, ids)
}

/// Accounts that are active and hold the administrators' role.
async fn active_admins(app: &TestApp) -> usize {
    let mut n = 0;
    for name in ["admin", "admin2"] {
        if app.store.get_account_by_username(name).await.unwrap().is_none() {
            continue;
        }
        let (id, ids) = admin_memberships(app, name).await;
        if !ids.is_empty() && app.store.get_account(id).await.unwrap().active {
            n += 1;
        }
    }
    n
}

async fn signed_in(app: &TestApp, username: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(username, PASSWORD).await.status().as_u16(), 303);
    c
}

#[tokio::test]
async fn the_last_active_administrator_is_never_removed_nor_locked() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let (admin_id, own) = admin_memberships(&app, "admin").await;
        let mut admin = signed_in(&app, "admin").await;
        // Alone, the administrator cannot drop the role: not by the page, not by the API.
        admin.page(&format!("/admin/accounts/{admin_id}")).await;
        let r = admin.post_form(&format!("/admin/memberships/{}/delete", own[0]), &[]).await;
        assert_eq!(r.status().as_u16(), 409, "{}: the page", app.backend);
        let r = admin.json(reqwest::Method::DELETE, &format!("/api/v1/memberships/{}", own[0]), None).await;
        assert_eq!(r.status().as_u16(), 409, "{}: the API", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["key"], "error.last_admin");
        // Nor can the account be locked, whoever asks the store (the CLI and jobs call it).
        assert!(app.store.set_account_active(&ctx, admin_id, false).await.is_err(), "{}", app.backend);
        assert_eq!(active_admins(&app).await, 1);
        // Two administrators removing each other at once leave one.
        let draft = danvan_domain::org::account::AccountDraft {
            username: "admin2".into(),
            full_name: "Quản trị Hai".into(),
            email: None,
            phone: None,
        };
        let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
        let second = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
        let admin_role = danvan_domain::authz::system_roles()[0];
        app.store.add_membership(&ctx, second.id, f.city.id, admin_role, "").await.unwrap();
        let (_, theirs) = admin_memberships(&app, "admin2").await;
        let mut admin2 = signed_in(&app, "admin2").await;
        admin2.page("/").await;
        let (to_theirs, to_mine) = (format!("/api/v1/memberships/{}", theirs[0]), format!("/api/v1/memberships/{}", own[0]));
        let (a, b) = tokio::join!(
            admin.json(reqwest::Method::DELETE, &to_theirs, None),
            admin2.json(reqwest::Method::DELETE, &to_mine, None),
        );
        let done = [a.status().as_u16(), b.status().as_u16()].iter().filter(|s| **s == 204).count();
        assert_eq!(done, 1, "{}: exactly one removal", app.backend);
        assert_eq!(active_admins(&app).await, 1, "{}", app.backend);
        // Both administrators again; locking each other at once leaves one active.
        for (name, id) in [("admin", admin_id), ("admin2", second.id)] {
            if admin_memberships(&app, name).await.1.is_empty() {
                app.store.add_membership(&ctx, id, f.city.id, admin_role, "").await.unwrap();
            }
        }
        let mut admin = signed_in(&app, "admin").await;
        let mut admin2 = signed_in(&app, "admin2").await;
        admin.page(&format!("/admin/accounts/{}", second.id)).await;
        admin2.page(&format!("/admin/accounts/{admin_id}")).await;
        let (lock_theirs, lock_mine) =
            (format!("/admin/accounts/{}/active", second.id), format!("/admin/accounts/{admin_id}/active"));
        let (a, b) = tokio::join!(
            admin.post_form(&lock_theirs, &[("active", "false")]),
            admin2.post_form(&lock_mine, &[("active", "false")]),
        );
        let done = [a.status().as_u16(), b.status().as_u16()].iter().filter(|s| **s == 303).count();
        assert_eq!(done, 1, "{}: exactly one lock", app.backend);
        assert_eq!(active_admins(&app).await, 1, "{}", app.backend);
    }
}

/// Leftover of finding 5: every route that takes photos has the use case check the rest first,
/// so none decodes a photo for a submission bound to be refused — officers' intake with an
/// empty description or a denunciation concerning nobody, a sixth photo on any form, an Open311
/// request without a description, an eleventh file on an answer.
#[tokio::test]
async fn no_route_decodes_a_photo_for_a_refused_submission() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let b = app.backend;
        let photos = |field: &'static str, n: usize| (0..n).map(|_| (field, "p.png", png(64, 48))).collect::<Vec<_>>();
        let good = "Cống thoát nước đầu ngõ 9 bị tắc nhiều ngày.";
        let record = |kind: &'static str, description: &'static str| {
            vec![
                ("kind", kind),
                ("category", "thoat-nuoc"),
                ("description", description),
                ("place_code", "TA"),
                ("address", "Ngõ 9"),
                ("channel", "walk_in"),
            ]
        };
        let mut officer = signed_in(&app, "officer_a").await;
        officer.page("/cases/record").await;
        let r = officer.post_multipart("/cases/record", &record("feedback", ""), &photos("photos", 5)).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("id=\"f-description-error\""), "{b}");
        assert_eq!(app.app.uploads.decoded(), 0, "{b}: officers' intake decoded photos of a form without a description");
        let denounce = "Cán bộ địa chính phường nhận tiền khi làm giấy tờ đất cho dân.";
        let r = officer.post_multipart("/cases/record", &record("denunciation", denounce), &photos("photos", 2)).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert_eq!(app.app.uploads.decoded(), 0, "{b}: a denunciation concerning nobody");
        let r = officer.post_multipart("/cases/record", &record("feedback", good), &photos("photos", 6)).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("id=\"f-photos-error\""), "{b}");
        assert_eq!(app.app.uploads.decoded(), 0, "{b}: five photos decoded before the sixth was refused");

        // The public form and Open311 alike.
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        citizen.page("/cases/new").await;
        let started = started_ago(30);
        let r = citizen.post_multipart("/cases/new", &public_fields(&ward, good, &started), &photos("photos", 6)).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert_eq!(app.app.uploads.decoded(), 0, "{b}: the public form with six photos");
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "City app").await.unwrap();
        for (description, n) in [("", 1), (good, 6)] {
            let mut form = reqwest::multipart::Form::new()
                .text("service_code", "thoat-nuoc")
                .text("description", description)
                .text("address_id", "TA");
            for _ in 0..n {
                form = form.part("media", reqwest::multipart::Part::bytes(png(64, 48)).file_name("p.png"));
            }
            let r = reqwest::Client::new()
                .post(format!("{}/open311/v2/requests.json?api_key={key}", app.url))
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 400, "{b}: Open311 with {n} photos");
            assert_eq!(app.app.uploads.decoded(), 0, "{b}: Open311 with {n} photos");
        }

        // An answer's files: an eleventh refuses the lot before any is decoded.
        let case = case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Feedback, "Người gửi", true).await;
        officer.page(&format!("/cases/{}", case.id)).await;
        let r = officer.post_multipart(&format!("/cases/{}/files", case.id), &[], &photos("files", 11)).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert_eq!(app.app.uploads.decoded(), 0, "{b}: ten answer files decoded before the eleventh was refused");
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 1, "{b}");

        // Good submissions still go through, each photo decoded once.
        let r = officer.post_multipart(&format!("/cases/{}/files", case.id), &[], &photos("files", 2)).await;
        assert_eq!(r.status().as_u16(), 303, "{b}");
        let r = officer.post_multipart("/cases/record", &record("feedback", good), &photos("photos", 1)).await;
        assert_eq!(r.status().as_u16(), 200, "{b}");
        assert_eq!(app.app.uploads.decoded(), 3, "{b}");
    }
}

/// Leftover of finding 7: changing one's own password asks for the current one, and guessing it
/// (with a stolen session) is limited like signing in — the same limits, checked and counted in
/// one step, shared with sign-in — with every wrong or refused try in the audit log.
#[tokio::test]
async fn guessing_the_current_password_is_limited_like_signing_in() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let b = app.backend;
        let mut c = signed_in(&app, "officer_a").await;
        c.page("/account").await;
        let new = "một mật khẩu mới dài";
        // Ten wrong guesses at once, in the same session, against a limit of five.
        let mut tasks = vec![];
        for i in 0..10 {
            let mut same = Client { http: c.http.clone(), base: c.base.clone(), csrf: c.csrf.clone() };
            tasks.push(tokio::spawn(async move {
                let guess = format!("đoán sai {i}");
                let r = same.post_form("/account/password", &[("current_password", &guess), ("new_password", new)]).await;
                r.status().as_u16()
            }));
        }
        let mut statuses = vec![];
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [vec![422; 5], vec![429; 5]].concat(), "{}", b);
        // Now even the right one is refused, next to the field; and signing in too.
        let r = c.post_form("/account/password", &[("current_password", PASSWORD), ("new_password", new)]).await;
        assert_eq!(r.status().as_u16(), 429, "{b}");
        assert!(r.text().await.unwrap().contains("id=\"f-current_password-error\""), "{b}");
        assert_eq!(app.client().login("officer_a", PASSWORD).await.status().as_u16(), 429, "{b}");
        let hash = app.store.get_account_by_username("officer_a").await.unwrap().unwrap().password_hash;
        assert!(danvan_app::org::accounts::verify_password(PASSWORD.into(), hash).await, "{b}: unchanged");
        // Each wrong and refused try is in the audit log.
        for (action, n) in [("account.password_failed", 5), ("account.password_refused", 6)] {
            let filter = danvan_store::AuditFilter { action: Some(action.into()), limit: 100, ..Default::default() };
            assert_eq!(app.store.list_audit(&filter).await.unwrap().1, n, "{b} {action}");
        }

        // Right the first time: the change is made and takes nothing from the limit.
        let mut other = signed_in(&app, "leader_a").await;
        other.page("/account").await;
        let r = other.post_form("/account/password", &[("current_password", PASSWORD), ("new_password", new)]).await;
        assert_eq!(r.status().as_u16(), 303, "{b}");
        assert_eq!(app.client().login("leader_a", new).await.status().as_u16(), 303, "{b}");
    }
}
