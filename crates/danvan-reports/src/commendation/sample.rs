//! A sample decision and its certificates (a ward commending the people and groups of its
//! mass-mobilisation work): for the demo, the examples, the benchmark and the tests. Names use
//! every kind of Vietnamese diacritic (ă â ê ô ơ ư đ and the five tones).

use super::{Annex, AnnexEntry, Article, CertificateDoc, CertificateKind, DecisionDoc, Signature};
use chrono::NaiveDate;

const PEOPLE: [(&str, &str); 8] = [
    ("Bà Nguyễn Thị Ngọc Ánh", "Bí thư Chi bộ, Tổ trưởng tổ dân phố số 3"),
    ("Ông Trần Văn Đức", "Trưởng ban công tác Mặt trận khu dân cư số 5"),
    ("Bà Lê Thị Hương Giang", "Chi hội trưởng Chi hội Phụ nữ khu dân cư số 1"),
    ("Ông Phạm Quốc Việt", "Công chức Văn phòng - Thống kê, Ủy ban nhân dân phường"),
    ("Bà Hoàng Thị Thủy Tiên", "Phó Chủ tịch Hội Cựu chiến binh phường"),
    ("Ông Đặng Hữu Phước", "Tổ trưởng tổ hòa giải ở cơ sở khu dân cư số 7"),
    ("Bà Võ Thị Ý Nhi", "Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh phường"),
    ("Ông Bùi Ngọc Ưng", "Trưởng thôn Đông Ngạc, người có uy tín trong cộng đồng dân cư"),
];

const ACHIEVEMENT: &str = "Đã có thành tích xuất sắc trong thực hiện phong trào thi đua \
    \"Dân vận khéo\" và công tác dân vận năm 2025, góp phần xây dựng phường văn minh, \
    giàu đẹp, nghĩa tình";

fn signature() -> Signature {
    Signature {
        on_behalf: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: "Nguyễn Thị Thanh Hương".into()
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The sample decision: eight individuals, two collectives and a household.
pub fn sample_decision() -> DecisionDoc {
    let giay_khen = 702_000; // 0.3 × 2,340,000 đồng (base salary from 1 July 2024)
    let individuals = PEOPLE
        .iter()
        .map(|(n, p)| AnnexEntry {
            name: n.to_string(),
            position_unit: p.to_string(),
            award: "Giấy khen".into(),
            amount_dong: giay_khen,
        })
        .collect();
    DecisionDoc {
        parent_body: "UBND THÀNH PHỐ HÀ NỘI".into(),
        issuing_body: "ỦY BAN NHÂN DÂN\nPHƯỜNG CỬA NAM".into(),
        number: "15/QĐ-UBND".into(),
        place: "Hà Nội".into(),
        date: date(2026, 1, 5),
        subject: "Về việc tặng Giấy khen cho các cá nhân, tập thể và hộ gia đình đã có thành \
                  tích xuất sắc trong phong trào thi đua \"Dân vận khéo\" năm 2025"
            .into(),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".into(),
        legal_bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;".into(),
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy \
             định chi tiết một số điều của Luật Thi đua, khen thưởng;"
                .into(),
            "Theo đề nghị của Hội đồng Thi đua - Khen thưởng phường tại Tờ trình số \
             03/TTr-HĐTĐKT ngày 30 tháng 12 năm 2025."
                .into(),
        ],
        articles: vec![
            Article {
                heading: None,
                paragraphs: vec!["Tặng Giấy khen cho 08 cá nhân, 02 tập thể và 01 hộ gia đình (có danh \
                     sách kèm theo) đã có thành tích xuất sắc trong phong trào thi đua \"Dân \
                     vận khéo\" năm 2025."
                    .into()],
            },
            Article {
                heading: None,
                paragraphs: vec!["Mỗi cá nhân, hộ gia đình được tặng Giấy khen kèm theo tiền thưởng bằng \
                     0,3 lần mức lương cơ sở; mỗi tập thể được tặng Giấy khen kèm theo tiền \
                     thưởng bằng 0,6 lần mức lương cơ sở, từ nguồn quỹ thi đua, khen thưởng \
                     của phường năm 2026."
                    .into()],
            },
            Article {
                heading: None,
                paragraphs: vec!["Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Hội đồng nhân \
                     dân và Ủy ban nhân dân phường, Trưởng phòng Văn hóa - Xã hội, các cá \
                     nhân, tập thể và hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành \
                     Quyết định này."
                    .into()],
            },
        ],
        signature: signature(),
        recipients: vec![
            "Như Điều 3".into(),
            "Thường trực Đảng ủy phường (để b/c)".into(),
            "Ban Thường trực Ủy ban MTTQ Việt Nam phường".into(),
            "Lưu: VT, VHXH".into(),
        ],
        annex: Annex {
            title: "DANH SÁCH\nCÁ NHÂN, TẬP THỂ, HỘ GIA ĐÌNH ĐƯỢC TẶNG GIẤY KHEN".into(),
            issued_by: "Chủ tịch Ủy ban nhân dân phường Cửa Nam".into(),
            individuals,
            collectives: vec![
                AnnexEntry {
                    name: "Ban công tác Mặt trận khu dân cư số 3".into(),
                    position_unit: "Phường Cửa Nam".into(),
                    award: "Giấy khen".into(),
                    amount_dong: 2 * giay_khen,
                },
                AnnexEntry {
                    name: "Chi hội Cựu chiến binh tổ dân phố Hàng Bông".into(),
                    position_unit: "Hội Cựu chiến binh phường Cửa Nam".into(),
                    award: "Giấy khen".into(),
                    amount_dong: 2 * giay_khen,
                },
            ],
            households: vec![AnnexEntry {
                name: "Hộ ông Lê Văn Thưởng".into(),
                position_unit: "Số 12 ngõ Yên Thế, tổ dân phố số 3".into(),
                award: "Giấy khen".into(),
                amount_dong: giay_khen,
            }],
        },
    }
}

/// `n` certificates of the sample decision (the names repeat, numbered in the register).
pub fn sample_certificates(n: usize) -> Vec<CertificateDoc> {
    (0..n)
        .map(|i| {
            let (name, detail) = PEOPLE[i % PEOPLE.len()];
            CertificateDoc {
                kind: CertificateKind::GiayKhen,
                issuer: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".into(),
                recipient_name: name.into(),
                recipient_detail: detail.into(),
                achievement: ACHIEVEMENT.into(),
                decision_number: "15/QĐ-UBND".into(),
                decision_date: date(2026, 1, 5),
                register_number: Some(format!("{}/GK-2026", i + 1)),
                place: "Hà Nội".into(),
                date: date(2026, 1, 5),
                signature: signature(),
            }
        })
        .collect()
}
