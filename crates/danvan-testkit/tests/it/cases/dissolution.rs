//! Dissolving a unit: its open cases move to the successor (or wait), closed ones stay.

use danvan_testkit::{Fixture, TestApp};

#[tokio::test]
async fn dissolving_a_unit_moves_its_open_cases_and_keeps_closed_ones() {
    use danvan_domain::cases::{validate_case, CaseInput};
    use danvan_domain::org::unit::{DissolutionPlan, UnitDraft};
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
            zalo: false,
            concern: None,
            draft: validate_case(&CaseInput {
                kind: "feedback".into(),
                description: "Đèn đường hỏng nhiều ngày.".into(),
                address: "Phố cũ".into(),
                ..Default::default()
            })
            .unwrap(),
            channel: danvan_domain::cases::Channel::Web,
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
                danvan_domain::cases::CaseStatus::Received,
                danvan_domain::cases::CaseStatus::Rejected,
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
