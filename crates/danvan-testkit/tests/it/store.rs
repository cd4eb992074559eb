//! The store conformance suite: the same behaviour on SQLite and PostgreSQL.

use danvan_domain::org::account::AccountDraft;
use danvan_domain::org::unit::{DissolutionPlan, UnitCsvRow, UnitDraft};
use danvan_domain::{Role, UnitKind};
use danvan_store::{AuditCtx, AuditFilter, StoreError, UnitSearch};
use danvan_testkit::{Fixture, TestApp};

fn draft(code: &str, name: &str, kind: UnitKind, parent: Option<i64>) -> UnitDraft {
    UnitDraft {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent,
        territory_id: None,
        effective_from: None,
        remote_area: false,
    }
}

fn ctx() -> AuditCtx {
    AuditCtx::system("test")
}

#[tokio::test]
async fn units_sort_in_vietnamese_order_on_every_backend() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let root = s.create_unit(&ctx(), &draft("R", "Tỉnh Gốc", UnitKind::Province, None)).await.unwrap();
        for (code, name) in [
            ("1", "Phường Đống Đa"),
            ("2", "Phường Dịch Vọng"),
            ("3", "Phường Ba Đình"),
            ("4", "Phường Ái Mộ"),
            ("5", "Phường Âu Cơ"),
            ("6", "Phường An Khánh"),
        ] {
            s.create_unit(&ctx(), &draft(code, name, UnitKind::Ward, Some(root.id))).await.unwrap();
        }
        let names: Vec<String> = s.child_units(root.id, false).await.unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(
            names,
            ["Phường Ái Mộ", "Phường An Khánh", "Phường Âu Cơ", "Phường Ba Đình", "Phường Dịch Vọng", "Phường Đống Đa"],
            "backend {}",
            app.backend
        );
    }
}

#[tokio::test]
async fn search_is_diacritic_insensitive_and_ranks_exact_diacritics_first() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let root = s.create_unit(&ctx(), &draft("R", "Thành phố Thử", UnitKind::City, None)).await.unwrap();
        s.create_unit(&ctx(), &draft("H1", "Phường Hổ Sơn", UnitKind::Ward, Some(root.id))).await.unwrap();
        s.create_unit(&ctx(), &draft("H2", "Phường Hồ Tây", UnitKind::Ward, Some(root.id))).await.unwrap();
        s.create_unit(&ctx(), &draft("D1", "Phường Đường Sắt", UnitKind::Ward, Some(root.id))).await.unwrap();
        let search = |q: &str| UnitSearch { q: q.into(), limit: 10, ..Default::default() };
        let (hits, total) = s.search_units(&search("duong")).await.unwrap();
        assert_eq!((total, hits[0].name.as_str()), (1, "Phường Đường Sắt"), "{}", app.backend);
        let (hits, _) = s.search_units(&search("hồ")).await.unwrap();
        assert_eq!(
            hits.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["Phường Hồ Tây", "Phường Hổ Sơn"],
            "{}",
            app.backend
        );
        let (hits, _) = s.search_units(&search("hổ")).await.unwrap();
        assert_eq!(hits[0].name, "Phường Hổ Sơn", "{}", app.backend);
        // LIKE wildcards typed by a user are literal.
        let (_, total) = s.search_units(&search("%")).await.unwrap();
        assert_eq!(total, 0, "{}", app.backend);
    }
}

#[tokio::test]
async fn moving_a_unit_moves_its_subtree_and_cycles_are_refused() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let a = s.create_unit(&ctx(), &draft("A", "A", UnitKind::City, None)).await.unwrap();
        let b = s.create_unit(&ctx(), &draft("B", "B", UnitKind::Ward, Some(a.id))).await.unwrap();
        let c = s.create_unit(&ctx(), &draft("C", "C", UnitKind::ResidentialGroup, Some(b.id))).await.unwrap();
        let x = s.create_unit(&ctx(), &draft("X", "X", UnitKind::City, None)).await.unwrap();
        s.update_unit(&ctx(), b.id, &draft("B", "B", UnitKind::Ward, Some(x.id))).await.unwrap();
        let c2 = s.get_unit(c.id).await.unwrap();
        assert_eq!(c2.ancestry(), vec![x.id, b.id, c.id], "{}", app.backend);
        assert_eq!(c2.depth, 2);
        let err = s.update_unit(&ctx(), b.id, &draft("B", "B", UnitKind::Ward, Some(c.id))).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref e) if e.get("parent_id") == Some("error.cycle")), "{err:?}");
        // Nothing half-written: B is still under X.
        assert_eq!(s.get_unit(b.id).await.unwrap().parent_id, Some(x.id));
    }
}

