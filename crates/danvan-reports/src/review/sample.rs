//! A sample review report — the final review of "dân vận" work of Cửa Nam ward, 2024–2026 — for
//! the tests, the examples and the screens that preview a report before the data is there.

use super::doc::{Block, Chart, Format, ReviewDoc, Signature};
use super::{Cell, Col, TableSheet};

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn by_year() -> TableSheet {
    let rows =
        [("Năm 2024", 1_184, 1_102, 1_015, 4.6), ("Năm 2025", 1_327, 1_261, 1_187, 3.9), ("Năm 2026", 1_412, 1_389, 1_334, 3.2)];
    TableSheet {
        name: "Theo năm".into(),
        title: vec![
            "Bảng 1. Tiếp nhận và trả lời phản ánh, kiến nghị theo năm".into(),
            "Phường Cửa Nam, từ 01/01/2024 đến 30/11/2026".into(),
        ],
        headings: vec![
            "Năm".into(),
            "Tiếp nhận".into(),
            "Đã trả lời".into(),
            "Tỷ lệ đã trả lời (%)".into(),
            "Trả lời đúng hạn".into(),
            "Tỷ lệ đúng hạn (%)".into(),
            "Số ngày trả lời (trung vị)".into(),
        ],
        cols: vec![
            Col::Label,
            Col::Count,
            Col::Count,
            Col::Share { part: 2, whole: 1 },
            Col::Count,
            Col::Share { part: 4, whole: 2 },
            Col::Value { decimals: 1 },
        ],
        lines: rows
            .iter()
            .map(|&(y, rec, ans, on_time, days)| {
                vec![
                    text(y),
                    Cell::Int(rec),
                    Cell::Int(ans),
                    Cell::Num(None),
                    Cell::Int(on_time),
                    Cell::Num(None),
                    Cell::Num(Some(days)),
                ]
            })
            .collect(),
        total: Some(("Cả giai đoạn".into(), vec![Cell::Num(Some(3.8))])),
    }
}

fn by_unit() -> TableSheet {
    let rows = [
        ("Tổ dân phố số 1", 412, 401),
        ("Tổ dân phố số 2", 538, 509),
        ("Tổ dân phố số 3", 297, 291),
        ("Tổ dân phố số 4", 655, 612),
        ("Tổ dân phố số 5", 384, 377),
        ("Tổ dân phố số 6 (khu tập thể Hàng Bông)", 471, 433),
        ("Tổ dân phố số 7", 0, 0),
        ("Khu vực chợ Cửa Nam và các tuyến phố thương mại", 1_166, 1_129),
    ];
    TableSheet {
        name: "Theo tổ dân phố".into(),
        title: vec!["Bảng 2. Phản ánh, kiến nghị theo tổ dân phố".into()],
        headings: vec!["Tổ dân phố, khu vực".into(), "Tiếp nhận".into(), "Đã trả lời".into(), "Tỷ lệ đã trả lời (%)".into()],
        cols: vec![Col::Label, Col::Count, Col::Count, Col::Share { part: 2, whole: 1 }],
        lines: rows.iter().map(|&(u, rec, ans)| vec![text(u), Cell::Int(rec), Cell::Int(ans), Cell::Num(None)]).collect(),
        total: Some(("Toàn phường".into(), vec![])),
    }
}

fn by_kind() -> TableSheet {
    let rows = [
        ("Trật tự đô thị, lấn chiếm vỉa hè", 1_034, 987),
        ("Vệ sinh môi trường, rác thải", 812, 795),
        ("Hạ tầng giao thông, chiếu sáng", 644, 602),
        ("An ninh, trật tự", 395, 388),
        ("Đất đai, xây dựng", 503, 441),
        ("Chính sách xã hội", 287, 284),
        ("Khác", 248, 246),
    ];
    TableSheet {
        name: "Theo lĩnh vực".into(),
        title: vec!["Bảng 3. Phản ánh, kiến nghị theo lĩnh vực".into()],
        headings: vec!["Lĩnh vực".into(), "Tiếp nhận".into(), "Đã giải quyết".into(), "Tỷ lệ giải quyết (%)".into()],
        cols: vec![Col::Label, Col::Count, Col::Count, Col::Share { part: 2, whole: 1 }],
        lines: rows.iter().map(|&(k, rec, done)| vec![text(k), Cell::Int(rec), Cell::Int(done), Cell::Num(None)]).collect(),
        total: Some(("Tổng cộng".into(), vec![])),
    }
}

