//! The demo locality: Viet Nam's real provinces and communes since 1 July 2025, with phường Hoàn
//! Kiếm and phường Cửa Nam of Hà Nội filled in (party committees, people's committees, Fatherland
//! Front, mass organisations, residential groups, officials), and the former Quận Hoàn Kiếm as a
//! dissolved unit whose successors are those wards. People are invented.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::account::AccountDraft;
use danvan_domain::unit::{DissolutionPlan, UnitDraft};
use danvan_domain::{Role, UnitKind};
use danvan_store::{AuditCtx, Store, Unit};

pub const PASSWORD: &str = "danvan-demo";

pub const LOGINS: &[(&str, &str)] = &[
    ("admin", "system administrator"),
    ("bithu.cuanam", "leader: Đảng ủy phường Cửa Nam (sees and approves the ward's work)"),
    ("canbo.cuanam", "officer: UBND phường Cửa Nam"),
    ("mttq.cuanam", "front: Ủy ban MTTQ phường Cửa Nam"),
    ("xem.hoankiem", "viewer: phường Hoàn Kiếm"),
];

const UNITS_CSV: &str = include_str!("../assets/vn-admin-units-2025.csv");

/// Deletes any previous demo database and builds a fresh one.
pub async fn prepare(url: &str) -> Result<Store> {
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
    Ok(store)
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
    let rows = danvan_web::ops::parse_units_csv(UNITS_CSV.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
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
    let end = d(2025, 6, 30).context("date")?;
    for (code, name, kind, body_index) in old_bodies {
        let b = add(store, &ctx, code, name, kind, Some(district.id), Some(district.id), old_from).await?;
        let successors: Vec<i64> = wards.iter().map(|(_, bodies, _)| bodies[body_index].id).collect();
        store.dissolve_unit(&ctx, b.id, &successors, &DissolutionPlan { moves: vec![], unplaced: vec![] }, end).await?;
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
    store.dissolve_unit(&ctx, hang_trong.id, &[hk_ward], &plan, end).await?;
    let successors: Vec<i64> = wards.iter().map(|(w, _, _)| w.id).collect();
    store.dissolve_unit(&ctx, district.id, &successors, &DissolutionPlan { moves: vec![], unplaced: vec![] }, end).await?;

    seed_people(store, &ctx, &wards).await?;
    seed_calendar(store, &ctx).await
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

/// (username, full name, ward index, body index or None for a residential group, role, title)
type Person = (&'static str, &'static str, usize, Option<usize>, Role, &'static str);

const PEOPLE: &[Person] = &[
    ("bithu.cuanam", "Nguyễn Thị Thanh Hương", 1, Some(0), Role::Leader, "Bí thư Đảng ủy"),
    ("phobithu.cuanam", "Trần Văn Đức", 1, Some(0), Role::Leader, "Phó Bí thư Thường trực"),
    ("chutich.cuanam", "Lê Minh Tuấn", 1, Some(2), Role::Leader, "Chủ tịch UBND"),
    ("canbo.cuanam", "Phạm Thu Trang", 1, Some(2), Role::Officer, "Công chức Văn phòng"),
    ("tiepdan.cuanam", "Đỗ Quang Huy", 1, Some(2), Role::Officer, "Cán bộ tiếp công dân"),
    ("diachinh.cuanam", "Vũ Thị Mai", 1, Some(2), Role::Officer, "Công chức Địa chính – Xây dựng"),
    ("mttq.cuanam", "Hoàng Văn Bình", 1, Some(3), Role::Front, "Chủ tịch Ủy ban MTTQ"),
    ("phunu.cuanam", "Ngô Thị Lan", 1, Some(4), Role::Front, "Chủ tịch Hội Phụ nữ"),
    ("doan.cuanam", "Bùi Đức Anh", 1, Some(5), Role::Front, "Bí thư Đoàn phường"),
    ("ccb.cuanam", "Đặng Văn Sơn", 1, Some(6), Role::Front, "Chủ tịch Hội Cựu chiến binh"),
    ("hdnd.cuanam", "Trịnh Thị Ngọc", 1, Some(1), Role::Viewer, "Phó Chủ tịch HĐND"),
    ("vhxh.cuanam", "Phan Thị Hồng", 1, Some(7), Role::Officer, "Trưởng phòng Văn hóa – Xã hội"),
    ("tdp1.cuanam", "Cao Văn Thắng", 1, None, Role::Officer, "Tổ trưởng tổ dân phố số 1"),
    ("tdp2.cuanam", "Lý Thị Hạnh", 1, None, Role::Officer, "Tổ trưởng tổ dân phố số 2"),
    ("tdp3.cuanam", "Đinh Công Khanh", 1, None, Role::Officer, "Tổ trưởng tổ dân phố số 3"),
    ("bithu.hoankiem", "Trương Quốc Việt", 0, Some(0), Role::Leader, "Bí thư Đảng ủy"),
    ("chutich.hoankiem", "Mai Thị Thu Hà", 0, Some(2), Role::Leader, "Chủ tịch UBND"),
    ("phochutich.hoankiem", "Lương Văn Hải", 0, Some(2), Role::Leader, "Phó Chủ tịch UBND"),
    ("canbo.hoankiem", "Tạ Thị Yến", 0, Some(2), Role::Officer, "Công chức Văn phòng"),
    ("tiepdan.hoankiem", "Kiều Minh Quân", 0, Some(2), Role::Officer, "Cán bộ tiếp công dân"),
    ("tuphap.hoankiem", "Hồ Thị Thảo", 0, Some(2), Role::Officer, "Công chức Tư pháp – Hộ tịch"),
    ("mttq.hoankiem", "Phùng Văn Long", 0, Some(3), Role::Front, "Chủ tịch Ủy ban MTTQ"),
    ("phunu.hoankiem", "Dương Thị Nga", 0, Some(4), Role::Front, "Chủ tịch Hội Phụ nữ"),
    ("doan.hoankiem", "Chu Minh Khoa", 0, Some(5), Role::Front, "Bí thư Đoàn phường"),
    ("ccb.hoankiem", "Tô Văn Thành", 0, Some(6), Role::Front, "Chủ tịch Hội Cựu chiến binh"),
    ("xem.hoankiem", "Quách Thị Bích", 0, Some(1), Role::Viewer, "Chuyên viên HĐND"),
    ("vhxh.hoankiem", "Lã Văn Nam", 0, Some(7), Role::Officer, "Công chức Văn hóa – Xã hội"),
    ("tdp1.hoankiem", "Mạc Thị Tuyết", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 1"),
    ("tdp2.hoankiem", "Giang Văn Phúc", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 2"),
    ("tdp3.hoankiem", "Âu Thị Diệp", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 3"),
];

async fn seed_people(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    // One hash for the shared demo password keeps seeding fast (argon2 is slow on purpose).
    let hash = danvan_web::ops::hash_password(PASSWORD.to_string()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let hanoi = store.get_unit_by_code("P01").await?.context("P01")?;
    let admin = store
        .create_account(
            ctx,
            &AccountDraft {
                username: "admin".into(),
                full_name: "Quản trị hệ thống".into(),
                email: Some("admin@danvan.example".into()),
                phone: None,
            },
            &hash,
        )
        .await?;
    store.add_membership(ctx, admin.id, hanoi.id, Role::Admin, "Quản trị viên").await?;
    let mut group_counter = [0usize; 2];
    for (i, (username, name, ward, body, role, title)) in PEOPLE.iter().enumerate() {
        let (ward_unit, bodies, groups) = &wards[*ward];
        // Agencies are looked up by code because they sit below the people's committee.
        let unit_id = match body {
            Some(7) => store.get_unit_by_code(&format!("{}-VHXH", ward_unit.code)).await?.context("agency")?.id,
            Some(b) => bodies[*b].id,
            None => {
                let g = &groups[group_counter[*ward] % groups.len()];
                group_counter[*ward] += 1;
                g.id
            }
        };
        let draft = AccountDraft {
            username: (*username).into(),
            full_name: (*name).into(),
            email: Some(format!("{username}@danvan.example")),
            phone: Some(format!("09{:08}", 12_345_600 + i * 7)),
        };
        let acc = store.create_account(ctx, &draft, &hash).await?;
        store.add_membership(ctx, acc.id, unit_id, *role, title).await?;
    }
    // A registered citizen, to show that citizens hold accounts without memberships.
    store
        .create_account(
            ctx,
            &AccountDraft {
                username: "nguoidan.demo".into(),
                full_name: "Nguyễn Văn An".into(),
                email: Some("an.nguyen@example.vn".into()),
                phone: None,
            },
            &hash,
        )
        .await?;
    Ok(())
}
