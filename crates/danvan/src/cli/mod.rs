//! The command line: its commands, and what they share (opening the database, errors, progress).

mod accounts;
mod backup;
mod calendar;
mod cases;
mod indicators;
mod units;

use crate::config::{self, Layer, Loaded, ServeSettings, Settings};
use crate::{demo, server};
use anyhow::{Context, Result};
use clap::{CommandFactory, Parser, Subcommand};
use danvan_store::{AuditCtx, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "danvan", version, about = "danvan — the platform for công tác dân vận: listen to the people, act on what they raise, recognise good work.", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (runs pending migrations first).
    Serve(ServeSettings),
    /// Run pending database migrations and exit.
    Migrate,
    /// Create (or refresh) the demo database, data/demo.db by default, and serve it.
    Demo(ServeSettings),
    /// Print the configuration in effect for `serve` and where each value comes from.
    Config {
        /// List every setting instead: file key, flag, environment variable and default,
        /// tab-separated.
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        serve: ServeSettings,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Import or export the unit tree as CSV.
    #[command(subcommand)]
    Unit(units::UnitCommand),
    /// Working days, holidays and the Vietnamese lunar calendar. Uses the overrides of the
    /// database given by --database or DANVAN_DATABASE_URL, the built-in rules otherwise.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Developer tools: the benchmark data generator.
    #[command(subcommand)]
    Dev(units::DevCommand),
    /// Citizens' cases: import those received by other systems.
    #[command(subcommand)]
    Case(cases::CaseCommand),
    /// Open311 GeoReport v2 API keys for apps and partner systems.
    #[command(subcommand)]
    Open311(accounts::Open311Command),
    /// The indicators' monthly counts: rebuild them from the cases.
    #[command(subcommand)]
    Indicators(indicators::IndicatorCommand),
    /// Write a consistent online copy of an SQLite database to FILE (PostgreSQL: prints the
    /// pg_dump command to use), and copy the uploaded files it refers to into FILE.uploads/.
    Backup { file: PathBuf },
}

/// The command line, with `demo`'s own database default.
pub fn command() -> clap::Command {
    let c = Cli::command();
    // A subcommand that declares a global argument itself keeps its own copy: the same setting,
    // another default. (Changing a built command would break clap's index of its arguments.)
    let database = c.get_arguments().find(|a| a.get_id() == "database").cloned().expect("the database setting");
    c.mut_subcommand("demo", |s| s.arg(database.default_value(config::DEMO_DATABASE)))
}

pub async fn run(loaded: Loaded<Cli>) -> Result<()> {
    // The calendar reads a database only when one is named by flag or environment.
    let calendar_db = matches!(loaded.layer("database"), Layer::Flag | Layer::Env).then(|| loaded.cli.settings.database.clone());
    if let Command::Config { list, .. } = &loaded.cli.command {
        print!("{}", if *list { config::list(&loaded.command) } else { config::show(&loaded) });
        return Ok(());
    }
    let Cli { settings, command } = loaded.cli;
    let database = settings.database.clone();
    match command {
        Command::Serve(s) => {
            let store = open(&database).await?;
            server::serve(store, &settings, &s, None).await
        }
        Command::Migrate => {
            open(&database).await?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Demo(s) => {
            let (store, key) = demo::prepare(&database).await?;
            println!("Open311 API key of the demo: {key}");
            server::serve(store, &settings, &s, Some(demo::LOGINS)).await
        }
        Command::Config { .. } => Ok(()),
        Command::User(u) => accounts::user(open(&database).await?, u).await,
        Command::Open311(c) => accounts::open311(open(&database).await?, c).await,
        Command::Unit(u) => units::unit(open(&database).await?, u).await,
        Command::Dev(d) => units::dev(open(&database).await?, d).await,
        Command::Calendar(c) => calendar::calendar(calendar_db.as_deref(), c).await,
        Command::Case(c) => cases::case(open(&database).await?, c).await,
        Command::Indicators(c) => indicators::indicators(open(&database).await?, c).await,
        Command::Backup { file } => backup::backup(&settings, &file).await,
    }
}

pub async fn open(url: &str) -> Result<Store> {
    Store::connect(url).await.with_context(|| format!("opening database {url}"))
}

pub fn cli_audit() -> AuditCtx {
    AuditCtx::system(&format!("cli ({})", std::env::var("USER").unwrap_or_else(|_| "unknown".into())))
}

pub fn explain(e: danvan_domain::FieldErrors) -> anyhow::Error {
    let lines: Vec<String> =
        e.0.iter().map(|f| format!("{}: {}", f.field, danvan_web::i18n::t(danvan_web::i18n::Lang::En, &f.key))).collect();
    anyhow::anyhow!(lines.join("\n"))
}

pub fn store_err(e: danvan_store::StoreError) -> anyhow::Error {
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

#[cfg(test)]
mod readme_tests {
    #[test]
    fn every_command_is_in_the_readme() {
        let readme = include_str!("../../../../README.md");
        for c in super::command().get_subcommands() {
            let name = c.get_name();
            assert!(readme.contains(&format!("| `{name}")), "README's table of commands lacks `{name}`");
        }
    }

    #[test]
    fn demos_help_gives_its_own_database() {
        let mut c = super::command();
        // Global arguments (--database) reach the subcommands when the command is built.
        c.build();
        let demo = c.find_subcommand_mut("demo").expect("demo").render_long_help().to_string();
        assert!(demo.contains("sqlite:data/demo.db"), "{demo}");
        let serve = c.find_subcommand_mut("serve").expect("serve").render_long_help().to_string();
        assert!(serve.contains("sqlite:data/danvan.db"), "{serve}");
    }
}
