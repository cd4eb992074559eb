//! Citizens' cases through HTTP, on SQLite and PostgreSQL: the public form, the officer's work
//! through the state machine, sign-off, the citizen's tracking page and rating, public pages.

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

async fn submit(c: &mut Client, fields: &[(&str, &str)]) -> reqwest::Response {
    c.page("/cases/new").await;
    let started = (chrono::Utc::now().timestamp() - 30).to_string();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("started", &started));
    c.post_form("/cases/new", &all).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn act(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    c.page(&format!("/cases/{id}")).await;
    let r = c.post_form(&format!("/cases/{id}/act"), fields).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

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
        assert_eq!(answer.register_no.as_deref(), Some("1/TL-TA-UB"));

        // The citizen sees the answer and rates it.
        let (_, page) = citizen.page(&track).await;
        assert!(page.contains("Phường đã nạo vét cống") && page.contains("1/TL-TA-UB"));
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
        // Another ward's leader cannot open it.
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
    let r = submit(
        &mut citizen,
        &[
            ("kind", "denunciation"),
            ("category", "xay-dung"),
            ("description", "Cán bộ địa chính nhận tiền để bỏ qua công trình sai phép."),
            ("place", &ward),
            ("address", "Phường An Bình"),
            ("sender_name", "Người Tố Cáo"),
            ("sender_phone", "0911222333"),
            ("sender_address", "Số 1 phố Huế"),
            ("publish", "on"),
        ],
    )
    .await;
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
    let (status, body) = act(&mut officer, case.id, &[("action", "assign")]).await;
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
    let now = chrono::Utc::now().timestamp().to_string();
    let fields = [
        ("kind", "feedback"),
        ("category", "ve-sinh"),
        ("description", "Rác để lâu ngày chưa thu gom."),
        ("place", ward.as_str()),
        ("address", "Chợ An Bình"),
    ];
    let mut too_fast: Vec<(&str, &str)> = fields.to_vec();
    too_fast.push(("started", &now));
    assert_eq!(c.post_form("/cases/new", &too_fast).await.status().as_u16(), 400);
    let old = (chrono::Utc::now().timestamp() - 60).to_string();
    let mut honeypot: Vec<(&str, &str)> = fields.to_vec();
    honeypot.push(("started", &old));
    honeypot.push(("website", "http://spam.example"));
    assert_eq!(c.post_form("/cases/new", &honeypot).await.status().as_u16(), 400);
    assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 0);
}

#[tokio::test]
async fn officers_record_cases_with_a_receipt_and_reclassify_them() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (status, _) = officer.page("/cases/record").await;
        assert_eq!(status, 200);
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "petition"),
                    ("category", "chieu-sang"),
                    ("description", "Đề nghị lắp thêm đèn chiếu sáng ở tổ dân phố số 1."),
                    ("place_code", "TA-1"),
                    ("address", "Tổ dân phố số 1"),
                    ("sender_name", "Vũ Văn Đèn"),
                    ("sender_address", "Số 4 tổ dân phố số 1"),
                    ("channel", "hotline"),
                    ("started", "12345"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        let page = r.text().await.unwrap();
        assert!(page.contains("GIẤY BIÊN NHẬN") && page.contains("PA-"), "{page}");
        let code = page.split("id=\"case-code\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        assert_eq!(case.channel, "hotline");
        // Sending the same form again records nothing new.
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "petition"),
                    ("category", "chieu-sang"),
                    ("description", "Đề nghị lắp thêm đèn chiếu sáng ở tổ dân phố số 1."),
                    ("place_code", "TA-1"),
                    ("address", "Tổ dân phố số 1"),
                    ("sender_name", "Vũ Văn Đèn"),
                    ("sender_address", "Số 4 tổ dân phố số 1"),
                    ("channel", "hotline"),
                    ("started", "12345"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 1, "{}", app.backend);
        // Reclassifying as a complaint (the sender gave a name and an address) keeps the code and
        // switches to that law's clock.
        let (status, body) = act(&mut officer, case.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 303, "{body}");
        let c = app.store.get_case(case.id).await.unwrap();
        assert_eq!((c.code.as_str(), c.kind.as_str(), c.publish), (code.as_str(), "complaint", false));
        let cal = app.store.work_calendar().await.unwrap();
        assert_eq!(c.accept_due, cal.add_calendar_days(c.received_on, 10));
        // A complaint accepted as complex gets the law's longer period (45 days).
        let (status, body) = act(&mut officer, case.id, &[("action", "accept"), ("complex", "on")]).await;
        assert_eq!(status, 303, "{body}");
        let c = app.store.get_case(case.id).await.unwrap();
        assert_eq!(c.resolve_due, c.accepted_on.and_then(|d| cal.add_calendar_days(d, 45)), "{}", app.backend);
        // A place outside the officer's ward is refused.
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "feedback"),
                    ("category", "chieu-sang"),
                    ("description", "Đèn hỏng ở phường khác."),
                    ("place_code", "TB"),
                    ("address", "x"),
                    ("channel", "hotline"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
    }
}

