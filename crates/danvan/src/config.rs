//! danvan's configuration: every setting is declared once, as a clap argument below (its flag,
//! environment variable, default and help), and its file key is its argument id (`addr`,
//! `delivery.smtp_host`, i.e. `smtp_host` in the file's `[delivery]` table).
//!
//! Layers, lowest first: the built-in default < the TOML file (`--config`, `DANVAN_CONFIG`) <
//! the environment < the command line. clap already takes flag over environment over default;
//! the file slots in between by becoming the arguments' defaults before the final parse, so no
//! setting is merged by hand and `--help` shows the built-in defaults.

use anyhow::{bail, Context, Result};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use danvan_app::cases::delivery::{DeliveryConfig, SmtpConfig, SmtpTls, WebhookConfig};
use danvan_app::AppConfig;
use danvan_web::WebConfig;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATABASE: &str = "sqlite:data/danvan.db";
/// `demo`'s own default, so that it never touches the database `serve` uses.
pub const DEMO_DATABASE: &str = "sqlite:data/demo.db";

/// The settings every command reads.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// TOML configuration file: keys as listed by `danvan config --list` (a dotted key such as
    /// delivery.smtp_host is smtp_host in the [delivery] table).
    #[arg(long, global = true, env = "DANVAN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "DANVAN_DATABASE_URL", value_name = "URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
    /// Directory of uploaded photos and answer files [default: uploads/ beside an SQLite
    /// database, data/uploads with PostgreSQL].
    #[arg(long, global = true, env = "DANVAN_UPLOADS_DIR", value_name = "DIR")]
    pub uploads_dir: Option<PathBuf>,
    /// Log format.
    #[arg(long, global = true, env = "DANVAN_LOG_FORMAT", value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    /// Log levels, in tracing's filter syntax (e.g. debug or info,danvan_web=debug).
    #[arg(long, global = true, env = "DANVAN_LOG", value_name = "FILTER", default_value = "info,sqlx=warn")]
    pub log: String,
}

/// The settings of the web server (`serve`, `demo`).
#[derive(Args, Clone, Debug)]
pub struct ServeSettings {
    /// Address to listen on.
    #[arg(long, env = "DANVAN_ADDR", value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Mark cookies Secure (set when serving behind TLS; requests with X-Forwarded-Proto: https
    /// get Secure cookies anyway). Alone, the flag means true.
    #[arg(long, env = "DANVAN_SECURE_COOKIES", value_name = "BOOL", action = ArgAction::Set, num_args = 0..=1,
          default_value = "false", default_missing_value = "true")]
    pub secure_cookies: bool,
    /// Trust the last address of X-Forwarded-For (behind one reverse proxy). Alone, the flag
    /// means true.
    #[arg(long, env = "DANVAN_TRUST_PROXY", value_name = "BOOL", action = ArgAction::Set, num_args = 0..=1,
          default_value = "false", default_missing_value = "true")]
    pub trust_proxy: bool,
    /// Session length in hours: the server-side expiry and the cookie's Max-Age (no sliding).
    #[arg(long, env = "DANVAN_SESSION_HOURS", value_name = "HOURS", default_value = "12",
          value_parser = clap::value_parser!(i64).range(1..=8760))]
    pub session_hours: i64,
    /// Where users can get the source code of the version you run (AGPL-3.0 §13); shown in the
    /// footer.
    #[arg(long, env = "DANVAN_SOURCE_URL", value_name = "URL", default_value = env!("CARGO_PKG_REPOSITORY"))]
    pub source_url: String,
    /// The bearer token that GET /metrics requires (Authorization: Bearer TOKEN); without it
    /// /metrics is not served.
    #[arg(long, env = "DANVAN_METRICS_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    #[command(flatten)]
    pub delivery: DeliverySettings,
    #[command(flatten)]
    pub limits: LimitSettings,
}

