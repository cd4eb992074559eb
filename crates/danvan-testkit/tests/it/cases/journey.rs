//! A citizen's journey from the public form to the rating; denunciations never public and their
//! senders protected; spam controls on the public form.

use super::*;
use danvan_testkit::{Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn a_citizen_journey_from_the_form_to_the_rating() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        // Field errors first: a complaint needs the sender's identity.
        let r = submit(
            &mut citizen,
            &[
                ("kind", "complaint"),
                ("category", "thoat-nuoc"),
                ("description", "Cống bị tắc nhiều ngày"),
                ("place", &ward),
                ("address", "Số 5"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("Loại đơn này cần thông tin người gửi."), "{body}");
        let r = submit(
            &mut citizen,
            &[
                ("kind", "feedback"),
                ("category", "thoat-nuoc"),
                ("description", "Cống thoát nước đầu ngõ 5 bị tắc, nước tràn <b>lên</b> vỉa hè."),
                ("place", &ward),
                ("address", "Ngõ 5 phố An Bình"),
                ("sender_name", "Lê Thị Hoa"),
                ("sender_phone", "0987 654 321"),
                ("publish", "on"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let track = location(&r);
        assert!(track.starts_with("/track/PA-") && track.contains("?s="), "{track}");
        let (status, page) = citizen.page(&track).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Đã tiếp nhận phản ánh") && page.contains("lên") && !page.contains("<b>lên</b>"),
            "HTML shown as text"
        );
        let code = track.split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        // Routed to the people's committee of the ward (category → unit kind, place → which one).
        assert_eq!(case.unit_id, f.committee_a.id);
        assert!(case.accept_due.is_some() && case.resolve_due.is_none());
        // A wrong secret shows nothing.
        assert_eq!(citizen.get(&format!("/track/{code}?s=wrong")).await.status().as_u16(), 404);

        // The officer works the case.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (_, inbox) = officer.page("/inbox?q=cong+thoat").await;
        assert!(inbox.contains(&code), "diacritic-insensitive inbox search");
        let (_, page) = officer.page(&format!("/cases/{}", case.id)).await;
        assert!(page.contains("Lê Thị Hoa") && page.contains("0987654321"), "the handling officer sees the contact");
        // The history in words: who ("Người dân") and by which channel ("Cổng thông tin"), no codes.
        let timeline = page.split("id=\"timeline\"").nth(1).unwrap().split("</ol>").next().unwrap();
        assert!(timeline.contains("Người dân") && timeline.contains("Cổng thông tin"), "{timeline}");
        assert!(!timeline.contains("citizen") && !timeline.contains(": web"), "{timeline}");
        // An invalid transition is refused with an explanation.
        let (status, body) = act(&mut officer, case.id, &[("action", "send_answer")]).await;
        assert_eq!(status, 409, "{body}");
        for step in ["accept", "assign", "start"] {
            let (status, body) = act(&mut officer, case.id, &[("action", step)]).await;
            assert_eq!(status, 303, "{step}: {body}");
        }
        let accepted = app.store.get_case(case.id).await.unwrap();
        assert!(accepted.resolve_due.is_some(), "the resolution clock starts at acceptance");
        let (status, _) =
            act(&mut officer, case.id, &[("action", "draft_answer"), ("answer", "Phường đã nạo vét cống đầu ngõ 5 ngày 28/11.")])
                .await;
        assert_eq!(status, 303);
        // Officers do not sign off answers.
        let (status, _) = act(&mut officer, case.id, &[("action", "approve_answer")]).await;
        assert_eq!(status, 403);
        let mut leader = app.client();
        leader.login("leader_a", PASSWORD).await;
        let (status, body) = act(&mut leader, case.id, &[("action", "approve_answer")]).await;
        assert_eq!(status, 303, "{body}");
        let (status, _) = act(&mut officer, case.id, &[("action", "send_answer")]).await;
        assert_eq!(status, 303);
        let answer = app.store.answer(case.id).await.unwrap().unwrap();
        assert_eq!(answer.register_no.as_deref(), Some("1/UBND-TL"));

        // The citizen sees the answer and rates it.
        let (_, page) = citizen.page(&track).await;
        assert!(page.contains("Phường đã nạo vét cống") && page.contains("1/UBND-TL"));
        let secret = track.split("s=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let r = citizen
            .post_form(&format!("/track/{code}"), &[("s", &secret), ("action", "rate"), ("rating", "4"), ("note", "Xử lý nhanh")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(app.store.get_case(case.id).await.unwrap().rating, Some(4));
        let r = citizen.post_form(&format!("/track/{code}"), &[("s", &secret), ("action", "rate"), ("rating", "9")]).await;
        assert_eq!(r.status().as_u16(), 422);

        // The public sees the case and the answer, never the sender.
        let mut public = app.client();
        let (status, page) = public.page(&format!("/public/cases/{code}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Phường đã nạo vét cống") && !page.contains("Lê Thị Hoa") && !page.contains("0987654321"));
        let (_, list) = public.page("/public/cases?unit=TA").await;
        assert!(list.contains(&code) && list.contains("Trả lời đúng hạn"));
        // Another ward's leader cannot open its officer's page (403: it is public, so they may
        // know it exists; an unpublished one answers 404, as in the API).
        let mut other = app.client();
        other.login("leader_b", PASSWORD).await;
        assert_eq!(other.get(&format!("/cases/{}", case.id)).await.status().as_u16(), 403);
    }
}

#[tokio::test]
async fn denunciations_are_never_public_and_their_senders_are_protected() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let ward = f.ward_a.id.to_string();
    let mut citizen = app.client();
    // The public form asks whom a denunciation concerns.
    let denunciation = [
        ("kind", "denunciation"),
        ("category", "xay-dung"),
        ("description", "Cán bộ địa chính nhận tiền để bỏ qua công trình sai phép."),
        ("place", ward.as_str()),
        ("address", "Phường An Bình"),
        ("sender_name", "Người Tố Cáo"),
        ("sender_phone", "0911222333"),
        ("sender_address", "Số 1 phố Huế"),
    ];
    let r = submit(&mut citizen, &denunciation).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("f-concerned_unit-error"));
    let concerned = [("publish", "on"), ("concerned_unit", "TA-1"), ("concerned_name", "Cán bộ địa chính")];
    let r = submit(&mut citizen, &[&denunciation[..], &concerned[..]].concat()).await;
    assert_eq!(r.status().as_u16(), 303);
    let code = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().to_string();
    let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
    assert!(!case.publish);
    assert_eq!(app.client().get(&format!("/public/cases/{code}")).await.status().as_u16(), 404);
    let mut leader = app.client();
    leader.login("leader_a", PASSWORD).await;
    let (_, page) = leader.page(&format!("/cases/{}", case.id)).await;
    assert!(!page.contains("Người Tố Cáo") && !page.contains("0911222333"), "not even the leader");
    let mut officer = app.client();
    officer.login("officer_a", PASSWORD).await;
    act(&mut officer, case.id, &[("action", "accept")]).await;
    // Who sees the denouncer is the leader's decision.
    let (status, body) = act(&mut leader, case.id, &[("action", "assign"), ("assignee", "officer_a")]).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = officer.page(&format!("/cases/{}", case.id)).await;
    assert!(page.contains("Người Tố Cáo"), "the handling officer sees the denouncer");
    // Denunciations count calendar days from acceptance: 30 days (to the next working day when
    // the 30th is a rest day, Civil Code Art. 148(5)).
    let c = app.store.get_case(case.id).await.unwrap();
    let cal = app.store.work_calendar().await.unwrap();
    assert_eq!(c.resolve_due, c.accepted_on.and_then(|d| cal.add_calendar_days(d, 30)));
}

#[tokio::test]
async fn spam_controls_on_the_public_form() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let ward = f.ward_a.id.to_string();
    let mut c = app.client();
    c.page("/cases/new").await;
    let now = danvan_testkit::started_ago(0);
    let fields = [
        ("kind", "feedback"),
        ("category", "ve-sinh"),
        ("description", "Rác để lâu ngày chưa thu gom."),
        ("place", ward.as_str()),
        ("address", "Chợ An Bình"),
    ];
    let mut too_fast: Vec<(&str, &str)> = fields.to_vec();
    too_fast.push(("started", &now));
    // Too fast: the form comes back (a person may be quick), nothing is saved.
    assert_eq!(c.post_form("/cases/new", &too_fast).await.status().as_u16(), 422);
    let old = (chrono::Utc::now().timestamp() - 60).to_string();
    let mut honeypot: Vec<(&str, &str)> = fields.to_vec();
    honeypot.push(("started", &old));
    honeypot.push(("website", "http://spam.example"));
    assert_eq!(c.post_form("/cases/new", &honeypot).await.status().as_u16(), 400);
    assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 0);
}