#[tokio::test]
async fn dissolving_a_unit_moves_its_open_cases_and_keeps_closed_ones() {
    use danvan_domain::case::{validate_case, CaseInput};
    use danvan_domain::unit::{DissolutionPlan, UnitDraft};
    use danvan_domain::UnitKind;
    use danvan_store::cases::{CaseChange, NewCase};
    use danvan_store::AuditCtx;
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let mk = |code: &str| UnitDraft {
            code: code.into(),
            name: format!("Ủy ban {code}"),
            kind: UnitKind::PeoplesCommittee,
            parent_id: Some(f.city.id),
            territory_id: None,
            effective_from: None,
            remote_area: false,
        };
        let old = s.create_unit(&ctx, &mk("OLD")).await.unwrap();
        let new_case = |key: &str| NewCase {
            draft: validate_case(&CaseInput {
                kind: "feedback".into(),
                description: "Đèn đường hỏng nhiều ngày.".into(),
                address: "Phố cũ".into(),
                ..Default::default()
            })
            .unwrap(),
            channel: danvan_domain::case::Channel::Web,
            category_id: None,
            place_unit_id: None,
            unit_id: old.id,
            received_at: chrono::Utc::now(),
            received_on: chrono::Utc::now().date_naive(),
            accept_due: None,
            source: None,
            idempotency_key: Some(key.into()),
            notes: vec![],
        };
        let (open, _) = s.create_case(&ctx, &new_case("a")).await.unwrap();
        let (closed, _) = s.create_case(&ctx, &new_case("b")).await.unwrap();
        let reject = CaseChange {
            ..danvan_store::cases::CaseChange::new(
                "reject",
                danvan_domain::case::CaseStatus::Received,
                danvan_domain::case::CaseStatus::Rejected,
            )
        };
        s.apply_case_change(&ctx, closed.id, &reject).await.unwrap();
        // A unit with open work cannot be deleted.
        assert!(s.delete_unit(&ctx, old.id).await.is_err());
        // Nor one that only closed cases name: a 4xx explanation, not a database error.
        let hist = s.create_unit(&ctx, &mk("HIST")).await.unwrap();
        let (h, _) = s.create_case(&ctx, &NewCase { unit_id: hist.id, ..new_case("h") }).await.unwrap();
        s.apply_case_change(&ctx, h.id, &reject).await.unwrap();
        let err = s.delete_unit(&ctx, hist.id).await.unwrap_err();
        assert!(
            matches!(err, danvan_store::StoreError::Invalid(ref e) if e.get("unit") == Some("error.unit_has_history")),
            "{err:?}"
        );
        let plan = DissolutionPlan { moves: vec![], unplaced: vec![] };
        let on = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        s.dissolve_unit(&ctx, old.id, &[f.committee_a.id], &plan, on).await.unwrap();
        let moved = s.get_case(open.id).await.unwrap();
        assert_eq!((moved.unit_id, moved.unit_ancestry()), (f.committee_a.id, f.committee_a.ancestry()), "{}", app.backend);
        assert!(s.case_events(open.id, true).await.unwrap().iter().any(|e| e.action == "transfer"));
        assert_eq!(s.get_case(closed.id).await.unwrap().unit_id, old.id, "closed cases keep the old unit");
        // With several successors, each open case waits for an administrator.
        let old2 = s.create_unit(&ctx, &mk("OLD2")).await.unwrap();
        let (open2, _) = s.create_case(&ctx, &NewCase { unit_id: old2.id, ..new_case("c") }).await.unwrap();
        s.dissolve_unit(&ctx, old2.id, &[f.committee_a.id, f.ward_b.id], &plan, on).await.unwrap();
        let waiting = s.pending_transfers().await.unwrap();
        let item = waiting.iter().find(|t| t.item_type == "case").expect("the case waits");
        s.resolve_pending_transfer(&ctx, item.id, f.ward_b.id).await.unwrap();
        assert_eq!(s.get_case(open2.id).await.unwrap().unit_id, f.ward_b.id, "{}", app.backend);
    }
}

