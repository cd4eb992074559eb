//! The resident's phone, through HTTP on SQLite and PostgreSQL: photos kept after a refused
//! form, tracking by code and phone (no hint whether a code exists, rate-limited), public
//! statuses only, the public figures by period, searching with everyday abbreviations.

use danvan_testkit::{CaseSpec, Client, Fixture, TestApp, PASSWORD};

fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Jpeg).expect("encode");
    out.into_inner()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The value of the hidden field `name` in a page.
fn hidden(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    Some(rest.split('"').next()?.to_string())
}

async fn send(c: &mut Client, fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> reqwest::Response {
    c.page("/cases/new").await;
    c.post_multipart("/cases/new", fields, files).await
}

#[tokio::test]
async fn a_refused_form_keeps_its_photos_for_the_next_try() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let started = danvan_testkit::started_ago(30);
        let mut citizen = app.client();
        let mut fields = vec![
            ("kind", "feedback"),
            ("category", "thoat-nuoc"),
            ("description", ""),
            ("place", ward.as_str()),
            ("address", "Ngõ 7 phố An Bình"),
            ("sender_phone", "0912 345 678"),
            ("publish", "on"),
            ("started", started.as_str()),
        ];
        // No description: refused, and the photo is kept (not decoded).
        let decoded = app.app.uploads.decoded();
        let r = send(&mut citizen, &fields, &[("photos", "cong-tac.jpg", photo(40, 30))]).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"kept-photos\"") && page.contains("cong-tac.jpg"), "the page names the kept photo");
        assert!(page.contains("href=\"#f-description\">Nội dung"), "the error summary names the field: {page}");
        assert_eq!(app.app.uploads.decoded(), decoded, "nothing decoded for a refused form");
        let token = hidden(&page, "pending").expect("the token of the kept photos");
        // A forged token brings nothing back; the right one brings the photo, without choosing it again.
        fields[2] = ("description", "Cống thoát nước đầu ngõ 7 bị tắc, nước tràn ra đường.");
        let mut with_token = fields.clone();
        with_token.push(("pending", token.as_str()));
        let r = send(&mut citizen, &with_token, &[]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let code = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        let atts = app.store.attachments(case.id).await.unwrap();
        assert_eq!(atts.len(), 1, "the kept photo is the case's");
        assert_eq!(atts[0].file_name, "cong-tac.jpg");
        // Taken once: the same token again brings nothing.
        let r = send(&mut citizen, &with_token, &[]).await;
        let code2 = location(&r).split('/').nth(2).unwrap_or("").split('?').next().unwrap_or("").to_string();
        if let Some(c2) = app.store.get_case_by_code(&code2).await.unwrap() {
            assert!(app.store.attachments(c2.id).await.unwrap().is_empty(), "a token serves once");
        }
    }
}

#[tokio::test]
async fn a_resident_finds_the_case_again_with_its_code_and_phone_and_nothing_else() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec = CaseSpec {
            description: "Đèn đường ngõ 3 bị hỏng nhiều ngày".into(),
            place: f.ward_a.id,
            phone: "0912 345 678",
            email: "lan@example.vn",
            ..Default::default()
        };
        let (c, _) = danvan_testkit::record_case(&app.store, &spec).await;
        let mut citizen = app.client();
        citizen.page("/track").await;
        // A wrong phone and an unknown code get the same answer.
        let wrong = citizen.post_form("/track", &[("code", &c.code), ("contact", "0987654321")]).await;
        let (ws, wrong_page) = (wrong.status().as_u16(), wrong.text().await.unwrap());
        let unknown = citizen.post_form("/track", &[("code", "PA-2026-999999"), ("contact", "0987654321")]).await;
        let (us, unknown_page) = (unknown.status().as_u16(), unknown.text().await.unwrap());
        assert_eq!((ws, us), (422, 422), "{}", app.backend);
        // The pages without the codes typed and the CSRF tokens.
        let strip = |p: &str| -> String {
            let p = p.replace(&c.code, "").replace("PA-2026-999999", "");
            let mut parts = p.split("name=\"_csrf\" value=\"");
            let mut out = parts.next().unwrap_or("").to_string();
            for rest in parts {
                out.push_str(rest.split_once('"').map(|(_, r)| r).unwrap_or(""));
            }
            out
        };
        assert_eq!(strip(&wrong_page), strip(&unknown_page), "nothing tells whether the code exists");
        // The right phone, as the resident may type it, and the e-mail: a fresh private link.
        for contact in ["+84 912 345 678", "LAN@example.vn"] {
            let r = citizen.post_form("/track", &[("code", &c.code.to_lowercase()), ("contact", contact)]).await;
            assert_eq!(r.status().as_u16(), 303, "{contact}");
            let to = location(&r);
            assert!(to.starts_with(&format!("/track/{}?s=", c.code)), "{to}");
            let (status, page) = citizen.page(&to).await;
            assert_eq!(status, 200);
            assert!(page.contains("Đèn đường ngõ 3"));
        }
        // A denunciation is never found by its sender's contact (whoever sees its code could
        // otherwise confirm a guessed number and get a link to the denouncer's identity): the
        // same answer as a wrong contact; its private link still works.
        let spec = CaseSpec {
            kind: "denunciation",
            description: "Tố cáo cán bộ phường nhận tiền".into(),
            place: f.ward_a.id,
            name: "Người Tố Cáo",
            phone: "0933 444 555",
            concerned_unit: "TA-1",
            ..Default::default()
        };
        let (d, secret) = danvan_testkit::record_case(&app.store, &spec).await;
        assert!(d.identity_protected);
        let r = citizen.post_form("/track", &[("code", &d.code), ("contact", "0933444555")]).await;
        assert_eq!(r.status().as_u16(), 422, "{}: the right number finds no denunciation", app.backend);
        let (status, _) = citizen.page(&format!("/track/{}?s={secret}", d.code)).await;
        assert_eq!(status, 200, "the denouncer's own link");
        // Rate-limited per address: 10 an hour, then 429 whatever is asked.
        let mut last = 0;
        for _ in 0..10 {
            last = citizen.post_form("/track", &[("code", "PA-2026-000001"), ("contact", "0900000000")]).await.status().as_u16();
        }
        assert_eq!(last, 429, "{}", app.backend);
    }
}

