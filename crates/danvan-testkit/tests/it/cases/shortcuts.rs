//! Issue 9: the case page built around the next step. One submission accepts, assigns to oneself
//! and starts (one commit, three history entries); "Trình ký" says what it did; the leader
//! previews the draft marked DỰ THẢO and signs and sends in one step; the page offers only what
//! may be done now, and nothing a protected denunciation would refuse.

use super::act;
use danvan_domain::cases::CaseKind;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

/// The flash message the next page shows after a submission.
async fn follow(c: &mut Client, id: i64) -> String {
    c.page(&format!("/cases/{id}")).await.1
}

#[tokio::test]
async fn accept_and_handle_myself_then_submit_sign_and_send() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let c = danvan_testkit::case_in(&app, &f.committee_a, CaseKind::Feedback, "Lê Thị Hoa", false).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("id=\"act-accept_self\""), "{b}: the shortcut is offered");
        for absent in ["act-start", "act-draft_answer", "act-approve_answer", "act-send_answer", "act-close"] {
            assert!(!page.contains(&format!("id=\"{absent}\"")), "{b}: {absent} is not possible now");
        }
        // One submission: accepted, mine, in progress, with its three history entries.
        let (status, body) = act(&mut officer, c.id, &[("action", "accept_self")]).await;
        assert_eq!(status, 303, "{b}: {body}");
        let now = app.store.get_case(c.id).await.unwrap();
        let me = app.store.get_account_by_username("officer_a").await.unwrap().unwrap().id;
        assert_eq!((now.status.as_str(), now.assignee_id), ("in_progress", Some(me)), "{b}");
        assert!(now.accepted_on.is_some() && now.resolve_due.is_some(), "{b}: the resolution clock started");
        let steps: Vec<(String, Option<&str>)> = app
            .store
            .case_events(c.id, false)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action != "receive")
            .map(|e| (e.action, e.from_status.map(|s| s.as_str())))
            .collect();
        assert_eq!(
            steps,
            vec![("accept".into(), Some("received")), ("assign".into(), Some("accepted")), ("start".into(), Some("assigned"))],
            "{b}"
        );
        let page = follow(&mut officer, c.id).await;
        assert!(page.contains("Đã thụ lý và giao cho anh/chị"), "{b}: what happened and what comes next");
        // Refused now that it is taken: 409 with the reason, on the page.
        let (status, body) = act(&mut officer, c.id, &[("action", "accept_self")]).await;
        assert_eq!(status, 409, "{b}");
        assert!(body.contains("form-accept_self") || body.contains("error-summary"), "{b}: the page says why");

        // "Trình ký", with a clear confirmation; an empty draft is a field error in its own form.
        let (status, body) = act(&mut officer, c.id, &[("action", "draft_answer"), ("answer", "")]).await;
        assert_eq!(status, 422, "{b}");
        assert!(body.contains("id=\"draft_answer-f-answer-error\""), "{b}: the error is beside the draft");
        let (status, _) =
            act(&mut officer, c.id, &[("action", "draft_answer"), ("answer", "Phường đã nạo vét cống ngày hôm nay.")]).await;
        assert_eq!(status, 303, "{b}");
        assert!(follow(&mut officer, c.id).await.contains("Đã trình ký"), "{b}");
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(!page.contains("id=\"act-approve_send\""), "{b}: the officer does not sign");

        // The leader previews the document, marked DỰ THẢO, then signs and sends in one step.
        let mut leader = signed_in(&app, "leader_a").await;
        let (_, page) = leader.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("id=\"answer-preview\"") && page.contains("id=\"act-approve_send\""), "{b}");
        let (status, doc) = leader.page(&format!("/cases/{}/answer/print", c.id)).await;
        assert_eq!(status, 200, "{b}");
        assert!(doc.contains("DỰ THẢO") && doc.contains("nạo vét cống"), "{b}");
        let (status, _) = act(&mut leader, c.id, &[("action", "approve_send")]).await;
        assert_eq!(status, 303, "{b}");
        let done = app.store.get_case(c.id).await.unwrap();
        assert_eq!(done.status.as_str(), "answered", "{b}");
        assert!(follow(&mut leader, c.id).await.contains("Đã ký duyệt và gửi"), "{b}");
        let (_, doc) = leader.page(&format!("/cases/{}/answer/print", c.id)).await;
        assert!(!doc.contains("id=\"doc-draft-mark\""), "{b}: the sent document is no draft");
    }
}

/// A protected denunciation: the officer is not offered what would be refused (assigning it,
/// taking it themselves), and the shortcut refused through the route too.
#[tokio::test]
async fn nothing_a_protected_case_would_refuse_is_offered() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let c = danvan_testkit::case_in(&app, &f.committee_a, CaseKind::Denunciation, "Người Tố Cáo", false).await;
        app.store.execute_raw(&format!("UPDATE cases SET identity_protected = TRUE WHERE id = {}", c.id)).await.unwrap();
        let mut officer = signed_in(&app, "officer_a").await;
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("id=\"act-accept\""), "{b}: accepting is the officer's");
        assert!(!page.contains("id=\"act-accept_self\""), "{b}: choosing who reads the sender is a leader's");
        let (status, _) = act(&mut officer, c.id, &[("action", "accept_self")]).await;
        assert_eq!(status, 403, "{b}");
        let (status, _) = act(&mut officer, c.id, &[("action", "accept")]).await;
        assert_eq!(status, 303, "{b}");
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(!page.contains("id=\"act-assign\""), "{b}: assigning it is the leader's");
        // The leader decides who handles it.
        let mut leader = signed_in(&app, "leader_a").await;
        let (_, page) = leader.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("id=\"act-assign\""), "{b}");
    }
}