/// Load shedding (docs/SECURITY.md, "Abuse limits"); file keys in the `[limits]` table. Beyond
/// these, requests are answered 503 with Retry-After.
#[derive(Args, Clone, Debug)]
#[command(next_help_heading = "Overload")]
pub struct LimitSettings {
    /// Requests handled at once, other than intake and expensive reads (as many more may wait).
    #[arg(id = "limits.max_requests", long = "max-requests", env = "DANVAN_MAX_REQUESTS", value_name = "N",
          default_value = "64", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_requests: u32,
    /// Intake requests handled at once: the public form, case creation through the API and
    /// Open311, /healthz (as many more may wait).
    #[arg(id = "limits.max_intake", long = "max-intake", env = "DANVAN_MAX_INTAKE", value_name = "N",
          default_value = "32", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_intake: u32,
    /// Expensive reads handled at once: lists, searches, figures, exports (as many more may
    /// wait). Keep it below the database's read connections (8 on SQLite, 16 on PostgreSQL).
    #[arg(id = "limits.max_expensive", long = "max-expensive", env = "DANVAN_MAX_EXPENSIVE", value_name = "N",
          default_value = "4", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_expensive: u32,
    /// How long a request may wait for a free slot, in milliseconds.
    #[arg(id = "limits.queue_wait_ms", long = "queue-wait-ms", env = "DANVAN_QUEUE_WAIT_MS", value_name = "MS",
          default_value = "2000", value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub queue_wait_ms: u64,
    /// How long a request may take in all, in seconds (the time its body takes to arrive not
    /// counted).
    #[arg(id = "limits.request_timeout", long = "request-timeout", env = "DANVAN_REQUEST_TIMEOUT", value_name = "SECONDS",
          default_value = "60", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub request_timeout: u64,
}

impl LimitSettings {
    pub fn limits(&self) -> danvan_web::overload::Limits {
        danvan_web::overload::Limits {
            max_requests: self.max_requests as usize,
            max_intake: self.max_intake as usize,
            max_expensive: self.max_expensive as usize,
            queue_wait: std::time::Duration::from_millis(self.queue_wait_ms),
            request_timeout: std::time::Duration::from_secs(self.request_timeout),
            ..danvan_web::overload::Limits::default()
        }
    }
}

/// Sending answers to citizens (docs/OPERATIONS.md, "Answers to citizens"); file keys in the
/// `[delivery]` table.
#[derive(Args, Clone, Debug)]
#[command(next_help_heading = "Answers to citizens")]
pub struct DeliverySettings {
    /// The site's address as citizens reach it, for the links in messages; required with SMTP or
    /// the webhook.
    #[arg(id = "delivery.public_url", long = "public-url", env = "DANVAN_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// SMTP server; no e-mail without it.
    #[arg(id = "delivery.smtp_host", long = "smtp-host", env = "DANVAN_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port [default: 587; 465 with --smtp-tls tls, 25 with none].
    #[arg(id = "delivery.smtp_port", long = "smtp-port", env = "DANVAN_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// SMTP security (starttls is required, not opportunistic).
    #[arg(id = "delivery.smtp_tls", long = "smtp-tls", env = "DANVAN_SMTP_TLS", value_name = "MODE",
          default_value = "starttls", value_parser = ["starttls", "tls", "none"])]
    pub smtp_tls: String,
    /// SMTP sign-in name.
    #[arg(id = "delivery.smtp_user", long = "smtp-user", env = "DANVAN_SMTP_USER", value_name = "USER")]
    pub smtp_user: Option<String>,
    /// SMTP password.
    #[arg(
        id = "delivery.smtp_password",
        long = "smtp-password",
        env = "DANVAN_SMTP_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// Sender of e-mails, e.g. "UBND phường <no-reply@example.gov.vn>"; required with --smtp-host.
    #[arg(id = "delivery.smtp_from", long = "smtp-from", env = "DANVAN_SMTP_FROM", value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// The gateway's URL for SMS and Zalo messages.
    #[arg(id = "delivery.webhook_url", long = "webhook-url", env = "DANVAN_WEBHOOK_URL", value_name = "URL")]
    pub webhook_url: Option<String>,
    /// The secret that signs webhook calls; required with --webhook-url.
    #[arg(
        id = "delivery.webhook_secret",
        long = "webhook-secret",
        env = "DANVAN_WEBHOOK_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub webhook_secret: Option<String>,
    /// Channels the gateway delivers, comma-separated.
    #[arg(
        id = "delivery.webhook_channels",
        long = "webhook-channels",
        env = "DANVAN_WEBHOOK_CHANNELS",
        value_name = "LIST",
        default_value = "sms,zalo"
    )]
    pub webhook_channels: String,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Default,
    File,
    Env,
    Flag,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Default => "default",
            Layer::File => "file",
            Layer::Env => "environment",
            Layer::Flag => "flag",
        }
    }
}

