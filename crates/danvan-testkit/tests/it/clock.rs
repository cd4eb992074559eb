//! Time and place of a case: a paused case's due date moves with its pause (never overdue while
//! it waits), the date a case was received is shown next to the time it was recorded, and no
//! open case ever sits at a dissolved unit.

use chrono::{Days, Duration, NaiveDate, Utc};
use danvan_domain::cases::{self as case, CaseKind, Clock, DeadlinePolicy};
use danvan_domain::org::unit::{DissolutionPlan, UnitDraft};
use danvan_domain::UnitKind;
use danvan_store::cases::{BulkCase, CaseChange, CaseFilter, NewCase};
use danvan_store::{AuditCtx, StoreError};
use danvan_testkit::{case_in, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

fn vn_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The text of the `<dd>` that follows the `<dt>` labelled `label`.
fn dd_after(html: &str, label: &str) -> String {
    let start = html.find(&format!("{label}</dt><dd>")).unwrap_or_else(|| panic!("no {label} in the page")) + label.len() + 9;
    html[start..].split("</dd>").next().unwrap().to_string()
}

#[tokio::test]
async fn a_paused_case_is_due_as_its_pause_moves_it_and_never_overdue() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let today = danvan_app::cases::today();
        let cal = s.work_calendar().await.unwrap();
        // Accepted 16 days ago: 10 working days had run out by the time it was stored; it has
        // waited for the citizen for the last 8 days, which pushes the date past today.
        let accepted = today - Days::new(16);
        let paused = today - Days::new(8);
        let policy = DeadlinePolicy::default_for(CaseKind::Feedback);
        let clock = Clock {
            received_on: accepted,
            accepted_on: Some(accepted),
            complex: false,
            remote: false,
            extensions_used: 0,
            pauses: vec![],
        };
        let stored = case::due_dates(&policy, &clock, &cal).1.unwrap();
        let moved = case::due_dates(&policy, &Clock { pauses: vec![(paused, today)], ..clock.clone() }, &cal).1.unwrap();
        assert!(stored < today && moved >= today, "the test's dates: stored {stored}, moved {moved}, today {today}");

        let c = case_in(&app, &f.committee_a, CaseKind::Feedback, "Nguyễn Văn Phúc", true).await;
        let change = |from: &str, to: &str, action: &str| {
            let st = |s: &str| danvan_domain::cases::CaseStatus::parse(s).unwrap();
            CaseChange::new(action, st(from), st(to))
        };
        s.apply_case_change(
            &ctx,
            c.id,
            &CaseChange {
                accepted_on: Some(Some(accepted)),
                resolve_due: Some(Some(stored)),
                publish: Some(true),
                ..change("accepted", "accepted", "due_date")
            },
        )
        .await
        .unwrap();
        s.apply_case_change(&ctx, c.id, &change("accepted", "in_progress", "start")).await.unwrap();
        let at = Utc::now() - Duration::days(8);
        s.apply_case_change(
            &ctx,
            c.id,
            &CaseChange { at: Some(at), paused_since: Some(Some(paused)), ..change("in_progress", "paused", "pause") },
        )
        .await
        .unwrap();

        // The store's filters and counters.
        let base = CaseFilter { within: Some(f.ward_a.id), limit: 50, ..Default::default() };
        let soon = cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap();
        assert_eq!(
            s.count_cases(&CaseFilter { overdue_as_of: Some(today), ..base.clone() }).await.unwrap(),
            0,
            "{}",
            app.backend
        );
        assert_eq!(s.count_cases(&CaseFilter { due_by: Some(soon), ..base.clone() }).await.unwrap(), 0, "{}", app.backend);
        let n = s.case_counters(Some(f.ward_a.id), &[], soon, today).await.unwrap();
        assert_eq!((n.overdue, n.due_soon, n.paused), (0, 0, 1), "{}", app.backend);

        // The pages.
        let mut web = app.client();
        web.login("officer_a", PASSWORD).await;
        let (status, page) = web.page(&format!("/cases/{}", c.id)).await;
        assert_eq!(status, 200);
        assert!(
            dd_after(&page, "Hạn giải quyết").starts_with(&vn_date(moved)),
            "{}: {}",
            app.backend,
            dd_after(&page, "Hạn giải quyết")
        );
        assert!(!page.contains("badge-danger"), "a paused case is not shown overdue ({})", app.backend);
        let (_, inbox) = web.page("/inbox?view=open").await;
        assert!(inbox.contains(&c.code) && inbox.contains(&vn_date(moved)) && !inbox.contains("badge-danger"), "{}", app.backend);
        assert!(!inbox.contains(&vn_date(stored)), "the stale date is not shown ({})", app.backend);
        let (_, overdue) = web.page("/inbox?due=overdue").await;
        assert!(!overdue.contains(&c.code), "{}", app.backend);

        // The JSON API and Open311.
        let api: Value = web.json(Method::GET, &format!("/api/v1/cases/{}", c.code), None).await.json().await.unwrap();
        assert_eq!(api["case"]["resolve_due"], moved.to_string(), "{}", app.backend);
        let listed: Value = web.json(Method::GET, "/api/v1/cases?due=overdue", None).await.json().await.unwrap();
        assert_eq!(listed["total"], 0, "{}", app.backend);
        let o: Value =
            reqwest::get(format!("{}/open311/v2/requests/{}.json", app.url, c.code)).await.unwrap().json().await.unwrap();
        let expected = o[0]["expected_datetime"].as_str().unwrap_or_default();
        assert!(expected.starts_with(&moved.to_string()), "{}: {o}", app.backend);

        // Escalation: nobody hears of it as overdue or due soon.
        let engine = danvan_app::App::new(s.clone(), danvan_app::AppConfig::default());
        danvan_app::jobs::escalate(&engine).await.unwrap();
        let leader = s.get_account_by_username("leader_a").await.unwrap().unwrap();
        assert!(s.unread_notifications(leader.id, 50).await.unwrap().iter().all(|n| n.case_id != c.id), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_letter_shows_the_date_it_was_received_next_to_when_it_was_recorded() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let today = danvan_app::cases::today();
        let received = today - Days::new(12);
        let mut web = app.client();
        web.login("officer_a", PASSWORD).await;
        let body = json!({"kind": "feedback", "category": "chieu-sang", "description": "Đèn đường ngõ 9 hỏng đã lâu.", "place": "TA-1",
            "address": "Ngõ 9", "channel": "letter", "received_on": received.to_string()});
        let r = web.json(Method::POST, "/api/v1/cases", Some(body)).await;
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["case"]["received_on"], received.to_string(), "{}: {created}", app.backend);
        let code = created["case"]["code"].as_str().unwrap().to_string();
        let accept_due: NaiveDate = created["case"]["accept_due"].as_str().unwrap().parse().unwrap();
        assert!(accept_due >= received, "deadlines start from the date received");
        let detail: Value = web.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await.json().await.unwrap();
        assert_eq!(detail["case"]["received_on"], received.to_string(), "{}", app.backend);

        let id = created["case"]["id"].as_i64().unwrap();
        let (_, page) = web.page(&format!("/cases/{id}")).await;
        // The date received, as a date; the time it was typed in, under its own label.
        assert_eq!(dd_after(&page, "Ngày tiếp nhận"), vn_date(received), "{}", app.backend);
        assert!(dd_after(&page, "Thời điểm ghi nhận").starts_with(&vn_date(today)), "{}", app.backend);
        assert_eq!(dd_after(&page, "Hạn thụ lý"), vn_date(accept_due), "{}", app.backend);
        // The inbox filters on the date received.
        let (_, inbox) = web.page(&format!("/inbox?to={received}")).await;
        assert!(inbox.contains(&code), "{}", app.backend);
    }
}

