//! The `danvan` command line, run as a user would: import/export, accounts, backup, demo.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_danvan"));
    c.env_remove("DANVAN_DATABASE_URL").env_remove("DANVAN_CONFIG").env("DANVAN_LOG", "warn");
    c
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("danvan-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str], db: &str) -> Output {
    bin().arg("--database").arg(db).args(args).output().expect("run danvan")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const UNITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/vn-admin-units-2025.csv");

#[test]
fn version_and_help() {
    let v = ok(&bin().arg("--version").output().unwrap());
    assert!(v.contains(env!("CARGO_PKG_VERSION")));
    let h = ok(&bin().arg("--help").output().unwrap());
    for cmd in ["serve", "migrate", "demo", "user", "unit", "backup"] {
        assert!(h.contains(cmd), "{cmd} in --help");
    }
    let h = ok(&bin().args(["user", "add", "--help"]).output().unwrap());
    assert!(h.contains("--username") && h.contains("--role"));
}

#[test]
fn import_export_accounts_and_backup() {
    let dir = temp("import");
    let db = format!("sqlite:{}", dir.join("danvan.db").display());
    assert!(ok(&run(&["migrate"], &db)).contains("up to date"));
    let out = ok(&run(&["unit", "import", UNITS], &db));
    assert!(out.contains("3355 created, 0 updated"), "{out}");
    let exported = dir.join("export.csv");
    ok(&run(&["unit", "export", exported.to_str().unwrap()], &db));
    let csv = std::fs::read_to_string(&exported).unwrap();
    assert_eq!(csv.lines().count(), 3356);
    assert!(csv.contains("C00073,Phường Cửa Nam,ward,P01"));
    // Re-importing our own export changes nothing.
    assert!(ok(&run(&["unit", "import", exported.to_str().unwrap()], &db)).contains("0 created, 0 updated"));
    // A bad file is refused with the row and reason, and nothing is written.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "code,name,kind,parent_code\nX1,Phường X,ward,NOPE\n").unwrap();
    let o = run(&["unit", "import", bad.to_str().unwrap()], &db);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("row 2"), "{}", String::from_utf8_lossy(&o.stderr));

    let o = bin()
        .args([
            "--database",
            &db,
            "user",
            "add",
            "--username",
            "lan.nguyen",
            "--name",
            "Nguyễn Thị Lan",
            "--unit",
            "C00073",
            "--role",
            "leader",
        ])
        .env("DANVAN_PASSWORD", "mot-mat-khau-dai")
        .output()
        .unwrap();
    ok(&o);
    let list = ok(&run(&["user", "list"], &db));
    assert!(list.contains("lan.nguyen") && list.contains("leader@C00073"), "{list}");
    let o =
        bin().args(["--database", &db, "user", "add", "--username", "x", "--name", "", "--password", "short"]).output().unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("username") && err.contains("full_name") && err.contains("new_password"), "{err}");
    // Password from standard input.
    let mut child = bin()
        .args(["--database", &db, "user", "passwd", "lan.nguyen"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"mat-khau-moi-dai\n").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());

    let backup = dir.join("backup.db");
    assert!(ok(&run(&["backup", backup.to_str().unwrap()], &db)).contains("backup written"));
    let copy = format!("sqlite:{}", backup.display());
    let again = dir.join("again.csv");
    ok(&run(&["unit", "export", again.to_str().unwrap()], &copy));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), csv, "the backup holds the same tree");
    assert!(!run(&["backup", backup.to_str().unwrap()], &db).status.success(), "an existing file is never overwritten");
    let _ = std::fs::remove_dir_all(&dir);
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, buf)
}

