//! A SIGKILL between any two statements of a case transition leaves the case either before or
//! after it: the case, its history, its answer and register number, its outbox rows and links,
//! its pause and its audit entry change in one transaction.
//!
//! The store passes a fault point (`danvan_store::fault`) between the statements of every write
//! a transition makes. For n = 1, 2, … this test runs the transition in a child process (this
//! test binary, running `transition_in_a_child_process`) told to kill itself with SIGKILL at the
//! n-th point, each time on a new case prepared the same way, until the child finishes without
//! reaching point n. After each child the case must look exactly as before the transition or
//! exactly as after it — on SQLite, and on PostgreSQL when `DANVAN_TEST_PG_URL` is set.

use danvan_app::cases::ActRequest;
use danvan_app::{App, AppConfig, Caller};
use danvan_domain::cases::CaseKind;
use danvan_store::{AuditFilter, Store};
use danvan_testkit::{Fixture, TestApp};
use std::os::unix::process::ExitStatusExt;

const CHILD_TEST: &str = "atomicity::transition_in_a_child_process";
const DB_VAR: &str = "DANVAN_ATOMICITY_DB";
const CASE_VAR: &str = "DANVAN_ATOMICITY_CASE";
const ACTION_VAR: &str = "DANVAN_ATOMICITY_ACTION";
const ACTOR_VAR: &str = "DANVAN_ATOMICITY_ACTOR";
const ANSWER: &str = "Phường đã nạo vét cống, nước đã thoát.";

fn app_of(store: &Store) -> App {
    let delivery =
        danvan_app::cases::delivery::DeliveryConfig { public_url: "https://danvan.example.vn".into(), ..Default::default() };
    App::new(store.clone(), AppConfig { delivery, ..Default::default() })
}

async fn caller(store: &Store, username: &str) -> Caller {
    let acc = store.get_account_by_username(username).await.unwrap().unwrap();
    let memberships = store.memberships_of(acc.id).await.unwrap();
    Caller::account(acc, memberships, String::new())
}

fn request(action: &str) -> ActRequest {
    ActRequest { action: action.into(), note: "Ghi chú".into(), answer: ANSWER.into(), ..Default::default() }
}

/// The child's body: one transition, on the database and case the parent names. Without its
/// variables (any ordinary run of the suite) it does nothing.
#[tokio::test]
async fn transition_in_a_child_process() {
    let var = |k: &str| std::env::var(k).ok();
    let (Some(url), Some(id), Some(action), Some(actor)) = (var(DB_VAR), var(CASE_VAR), var(ACTION_VAR), var(ACTOR_VAR)) else {
        return;
    };
    let store = Store::connect_without_migrating(&url).await.unwrap();
    let caller = caller(&store, &actor).await;
    danvan_app::cases::act(&app_of(&store), &caller, id.parse().unwrap(), &request(&action)).await.expect("the transition");
    store.close().await;
}

/// A history entry: action, from, to, public, note.
type Event = (String, Option<String>, Option<String>, bool, String);

/// What the transition may change, without ids and instants (each run uses a new case).
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    status: String,
    paused: bool,
    resolve_due: Option<chrono::NaiveDate>,
    answered: bool,
    events: Vec<Event>,
    /// (numbered, approved by someone, sent) of the answer.
    answer: Option<(bool, bool, bool)>,
    /// (channel, status) of each message to the citizen.
    outbox: Vec<(String, String)>,
    links: i64,
    open_pauses: i64,
    audit: i64,
}

async fn snapshot(s: &Store, id: i64) -> Snapshot {
    let c = s.get_case(id).await.unwrap();
    let answer = s.answer(id).await.unwrap();
    let events = s.case_events(id, false).await.unwrap();
    let (_, audit) = s
        .list_audit(&AuditFilter { target_type: Some("case".into()), target_id: Some(id), limit: 100, ..Default::default() })
        .await
        .unwrap();
    Snapshot {
        status: c.status.as_str().into(),
        paused: c.paused_since.is_some(),
        resolve_due: c.resolve_due,
        answered: c.answered_at.is_some(),
        events: events
            .iter()
            .map(|e| {
                // The register number is the approval's note: its digits differ between runs.
                let note = if e.action == "approve_answer" { "<number>".to_string() } else { e.note.clone() };
                (
                    e.action.clone(),
                    e.from_status.map(|s| s.as_str().to_string()),
                    e.to_status.map(|s| s.as_str().to_string()),
                    e.public,
                    note,
                )
            })
            .collect(),
        answer: answer.as_ref().map(|a| (a.register_no.is_some(), a.approved_by.is_some(), a.sent_at.is_some())),
        outbox: s
            .case_messages(id)
            .await
            .unwrap()
            .iter()
            .map(|m| (m.channel.as_str().to_string(), m.status.as_str().to_string()))
            .collect(),
        links: s.case_link_count(id).await.unwrap(),
        open_pauses: s.case_pauses(id).await.unwrap().iter().filter(|p| p.1.is_none()).count() as i64,
        audit,
    }
}

