//! Emulation records of phường Cửa Nam's people's committee, 2021–2026: Đỗ Quang Huy, whose
//! eligibility for Chiến sĩ thi đua cấp tỉnh 2026 fails on one condition (Chiến sĩ thi đua cơ sở
//! 2025, and 2026 met by his excellent rating, but only rated good in 2024), and Vũ Thị Mai, who
//! is eligible. Both are linked to their
//! accounts, so each sees their own record; thidua.cuanam keeps them as the emulation officer.
//! The former district's committee, a collective, holds Tập thể lao động xuất sắc 2024: after
//! the reform it shows in the history of the wards' committees, its successors.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::emulation::{Award, Rating, Reach, RecipientKind};
use danvan_store::emulation::{Entry, ImportItem, NewRecipient};
use danvan_store::{AuditCtx, Store, Unit};

/// Before the 2025 reform the titles were given by the district, since then by the ward.
fn issuer(year: i32) -> &'static str {
    if year < 2025 {
        "UBND quận Hoàn Kiếm"
    } else {
        "UBND phường Cửa Nam"
    }
}

/// Titles are decided at the next January's review; 2026's are not yet (the engine judges
/// 2026's own titles from the record: an excellent 2026 meets Chiến sĩ thi đua cơ sở).
fn title(award: Award, year: i32, number: u32) -> Result<Entry> {
    let decided_on = NaiveDate::from_ymd_opt(year + 1, 1, 15).context("date")?;
    Ok(Entry::Title { award, year, decision_no: format!("{number}/QĐ-UBND"), decided_on, issuer: issuer(year).into() })
}

/// (username, ratings 2021–2026, years of Chiến sĩ thi đua cơ sở, initiative)
type Person = (&'static str, [Rating; 6], &'static [i32], (&'static str, i32, Reach));

const PEOPLE: &[Person] = {
    use Rating::*;
    &[
        (
            "tiepdan.cuanam",
            [Excellent, Excellent, Good, Good, Excellent, Excellent],
            &[2021, 2022, 2025],
            ("Tiếp công dân có hẹn giờ qua Zalo của phường", 2025, Reach::Province),
        ),
        (
            "diachinh.cuanam",
            [Excellent; 6],
            &[2021, 2022, 2023, 2024, 2025],
            ("Số hóa hồ sơ địa chính theo tổ dân phố", 2024, Reach::Province),
        ),
    ]
};

pub(super) async fn seed_emulation(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    let committee = &wards[1].1[2];
    let mut items = vec![];
    for (username, ratings, grassroots, (initiative, in_year, reach)) in PEOPLE {
        let acc = store.get_account_by_username(username).await?.context(*username)?;
        let woman = acc.full_name.contains(" Thị ");
        let recipient = NewRecipient {
            kind: RecipientKind::Individual,
            name: acc.full_name,
            unit_id: committee.id,
            woman,
            account_id: Some(acc.id),
        };
        let mut entries = vec![];
        for (i, rating) in ratings.iter().enumerate() {
            let year = 2021 + i as i32;
            entries.push(Entry::Rating { year, rating: *rating, in_emulation: true });
            if year == 2026 {
                continue;
            }
            entries.push(title(Award::AdvancedWorker, year, 100 + i as u32)?);
            if grassroots.contains(&year) {
                entries.push(title(Award::GrassrootsEmulationFighter, year, 200 + i as u32)?);
            }
        }
        entries.push(Entry::Initiative { name: (*initiative).into(), year: *in_year, reach: *reach, used_for: None });
        items.push(ImportItem { recipient, entries });
    }
    // The committee itself, as a collective with its yearly ratings.
    let collective = NewRecipient {
        kind: RecipientKind::Collective,
        name: committee.name.clone(),
        unit_id: committee.id,
        woman: false,
        account_id: None,
    };
    let entries = (2025..=2026).map(|year| Entry::Rating { year, rating: Rating::Excellent, in_emulation: true }).collect();
    items.push(ImportItem { recipient: collective, entries });
    // The former district's people's committee, dissolved on 30 June 2025 into the wards' (issue
    // 11 item 9): its Tập thể lao động xuất sắc 2024 stays under its name and shows in the wards'
    // history, and the Cửa Nam committee's 2025 is judged with the district's 2024.
    let district = store.get_unit_by_code("Q-HK-UBND").await?.context("Q-HK-UBND")?;
    let old = NewRecipient {
        kind: RecipientKind::Collective,
        name: "UBND quận Hoàn Kiếm".into(),
        unit_id: district.id,
        woman: false,
        account_id: None,
    };
    let mut entries: Vec<Entry> =
        (2023..=2024).map(|year| Entry::Rating { year, rating: Rating::Excellent, in_emulation: true }).collect();
    entries.push(Entry::Title {
        award: Award::ExcellentCollective,
        year: 2024,
        decision_no: "245/QĐ-UBND".into(),
        decided_on: NaiveDate::from_ymd_opt(2025, 1, 20).context("date")?,
        issuer: "UBND thành phố Hà Nội".into(),
    });
    items.push(ImportItem { recipient: old, entries });
    store.import_emulation(ctx, &items).await?;
    Ok(())
}
