//! The reviewer's later findings on denunciations (issue 10), through the real code on both
//! databases: a dissolution moving one into whom it concerns, a reclassification racing an
//! assignment, supporting units left on old protected cases, escalation notices and inbox
//! counters, routing about an official, and case pages answering 403.

use super::{action, create, denunciation, shows_the_denouncer, signed_in, NAME};
use danvan_domain::org::unit::DissolutionPlan;
use danvan_domain::Role;
use danvan_store::AuditCtx;
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::json;

/// An official `username` with `role` on `unit`; returns the account's id.
async fn official(app: &TestApp, username: &str, unit: i64, role: Role) -> i64 {
    let ctx = AuditCtx::system("test");
    let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
    let draft = danvan_domain::org::account::AccountDraft {
        username: username.into(),
        full_name: format!("Cán bộ {username}"),
        email: None,
        phone: None,
    };
    let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
    app.store.add_membership(&ctx, acc.id, unit, role, "").await.unwrap();
    acc.id
}

async fn caller(app: &TestApp, username: &str) -> danvan_app::Caller {
    let acc = app.store.get_account_by_username(username).await.unwrap().unwrap();
    let memberships = app.store.memberships_of(acc.id).await.unwrap();
    danvan_app::Caller::account(acc, memberships, "127.0.0.1".into())
}

fn id_code(created: &serde_json::Value) -> (i64, String) {
    (created["case"]["id"].as_i64().unwrap(), created["case"]["code"].as_str().unwrap().to_string())
}

