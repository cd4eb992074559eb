//! The emulation benchmark's generator (`danvan dev generate --people N --collectives M`): people
//! and collectives across a province's wards and communes with ten years (2016–2025) of yearly
//! ratings, the titles those ratings earn, and now and then a disciplinary action — the records
//! an eligibility check reads (issue 11's province-wide round).

use super::texts::{Lcg, CITIZENS};
use anyhow::Result;
use chrono::NaiveDate;
use danvan_domain::emulation::{Award, DisciplineLevel, Rating, RecipientKind};
use danvan_store::emulation::{Entry, ImportItem, NewRecipient};
use danvan_store::{AuditCtx, Store};

const YEARS: std::ops::RangeInclusive<i32> = 2016..=2025;
/// Recipients written per transaction.
const BATCH: usize = 500;

fn rating(rng: &mut Lcg) -> Rating {
    match rng.below(100) {
        0..=19 => Rating::Excellent,
        20..=69 => Rating::Good,
        70..=94 => Rating::Complete,
        _ => Rating::Incomplete,
    }
}

fn title(award: Award, year: i32, n: u64, issuer: &str) -> Entry {
    Entry::Title {
        award,
        year,
        decision_no: format!("{}/QĐ-UBND", 1 + n % 90),
        decided_on: NaiveDate::from_ymd_opt(year + 1, 1, 15).expect("a date"),
        issuer: issuer.to_string(),
    }
}

/// A person's ten years: ratings; Lao động tiên tiến for good years, Chiến sĩ thi đua cơ sở for
/// half the excellent ones; one in fifty has a reprimand some year (and nothing that year).
fn person_entries(rng: &mut Lcg, issuer: &str) -> Vec<Entry> {
    let punished = (rng.below(50) == 0).then(|| 2016 + rng.below(10) as i32);
    let mut entries = vec![];
    for year in YEARS {
        let r = rating(rng);
        entries.push(Entry::Rating { year, rating: r, in_emulation: true });
        if Some(year) == punished {
            entries.push(Entry::Discipline {
                level: DisciplineLevel::Reprimand,
                from: NaiveDate::from_ymd_opt(year, 3, 1).expect("a date"),
                to: NaiveDate::from_ymd_opt(year + 1, 2, 28),
                decision_no: format!("{}/QĐ-KL", 1 + rng.below(40)),
            });
            continue;
        }
        if matches!(r, Rating::Excellent | Rating::Good) {
            entries.push(title(Award::AdvancedWorker, year, rng.next(), issuer));
        }
        if r == Rating::Excellent && rng.below(2) == 0 {
            entries.push(title(Award::GrassrootsEmulationFighter, year, rng.next(), issuer));
        }
    }
    entries
}

fn collective_entries(rng: &mut Lcg, issuer: &str) -> Vec<Entry> {
    let mut entries = vec![];
    for year in YEARS {
        let r = rating(rng);
        entries.push(Entry::Rating { year, rating: r, in_emulation: true });
        match r {
            Rating::Excellent => entries.push(title(Award::ExcellentCollective, year, rng.next(), issuer)),
            Rating::Good => entries.push(title(Award::AdvancedCollective, year, rng.next(), issuer)),
            _ => {}
        }
    }
    entries
}

pub async fn generate_emulation(store: &Store, people: usize, collectives: usize, province_code: &str) -> Result<()> {
    let wards = super::generate::province_wards(store, province_code).await?;
    let ctx = AuditCtx::system("dev generate");
    let mut rng = Lcg(0x5eed_e7a1);
    let mut batch = Vec::with_capacity(BATCH);
    let total = people + collectives;
    for i in 0..total {
        let ward = &wards[i % wards.len()];
        let issuer = format!("UBND {}", ward.name);
        let (kind, name, woman, entries) = if i < people {
            // A staff number keeps names unique within a ward, as the records' import requires.
            let name = format!("{} (CB{:06})", CITIZENS[rng.below(CITIZENS.len() as u64) as usize], i);
            let woman = name.contains(" Thị ");
            (RecipientKind::Individual, name, woman, person_entries(&mut rng, &issuer))
        } else {
            let name = format!("Tổ dân phố số {} ({})", 1 + (i - people) / wards.len(), ward.name);
            (RecipientKind::Collective, name, false, collective_entries(&mut rng, &issuer))
        };
        batch.push(ImportItem { recipient: NewRecipient { kind, name, unit_id: ward.id, woman, account_id: None }, entries });
        if batch.len() == BATCH || i + 1 == total {
            store.import_emulation(&ctx, &batch).await?;
            batch.clear();
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!("generating records: {}/{total}", i + 1);
        }
    }
    Ok(())
}