fn open_case(unit_id: i64, status: &str) -> BulkCase {
    let today = Utc::now().date_naive();
    BulkCase {
        new: NewCase {
            zalo: false,
            concern: None,
            draft: case::validate_case(&case::CaseInput {
                kind: "feedback".into(),
                description: "Rác tồn đọng đầu ngõ nhiều ngày.".into(),
                address: "Ngõ 3".into(),
                ..Default::default()
            })
            .unwrap(),
            channel: case::Channel::Web,
            category_id: None,
            place_unit_id: None,
            unit_id,
            received_at: Utc::now(),
            received_on: today,
            accept_due: Some(today + Days::new(5)),
            source: None,
            idempotency_key: None,
            notes: vec![],
        },
        status: case::CaseStatus::parse(status).unwrap(),
        accepted_on: None,
        resolve_due: None,
        answered_at: None,
        closed_at: None,
        rating: None,
    }
}

fn refused_at_dissolved<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    match r {
        Err(StoreError::Invalid(f)) => assert_eq!(f.get("unit"), Some("case.error.unit_dissolved"), "{what}: {f:?}"),
        other => panic!("{what}: expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn no_open_case_sits_at_a_dissolved_unit() {
    for app in TestApp::each_backend().await {
        let s = &app.store;
        let f = Fixture::build(s).await;
        let ctx = AuditCtx::system("test");
        let draft = |code: &str, name: &str| UnitDraft {
            code: code.into(),
            name: name.into(),
            kind: UnitKind::PeoplesCommittee,
            parent_id: Some(f.ward_b.id),
            territory_id: Some(f.ward_b.id),
            effective_from: None,
            remote_area: false,
        };
        let old = s.create_unit(&ctx, &draft("TB-UB", "Ủy ban nhân dân phường Bến Đò (cũ)")).await.unwrap();
        // An open case waits there when the unit is dissolved into two successors.
        let stuck = case_in(&app, &old, CaseKind::Feedback, "Lê Thị Hoa", true).await;
        let yesterday = danvan_app::cases::today() - Days::new(1);
        s.dissolve_unit(
            &ctx,
            old.id,
            &[f.committee_a.id, f.ward_b.id],
            &DissolutionPlan { moves: vec![], unplaced: vec![] },
            yesterday,
        )
        .await
        .unwrap();
        let live = case_in(&app, &f.committee_a, CaseKind::Feedback, "Trần Văn Cường", true).await;

        // Create, bulk-insert, transfer, assign: refused in the store, whoever calls it.
        let mut new = open_case(old.id, "received").new;
        new.draft.sender_name = Some("Phạm Thị Lan".into());
        refused_at_dissolved(s.create_case(&ctx, &new).await, "create");
        let in_b = CaseFilter { within: Some(f.ward_b.id), ..Default::default() };
        let before = s.count_cases(&in_b).await.unwrap();
        refused_at_dissolved(
            s.insert_cases_bulk(&[open_case(f.ward_b.id, "received"), open_case(old.id, "in_progress")]).await,
            "bulk",
        );
        assert_eq!(s.count_cases(&in_b).await.unwrap(), before, "nothing of the bulk");
        // A closed case may be recorded where it was handled (history).
        s.insert_cases_bulk(&[open_case(old.id, "closed")]).await.unwrap();
        let transfer = CaseChange {
            unit: Some((old.id, old.path.clone())),
            ..danvan_store::cases::CaseChange::new(
                "transfer",
                danvan_domain::cases::CaseStatus::Accepted,
                danvan_domain::cases::CaseStatus::Received,
            )
        };
        refused_at_dissolved(s.apply_case_change(&ctx, live.id, &transfer).await, "transfer");
        let officer = s.get_account_by_username("officer_a").await.unwrap().unwrap();
        let assign = CaseChange {
            assignee_id: Some(Some(officer.id)),
            ..danvan_store::cases::CaseChange::new(
                "assign",
                danvan_domain::cases::CaseStatus::Accepted,
                danvan_domain::cases::CaseStatus::Assigned,
            )
        };
        refused_at_dissolved(s.apply_case_change(&ctx, stuck.id, &assign).await, "assign");
        assert_eq!(s.get_case(stuck.id).await.unwrap().status, "accepted");

        // Through the app: an officer choosing the dissolved unit is told so, on the field.
        let engine = danvan_app::App::new(s.clone(), danvan_app::AppConfig::default());
        let submission = danvan_app::cases::Submission {
            notify_zalo: false,
            input: case::CaseInput {
                kind: "feedback".into(),
                description: "Cống thoát nước bị tắc nhiều ngày.".into(),
                address: "Ngõ 5".into(),
                ..Default::default()
            },
            category_code: "thoat-nuoc".into(),
            place_unit_id: Some(f.ward_b.id),
            channel: case::Channel::Letter,
            received_on: None,
            idempotency_key: None,
            source: None,
            unit_override: Some((old.id, "Đơn vị cũ vẫn theo dõi".into())),
            notes: vec![],
            actor_label: None,
            concern: Default::default(),
        };
        let e = danvan_app::cases::submit(&engine, &danvan_app::Caller::system(), submission).await.unwrap_err();
        let fields = e.fields().unwrap_or_else(|| panic!("field-level: {e:?}"));
        assert_eq!(fields.get("unit"), Some("case.error.unit_dissolved"), "{}", app.backend);
        // Through the API: transferring to the dissolved unit is a 4xx naming the field.
        let mut web = app.client();
        web.login("officer_a", PASSWORD).await;
        let r = web
            .json(
                Method::POST,
                &format!("/api/v1/cases/{}/actions", live.code),
                Some(json!({"action": "transfer", "unit_code": "TB-UB", "note": "Chuyển về phường cũ"})),
            )
            .await;
        assert!(r.status().is_client_error(), "{}", r.status());
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["key"], "case.error.unit_dissolved", "{}: {p}", app.backend);
        assert!(!p["errors"][0]["message"].as_str().unwrap().contains("case.error"), "translated: {p}");
    }
}
