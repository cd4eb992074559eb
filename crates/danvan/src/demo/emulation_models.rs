//! "Dân vận khéo" models and exemplars of the two demo wards, 2024–2026, in all four fields,
//! registered with each ward's people's committee: most appraised by the field teams and
//! recognised (the festival's page shows them), one appraised and not recognised, one being
//! appraised, one only registered; the litter-free street of Cửa Nam was replicated in Hoàn
//! Kiếm; Đỗ Quang Huy is an exemplar linked to his emulation record. No photos: the demo writes
//! no files into the uploads directory.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use danvan_domain::emulation::models::{Criterion, ModelField, ModelKind, Recognition};
use danvan_store::emulation::NewModel;
use danvan_store::{AuditCtx, Store, Unit};

use ModelField::*;

/// Body indices in `locality::WARD_BODIES`: the people's committee receives the registrations.
const UBND: usize = 2;

/// The appraisal teams of each ward's committee: (ward index, field, usernames).
const TEAMS: &[(usize, ModelField, &[&str])] = &[
    (1, Economy, &["mttq.cuanam", "canbo.cuanam"]),
    (1, CultureSociety, &["phunu.cuanam", "vhxh.cuanam"]),
    (1, DefenceSecurity, &["ccb.cuanam", "doan.cuanam"]),
    (1, PoliticalSystem, &["hdnd.cuanam", "mttq.cuanam"]),
    (0, Economy, &["mttq.hoankiem", "canbo.hoankiem"]),
    (0, CultureSociety, &["phunu.hoankiem", "vhxh.hoankiem"]),
    (0, DefenceSecurity, &["ccb.hoankiem", "doan.hoankiem"]),
    (0, PoliticalSystem, &["xem.hoankiem", "mttq.hoankiem"]),
];

