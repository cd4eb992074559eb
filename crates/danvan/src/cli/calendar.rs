//! Working days, holidays, the lunar calendar and a database's overrides.

use super::{cli_audit, open, store_err};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CalendarCommand {
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
pub enum OverrideCommand {
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

fn parse_any_day(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| format!("{s}: expected a date as YYYY-MM-DD"))
}

/// A date given on the command line, bounded like every date a user gives: from 1945 to ten
/// years ahead (`calendar::check_date`), so a typo's year 20260 is refused, not saved.
fn parse_day(s: &str) -> Result<chrono::NaiveDate> {
    let d = parse_any_day(s)?;
    danvan_domain::calendar::check_date(d, danvan_app::cases::today(), danvan_domain::calendar::DateRange::Planning)
        .map_err(|k| anyhow::anyhow!("{}: {}", s.trim(), danvan_web::i18n::t(danvan_web::i18n::Lang::En, k)))
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

pub async fn calendar(database: Option<&str>, cmd: CalendarCommand) -> Result<()> {
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
            if !danvan_domain::calendar::lunar::SUPPORTED_YEARS.contains(&year) {
                bail!(
                    "{year}: the calendar covers the years {}–{}",
                    danvan_domain::calendar::lunar::SUPPORTED_YEARS.start(),
                    danvan_domain::calendar::lunar::SUPPORTED_YEARS.end()
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
            // A reading, not a record: bounded by the years the lunar tables cover.
            let d = parse_any_day(&date)?;
            if !danvan_domain::calendar::lunar::SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d)) {
                bail!(
                    "{date}: the lunar calendar covers the years {}–{}",
                    danvan_domain::calendar::lunar::SUPPORTED_YEARS.start(),
                    danvan_domain::calendar::lunar::SUPPORTED_YEARS.end()
                );
            }
            println!("{}", danvan_domain::calendar::lunar::solar_to_lunar(d));
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
                    store.delete_calendar_override(&cli_audit(), parse_any_day(&date)?).await.map_err(store_err)?
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
    use super::*;

    #[test]
    fn dates_on_the_command_line_are_bounded() {
        assert!(parse_day("2026-01-01").is_ok());
        for bad in ["-262143-01-10", "1944-12-31", "20260-01-01", "2026-13-01"] {
            assert!(parse_day(bad).is_err(), "{bad}");
            assert!(parse_override(bad, "day_off", "Nghỉ").is_err(), "{bad}");
        }
        let e = parse_day("1944-12-31").unwrap_err().to_string();
        assert!(e.contains("1945"), "{e}");
        // An old override can still be removed.
        assert!(parse_any_day("1900-01-01").is_ok());
    }
}
