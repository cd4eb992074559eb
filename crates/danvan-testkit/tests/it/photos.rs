//! Photos with cases and files with answers, through HTTP on SQLite and PostgreSQL: uploads on
//! the public form and the officer's intake, nothing half-saved when a file is refused, who may
//! fetch a photo, and Open311's `media_url`.

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

/// A small photo made in code: a JPEG, or a PNG, of the given size.
fn photo(w: u32, h: u32, png: bool) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(vec![]);
    let format = if png { image::ImageFormat::Png } else { image::ImageFormat::Jpeg };
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

fn fields<'a>(ward: &'a str, started: &'a str, kind: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", kind),
        ("category", "thoat-nuoc"),
        ("description", "Cống thoát nước đầu ngõ 7 bị tắc, có ảnh kèm theo."),
        ("place", ward),
        ("address", "Ngõ 7 phố An Bình"),
        ("sender_name", "Trần Văn Ảnh"),
        ("sender_phone", "0912 345 678"),
        ("sender_address", "Số 7 phố An Bình"),
        // Whom a denunciation concerns (other kinds ignore it).
        ("concerned_unit", "TA-1"),
        ("concerned_name", "Tổ trưởng"),
        ("publish", "on"),
        ("started", started),
    ]
}

async fn submit(c: &mut Client, ward: &str, kind: &str, files: &[(&str, &str, Vec<u8>)]) -> reqwest::Response {
    c.page("/cases/new").await;
    let started = danvan_testkit::started_ago(30);
    c.post_multipart("/cases/new", &fields(ward, &started, kind), files).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn file_ids(page: &str) -> Vec<i64> {
    page.split("href=\"/files/").skip(1).filter_map(|s| s.split(['"', '?', '/']).next()?.parse().ok()).collect()
}

fn count_files(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten().map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 }).sum()
}

async fn count_rows(app: &TestApp, table: &str) -> i64 {
    app.store.count_rows(table).await.expect("count")
}

#[tokio::test]
async fn a_citizen_sends_photos_that_show_on_every_page_that_may_show_them() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        let files = [("photos", "cong.jpg", photo(64, 48, false)), ("photos", "cong-2.png", photo(30, 40, true))];
        let r = submit(&mut citizen, &ward, "feedback", &files).await;
        assert_eq!(r.status().as_u16(), 303, "{}: {}", app.backend, r.text().await.unwrap_or_default());
        let track = location(&r);
        let (status, page) = citizen.page(&track).await;
        assert_eq!(status, 200);
        let ids = file_ids(&page);
        assert_eq!(ids.len(), 2, "two thumbnails on the tracking page: {page}");
        assert!(page.contains(&format!("/files/{}/thumb?s=", ids[0])), "the private link travels with the photo");
        let code = track.split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        let atts = app.store.attachments(case.id).await.unwrap();
        assert_eq!(atts.len(), 2);
        assert!(atts.iter().all(|a| a.content_type == "image/jpeg" && a.purpose == "photo"));
        assert_eq!((atts[0].width, atts[0].height), (Some(64), Some(48)));
        assert_eq!(count_files(&app.uploads_dir.join("tmp")), 0, "no temporary file left");

        // The full image and its thumbnail, as JPEG, to anyone since the case is public.
        let mut public = app.client();
        let r = public.get(&format!("/files/{}", ids[0])).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert!(r.headers()["cache-control"].to_str().unwrap().starts_with("public"));
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
        assert_eq!(public.get(&format!("/files/{}/thumb", ids[1])).await.status().as_u16(), 200);
        let (_, page) = public.page(&format!("/public/cases/{code}")).await;
        assert!(page.contains(&format!("/files/{}/thumb", ids[0])), "the public page shows the photos");

        // The handling officer sees them on the case page.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (_, page) = officer.page(&format!("/cases/{}", case.id)).await;
        assert!(page.contains(&format!("/files/{}/thumb", ids[1])), "{page}");
    }
}

