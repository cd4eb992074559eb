//! The demo's units: Viet Nam's provinces and communes, the two Hà Nội wards filled in, the former
//! Quận Hoàn Kiếm dissolved by the 2025 reform; then everything else seeded on them.

use super::cases::seed_cases;
use super::people::{seed_people, seed_templates};
use super::{d, UNITS_CSV};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::org::unit::{DissolutionPlan, UnitDraft};
use danvan_domain::UnitKind;
use danvan_store::{AuditCtx, Store, Unit};

// Seeding reads best with every field of a unit spelled out at the call.
#[allow(clippy::too_many_arguments)]
async fn add(
    store: &Store,
    ctx: &AuditCtx,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent: Option<i64>,
    territory: Option<i64>,
    from: Option<NaiveDate>,
) -> Result<Unit> {
    let draft = UnitDraft {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent,
        territory_id: territory,
        effective_from: from,
        remote_area: false,
    };
    store.create_unit(ctx, &draft).await.with_context(|| format!("creating {name}"))
}

/// The bodies every ward has, by suffix of their code and Vietnamese name prefix.
const WARD_BODIES: &[(&str, &str, UnitKind)] = &[
    ("DU", "Đảng ủy", UnitKind::PartyCommittee),
    ("HDND", "Hội đồng nhân dân", UnitKind::PeoplesCouncil),
    ("UBND", "Ủy ban nhân dân", UnitKind::PeoplesCommittee),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam", UnitKind::FatherlandFront),
    ("PN", "Hội Liên hiệp Phụ nữ", UnitKind::MassOrganization),
    ("DTN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", UnitKind::MassOrganization),
    ("CCB", "Hội Cựu chiến binh", UnitKind::MassOrganization),
];

