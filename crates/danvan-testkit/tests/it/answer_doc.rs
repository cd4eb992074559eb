//! The answer as the unit's printable document (Decree 30/2020 layout), on SQLite and PostgreSQL:
//! the officer's, the citizen's (private link) and the public version, and who sees the name.

use danvan_domain::cases::document::date_in_words;
use danvan_domain::Role;
use danvan_store::AuditCtx;
use danvan_testkit::{record_case, CaseSpec, Client, Fixture, TestApp, PASSWORD};

async fn act(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    c.page(&format!("/cases/{id}")).await;
    let r = c.post_form(&format!("/cases/{id}/act"), fields).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

/// Takes an accepted case through assignment, a draft, sign-off by leader_a and sending.
async fn answer(officer: &mut Client, leader: &mut Client, id: i64, text: &str, with_file: bool) {
    // The leader assigns (a denunciation's officer never assigns it to themselves).
    for (by_leader, step) in [(false, "accept"), (true, "assign"), (false, "start")] {
        let who = if by_leader { &mut *leader } else { &mut *officer };
        let (status, body) = act(who, id, &[("action", step), ("assignee", "officer_a")]).await;
        assert_eq!(status, 303, "{step}: {body}");
    }
    let (status, body) = act(officer, id, &[("action", "draft_answer"), ("answer", text)]).await;
    assert_eq!(status, 303, "draft: {body}");
    if with_file {
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = officer.post_multipart(&format!("/cases/{id}/files"), &[], &[("files", "bien-ban-nao-vet.pdf", pdf)]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
    let (status, body) = act(leader, id, &[("action", "approve_answer")]).await;
    assert_eq!(status, 303, "approve: {body}");
    let (status, body) = act(officer, id, &[("action", "send_answer")]).await;
    assert_eq!(status, 303, "send: {body}");
}

#[tokio::test]
async fn the_sent_answer_prints_as_the_units_document() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        // leader_a also chairs the ward's people's committee: the signer block shows it.
        let leader_id = app.store.get_account_by_username("leader_a").await.unwrap().unwrap().id;
        app.store.add_membership(&AuditCtx::system("test"), leader_id, f.committee_a.id, Role::Leader, "Chủ tịch").await.unwrap();
        let (case, secret) = record_case(
            &app.store,
            &CaseSpec {
                description: "Cống thoát nước đầu ngõ 5 bị tắc.".into(),
                place: f.ward_a.id,
                name: "Lê Thị Hoa",
                phone: "0987654321",
                ..Default::default()
            },
        )
        .await;
        assert_eq!(case.unit_id, f.committee_a.id);
        let (code, id) = (case.code.clone(), case.id);
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let mut leader = app.client();
        leader.login("leader_a", PASSWORD).await;
        let mut public = app.client();
        let print = format!("/cases/{id}/answer/print");
        let track_doc = format!("/track/{code}/answer?s={secret}");
        let public_doc = format!("/public/cases/{code}/answer");

        // Nothing to print before the answer is sent: 409 for the officer, 404 for the others.
        let (status, page) = officer.page(&print).await;
        assert_eq!(status, 409, "{}", app.backend);
        assert!(page.contains("chưa được gửi"), "the officer is told why");
        assert_eq!(public.get(&track_doc).await.status().as_u16(), 404);
        assert_eq!(public.get(&public_doc).await.status().as_u16(), 404);

        let text = "Kính gửi Bà,\nPhường đã nạo vét cống ngày 28/11.\n<script>alert(1)</script>";
        answer(&mut officer, &mut leader, id, text, true).await;
        let a = app.store.answer(id).await.unwrap().unwrap();
        let signed = a.approved_at.unwrap().with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
        let day = date_in_words(signed);

        // The officer's version.
        let r = officer.get(&print).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(r.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
        let doc = r.text().await.unwrap();
        for part in [
            "Số: 1/UBND-TL",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH",
            "VĂN BẢN TRẢ LỜI",
            &format!("V/v trả lời phản ánh, kiến nghị mã {code}"),
            &format!("An Bình, {day}"),
            "Kính gửi: Ông/Bà Lê Thị Hoa",
            "Phường đã nạo vét cống ngày 28/11.",
            "bien-ban-nao-vet.pdf",
            "Nơi nhận:",
            "Lưu: VT.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Người dùng leader_a",
        ] {
            assert!(doc.contains(part), "{}: missing {part:?}", app.backend);
        }
        // The body is text: its HTML is escaped, its line breaks kept (pre-wrap).
        assert!(
            doc.contains("&#60;script&#62;alert(1)&#60;/script&#62;") && !doc.contains("<script>alert"),
            "escaped: {}",
            doc.split("id=\"doc-text\"").nth(1).unwrap_or("").chars().take(300).collect::<String>()
        );
        assert!(doc.contains("Kính gửi Bà,\nPhường đã"), "line breaks kept");
        // The officer's case page links to it.
        let (_, page) = officer.page(&format!("/cases/{id}")).await;
        assert!(page.contains(&print), "case page links the document");

        // A viewer may open the case but not the contact: the document names no one.
        let mut viewer = app.client();
        viewer.login("viewer_a", PASSWORD).await;
        let (status, doc) = viewer.page(&print).await;
        assert_eq!(status, 200);
        assert!(doc.contains("1/UBND-TL") && !doc.contains("Lê Thị Hoa") && doc.contains("Kính gửi: Người phản ánh, kiến nghị"));
        // Another ward's leader and strangers get nothing.
        let mut other = app.client();
        other.login("leader_b", PASSWORD).await;
        assert_eq!(other.get(&print).await.status().as_u16(), 403);
        assert_ne!(public.get(&print).await.status().as_u16(), 200);

        // The citizen's version, through the private link; a wrong secret is an unknown case.
        let (_, track) = public.page(&format!("/track/{code}?s={secret}")).await;
        assert!(track.contains(&format!("/track/{code}/answer?s=")), "tracking page links the document");
        let r = public.get(&track_doc).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
        let doc = r.text().await.unwrap();
        assert!(doc.contains("Số: 1/UBND-TL") && doc.contains(&day) && doc.contains("Kính gửi: Ông/Bà Lê Thị Hoa"));
        assert_eq!(public.get(&format!("/track/{code}/answer?s=wrong")).await.status().as_u16(), 404);
        assert_eq!(public.get(&format!("/track/{code}/answer")).await.status().as_u16(), 404);

        // The public version: the document, without personal data.
        let (_, page) = public.page(&format!("/public/cases/{code}")).await;
        assert!(page.contains(&public_doc), "public page links the document");
        let (status, doc) = public.page(&public_doc).await;
        assert_eq!(status, 200);
        assert!(doc.contains("Số: 1/UBND-TL") && doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && doc.contains(&day));
        assert!(doc.contains("Kính gửi: Người phản ánh, kiến nghị"));
        assert!(
            !doc.contains("Lê Thị Hoa") && !doc.contains("0987654321") && !doc.contains("Số 5 phố An Bình"),
            "no personal data"
        );

        // The UI chrome follows the language; the document stays Vietnamese.
        let mut en = app.client();
        en.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let (_, doc) = en.page(&public_doc).await;
        assert!(doc.contains("Use your browser") && doc.contains("VĂN BẢN TRẢ LỜI"), "{doc}");
    }
}

#[tokio::test]
async fn a_denunciations_answer_has_no_public_version_and_keeps_the_denouncer_hidden() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (case, secret) = record_case(
            &app.store,
            &CaseSpec {
                kind: "denunciation",
                category: "xay-dung",
                description: "Cán bộ nhận tiền để bỏ qua công trình sai phép.".into(),
                place: f.ward_a.id,
                name: "Người Tố Cáo",
                phone: "0911222333",
                concerned_unit: "TA-1",
                ..Default::default()
            },
        )
        .await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let mut leader = app.client();
        leader.login("leader_a", PASSWORD).await;
        answer(&mut officer, &mut leader, case.id, "Đơn vị đã xác minh và xử lý theo quy định.", false).await;
        let print = format!("/cases/{}/answer/print", case.id);

        // Only the assigned officer sees the denouncer's name; the leader's copy has none.
        let (status, doc) = officer.page(&print).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(doc.contains("Kính gửi: Ông/Bà Người Tố Cáo") && doc.contains("V/v trả lời đơn tố cáo"));
        let (status, doc) = leader.page(&print).await;
        assert_eq!(status, 200);
        assert!(!doc.contains("Người Tố Cáo") && doc.contains("Kính gửi: Người tố cáo"));
        // The link's copy does not name the denouncer either (a link can be passed on).
        let mut anyone = app.client();
        let (status, doc) = anyone.page(&format!("/track/{}/answer?s={secret}", case.code)).await;
        assert_eq!(status, 200);
        assert!(!doc.contains("Người Tố Cáo") && !doc.contains("0911222333"));
        // No public version at all.
        assert_eq!(anyone.get(&format!("/public/cases/{}/answer", case.code)).await.status().as_u16(), 404);
    }
}