#[tokio::test]
async fn the_escalation_job_notifies_leaders_once_and_the_home_page_shows_it() {
    use danvan_domain::case::{validate_case, CaseInput};
    use danvan_store::cases::NewCase;
    use danvan_store::AuditCtx;
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let long_ago = chrono::Utc::now() - chrono::Duration::days(30);
        let new = NewCase {
            draft: validate_case(&CaseInput {
                kind: "feedback".into(),
                description: "Nắp cống bị vỡ, rất nguy hiểm.".into(),
                address: "Ngõ 3".into(),
                ..Default::default()
            })
            .unwrap(),
            channel: danvan_domain::case::Channel::Web,
            category_id: None,
            place_unit_id: Some(f.ward_a.id),
            unit_id: f.committee_a.id,
            received_at: long_ago,
            received_on: long_ago.date_naive(),
            accept_due: Some(long_ago.date_naive() + chrono::Days::new(7)),
            source: None,
            idempotency_key: None,
            notes: vec![],
        };
        let (case, _) = s.create_case(&ctx, &new).await.unwrap();
        let state = danvan_app::App::new(s.clone(), Default::default());
        let given = danvan_app::jobs::escalate(&state).await.unwrap();
        assert_eq!(given, 1, "leader_a, who leads the ward above the committee: {}", app.backend);
        assert_eq!(danvan_app::jobs::escalate(&state).await.unwrap(), 0, "never twice");
        let leader = s.get_account_by_username("leader_a").await.unwrap().unwrap();
        let notices = s.unread_notifications(leader.id, 10).await.unwrap();
        assert_eq!((notices[0].case_id, notices[0].kind.as_str()), (case.id, "overdue"));
        let mut c = app.client();
        c.login("leader_a", PASSWORD).await;
        let (_, home) = c.page("/").await;
        assert!(home.contains("id=\"notices\"") && home.contains(&case.code), "{}", app.backend);
        c.post_form("/notifications/read", &[]).await;
        assert!(s.unread_notifications(leader.id, 10).await.unwrap().is_empty());
        // The other ward's leader hears nothing.
        let other = s.get_account_by_username("leader_b").await.unwrap().unwrap();
        assert!(s.unread_notifications(other.id, 10).await.unwrap().is_empty());
    }
}

