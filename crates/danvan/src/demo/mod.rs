//! The demo locality: Viet Nam's real provinces and communes since 1 July 2025, with phường Hoàn
//! Kiếm and phường Cửa Nam of Hà Nội filled in (party committees, people's committees, Fatherland
//! Front, mass organisations, residential groups, officials), and the former Quận Hoàn Kiếm as a
//! dissolved unit whose successors are those wards. People are invented.
//!
//! `locality` builds the units and the 2025 reform and seeds the rest on them: `people` (officials
//! and their standard answers), `cases` (a few hundred believable cases) from the texts in
//! `texts`; `generate` is the benchmark's generator of many cases.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_store::{AuditCtx, Store};

mod cases;
mod emulation;
mod emulation_council;
mod emulation_models;
mod emulation_movements;
mod generate;
mod generate_emulation;
mod locality;
mod people;
mod texts;

pub use generate::generate_cases;
pub use generate_emulation::generate_emulation;
use locality::seed;

pub const PASSWORD: &str = "danvan-demo";

/// The demo sign-ins the demo prints, with what each does (the README lists the same; the demo's
/// test signs in as each and checks it can do exactly that). `xem.hoankiem` comes last: the test
/// waits for it.
pub const LOGINS: &[(&str, &str)] = &[
    ("admin", "system administrator: units, accounts, roles, settings"),
    ("canbo.cuanam", "officer, UBND phường Cửa Nam: receives and handles the ward's cases, drafts answers, submits them for signature"),
    ("chutich.cuanam", "leader, Chủ tịch UBND phường Cửa Nam: signs and sends the ward's answers"),
    ("bithu.cuanam", "oversight, Bí thư Đảng ủy phường Cửa Nam: sees every case, figure and overdue list of the ward, comments and directs; signs no answer"),
    ("thidua.cuanam", "emulation officer, UBND phường Cửa Nam: records, movements, nominations (no citizens' cases)"),
    ("mttq.cuanam", "front, Ủy ban MTTQ phường Cửa Nam: works on the cases it supports"),
    ("xem.hoankiem", "viewer, HĐND phường Hoàn Kiếm: reads the ward's cases"),
];

pub const UNITS_CSV: &str = include_str!("../../assets/vn-admin-units-2025.csv");

/// Deletes any previous demo database and builds a fresh one; returns it with an Open311 key
/// for trying apps against the demo.
pub async fn prepare(url: &str) -> Result<(Store, String)> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        // Only a database the demo made itself is ever replaced, whatever URL it was given.
        if std::path::Path::new(path).exists() && !is_demo(url).await {
            anyhow::bail!("{path} exists and is not a danvan demo database; refusing to replace it (give the demo its own file)");
        }
        for suffix in ["", "-wal", "-shm"] {
            let f = format!("{path}{suffix}");
            if std::path::Path::new(&f).exists() {
                std::fs::remove_file(&f).with_context(|| format!("removing old demo database {f}"))?;
            }
        }
    } else {
        anyhow::bail!("the demo builds its own SQLite database; give --database sqlite:PATH (or none)");
    }
    let store = Store::connect(url).await.with_context(|| format!("creating demo database {url}"))?;
    store.set_setting(DEMO_MARKER, &chrono::Utc::now().to_rfc3339()).await?;
    seed(&store).await?;
    let (_, key) = store.create_open311_key(&AuditCtx::system("demo"), "Ứng dụng thử nghiệm").await?;
    Ok((store, key))
}

const DEMO_MARKER: &str = "demo_database";

async fn is_demo(url: &str) -> bool {
    match Store::connect_without_migrating(url).await {
        Ok(s) => {
            let marked = matches!(s.get_setting(DEMO_MARKER).await, Ok(Some(_)));
            s.close().await;
            marked
        }
        Err(_) => false,
    }
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}