/// The parsed command line with every layer applied, and where each value came from.
pub struct Loaded<P> {
    pub cli: P,
    /// The command as declared (before the file's values became defaults).
    pub command: Command,
    pub matches: ArgMatches,
    file_keys: BTreeSet<String>,
}

impl<P> Loaded<P> {
    /// The layer that gave setting `id` its value (`Default` when it has none).
    pub fn layer(&self, id: &str) -> Layer {
        match source(&self.matches, id) {
            Some(ValueSource::CommandLine) => Layer::Flag,
            Some(ValueSource::EnvVariable) => Layer::Env,
            _ if self.file_keys.contains(id) => Layer::File,
            _ => Layer::Default,
        }
    }
}

/// The source of `id` in the deepest matches that have it.
fn source(m: &ArgMatches, id: &str) -> Option<ValueSource> {
    let here = if m.ids().any(|i| i.as_str() == id) { m.value_source(id) } else { None };
    match m.subcommand() {
        Some((_, sub)) => source(sub, id).or(here),
        None => here,
    }
}

/// Parses `args` with `command` (not built: clap copies global arguments into subcommands when
/// it builds, after the file's values are in place), then again with the file's values as
/// the defaults. clap's own errors (and `--help`, `--version`) come back as `clap::Error`.
pub fn load<P: FromArgMatches>(command: Command, args: Vec<OsString>) -> Result<Loaded<P>> {
    let first = command.clone().try_get_matches_from(&args)?;
    let Some(path) = first.get_one::<PathBuf>("config").cloned() else {
        let cli = P::from_arg_matches(&first)?;
        return Ok(Loaded { cli, command, matches: first, file_keys: BTreeSet::new() });
    };
    // Declaring defaults reorders clap's arguments: keep the command as declared for listings.
    let declared = command.clone();
    let mut command = command;
    let mut file_keys = BTreeSet::new();
    for (key, value) in read_file(&path)? {
        if key == "config" || !has_arg(&command, &key) {
            bail!("{}: unknown key {key} (`danvan config --list` lists the keys)", path.display());
        }
        command = set_default(command, &key, value);
        file_keys.insert(key);
    }
    let matches = command.try_get_matches_from(&args).map_err(|e| {
        let e = e.render().to_string();
        anyhow::anyhow!("{}: {}", path.display(), e.lines().next().unwrap_or_default().trim_start_matches("error: "))
    })?;
    let cli = P::from_arg_matches(&matches)?;
    Ok(Loaded { cli, command: declared, matches, file_keys })
}

/// The file's settings as (key, value) pairs, a table's keys prefixed with its name.
fn read_file(path: &Path) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut out = vec![];
    for (key, value) in table {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    out.push((format!("{key}.{k}"), scalar(path, &format!("{key}.{k}"), v)?));
                }
            }
            v => out.push((key.clone(), scalar(path, &key, v)?)),
        }
    }
    Ok(out)
}

fn scalar(path: &Path, key: &str, v: toml::Value) -> Result<String> {
    Ok(match v {
        toml::Value::String(s) => s,
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Float(f) => f.to_string(),
        _ => bail!("{}: {key}: expected a string, number or boolean", path.display()),
    })
}

fn has_arg(cmd: &Command, id: &str) -> bool {
    cmd.get_arguments().any(|a| a.get_id() == id) || cmd.get_subcommands().any(|s| has_arg(s, id))
}

/// Makes `value` the default of `id` wherever it is declared (the top level for a global
/// setting, and a subcommand with its own copy, such as `demo`'s database).
fn set_default(mut cmd: Command, id: &str, value: String) -> Command {
    // clap keeps defaults as &'static str: one small string per file key, once per process.
    let value: &'static str = Box::leak(value.into_boxed_str());
    if cmd.get_arguments().any(|a| a.get_id() == id) {
        cmd = cmd.mut_arg(id, |a| a.default_value(value));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| set_default(s, id, value.to_string()));
    }
    cmd
}

