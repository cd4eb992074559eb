//! Creating cases concurrently: SQLite commits them in groups (one durable commit for all the
//! creations waiting), PostgreSQL one transaction each. Either way each caller gets its own
//! case, its own idempotent answer or its own error.

use danvan_domain::cases::{validate_case, CaseInput};
use danvan_store::cases::NewCase;
use danvan_store::{AuditCtx, Store};
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creations_through_the_api_get_distinct_codes_and_retries_the_same_case() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("officer_a", PASSWORD).await;
        let created: Value =
            c.json(Method::POST, "/api/v1/tokens", Some(json!({"name": "Tổng đài"}))).await.json().await.unwrap();
        let token = created["secret"].as_str().unwrap().to_string();
        let api = reqwest::Client::new();
        // 40 different cases and 8 retries of one more, all at once.
        let keys: Vec<String> = (0..40).map(|i| format!("call-{i}")).chain((0..8).map(|_| "retried".to_string())).collect();
        let mut tasks = Vec::new();
        for key in keys.clone() {
            let (api, url, token) = (api.clone(), app.url.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"kind": "feedback", "category": "thoat-nuoc", "description": format!("Cống tắc trước nhà, cuộc gọi {key}."), "place": "TA-1", "address": "Ngõ 9", "channel": "hotline"});
                let r = api
                    .post(format!("{url}/api/v1/cases"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", &key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let v: Value = r.json().await.unwrap();
                (key, status, v["case"]["code"].as_str().map(String::from), v["tracking_link"].is_string())
            }));
        }
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.unwrap());
        }
        let distinct: Vec<_> = results.iter().filter(|r| r.0 != "retried").collect();
        assert!(distinct.iter().all(|r| r.1 == 201 && r.3), "{}: {distinct:?}", app.backend);
        let codes: HashSet<_> = distinct.iter().map(|r| r.2.clone().unwrap()).collect();
        assert_eq!(codes.len(), 40, "{}: every case its own tracking code", app.backend);
        let retried: Vec<_> = results.iter().filter(|r| r.0 == "retried").collect();
        assert_eq!(retried.iter().filter(|r| r.1 == 201 && r.3).count(), 1, "{}: created once: {retried:?}", app.backend);
        assert!(retried.iter().filter(|r| r.1 != 201).all(|r| r.1 == 200 && !r.3), "{}: {retried:?}", app.backend);
        let retried_codes: HashSet<_> = retried.iter().map(|r| r.2.clone().unwrap()).collect();
        assert_eq!(retried_codes.len(), 1, "{}: every retry answers with the same case", app.backend);
        assert!(!codes.contains(retried_codes.iter().next().unwrap()));
        // 41 cases recorded, each with its receipt in the history.
        let list: Value = api
            .get(format!("{}/api/v1/cases?unit=TA&per_page=100", app.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 41, "{}", app.backend);
        for code in codes.iter().chain(&retried_codes) {
            let case = app.store.get_case_by_code(code).await.unwrap().unwrap();
            let events = app.store.case_events(case.id, false).await.unwrap();
            assert_eq!(events.iter().filter(|e| e.action == "receive").count(), 1, "{}: {code}", app.backend);
            assert!(case.accept_due.is_some(), "{}: due date computed", app.backend);
        }
    }
}

fn new_case(unit_id: i64, key: Option<&str>, source: Option<&str>) -> NewCase {
    let now = chrono::Utc::now();
    NewCase {
        zalo: false,
        concern: None,
        draft: validate_case(&CaseInput {
            kind: "feedback".into(),
            description: format!("Đèn đường hỏng ({key:?} {source:?})."),
            address: "Phố Một".into(),
            ..Default::default()
        })
        .unwrap(),
        channel: danvan_domain::cases::Channel::Hotline,
        category_id: None,
        place_unit_id: None,
        unit_id,
        received_at: now,
        received_on: now.date_naive(),
        accept_due: None,
        source: source.map(|s| ("tong-dai".to_string(), s.to_string())),
        idempotency_key: key.map(String::from),
        notes: vec![],
    }
}

fn seq(code: &str) -> i64 {
    code.rsplit('-').next().unwrap().parse().unwrap()
}

