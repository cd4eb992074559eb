//! The benchmark's generator (`danvan dev generate`): many cases across a province.

use super::texts::{Lcg, CASE_TEXTS, CITIZENS, PLACES};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_store::{Store, Unit};

/// The benchmark generator: `n` cases over ten years across every ward and commune of a
/// province (Hà Nội by default), with realistic Vietnamese text, categories, channels and states.
/// Cases received before 1 July 2025 in phường Hoàn Kiếm and Cửa Nam belong to the units in
/// force then (the former district's bodies) when the database has them; their open ones are
/// handled by the successors, as the reform moved them.
pub async fn generate_cases(store: &Store, n: usize, province_code: &str) -> Result<()> {
    use chrono::{Duration, TimeZone, Utc};
    use danvan_domain::calendar::vietnam_offset;
    use danvan_domain::cases::{self as case, CaseDraft, CaseStatus, Channel, Clock, DeadlinePolicy};
    use danvan_store::cases::{BulkCase, NewCase};

    let wards = province_wards(store, province_code).await?;
    // The body that handles a ward's cases: its people's committee when it has one.
    let mut handler = std::collections::HashMap::new();
    for w in &wards {
        let ubnd =
            store.units_on_territory(w.id).await?.into_iter().find(|b| b.kind == danvan_domain::UnitKind::PeoplesCommittee);
        handler.insert(w.id, ubnd.map(|b| b.id).unwrap_or(w.id));
    }
    let old_district = store.get_unit_by_code("Q-HK-UBND").await?;
    let hk: Vec<i64> = ["C00070", "C00073"].iter().filter_map(|c| wards.iter().find(|w| &w.code == c).map(|w| w.id)).collect();
    let categories = store.categories(false).await?;
    let cal = store.work_calendar().await?;
    let today = Utc::now().with_timezone(&vietnam_offset()).date_naive();
    let start = today - Duration::days(3652);
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).context("date")?;
    let mut rng = Lcg(0x5eed_2026 ^ n as u64);
    let mut days: Vec<NaiveDate> = (0..n)
        .map(|_| {
            let r = rng.below(1_000_000) as f64 / 1_000_000.0;
            start + Duration::days(((1.0 - r * r) * 3652.0) as i64)
        })
        .collect();
    days.sort();
    let mut report = crate::progress(n as u64, "generating cases");
    let mut batch = Vec::with_capacity(5000);
    for (i, day) in days.into_iter().enumerate() {
        let (cat_code, text, _) = *rng.pick(CASE_TEXTS);
        let category = categories.iter().find(|c| c.code == cat_code).unwrap_or(&categories[0]);
        let ward = rng.pick(&wards);
        let street = format!(
            "số {} {}",
            1 + rng.below(120),
            rng.pick(PLACES).split(' ').skip_while(|w| *w != "phố" && *w != "ngõ").collect::<Vec<_>>().join(" ")
        );
        let kind = rng.case_kind();
        let channel = *rng.pick(&[
            Channel::Web,
            Channel::Web,
            Channel::Hotline,
            Channel::WalkIn,
            Channel::Letter,
            Channel::Meeting,
            Channel::Open311,
        ]);
        let identity = kind.requires_identity() || rng.below(3) == 0;
        let description = format!(
            "{} {}",
            text.replace("{place}", &format!("{street}, {}", ward.name)),
            ["", "Đề nghị xử lý sớm.", "Tình trạng kéo dài nhiều ngày.", "Người dân rất bức xúc."][rng.below(4) as usize]
        );
        let draft = CaseDraft {
            kind,
            title: danvan_domain::text::excerpt(&description, 70),
            description: description.trim().to_string(),
            address: format!("{street}, {}", ward.name),
            point: None,
            sender_name: identity.then(|| rng.pick(CITIZENS).to_string()),
            sender_phone: identity.then(|| format!("09{:08}", 10_000_000 + rng.below(89_999_999))),
            sender_email: None,
            sender_address: identity.then(|| format!("{street}, {}", ward.name)),
            publish: kind.may_be_published() && rng.below(4) != 0,
        };
        let received_at = vietnam_offset()
            .from_local_datetime(&day.and_hms_opt(7 + rng.below(10) as u32, rng.below(60) as u32, 0).context("time")?)
            .single()
            .context("time")?
            .with_timezone(&Utc);
        let policy = DeadlinePolicy::default_for(kind);
        let age = (today - day).num_days();
        // Old cases are finished; recent ones anywhere on the way.
        let stage = if age > 60 { 7 + rng.below(2) } else { rng.below(9) };
        let accepted_on = (stage >= 1).then(|| cal.add_working_days(day, 1 + rng.below(3) as u32).unwrap_or(day));
        let clock = Clock { received_on: day, accepted_on, complex: false, remote: false, extensions_used: 0, pauses: vec![] };
        let (accept_due, resolve_due) = case::due_dates(&policy, &clock, &cal);
        let answered_at = (stage >= 7).then(|| received_at + Duration::days(3 + rng.below(12) as i64));
        let status = match stage {
            0 => CaseStatus::Received,
            1 => CaseStatus::Accepted,
            2 => CaseStatus::Assigned,
            3 | 4 => CaseStatus::InProgress,
            5 => CaseStatus::AnswerDrafted,
            6 => CaseStatus::AnswerApproved,
            7 => CaseStatus::Answered,
            _ => CaseStatus::Closed,
        };
        let mut unit_id = handler[&ward.id];
        if day < reform && hk.contains(&ward.id) && !status.is_open() {
            if let Some(old) = &old_district {
                unit_id = old.id;
            }
        }
        batch.push(BulkCase {
            new: NewCase {
                zalo: false,
                concern: None,
                draft,
                channel,
                category_id: Some(category.id),
                place_unit_id: Some(ward.id),
                unit_id,
                received_at,
                received_on: day,
                accept_due,
                source: None,
                idempotency_key: None,
                notes: vec![],
            },
            status,
            accepted_on,
            resolve_due,
            answered_at,
            closed_at: (stage >= 8).then(|| received_at + Duration::days(30)),
            rating: (stage >= 7 && rng.below(2) == 0).then(|| 2 + rng.below(4) as i64),
        });
        if batch.len() == 5000 {
            store.insert_cases_bulk(&batch).await?;
            batch.clear();
        }
        report(i + 1);
    }
    if !batch.is_empty() {
        store.insert_cases_bulk(&batch).await?;
    }
    Ok(())
}

/// The wards, communes and special zones of a province: where the generators put their data.
pub(super) async fn province_wards(store: &Store, province_code: &str) -> Result<Vec<Unit>> {
    let province = store
        .get_unit_by_code(province_code)
        .await?
        .with_context(|| format!("no unit {province_code}: import the units first"))?;
    let wards: Vec<Unit> = store
        .child_units(province.id, false)
        .await?
        .into_iter()
        .filter(|u| matches!(u.kind.as_str(), "ward" | "commune" | "special_zone"))
        .collect();
    anyhow::ensure!(!wards.is_empty(), "{province_code} has no wards or communes");
    Ok(wards)
}