#[tokio::test]
async fn a_refused_file_leaves_nothing_behind_and_keeps_the_other_fields() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        let before_cases = count_rows(&app, "cases").await;
        // A good photo, then a text file that calls itself a photo.
        let files = [("photos", "ok.jpg", photo(20, 20, false)), ("photos", "anh.jpg", b"<html>not a photo</html>".to_vec())];
        let r = submit(&mut citizen, &ward, "feedback", &files).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("Tệp không phải ảnh JPEG, PNG hoặc WebP"), "{body}");
        assert!(body.contains("Ngõ 7 phố An Bình") && body.contains("Trần Văn Ảnh"), "other fields kept");
        // Six photos: refused too, with its own message.
        let six: Vec<(&str, &str, Vec<u8>)> = (0..6).map(|_| ("photos", "a.png", photo(8, 8, true))).collect();
        let r = submit(&mut citizen, &ward, "feedback", &six).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("tối đa 5 ảnh"));
        // Over 10 MB: refused (the bytes are a valid JPEG header followed by padding).
        let mut big = photo(8, 8, false);
        big.resize(10 * 1024 * 1024 + 1, 0);
        let r = submit(&mut citizen, &ward, "feedback", &[("photos", "big.jpg", big)]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("không được quá 10 MB"));
        // Claiming huge dimensions: refused before decoding.
        let r = submit(&mut citizen, &ward, "feedback", &[("photos", "wide.png", photo(12_001, 1, true))]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("kích thước quá lớn"));
        // In English too.
        citizen.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let r = submit(&mut citizen, &ward, "feedback", &[("photos", "x.jpg", b"GIF89a....".to_vec())]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("not a JPEG, PNG or WebP photo"));

        assert_eq!(count_rows(&app, "cases").await, before_cases, "no case saved");
        assert_eq!(count_rows(&app, "attachments").await, 0, "no attachment row");
        assert_eq!(count_files(&app.uploads_dir), 0, "no file on disk");
    }
}

