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

pub const UNITS_CSV: &str = include_str!("../assets/vn-admin-units-2025.csv");

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

    seed_people(store, &ctx, &wards).await?;
    seed_calendar(store, &ctx).await?;
    seed_templates(store, &ctx, &wards).await?;
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
    async fn apply(&self, store: &Store) -> Result<()> {
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

/// Standard answers of each ward's people's committee, so officers see the template picker at work.
async fn seed_templates(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    use danvan_domain::inbox::TemplateDraft;
    const TEMPLATES: &[(Option<&str>, &str, &str)] = &[
        (
            None,
            "Trả lời chung – đã giải quyết",
            "Ngày {hom_nay}, {don_vi} trả lời phản ánh, kiến nghị mã {ma_ho_so} tiếp nhận ngày {ngay_tiep_nhan} \
             về nội dung \"{tieu_de}\" như sau:\n\n[Kết quả kiểm tra, xử lý]\n\n\
             {don_vi} cảm ơn ông/bà đã phản ánh và mong tiếp tục nhận được ý kiến đóng góp.",
        ),
        (
            Some("thoat-nuoc"),
            "Thoát nước – đã nạo vét",
            "Tiếp nhận phản ánh mã {ma_ho_so} ngày {ngay_tiep_nhan}, {don_vi} đã chỉ đạo đơn vị duy trì hệ thống \
             thoát nước kiểm tra hiện trường, nạo vét và thông tắc tuyến cống tại vị trí phản ánh. \
             Đến ngày {hom_nay}, tuyến cống đã thông thoát.",
        ),
        (
            Some("ve-sinh"),
            "Vệ sinh môi trường – đã thu gom",
            "Về phản ánh mã {ma_ho_so} (lĩnh vực {linh_vuc}), {don_vi} đã yêu cầu đơn vị vệ sinh môi trường \
             thu gom rác tồn đọng và bố trí lịch thu gom cố định; tổ dân phố tuyên truyền người dân bỏ rác đúng giờ.",
        ),
    ];
    for (_, bodies, _) in wards {
        let committee = &bodies[2];
        for (category, title, body) in TEMPLATES {
            let category_id = match category {
                Some(code) => Some(store.category_by_code(code).await?.with_context(|| code.to_string())?.id),
                None => None,
            };
            let draft = TemplateDraft { title: title.to_string(), body: body.to_string() };
            store.create_template(ctx, committee.id, category_id, &draft).await?;
        }
    }
    Ok(())
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
    let hash = danvan_app::org::accounts::hash_password(PASSWORD.to_string()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
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

// ---------------------------------------------------------------------------------------------
// Cases: a few hundred believable ones, from January 2023 to today.

/// (category code, what people write, what the ward answers). `{place}` is a street or lane.
const CASE_TEXTS: &[(&str, &str, &str)] = &[
    ("thoat-nuoc", "Cống thoát nước trước {place} bị tắc, mỗi khi mưa nước tràn lên vỉa hè, bốc mùi khó chịu.", "Phường đã phối hợp với Công ty Thoát nước Hà Nội nạo vét đoạn cống trước {place}; đề nghị bà con không đổ rác xuống miệng cống."),
    ("chieu-sang", "Đèn chiếu sáng công cộng ở {place} hỏng đã hơn hai tuần, buổi tối rất tối, người đi bộ không an toàn.", "Đơn vị quản lý chiếu sáng đã thay bóng đèn và kiểm tra lại hệ thống điện tại {place}."),
    ("ve-sinh", "Rác thải sinh hoạt tập kết ở đầu {place} không được thu gom đúng giờ, gây mất vệ sinh.", "Phường đã làm việc với đơn vị thu gom, điều chỉnh giờ thu gom rác tại {place} vào 18h–20h hằng ngày."),
    ("giao-thong", "Mặt đường {place} có nhiều ổ gà, xe máy đi qua dễ bị ngã, đề nghị sửa chữa.", "Ban quản lý dự án đã vá các ổ gà tại {place}; việc cải tạo toàn tuyến đã được đưa vào kế hoạch năm sau."),
    ("trat-tu-do-thi", "Nhiều hộ kinh doanh lấn chiếm vỉa hè {place}, người đi bộ phải xuống lòng đường.", "Tổ công tác trật tự đô thị đã kiểm tra, nhắc nhở và lập biên bản các hộ vi phạm tại {place}; sẽ kiểm tra định kỳ."),
    ("o-nhiem", "Quán karaoke ở {place} hát đến khuya, ảnh hưởng giấc ngủ của người dân xung quanh.", "Công an phường đã kiểm tra, yêu cầu cơ sở tại {place} cam kết không hoạt động sau 22 giờ."),
    ("xay-dung", "Công trình ở {place} xây dựng vượt số tầng được cấp phép, vật liệu để tràn ra ngõ.", "Phường đã kiểm tra hiện trạng công trình tại {place}, lập biên bản và yêu cầu chủ đầu tư dừng thi công phần sai phép."),
    ("chinh-sach", "Đề nghị phường xem xét hỗ trợ cho hộ cận nghèo ở {place} có người bệnh nặng.", "Phường đã xác minh hoàn cảnh gia đình tại {place} và đề nghị hỗ trợ theo quy định; Hội Liên hiệp Phụ nữ phường đã đến thăm, tặng quà."),
    ("thu-tuc", "Thủ tục chứng thực tại bộ phận một cửa phải chờ lâu, đề nghị bố trí thêm người vào giờ cao điểm.", "Phường đã bố trí thêm một cán bộ tiếp nhận hồ sơ vào sáng thứ Hai và thứ Sáu, thời gian chờ đã giảm."),
    ("khu-dan-cu", "Đề nghị tổ dân phố tổ chức họp bàn việc lắp camera an ninh ở {place}.", "Ủy ban Mặt trận Tổ quốc phường đã phối hợp với tổ dân phố tổ chức họp; các hộ thống nhất đóng góp lắp camera tại {place}."),
    ("an-ninh", "Thường xuyên có người lạ tụ tập ở {place} vào buổi tối, người dân lo ngại mất trộm.", "Công an phường đã tăng cường tuần tra tại {place} và hướng dẫn tổ dân phố lập nhóm tự quản."),
];

const PLACES: &[&str] = &[
    "số 12 phố Hàng Bông",
    "ngõ 5 phố Hàng Bông",
    "phố Tràng Thi",
    "ngõ Thọ Xương",
    "phố Lý Quốc Sư",
    "phố Hàng Trống",
    "phố Nhà Chung",
    "ngõ Hội Vũ",
    "phố Quang Trung",
    "phố Hai Bà Trưng",
    "phố Đinh Tiên Hoàng",
    "phố Hàng Gai",
    "ngõ 15 Hàng Bạc",
    "phố Lê Thái Tổ",
];

const CITIZENS: &[&str] = &[
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Quang Minh",
    "Phạm Thị Thu",
    "Hoàng Đức Long",
    "Vũ Thị Hạnh",
    "Đặng Minh Châu",
    "Bùi Thị Ngọc",
];

/// A small deterministic generator, so every demo shows the same cases.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Kinds in the proportions wards see: mostly feedback and petitions.
    fn case_kind(&mut self) -> danvan_domain::case::CaseKind {
        use danvan_domain::case::CaseKind;
        match self.below(100) {
            0..=64 => CaseKind::Feedback,
            65..=89 => CaseKind::Petition,
            90..=96 => CaseKind::Complaint,
            _ => CaseKind::Denunciation,
        }
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

pub async fn seed_cases(store: &Store, n: usize, reform_plan: &Reform) -> Result<()> {
    use chrono::{Duration, TimeZone, Utc};
    use danvan_domain::calendar::vietnam_offset;
    use danvan_domain::case::{self, CaseDraft, CaseKind, CaseStatus, Channel, Clock, DeadlinePolicy};
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
                let no = store.approve_answer(&leader_ctx, c.id, unit.id, &unit.code, at).await?;
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

/// The benchmark generator: `n` cases over ten years across every ward and commune of a
/// province (Hà Nội by default), with realistic Vietnamese text, categories, channels and states.
/// Cases received before 1 July 2025 in phường Hoàn Kiếm and Cửa Nam belong to the units in
/// force then (the former district's bodies) when the database has them; their open ones are
/// handled by the successors, as the reform moved them.
pub async fn generate_cases(store: &Store, n: usize, province_code: &str) -> Result<()> {
    use chrono::{Duration, TimeZone, Utc};
    use danvan_domain::calendar::vietnam_offset;
    use danvan_domain::case::{self, CaseDraft, CaseStatus, Channel, Clock, DeadlinePolicy};
    use danvan_store::cases::{BulkCase, NewCase};

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