/// What became of a demo model: only registered, scored (points of each appraiser, per
/// criterion), and the decision if any.
struct Demo {
    ward: usize,
    /// `Some(i)`: body i of the ward; `None`: residential group 1.
    owner: Option<usize>,
    kind: ModelKind,
    name: &'static str,
    owner_name: &'static str,
    place: &'static str,
    field: ModelField,
    year: i32,
    people: i64,
    description: &'static str,
    results: &'static str,
    scores: &'static [[i32; 5]],
    decision: Option<(Recognition, &'static str)>,
}

const R: Option<(Recognition, &str)> = None;

const MODELS: &[Demo] = &[
    Demo { ward: 1, owner: None, kind: ModelKind::Model, name: "Tuyến phố văn minh, không rác thải", owner_name: "",
        place: "Phố Hàng Bông, tổ dân phố số 1", field: CultureSociety, year: 2024, people: 420,
        description: "Tổ dân phố vận động từng hộ phân loại rác tại nguồn, tự quản vệ sinh vỉa hè theo lịch tuần, trồng cây xanh trước cửa nhà.",
        results: "Không còn điểm tập kết rác tự phát; 100% hộ ký cam kết; 60 chậu cây xanh được trồng.",
        scores: &[[18, 17, 19, 17, 16], [17, 18, 18, 16, 17]], decision: Some((Recognition::Recognised, "12/QĐ-BCĐ")) },
    Demo { ward: 1, owner: Some(4), kind: ModelKind::Model, name: "Chợ dân sinh an toàn thực phẩm", owner_name: "Chi hội Phụ nữ chợ Cửa Nam",
        place: "Chợ Cửa Nam", field: Economy, year: 2024, people: 150,
        description: "Hội viên tiểu thương ký cam kết nguồn gốc hàng hóa, niêm yết giá, dùng túi thân thiện môi trường.",
        results: "85 quầy hàng đạt chuẩn; không có vụ ngộ độc thực phẩm; doanh thu tiểu thương tăng.",
        scores: &[[16, 17, 18, 16, 15], [17, 16, 17, 17, 16]], decision: Some((Recognition::Recognised, "13/QĐ-BCĐ")) },
    Demo { ward: 1, owner: Some(6), kind: ModelKind::Model, name: "Camera an ninh – mắt thần khu phố", owner_name: "",
        place: "Các ngõ phố phường Cửa Nam", field: DefenceSecurity, year: 2025, people: 310,
        description: "Hội Cựu chiến binh vận động các hộ cùng góp lắp camera tại đầu ngõ, kết nối với công an phường.",
        results: "48 camera được lắp bằng nguồn xã hội hóa; trộm cắp vặt giảm rõ rệt.",
        scores: &[[19, 18, 18, 19, 17], [18, 18, 19, 18, 18]], decision: Some((Recognition::Recognised, "21/QĐ-BCĐ")) },
    Demo { ward: 1, owner: Some(UBND), kind: ModelKind::Model, name: "Tiếp công dân có hẹn giờ qua Zalo", owner_name: "",
        place: "Bộ phận tiếp công dân, UBND phường Cửa Nam", field: PoliticalSystem, year: 2025, people: 900,
        description: "Người dân đặt lịch tiếp qua Zalo của phường, được hẹn giờ cụ thể và nhận kết quả trả lời đúng hạn.",
        results: "Thời gian chờ giảm từ hơn 1 giờ xuống dưới 15 phút; 96% người được hỏi hài lòng.",
        scores: &[[17, 19, 18, 18, 17], [18, 18, 17, 19, 17]], decision: Some((Recognition::Recognised, "22/QĐ-BCĐ")) },
    Demo { ward: 1, owner: Some(UBND), kind: ModelKind::Exemplar, name: "Đỗ Quang Huy – cán bộ tiếp công dân tận tụy",
        owner_name: "Đỗ Quang Huy", place: "UBND phường Cửa Nam", field: PoliticalSystem, year: 2025, people: 0,
        description: "Cán bộ tiếp công dân lắng nghe, giải thích cặn kẽ, theo dõi đến cùng từng phản ánh của người dân.",
        results: "Không có đơn thư quá hạn trong năm; được người dân gửi thư cảm ơn.",
        scores: &[[16, 18, 19, 17, 16], [17, 17, 18, 17, 17]], decision: Some((Recognition::Recognised, "23/QĐ-BCĐ")) },
    Demo { ward: 1, owner: Some(5), kind: ModelKind::Model, name: "Thanh niên tình nguyện hỗ trợ chuyển đổi số", owner_name: "",
        place: "Các tổ dân phố phường Cửa Nam", field: Economy, year: 2026, people: 260,
        description: "Đoàn viên hướng dẫn người cao tuổi, hộ kinh doanh dùng dịch vụ công trực tuyến và thanh toán không dùng tiền mặt.",
        results: "1.200 lượt người được hướng dẫn; 140 hộ kinh doanh dùng mã QR.",
        scores: &[[15, 16, 17, 15, 14]], decision: R },
    Demo { ward: 1, owner: Some(3), kind: ModelKind::Model, name: "Góc sách cộng đồng", owner_name: "",
        place: "Nhà văn hóa tổ dân phố số 3", field: CultureSociety, year: 2026, people: 80,
        description: "Ủy ban MTTQ vận động các gia đình góp sách, thanh niên trông coi góc đọc vào cuối tuần.",
        results: "Hơn 700 cuốn sách được góp.", scores: &[], decision: R },
    Demo { ward: 0, owner: Some(UBND), kind: ModelKind::Model, name: "Phố đi bộ – sinh kế cho hộ kinh doanh nhỏ", owner_name: "",
        place: "Không gian đi bộ hồ Hoàn Kiếm", field: Economy, year: 2024, people: 530,
        description: "Phường đối thoại với hộ kinh doanh, sắp xếp lại điểm bán, hướng dẫn giữ vệ sinh và văn minh thương mại.",
        results: "Thu nhập hộ kinh doanh tăng; không còn lấn chiếm lòng đường vào dịp cuối tuần.",
        scores: &[[18, 19, 17, 18, 17], [19, 18, 18, 18, 18]], decision: Some((Recognition::Recognised, "08/QĐ-BCĐ")) },
    Demo { ward: 0, owner: Some(6), kind: ModelKind::Model, name: "Tổ tự quản an toàn phòng cháy", owner_name: "",
        place: "Khu phố cổ, phường Hoàn Kiếm", field: DefenceSecurity, year: 2025, people: 380,
        description: "Cựu chiến binh cùng các hộ kiểm tra điện, trang bị bình chữa cháy, luyện tập thoát nạn trong nhà ống.",
        results: "95% hộ có bình chữa cháy; hai lần diễn tập mỗi năm.",
        scores: &[[17, 17, 18, 18, 17], [18, 16, 17, 18, 16]], decision: Some((Recognition::Recognised, "17/QĐ-BCĐ")) },
    Demo { ward: 0, owner: Some(UBND), kind: ModelKind::Model, name: "Đối thoại trước khi chỉnh trang vỉa hè", owner_name: "",
        place: "Phố Đinh Tiên Hoàng", field: PoliticalSystem, year: 2026, people: 120,
        description: "Tổ chức đối thoại với các hộ trước khi thi công chỉnh trang vỉa hè.",
        results: "Mới triển khai một tuyến phố; chưa đánh giá được tính bền vững.",
        scores: &[[12, 10, 13, 12, 9], [11, 11, 12, 12, 10]], decision: Some((Recognition::NotRecognised, "24/QĐ-BCĐ")) },
];

pub(super) async fn seed_models(store: &Store, ctx: &AuditCtx, wards: &[(Unit, Vec<Unit>, Vec<Unit>)]) -> Result<()> {
    for (ward, field, members) in TEAMS {
        let unit = &wards[*ward].1[UBND];
        for username in *members {
            let acc = store.get_account_by_username(username).await?.context(*username)?;
            store.set_emulation_appraiser(ctx, unit.id, *field, acc.id, true).await?;
        }
    }
    let huy = store.get_account_by_username("tiepdan.cuanam").await?.context("tiepdan.cuanam")?;
    let mut first = None;
    for m in MODELS {
        let (ward, bodies, groups) = &wards[m.ward];
        let owner = match m.owner {
            Some(i) => &bodies[i],
            None => &groups[0],
        };
        let recipient_id = if m.kind == ModelKind::Exemplar {
            store
                .emulation_recipient_named(bodies[UBND].id, danvan_domain::emulation::RecipientKind::Individual, &huy.full_name)
                .await?
                .map(|r| r.id)
        } else {
            None
        };
        let new = NewModel {
            kind: m.kind,
            name: m.name.into(),
            place: m.place.into(),
            field: m.field,
            owner_unit_id: owner.id,
            owner_name: m.owner_name.into(),
            recipient_id,
            registered_unit_id: bodies[UBND].id,
            year: m.year,
            description: m.description.into(),
            people_mobilised: m.people,
            results: m.results.into(),
        };
        let id = store.create_emulation_model(ctx, &new).await?;
        first.get_or_insert((id, ward.id));
        let team = TEAMS.iter().find(|(w, f, _)| *w == m.ward && *f == m.field).context("team")?;
        for (sheet, username) in m.scores.iter().zip(team.2.iter()) {
            let acc = store.get_account_by_username(username).await?.context(*username)?;
            let scores: Vec<(Criterion, i32)> = Criterion::ALL.iter().copied().zip(sheet.iter().copied()).collect();
            store.score_emulation_model(ctx, id, m.name, acc.id, &scores).await?;
        }
        if let Some((decision, reference)) = m.decision {
            let on = NaiveDate::from_ymd_opt(m.year, 11, 20).context("date")?;
            store.decide_emulation_model(ctx, id, m.name, decision, on, reference).await?;
        }
    }
    // The litter-free street of Cửa Nam, adopted by a residential group of phường Hoàn Kiếm.
    if let Some((id, _)) = first {
        let group = &wards[0].2[1];
        let note = "Áp dụng cách phân loại rác tại nguồn và lịch tự quản vỉa hè";
        store.add_emulation_model_replication(ctx, id, MODELS[0].name, group.id, 2025, note).await?;
    }
    Ok(())
}
