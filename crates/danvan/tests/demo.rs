//! `danvan demo` builds a believable locality: its cases were received before or after the
//! 1 July 2025 reform by the units in force then, the reform moved the open ones to the new
//! wards' bodies, and nothing in it is dated after the moment it was made.

use danvan_store::cases::{CaseFilter, CaseSort};
use danvan_store::Store;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs `danvan demo` on a fresh database until it serves, then stops it; returns the moment
/// the demo was ready.
fn build_demo(db: &str) -> chrono::DateTime<chrono::Utc> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .env_remove("DANVAN_DATABASE_URL")
        .env_remove("DANVAN_CONFIG")
        .env("DANVAN_LOG", "warn")
        .args(["--database", db, "demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run danvan demo");
    let mut printed = String::new();
    // The pipe stays open until the server has stopped: it may still print.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        // The last demo sign-in is printed once the demo is built and served.
        if line.contains("xem.hoankiem") {
            break;
        }
    }
    let ready = chrono::Utc::now();
    assert!(printed.contains("xem.hoankiem"), "the demo did not start: {printed}");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    // The demo's database is committed before it serves; how the server stops is cli.rs's test.
    child.wait().unwrap();
    drop(lines);
    ready
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_leaves_no_work_at_dissolved_units_and_dates_nothing_after_it_was_made() {
    let dir = std::env::temp_dir().join(format!("danvan-demo-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("demo.db").display());
    let ready = tokio::task::spawn_blocking({
        let db = db.clone();
        move || build_demo(&db)
    })
    .await
    .unwrap();
    let today = ready.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
    let reform = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();

    let store = Store::connect(&db).await.unwrap();
    let (cases, total) =
        store.list_cases(&CaseFilter { sort: CaseSort::Id, limit: 500, skip_total: false, ..Default::default() }).await.unwrap();
    assert!(total > 300 && cases.len() as i64 == total, "{total} cases");
    let mut problems = vec![];
    let mut old_open = 0;
    for c in &cases {
        if c.is_open() {
            let unit = store.get_unit(c.unit_id).await.unwrap();
            if unit.dissolved() {
                problems.push(format!("{} ({}) is open at the dissolved {}", c.code, c.status, unit.name));
            }
            if c.received_on < reform {
                old_open += 1;
            }
        }
        for (what, t) in [
            ("received", Some(c.received_at)),
            ("updated", Some(c.updated_at)),
            ("answered", c.answered_at),
            ("closed", c.closed_at),
        ] {
            if t.is_some_and(|t| t > ready) {
                problems.push(format!("{} {what} at {t:?}, after the demo was made", c.code));
            }
        }
        if c.received_on > today {
            problems.push(format!("{} received on {}, after today", c.code, c.received_on));
        }
        if c.accept_due.is_some_and(|d| d < c.received_on) {
            problems.push(format!("{} received on {} after its acceptance deadline {:?}", c.code, c.received_on, c.accept_due));
        }
        for e in store.case_events(c.id, false).await.unwrap() {
            if e.at > ready {
                problems.push(format!("{}: {} at {}, after the demo was made", c.code, e.action, e.at));
            }
        }
        if let Some(a) = store.answer(c.id).await.unwrap() {
            for (what, t) in [("drafted", Some(a.drafted_at)), ("approved", a.approved_at), ("sent", a.sent_at)] {
                if t.is_some_and(|t| t > ready) {
                    problems.push(format!("{}: answer {what} at {t:?}, after the demo was made", c.code));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(old_open > 0, "some cases received before the reform are still open (moved by it)");
    emulation_verdicts(&store).await;
    demo_models(&store).await;
    movement_inputs(&store).await;
    logins_do_what_they_say(&store).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Phường Cửa Nam's two demo people for Chiến sĩ thi đua cấp tỉnh 2026: one unmet condition for
/// Đỗ Quang Huy, eligible for Vũ Thị Mai.
async fn emulation_verdicts(store: &Store) {
    use danvan_domain::emulation::{check_in, Award, EmulationSettings, Lang, Nomination, RecipientKind, RuleBook};
    let committee = store.get_unit_by_code("C00073-UBND").await.unwrap().expect("UBND phường Cửa Nam").id;
    let verdict = |name: &'static str| async move {
        let r = store.emulation_recipient_named(committee, RecipientKind::Individual, name).await.unwrap().expect(name);
        let record = store.emulation_engine_record(&r, 2026).await.unwrap();
        let n = Nomination::new(Award::ProvincialEmulationFighter, 2026);
        check_in(&RuleBook::default(), &record, &n, &EmulationSettings::default())
    };
    let huy = verdict("Đỗ Quang Huy").await;
    assert_eq!(huy.sentences(Lang::Vi), vec!["cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở: có 2025, 2026; thiếu 2024"]);
    assert!(verdict("Vũ Thị Mai").await.is_eligible());
    // The former district committee's award, in the history of its successor (issue 11 item 9),
    // and the Cửa Nam committee judged with the district's 2024.
    let history = store.emulation_inherited_titles(committee).await.unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].recipient_name, "UBND quận Hoàn Kiếm");
    assert_eq!(history[0].unit_name, "Ủy ban nhân dân quận Hoàn Kiếm");
    assert_eq!(history[0].dissolved_on.to_string(), "2025-06-30");
    let own =
        store.emulation_recipient_named(committee, RecipientKind::Collective, "Ủy ban nhân dân phường Cửa Nam").await.unwrap();
    let own = own.expect("the committee's collective");
    let record = store.emulation_engine_record(&own, 2025).await.unwrap();
    assert_eq!(record.years_from_predecessors(), vec![2023, 2024]);
}

/// The "Dân vận khéo" festival page has recognised models in all four fields, 2024–2026; one was
/// replicated elsewhere; one was appraised and not recognised.
async fn demo_models(store: &Store) {
    use danvan_domain::emulation::models::{ModelField, Recognition};
    use danvan_store::emulation::ModelFilter;
    let f = ModelFilter { recognised_only: true, limit: 500, ..Default::default() };
    let (shown, total) = store.emulation_models(&f).await.unwrap();
    assert!(total >= 7, "{total} recognised models: seven in the demo data");
    for field in ModelField::ALL {
        assert!(shown.iter().any(|m| m.field == *field), "a recognised model in {field}");
    }
    assert!(shown.iter().all(|m| m.decision == Some(Recognition::Recognised) && (2024..=2026).contains(&m.year)));
    let mut replicated = 0;
    for m in &shown {
        replicated += store.emulation_model_replications(m.id).await.unwrap().len();
    }
    assert!(replicated >= 1);
    let search = ModelFilter { q: "quyx".into(), ..f };
    assert_eq!(store.emulation_models(&search).await.unwrap().1, 0, "no such word");
    let search = ModelFilter { q: "tuyen pho van minh".into(), recognised_only: true, limit: 10, ..Default::default() };
    assert_eq!(store.emulation_models(&search).await.unwrap().1, 1, "found without diacritics");
}

/// The "Dân vận khéo" movements' measured inputs match the inbox's own count of the same cases
/// (another query: the received-date range and the `measure` filter), for each registration.
async fn movement_inputs(store: &Store) {
    use danvan_domain::indicators::{CaseFigures, CaseSet};
    let ward = store.get_unit_by_code("C00073").await.unwrap().expect("phường Cửa Nam");
    let movements = store.emulation_movements(&[ward.path.clone(), "/".into()]).await.unwrap();
    let ours: Vec<_> = movements.iter().filter(|m| m.name.contains("Dân vận khéo")).collect();
    assert_eq!(ours.len(), 3, "2024, 2025 and 2026");
    let mut received = 0;
    for m in ours {
        let file = store.emulation_movement_file(m.clone()).await.unwrap();
        assert!(!file.registrations.is_empty() && file.criteria.len() == 6, "{}", m.name);
        for r in &file.registrations {
            let facts = store.case_facts(&r.unit_path, m.starts_on, m.ends_on).await.unwrap();
            let f = CaseFigures::compute(&facts).counts;
            received += f.received;
            for (set, count) in [
                (CaseSet::Received, f.received),
                (CaseSet::Answered, f.answered),
                (CaseSet::OnTime, f.on_time),
                (CaseSet::Rated, f.rated),
                (CaseSet::Reopened, f.reopened),
                (CaseSet::Transferred, f.transferred),
            ] {
                let filter = CaseFilter {
                    within: Some(r.unit_id),
                    received_from: Some(m.starts_on),
                    received_to: Some(m.ends_on),
                    measure: Some(set),
                    limit: 1,
                    ..Default::default()
                };
                let (_, total) = store.list_cases(&filter).await.unwrap();
                assert_eq!(total, count, "{} · {} · {set}", m.name, r.unit_name);
            }
        }
    }
    assert!(received > 0, "the demo's registrations have cases to score");
}

/// Issue 9: every demo sign-in the README lists signs in with the demo password and can do
/// exactly what the README says — the officer handles but does not sign, the chair signs, the
/// party secretary sees the ward's work and overdue cases, comments, and signs nothing, the Front
/// works on what it supports, the viewer reads, the emulation officer reads no citizen's case.
async fn logins_do_what_they_say(store: &Store) {
    use danvan_app::{App, AppConfig, Caller};
    use danvan_domain::Action;
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    // The sign-in table is the first table of "The two commands" (the next lists the CLI's commands).
    let section = readme.split("## The two commands").nth(1).unwrap().split("\n## ").next().unwrap();
    let listed: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let expected = ["admin", "canbo.cuanam", "chutich.cuanam", "bithu.cuanam", "thidua.cuanam", "mttq.cuanam", "xem.hoankiem"];
    assert_eq!(listed, expected, "the README's demo sign-ins");
    let app = App::new(store.clone(), AppConfig::default());
    let sign_in = |username: &'static str| {
        let app = app.clone();
        async move {
            let anonymous = Caller::anonymous(format!("10.9.0.{}", username.len()));
            let account = danvan_app::org::accounts::login(&app, &anonymous, username, "danvan-demo").await.expect(username);
            let memberships = store.memberships_of(account.id).await.unwrap();
            Caller::account(account, memberships, "10.9.0.1".into())
        }
    };
    let ward = store.get_unit_by_code("C00073").await.unwrap().expect("phường Cửa Nam");
    let committee = store.get_unit_by_code("C00073-UBND").await.unwrap().expect("UBND phường Cửa Nam");
    let today = danvan_app::cases::today();
    let filter = CaseFilter {
        within: Some(committee.id),
        overdue_as_of: Some(today),
        sort: CaseSort::Id,
        limit: 500,
        ..Default::default()
    };
    let (overdue, _) = store.list_cases(&filter).await.unwrap();
    let case = overdue.into_iter().find(|c| !c.identity_protected).expect("an overdue case of UBND phường Cửa Nam");
    // Reading as an official (the file, internal notes), whether or not the case is published.
    let may = |caller: &Caller, action: Action| match action {
        Action::View => danvan_app::cases::authorize_case_internal(caller, &case).is_ok(),
        _ => danvan_app::cases::authorize_case(caller, &case, action).is_ok(),
    };

    let admin = sign_in("admin").await;
    assert!(admin.is_admin());

    let officer = sign_in("canbo.cuanam").await;
    assert!(may(&officer, Action::Handle) && may(&officer, Action::Contribute), "the officer handles the ward's cases");
    assert!(!may(&officer, Action::Approve), "the officer does not sign");

    let chair = sign_in("chutich.cuanam").await;
    assert!(may(&chair, Action::Approve) && may(&chair, Action::Handle), "the chair signs the ward's answers");

    let secretary = sign_in("bithu.cuanam").await;
    assert!(may(&secretary, Action::View) && may(&secretary, Action::Contribute), "the secretary reads and comments");
    for refused in [Action::Handle, Action::Approve, Action::ViewContacts] {
        assert!(!may(&secretary, refused), "the secretary may not {refused:?}");
    }
    // Their inbox and counters open on the whole ward, and count its overdue cases.
    let scope = danvan_app::cases::inbox_scope(&app, &secretary, None, false).await.unwrap();
    assert_eq!(scope.within.as_ref().map(|u| u.id), Some(ward.id), "the secretary's inbox is the ward's");
    let soon = today + chrono::Duration::days(3);
    let n = danvan_app::cases::queries::case_counters(&app, &secretary, Some(ward.id), soon, today).await.unwrap();
    assert!(n.overdue > 0, "the secretary counts the ward's overdue cases");

    let emulation = sign_in("thidua.cuanam").await;
    assert!(!may(&emulation, Action::View), "the emulation officer reads no citizen's case");
    assert!(danvan_app::cases::authorize_case_work(&emulation).is_err());

    let front = sign_in("mttq.cuanam").await;
    assert!(!may(&front, Action::View) && !may(&front, Action::Handle), "the Front reads only what it supports");
    let scope = danvan_app::cases::inbox_scope(&app, &front, None, false).await.unwrap();
    assert!(scope.supported, "the Front's inbox is what it supports");

    let viewer = sign_in("xem.hoankiem").await;
    let hk = store.get_unit_by_code("C00070").await.unwrap().expect("phường Hoàn Kiếm");
    let (hk_cases, _) =
        store.list_cases(&CaseFilter { within: Some(hk.id), sort: CaseSort::Id, limit: 50, ..Default::default() }).await.unwrap();
    let hk_case = hk_cases.iter().find(|c| !c.identity_protected).expect("a case of phường Hoàn Kiếm");
    assert!(danvan_app::cases::authorize_case_internal(&viewer, hk_case).is_ok(), "the viewer reads the ward's cases");
    assert!(danvan_app::cases::authorize_case(&viewer, hk_case, Action::Handle).is_err(), "the viewer handles none");
    assert!(!may(&viewer, Action::View), "nor another ward's");
}