#[tokio::test]
async fn residents_see_public_statuses_and_figures_by_period() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec =
            CaseSpec {
                description: "Rác thải ùn ứ đầu ngõ 9 nhiều ngày".into(), place: f.ward_a.id, ..Default::default()
            };
        let (c, secret) = danvan_testkit::record_case(&app.store, &spec).await;
        // The officer drafts the answer: an internal step.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let act = [
            vec![("action", "accept")],
            vec![("action", "assign")],
            vec![("action", "start")],
            vec![("action", "draft_answer"), ("answer", "Phường đã cho thu gom rác.")],
        ];
        for fields in act {
            officer.page(&format!("/cases/{}", c.id)).await;
            let r = officer.post_form(&format!("/cases/{}/act", c.id), &fields).await;
            assert_eq!(r.status().as_u16(), 303, "{fields:?}");
        }
        assert_eq!(app.store.get_case(c.id).await.unwrap().status, "answer_drafted");
        let mut visitor = app.client();
        let (_, track) = visitor.page(&format!("/track/{}?s={secret}", c.code)).await;
        assert!(track.contains("Đang xử lý") && !track.contains("Đã dự thảo trả lời"), "{}", app.backend);
        let (status, list) = visitor.page("/public/cases?unit=TA").await;
        assert_eq!(status, 200);
        assert!(list.contains(&c.code) && list.contains("Đang xử lý") && !list.contains("Đã dự thảo trả lời"), "{list}");
        assert!(list.contains("id=\"figures-chart\"") && list.contains("<svg") && list.contains("id=\"figures-table\""));
        assert!(list.contains("12 tháng gần nhất") && list.contains("id=\"figures-period\""));
        let (status, year) = visitor.page("/public/cases?unit=TA&period=year").await;
        assert_eq!(status, 200);
        assert!(year.contains("value=\"year\" selected"));
        // Linked from the home page and the unit's page.
        let (_, unit) = visitor.page(&format!("/units/{}", f.ward_a.id)).await;
        assert!(unit.contains("/public/cases?unit=TA#figures"));
        let (_, home) = visitor.page("/").await;
        assert!(home.contains("id=\"figures-link\""));
    }
}

#[tokio::test]
async fn searches_understand_everyday_abbreviations() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let s = danvan_store::UnitSearch { q: "ubnd an binh".into(), limit: 10, ..Default::default() };
        let (units, _) = app.store.search_units(&s).await.unwrap();
        assert!(
            units.iter().any(|u| u.code == "TA-UB"),
            "{}: {:?}",
            app.backend,
            units.iter().map(|u| &u.name).collect::<Vec<_>>()
        );
        let s = danvan_store::UnitSearch { q: "P. An Bình".into(), limit: 10, ..Default::default() };
        let (units, _) = app.store.search_units(&s).await.unwrap();
        assert!(units.iter().any(|u| u.code == "TA"));
        // Officers' search of cases too.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (status, _) = officer.page("/inbox?q=ubnd").await;
        assert_eq!(status, 200);
    }
}

/// Issue 12's acceptance: a public visitor finds a case by typing its address without
/// diacritics — for a case recorded now, and for one written before the address joined the search
/// text, once the background job has rewritten it.
#[tokio::test]
async fn a_visitor_finds_a_case_by_its_address_typed_without_diacritics() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec = CaseSpec {
            description: "Đèn chiếu sáng không hoạt động.".into(), place: f.ward_a.id, ..Default::default()
        };
        let (c, _) = danvan_testkit::record_case(&app.store, &spec).await;
        let mut visitor = app.client();
        let (status, list) = visitor.page("/public/cases?q=ngo+5").await;
        assert_eq!(status, 200);
        assert!(list.contains(&c.code), "{}: found by its address 'Ngõ 5'", app.backend);
        // A row of the older recipe (title and description only) is rewritten by the job.
        let (old, _) = danvan_testkit::record_case(&app.store, &spec).await;
        app.store.set_case_search_for_test(old.id, "den chieu sang khong hoat dong", 1).await.unwrap();
        let (_, list) = visitor.page("/public/cases?q=ngo+5").await;
        assert!(!list.contains(&old.code), "{}", app.backend);
        assert_eq!(app.store.refresh_case_search(100).await.unwrap(), 1);
        assert_eq!(app.store.refresh_case_search(100).await.unwrap(), 0, "nothing left");
        let (_, list) = visitor.page("/public/cases?q=ngo+5").await;
        assert!(list.contains(&old.code) && list.contains(&c.code), "{}", app.backend);
    }
}