/// A unit writes its own symbol after its answers' numbers ("1/UBND-TCD"), set by whoever may
/// update the unit; a bad symbol is refused field by field and changes nothing; the officer and
/// another ward's leader may not set it; an empty one brings back the default ("UBND-TL").
#[tokio::test]
async fn a_unit_numbers_its_answers_with_its_own_symbol() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let page = format!("/admin/units/{}/answer-symbol", f.committee_a.id);
        let mut leader = app.client();
        leader.login("leader_a", PASSWORD).await;
        let (status, html) = leader.page(&page).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(html.contains("Số: 46/UBND-TL"), "the default, as an example");
        for bad in ["UBND TL", "-TL", "UBND;TL"] {
            let r = leader.post_form(&page, &[("answer_symbol", bad)]).await;
            assert_eq!(r.status().as_u16(), 422, "{bad:?}");
            assert!(r.text().await.unwrap().contains("bắt đầu bằng chữ cái"), "{bad:?}: the reason");
        }
        let long = "A".repeat(31);
        assert_eq!(leader.post_form(&page, &[("answer_symbol", long.as_str())]).await.status().as_u16(), 422);
        assert_eq!(app.store.own_answer_symbol(f.committee_a.id).await.unwrap(), None, "nothing saved");
        for who in ["officer_a", "leader_b"] {
            let mut c = app.client();
            c.login(who, PASSWORD).await;
            c.page(&page).await;
            let s = c.post_form(&page, &[("answer_symbol", "X")]).await.status().as_u16();
            assert!(s == 403 || s == 404, "{who}: {s}");
        }
        assert_eq!(leader.post_form(&page, &[("answer_symbol", " ubnd-tcd ")]).await.status().as_u16(), 303);
        assert!(leader.page(&page).await.1.contains("Số: 46/UBND-TCD"));

        let (case, _) = record_case(
            &app.store,
            &CaseSpec {
                description: "Đèn đường hỏng.".into(), place: f.ward_a.id, name: "Lê Văn Ba", ..Default::default()
            },
        )
        .await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        answer(&mut officer, &mut leader, case.id, "Đã thay bóng đèn.", false).await;
        let a = app.store.answer(case.id).await.unwrap().unwrap();
        assert_eq!(a.register_no.as_deref(), Some("1/UBND-TCD"), "{}", app.backend);

        assert_eq!(leader.post_form(&page, &[("answer_symbol", "")]).await.status().as_u16(), 303);
        assert!(leader.page(&page).await.1.contains("Số: 46/UBND-TL"), "back to the default");
    }
}