/// Creations queued together; on SQLite an outside connection holds the write lock meanwhile, so
/// that they all wait and then share one commit. Returns each one's result in order.
async fn create_together(
    store: &Store,
    sqlite_url: Option<&str>,
    cases: Vec<NewCase>,
) -> (Vec<danvan_store::Result<(danvan_store::cases::CaseRow, Option<String>)>>, danvan_store::cases::CaseRow) {
    use sqlx::Connection;
    let ctx = AuditCtx::system("test");
    let mut lock = match sqlite_url {
        Some(url) => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
            Some(conn)
        }
        None => None,
    };
    // The first creation takes the writer and waits for the lock; the others queue behind it.
    let plug = {
        let (s, ctx, first) = (store.clone(), ctx.clone(), new_case(cases[0].unit_id, Some("plug"), None));
        tokio::spawn(async move { s.create_case(&ctx, &first).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let tasks: Vec<_> = cases
        .into_iter()
        .map(|n| {
            let (s, ctx) = (store.clone(), ctx.clone());
            tokio::spawn(async move { s.create_case(&ctx, &n).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    if let Some(conn) = lock.as_mut() {
        sqlx::query("COMMIT").execute(&mut *conn).await.unwrap();
    }
    let plug = plug.await.unwrap().unwrap().0;
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    (out, plug)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_creation_does_not_sink_its_batch_mates_and_retries_in_a_batch_get_one_case() {
    let dir = std::env::temp_dir().join(format!("danvan-intake-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite_url = format!("sqlite:{}", dir.join("t.db").display());
    let mut stores = vec![(Store::connect(&sqlite_url).await.unwrap(), Some(sqlite_url.clone()), None)];
    if let Some(pg) = TestApp::postgres().await {
        stores.push((pg.store.clone(), None, Some(pg)));
    }
    for (store, url, _app) in &stores {
        let backend = store.backend_name();
        let f = Fixture::build(store).await;
        let unit = f.committee_a.id;
        let mut cases: Vec<NewCase> = (0..10).map(|i| new_case(unit, Some(&format!("k{i}")), None)).collect();
        // A category that does not exist: the database refuses this one case.
        cases.push(NewCase { category_id: Some(999_999), ..new_case(unit, Some("bad"), None) });
        cases.push(new_case(unit, Some("twice"), None));
        cases.push(new_case(unit, Some("twice"), None));
        cases.push(new_case(unit, None, Some("R-1")));
        cases.push(new_case(unit, None, Some("R-1")));
        let before = store.intake_stats();
        let (results, plug) = create_together(store, url.as_deref(), cases).await;
        if let (Some(before), Some(after)) = (before, store.intake_stats()) {
            assert_eq!(after.cases - before.cases, 16, "the plug and the 15 queued");
            assert_eq!(after.commits - before.commits, 2, "the 15 queued shared one commit");
        }
        assert!(results[10].is_err(), "{backend}: the bad one fails");
        let ok: Vec<_> = results.iter().enumerate().filter(|(i, _)| *i != 10).map(|(_, r)| r.as_ref().unwrap()).collect();
        assert!(ok[..10].iter().all(|(_, secret)| secret.is_some()), "{backend}: the ten others are created");
        let (a, b) = (ok[10], ok[11]);
        assert_eq!(a.0.id, b.0.id, "{backend}: one case for one idempotency key");
        assert_eq!([&a.1, &b.1].iter().filter(|s| s.is_some()).count(), 1, "{backend}: created once, found once");
        let (a, b) = (ok[12], ok[13]);
        assert_eq!(a.0.id, b.0.id, "{backend}: one case for one source reference");
        assert_eq!([&a.1, &b.1].iter().filter(|s| s.is_some()).count(), 1);
        // Twelve new cases after the plug, numbered without a gap: the failed one and the
        // conflicting ones took no number, and left nothing behind.
        let mut seqs: Vec<i64> = ok.iter().map(|(c, _)| seq(&c.code)).collect();
        seqs.sort_unstable();
        seqs.dedup();
        let first = seq(&plug.code) + 1;
        assert_eq!(seqs, (first..first + 12).collect::<Vec<_>>(), "{backend}");
        let filter = danvan_store::cases::CaseFilter { within: Some(unit), limit: 50, ..Default::default() };
        assert_eq!(store.count_cases(&filter).await.unwrap(), 13, "{backend}: the plug and twelve");
        for (c, _) in &ok {
            let receipts = store.case_events(c.id, false).await.unwrap().iter().filter(|e| e.action == "receive").count();
            assert_eq!(receipts, 1, "{backend}: {}", c.code);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