/// Finding 2 (dissolution): merging units moved open work into the unit a denunciation concerns,
/// and dissolving the unit concerned left the concern on a unit nobody belongs to any more. Now
/// the concern follows the dissolved unit to its successor and a case moved into a unit it must
/// avoid goes to the unit above, as intake and transfers do.
#[tokio::test]
async fn a_dissolution_never_moves_a_denunciation_into_whom_it_concerns() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let on = chrono::Utc::now().date_naive();
        let committee_official = official(&app, "officer_ub", f.committee_a.id, Role::Officer).await;
        let mut officer = signed_in(&app, "officer_a").await;
        // X: about ward B, handled by ward A's committee. Y: about the committee, handled by ward A.
        let (status, created) = create(&mut officer, denunciation("TB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (x, _) = id_code(&created);
        assert_eq!(app.store.get_case(x).await.unwrap().unit_id, f.committee_a.id, "{b}");
        let (status, created) = create(&mut officer, denunciation("TA-UB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (y, y_code) = id_code(&created);
        assert_eq!(app.store.get_case(y).await.unwrap().unit_id, f.ward_a.id, "{b}");

        // The committee is dissolved into the ward: its people become the ward's. The concern
        // follows them, and Y, now handled inside the unit it concerns, goes up to the city.
        let plan = DissolutionPlan { moves: vec![], unplaced: vec![] };
        app.store.dissolve_unit(&ctx, f.committee_a.id, &[f.ward_a.id], &plan, on).await.unwrap();
        let case_y = app.store.get_case(y).await.unwrap();
        assert_eq!((case_y.concerned_unit_id, case_y.unit_id), (Some(f.ward_a.id), f.city.id), "{b}");
        assert_eq!(app.store.get_case(x).await.unwrap().unit_id, f.ward_a.id, "X moves with the work, {b}");
        // The committee's official, now working in the ward, neither reads nor hears of Y.
        app.store.add_membership(&ctx, committee_official, f.ward_a.id, Role::Officer, "").await.unwrap();
        let mut former = signed_in(&app, "officer_ub").await;
        let (status, page) = former.page(&format!("/cases/{y}")).await;
        assert_eq!(status, 404, "{b}");
        assert!(!shows_the_denouncer(&page), "{b}");
        let r = former.json(Method::GET, &format!("/api/v1/cases/{y_code}"), None).await;
        assert_eq!(r.status().as_u16(), 404, "{b}");

        // Ward A merges into ward B, the unit X concerns: X does not go there but above it.
        let plan = DissolutionPlan { moves: vec![(f.group_a1.id, f.ward_b.id)], unplaced: vec![] };
        app.store.dissolve_unit(&ctx, f.ward_a.id, &[f.ward_b.id], &plan, on).await.unwrap();
        let case_x = app.store.get_case(x).await.unwrap();
        assert_eq!((case_x.unit_id, case_x.concerned_unit_id), (f.city.id, Some(f.ward_b.id)), "{b}");
        let leader_b = caller(&app, "leader_b").await;
        assert!(danvan_app::cases::queries::case_for(&app.app, &leader_b, x, danvan_domain::Action::View).await.is_err(), "{b}");
        assert_eq!(app.store.get_case(y).await.unwrap().unit_id, f.city.id, "{b}");
    }
}

/// Finding 6: `act` decided on the row it read before its transaction, so a reclassification into
/// a denunciation committed in between let an officer's self-assignment through (and show them
/// the denouncer). Here an outside connection makes that change and holds it while the
/// assignment is decided, then commits: the assignment must see it and be refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assignment_decided_before_a_reclassification_is_refused() {
    use sqlx::Connection;
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let c = danvan_testkit::case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Feedback, NAME, true).await;
        let officer = caller(&app, "officer_a").await;
        let reclassify = format!(
            "UPDATE cases SET kind = 'denunciation', identity_protected = TRUE, concerned_unit_id = {}, concerned_name = 'Nguyễn Văn Bị' WHERE id = {}",
            f.ward_b.id, c.id
        );
        let assign = |app: danvan_app::App, who: danvan_app::Caller, id: i64| {
            tokio::spawn(async move {
                let r = danvan_app::cases::ActRequest { action: "assign".into(), ..Default::default() };
                danvan_app::cases::act(&app, &who, id, &r).await
            })
        };
        let wait = std::time::Duration::from_millis(800);
        let outcome = if b == "sqlite" {
            let mut conn = sqlx::SqliteConnection::connect(&app.db_url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
            sqlx::query(&reclassify).execute(&mut conn).await.unwrap();
            let task = assign(app.app.clone(), officer.clone(), c.id);
            tokio::time::sleep(wait).await;
            sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
            task.await.unwrap()
        } else {
            let mut conn = sqlx::PgConnection::connect(&app.db_url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
            sqlx::query(&reclassify).execute(&mut conn).await.unwrap();
            let task = assign(app.app.clone(), officer.clone(), c.id);
            tokio::time::sleep(wait).await;
            sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
            task.await.unwrap()
        };
        assert!(outcome.is_err(), "{b}: the assignment went through: {outcome:?}");
        let now = app.store.get_case(c.id).await.unwrap();
        assert_eq!((now.identity_protected, now.assignee_id), (true, None), "{b}");
        // Tried again on the row as it is, it is the leader's decision.
        let again = danvan_app::cases::act(
            &app.app,
            &officer,
            c.id,
            &danvan_app::cases::ActRequest { action: "assign".into(), ..Default::default() },
        )
        .await;
        assert!(matches!(again, Err(danvan_app::AppError::Forbidden)), "{b}: {again:?}");
    }
}

/// Finding 14: migration 000016 protected old cases that had been denunciations, but kept the
/// supporting units they were given after being reclassified; those units still found them in
/// their "supported" lists and exports. A protected case has no supporting units, whatever rows
/// remain.
#[tokio::test]
async fn supporting_units_left_on_an_old_protected_case_see_nothing_of_it() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let c = danvan_testkit::case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Petition, NAME, true).await;
        // As the migration left it: a petition that once was a denunciation, supported by ward B.
        let sql = [
            format!("UPDATE cases SET identity_protected = TRUE WHERE id = {}", c.id),
            format!(
                "INSERT INTO case_supports (case_id, unit_id, added_at) VALUES ({}, {}, '2025-03-01T00:00:00Z')",
                c.id, f.ward_b.id
            ),
        ];
        for s in sql {
            app.store.execute_raw(&s).await.unwrap();
        }
        let mut leader_b = signed_in(&app, "leader_b").await;
        let (status, inbox) = leader_b.page("/inbox?scope=supported").await;
        assert_eq!((status, inbox.contains(&c.code)), (200, false), "{b}: the supported inbox");
        let list = leader_b.json(Method::GET, "/api/v1/cases?scope=supported", None).await.text().await.unwrap();
        assert!(!list.contains(&c.code), "{b}: {list}");
        let xlsx = leader_b.get("/inbox/export.xlsx?scope=supported").await.bytes().await.unwrap();
        assert!(!crate::inbox::xlsx_parts(&xlsx).0.contains(&c.code), "{b}: the export");
        let (status, page) = leader_b.page(&format!("/cases/{}", c.id)).await;
        assert_eq!(status, 404, "{b}");
        assert!(!shows_the_denouncer(&page), "{b}");
    }
}

/// The number in the home page's counter that links to `/inbox?{query}`.
fn counter(page: &str, query: &str) -> i64 {
    let start = format!("href=\"/inbox?{query}\"><strong>");
    let at = page.find(&start).unwrap_or_else(|| panic!("no counter {query}")) + start.len();
    page[at..].chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap()
}

