//! "Dân vận khéo" movements for 2024, 2025 and 2026 (issue 11 items 1–2). 2024's was launched by
//! the former Quận Hoàn Kiếm for its people's committee (the district handled that year's cases
//! until the 2025 reform); 2025's and 2026's by phường Cửa Nam (the ward's party committee has no
//! units under it, so the ward launches them in its name) for its people's committee, Fatherland
//! Front and mass organisations, which register. Criteria are bound to the case indicators, plus
//! one reviewed criterion; some units assess themselves, the ward's emulation officer scores the
//! reviewed criterion (thidua.cuanam, given a membership on the ward for it), and the Front's
//! cluster signs its pacts. Scores are computed from the
//! demo's cases when the page is opened, so they always match them.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_domain::indicators::Indicator;
use danvan_store::emulation::{Assessment, NewCriterion, NewMovement};
use danvan_store::{AuditCtx, Store, Unit};

fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day).context("date")
}

/// The criteria of every year's movement: (name, indicator, target, weight); none = reviewed.
const CRITERIA: &[(&str, Option<Indicator>, f64, i64)] = &[
    ("Trả lời phản ánh, kiến nghị đúng hạn", Some(Indicator::AnsweredOnTimeShare), 90.0, 30),
    ("Thời gian trả lời (trung vị, ngày làm việc)", Some(Indicator::MedianAnswerDays), 10.0, 15),
    ("Mức độ hài lòng của người dân", Some(Indicator::Satisfaction), 4.0, 20),
    ("Vụ việc phải mở lại do người dân không đồng ý", Some(Indicator::ReopenedShare), 5.0, 10),
    ("Số vụ việc tiếp nhận, giải quyết", Some(Indicator::CasesAnswered), 20.0, 5),
    ("Mô hình \"Dân vận khéo\" được xây dựng, nhân rộng", None, 0.0, 20),
];

async fn movement(
    store: &Store,
    ctx: &AuditCtx,
    year: i32,
    unit: &Unit,
    targets: &[&Unit],
    cluster: Option<i64>,
) -> Result<(i64, Vec<i64>)> {
    let m = NewMovement {
        unit_id: unit.id,
        name: format!("Phong trào thi đua \"Dân vận khéo\" năm {year}"),
        purpose: format!(
            "Đảng ủy phát động: nâng cao chất lượng công tác dân vận của chính quyền, Mặt trận và các đoàn thể; tiếp nhận, trả lời kịp thời phản ánh, kiến nghị của Nhân dân trong năm {year} (Quy chế dân vận của hệ thống chính trị, Quyết định 23-QĐ/TW)."
        ),
        period_kind: PeriodKind::Annual,
        starts_on: d(year, 1, 1)?,
        ends_on: d(year, 12, 31)?,
        cluster_id: cluster,
        target_unit_ids: targets.iter().map(|u| u.id).collect(),
    };
    let id = store.create_emulation_movement(ctx, &m).await?;
    let mut criteria = vec![];
    for (name, indicator, target, weight) in CRITERIA {
        let c = NewCriterion {
            name: (*name).into(),
            kind: if indicator.is_some() { CriterionKind::Measured } else { CriterionKind::Reviewed },
            indicator: *indicator,
            target: indicator.map(|_| *target),
            weight: *weight,
        };
        criteria.push(store.add_emulation_criterion(ctx, id, &c).await?);
    }
    Ok((id, criteria))
}