#[tokio::test]
async fn duplicate_codes_become_field_errors() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        s.create_unit(&ctx(), &draft("DUP", "Một", UnitKind::City, None)).await.unwrap();
        let err = s.create_unit(&ctx(), &draft("DUP", "Hai", UnitKind::City, None)).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.get("code") == Some("error.code_duplicate")),
            "{}: {err:?}",
            app.backend
        );
        assert_eq!(s.count_units().await.unwrap(), 1);
    }
}

#[tokio::test]
async fn dissolution_moves_children_records_successors_and_keeps_names() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let old = s.create_unit(&ctx(), &draft("OLD", "Quận Cũ", UnitKind::District, Some(f.city.id))).await.unwrap();
        let g1 = s.create_unit(&ctx(), &draft("G1", "Tổ 1", UnitKind::ResidentialGroup, Some(old.id))).await.unwrap();
        let g2 = s.create_unit(&ctx(), &draft("G2", "Tổ 2", UnitKind::ResidentialGroup, Some(old.id))).await.unwrap();
        let plan = DissolutionPlan { moves: vec![(g1.id, f.ward_b.id)], unplaced: vec![g2.id] };
        let on = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        s.dissolve_unit(&ctx(), old.id, &[f.ward_a.id, f.ward_b.id], &plan, on).await.unwrap();
        let old = s.get_unit(old.id).await.unwrap();
        assert_eq!((old.name.as_str(), old.effective_to), ("Quận Cũ", Some(on)), "{}", app.backend);
        assert_eq!(s.get_unit(g1.id).await.unwrap().ancestry(), vec![f.city.id, f.ward_b.id, g1.id]);
        let pending = s.pending_transfers().await.unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].item_id, g2.id);
        let succ: Vec<i64> = s.successors(old.id).await.unwrap().iter().map(|u| u.id).collect();
        assert_eq!(succ.len(), 2);
        assert!(s.predecessors(f.ward_a.id).await.unwrap().iter().any(|u| u.id == old.id));
        // The administrator places the waiting unit; only a successor may take it.
        assert!(s.resolve_pending_transfer(&ctx(), pending[0].id, f.group_a1.id).await.is_err());
        s.resolve_pending_transfer(&ctx(), pending[0].id, f.ward_a.id).await.unwrap();
        assert_eq!(s.get_unit(g2.id).await.unwrap().parent_id, Some(f.ward_a.id));
        assert!(s.pending_transfers().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn renames_keep_the_former_name() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let u = s.create_unit(&ctx(), &draft("Q", "Quận ủy Hoàn Kiếm", UnitKind::PartyCommittee, None)).await.unwrap();
        s.update_unit(&ctx(), u.id, &draft("Q", "Đảng ủy phường Hoàn Kiếm", UnitKind::PartyCommittee, None)).await.unwrap();
        let former = s.former_names(u.id).await.unwrap();
        assert_eq!(former[0].0, "Quận ủy Hoàn Kiếm", "{}", app.backend);
    }
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_and_updates_known_codes() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let row = |c: &str, n: &str, k: &str, p: &str| UnitCsvRow {
            code: c.into(),
            name: n.into(),
            kind: k.into(),
            parent_code: p.into(),
            ..Default::default()
        };
        let rows = vec![row("C2", "Phường Hai", "ward", "P1"), row("P1", "Tỉnh Một", "province", "")];
        assert_eq!(s.import_units(&ctx(), &rows, |_| {}).await.unwrap(), (2, 0), "{}", app.backend);
        let bad = vec![row("C3", "Phường Ba", "ward", "P1"), row("C4", "Phường Bốn", "castle", "P1")];
        assert!(s.import_units(&ctx(), &bad, |_| {}).await.is_err());
        assert_eq!(s.count_units().await.unwrap(), 2, "nothing of a bad file is written");
        let again = vec![row("C2", "Phường Hai Mới", "ward", "P1")];
        assert_eq!(s.import_units(&ctx(), &again, |_| {}).await.unwrap(), (0, 1));
        assert_eq!(s.get_unit_by_code("C2").await.unwrap().unwrap().name, "Phường Hai Mới");
    }
}