pub async fn seed(store: &Store) -> Result<()> {
    let ctx = AuditCtx::system("demo");
    let rows = danvan_app::org::units::parse_units_csv(UNITS_CSV.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut report = crate::progress(rows.len() as u64, "demo: importing Viet Nam's provinces and communes");
    store.import_units(&ctx, &rows, &mut report).await?;
    let reform = d(2025, 7, 1);
    let hanoi = store.get_unit_by_code("P01").await?.context("P01")?;

    // The two wards the demo fills in.
    let mut wards = vec![];
    for (code, short) in [("C00070", "Hoàn Kiếm"), ("C00073", "Cửa Nam")] {
        let ward = store.get_unit_by_code(code).await?.context(code.to_string())?;
        let mut bodies = vec![];
        for (suffix, prefix, kind) in WARD_BODIES {
            let b = add(
                store,
                &ctx,
                &format!("{code}-{suffix}"),
                &format!("{prefix} phường {short}"),
                *kind,
                Some(ward.id),
                Some(ward.id),
                reform,
            )
            .await?;
            bodies.push(b);
        }
        // An agency of the people's committee.
        let ubnd = bodies[2].id;
        add(
            store,
            &ctx,
            &format!("{code}-VHXH"),
            &format!("Phòng Văn hóa – Xã hội phường {short}"),
            UnitKind::Agency,
            Some(ubnd),
            Some(ward.id),
            reform,
        )
        .await?;
        let mut groups = vec![];
        for n in 1..=6 {
            groups.push(
                add(
                    store,
                    &ctx,
                    &format!("{code}-TDP{n:02}"),
                    &format!("Tổ dân phố số {n}, phường {short}"),
                    UnitKind::ResidentialGroup,
                    Some(ward.id),
                    None,
                    reform,
                )
                .await?,
            );
        }
        wards.push((ward, bodies, groups));
    }

    // The former district: live until 30 June 2025, then dissolved into the wards.
    let old_from = d(1961, 5, 31);
    let district = add(store, &ctx, "Q-HK", "Quận Hoàn Kiếm", UnitKind::District, Some(hanoi.id), None, old_from).await?;
    let old_bodies = [
        ("Q-HK-QU", "Quận ủy Hoàn Kiếm", UnitKind::PartyCommittee, 0usize),
        ("Q-HK-UBND", "Ủy ban nhân dân quận Hoàn Kiếm", UnitKind::PeoplesCommittee, 2),
        ("Q-HK-MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam quận Hoàn Kiếm", UnitKind::FatherlandFront, 3),
    ];
    let mut old_units = vec![];
    for (code, name, kind, body_index) in old_bodies {
        let b = add(store, &ctx, code, name, kind, Some(district.id), Some(district.id), old_from).await?;
        let successors: Vec<i64> = wards.iter().map(|(_, bodies, _)| bodies[body_index].id).collect();
        // Work that was the district's and is about phường Hoàn Kiếm's streets goes there.
        old_units.push((b.id, successors, DissolutionPlan { moves: vec![], unplaced: vec![] }, wards[0].1[body_index].id));
    }
    // A former ward of the district with its residential groups, which the new ward took over.
    let hang_trong = add(store, &ctx, "P-HT", "Phường Hàng Trống", UnitKind::Ward, Some(district.id), None, old_from).await?;
    let mut old_groups = vec![];
    for n in 1..=2 {
        old_groups.push(
            add(
                store,
                &ctx,
                &format!("P-HT-TDP{n:02}"),
                &format!("Tổ dân phố Hàng Trống {n}"),
                UnitKind::ResidentialGroup,
                Some(hang_trong.id),
                None,
                old_from,
            )
            .await?
            .id,
        );
    }
    let hk_ward = wards[0].0.id;
    let plan = DissolutionPlan { moves: old_groups.iter().map(|g| (*g, hk_ward)).collect(), unplaced: vec![] };
    old_units.push((hang_trong.id, vec![hk_ward], plan, hk_ward));
    let successors: Vec<i64> = wards.iter().map(|(w, _, _)| w.id).collect();
    old_units.push((district.id, successors, DissolutionPlan { moves: vec![], unplaced: vec![] }, hk_ward));

    // The city's people's committee, one level above the wards since the reform.
    add(
        store,
        &ctx,
        "P01-UBND",
        "Ủy ban nhân dân thành phố Hà Nội",
        UnitKind::PeoplesCommittee,
        Some(hanoi.id),
        Some(hanoi.id),
        None,
    )
    .await?;
    seed_people(store, &ctx, &wards).await?;
    seed_calendar(store, &ctx).await?;
    seed_templates(store, &ctx, &wards).await?;
    super::emulation::seed_emulation(store, &ctx, &wards).await?;
    super::emulation_models::seed_models(store, &ctx, &wards).await?;
    super::emulation_council::seed_council_round(store, &ctx, &wards).await?;
    super::emulation_movements::seed_movements(store, &ctx, &wards).await?;
    // The district and its bodies handle the cases received before the reform; dissolved on
    // 30 June 2025 (once those cases are in), their open work moves to the new wards' bodies.
    seed_cases(store, 320, &Reform { units: old_units, last_day: d(2025, 6, 30).context("date")? }).await
}

/// The 2025 reform as the demo plays it: units dissolved on `last_day`, each with its successors,
/// the plan for its children, and the successor that takes the open cases an administrator
/// would otherwise have to place (the demo's old cases are about phường Hoàn Kiếm's streets).
pub struct Reform {
    pub units: Vec<(i64, Vec<i64>, DissolutionPlan, i64)>,
    pub last_day: NaiveDate,
}

impl Reform {
    pub(super) async fn apply(&self, store: &Store) -> Result<()> {
        let ctx = AuditCtx::system("demo");
        for (unit, successors, plan, _) in &self.units {
            store.dissolve_unit(&ctx, *unit, successors, plan, self.last_day).await?;
        }
        for t in store.pending_transfers().await? {
            if let Some((_, _, _, to)) = self.units.iter().find(|u| u.0 == t.from_unit_id) {
                store.resolve_pending_transfer(&ctx, t.id, *to).await?;
            }
        }
        Ok(())
    }
}

/// The announced schedule for public bodies is data, not a rule: Tết Bính Ngọ 2026 ran nine days,
/// 14–22 February, for state agencies. The statutory days are already in the rules; the
/// weekends around them are declared here so the demo's calendar shows the whole break.
async fn seed_calendar(store: &Store, ctx: &AuditCtx) -> Result<()> {
    use danvan_domain::calendar::Override;
    let reason = "Nghỉ Tết Nguyên đán Bính Ngọ 2026 theo lịch công bố cho cơ quan nhà nước (14–22/02/2026)";
    for day in [14, 15, 21, 22] {
        let date = NaiveDate::from_ymd_opt(2026, 2, day).context("date")?;
        store.set_calendar_override(ctx, &Override::DayOff { date, reason: reason.into() }).await?;
    }
    Ok(())
}