#[tokio::test]
async fn an_officer_records_a_case_with_a_photo_and_attaches_files_to_the_answer() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (status, _) = officer.page("/cases/record").await;
        assert_eq!(status, 200);
        let started = chrono::Utc::now().timestamp().to_string();
        let r = officer
            .post_multipart(
                "/cases/record",
                &[
                    ("kind", "feedback"),
                    ("category", "thoat-nuoc"),
                    ("description", "Công dân đến trình bày, mang theo ảnh chụp cống tắc."),
                    ("place_code", &f.ward_a.code),
                    ("address", "Ngõ 9"),
                    ("channel", "walk_in"),
                    ("sender_name", "Phạm Văn Bình"),
                    ("started", &started),
                ],
                &[("photos", "anh.webp.jpg", photo(50, 50, true))],
            )
            .await;
        let status = r.status().as_u16();
        let receipt = r.text().await.unwrap();
        assert_eq!(status, 200, "{}: receipt {receipt}", app.backend);
        let code = receipt.split("PA-").nth(1).map(|s| format!("PA-{}", &s[..11])).unwrap();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        let photos = app.store.attachments(case.id).await.unwrap();
        assert_eq!(photos.len(), 1, "a PNG named .jpg is taken for what it is and stored");

        // Answer files: a PDF and a photo; a script is refused.
        let (_, page) = officer.page(&format!("/cases/{}", case.id)).await;
        assert!(page.contains("id=\"f-files\""), "the officer may attach files");
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = officer.post_multipart(&format!("/cases/{}/files", case.id), &[], &[("files", "cong-van.pdf", pdf)]).await;
        assert_eq!(r.status().as_u16(), 303);
        let r = officer
            .post_multipart(&format!("/cases/{}/files", case.id), &[], &[("files", "x.pdf", b"#!/bin/sh\nrm -rf /".to_vec())])
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let all = app.store.attachments(case.id).await.unwrap();
        let pdf_att = all.iter().find(|a| a.purpose == "answer").expect("answer file");
        assert_eq!(pdf_att.content_type, "application/pdf");
        // Before the answer is sent, the public does not see the answer's file.
        let mut public = app.client();
        assert_eq!(public.get(&format!("/files/{}", pdf_att.id)).await.status().as_u16(), 404);
        let r = officer.get(&format!("/files/{}", pdf_att.id)).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        // Another ward's leader cannot add files, nor learn the case exists (404, as for an unknown one).
        let mut other = app.client();
        other.login("leader_b", PASSWORD).await;
        let r =
            other.post_multipart(&format!("/cases/{}/files", case.id), &[], &[("files", "a.pdf", b"%PDF-1.4".to_vec())]).await;
        assert_eq!(r.status().as_u16(), 404);
        // Text fields are capped (each is held in memory), and so is the number of parts.
        let long = "x".repeat(70 * 1024);
        let r = officer
            .post_multipart(&format!("/cases/{}/files", case.id), &[("note", &long)], &[("files", "a.pdf", b"%PDF-1.4".to_vec())])
            .await;
        assert_eq!(r.status().as_u16(), 400, "{}: a 70 KB text field", app.backend);
        let many: Vec<(&str, &str)> = (0..300).map(|_| ("x", "1")).collect();
        let r = officer.post_multipart(&format!("/cases/{}/files", case.id), &many, &[]).await;
        assert_eq!(r.status().as_u16(), 400, "{}: 300 parts", app.backend);
        // A multipart post without the CSRF token is refused.
        let form = reqwest::multipart::Form::new()
            .part("files", reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("a.pdf"));
        let r = officer.http.post(format!("{}/cases/{}/files", app.url, case.id)).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(app.store.attachments(case.id).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn who_may_fetch_a_photo() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        // A private case (not published) and a denunciation (never public), each with a photo.
        let started = danvan_testkit::started_ago(30);
        citizen.page("/cases/new").await;
        let mut private_fields = fields(&ward, &started, "feedback");
        private_fields.retain(|(k, _)| *k != "publish");
        let r = citizen.post_multipart("/cases/new", &private_fields, &[("photos", "a.jpg", photo(10, 10, false))]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let private_track = location(&r);
        let r = submit(&mut citizen, &ward, "denunciation", &[("photos", "b.jpg", photo(10, 10, false))]).await;
        assert_eq!(r.status().as_u16(), 303);
        let denunciation_track = location(&r);
        for track in [private_track, denunciation_track] {
            let (_, page) = citizen.page(&track).await;
            let id = file_ids(&page)[0];
            let secret = track.split("s=").nth(1).unwrap().split('&').next().unwrap();
            // The private link's holder may; its response is kept out of caches.
            let r = citizen.get(&format!("/files/{id}?s={secret}")).await;
            assert_eq!(r.status().as_u16(), 200, "{track}");
            assert_eq!(r.headers()["cache-control"], "private, no-store");
            // The public, a wrong secret, another unit's leader: as if it did not exist.
            let mut public = app.client();
            assert_eq!(public.get(&format!("/files/{id}")).await.status().as_u16(), 404);
            assert_eq!(public.get(&format!("/files/{id}/thumb?s=wrong")).await.status().as_u16(), 404);
            let mut other = app.client();
            other.login("leader_b", PASSWORD).await;
            assert_eq!(other.get(&format!("/files/{id}")).await.status().as_u16(), 404);
            // The handling unit's officer may.
            let mut officer = app.client();
            officer.login("officer_a", PASSWORD).await;
            assert_eq!(officer.get(&format!("/files/{id}")).await.status().as_u16(), 200);
        }
        assert_eq!(app.client().get("/files/999999").await.status().as_u16(), 404);
    }
}