/// A transition to try, and how to bring a new case to the status it starts from.
struct Scenario {
    action: &'static str,
    actor: &'static str,
    /// (action, actor) steps from an accepted case.
    prepare: &'static [(&'static str, &'static str)],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        action: "approve_answer",
        actor: "leader_a",
        prepare: &[("assign", "officer_a"), ("start", "officer_a"), ("draft_answer", "officer_a")],
    },
    Scenario {
        action: "send_answer",
        actor: "officer_a",
        prepare: &[
            ("assign", "officer_a"),
            ("start", "officer_a"),
            ("draft_answer", "officer_a"),
            ("approve_answer", "leader_a"),
        ],
    },
    Scenario {
        action: "resume",
        actor: "officer_a",
        prepare: &[("assign", "officer_a"), ("start", "officer_a"), ("pause", "officer_a")],
    },
    Scenario { action: "draft_answer", actor: "officer_a", prepare: &[("assign", "officer_a"), ("start", "officer_a")] },
];

async fn prepare(app: &TestApp, f: &Fixture, sc: &Scenario, i: usize) -> i64 {
    let c = danvan_testkit::case_in(app, &f.committee_a, CaseKind::Feedback, &format!("Người gửi {i}"), true).await;
    let engine = app_of(&app.store);
    for (action, actor) in sc.prepare {
        let who = caller(&app.store, actor).await;
        danvan_app::cases::act(&engine, &who, c.id, &request(action)).await.unwrap_or_else(|e| panic!("{action}: {e}"));
    }
    c.id
}

/// Runs the scenario's transition on case `id` in a child process killed at point `kill_at`
/// (None: not killed). Returns whether the child was killed.
fn run_child(db_url: &str, sc: &Scenario, id: i64, kill_at: Option<u64>) -> bool {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(DB_VAR, db_url)
        .env(CASE_VAR, id.to_string())
        .env(ACTION_VAR, sc.action)
        .env(ACTOR_VAR, sc.actor)
        .env_remove(danvan_store::fault::KILL_AT_VAR)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(n) = kill_at {
        cmd.env(danvan_store::fault::KILL_AT_VAR, n.to_string());
    }
    let out = cmd.output().unwrap();
    match (out.status.success(), out.status.signal()) {
        (true, _) => false,
        (false, Some(9)) => true,
        _ => panic!(
            "the child failed otherwise ({:?}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_between_any_two_statements_of_a_transition_leaves_the_case_before_or_after_it() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        for sc in SCENARIOS {
            // The reference: the same transition, not killed.
            let id = prepare(&app, &f, sc, 0).await;
            let before = snapshot(&app.store, id).await;
            assert!(!run_child(&app.db_url, sc, id, None), "{}: {} was killed without being asked", app.backend, sc.action);
            let after = snapshot(&app.store, id).await;
            assert_ne!(before, after, "{}: {} changed nothing", app.backend, sc.action);
            let (mut killed_before, mut killed_after) = (0, 0);
            for n in 1.. {
                assert!(n < 200, "{}: {} never finished", app.backend, sc.action);
                let id = prepare(&app, &f, sc, n as usize).await;
                assert_eq!(snapshot(&app.store, id).await, before, "{}: {} prepared differently", app.backend, sc.action);
                let killed = run_child(&app.db_url, sc, id, Some(n));
                let now = snapshot(&app.store, id).await;
                if !killed {
                    assert_eq!(now, after, "{}: {} finished differently", app.backend, sc.action);
                    eprintln!(
                        "{}: {}: killed at {} points, {killed_before} left it before, {killed_after} after",
                        app.backend,
                        sc.action,
                        n - 1
                    );
                    assert!(n > 2, "{}: {} passed too few points ({n}) to test anything", app.backend, sc.action);
                    break;
                }
                if now == after {
                    killed_after += 1;
                } else if now == before {
                    killed_before += 1;
                } else {
                    assert_eq!(
                        now, before,
                        "{}: {} killed at point {n} left the case neither before nor after it",
                        app.backend, sc.action
                    );
                }
            }
            // Killed after its commit, the transition is done (the last point follows the commit).
            assert!(killed_after >= 1 && killed_before >= 1, "{}: {}: kills before and after the commit", app.backend, sc.action);
        }
        // Register numbers are never lost to a killed approval: the numbers given are 1, 2, 3…
        let mut numbers: Vec<i64> = vec![];
        let (cases, _) = app
            .store
            .list_cases(&danvan_store::cases::CaseFilter { within: Some(f.ward_a.id), limit: 500, ..Default::default() })
            .await
            .unwrap();
        for c in cases {
            if let Some(no) = app.store.answer(c.id).await.unwrap().and_then(|a| a.register_no) {
                numbers.push(no.split('/').next().unwrap().parse().unwrap());
            }
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "{}: register numbers", app.backend);
    }
}
