//! A merge and the sending of the answer cannot cross: the citizen of a case merged into another
//! always gets the answer, on SQLite and PostgreSQL.

use danvan_app::{App, AppConfig, Caller};
use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_store::cases::delivery::Outgoing;
use danvan_store::cases::{AnswerChange, CaseChange};
use danvan_store::{Store, StoreError};
use danvan_testkit::{case_in, Fixture, TestApp};

fn engine(store: &Store) -> App {
    App::new(store.clone(), AppConfig::default())
}

async fn caller(store: &Store, username: &str) -> Caller {
    let acc = store.get_account_by_username(username).await.unwrap().unwrap();
    let memberships = store.memberships_of(acc.id).await.unwrap();
    Caller::account(acc, memberships, String::new())
}

fn changed(e: StoreError) -> bool {
    matches!(e, StoreError::Invalid(f) if f.0.iter().any(|e| e.key == "case.error.changed"))
}

#[tokio::test]
async fn a_merge_and_the_sending_of_the_answer_cannot_cross() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (officer, leader) = (caller(&app.store, "officer_a").await, caller(&app.store, "leader_a").await);
        let a = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi A", true).await;
        for (action, who) in [("assign", &officer), ("start", &officer), ("draft_answer", &officer), ("approve_answer", &leader)]
        {
            let r = danvan_app::cases::ActRequest {
                action: action.into(),
                answer: "Phường đã nạo vét cống.".into(),
                ..Default::default()
            };
            danvan_app::cases::act(&engine(&app.store), who, a.id, &r).await.unwrap_or_else(|e| panic!("{action}: {e}"));
        }
        let b = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi B", true).await;
        let c = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi C", true).await;
        let a_before = app.store.get_case(a.id).await.unwrap();
        let ctx = officer.audit();

        // The sending read no merged case; B is merged in before it commits: refused.
        let b_row = app.store.get_case(b.id).await.unwrap();
        app.store.merge_case(&ctx, &b_row, &a_before, CaseStatus::Rejected, "trùng", &Outgoing::default()).await.unwrap();
        let send = CaseChange {
            answer: Some(AnswerChange::Sent { merged: 0 }),
            ..CaseChange::new("send_answer", CaseStatus::AnswerApproved, CaseStatus::Answered)
        };
        let e = app.store.apply_case_change(&ctx, a.id, &send).await.unwrap_err();
        assert!(changed(e), "{}", app.backend);
        assert_eq!(app.store.get_case(a.id).await.unwrap().status, CaseStatus::AnswerApproved, "{}", app.backend);

        // The use case reads again and sends to both citizens.
        let r = danvan_app::cases::ActRequest { action: "send_answer".into(), ..Default::default() };
        danvan_app::cases::act(&engine(&app.store), &officer, a.id, &r).await.unwrap();
        assert_eq!(app.store.get_case(a.id).await.unwrap().status, CaseStatus::Answered, "{}", app.backend);

        // A merge decided while A was unanswered (so with no message for C's citizen) is refused
        // once the answer has gone.
        let c_row = app.store.get_case(c.id).await.unwrap();
        let e =
            app.store.merge_case(&ctx, &c_row, &a_before, CaseStatus::Rejected, "trùng", &Outgoing::default()).await.unwrap_err();
        assert!(changed(e), "{}", app.backend);
        assert!(app.store.get_case(c.id).await.unwrap().merged_into.is_none(), "{}", app.backend);
    }
}
