//! `danvan`: the server and its command-line tools.

mod cli;
mod config;
mod demo;
mod server;

use anyhow::Result;
pub use cli::progress;

// Rows are allocated on SQLite's connection threads and freed on the runtime's: glibc's malloc
// spent a quarter of a 1,000-row Open311 listing in its locks and free lists.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    let loaded = match config::load::<cli::Cli>(cli::command(), std::env::args_os().collect()) {
        Ok(l) => l,
        // --help, --version and usage errors, printed as clap prints them.
        Err(e) => match e.downcast_ref::<clap::Error>() {
            Some(e) => e.exit(),
            None => return Err(e),
        },
    };
    init_logs(&loaded.cli.settings);
    cli::run(loaded).await
}

fn init_logs(s: &config::Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log).unwrap_or_else(|_| "info,sqlx=warn".into());
    // Colours only on a terminal: a log written to a file (`demo > demo.log`) stays plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if s.log_format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}