/// A lead unit plus supporting units (đơn vị phối hợp): the lead unit's handlers add and remove
/// them; a supporting unit's officials read the case (not the sender's contacts) and add notes,
/// find it in their inbox's "supported" scope, but do not handle it; a dissolved supporting unit
/// hands its support of open cases to its successor.
#[tokio::test]
async fn supporting_units_read_and_note_a_case_while_the_lead_unit_handles_it() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let c =
            danvan_testkit::case_in(&app, &f.committee_a, danvan_domain::case::CaseKind::Feedback, "Người Gửi Kín", true).await;
        let page = format!("/cases/{}", c.id);
        let mut lead = app.client();
        lead.login("officer_a", PASSWORD).await;
        let mut other = app.client();
        other.login("leader_b", PASSWORD).await;
        assert_eq!(other.page(&page).await.0, 403, "ward B has nothing to do with it yet, {}", app.backend);

        // Refusals are field errors on the form, and add nothing.
        for (code, message) in
            [("", "Trường này là bắt buộc."), ("ZZ-404", "Không có đơn vị này."), (f.committee_a.code.as_str(), "đơn vị chủ trì")]
        {
            lead.page(&page).await;
            let r = lead.post_form(&format!("{page}/supports"), &[("support_unit", code)]).await;
            assert_eq!(r.status().as_u16(), 422, "{code}, {}", app.backend);
            let html = r.text().await.unwrap();
            assert!(html.contains("f-support_unit-error") && html.contains(message), "{code}: {message}");
        }
        assert!(app.store.case_supports(c.id).await.unwrap().is_empty());
        lead.page(&page).await;
        let r = lead
            .post_form(
                &format!("{page}/supports"),
                &[("support_unit", "TB"), ("support_note", "Đề nghị phường Bến Đò kiểm tra đoạn cống giáp ranh.")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        lead.page(&page).await;
        let r = lead.post_form(&format!("{page}/supports"), &[("support_unit", "TB")]).await;
        assert_eq!(r.status().as_u16(), 422, "added once only");
        let (_, html) = lead.page(&page).await;
        assert!(html.contains("id=\"support-list\"") && html.contains("Phường Bến Đò (TB)"), "listed on the lead's page");

        // Ward B's leader reads the file without the sender's contacts, adds a note, cannot act.
        let (s, html) = other.page(&page).await;
        assert_eq!(s, 200, "{}", app.backend);
        assert!(
            html.contains("id=\"timeline\"") && html.contains("Đề nghị phường Bến Đò kiểm tra"),
            "the history with internal notes"
        );
        assert!(!html.contains("Người Gửi Kín") && !html.contains("0912345678"), "no contacts for a supporting unit");
        assert!(!html.contains("id=\"support-add\"") && !html.contains("action=\"/cases/{}/act\""), "no handling controls");
        let r = other.post_form(&format!("{page}/note"), &[("note", "Phường Bến Đò đã cử cán bộ kiểm tra.")]).await;
        assert_eq!(r.status().as_u16(), 303, "a supporting unit adds notes, {}", app.backend);
        let r = other.post_form(&format!("{page}/act"), &[("action", "start")]).await;
        assert_eq!(r.status().as_u16(), 403, "but does not handle the case");
        let r = other.post_form(&format!("{page}/supports"), &[("support_unit", "TA")]).await;
        assert_eq!(r.status().as_u16(), 403, "nor chooses supporting units");

        // Its inbox: the case is among the work it supports, not the work it leads.
        let (_, led) = other.page("/inbox?unit=TB").await;
        assert!(!led.contains(&c.code));
        let (s, supported) = other.page("/inbox?unit=TB&scope=supported").await;
        assert_eq!(s, 200);
        assert!(supported.contains(&c.code), "{}", app.backend);
        let listed: serde_json::Value =
            other.json(reqwest::Method::GET, "/api/v1/cases?unit=TB&scope=supported", None).await.json().await.unwrap();
        assert_eq!(listed["items"][0]["code"], c.code.as_str(), "the API's supported scope");
        let led: serde_json::Value = other.json(reqwest::Method::GET, "/api/v1/cases?unit=TB", None).await.json().await.unwrap();
        assert_eq!(led["total"], 0);

        // A denunciation never has supporting units (the unit denounced could be one).
        let d = danvan_testkit::case_in(&app, &f.committee_a, danvan_domain::case::CaseKind::Denunciation, "Người Tố Cáo", true)
            .await;
        lead.page(&format!("/cases/{}", d.id)).await;
        let r = lead.post_form(&format!("/cases/{}/supports", d.id), &[("support_unit", "TB")]).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("danh tính người tố cáo được bảo vệ"));

        // Ward B is merged into a new ward: its support passes to the successor.
        let ctx = danvan_store::AuditCtx::system("test");
        let draft = danvan_domain::unit::UnitDraft {
            code: "TC".into(),
            name: "Phường Cầu Mới".into(),
            kind: danvan_domain::UnitKind::Ward,
            parent_id: Some(f.city.id),
            territory_id: None,
            effective_from: None,
            remote_area: false,
        };
        let tc = app.store.create_unit(&ctx, &draft).await.unwrap();
        let today = chrono::Utc::now().date_naive();
        app.store
            .dissolve_unit(
                &ctx,
                f.ward_b.id,
                &[tc.id],
                &danvan_domain::unit::DissolutionPlan { moves: vec![], unplaced: vec![] },
                today,
            )
            .await
            .unwrap();
        let supports = app.store.case_supports(c.id).await.unwrap();
        assert_eq!(supports.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["TC"], "{}", app.backend);

        // The lead unit ends the support; the history keeps all of it.
        lead.page(&page).await;
        let r = lead.post_form(&format!("{page}/supports/{}/remove", tc.id), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(app.store.case_supports(c.id).await.unwrap().is_empty());
        let actions: Vec<String> = app.store.case_events(c.id, false).await.unwrap().into_iter().map(|e| e.action).collect();
        for a in ["support_add", "note", "support_move", "support_remove"] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        // Nothing of it is public.
        assert!(app.store.case_events(c.id, true).await.unwrap().iter().all(|e| !e.action.starts_with("support")));

        // The Front's representatives of a supporting unit: their inbox is the work it supports.
        let mut front = app.client();
        front.login("front_a", PASSWORD).await;
        assert_eq!(front.page(&page).await.0, 403, "not yet, {}", app.backend);
        lead.page(&page).await;
        let r = lead.post_form(&format!("{page}/supports"), &[("support_unit", "TA")]).await;
        assert_eq!(r.status().as_u16(), 303);
        let (s, inbox) = front.page("/inbox").await;
        assert_eq!(s, 200, "{}", app.backend);
        assert!(inbox.contains(&c.code), "the supported case in the Front's inbox");
        let (s, html) = front.page(&page).await;
        assert!(s == 200 && !html.contains("0912345678"), "read without contacts");
        let r = front.post_form(&format!("{page}/note"), &[("note", "Mặt trận đã gặp các hộ dân.")]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
}

fn error_keys(problem: &serde_json::Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| (e["field"].as_str().unwrap().into(), e["key"].as_str().unwrap().into())).collect())
        .unwrap_or_default()
}

