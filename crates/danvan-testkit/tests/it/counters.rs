//! The inbox's counters, read in one grouped query, agree with the filters they link to.

use danvan_domain::cases::{validate_case, CaseInput};
use danvan_store::cases::{BulkCase, CaseFilter, NewCase};
use danvan_testkit::{Fixture, TestApp};

#[tokio::test]
async fn grouped_counters_equal_the_counts_of_their_filters() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let today = chrono::Utc::now().date_naive();
        let soon = today + chrono::Days::new(3);
        let day = |d: i64| today + chrono::Duration::days(d);
        let statuses = ["received", "accepted", "in_progress", "paused", "answer_drafted", "closed", "rejected"];
        let mut rows = vec![];
        for (i, status) in statuses.iter().cycle().take(70).enumerate() {
            let unit = [f.committee_a.id, f.group_a1.id, f.ward_b.id][(i / 6) % 3];
            let due = [None, Some(day(-5)), Some(day(0)), Some(day(2)), Some(day(3)), Some(day(10))][i % 6];
            rows.push(BulkCase {
                new: NewCase {
                    zalo: false,
                    concern: None,
                    draft: validate_case(&CaseInput {
                        kind: "feedback".into(),
                        description: format!("Phản ánh số {i} về đèn đường."),
                        address: "Ngõ 1".into(),
                        ..Default::default()
                    })
                    .unwrap(),
                    channel: danvan_domain::cases::Channel::Web,
                    category_id: None,
                    place_unit_id: None,
                    unit_id: unit,
                    received_at: chrono::Utc::now(),
                    received_on: today,
                    // Some cases are due to be accepted, others (accepted) to be resolved.
                    accept_due: if i % 2 == 0 { due } else { Some(day(20)) },
                    source: None,
                    idempotency_key: None,
                    notes: vec![],
                },
                status: danvan_domain::cases::CaseStatus::parse(status).unwrap(),
                accepted_on: None,
                resolve_due: if i % 2 == 0 { None } else { due },
                answered_at: None,
                closed_at: None,
                rating: None,
            });
        }
        s.insert_cases_bulk(&rows).await.unwrap();
        for within in [Some(f.ward_a.id), Some(f.ward_b.id), None] {
            let base = CaseFilter { within, limit: 1, ..Default::default() };
            let count = |f: CaseFilter| async move { s.count_cases(&f).await.unwrap() };
            let expected = [
                count(CaseFilter { statuses: vec![danvan_domain::cases::CaseStatus::Received], ..base.clone() }).await,
                count(CaseFilter { due_by: Some(soon), ..base.clone() }).await,
                count(CaseFilter { overdue_as_of: Some(today), ..base.clone() }).await,
                count(CaseFilter { statuses: vec![danvan_domain::cases::CaseStatus::Paused], ..base.clone() }).await,
                count(CaseFilter { statuses: vec![danvan_domain::cases::CaseStatus::AnswerDrafted], ..base.clone() }).await,
            ];
            let c = s.case_counters(within, &[], soon, today).await.unwrap();
            assert_eq!([c.received, c.due_soon, c.overdue, c.paused, c.to_approve], expected, "{} {within:?}", app.backend);
            assert!(expected.iter().all(|n| *n > 0), "the data exercises every counter: {expected:?}");
        }
    }
}