#[tokio::test]
async fn open311_requests_show_the_first_photo_of_a_public_case_as_media_url() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        let files = [("photos", "1.jpg", photo(16, 16, false)), ("photos", "2.jpg", photo(16, 16, false))];
        let r = submit(&mut citizen, &ward, "feedback", &files).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let code = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        let first = app.store.attachments(case.id).await.unwrap()[0].id;
        let body = reqwest::get(format!("{}/open311/v2/requests/{code}.json", app.url)).await.unwrap().text().await.unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let media = v[0]["media_url"].as_str().expect("media_url").to_string();
        assert!(media.ends_with(&format!("/files/{first}")), "{media}");
        let r = reqwest::get(&media).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        // Forwarded headers are not trusted here (trust_proxy off): they cannot point the link
        // elsewhere.
        let spoofed: serde_json::Value = reqwest::Client::new()
            .get(format!("{}/open311/v2/requests/{code}.json", app.url))
            .header("X-Forwarded-Host", "evil.example")
            .header("X-Forwarded-Proto", "https")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(spoofed[0]["media_url"].as_str(), Some(media.as_str()), "{}", app.backend);
        // The list says the same; XML too.
        let list = reqwest::get(format!("{}/open311/v2/requests.json?service_request_id={code}", app.url)).await.unwrap();
        let list: serde_json::Value = list.json().await.unwrap();
        assert_eq!(list[0]["media_url"].as_str(), Some(media.as_str()));
        let xml = reqwest::get(format!("{}/open311/v2/requests/{code}.xml", app.url)).await.unwrap().text().await.unwrap();
        assert!(xml.contains(&format!("/files/{first}</media_url>")), "{xml}");
        // A public case without photos has none.
        let r = submit(&mut citizen, &ward, "feedback", &[]).await;
        let code = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
        let v: serde_json::Value =
            reqwest::get(format!("{}/open311/v2/requests/{code}.json", app.url)).await.unwrap().json().await.unwrap();
        assert!(v[0]["media_url"].is_null());
    }
}

#[tokio::test]
async fn open311_clients_may_send_photos_as_files_and_media_urls_are_never_echoed() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&danvan_store::AuditCtx::system("test"), "City app").await.unwrap();
        let form = |media: Vec<u8>| {
            reqwest::multipart::Form::new()
                .text("service_code", "thoat-nuoc")
                .text("description", "Cống trước chợ An Bình bị tắc, ảnh kèm theo.")
                .text("address_id", "TA")
                .text("media_url", "https://img.example/x.jpg")
                .text("media_url", "javascript:alert(1)")
                .part("media", reqwest::multipart::Part::bytes(media).file_name("a.jpg"))
        };
        // With photos the key travels in the query, so it is checked before the body is read.
        let bare = format!("{}/open311/v2/requests.json", app.url);
        let r = reqwest::Client::new()
            .post(&bare)
            .multipart(form(photo(30, 20, false)).text("api_key", key.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{}: multipart without the key in the query", app.backend);
        let r = reqwest::Client::new()
            .post(format!("{bare}?api_key=nope"))
            .multipart(form(photo(30, 20, false)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(count_rows(&app, "cases").await, 0);
        let url = format!("{bare}?api_key={key}");
        // A file that is not a photo: 400, nothing recorded.
        let r = reqwest::Client::new().post(&url).multipart(form(b"%PDF-1.4".to_vec())).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("media: The file is not a JPEG"));
        assert_eq!(count_rows(&app, "cases").await, 0);
        assert_eq!(count_files(&app.uploads_dir), 0);
        // A photo: recorded with the case and shown as its media_url.
        let r = reqwest::Client::new().post(&url).multipart(form(photo(30, 20, false))).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        let created: serde_json::Value = r.json().await.unwrap();
        let code = created[0]["service_request_id"].as_str().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        let atts = app.store.attachments(case.id).await.unwrap();
        assert_eq!(atts.len(), 1);
        let v: serde_json::Value =
            reqwest::get(format!("{}/open311/v2/requests/{code}.json", app.url)).await.unwrap().json().await.unwrap();
        assert!(v[0]["media_url"].as_str().unwrap().ends_with(&format!("/files/{}", atts[0].id)));
        // The client's own references are kept for the officers (valid ones only), never public.
        let events = app.store.case_events(case.id, false).await.unwrap();
        let notes: Vec<&str> = events.iter().map(|e| e.note.as_str()).collect();
        assert!(notes.iter().any(|n| n.contains("https://img.example/x.jpg")), "{notes:?}");
        assert!(!notes.iter().any(|n| n.contains("javascript:")), "{notes:?}");
        let list = reqwest::get(format!("{}/open311/v2/requests.json?service_request_id={code}", app.url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!list.contains("img.example"), "{list}");
    }
}