/// What the sender must give (RULES.md §2): a complaint — name and address (Law on Complaints 2011
/// Art. 8), so a letter with no phone or e-mail is accepted; a denunciation — name, address and a
/// way to contact (Law on Denunciations 2018 Art. 23). Through the public form, the officer's
/// form, the JSON API and the import alike.
#[tokio::test]
async fn what_the_sender_must_give_on_every_way_in() {
    use serde_json::json;
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        // The public form: a complaint with name and address only is accepted.
        let r = submit(
            &mut citizen,
            &[
                ("kind", "complaint"),
                ("category", "thoat-nuoc"),
                ("description", "Khiếu nại quyết định xử phạt về việc cống thoát nước."),
                ("place", &ward),
                ("address", "Ngõ 5 phố An Bình"),
                ("sender_name", "Nguyễn Văn Thư"),
                ("sender_address", "Số 12 phố An Bình"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 303, "{}: {}", app.backend, r.text().await.unwrap());
        // A denunciation without the denouncer's address is refused, on the address field.
        let r = submit(
            &mut citizen,
            &[
                ("kind", "denunciation"),
                ("category", "xay-dung"),
                ("description", "Cán bộ địa chính nhận tiền để bỏ qua công trình sai phép."),
                ("place", &ward),
                ("address", "Phường An Bình"),
                ("sender_name", "Người Tố Cáo"),
                ("sender_phone", "0911222333"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("f-sender_address-error") && body.contains("địa chỉ của người gửi"), "{body}");
        assert!(!body.contains("f-sender_phone-error") && !body.contains("f-sender_name-error"), "only the address is missing");

        // The officer's form: a letter complaint, name and address only.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page("/cases/record").await;
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "complaint"),
                    ("category", "thoat-nuoc"),
                    ("description", "Đơn khiếu nại gửi qua bưu điện về việc thu phí nạo vét cống."),
                    ("place_code", "TA"),
                    ("address", "Ngõ 5"),
                    ("sender_name", "Phạm Thị Thư"),
                    ("sender_address", "Số 8 ngõ 5 phố An Bình"),
                    ("channel", "letter"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "the receipt, {}", app.backend);
        assert!(r.text().await.unwrap().contains("GIẤY BIÊN NHẬN"));

        // The JSON API: the same letter accepted; a denunciation without address refused.
        let letter = json!({
            "kind": "complaint", "category": "thoat-nuoc", "place": "TA", "address": "Ngõ 5", "channel": "letter",
            "description": "Đơn khiếu nại về việc thu phí nạo vét cống.",
            "sender_name": "Hoàng Văn Thư", "sender_address": "Số 9 ngõ 5 phố An Bình",
        });
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(letter)).await;
        assert_eq!(r.status().as_u16(), 201, "{}: {}", app.backend, r.text().await.unwrap());
        let mut den = json!({
            "kind": "denunciation", "category": "xay-dung", "place": "TA", "address": "Phường An Bình",
            "description": "Cán bộ nhận tiền để bỏ qua công trình sai phép.",
            "sender_name": "Người Tố Cáo", "sender_email": "to.cao@example.vn",
        });
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den.clone())).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(error_keys(&problem), [("sender_address".into(), "case.error.sender_address_required".into())]);
        // … and without a way to contact.
        den["sender_address"] = json!("Số 1 phố Huế");
        den["sender_email"] = json!("");
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den.clone())).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(error_keys(&problem), [("sender_phone".into(), "case.error.contact_required".into())]);
        den["sender_email"] = json!("to.cao@example.vn");
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den)).await;
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);

        // The import: the same rule, row by row; nothing written when a row is wrong.
        let before = app.store.list_cases(&Default::default()).await.unwrap().1;
        let rows = danvan_app::cases::parse_import(
            "source_ref,received_at,kind,category,place,description,address,sender_name,sender_phone,sender_email,sender_address\n\
             A-1,2026-03-02,complaint,thoat-nuoc,TA,Đơn khiếu nại gửi qua bưu điện.,Ngõ 5,Lê Văn Thư,,,Số 3 phố An Bình\n\
             A-2,2026-03-02,denunciation,xay-dung,TA,Tố cáo cán bộ nhận tiền.,Ngõ 5,Người Tố Cáo,0911222333,,\n"
                .as_bytes(),
        )
        .unwrap();
        let app_ = danvan_app::App::new(app.store.clone(), Default::default());
        let err = danvan_app::cases::import_cases(&app_, "hệ thống cũ", rows).await.unwrap_err();
        let fields = err.fields().expect("field errors").clone();
        assert_eq!(fields.0.len(), 1, "{fields:?}");
        assert_eq!((fields.0[0].field.as_str(), fields.0[0].key.as_str()), ("row 3", "case.error.sender_address_required"));
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, before, "{}", app.backend);
    }
}