/// Escalation notices and inbox counters told a leader of an overdue denunciation that concerns
/// them. Neither counts nor announces it to them; a colleague still sees both.
#[tokio::test]
async fn a_denunciation_is_neither_counted_nor_announced_to_whom_it_concerns() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let leader_a = app.store.get_account_by_username("leader_a").await.unwrap().unwrap().id;
        // Older data: a denunciation of the ward's chair, handled in the ward, overdue.
        let c = danvan_testkit::case_in(&app, &f.ward_a, danvan_domain::cases::CaseKind::Denunciation, NAME, false).await;
        let sql = format!(
            "UPDATE cases SET identity_protected = TRUE, concerned_unit_id = {}, concerned_name = 'Người dùng leader_a', concerned_account_id = {leader_a}, accept_due = '2020-01-02' WHERE id = {}",
            f.committee_a.id, c.id
        );
        app.store.execute_raw(&sql).await.unwrap();
        danvan_app::jobs::escalate(&app.app).await.unwrap();
        let notices = app.store.unread_notifications(leader_a, 20).await.unwrap();
        assert!(notices.iter().all(|n| n.case_id != c.id), "{b}: {notices:?}");
        let mut leader = signed_in(&app, "leader_a").await;
        let (_, home) = leader.page("/").await;
        assert!(!home.contains(&c.code), "{b}: a notice on the home page");
        assert_eq!((counter(&home, "status=received"), counter(&home, "due=overdue")), (0, 0), "{b}: the leader's counters");
        let (_, inbox) = leader.page("/inbox").await;
        assert_eq!(counter(&inbox, "status=received"), 0, "{b}: the inbox's counters");
        // A notice given before (older data) is not shown either.
        app.store.notify(&[leader_a], c.id, danvan_domain::calendar::DueStatus::Overdue).await.unwrap();
        let (_, home) = leader.page("/").await;
        assert!(!home.contains(&c.code), "{b}: an older notice on the home page");
        // Their officer, who is not concerned, counts it.
        let (_, home) = signed_in(&app, "officer_a").await.page("/").await;
        assert_eq!((counter(&home, "status=received"), counter(&home, "due=overdue")), (1, 1), "{b}: a colleague's counters");
    }
}

/// `route_around` stepped around the unit concerned only: a denunciation of an official went to
/// the ward they lead or work in. It now goes above every unit where they hold a membership, and
/// is never transferred there.
#[tokio::test]
async fn a_denunciation_about_an_official_is_not_routed_where_they_work() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "officer_a").await;
        // The ward's chair, about the ward's committee: neither the committee nor the ward.
        let (status, created) = create(&mut officer, denunciation("TA-UB", "leader_a")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (id, code) = id_code(&created);
        assert_eq!(app.store.get_case(id).await.unwrap().unit_id, f.city.id, "{b}");
        // The city (its administrator here) may not send it back to the ward either.
        let mut admin = signed_in(&app, "admin").await;
        let (status, out) = action(&mut admin, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        let (status, out) = action(&mut admin, &code, json!({"action": "transfer", "unit_code": "TA-1", "note": "Về tổ"})).await;
        assert_eq!((status, super::keys(&out)), (422, vec![("unit_code".into(), "case.error.transfer_concerned".into())]), "{b}");
        // About someone of ward B's committee who works nowhere else, it stays in ward A.
        official(&app, "officer_b", f.ward_b.id, Role::Officer).await;
        let (status, created) = create(&mut officer, denunciation("TB", "officer_b")).await;
        assert_eq!(status, 201, "{b}: {created}");
        assert_eq!(app.store.get_case(id_code(&created).0).await.unwrap().unit_id, f.committee_a.id, "{b}");
    }
}

