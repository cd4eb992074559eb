//! The wards' officials (one account per role) and their people's committees' standard answers.

use super::PASSWORD;
use anyhow::{Context, Result};
use danvan_domain::org::account::AccountDraft;
use danvan_domain::Role;
use danvan_store::{AuditCtx, Store, Unit};

/// Standard answers of each ward's people's committee, so officers see the template picker at work.
pub(super) async fn seed_templates(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    use danvan_domain::cases::inbox::TemplateDraft;
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

/// (username, full name, ward index, body index (7: the people's committee's agency, 8: the ward
/// itself) or None for a residential group, role, title)
type Person = (&'static str, &'static str, usize, Option<usize>, Role, &'static str);

const PEOPLE: &[Person] = &[
    ("bithu.cuanam", "Nguyễn Thị Thanh Hương", 1, Some(0), Role::Leader, "Bí thư Đảng ủy"),
    ("phobithu.cuanam", "Trần Văn Đức", 1, Some(0), Role::Leader, "Phó Bí thư Thường trực"),
    ("chutich.cuanam", "Lê Minh Tuấn", 1, Some(2), Role::Leader, "Chủ tịch UBND"),
    ("canbo.cuanam", "Phạm Thu Trang", 1, Some(2), Role::Officer, "Công chức Văn phòng"),
    ("tiepdan.cuanam", "Đỗ Quang Huy", 1, Some(2), Role::Officer, "Cán bộ tiếp công dân"),
    ("diachinh.cuanam", "Vũ Thị Mai", 1, Some(2), Role::Officer, "Công chức Địa chính – Xây dựng"),
    ("thidua.cuanam", "Lại Thị Phương", 1, Some(2), Role::Emulation, "Công chức Nội vụ (thi đua – khen thưởng)"),
    ("mttq.cuanam", "Hoàng Văn Bình", 1, Some(3), Role::Front, "Chủ tịch Ủy ban MTTQ"),
    ("phunu.cuanam", "Ngô Thị Lan", 1, Some(4), Role::Front, "Chủ tịch Hội Phụ nữ"),
    ("doan.cuanam", "Bùi Đức Anh", 1, Some(5), Role::Front, "Bí thư Đoàn phường"),
    ("ccb.cuanam", "Đặng Văn Sơn", 1, Some(6), Role::Front, "Chủ tịch Hội Cựu chiến binh"),
    // The people's council supervises the ward's people's committee: its members read the ward's work.
    ("hdnd.cuanam", "Trịnh Thị Ngọc", 1, Some(8), Role::Viewer, "Phó Chủ tịch HĐND"),
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
    ("xem.hoankiem", "Quách Thị Bích", 0, Some(8), Role::Viewer, "Chuyên viên HĐND"),
    ("vhxh.hoankiem", "Lã Văn Nam", 0, Some(7), Role::Officer, "Công chức Văn hóa – Xã hội"),
    ("tdp1.hoankiem", "Mạc Thị Tuyết", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 1"),
    ("tdp2.hoankiem", "Giang Văn Phúc", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 2"),
    ("tdp3.hoankiem", "Âu Thị Diệp", 0, None, Role::Officer, "Tổ trưởng tổ dân phố số 3"),
];

/// The party committees' secretaries and deputies oversee their ward (issue 9): besides leading
/// the party committee itself, they hold `Oversight` on the ward, so they read every case, figure
/// and overdue list of it and comment or direct, but sign only their own body's answers.
const OVERSIGHT: &[(&str, usize, &str)] = &[
    ("bithu.cuanam", 1, "Bí thư Đảng ủy phường"),
    ("phobithu.cuanam", 1, "Phó Bí thư Thường trực Đảng ủy phường"),
    ("bithu.hoankiem", 0, "Bí thư Đảng ủy phường"),
];

/// The city's people's committee: a denunciation of a ward's people's committee or its chair is
/// settled one level up (Luật Tố cáo 2018, Điều 12 khoản 1, Điều 13; since 1 July 2025 the
/// province is the level above the wards).
const CITY_PEOPLE: &[Person] = &[
    ("chutich.hanoi", "Nghiêm Xuân Trường", 0, None, Role::Leader, "Phó Chủ tịch UBND thành phố"),
    ("tiepdan.hanoi", "Khúc Thị Hoa", 0, None, Role::Officer, "Chuyên viên Ban Tiếp công dân thành phố"),
];

pub(super) async fn seed_people(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
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
            Some(8) => ward_unit.id,
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
        if let Some((_, _, oversight_title)) = OVERSIGHT.iter().find(|(u, w, _)| u == username && w == ward) {
            store.add_membership(ctx, acc.id, ward_unit.id, Role::Oversight, oversight_title).await?;
        }
    }
    let city_committee = store.get_unit_by_code("P01-UBND").await?.context("P01-UBND")?;
    for (i, (username, name, _, _, role, title)) in CITY_PEOPLE.iter().enumerate() {
        let draft = AccountDraft {
            username: (*username).into(),
            full_name: (*name).into(),
            email: Some(format!("{username}@danvan.example")),
            phone: Some(format!("09{:08}", 22_345_600 + i * 7)),
        };
        let acc = store.create_account(ctx, &draft, &hash).await?;
        store.add_membership(ctx, acc.id, city_committee.id, *role, title).await?;
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