/// The declared settings: the global ones and those of `serve` (`config` last has no file key).
pub fn declared(cmd: &Command) -> Vec<&Arg> {
    let serve = cmd.get_subcommands().find(|s| s.get_name() == "serve");
    let mut out: Vec<&Arg> = cmd.get_arguments().filter(|a| a.get_env().is_some()).collect();
    for a in serve.into_iter().flat_map(|s| s.get_arguments()) {
        if a.get_env().is_some() && !out.iter().any(|b| b.get_id() == a.get_id()) {
            out.push(a);
        }
    }
    out
}

/// `danvan config --list`: one line per setting, tab-separated: file key, flag, environment
/// variable, default ("-" for none).
pub fn list(cmd: &Command) -> String {
    let mut out = String::new();
    for a in declared(cmd) {
        let key = if a.get_id() == "config" { "-".to_string() } else { a.get_id().to_string() };
        let default = a.get_default_values().first().map(|d| d.to_string_lossy().into_owned()).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{key}\t--{}\t{}\t{default}\n",
            a.get_long().unwrap_or_default(),
            a.get_env().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default()
        ));
    }
    out
}

/// `danvan config`: the settings in effect for `serve`, as a TOML file would give them, with
/// the layer each comes from; secrets are hidden.
pub fn show<P>(loaded: &Loaded<P>) -> String {
    let mut out = String::from("# danvan's configuration in effect: default < file < environment < flag\n");
    for a in declared(&loaded.command) {
        let id = a.get_id().as_str();
        if id == "config" {
            continue;
        }
        let raw = raw(&loaded.matches, id);
        let value = match raw {
            None => {
                out.push_str(&format!("# {id} is not set\n"));
                continue;
            }
            Some(_) if a.is_hide_env_values_set() => "\"***\"".to_string(),
            Some(v) if v.parse::<i64>().is_ok() || v == "true" || v == "false" => v,
            Some(v) => toml::Value::String(v).to_string(),
        };
        out.push_str(&format!("{id} = {value}  # {}\n", loaded.layer(id).name()));
    }
    out
}

fn raw(m: &ArgMatches, id: &str) -> Option<String> {
    let here = if m.ids().any(|i| i.as_str() == id) {
        m.get_raw(id).and_then(|mut v| v.next()).map(|v| v.to_string_lossy().into_owned())
    } else {
        None
    };
    match m.subcommand() {
        Some((_, sub)) => raw(sub, id).or(here),
        None => here,
    }
}

impl Settings {
    /// Photos and attachments: the setting, else beside an SQLite database.
    pub fn uploads_dir(&self) -> PathBuf {
        self.uploads_dir.clone().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| default_uploads_dir(&self.database))
    }
}

/// Uploads live beside an SQLite database (`data/danvan.db` → `data/uploads`); with PostgreSQL,
/// in `data/uploads` (several servers must share it: see docs/OPERATIONS.md).
pub fn default_uploads_dir(url: &str) -> PathBuf {
    let file = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(|p| p.split('?').next().unwrap_or(p));
    match file.map(Path::new).and_then(|p| p.parent()) {
        Some(dir) if !url.contains(":memory:") => dir.join("uploads"),
        _ => PathBuf::from("data/uploads"),
    }
}

impl ServeSettings {
    pub fn web_config(&self) -> WebConfig {
        WebConfig {
            secure_cookies: self.secure_cookies,
            trust_proxy: self.trust_proxy,
            session_hours: self.session_hours,
            source_url: self.source_url.clone(),
            metrics_token: self.metrics_token.clone().filter(|t| !t.trim().is_empty()),
            limits: self.limits.limits(),
        }
    }

    pub fn app_config(&self, settings: &Settings) -> Result<AppConfig> {
        Ok(AppConfig { delivery: self.delivery.config()?, uploads_dir: settings.uploads_dir() })
    }
}

