//! The indicators' stored inputs: rebuild the monthly counts from the cases.

use anyhow::Result;
use clap::Subcommand;
use danvan_app::{App, AppConfig};
use danvan_domain::indicators::Dimension;
use danvan_store::Store;

#[derive(Subcommand)]
pub enum IndicatorCommand {
    /// Recount every answered case's working days to answer on today's calendar (after a
    /// correction of holidays) and rebuild the monthly counts from the cases, in one
    /// transaction. Prints whether the counts the triggers kept were already right.
    Rebuild,
}

/// Every stored count, in key order: what the rebuild is compared against.
async fn snapshot(store: &Store) -> Result<Vec<String>> {
    let mut rows = vec![];
    for dim in Dimension::ALL {
        for r in store.case_month_counts("/", *dim, 0, i32::MAX).await? {
            rows.push(format!("{dim} {} {} {} {:?}", r.month, r.unit_path, r.value, r.counts));
        }
    }
    for dim in [Dimension::All, Dimension::Public] {
        for (path, d) in store.case_month_answer_days("/", dim, 0, i32::MAX).await? {
            rows.push(format!("days {dim} {} {path} {} {}", d.month, d.days, d.answered));
        }
    }
    rows.sort();
    Ok(rows)
}

pub async fn indicators(store: Store, cmd: IndicatorCommand) -> Result<()> {
    let IndicatorCommand::Rebuild = cmd;
    let before = snapshot(&store).await?;
    let app = App::new(store.clone(), AppConfig::default());
    let changed = danvan_app::indicators::rebuild_counts(&app).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let after = snapshot(&store).await?;
    let (before, after): (std::collections::BTreeSet<_>, std::collections::BTreeSet<_>) =
        (before.into_iter().collect(), after.into_iter().collect());
    let differ = before.symmetric_difference(&after).count();
    println!("working days to answer recounted: {changed} cases changed");
    if differ == 0 {
        println!("monthly counts rebuilt: {} rows, as the triggers kept them", after.len());
    } else {
        println!("monthly counts rebuilt: {} rows; {differ} rows differed from those kept before", after.len());
    }
    Ok(())
}
