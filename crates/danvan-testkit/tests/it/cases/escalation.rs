//! The escalation job: leaders notified once, the home page showing it.

use danvan_testkit::{Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn the_escalation_job_notifies_leaders_once_and_the_home_page_shows_it() {
    use danvan_domain::cases::{validate_case, CaseInput};
    use danvan_store::cases::NewCase;
    use danvan_store::AuditCtx;
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let long_ago = chrono::Utc::now() - chrono::Duration::days(30);
        let new = NewCase {
            zalo: false,
            concern: None,
            draft: validate_case(&CaseInput {
                kind: "feedback".into(),
                description: "Nắp cống bị vỡ, rất nguy hiểm.".into(),
                address: "Ngõ 3".into(),
                ..Default::default()
            })
            .unwrap(),
            channel: danvan_domain::cases::Channel::Web,
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
