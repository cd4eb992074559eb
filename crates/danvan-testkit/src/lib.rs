//! Test helpers: a real danvan server on a temporary SQLite file or a fresh PostgreSQL database,
//! fixture builders, and an HTTP client that signs in like a browser.
//!
//! PostgreSQL tests read `DANVAN_TEST_PG_URL` (a server URL whose user may create databases).
//! Without it they are skipped for a developer's quick run; with it set, an unreachable server is
//! a failure (CI sets it).

pub mod receivers;

use danvan_domain::org::account::AccountDraft;
use danvan_domain::org::unit::UnitDraft;
use danvan_domain::{Role, UnitKind};
use danvan_store::{AuditCtx, Store, Unit};
use danvan_web::{AppState, WebConfig};
use std::path::PathBuf;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// The bearer token the test server's `/metrics` requires.
pub const METRICS_TOKEN: &str = "the-test-scraper-token";

/// The key test servers sign the public form's start time with (`started_ago`).
pub const FORM_KEY: &[u8] = b"danvan-test-form-key";

/// The public form's `started` field for a form shown `secs` seconds ago, signed as a test
/// server signs it.
pub fn started_ago(secs: i64) -> String {
    danvan_app::cases::spam::sign_started(FORM_KEY, chrono::Utc::now().timestamp() - secs)
}

pub struct TestApp {
    pub url: String,
    /// The database's URL (a child process may open it too).
    pub db_url: String,
    pub store: Store,
    pub backend: &'static str,
    /// The server's application (its counters, e.g. `app.uploads.decoded()`).
    pub app: danvan_app::App,
    /// Where this app keeps photos and attachment files (removed with the app).
    pub uploads_dir: PathBuf,
    /// The server's overload lanes (tests hold their slots: `hold_all`).
    pub overload: std::sync::Arc<danvan_web::overload::Overload>,
    dir: Option<PathBuf>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
        let _ = std::fs::remove_dir_all(&self.uploads_dir);
    }
}

fn unique() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// The PostgreSQL server for tests, if configured.
pub fn pg_url() -> Option<String> {
    std::env::var("DANVAN_TEST_PG_URL").ok().filter(|s| !s.is_empty())
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(test_config()).await
    }

    async fn sqlite_with(web: WebConfig) -> TestApp {
        let dir = std::env::temp_dir().join(format!("danvan-test-{}", unique()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite:{}", dir.join("test.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        Self::start(store, &url, "sqlite", Some(dir), web).await
    }

    /// A fresh database on the configured PostgreSQL server, or None when none is configured.
    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(test_config()).await
    }

    async fn postgres_with(web: WebConfig) -> Option<TestApp> {
        let base = pg_url()?;
        let name = format!("danvan_test_{}", unique());
        let admin =
            Store::connect_without_migrating(&base).await.expect("DANVAN_TEST_PG_URL is set but PostgreSQL is not reachable");
        admin.execute_raw(&format!("CREATE DATABASE {name}")).await.expect("create test database");
        admin.close().await;
        let url = replace_db(&base, &name);
        let store = Store::connect(&url).await.expect("open postgres test database");
        Some(Self::start(store, &url, "postgres", None, web).await)
    }

    /// SQLite always, PostgreSQL when configured: the same test runs on both.
    pub async fn each_backend() -> Vec<TestApp> {
        let mut v = vec![TestApp::sqlite().await];
        if let Some(pg) = TestApp::postgres().await {
            v.push(pg);
        }
        v
    }

    /// As `each_backend`, with these overload limits.
    pub async fn each_backend_with_limits(limits: danvan_web::overload::Limits) -> Vec<TestApp> {
        let web = WebConfig { limits, ..test_config() };
        let mut v = vec![TestApp::sqlite_with(web.clone()).await];
        if let Some(pg) = TestApp::postgres_with(web).await {
            v.push(pg);
        }
        v
    }

    async fn start(store: Store, db_url: &str, backend: &'static str, dir: Option<PathBuf>, web: WebConfig) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let uploads_dir = std::env::temp_dir().join(format!("danvan-test-uploads-{}", unique()));
        let app = danvan_app::App::new(
            store.clone(),
            danvan_app::AppConfig { uploads_dir: uploads_dir.clone(), ..danvan_app::AppConfig::default() },
        );
        let app = app.with_form_key(FORM_KEY);
        let state = AppState::new(app.clone(), web);
        let overload = state.overload.clone();
        tokio::spawn(async move {
            let _ = danvan_web::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestApp { url, db_url: db_url.into(), store, backend, app, uploads_dir, overload, dir, stop: Some(tx) }
    }

    /// A client that keeps cookies, does not follow redirects (tests look at them), and sends
    /// the Origin header a browser would.
    pub fn client(&self) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, self.url.parse().expect("origin"));
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client");
        Client { http, base: self.url.clone(), csrf: String::new() }
    }
}

