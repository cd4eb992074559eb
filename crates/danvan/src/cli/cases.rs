//! Citizens' cases received by other systems.

use super::explain;
use anyhow::{Context, Result};
use clap::Subcommand;
use danvan_app::{App, AppConfig};
use danvan_store::Store;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CaseCommand {
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

pub async fn case(store: Store, cmd: CaseCommand) -> Result<()> {
    let CaseCommand::Import { file, source } = cmd;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let rows = danvan_app::cases::parse_import(&bytes).map_err(explain)?;
    let app = App::new(store, AppConfig::default());
    let (created, skipped) = danvan_app::cases::import_cases(&app, &source, rows).await.map_err(|e| match e.fields() {
        Some(f) => explain(f.clone()),
        None => anyhow::anyhow!("{e:?}"),
    })?;
    println!("imported {}: {created} cases created, {skipped} already imported", file.display());
    Ok(())
}
