//! The unit tree as CSV, and the benchmark data generator.

use super::{cli_audit, explain, progress, store_err};
use crate::demo;
use anyhow::{Context, Result};
use clap::Subcommand;
use danvan_store::{AuditCtx, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum UnitCommand {
    /// Import units from a CSV file (code,name,kind,parent_code[,effective_from,effective_to]).
    Import { file: PathBuf },
    /// Export the unit tree as CSV to FILE or standard output.
    Export { file: Option<PathBuf> },
}

#[derive(Subcommand)]
pub enum DevCommand {
    /// Add N generated cases over ten years across the wards of a province, and people and
    /// collectives with ten years of emulation records (for benchmarks; imports Viet Nam's units
    /// first when the database has none).
    Generate {
        #[arg(long, default_value_t = 0)]
        petitions: usize,
        /// People with ten years of ratings, titles and disciplines.
        #[arg(long, default_value_t = 0)]
        people: usize,
        /// Collectives with ten years of ratings and titles.
        #[arg(long, default_value_t = 0)]
        collectives: usize,
        /// The province whose wards and communes receive the cases.
        #[arg(long, default_value = "P01")]
        province: String,
    },
}

pub async fn unit(store: Store, cmd: UnitCommand) -> Result<()> {
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

pub async fn dev(store: Store, cmd: DevCommand) -> Result<()> {
    let DevCommand::Generate { petitions, people, collectives, province } = cmd;
    if store.count_units().await? == 0 {
        let rows = danvan_app::org::units::parse_units_csv(demo::UNITS_CSV.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        store.import_units(&AuditCtx::system("dev generate"), &rows, |_| {}).await?;
    }
    let started = std::time::Instant::now();
    if petitions > 0 {
        demo::generate_cases(&store, petitions, &province).await?;
    }
    if people + collectives > 0 {
        demo::generate_emulation(&store, people, collectives, &province).await?;
    }
    store.optimize().await?;
    println!(
        "generated {petitions} cases, {people} people and {collectives} collectives in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