/// The test servers' configuration: `/metrics` with its token, default limits.
fn test_config() -> WebConfig {
    WebConfig { metrics_token: Some(METRICS_TOKEN.into()), ..WebConfig::default() }
}

fn replace_db(url: &str, db: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    format!("{base}/{db}{query}")
}

/// An HTTP client that behaves like a browser form user: it reads the CSRF token from pages.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

pub fn csrf_from(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[i..].chars().take_while(|c| *c != '"').collect())
}

impl Client {
    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    /// GET a page and remember its CSRF token; returns (status, body).
    pub async fn page(&mut self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        if let Some(t) = csrf_from(&body) {
            self.csrf = t;
        }
        (status, body)
    }

    async fn ensure_csrf(&mut self) {
        if self.csrf.is_empty() {
            self.page("/login").await;
        }
    }

    /// POST a form with the CSRF token; returns the raw response.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.ensure_csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("_csrf", &csrf));
        self.http.post(format!("{}{path}", self.base)).form(&all).send().await.expect("POST")
    }

    /// POST a multipart form as a browser does for a form with file inputs: the CSRF token in
    /// the query (the middleware reads it there, the body being files) and as a field.
    /// `files` are (field, file name, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> reqwest::Response {
        self.ensure_csrf().await;
        let csrf = self.csrf.clone();
        let mut form = reqwest::multipart::Form::new().text("_csrf", csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string());
            form = form.part(field.to_string(), part);
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        self.http.post(format!("{}{path}{sep}_csrf={csrf}", self.base)).multipart(form).send().await.expect("POST multipart")
    }

    /// Sends JSON with the CSRF header (cookie-authenticated API use).
    pub async fn json(&mut self, method: reqwest::Method, path: &str, body: Option<serde_json::Value>) -> reqwest::Response {
        self.ensure_csrf().await;
        let mut r = self.http.request(method, format!("{}{path}", self.base)).header("x-csrf-token", self.csrf.clone());
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.expect("request")
    }

    pub async fn login(&mut self, username: &str, password: &str) -> reqwest::Response {
        self.page("/login").await;
        let r = self.post_form("/login", &[("username", username), ("password", password), ("next", "/")]).await;
        // The session has its own CSRF token.
        self.page("/").await;
        r
    }
}