impl DeliverySettings {
    /// SMTP needs a host and a sender, the webhook a URL and a secret (an unsigned webhook would
    /// let anyone send SMS in the unit's name).
    pub fn config(&self) -> Result<DeliveryConfig> {
        use danvan_domain::cases::delivery::MessageChannel;
        let given = |x: &Option<String>| x.clone().filter(|v| !v.trim().is_empty());
        let mut c = DeliveryConfig { public_url: given(&self.public_url).unwrap_or_default(), ..Default::default() };
        if let Some(host) = given(&self.smtp_host) {
            let tls = SmtpTls::parse(&self.smtp_tls)
                .with_context(|| format!("smtp_tls: {}: use starttls, tls or none", self.smtp_tls))?;
            let from = given(&self.smtp_from).context("smtp_from is required with smtp_host")?;
            c.smtp = Some(SmtpConfig {
                host,
                port: self.smtp_port.unwrap_or(match tls {
                    SmtpTls::Tls => 465,
                    SmtpTls::StartTls => 587,
                    SmtpTls::None => 25,
                }),
                tls,
                user: given(&self.smtp_user),
                password: given(&self.smtp_password),
                from,
            });
        }
        if let Some(url) = given(&self.webhook_url) {
            let secret = given(&self.webhook_secret).context("webhook_secret is required with webhook_url")?;
            let mut channels = vec![];
            for n in self.webhook_channels.split(',').map(str::trim).filter(|n| !n.is_empty()) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command as Cmd};
    use std::sync::Mutex;

    // clap reads the environment when the command is built: tests that depend on it take turns.
    static ENV: Mutex<()> = Mutex::new(());

    const VARS: &[&str] = &["DANVAN_CONFIG", "DANVAN_ADDR", "DANVAN_SESSION_HOURS", "DANVAN_TRUST_PROXY", "DANVAN_DATABASE_URL"];

    fn with_env<T>(vars: &[(&str, &str)], f: impl FnOnce() -> T) -> T {
        let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let saved: Vec<_> = VARS.iter().map(|v| (*v, std::env::var_os(v))).collect();
        for v in VARS {
            std::env::remove_var(v);
        }
        for (k, v) in vars {
            std::env::set_var(k, v);
        }
        let out = f();
        for (k, v) in saved {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
        out
    }

    fn parse(args: &[&str]) -> Loaded<Cli> {
        let args: Vec<OsString> = std::iter::once("danvan").chain(args.iter().copied()).map(OsString::from).collect();
        load(crate::cli::command(), args).unwrap()
    }

    fn serve(l: &Loaded<Cli>) -> &ServeSettings {
        match &l.cli.command {
            Cmd::Serve(s) => s,
            _ => panic!("not serve"),
        }
    }

    fn file(name: &str, text: &str) -> String {
        let p = std::env::temp_dir().join(format!("danvan-config-{}-{name}.toml", std::process::id()));
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    const FILE: &str =
        "addr = \"0.0.0.0:9000\"\nsession_hours = 10\ntrust_proxy = true\n[delivery]\nsmtp_port = 2525\n[limits]\nmax_expensive = 2\n";

    #[test]
    fn defaults() {
        let l = with_env(&[], || parse(&["serve"]));
        let s = serve(&l);
        assert_eq!((s.addr.as_str(), s.session_hours, s.trust_proxy, s.secure_cookies), ("127.0.0.1:8080", 12, false, false));
        assert_eq!(l.cli.settings.database, DEFAULT_DATABASE);
        assert_eq!(l.cli.settings.uploads_dir(), PathBuf::from("data/uploads"));
        assert_eq!(s.source_url, "https://github.com/danvan/danvan");
        assert_eq!((s.delivery.smtp_tls.as_str(), s.delivery.webhook_channels.as_str()), ("starttls", "sms,zalo"));
        let limits = s.web_config().limits;
        assert_eq!((limits.max_requests, limits.max_intake, limits.max_expensive), (64, 32, 4));
        assert_eq!((limits.queue_wait.as_millis(), limits.request_timeout.as_secs()), (2000, 60));
        assert_eq!(l.layer("addr"), Layer::Default);
        assert_eq!(l.layer("delivery.smtp_host"), Layer::Default);
        // `demo` has a database of its own.
        let l = with_env(&[], || parse(&["demo"]));
        assert_eq!(l.cli.settings.database, DEMO_DATABASE);
    }

    #[test]
    fn file_overrides_defaults() {
        let path = file("file", FILE);
        let l = with_env(&[], || parse(&["--config", &path, "serve"]));
        let s = serve(&l);
        assert_eq!((s.addr.as_str(), s.session_hours, s.trust_proxy), ("0.0.0.0:9000", 10, true));
        assert_eq!(s.delivery.smtp_port, Some(2525));
        assert_eq!((s.limits.max_expensive, l.layer("limits.max_expensive")), (2, Layer::File));
        assert_eq!(
            (l.layer("addr"), l.layer("delivery.smtp_port"), l.layer("secure_cookies")),
            (Layer::File, Layer::File, Layer::Default)
        );
        // Also through DANVAN_CONFIG, and for a global setting in any command.
        let db = file("db", "database = \"sqlite:/tmp/x.db\"\n");
        let l = with_env(&[("DANVAN_CONFIG", &db)], || parse(&["demo"]));
        assert_eq!(l.cli.settings.database, "sqlite:/tmp/x.db");
        let l = with_env(&[("DANVAN_CONFIG", &db)], || parse(&["user", "list"]));
        assert_eq!(l.cli.settings.database, "sqlite:/tmp/x.db");
    }

    #[test]
    fn environment_overrides_file() {
        let path = file("env", FILE);
        let l = with_env(
            &[("DANVAN_ADDR", "127.0.0.1:7000"), ("DANVAN_TRUST_PROXY", "false"), ("DANVAN_SESSION_HOURS", "8")],
            || parse(&["--config", &path, "serve"]),
        );
        let s = serve(&l);
        assert_eq!((s.addr.as_str(), s.session_hours, s.trust_proxy), ("127.0.0.1:7000", 8, false));
        assert_eq!((l.layer("addr"), l.layer("session_hours")), (Layer::Env, Layer::Env));
    }

    #[test]
    fn flags_override_environment() {
        let path = file("flag", FILE);
        let l = with_env(&[("DANVAN_ADDR", "127.0.0.1:7000"), ("DANVAN_DATABASE_URL", "sqlite:env.db")], || {
            parse(&["--config", &path, "--database", "sqlite:flag.db", "serve", "--addr", "[::1]:1", "--trust-proxy=false"])
        });
        let s = serve(&l);
        assert_eq!((s.addr.as_str(), s.trust_proxy), ("[::1]:1", false));
        assert_eq!(l.cli.settings.database, "sqlite:flag.db");
        assert_eq!((l.layer("addr"), l.layer("trust_proxy"), l.layer("database")), (Layer::Flag, Layer::Flag, Layer::Flag));
        assert_eq!(l.cli.settings.uploads_dir(), PathBuf::from("uploads"), "uploads beside the database given");
    }

    #[test]
    fn bad_files_are_refused_with_the_key() {
        let unknown = file("unknown", "secure_cookie = true\n");
        let args = |p: &str| ["danvan", "--config", p, "serve"].map(OsString::from).to_vec();
        let e = with_env(&[], || load::<Cli>(crate::cli::command(), args(&unknown)).err().unwrap().to_string());
        assert!(e.contains("unknown key secure_cookie"), "{e}");
        let bad = file("bad", "session_hours = \"long\"\n");
        let e = with_env(&[], || load::<Cli>(crate::cli::command(), args(&bad)).err().unwrap().to_string());
        assert!(e.contains("--session-hours") && e.contains("long"), "{e}");
    }

    #[test]
    fn delivery_needs_its_companions() {
        let l = with_env(&[], || parse(&["serve", "--smtp-host", "mail", "--public-url", "https://x.vn"]));
        assert!(serve(&l).delivery.config().unwrap_err().to_string().contains("smtp_from"));
        let l = with_env(&[], || {
            parse(&["serve", "--smtp-host", "mail", "--smtp-from", "a@x.vn", "--smtp-tls", "tls", "--public-url", "https://x.vn"])
        });
        assert_eq!(serve(&l).delivery.config().unwrap().smtp.unwrap().port, 465);
    }
}