#[tokio::test]
async fn csv_import_keeps_paths_right_when_it_moves_an_ancestor_of_units_it_does_not_name() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let row = |c: &str, n: &str, k: &str, p: &str| UnitCsvRow {
            code: c.into(),
            name: n.into(),
            kind: k.into(),
            parent_code: p.into(),
            ..Default::default()
        };
        s.import_units(
            &ctx(),
            &[
                row("A", "Tỉnh A", "province", ""),
                row("X", "Tỉnh X", "province", ""),
                row("B", "Xã B", "commune", "A"),
                row("C", "Thôn C", "village", "B"),
            ],
            |_| {},
        )
        .await
        .unwrap();
        // B moves to X; D is new under C, which the file does not name.
        s.import_units(&ctx(), &[row("D", "Nhóm D", "other", "C"), row("B", "Xã B", "commune", "X")], |_| {}).await.unwrap();
        let mut u = vec![];
        for code in ["X", "B", "C", "D"] {
            u.push(s.get_unit_by_code(code).await.unwrap().unwrap());
        }
        let (x, b, c, d) = (&u[0], &u[1], &u[2], &u[3]);
        assert_eq!(d.ancestry(), vec![x.id, b.id, c.id, d.id], "{}", app.backend);
        assert_eq!(d.depth, 3);
        assert_eq!(c.ancestry(), vec![x.id, b.id, c.id]);
    }
}