/// Starts `danvan demo` and reads what it prints up to the last demo sign-in; the reader is
/// returned so the pipe stays open while the server runs.
fn start_demo(db: &str) -> (std::process::Child, String, String, impl Iterator) {
    let mut child = bin()
        .args(["--database", db, "demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut addr, mut printed) = (String::new(), String::new());
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.split("http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
        if line.contains("xem.hoankiem") {
            break;
        }
    }
    (child, addr, printed, lines)
}

fn stop(child: &mut std::process::Child) {
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
}

#[test]
fn demo_never_replaces_a_database_it_did_not_make() {
    let dir = temp("not-demo");
    let db = format!("sqlite:{}", dir.join("danvan.db").display());
    ok(&run(&["migrate"], &db));
    let o = run(&["demo", "--addr", "127.0.0.1:0"], &db);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a danvan demo database"));
    assert!(dir.join("danvan.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_serves_its_own_database_and_stops_on_sigterm() {
    let dir = temp("demo");
    let db = format!("sqlite:{}", dir.join("demo.db").display());
    let (mut child, addr, printed, _out) = start_demo(&db);
    assert!(printed.contains("danvan-demo") && printed.contains("bithu.cuanam"), "{printed}");
    assert_eq!(http_get(&addr, "/healthz").0, 200);
    let (status, body) = http_get(&addr, "/units?q=hoan+kiem&dissolved=1");
    assert_eq!(status, 200);
    assert!(body.contains("Quận Hoàn Kiếm") && body.contains("Phường Hoàn Kiếm"), "{body}");
    let (_, body) = http_get(&addr, "/api/v1/units?q=quan+hoan+kiem&include_dissolved=true");
    assert!(body.contains("\"dissolved\":true"), "{body}");
    let (_, body) = http_get(&addr, "/api/v1/units?q=to+dan+pho&per_page=1");
    assert!(body.contains("\"total\":14"), "12 residential groups of the wards and 2 taken over: {body}");
    // A few hundred cases, the newest received in the last weeks.
    let (status, body) = http_get(&addr, "/public/cases?unit=C00073");
    assert_eq!(status, 200);
    assert!(body.contains("PA-2026-") && body.contains("Trả lời đúng hạn"), "{body}");
    stop(&mut child);
    // A second run rebuilds the demo from scratch rather than adding to it.
    let (mut child, addr, _, _out) = start_demo(&db);
    let (_, body) = http_get(&addr, "/api/v1/units?q=to+dan+pho&per_page=1");
    assert!(body.contains("\"total\":14"), "{body}");
    stop(&mut child);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn calendar_commands_follow_the_fixed_interface() {
    let out = ok(&bin().args(["calendar", "holidays", "2026"]).output().unwrap());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 12, "{out}");
    assert_eq!(lines[0], "2026-01-01\tTết Dương lịch");
    assert!(lines[1].starts_with("2026-02-16\t") && lines[5].starts_with("2026-02-20\t"), "{out}");
    assert!(lines[6].starts_with("2026-04-26\t") && lines[6].contains("Chủ nhật"), "a weekend holiday is listed and says so");
    assert!(lines[7].starts_with("2026-04-27\t") && lines[7].starts_with("2026-04-27\tNghỉ bù"), "{out}");
    let dates: Vec<&str> = lines.iter().map(|l| l.split('\t').next().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "date order");
    assert_eq!(ok(&bin().args(["calendar", "add-working-days", "2026-02-12", "3"]).output().unwrap()).trim(), "2026-02-24");
    assert_eq!(ok(&bin().args(["calendar", "lunar", "2030-01-20"]).output().unwrap()).trim(), "17/12/2029");
    assert_eq!(ok(&bin().args(["calendar", "lunar", "2023-03-22"]).output().unwrap()).trim(), "1/2/2023 (nhuận)");
    assert!(!bin().args(["calendar", "lunar", "2023-02-30"]).output().unwrap().status.success());

    // With a database, its overrides win: a make-up Saturday counts, an extra day off does not.
    let dir = temp("calendar");
    let db = format!("sqlite:{}", dir.join("cal.db").display());
    ok(&run(&["calendar", "override", "set", "2026-02-23", "day_off", "--reason", "Nghỉ thêm (thử)"], &db));
    assert_eq!(ok(&run(&["calendar", "add-working-days", "2026-02-12", "3"], &db)).trim(), "2026-02-25");
    let csv = dir.join("overrides.csv");
    std::fs::write(&csv, "date,kind,reason\n2026-02-21,working_day,Làm bù\n2026-04-27,remove_holiday,\n").unwrap();
    assert!(ok(&run(&["calendar", "override", "import", csv.to_str().unwrap()], &db)).contains("imported 2"));
    assert_eq!(ok(&run(&["calendar", "add-working-days", "2026-02-12", "3"], &db)).trim(), "2026-02-24");
    let out = ok(&run(&["calendar", "holidays", "2026"], &db));
    assert!(out.contains("2026-02-23\tNghỉ thêm (thử)") && !out.contains("2026-04-27"), "{out}");
    // The built-in rules are untouched without a database.
    assert_eq!(ok(&bin().args(["calendar", "add-working-days", "2026-02-12", "3"]).output().unwrap()).trim(), "2026-02-24");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cases_from_other_systems_are_imported_once() {
    let dir = temp("case-import");
    let db = format!("sqlite:{}", dir.join("danvan.db").display());
    ok(&run(&["unit", "import", UNITS], &db));
    let csv = dir.join("dvc.csv");
    std::fs::write(
        &csv,
        "source_ref,received_at,kind,category,description,place,address\n\
         DVC-001,2026-03-02,feedback,thoat-nuoc,Cống bị tắc trước số 3 Tràng Thi,C00073,Số 3 Tràng Thi\n\
         DVC-002,2026-03-03T08:15:00+07:00,petition,chieu-sang,Đề nghị thay đèn đường ngõ 12,C00070,Ngõ 12\n",
    )
    .unwrap();
    let out = ok(&run(&["case", "import", csv.to_str().unwrap(), "--source", "dichvucong"], &db));
    assert!(out.contains("2 cases created, 0 already imported"), "{out}");
    let out = ok(&run(&["case", "import", csv.to_str().unwrap(), "--source", "dichvucong"], &db));
    assert!(out.contains("0 cases created, 2 already imported"), "never twice: {out}");
    let json = dir.join("app.json");
    std::fs::write(&json, r#"[{"source_ref": "APP-9", "received_at": "2026-04-01", "category": "ve-sinh", "description": "Rác tồn đọng ở chợ.", "place": "C00073", "address": "Chợ"}]"#).unwrap();
    assert!(ok(&run(&["case", "import", json.to_str().unwrap(), "--source", "city-app"], &db)).contains("1 cases created"));
    // One bad row: nothing is imported, and the row is named.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "source_ref,received_at,category,description,place,address\nX-1,2026-03-02,thoat-nuoc,Cống bị tắc ở ngõ 4,C00073,Ngõ 4\nX-2,hôm qua,thoat-nuoc,Cống bị tắc ở ngõ 5,C00073,Ngõ 5\n").unwrap();
    let o = run(&["case", "import", bad.to_str().unwrap(), "--source", "hotline"], &db);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("row 3"), "{}", String::from_utf8_lossy(&o.stderr));
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "source_ref,received_at,category,description,place,address\nX-1,2026-03-02,thoat-nuoc,Cống bị tắc ở ngõ 4,C00073,Ngõ 4\n",
    )
    .unwrap();
    let out = ok(&run(&["case", "import", good.to_str().unwrap(), "--source", "hotline"], &db));
    assert!(out.contains("1 cases created"), "the good row of the refused file was not written: {out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_copies_the_uploaded_files_the_database_names() {
    let dir = temp("uploads");
    let db = format!("sqlite:{}", dir.join("danvan.db").display());
    ok(&run(&["unit", "import", UNITS], &db));
    // A case with one photo whose file sits where the server would have put it (beside the
    // database by default), and a stray file the database does not name.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use danvan_store::cases::attachments::NewAttachment;
        let store = danvan_store::Store::connect(&db).await.unwrap();
        let ward = store.get_unit_by_code("C00073").await.unwrap().unwrap();
        let draft = danvan_domain::cases::validate_case(&danvan_domain::cases::CaseInput {
            kind: "feedback".into(),
            description: "Đèn đường hỏng".into(),
            address: "Phố Hàng Bông".into(),
            ..Default::default()
        })
        .unwrap();
        let new = danvan_store::cases::NewCase {
            zalo: false,
            concern: None,
            draft,
            channel: danvan_domain::cases::Channel::Web,
            category_id: None,
            place_unit_id: Some(ward.id),
            unit_id: ward.id,
            received_at: chrono::Utc::now(),
            received_on: chrono::Utc::now().date_naive(),
            accept_due: None,
            source: None,
            idempotency_key: None,
            notes: vec![],
        };
        let photo = NewAttachment {
            purpose: danvan_domain::cases::attachment::Purpose::Photo,
            content_type: "image/jpeg".into(),
            file_name: "a.jpg".into(),
            storage_key: Some("2026/11/abc.jpg".into()),
            thumb_key: Some("2026/11/abc-t.jpg".into()),
            bytes: 4,
            sha256: "00".into(),
            ..Default::default()
        };
        store.create_case_with(&danvan_store::AuditCtx::system("test"), &new, &[photo]).await.unwrap();
    });
    let uploads = dir.join("uploads/2026/11");
    std::fs::create_dir_all(&uploads).unwrap();
    std::fs::write(uploads.join("abc.jpg"), b"full").unwrap();
    std::fs::write(uploads.join("abc-t.jpg"), b"thmb").unwrap();
    std::fs::write(uploads.join("stray.jpg"), b"x").unwrap();
    let backup = dir.join("backup.db");
    let out = ok(&run(&["backup", backup.to_str().unwrap()], &db));
    assert!(out.contains("2 uploaded files copied"), "{out}");
    let copied = dir.join("backup.db.uploads/2026/11");
    assert_eq!(std::fs::read(copied.join("abc.jpg")).unwrap(), b"full");
    assert_eq!(std::fs::read(copied.join("abc-t.jpg")).unwrap(), b"thmb");
    assert!(!copied.join("stray.jpg").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The settings the binary declares (`danvan config --list`): flag → (file key, env, default).
fn declared_settings() -> std::collections::BTreeMap<String, (String, String, String)> {
    let out = ok(&bin().args(["config", "--list"]).output().unwrap());
    out.lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{l}");
            (f[1].to_string(), (f[0].to_string(), f[2].to_string(), f[3].to_string()))
        })
        .collect()
}

/// The rows of the configuration table(s) of a Markdown file: flag → (file key, env, default),
/// each cell's first `code` span ("-" for none; the default only when the cell starts with one).
fn documented_settings(path: &str) -> std::collections::BTreeMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let first_code = |cell: &str| -> String {
        let cell = cell.trim();
        match cell.split('`').nth(1) {
            Some(code) if cell.contains('`') => code.split([' ', '[']).next().unwrap().to_string(),
            _ => "-".to_string(),
        }
    };
    let mut rows = std::collections::BTreeMap::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("| setting | flag | environment | file key | default |") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        // Cells split on | but not on \| inside code.
        let cells: Vec<String> = line.replace("\\|", "\u{1}").split('|').map(|c| c.replace('\u{1}', "|")).collect();
        assert_eq!(cells.len(), 7, "{path}: {line}");
        let default = if cells[5].trim().starts_with('`') { first_code(&cells[5]) } else { "-".into() };
        let key = if cells[4].contains('`') { first_code(&cells[4]) } else { "-".into() };
        let flag = first_code(&cells[2]);
        assert!(
            rows.insert(flag.clone(), (key, first_code(&cells[3]).split('=').next().unwrap().to_string(), default)).is_none(),
            "{path}: {flag} twice"
        );
    }
    assert!(!rows.is_empty(), "{path} has a configuration table");
    rows
}

#[test]
fn the_configuration_tables_match_the_declared_settings() {
    let declared = declared_settings();
    assert!(declared.contains_key("--smtp-host") && declared.contains_key("--database"), "{declared:?}");
    for doc in ["README.md", "docs/OPERATIONS.md"] {
        let documented = documented_settings(&format!("{}/../../{doc}", env!("CARGO_MANIFEST_DIR")));
        for (flag, d) in &declared {
            assert_eq!(documented.get(flag), Some(d), "{doc}: {flag} (file key, environment, default)");
        }
        for flag in documented.keys() {
            assert!(declared.contains_key(flag), "{doc} documents {flag}, which does not exist");
        }
    }
}

#[test]
fn help_shows_each_commands_true_defaults() {
    let serve = ok(&bin().args(["serve", "--help"]).output().unwrap());
    assert!(serve.contains("[default: sqlite:data/danvan.db]") && serve.contains("[default: 127.0.0.1:8080]"), "{serve}");
    let demo = ok(&bin().args(["demo", "--help"]).output().unwrap());
    assert!(demo.contains("[default: sqlite:data/demo.db]") && !demo.contains("data/danvan.db"), "{demo}");
    // What `config` shows is what the layers give.
    let dir = temp("config-show");
    let file = dir.join("danvan.toml");
    std::fs::write(&file, "addr = \"0.0.0.0:9000\"\nsession_hours = 10\n[delivery]\nsmtp_password = \"hush\"\n").unwrap();
    let out = ok(&bin()
        .args(["--config", file.to_str().unwrap(), "config", "--session-hours", "9"])
        .env("DANVAN_ADDR", "127.0.0.1:7000")
        .output()
        .unwrap());
    assert!(out.contains("addr = \"127.0.0.1:7000\"  # environment"), "{out}");
    assert!(out.contains("session_hours = 9  # flag"), "{out}");
    assert!(out.contains("delivery.smtp_password = \"***\"  # file") && !out.contains("hush"), "{out}");
    assert!(out.contains("log_format = \"text\"  # default"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_stops_its_jobs_on_sigterm() {
    let dir = temp("serve-stop");
    let db = format!("sqlite:{}", dir.join("danvan.db").display());
    let mut child = bin()
        .args(["--database", &db, "serve", "--addr", "127.0.0.1:0"])
        .env("DANVAN_LOG", "info,sqlx=warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("serving on http://"), "{first}");
    let started = std::time::Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "prompt: {:?}", started.elapsed());
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("background jobs stopped") && logs.contains("stopped"), "{logs}");
    assert!(logs.contains("escalation job stopped") && logs.contains("delivery job stopped"), "{logs}");
    let _ = std::fs::remove_dir_all(&dir);
}
