//! `danvan`: the server and its command-line tools.

mod demo;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use danvan_app::{App, AppConfig};
use danvan_domain::account::{self, AccountInput};
use danvan_domain::Role;
use danvan_store::{AuditCtx, Store};
use danvan_web::{AppState, WebConfig};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "danvan", version, about = "danvan — the platform for công tác dân vận: listen to the people, act on what they raise, recognise good work.", long_about = None)]
struct Cli {
    /// Optional TOML configuration file (keys: database, addr, secure_cookies, trust_proxy,
    /// session_hours, source_url, log_format). Flags and environment variables take precedence.
    #[arg(long, global = true, env = "DANVAN_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite:PATH (default sqlite:data/danvan.db) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "DANVAN_DATABASE_URL")]
    database: Option<String>,
    /// Log format: text or json.
    #[arg(long, global = true, env = "DANVAN_LOG_FORMAT")]
    log_format: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (runs pending migrations first).
    Serve(ServeArgs),
    /// Run pending database migrations and exit.
    Migrate,
    /// Create (or refresh) the demo database, ./data/demo.db by default, and serve it.
    Demo(ServeArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import or export the unit tree as CSV.
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Working days, holidays and the Vietnamese lunar calendar. Uses the overrides of the
    /// database given by --database or DANVAN_DATABASE_URL, the built-in rules otherwise.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Developer tools: the benchmark data generator.
    #[command(subcommand)]
    Dev(DevCommand),
    /// Citizens' cases: import those received by other systems.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Open311 GeoReport v2 API keys for apps and partner systems.
    #[command(subcommand)]
    Open311(Open311Command),
    /// Write a consistent online copy of an SQLite database to FILE (PostgreSQL: prints the
    /// pg_dump command to use), and copy the uploaded files it refers to into FILE.uploads/.
    Backup { file: PathBuf },
}

#[derive(Args, Clone, Default)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "DANVAN_ADDR")]
    addr: Option<String>,
    /// Mark cookies Secure (set when serving behind TLS).
    #[arg(long, env = "DANVAN_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true")]
    secure_cookies: Option<bool>,
    /// Trust X-Forwarded-For from a reverse proxy.
    #[arg(long, env = "DANVAN_TRUST_PROXY", num_args = 0..=1, default_missing_value = "true")]
    trust_proxy: Option<bool>,
    /// Where users can get the source code of the version you run (AGPL-3.0 §13); shown in the
    /// footer. Defaults to the upstream repository.
    #[arg(long, env = "DANVAN_SOURCE_URL")]
    source_url: Option<String>,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

/// Sending answers to citizens (docs/OPERATIONS.md, "Answers to citizens"). Each also has a
/// key in the `[delivery]` table of the config file; flags and environment win over it.
#[derive(Args, Clone, Default)]
struct DeliveryArgs {
    /// The site's address as citizens reach it, for the links in messages.
    #[arg(long, env = "DANVAN_PUBLIC_URL")]
    public_url: Option<String>,
    #[arg(long, env = "DANVAN_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "DANVAN_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// starttls (default), tls or none.
    #[arg(long, env = "DANVAN_SMTP_TLS")]
    smtp_tls: Option<String>,
    #[arg(long, env = "DANVAN_SMTP_USER")]
    smtp_user: Option<String>,
    #[arg(long, env = "DANVAN_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    #[arg(long, env = "DANVAN_SMTP_FROM")]
    smtp_from: Option<String>,
    /// The gateway's URL for SMS and Zalo messages.
    #[arg(long, env = "DANVAN_WEBHOOK_URL")]
    webhook_url: Option<String>,
    #[arg(long, env = "DANVAN_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// Channels the gateway delivers, comma-separated (default "sms,zalo").
    #[arg(long, env = "DANVAN_WEBHOOK_CHANNELS")]
    webhook_channels: Option<String>,
}

#[derive(serde::Deserialize, Default, Clone)]
struct DeliveryFile {
    public_url: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_tls: Option<String>,
    smtp_user: Option<String>,
    smtp_password: Option<String>,
    smtp_from: Option<String>,
    webhook_url: Option<String>,
    webhook_secret: Option<String>,
    webhook_channels: Option<String>,
}

/// Flags and environment over the file; SMTP needs a host and a sender, the webhook a URL and a
/// secret (an unsigned webhook would let anyone send SMS in the unit's name).
fn delivery_config(a: &DeliveryArgs, f: &DeliveryFile) -> Result<danvan_app::cases::delivery::DeliveryConfig> {
    use danvan_app::cases::delivery::{DeliveryConfig, SmtpConfig, SmtpTls, WebhookConfig};
    use danvan_domain::delivery::MessageChannel;
    let pick = |x: &Option<String>, y: &Option<String>| x.clone().or(y.clone()).filter(|v| !v.trim().is_empty());
    let mut c = DeliveryConfig { public_url: pick(&a.public_url, &f.public_url).unwrap_or_default(), ..Default::default() };
    if let Some(host) = pick(&a.smtp_host, &f.smtp_host) {
        let tls = match pick(&a.smtp_tls, &f.smtp_tls) {
            Some(t) => SmtpTls::parse(&t).with_context(|| format!("smtp_tls: {t}: use starttls, tls or none"))?,
            None => SmtpTls::StartTls,
        };
        let from = pick(&a.smtp_from, &f.smtp_from).context("smtp_from is required with smtp_host")?;
        c.smtp = Some(SmtpConfig {
            host,
            port: a.smtp_port.or(f.smtp_port).unwrap_or(match tls {
                SmtpTls::Tls => 465,
                SmtpTls::StartTls => 587,
                SmtpTls::None => 25,
            }),
            tls,
            user: pick(&a.smtp_user, &f.smtp_user),
            password: pick(&a.smtp_password, &f.smtp_password),
            from,
        });
    }
    if let Some(url) = pick(&a.webhook_url, &f.webhook_url) {
        let secret = pick(&a.webhook_secret, &f.webhook_secret).context("webhook_secret is required with webhook_url")?;
        let names = pick(&a.webhook_channels, &f.webhook_channels).unwrap_or_else(|| "sms,zalo".into());
        let mut channels = vec![];
        for n in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match MessageChannel::parse(n) {
                Some(MessageChannel::Email) | None => bail!("webhook_channels: {n}: use sms and/or zalo"),
                Some(ch) => channels.push(ch),
            }
        }
        c.webhook = Some(WebhookConfig { url, secret, channels });
    }
    c.check().map_err(|e| anyhow::anyhow!(e))?;
    Ok(c)
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account, optionally with a role in a unit (by code).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long = "name")]
        full_name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// Password; read from DANVAN_PASSWORD or standard input when omitted.
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Unit code for the membership, e.g. C00073.
        #[arg(long)]
        unit: Option<String>,
        /// admin, leader, officer, front or viewer.
        #[arg(long)]
        role: Option<String>,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// Set an account's password (signs it out everywhere).
    Passwd {
        username: String,
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts with their roles.
    List,
    /// Create a personal API token for an account (the secret is printed once).
    Token { username: String, name: String },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// Import units from a CSV file (code,name,kind,parent_code[,effective_from,effective_to]).
    Import { file: PathBuf },
    /// Export the unit tree as CSV to FILE or standard output.
    Export { file: Option<PathBuf> },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Statutory holidays and compensatory days of YEAR (with the database's overrides):
    /// one `YYYY-MM-DD<TAB>reason` line each, in date order.
    Holidays { year: i32 },
    /// The due date N working days after DATE (DATE itself not counted).
    AddWorkingDays { date: String, n: u32 },
    /// The Vietnamese lunar date (UTC+7) of DATE, as D/M/YYYY (lunar year), "(nhuận)" for a leap month.
    Lunar { date: String },
    /// Manage the yearly overrides of a database (the government's announced schedule).
    #[command(subcommand)]
    Override(OverrideCommand),
}

#[derive(Subcommand)]
enum DevCommand {
    /// Add N generated cases over ten years across the wards of a province (for benchmarks;
    /// imports Viet Nam's units first when the database has none).
    Generate {
        #[arg(long)]
        petitions: usize,
        /// The province whose wards and communes receive the cases.
        #[arg(long, default_value = "P01")]
        province: String,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Import cases from a CSV (with a header) or JSON file exported by another system
    /// (columns: source_ref, received_at, kind, category, description, place, address, …).
    /// A case already imported from the same source and reference is skipped.
    Import {
        file: PathBuf,
        /// Name of the system the file comes from, e.g. dichvucong.
        #[arg(long)]
        source: String,
    },
}

#[derive(Subcommand)]
enum Open311Command {
    /// Manage the API keys clients use to create requests.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create a key for a client (the secret is printed once).
    Add { name: String },
    /// List the keys.
    List,
    /// Revoke a key by its id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum OverrideCommand {
    /// List the overrides.
    List,
    /// Set the override of one day: KIND is day_off, working_day or remove_holiday.
    Set {
        date: String,
        kind: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Remove the override of one day.
    Delete { date: String },
    /// Import overrides from a CSV file with the columns date,kind,reason.
    Import { file: PathBuf },
}

#[derive(serde::Deserialize, Default)]
struct FileConfig {
    database: Option<String>,
    addr: Option<String>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    session_hours: Option<i64>,
    source_url: Option<String>,
    log_format: Option<String>,
    #[serde(default)]
    delivery: DeliveryFile,
    uploads_dir: Option<PathBuf>,
}

const DEFAULT_DB: &str = "sqlite:data/danvan.db";
const DEMO_DB: &str = "sqlite:data/demo.db";
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

// Rows are allocated on SQLite's connection threads and freed on the runtime's: glibc's malloc
// spent a quarter of a 1,000-row Open311 listing in its locks and free lists.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let file: FileConfig = match &cli.config {
        Some(path) => toml::from_str(&std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("parsing {}", path.display()))?,
        None => FileConfig::default(),
    };
    init_logs(cli.log_format.as_deref().or(file.log_format.as_deref()).unwrap_or("text"));
    let database = cli.database.clone().or(file.database.clone());
    let default_db = if matches!(cli.command, Command::Demo(_)) { DEMO_DB } else { DEFAULT_DB };
    // Photos and attachments: DANVAN_UPLOADS_DIR, else the config file, else beside the database.
    let uploads_dir = |url: &str| -> PathBuf {
        std::env::var_os("DANVAN_UPLOADS_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or(file.uploads_dir.clone())
            .unwrap_or_else(|| default_uploads_dir(url))
    };
    let serve_uploads = uploads_dir(database.as_deref().unwrap_or(default_db));
    let web = |a: &ServeArgs| -> Result<(WebConfig, AppConfig)> {
        let app = AppConfig { delivery: delivery_config(&a.delivery, &file.delivery)?, uploads_dir: serve_uploads.clone() };
        Ok((
            WebConfig {
                secure_cookies: a.secure_cookies.or(file.secure_cookies).unwrap_or(false),
                trust_proxy: a.trust_proxy.or(file.trust_proxy).unwrap_or(false),
                session_hours: file.session_hours.unwrap_or(12),
                source_url: a.source_url.clone().or(file.source_url.clone()).unwrap_or_else(|| WebConfig::default().source_url),
            },
            app,
        ))
    };
    let addr = |a: &ServeArgs| a.addr.clone().or(file.addr.clone()).unwrap_or_else(|| DEFAULT_ADDR.into());
    match cli.command {
        Command::Serve(a) => {
            let store = open(database.as_deref().unwrap_or(DEFAULT_DB)).await?;
            serve(store, &addr(&a), web(&a)?, None).await
        }
        Command::Migrate => {
            open(database.as_deref().unwrap_or(DEFAULT_DB)).await?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Demo(a) => {
            let url = database.unwrap_or_else(|| DEMO_DB.into());
            let (store, key) = demo::prepare(&url).await?;
            println!("Open311 API key of the demo: {key}");
            serve(store, &addr(&a), web(&a)?, Some(demo::LOGINS)).await
        }
        Command::User(u) => user(open(database.as_deref().unwrap_or(DEFAULT_DB)).await?, u).await,
        Command::Unit(u) => unit(open(database.as_deref().unwrap_or(DEFAULT_DB)).await?, u).await,
        Command::Calendar(c) => calendar(cli.database.as_deref(), c).await,
        Command::Dev(DevCommand::Generate { petitions, province }) => {
            let store = open(database.as_deref().unwrap_or(DEFAULT_DB)).await?;
            if store.count_units().await? == 0 {
                let rows =
                    danvan_app::org::units::parse_units_csv(demo::UNITS_CSV.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
                store.import_units(&AuditCtx::system("dev generate"), &rows, |_| {}).await?;
            }
            let started = std::time::Instant::now();
            demo::generate_cases(&store, petitions, &province).await?;
            store.optimize().await?;
            println!("generated {petitions} cases in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Case(CaseCommand::Import { file, source }) => {
            let store = open(database.as_deref().unwrap_or(DEFAULT_DB)).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let rows = danvan_app::cases::parse_import(&bytes).map_err(explain)?;
            let app = App::new(store, AppConfig::default());
            let (created, skipped) =
                danvan_app::cases::import_cases(&app, &source, rows).await.map_err(|e| match e.fields() {
                    Some(f) => explain(f.clone()),
                    None => anyhow::anyhow!("{e:?}"),
                })?;
            println!("imported {}: {created} cases created, {skipped} already imported", file.display());
            Ok(())
        }
        Command::Open311(c) => {
            let store = open(database.as_deref().unwrap_or(DEFAULT_DB)).await?;
            match c {
                Open311Command::Key(KeyCommand::Add { name }) => {
                    let (key, secret) = store.create_open311_key(&cli_audit(), &name).await.map_err(store_err)?;
                    println!("created Open311 key {} (id {}): {secret}", key.name, key.id);
                }
                Open311Command::Key(KeyCommand::List) => {
                    for k in store.open311_keys().await? {
                        println!(
                            "{}\t{}\t{}…\t{}",
                            k.id,
                            k.name,
                            k.prefix,
                            if k.revoked_at.is_some() { "revoked" } else { "active" }
                        );
                    }
                }
                Open311Command::Key(KeyCommand::Revoke { id }) => {
                    store.revoke_open311_key(&cli_audit(), id).await.map_err(store_err)?
                }
            }
            Ok(())
        }
        Command::Backup { file } => {
            let url = database.unwrap_or_else(|| DEFAULT_DB.into());
            // A backup must not change the database it copies: no migrations here.
            let store = Store::connect_without_migrating(&url).await.with_context(|| format!("opening database {url}"))?;
            if file.exists() {
                bail!("{} exists; choose a new file", file.display());
            }
            // The files named by the database, copied after its snapshot: files are never changed
            // once stored, so every one the snapshot names is still there (or was deleted since).
            let copy_uploads = |store: Store| {
                let from = uploads_dir(&url);
                let to = PathBuf::from(format!("{}.uploads", file.display()));
                async move {
                    // A database from before attachments existed has no such table: nothing to copy.
                    let keys = store.attachment_keys().await.unwrap_or_else(|e| {
                        eprintln!("no uploads listed: {e}");
                        vec![]
                    });
                    let mut copied = 0usize;
                    for k in &keys {
                        let (src, dst) = (from.join(k), to.join(k));
                        if let Some(parent) = dst.parent() {
                            std::fs::create_dir_all(parent)?;
                        }
                        match std::fs::copy(&src, &dst) {
                            Ok(_) => copied += 1,
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => eprintln!("missing upload {}", src.display()),
                            Err(e) => return Err(anyhow::Error::from(e).context(format!("copying {}", src.display()))),
                        }
                    }
                    if copied > 0 {
                        println!("{copied} uploaded files copied to {}", to.display());
                    }
                    Ok::<_, anyhow::Error>(())
                }
            };
            if store.backup_sqlite(&file.to_string_lossy()).await? {
                println!("backup written to {}", file.display());
                let snapshot = Store::connect_without_migrating(&format!("sqlite:{}", file.display())).await?;
                copy_uploads(snapshot).await?;
            } else {
                copy_uploads(store.clone()).await?;
                println!(
                    "PostgreSQL: take a consistent online backup with\n  pg_dump --format=custom --file={} '{}'",
                    file.display(),
                    redact(&url)
                );
            }
            Ok(())
        }
    }
}

/// Uploads live beside an SQLite database (`data/danvan.db` → `data/uploads`); with PostgreSQL,
/// in `data/uploads` (several servers must share it: see docs/OPERATIONS.md).
fn default_uploads_dir(url: &str) -> PathBuf {
    let file = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(|p| p.split('?').next().unwrap_or(p));
    match file.map(std::path::Path::new).and_then(|p| p.parent()) {
        Some(dir) if !url.contains(":memory:") => dir.join("uploads"),
        _ => PathBuf::from("data/uploads"),
    }
}

/// The URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DANVAN_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}

async fn open(url: &str) -> Result<Store> {
    Store::connect(url).await.with_context(|| format!("opening database {url}"))
}

async fn serve(
    store: Store,
    addr: &str,
    (config, app_config): (WebConfig, AppConfig),
    logins: Option<&[(&str, &str)]>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    println!("danvan {} serving on http://{local}/ ({} database)", env!("CARGO_PKG_VERSION"), store.backend_name());
    if let Some(logins) = logins {
        println!("demo sign-ins (password for all: {}):", demo::PASSWORD);
        for (user, what) in logins {
            println!("  {user:<14} {what}");
        }
    }
    let app = App::new(store.clone(), app_config);
    danvan_app::jobs::spawn(app.clone(), std::time::Duration::from_secs(300));
    danvan_app::jobs::spawn_delivery(app.clone(), std::time::Duration::from_secs(30));
    let state = AppState::new(app, config);
    danvan_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM or Ctrl-C: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

fn read_password(given: Option<String>) -> Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        eprint!("password: ");
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn cli_audit() -> AuditCtx {
    AuditCtx::system(&format!("cli ({})", std::env::var("USER").unwrap_or_else(|_| "unknown".into())))
}

async fn hash(password: &str) -> Result<String> {
    danvan_app::org::accounts::hash_password(password.to_string()).await.map_err(|e| anyhow::anyhow!("{e:?}"))
}

fn explain(e: danvan_domain::FieldErrors) -> anyhow::Error {
    let lines: Vec<String> =
        e.0.iter().map(|f| format!("{}: {}", f.field, danvan_web::i18n::t(danvan_web::i18n::Lang::En, &f.key))).collect();
    anyhow::anyhow!(lines.join("\n"))
}

async fn user(store: Store, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add { username, full_name, email, phone, password, unit, role, title } => {
            let password = read_password(password)?;
            let draft =
                danvan_app::org::accounts::validate_new_account(&AccountInput { username, full_name, email, phone }, &password)
                    .map_err(explain)?;
            let membership = match (unit, role) {
                (Some(code), Some(role)) => {
                    let u = store.get_unit_by_code(&code).await?.with_context(|| format!("no unit with code {code}"))?;
                    let r = Role::parse(&role)
                        .with_context(|| format!("unknown role {role} (admin, leader, officer, front, viewer)"))?;
                    Some((u.id, r))
                }
                (None, None) => None,
                _ => bail!("--unit and --role go together"),
            };
            let audit = cli_audit();
            let acc = store.create_account(&audit, &draft, &hash(&password).await?).await.map_err(store_err)?;
            if let Some((unit, role)) = membership {
                store.add_membership(&audit, acc.id, unit, role, &title).await.map_err(store_err)?;
            }
            println!("created account {} (id {})", acc.username, acc.id);
        }
        UserCommand::Passwd { username, password } => {
            let acc = store.get_account_by_username(&username).await?.with_context(|| format!("no account {username}"))?;
            let password = read_password(password)?;
            account::validate_password(&password).map_err(|k| explain(danvan_domain::FieldErrors::one("password", k)))?;
            store.set_password(&cli_audit(), acc.id, &hash(&password).await?).await?;
            println!("password set for {username}; its sessions were ended");
        }
        UserCommand::Token { username, name } => {
            let acc = store.get_account_by_username(&username).await?.with_context(|| format!("no account {username}"))?;
            let (_, secret) = store.create_api_token(&cli_audit(), acc.id, &name).await.map_err(store_err)?;
            println!("{secret}");
        }
        UserCommand::List => {
            let mut accounts = vec![];
            loop {
                let (page, total) = store.list_accounts("", None, 500, accounts.len() as i64).await?;
                let done = page.is_empty() || accounts.len() + page.len() >= total as usize;
                accounts.extend(page);
                if done {
                    break;
                }
            }
            for a in accounts {
                let roles: Vec<String> =
                    store.memberships_of(a.id).await?.iter().map(|m| format!("{}@{}", m.role, m.unit_code)).collect();
                println!("{:<20} {:<32} {}{}", a.username, a.full_name, roles.join(","), if a.active { "" } else { " (locked)" });
            }
        }
    }
    Ok(())
}

fn store_err(e: danvan_store::StoreError) -> anyhow::Error {
    match e {
        danvan_store::StoreError::Invalid(f) => explain(f),
        e => e.into(),
    }
}

/// A progress bar on a terminal, plain lines otherwise.
pub fn progress(len: u64, what: &str) -> Box<dyn FnMut(usize)> {
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(what.to_string());
        Box::new(move |n| {
            bar.set_position(n as u64);
            if n as u64 >= len {
                bar.finish();
            }
        })
    } else {
        let what = what.to_string();
        Box::new(move |n| {
            if n % 1000 == 0 || n as u64 == len {
                eprintln!("{what}: {n}/{len}");
            }
        })
    }
}

async fn unit(store: Store, cmd: UnitCommand) -> Result<()> {
    match cmd {
        UnitCommand::Import { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let rows = danvan_app::org::units::parse_units_csv(&bytes).map_err(|e| match e.fields() {
                Some(f) => explain(f.clone()),
                None => anyhow::anyhow!("cannot read {}", file.display()),
            })?;
            let (created, updated) = store
                .import_units(&cli_audit(), &rows, progress(rows.len() as u64, "importing units"))
                .await
                .map_err(store_err)?;
            println!("imported {}: {created} created, {updated} updated", file.display());
        }
        UnitCommand::Export { file } => {
            let csv = danvan_app::org::units::units_csv(&store.all_units().await?);
            match file {
                Some(f) => std::fs::write(&f, csv).with_context(|| format!("writing {}", f.display()))?,
                None => print!("{csv}"),
            }
        }
    }
    Ok(())
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| format!("{s}: expected a date as YYYY-MM-DD"))
}

fn parse_override(date: &str, kind: &str, reason: &str) -> Result<danvan_domain::calendar::Override> {
    use danvan_domain::calendar::Override;
    let date = parse_day(date)?;
    let reason = reason.to_string();
    Ok(match kind.trim() {
        "day_off" => Override::DayOff { date, reason },
        "working_day" => Override::WorkingDay { date, reason },
        "remove_holiday" => Override::RemoveHoliday { date },
        other => bail!("{other}: the kind is day_off, working_day or remove_holiday"),
    })
}

async fn calendar(database: Option<&str>, cmd: CalendarCommand) -> Result<()> {
    use danvan_domain::calendar::WorkCalendar;
    let store = match database {
        Some(url) => Some(open(url).await?),
        None => None,
    };
    let cal = match &store {
        Some(s) => s.work_calendar().await?,
        None => std::sync::Arc::new(WorkCalendar::default()),
    };
    match cmd {
        CalendarCommand::Holidays { year } => {
            if !danvan_domain::lunar::SUPPORTED_YEARS.contains(&year) {
                bail!(
                    "{year}: the calendar covers the years {}–{}",
                    danvan_domain::lunar::SUPPORTED_YEARS.start(),
                    danvan_domain::lunar::SUPPORTED_YEARS.end()
                );
            }
            for d in cal.days_off(year) {
                println!("{d}");
            }
        }
        CalendarCommand::AddWorkingDays { date, n } => {
            let due = cal.add_working_days(parse_day(&date)?, n).context("the due date is beyond the calendar's range")?;
            println!("{}", due.format("%Y-%m-%d"));
        }
        CalendarCommand::Lunar { date } => {
            let d = parse_day(&date)?;
            if !danvan_domain::lunar::SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d)) {
                bail!(
                    "{date}: the lunar calendar covers the years {}–{}",
                    danvan_domain::lunar::SUPPORTED_YEARS.start(),
                    danvan_domain::lunar::SUPPORTED_YEARS.end()
                );
            }
            println!("{}", danvan_domain::lunar::solar_to_lunar(d));
        }
        CalendarCommand::Override(o) => {
            let store = store.context("overrides live in a database: give --database or DANVAN_DATABASE_URL")?;
            match o {
                OverrideCommand::List => {
                    for r in store.calendar_overrides().await? {
                        println!("{}\t{}\t{}", r.day, r.kind, r.reason);
                    }
                }
                OverrideCommand::Set { date, kind, reason } => {
                    store
                        .set_calendar_override(&cli_audit(), &parse_override(&date, &kind, &reason)?)
                        .await
                        .map_err(store_err)?;
                }
                OverrideCommand::Delete { date } => {
                    store.delete_calendar_override(&cli_audit(), parse_day(&date)?).await.map_err(store_err)?
                }
                OverrideCommand::Import { file } => {
                    let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
                    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
                    let mut parsed = vec![];
                    for (i, row) in rdr.records().enumerate() {
                        let row = row.with_context(|| format!("row {}", i + 2))?;
                        let o = parse_override(row.get(0).unwrap_or(""), row.get(1).unwrap_or(""), row.get(2).unwrap_or(""))
                            .with_context(|| format!("row {}", i + 2))?;
                        parsed.push(o);
                    }
                    for o in &parsed {
                        store.set_calendar_override(&cli_audit(), o).await.map_err(store_err)?;
                    }
                    println!("imported {} overrides from {}", parsed.len(), file.display());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn printed_urls_hide_passwords() {
        assert_eq!(super::redact("postgres://danvan:s3cret@db/danvan"), "postgres://danvan:***@db/danvan");
        assert_eq!(super::redact("postgres://danvan@db/danvan"), "postgres://danvan@db/danvan");
        assert_eq!(super::redact("sqlite:data/danvan.db"), "sqlite:data/danvan.db");
    }
}