/// A small tree and one account per role:
/// Thành phố Thử nghiệm → Phường A (→ Tổ dân phố A1, UBND phường A) and Phường B.
pub struct Fixture {
    pub city: Unit,
    pub ward_a: Unit,
    pub ward_b: Unit,
    pub group_a1: Unit,
    pub committee_a: Unit,
    /// username for each role: admin, leader_a, officer_a, front_a, viewer_a, emulation_a, leader_b, citizen
    pub users: Vec<(&'static str, Option<(Role, i64)>)>,
}

impl Fixture {
    pub async fn build(store: &Store) -> Fixture {
        let ctx = AuditCtx::system("test");
        let mk = |code: &str, name: &str, kind: UnitKind, parent: Option<i64>, territory: Option<i64>| UnitDraft {
            code: code.into(),
            name: name.into(),
            kind,
            parent_id: parent,
            territory_id: territory,
            effective_from: None,
            remote_area: false,
        };
        let city = store.create_unit(&ctx, &mk("T01", "Thành phố Thử nghiệm", UnitKind::City, None, None)).await.expect("city");
        let ward_a =
            store.create_unit(&ctx, &mk("TA", "Phường An Bình", UnitKind::Ward, Some(city.id), None)).await.expect("ward a");
        let ward_b =
            store.create_unit(&ctx, &mk("TB", "Phường Bến Đò", UnitKind::Ward, Some(city.id), None)).await.expect("ward b");
        let group_a1 = store
            .create_unit(&ctx, &mk("TA-1", "Tổ dân phố số 1", UnitKind::ResidentialGroup, Some(ward_a.id), None))
            .await
            .expect("group");
        let committee_a = store
            .create_unit(
                &ctx,
                &mk("TA-UB", "Ủy ban nhân dân phường An Bình", UnitKind::PeoplesCommittee, Some(ward_a.id), Some(ward_a.id)),
            )
            .await
            .expect("committee");
        let users: Vec<(&'static str, Option<(Role, i64)>)> = vec![
            ("admin", Some((Role::Admin, city.id))),
            ("leader_a", Some((Role::Leader, ward_a.id))),
            ("officer_a", Some((Role::Officer, ward_a.id))),
            ("front_a", Some((Role::Front, ward_a.id))),
            ("viewer_a", Some((Role::Viewer, ward_a.id))),
            ("emulation_a", Some((Role::Emulation, ward_a.id))),
            ("leader_b", Some((Role::Leader, ward_b.id))),
            ("citizen", None),
        ];
        let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.expect("hash");
        for (i, (username, membership)) in users.iter().enumerate() {
            let draft = AccountDraft {
                username: (*username).into(),
                full_name: format!("Người dùng {username}"),
                email: Some(format!("{username}@example.vn")),
                phone: Some(format!("09000000{i:02}")),
            };
            let acc = store.create_account(&ctx, &draft, &hash).await.expect("account");
            if let Some((role, unit)) = membership {
                store.add_membership(&ctx, acc.id, *unit, *role, "").await.expect("membership");
            }
        }
        Fixture { city, ward_a, ward_b, group_a1, committee_a, users }
    }
}

/// A case handled by `unit`, received today, then accepted when `accepted` (so that it may be
/// assigned), with a sender.
pub async fn case_in(
    app: &TestApp,
    unit: &Unit,
    kind: danvan_domain::cases::CaseKind,
    sender: &str,
    accepted: bool,
) -> danvan_store::cases::CaseRow {
    let ctx = AuditCtx::system("test");
    let today = chrono::Utc::now().date_naive();
    let cat = app.store.category_by_code("thoat-nuoc").await.unwrap().unwrap();
    let new = danvan_store::cases::NewCase {
        zalo: false,
        concern: None,
        draft: danvan_domain::cases::CaseDraft {
            kind,
            title: format!("Cống tắc ({})", kind.as_str()),
            description: "Cống thoát nước bị tắc nhiều ngày.".into(),
            address: "Ngõ 5".into(),
            point: None,
            sender_name: Some(sender.into()),
            sender_phone: Some("0912345678".into()),
            sender_email: None,
            sender_address: Some("Số 1 phố Huế".into()),
            publish: false,
        },
        channel: danvan_domain::cases::Channel::WalkIn,
        category_id: Some(cat.id),
        place_unit_id: Some(unit.id),
        unit_id: unit.id,
        received_at: chrono::Utc::now(),
        received_on: today,
        accept_due: today.checked_add_days(chrono::Days::new(5)),
        source: None,
        idempotency_key: None,
        notes: vec![],
    };
    let (c, _) = app.store.create_case(&ctx, &new).await.unwrap();
    if !accepted {
        return c;
    }
    let ch = danvan_store::cases::CaseChange {
        accepted_on: Some(Some(today)),
        resolve_due: Some(today.checked_add_days(chrono::Days::new(14))),
        ..danvan_store::cases::CaseChange::new(
            "accept",
            danvan_domain::cases::CaseStatus::Received,
            danvan_domain::cases::CaseStatus::Accepted,
        )
    };
    app.store.apply_case_change(&ctx, c.id, &ch).await.unwrap()
}

/// A case to record with `record_case`.
#[derive(Debug, Clone, Default)]
pub struct CaseSpec {
    pub kind: &'static str,
    pub category: &'static str,
    pub description: String,
    pub place: i64,
    pub point: Option<(f64, f64)>,
    pub name: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    /// For a denunciation: the code of the unit it concerns (the person is then named too).
    pub concerned_unit: &'static str,
}

/// Records a case as the hotline would (no authorisation involved); returns it with the secret
/// of its private link.
pub async fn record_case(store: &Store, spec: &CaseSpec) -> (danvan_store::cases::CaseRow, String) {
    let app = danvan_app::App::new(store.clone(), danvan_app::AppConfig::default());
    let input = danvan_domain::cases::CaseInput {
        kind: if spec.kind.is_empty() { "feedback".into() } else { spec.kind.into() },
        description: spec.description.clone(),
        address: "Ngõ 5".into(),
        latitude: spec.point.map(|p| p.0),
        longitude: spec.point.map(|p| p.1),
        sender_name: spec.name.into(),
        sender_phone: spec.phone.into(),
        sender_email: spec.email.into(),
        sender_address: if spec.name.is_empty() { String::new() } else { "Số 5 phố An Bình".into() },
        publish: true,
        ..Default::default()
    };
    let (c, secret) = danvan_app::cases::submit(
        &app,
        &danvan_app::Caller::system(),
        danvan_app::cases::Submission {
            notify_zalo: false,
            input,
            category_code: if spec.category.is_empty() { "thoat-nuoc".into() } else { spec.category.into() },
            place_unit_id: Some(spec.place),
            channel: danvan_domain::cases::Channel::Hotline,
            received_on: None,
            idempotency_key: None,
            source: None,
            unit_override: None,
            notes: vec![],
            actor_label: None,
            concern: danvan_domain::cases::denunciation::ConcernInput {
                unit: spec.concerned_unit.into(),
                name: if spec.concerned_unit.is_empty() { String::new() } else { "Người Bị Tố Cáo".into() },
                account: String::new(),
            },
        },
    )
    .await
    .expect("record case");
    (c, secret.expect("a new case has a secret"))
}
