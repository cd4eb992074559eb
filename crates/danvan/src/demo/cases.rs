//! Cases: a few hundred believable ones, from January 2023 to today.

use super::locality::Reform;
use super::texts::{Lcg, CASE_TEXTS, CITIZENS, PLACES};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_store::{AuditCtx, Store};

pub async fn seed_cases(store: &Store, n: usize, reform_plan: &Reform) -> Result<()> {
    use chrono::{Duration, TimeZone, Utc};
    use danvan_domain::calendar::vietnam_offset;
    use danvan_domain::cases::{self as case, CaseDraft, CaseKind, CaseStatus, Channel, Clock, DeadlinePolicy};
    use danvan_store::cases::{CaseChange, NewCase};

    let cal = store.work_calendar().await?;
    // Nothing is dated after the moment the demo is made.
    let now = Utc::now();
    let today = now.with_timezone(&vietnam_offset()).date_naive();
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).context("date")?;
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).context("date")?;
    let span = (today - start).num_days().max(1) as u64;
    let ward_codes = ["C00070", "C00073"];
    let mut rng = Lcg(20251127);
    let officer = |ward: &str| if ward == "C00073" { "canbo.cuanam" } else { "canbo.hoankiem" };
    let leader = |ward: &str| if ward == "C00073" { "chutich.cuanam" } else { "chutich.hoankiem" };
    let mut report = crate::progress(n as u64, "demo: cases");
    // More recent cases than old ones (square the uniform draw towards today); received in date
    // order, so tracking codes follow the calendar.
    let mut days: Vec<NaiveDate> = (0..n)
        .map(|_| {
            let r = rng.below(1000) as f64 / 1000.0;
            start + Duration::days(((1.0 - r * r) * span as f64) as i64)
        })
        .collect();
    days.sort();
    let mut reformed = false;
    'cases: for (i, day) in days.into_iter().enumerate() {
        report(i + 1);
        if day >= reform && !reformed {
            reform_plan.apply(store).await?;
            reformed = true;
        }
        let (cat_code, text, answer_text) = *rng.pick(CASE_TEXTS);
        let place_name = *rng.pick(PLACES);
        let ward_code = *rng.pick(&ward_codes);
        let category = store.category_by_code(cat_code).await?.context("category")?;
        let kind = rng.case_kind();
        let channel = *rng.pick(&[
            Channel::Web,
            Channel::Web,
            Channel::Web,
            Channel::Hotline,
            Channel::WalkIn,
            Channel::Letter,
            Channel::Meeting,
            Channel::Open311,
        ]);
        // Before the reform the district and its old ward handled the cases; they keep the
        // finished ones, and the reform moves the open ones to their successors.
        let (unit, place) = if day < reform {
            let old = if cat_code == "khu-dan-cu" { "P-HT" } else { "Q-HK-UBND" };
            (store.get_unit_by_code(old).await?.context("old unit")?, store.get_unit_by_code("P-HT").await?.context("old ward")?)
        } else {
            let ward = store.get_unit_by_code(ward_code).await?.context("ward")?;
            let suffix = if category.unit_kind == danvan_domain::UnitKind::FatherlandFront { "MTTQ" } else { "UBND" };
            (store.get_unit_by_code(&format!("{ward_code}-{suffix}")).await?.context("body")?, ward)
        };
        let identity = kind.requires_identity() || rng.below(3) == 0;
        let citizen = *rng.pick(CITIZENS);
        let draft = CaseDraft {
            kind,
            title: danvan_domain::text::excerpt(&text.replace("{place}", place_name), 70),
            description: text.replace("{place}", place_name),
            address: place_name.to_string(),
            point: None,
            sender_name: identity.then(|| citizen.to_string()),
            sender_phone: identity.then(|| format!("09{:08}", 10_000_000 + rng.below(89_999_999))),
            sender_email: None,
            sender_address: identity.then(|| format!("{place_name}, Hà Nội")),
            publish: kind.may_be_published() && rng.below(4) != 0,
        };
        let hour = 7 + rng.below(10) as u32;
        let received_at = vietnam_offset()
            .from_local_datetime(&day.and_hms_opt(hour, rng.below(60) as u32, 0).context("time")?)
            .single()
            .context("time")?
            .with_timezone(&Utc)
            .min(now);
        let policy = DeadlinePolicy::default_for(kind);
        let clock =
            Clock { received_on: day, accepted_on: None, complex: false, remote: false, extensions_used: 0, pauses: vec![] };
        let (accept_due, _) = case::due_dates(&policy, &clock, &cal);
        let ctx = AuditCtx {
            actor_id: None,
            actor_label: if channel == Channel::Web { "citizen".into() } else { "Cán bộ tiếp nhận".into() },
            ip: String::new(),
        };
        let new = NewCase {
            zalo: false,
            concern: None,
            draft,
            channel,
            category_id: Some(category.id),
            place_unit_id: Some(place.id),
            unit_id: unit.id,
            received_at,
            received_on: day,
            accept_due,
            source: None,
            idempotency_key: Some(format!("demo-{i}")),
            notes: vec![],
        };
        let (c, _) = store.create_case(&ctx, &new).await?;
        // How far the case got: old ones are finished; recent ones are anywhere on the way.
        let age = (today - day).num_days();
        let stage = if age > 40 {
            7 + rng.below(2)
        } else if age > 12 {
            2 + rng.below(7)
        } else {
            rng.below(6)
        };
        let stage = if kind == CaseKind::Denunciation { stage.min(4) } else { stage };
        let officer_acc =
            store.get_account_by_username(officer(if day < reform { "C00070" } else { ward_code })).await?.context("officer")?;
        let leader_acc =
            store.get_account_by_username(leader(if day < reform { "C00070" } else { ward_code })).await?.context("leader")?;
        let officer_ctx = AuditCtx {
            actor_id: Some(officer_acc.id),
            actor_label: format!("{} ({})", officer_acc.full_name, officer_acc.username),
            ip: String::new(),
        };
        let leader_ctx = AuditCtx {
            actor_id: Some(leader_acc.id),
            actor_label: format!("{} ({})", leader_acc.full_name, leader_acc.username),
            ip: String::new(),
        };
        let mut at = received_at;
        let mut status = CaseStatus::Received;
        let mut wd = day;
        // The next step, some working days on; none when it would fall after now (the case
        // then stays where it is, as a case still under way does).
        let mut step = |s: CaseStatus, days: u32| {
            let next_day = cal.add_working_days(wd, days).unwrap_or(wd);
            let next = vietnam_offset()
                .from_local_datetime(&next_day.and_hms_opt(9 + (days % 6), 15, 0).unwrap_or_default())
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(at)
                .max(at);
            if next > now {
                return None;
            }
            (wd, at) = (next_day, next);
            let from = std::mem::replace(&mut status, s);
            Some((from, at, wd))
        };
        'stages: {
            if stage >= 1 {
                if rng.below(25) == 0 {
                    let Some((from, at, _)) = step(CaseStatus::Rejected, 2) else { break 'stages };
                    let ch = CaseChange {
                        at: Some(at),
                        note: "duplicate".into(),
                        public: true,
                        ..CaseChange::new("reject", from, CaseStatus::Rejected)
                    };
                    store.apply_case_change(&officer_ctx, c.id, &ch).await?;
                    continue 'cases;
                }
                let Some((from, at, accepted)) = step(CaseStatus::Accepted, 1 + rng.below(3) as u32) else { break 'stages };
                let clock = Clock { accepted_on: Some(accepted), ..clock.clone() };
                let (_, resolve) = case::due_dates(&policy, &clock, &cal);
                let ch = CaseChange {
                    at: Some(at),
                    public: true,
                    accepted_on: Some(Some(accepted)),
                    resolve_due: Some(resolve),
                    ..CaseChange::new("accept", from, CaseStatus::Accepted)
                };
                store.apply_case_change(&officer_ctx, c.id, &ch).await?;
            }
            if stage >= 2 {
                let Some((from, at, _)) = step(CaseStatus::Assigned, 0) else { break 'stages };
                let ch = CaseChange {
                    at: Some(at),
                    note: officer_acc.full_name.clone(),
                    assignee_id: Some(Some(officer_acc.id)),
                    ..CaseChange::new("assign", from, CaseStatus::Assigned)
                };
                store.apply_case_change(&officer_ctx, c.id, &ch).await?;
            }
            if stage >= 3 {
                let Some((from, at, _)) = step(CaseStatus::InProgress, 1) else { break 'stages };
                store
                    .apply_case_change(
                        &officer_ctx,
                        c.id,
                        &CaseChange { at: Some(at), public: true, ..CaseChange::new("start", from, CaseStatus::InProgress) },
                    )
                    .await?;
            }
            if stage == 4 && rng.below(3) == 0 {
                let Some((from, at, paused)) = step(CaseStatus::Paused, 1) else { break 'stages };
                let ch = CaseChange {
                    at: Some(at),
                    note: "Đề nghị bổ sung ảnh hiện trạng".into(),
                    public: true,
                    paused_since: Some(Some(paused)),
                    ..CaseChange::new("pause", from, CaseStatus::Paused)
                };
                store.apply_case_change(&officer_ctx, c.id, &ch).await?;
                continue 'cases;
            }
            if stage >= 5 {
                let Some((from, at, _)) = step(CaseStatus::AnswerDrafted, 2 + rng.below(4) as u32) else { break 'stages };
                store.save_answer_draft(&officer_ctx, c.id, &answer_text.replace("{place}", place_name), at).await?;
                store
                    .apply_case_change(
                        &officer_ctx,
                        c.id,
                        &CaseChange { at: Some(at), ..CaseChange::new("draft_answer", from, CaseStatus::AnswerDrafted) },
                    )
                    .await?;
            }
            if stage >= 6 {
                let Some((from, at, _)) = step(CaseStatus::AnswerApproved, 1) else { break 'stages };
                let no = store.approve_answer(&leader_ctx, c.id, &unit, at).await?;
                store
                    .apply_case_change(
                        &leader_ctx,
                        c.id,
                        &CaseChange {
                            at: Some(at),
                            note: no,
                            ..CaseChange::new("approve_answer", from, CaseStatus::AnswerApproved)
                        },
                    )
                    .await?;
            }
            if stage >= 7 {
                // Most answers go out on time; a few late ones keep the figures honest.
                let late = rng.below(8) == 0;
                let Some((from, at, _)) = step(CaseStatus::Answered, if late { 9 } else { 0 }) else { break 'stages };
                store.mark_answer_sent(c.id, at).await?;
                store
                    .apply_case_change(
                        &officer_ctx,
                        c.id,
                        &CaseChange {
                            at: Some(at),
                            public: true,
                            answered: true,
                            ..CaseChange::new("send_answer", from, CaseStatus::Answered)
                        },
                    )
                    .await?;
                if rng.below(2) == 0 {
                    let rating = 3 + rng.below(3) as u8 - if late { 2 } else { 0 };
                    store
                        .rate_case(
                            c.id,
                            rating,
                            if rating >= 4 { "Cảm ơn phường đã xử lý." } else { "Xử lý còn chậm." },
                            (at + Duration::days(1)).min(now),
                        )
                        .await?;
                }
            }
            if stage >= 8 {
                let Some((from, at, _)) = step(CaseStatus::Closed, 10) else { break 'stages };
                store
                    .apply_case_change(
                        &officer_ctx,
                        c.id,
                        &CaseChange {
                            at: Some(at),
                            public: true,
                            closed: true,
                            ..CaseChange::new("close", from, CaseStatus::Closed)
                        },
                    )
                    .await?;
            }
        }
        // Some cases under way call on the ward's Fatherland Front as a supporting unit, to talk
        // with the residents concerned.
        if kind != CaseKind::Denunciation && c.id % 4 == 0 && store.get_case(c.id).await?.is_open() {
            let territory = unit.territory_id.unwrap_or(unit.id);
            if let Some(front) = store
                .units_on_territory(territory)
                .await?
                .into_iter()
                .find(|u| u.kind == danvan_domain::UnitKind::FatherlandFront && u.id != unit.id)
            {
                store
                    .add_case_support(
                        &officer_ctx,
                        c.id,
                        front.id,
                        "Đề nghị Ủy ban MTTQ phường phối hợp vận động, giải thích cho bà con.",
                    )
                    .await?;
            }
        }
    }
    if !reformed {
        reform_plan.apply(store).await?;
    }
    Ok(())
}