/// The walk of 2026-12-07 (H1): reclassified into a petition and back into a denunciation about
/// another unit, a denunciation about ward B could then be transferred to ward B, whose officer
/// read and closed it. Whom it concerns is recorded once and stays.
#[tokio::test]
async fn a_denunciation_keeps_whom_it_concerns_through_any_reclassification() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, created) = create(&mut officer, denunciation("TB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (id, code) = id_code(&created);
        let reclassify = |kind: &str, unit: &str| {
            let name = if unit.is_empty() { "" } else { "Người khác" };
            json!({"action": "reclassify", "kind": kind, "note": "Xem lại nội dung", "concerned_unit": unit, "concerned_name": name})
        };
        let (status, out) = action(&mut leader, &code, reclassify("petition", "")).await;
        assert_eq!(status, 200, "{b}: {out}");
        // Back into a denunciation about someone else: refused, directly or through a petition.
        let (status, out) = action(&mut leader, &code, reclassify("denunciation", "TA-1")).await;
        assert_eq!(status, 422, "{b}: {out}");
        assert_eq!(out["errors"][0]["key"], "case.error.concern_recorded", "{b}: {out}");
        // Without a concern, or with the same one, it is a denunciation about ward B again.
        let (status, out) = action(&mut leader, &code, reclassify("denunciation", "")).await;
        assert_eq!(status, 200, "{b}: {out}");
        let (status, out) = action(&mut leader, &code, reclassify("denunciation", "TA-1")).await;
        assert_eq!(status, 422, "{b}: {out}");
        assert_eq!(app.store.get_case(id).await.unwrap().concerned_unit_id, Some(f.ward_b.id), "{b}");
        // And it still never goes to ward B.
        let (status, out) = action(&mut officer, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        let (status, out) = action(&mut officer, &code, json!({"action": "transfer", "unit_code": "TB", "note": "Chuyển"})).await;
        assert_eq!(status, 422, "{b}: {out}");
    }
}

/// The walk of 2026-12-07 (H3): an administrator gave themselves an officer's membership in the
/// handling unit, assigned the protected case to themselves and read the denouncer. Holding the
/// administrators' role, nobody decides on a protected case without a leader's membership, nor
/// reads its sender.
#[tokio::test]
async fn an_administrator_cannot_make_themselves_the_handler_of_a_protected_case() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let mut officer = signed_in(&app, "officer_a").await;
        let (status, created) = create(&mut officer, denunciation("TB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (id, code) = id_code(&created);
        let unit = app.store.get_case(id).await.unwrap().unit_id;
        let admin = app.store.get_account_by_username("admin").await.unwrap().unwrap();
        app.store.add_membership(&ctx, admin.id, unit, Role::Officer, "").await.unwrap();
        let (status, out) = action(&mut officer, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        let mut admin_c = signed_in(&app, "admin").await;
        let (status, out) = action(&mut admin_c, &code, json!({"action": "assign"})).await;
        assert_eq!(status, 403, "{b}: {out}");
        // A leader giving it to them is refused too: they would read the sender.
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, out) = action(&mut leader, &code, json!({"action": "assign", "assignee": "admin"})).await;
        assert_eq!((status, out["errors"][0]["key"].as_str()), (422, Some("case.error.assignee")), "{b}: {out}");
        let r = admin_c.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await;
        assert!(!shows_the_denouncer(&r.text().await.unwrap()), "{b}");
        let _ = f;
    }
}

/// The walk of 2026-12-07 (M1): the printed answer, merging, answer files and bulk assignment
/// still answered 403 for a denunciation concerning the caller and 404 for an unknown id, which
/// told them it exists. Every case route now answers them alike.
#[tokio::test]
async fn every_case_route_answers_whom_a_denunciation_concerns_as_for_an_unknown_case() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let _f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let (status, created) = create(&mut officer, denunciation("TB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (id, _) = id_code(&created);
        let unknown = id + 100_000;
        // Ward B's leader: in the unit the denunciation concerns.
        let mut concerned = signed_in(&app, "leader_b").await;
        for (hidden, missing) in [
            (format!("/cases/{id}/answer/print"), format!("/cases/{unknown}/answer/print")),
            (format!("/cases/{id}"), format!("/cases/{unknown}")),
        ] {
            let (a, _) = concerned.page(&hidden).await;
            let (m, _) = concerned.page(&missing).await;
            assert_eq!((a, m), (404, 404), "{hidden}, {b}");
        }
        concerned.page("/inbox").await;
        for (hidden, missing, form) in [
            (
                format!("/cases/{id}/merge"),
                format!("/cases/{unknown}/merge"),
                vec![("into", "PA-2026-000001"), ("note", "Trùng")],
            ),
            (format!("/cases/{id}/files"), format!("/cases/{unknown}/files"), vec![("note", "")]),
        ] {
            let a = concerned.post_form(&hidden, &form).await.status().as_u16();
            let m = concerned.post_form(&missing, &form).await.status().as_u16();
            assert_eq!((a, m), (404, 404), "{hidden}, {b}");
        }
        let (known, unknown) = (id.to_string(), unknown.to_string());
        let r = concerned
            .post_form("/inbox/assign", &[("ids", known.as_str()), ("ids", unknown.as_str()), ("assignee", "leader_b")])
            .await;
        let body = r.text().await.unwrap();
        assert!(!body.contains("Bạn không có quyền"), "{b}: {body}");
        assert_eq!(body.matches("Không tìm thấy trang hoặc dữ liệu yêu cầu.").count(), 2, "{b}: {body}");
    }
}