fn models() -> TableSheet {
    let rows = [
        ("“Tuyến phố văn minh, không lấn chiếm vỉa hè” (phố Hàng Bông)", 214, 4.7),
        ("“Chợ Cửa Nam xanh - sạch - không rác thải nhựa”", 168, 4.5),
        ("“Camera an ninh khu dân cư”", 392, 4.8),
        ("“Nhóm Zalo tổ dân phố tiếp nhận ý kiến người dân”", 1_046, 4.4),
    ];
    TableSheet {
        name: "Mô hình Dân vận khéo".into(),
        title: vec!["Bảng 4. Mô hình “Dân vận khéo” được công nhận".into()],
        headings: vec!["Mô hình".into(), "Số hộ tham gia".into(), "Điểm đánh giá của người dân".into()],
        cols: vec![Col::Label, Col::Count, Col::Value { decimals: 1 }],
        lines: rows.iter().map(|&(m, hh, score)| vec![text(m), Cell::Int(hh), Cell::Num(Some(score))]).collect(),
        total: Some(("Tổng cộng".into(), vec![Cell::Num(Some(4.6))])),
    }
}

/// The sample report in `format` (Party: the ward's Party committee; State: the ward's People's
/// Committee).
pub fn sample_review(format: Format) -> ReviewDoc {
    let (parent_body, issuing_body, number, signature) = match format {
        Format::Party => (
            "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
            "ĐẢNG ỦY PHƯỜNG CỬA NAM",
            "Số 12-BC/ĐU",
            Signature {
                on_behalf: Some("T/M ĐẢNG ỦY".into()), title: "BÍ THƯ".into(), name: "Nguyễn Thị Thanh Hương".into()
            },
        ),
        Format::State => (
            "UBND THÀNH PHỐ HÀ NỘI",
            "ỦY BAN NHÂN DÂN\nPHƯỜNG CỬA NAM",
            "Số: 125/BC-UBND",
            Signature {
                on_behalf: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: "Trần Văn Đức".into()
            },
        ),
    };
    let blocks = vec![
        Block::Heading("I. Đặc điểm tình hình".into()),
        Block::Text(
            "Phường Cửa Nam có diện tích tự nhiên 1,6 km², 15.842 hộ với 46.310 nhân khẩu, sinh hoạt tại 8 tổ dân phố và \
             khu vực chợ Cửa Nam; là địa bàn trung tâm, tập trung nhiều cơ quan, trường học và tuyến phố thương mại, \
             lượng khách vãng lai lớn.\n\
             Giai đoạn 2024 – 2026, Đảng ủy, Ủy ban nhân dân phường xác định công tác dân vận là nhiệm vụ của cả hệ thống \
             chính trị; việc tiếp nhận, trả lời phản ánh, kiến nghị của người dân trên nền tảng số được triển khai đồng bộ \
             từ tháng 3 năm 2024."
                .into(),
        ),
        Block::Heading("II. Kết quả thực hiện".into()),
        Block::Subheading("1. Tiếp nhận và giải quyết phản ánh, kiến nghị".into()),
        Block::Text(
            "Trong giai đoạn, phường tiếp nhận 3.923 phản ánh, kiến nghị, đã trả lời 3.752 trường hợp, đạt 95,6%; số ngày trả \
             lời trung vị giảm từ 4,6 ngày năm 2024 xuống 3,2 ngày năm 2026.\n\
             Tỷ lệ trả lời đúng hạn tăng đều qua các năm nhờ việc phân công rõ người chịu trách nhiệm và nhắc hạn tự động \
             trên hệ thống; các trường hợp quá hạn chủ yếu thuộc lĩnh vực đất đai, xây dựng, cần phối hợp với nhiều cơ quan."
                .into(),
        ),
        Block::Table(by_year()),
        Block::Chart(Chart {
            title: "Biểu đồ 1. Số phản ánh, kiến nghị tiếp nhận và đã trả lời theo năm".into(),
            table: 0,
            columns: vec![1, 2],
            horizontal: false,
            percent: false,
        }),
        Block::Text(
            "Khu vực chợ Cửa Nam và các tuyến phố thương mại có số phản ánh lớn nhất; Tổ dân phố số 7 mới thành lập từ tháng 10 \
             năm 2026 nên chưa phát sinh phản ánh."
                .into(),
        ),
        Block::Table(by_unit()),
        Block::Chart(Chart {
            title: "Biểu đồ 2. Tỷ lệ phản ánh, kiến nghị đã trả lời theo tổ dân phố (%)".into(),
            table: 1,
            columns: vec![3],
            horizontal: true,
            percent: true,
        }),
        Block::Table(by_kind()),
        Block::Subheading("2. Xây dựng mô hình “Dân vận khéo”".into()),
        Block::Text(
            "Toàn phường xây dựng và được công nhận 4 mô hình “Dân vận khéo”, thu hút 1.820 hộ tham gia; điểm đánh giá bình \
             quân của người dân đạt 4,6/5."
                .into(),
        ),
        Block::Table(models()),
        Block::Subheading("3. Công tác dân vận của chính quyền".into()),
        Block::Placeholder("(Nội dung do Văn phòng HĐND - UBND phường bổ sung.)".into()),
        Block::Heading("III. Đánh giá chung".into()),
        Block::Text(
            "Ưu điểm: việc tiếp nhận, trả lời phản ánh, kiến nghị công khai, minh bạch, đúng hạn hơn; người dân theo dõi được \
             tiến độ giải quyết và đánh giá kết quả.\n\
             Hạn chế: một số phản ánh về đất đai, xây dựng còn quá hạn; việc cập nhật kết quả ở một vài tổ dân phố chưa kịp thời."
                .into(),
        ),
        Block::Heading("IV. Phương hướng, nhiệm vụ giai đoạn 2027 – 2030".into()),
        Block::Text(
            "Tiếp tục nâng cao tỷ lệ trả lời đúng hạn, phấn đấu đạt trên 97%; nhân rộng các mô hình “Dân vận khéo” ra các tổ \
             dân phố còn lại; tăng cường đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với Nhân dân."
                .into(),
        ),
    ];
    let recipients = match format {
        Format::Party => vec![
            "Ban Thường vụ Đảng ủy thành phố (để b/c)".into(),
            "Ban Dân vận Thành ủy".into(),
            "Các chi bộ trực thuộc".into(),
            "Lưu VP Đảng ủy".into(),
        ],
        Format::State => vec![
            "UBND thành phố (để b/c)".into(),
            "Thường trực Đảng ủy phường".into(),
            "Ủy ban MTTQ Việt Nam phường".into(),
            "Lưu: VT".into(),
        ],
    };
    ReviewDoc {
        format,
        parent_body: parent_body.into(),
        issuing_body: issuing_body.into(),
        number: number.into(),
        place_date: "Cửa Nam, ngày 08 tháng 12 năm 2026".into(),
        doc_type: "BÁO CÁO".into(),
        subject: "Tổng kết công tác dân vận giai đoạn 2024 – 2026".into(),
        draft_mark: Some("DỰ THẢO (phiên bản 3)".into()),
        blocks,
        signature,
        recipients,
    }
}