/// Registers `unit` with its targets, its self-assessment of the on-time criterion and, when
/// given, the reviewers' points for the model criterion.
async fn register(
    store: &Store,
    ctx: &AuditCtx,
    (movement, criteria): &(i64, Vec<i64>),
    unit: &Unit,
    self_points: i64,
    review: Option<(i64, &str)>,
    reviewer: &AuditCtx,
) -> Result<i64> {
    let targets = vec![
        (criteria[0], "Trả lời đúng hạn 100% phản ánh, kiến nghị".to_string()),
        (criteria[5], "Xây dựng 01 mô hình".to_string()),
    ];
    let rid = store.register_for_emulation(ctx, *movement, unit.id, "", &targets).await?;
    let note = "Đơn vị tự đánh giá theo sổ theo dõi của mình".to_string();
    store.assess_emulation(ctx, rid, criteria[0], &Assessment::SelfAssessed { points: self_points, note }).await?;
    if let Some((points, note)) = review {
        let a = Assessment::Reviewed { points, note: note.into(), by: reviewer.actor_id };
        store.assess_emulation(reviewer, rid, criteria[5], &a).await?;
    }
    Ok(rid)
}

pub(super) async fn seed_movements(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    let officer = store.get_account_by_username("thidua.cuanam").await?.context("thidua.cuanam")?;
    let reviewer = AuditCtx {
        actor_id: Some(officer.id),
        actor_label: format!("{} ({})", officer.full_name, officer.username),
        ip: String::new(),
    };
    // 2024: the former district and its people's committee.
    let district = store.get_unit_by_code("Q-HK").await?.context("Q-HK")?;
    let old_committee = store.get_unit_by_code("Q-HK-UBND").await?.context("Q-HK-UBND")?;
    let m2024 = movement(store, ctx, 2024, &district, &[&old_committee], None).await?;
    register(store, ctx, &m2024, &old_committee, 95, Some((85, "Mô hình tiếp dân lưu động tại tổ dân phố")), ctx).await?;

    // 2025 and 2026: phường Cửa Nam and its bodies; the Front and the mass organisations compete
    // as one cluster.
    let (ward, bodies, _) = &wards[1];
    let [_, _, committee, front, women, youth, veterans] = &bodies[..] else { anyhow::bail!("ward bodies") };
    let members: Vec<i64> = [front, women, youth, veterans].iter().map(|u| u.id).collect();
    let cluster = store.create_emulation_cluster(ctx, ward.id, "Khối Mặt trận và các đoàn thể phường Cửa Nam", &members).await?;
    // The ward's emulation officer keeps the ward's movements (she works in its people's
    // committee; the movements are the whole ward's business).
    store.add_membership(ctx, officer.id, ward.id, danvan_domain::Role::Emulation, "Thi đua – khen thưởng của phường").await?;
    let targets = [committee, front, women, youth, veterans];
    for year in [2025, 2026] {
        let m = movement(store, ctx, year, ward, &targets, Some(cluster)).await?;
        register(store, ctx, &m, committee, 100, Some((90, "Mô hình \"Tiếp công dân có hẹn giờ qua Zalo\"")), &reviewer).await?;
        register(store, ctx, &m, front, 90, Some((80, "Mô hình \"Tổ hòa giải ở cơ sở gắn với tổ dân phố\"")), &reviewer).await?;
        register(store, ctx, &m, women, 85, None, &reviewer).await?;
        for (u, text) in [
            (front, "Vận động Nhân dân tham gia giám sát, phản biện; phối hợp giải thích cho bà con trong các vụ việc được chính quyền đề nghị."),
            (women, "Mỗi chi hội phụ nữ nhận đỡ đầu một tuyến ngõ xanh – sạch – đẹp."),
            (youth, "Đoàn viên hỗ trợ người cao tuổi gửi phản ánh trực tuyến."),
            (veterans, "Cựu chiến binh tham gia tổ hòa giải ở cơ sở."),
        ] {
            store.sign_emulation_pact(ctx, m.0, u.id, text, d(year, 1, 20)?).await?;
        }
        if year == 2026 {
            let rid = store.register_for_emulation(ctx, m.0, front.id, "Nguyễn Thị Lan", &[]).await?;
            store
                .report_emulation_achievement(
                    ctx,
                    rid,
                    Some(m.1[5]),
                    d(2026, 6, 30)?,
                    "Tổ chức 4 buổi đối thoại với Nhân dân tại các tổ dân phố; 120 lượt người tham dự.",
                    "",
                )
                .await?;
        }
    }
    Ok(())
}
