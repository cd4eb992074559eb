//! Supporting units (đơn vị phối hợp) of a case.

use danvan_testkit::{Fixture, TestApp, PASSWORD};

/// A lead unit plus supporting units (đơn vị phối hợp): the lead unit's handlers add and remove
/// them; a supporting unit's officials read the case (not the sender's contacts) and add notes,
/// find it in their inbox's "supported" scope, but do not handle it; a dissolved supporting unit
/// hands its support of open cases to its successor.
#[tokio::test]
async fn supporting_units_read_and_note_a_case_while_the_lead_unit_handles_it() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let c =
            danvan_testkit::case_in(&app, &f.committee_a, danvan_domain::cases::CaseKind::Feedback, "Người Gửi Kín", true).await;
        let page = format!("/cases/{}", c.id);
        let mut lead = app.client();
        lead.login("officer_a", PASSWORD).await;
        let mut other = app.client();
        other.login("leader_b", PASSWORD).await;
        assert_eq!(other.page(&page).await.0, 404, "ward B has nothing to do with it yet, {}", app.backend);

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
        let d = danvan_testkit::case_in(&app, &f.committee_a, danvan_domain::cases::CaseKind::Denunciation, "Người Tố Cáo", true)
            .await;
        lead.page(&format!("/cases/{}", d.id)).await;
        let r = lead.post_form(&format!("/cases/{}/supports", d.id), &[("support_unit", "TB")]).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("danh tính người tố cáo được bảo vệ"));

        // Ward B is merged into a new ward: its support passes to the successor.
        let ctx = danvan_store::AuditCtx::system("test");
        let draft = danvan_domain::org::unit::UnitDraft {
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
                &danvan_domain::org::unit::DissolutionPlan { moves: vec![], unplaced: vec![] },
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
        assert_eq!(front.page(&page).await.0, 404, "not yet, {}", app.backend);
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