/// Reclassification is a way to reach a kind too: an anonymous feedback cannot become a
/// complaint or a denunciation (a field error, on the page and in the API); a case whose sender
/// gave what the new kind needs can.
#[tokio::test]
async fn reclassifying_needs_what_the_new_kind_requires_of_the_sender() {
    use danvan_testkit::{record_case, CaseSpec};
    use serde_json::json;
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec = CaseSpec {
            description: "Cống thoát nước đầu ngõ 5 bị tắc nhiều ngày.".into(),
            place: f.ward_a.id,
            ..Default::default()
        };
        let (anonymous, _) = record_case(&app.store, &spec).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;

        // The page: refused on the kind field, nothing changed.
        let (status, body) = act(&mut officer, anonymous.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert!(body.contains("f-kind-error") && body.contains("Chưa chuyển được loại đơn"), "{body}");
        // The API: refused, with what is missing.
        let path = format!("/api/v1/cases/{}/actions", anonymous.code);
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "denunciation"}))).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        let keys = error_keys(&problem);
        assert_eq!(keys[0], ("kind".into(), "case.error.reclassify_sender".into()), "{keys:?}");
        for k in ["case.error.identity_required", "case.error.sender_address_required", "case.error.contact_required"] {
            assert!(keys.iter().any(|(_, key)| key == k), "{k} in {keys:?}");
        }
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "complaint"}))).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let c = app.store.get_case(anonymous.id).await.unwrap();
        assert_eq!(c.kind, "feedback", "{}", app.backend);
        assert!(app.store.case_events(c.id, false).await.unwrap().iter().all(|e| e.action != "reclassify"));
        // Between anonymous kinds it is always possible.
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "petition"}))).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);

        // A sender with name, address and phone (record_case gives an address with a name):
        // complaint, then denunciation.
        let (named, _) = record_case(&app.store, &CaseSpec { name: "Trần Văn Gửi", phone: "0912000111", ..spec.clone() }).await;
        let (status, body) = act(&mut officer, named.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 303, "{}: {body}", app.backend);
        let path = format!("/api/v1/cases/{}/actions", named.code);
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "denunciation"}))).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(app.store.get_case(named.id).await.unwrap().kind, "denunciation");
    }
}
