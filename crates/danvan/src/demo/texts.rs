//! What the demo's citizens write and where, and a small deterministic generator to pick from it.

/// (category code, what people write, what the ward answers). `{place}` is a street or lane.
pub(super) const CASE_TEXTS: &[(&str, &str, &str)] = &[
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

pub(super) const PLACES: &[&str] = &[
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

pub(super) const CITIZENS: &[&str] = &[
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
pub(super) struct Lcg(pub(super) u64);
impl Lcg {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Kinds in the proportions wards see: mostly feedback and petitions.
    pub(super) fn case_kind(&mut self) -> danvan_domain::cases::CaseKind {
        use danvan_domain::cases::CaseKind;
        match self.below(100) {
            0..=64 => CaseKind::Feedback,
            65..=89 => CaseKind::Petition,
            90..=96 => CaseKind::Complaint,
            _ => CaseKind::Denunciation,
        }
    }
    pub(super) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}