#[tokio::test]
async fn calendar_overrides_win_on_every_backend() {
    use danvan_domain::calendar::Override;
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(s.work_calendar().await.unwrap().add_working_days(d(2, 12), 3), Some(d(2, 24)));
        s.set_calendar_override(&ctx(), &Override::DayOff { date: d(2, 13), reason: "Nghỉ thêm".into() }).await.unwrap();
        assert_eq!(s.work_calendar().await.unwrap().add_working_days(d(2, 12), 3), Some(d(2, 25)), "{}", app.backend);
        s.set_calendar_override(&ctx(), &Override::WorkingDay { date: d(2, 21), reason: "Làm bù".into() }).await.unwrap();
        assert_eq!(s.work_calendar().await.unwrap().add_working_days(d(2, 12), 3), Some(d(2, 24)), "{}", app.backend);
        // One override per day: setting again replaces.
        s.set_calendar_override(&ctx(), &Override::RemoveHoliday { date: d(2, 13) }).await.unwrap();
        assert_eq!(s.calendar_overrides().await.unwrap().len(), 2);
        let err = s.set_calendar_override(&ctx(), &Override::DayOff { date: d(3, 2), reason: " ".into() }).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        s.delete_calendar_override(&ctx(), d(2, 21)).await.unwrap();
        assert!(matches!(s.delete_calendar_override(&ctx(), d(2, 21)).await, Err(StoreError::NotFound)));
        let (entries, _) =
            s.list_audit(&AuditFilter { target_type: Some("calendar".into()), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(entries.len(), 4, "every change is audited");

        // An import: all rows in one transaction, each audited; one bad row saves none.
        let bad = [
            Override::DayOff { date: d(4, 1), reason: "Nghỉ bù".into() },
            Override::WorkingDay { date: d(4, 4), reason: "".into() },
        ];
        assert!(matches!(s.set_calendar_overrides(&ctx(), &bad).await, Err(StoreError::Invalid(_))));
        assert_eq!(s.calendar_overrides().await.unwrap().len(), 1, "nothing of the refused batch was saved");
        let good = [
            Override::DayOff { date: d(4, 1), reason: "Nghỉ bù".into() },
            Override::WorkingDay { date: d(4, 4), reason: "Làm bù".into() },
        ];
        s.set_calendar_overrides(&ctx(), &good).await.unwrap();
        assert_eq!(s.calendar_overrides().await.unwrap().len(), 3, "{}", app.backend);
        let (entries, _) =
            s.list_audit(&AuditFilter { target_type: Some("calendar".into()), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(entries.len(), 6, "each imported row is audited");
    }
}

#[tokio::test]
async fn the_audit_log_records_changes_and_refuses_edits() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let u = s.create_unit(&ctx(), &draft("AU", "Phường Kiểm Tra", UnitKind::Ward, None)).await.unwrap();
        s.update_unit(&ctx(), u.id, &draft("AU", "Phường Đã Sửa", UnitKind::Ward, None)).await.unwrap();
        let (entries, total) = s
            .list_audit(&AuditFilter { target_type: Some("unit".into()), target_id: Some(u.id), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(total, 2, "{}", app.backend);
        assert_eq!(entries[0].action, "unit.update");
        let changes: serde_json::Value = serde_json::from_str(&entries[0].changes).unwrap();
        assert_eq!(changes["name"], serde_json::json!(["Phường Kiểm Tra", "Phường Đã Sửa"]));
        assert!(changes.get("code").is_none(), "unchanged fields are not recorded");
        assert!(
            s.execute_raw("UPDATE audit_log SET action = 'x'").await.is_err(),
            "{}: audit log must be append-only",
            app.backend
        );
        assert!(s.execute_raw("DELETE FROM audit_log").await.is_err());
    }
}

#[tokio::test]
async fn sessions_tokens_and_throttling_work_on_every_backend() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let acc = s
            .create_account(
                &ctx(),
                &AccountDraft { username: "lan".into(), full_name: "Nguyễn Thị Lan".into(), email: None, phone: None },
                "x",
            )
            .await
            .unwrap();
        let (token, csrf) = s.create_session(acc.id, chrono::Duration::hours(1), "127.0.0.1", "test").await.unwrap();
        let sess = s.session(&token).await.unwrap().expect("session");
        assert_eq!((sess.account_id, sess.csrf_token), (acc.id, csrf));
        s.delete_sessions_of(&ctx(), acc.id).await.unwrap();
        assert!(s.session(&token).await.unwrap().is_none(), "{}", app.backend);
        let (row, secret) = s.create_api_token(&ctx(), acc.id, "tích hợp").await.unwrap();
        assert_eq!(s.account_for_api_token(&secret).await.unwrap(), Some(acc.id));
        s.revoke_api_token(&ctx(), acc.id, row.id).await.unwrap();
        assert_eq!(s.account_for_api_token(&secret).await.unwrap(), None);
        let since = chrono::Utc::now() - chrono::Duration::minutes(1);
        for _ in 0..3 {
            s.record_login_failure("account", "lan").await.unwrap();
        }
        assert_eq!(s.login_failures_since("account", "lan", since).await.unwrap(), 3);
        let err = s.add_membership(&ctx(), acc.id, 999_999, Role::Officer, "").await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
    }
}

/// Rows carry domain enums decoded once in the store: a stored name no enum knows (written by
/// another version, or by hand) is an error when read, never a default such as "feedback".
#[tokio::test]
async fn an_unknown_stored_name_is_an_error_not_a_default() {
    use danvan_domain::cases::{CaseKind, CaseStatus};
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let c = danvan_testkit::case_in(&app, &f.committee_a, CaseKind::Complaint, "Trần Thị Hoa", true).await;
        assert_eq!((c.kind, c.status), (CaseKind::Complaint, CaseStatus::Accepted), "{}", app.backend);
        let corrupt = |r: Result<_, StoreError>, what: &str| match r {
            Err(StoreError::Corrupt(u)) => u,
            Err(e) => panic!("{}: {what}: another error: {e}", app.backend),
            Ok(_) => panic!("{}: {what}: read as if it were known", app.backend),
        };

        // An unknown kind in a case row.
        s.execute_raw(&format!("UPDATE cases SET kind = 'rumour' WHERE id = {}", c.id)).await.unwrap();
        let u = corrupt(s.get_case(c.id).await.map(|_| ()), "get_case");
        assert_eq!(u.value, "rumour", "{}", app.backend);
        corrupt(s.get_case_by_code(&c.code).await.map(|_| ()), "get_case_by_code");
        let inbox = danvan_store::cases::CaseFilter { within: Some(f.ward_a.id), limit: 50, ..Default::default() };
        corrupt(s.list_cases(&inbox).await.map(|_| ()), "list_cases");
        // The application reports it too (an internal error), rather than acting on a guess.
        let engine = danvan_app::App::new(s.clone(), danvan_app::AppConfig::default());
        let r = danvan_app::cases::act(
            &engine,
            &danvan_app::Caller::system(),
            c.id,
            &danvan_app::cases::ActRequest { action: "start".into(), ..Default::default() },
        )
        .await;
        assert!(matches!(r, Err(danvan_app::AppError::Internal(_))), "{}: {r:?}", app.backend);

        // An unknown status, in the row and in its history.
        s.execute_raw(&format!("UPDATE cases SET kind = 'complaint', status = 'lost' WHERE id = {}", c.id)).await.unwrap();
        corrupt(s.get_case(c.id).await.map(|_| ()), "status");
        s.execute_raw(&format!("UPDATE cases SET status = 'accepted' WHERE id = {}", c.id)).await.unwrap();
        assert_eq!(s.get_case(c.id).await.unwrap().kind, CaseKind::Complaint, "{}", app.backend);
        s.execute_raw(&format!("UPDATE case_events SET to_status = 'lost' WHERE case_id = {}", c.id)).await.unwrap();
        corrupt(s.case_events(c.id, false).await.map(|_| ()), "case_events");

        // An unknown channel.
        s.execute_raw(&format!("UPDATE cases SET channel = 'pigeon' WHERE id = {}", c.id)).await.unwrap();
        corrupt(s.get_case(c.id).await.map(|_| ()), "channel");

        // Outbox channel and status, calendar override kind.
        s.execute_raw(&format!(
            "INSERT INTO outbox (case_id, answer_case_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at)
             VALUES ({0}, {0}, 'fax', 'x', 's', 'b', 'pending', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            c.id
        ))
        .await
        .unwrap();
        corrupt(s.case_messages(c.id).await.map(|_| ()), "outbox channel");
        s.execute_raw(&format!("UPDATE outbox SET channel = 'sms', status = 'lost' WHERE case_id = {}", c.id)).await.unwrap();
        corrupt(s.case_messages(c.id).await.map(|_| ()), "outbox status");
        // (An attachment's purpose is also held to its names by a CHECK constraint.)
        s.execute_raw(
            "INSERT INTO calendar_overrides (day, kind, reason, created_at) VALUES ('2030-01-02', 'half_day', 'x', CURRENT_TIMESTAMP)",
        )
        .await
        .unwrap();
        corrupt(s.calendar_overrides().await.map(|_| ()), "override kind");
    }
}

#[tokio::test]
async fn a_unit_is_named_by_code_strictly_and_by_name_only_where_the_pickers_allow_it() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let s = &app.store;
        let ctx = AuditCtx::system("test");
        let draft = |code: &str, name: &str, parent: i64| UnitDraft {
            code: code.into(),
            name: name.into(),
            kind: UnitKind::ResidentialGroup,
            parent_id: Some(parent),
            territory_id: None,
            effective_from: None,
            remote_area: false,
        };
        // By code only: a name is not a code (settings, boundaries and the APIs store codes).
        assert!(s.get_unit_by_code("Phường An Bình").await.unwrap().is_none());
        assert_eq!(s.get_unit_by_code_or_name("  Phường  An Bình ").await.unwrap().map(|u| u.id), Some(f.ward_a.id));
        // A name two live units bear names neither.
        assert_eq!(s.get_unit_by_code_or_name("Tổ dân phố số 1").await.unwrap().map(|u| u.id), Some(f.group_a1.id));
        s.create_unit(&ctx, &draft("TB-1", "Tổ dân phố số 1", f.ward_b.id)).await.unwrap();
        assert!(s.get_unit_by_code_or_name("Tổ dân phố số 1").await.unwrap().is_none());
        // A code wins over a name.
        s.create_unit(&ctx, &draft("TB-9", "TA", f.ward_b.id)).await.unwrap();
        assert_eq!(s.get_unit_by_code_or_name("TA").await.unwrap().map(|u| u.id), Some(f.ward_a.id));
        assert!(s.get_unit_by_code_or_name("").await.unwrap().is_none());
    }
}
