//! The definitions of forms 0601–0605 on emulation and commendation, in two versions: the one of
//! Circular 02/2023/TT-BNV (report years 2023–2024: local government at three levels — province,
//! district, commune) and the one of Circular 18/2025/TT-BNV (report years from 2025: two levels
//! after the 2025 reform — the district level is gone, so are its rows).
//!
//! The structure follows what the forms report (movements by scope, duration and method; awards
//! by level, by title and form, by recipient class; the organisation and staff of the work); the
//! row and column wording was reconstructed, not copied from the Circulars' appendices, which
//! could not be consulted here — check it against the official appendix before filing, and
//! correct it here: it is data. The XLSX in the official layout is `danvan_reports::statistics`.

/// A row of a form: its code (column "B" of the form), label and indentation level; a total row
/// lists the rows it adds up.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDef {
    pub code: &'static str,
    pub label: &'static str,
    /// 0 for a top-level line, 1 for "chia ra" lines under it, …
    pub level: u8,
    /// The rows this one adds up (empty: an input row). A heading row has no code.
    pub sum_of: Vec<&'static str>,
}

/// A column of a form: its code ("1", "2", …), heading, the group heading above it (merged over
/// consecutive columns of the same group), and the columns it adds up when it is a total.
#[derive(Debug, Clone, PartialEq)]
pub struct ColDef {
    pub code: &'static str,
    pub label: &'static str,
    pub group: Option<&'static str>,
    pub sum_of: Vec<&'static str>,
}

/// One version of one form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDef {
    /// "0601.N/BNV-TĐKT".
    pub code: &'static str,
    /// The act that issued this version: "Thông tư số 02/2023/TT-BNV".
    pub issued_by: &'static str,
    /// The first report year this version applies to (a later version replaces it from its own).
    pub first_year: i32,
    pub title: &'static str,
    /// "Đơn vị tính: Phong trào".
    pub unit_of_measure: &'static str,
    /// When the report is due: "Ngày 15 tháng 01 năm sau".
    pub due: &'static str,
    pub rows: Vec<RowDef>,
    pub cols: Vec<ColDef>,
}

impl FormDef {
    pub fn row(&self, code: &str) -> Option<&RowDef> {
        self.rows.iter().find(|r| r.code == code && !code.is_empty())
    }

    pub fn col(&self, code: &str) -> Option<&ColDef> {
        self.cols.iter().find(|c| c.code == code)
    }

    /// "0601" of "0601.N/BNV-TĐKT".
    pub fn short_code(&self) -> &'static str {
        self.code.split('.').next().unwrap_or(self.code)
    }

    /// Whether (row, col) is a cell one fills in (not a total, not a heading).
    pub fn is_input(&self, row: &str, col: &str) -> bool {
        matches!((self.row(row), self.col(col)), (Some(r), Some(c)) if r.sum_of.is_empty() && c.sum_of.is_empty())
    }
}

/// The short codes of the forms, in order.
pub const FORM_CODES: [&str; 5] = ["0601", "0602", "0603", "0604", "0605"];

/// The full code of a form from its short code ("0601" → "0601.N/BNV-TĐKT"), if it is one.
pub fn form_code(short: &str) -> Option<String> {
    FORM_CODES.contains(&short).then(|| format!("{short}.N/BNV-TĐKT"))
}

fn r(code: &'static str, label: &'static str, level: u8) -> RowDef {
    RowDef { code, label, level, sum_of: Vec::new() }
}

fn t(code: &'static str, label: &'static str, level: u8, sum_of: &[&'static str]) -> RowDef {
    RowDef { code, label, level, sum_of: sum_of.to_vec() }
}

/// A heading line ("Chia theo …") without a code or numbers.
fn h(label: &'static str, level: u8) -> RowDef {
    RowDef { code: "", label, level, sum_of: Vec::new() }
}

fn c(code: &'static str, label: &'static str, group: Option<&'static str>) -> ColDef {
    ColDef { code, label, group, sum_of: Vec::new() }
}

fn ct(code: &'static str, label: &'static str, group: Option<&'static str>, sum_of: &[&'static str]) -> ColDef {
    ColDef { code, label, group, sum_of: sum_of.to_vec() }
}

const TT_2023: &str = "Thông tư số 02/2023/TT-BNV";
const TT_2025: &str = "Thông tư số 18/2025/TT-BNV";
const DUE: &str = "Ngày 15 tháng 01 năm sau";

/// Levels of the launching or awarding body: with the district level (2023) or without (2025).
fn levels(three_levels: bool) -> (Vec<RowDef>, Vec<&'static str>) {
    let mut rows = vec![r("02", "Cấp tỉnh", 1)];
    let mut codes = vec!["02"];
    if three_levels {
        rows.push(r("03", "Cấp huyện", 1));
        codes.push("03");
    }
    rows.push(r("04", "Cấp xã", 1));
    rows.push(r("05", "Cơ quan, tổ chức, đơn vị, doanh nghiệp", 1));
    codes.extend(["04", "05"]);
    (rows, codes)
}

fn f0601(v2023: bool) -> FormDef {
    let (lv, codes) = levels(v2023);
    let mut rows = vec![t("01", "Tổng số", 0, &codes), h("Chia theo cấp phát động", 1)];
    rows.extend(lv);
    let scope = Some("Chia theo hình thức tổ chức");
    let dur = Some("Chia theo thời gian");
    FormDef {
        code: "0601.N/BNV-TĐKT",
        issued_by: if v2023 { TT_2023 } else { TT_2025 },
        first_year: if v2023 { 2023 } else { 2025 },
        title: "SỐ PHONG TRÀO THI ĐUA ĐƯỢC PHÁT ĐỘNG",
        unit_of_measure: "Đơn vị tính: Phong trào",
        due: DUE,
        rows,
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3"]),
            c("2", "Thường xuyên", scope),
            c("3", "Theo chuyên đề (đợt)", scope),
            c("4", "Từ 01 năm trở xuống", dur),
            c("5", "Trên 01 năm", dur),
            c("6", "Số phong trào đã sơ kết, tổng kết", None),
        ],
    }
}

fn f0602(v2023: bool) -> FormDef {
    let mut local = vec!["06"];
    let mut rows = vec![
        t("01", "Tổng số", 0, &["02", "05"]),
        t("02", "Khen thưởng cấp Nhà nước", 1, &["03", "04"]),
        r("03", "Chủ tịch nước quyết định", 2),
        r("04", "Thủ tướng Chính phủ quyết định", 2),
    ];
    let mut lv = vec![r("06", "Cấp tỉnh, bộ, ban, ngành", 2)];
    if v2023 {
        lv.push(r("07", "Cấp huyện", 2));
        local.push("07");
    }
    lv.push(r("08", "Cấp xã", 2));
    lv.push(r("09", "Cơ quan, tổ chức, đơn vị, doanh nghiệp", 2));
    local.extend(["08", "09"]);
    rows.push(t("05", "Khen thưởng cấp bộ, ngành, địa phương, cơ sở", 1, &local));
    rows.extend(lv);
    FormDef {
        code: "0602.N/BNV-TĐKT",
        issued_by: if v2023 { TT_2023 } else { TT_2025 },
        first_year: if v2023 { 2023 } else { 2025 },
        title: "SỐ LƯỢNG KHEN THƯỞNG CHIA THEO CẤP KHEN THƯỞNG",
        unit_of_measure: "Đơn vị tính: Lượt",
        due: DUE,
        rows,
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3"]),
            c("2", "Danh hiệu thi đua", Some("Chia ra")),
            c("3", "Hình thức khen thưởng", Some("Chia ra")),
            c("4", "Số hồ sơ đề nghị đã giải quyết", None),
        ],
    }
}

fn f0603(v2023: bool) -> FormDef {
    let rows = vec![
        t("01", "Tổng số", 0, &["02", "12"]),
        t("02", "Danh hiệu thi đua", 1, &["03", "04", "05", "06", "07", "08", "09", "10", "11"]),
        r("03", "Chiến sĩ thi đua toàn quốc", 2),
        r("04", "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh", 2),
        r("05", "Chiến sĩ thi đua cơ sở", 2),
        r("06", "Lao động tiên tiến, Chiến sĩ tiên tiến", 2),
        r("07", "Cờ thi đua của Chính phủ", 2),
        r("08", "Cờ thi đua của bộ, ban, ngành, tỉnh", 2),
        r("09", "Tập thể lao động xuất sắc, Đơn vị quyết thắng", 2),
        r("10", "Tập thể lao động tiên tiến, Đơn vị tiên tiến", 2),
        r("11", "Gia đình tiêu biểu", 2),
        t("12", "Hình thức khen thưởng", 1, &["13", "14", "15", "16", "17", "18", "19"]),
        r("13", "Huân chương", 2),
        r("14", "Huy chương", 2),
        r("15", "Danh hiệu vinh dự nhà nước", 2),
        r("16", "Giải thưởng Hồ Chí Minh, Giải thưởng Nhà nước", 2),
        r("17", "Bằng khen của Thủ tướng Chính phủ", 2),
        r("18", "Bằng khen của bộ, ban, ngành, tỉnh", 2),
        r("19", "Giấy khen", 2),
    ];
    let who = Some("Chia theo đối tượng");
    FormDef {
        code: "0603.N/BNV-TĐKT",
        issued_by: if v2023 { TT_2023 } else { TT_2025 },
        first_year: if v2023 { 2023 } else { 2025 },
        title: "SỐ LƯỢNG DANH HIỆU THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG",
        unit_of_measure: "Đơn vị tính: Lượt",
        due: DUE,
        rows,
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3", "4"]),
            c("2", "Cá nhân", who),
            c("3", "Tập thể", who),
            c("4", "Hộ gia đình", who),
            c("5", "Thường xuyên", Some("Chia theo loại hình khen thưởng")),
            c("6", "Theo chuyên đề", Some("Chia theo loại hình khen thưởng")),
            c("7", "Đột xuất", Some("Chia theo loại hình khen thưởng")),
            c("8", "Quá trình cống hiến, niên hạn", Some("Chia theo loại hình khen thưởng")),
            c("9", "Đối ngoại", Some("Chia theo loại hình khen thưởng")),
        ],
    }
}

fn f0604(v2023: bool) -> FormDef {
    let rows = vec![
        t("01", "Tổng số", 0, &["02", "07", "08"]),
        t("02", "Cá nhân", 1, &["03", "04", "05", "06"]),
        r("03", "Lãnh đạo, quản lý", 2),
        r("04", "Cán bộ, công chức, viên chức (không giữ chức vụ lãnh đạo)", 2),
        r("05", "Công nhân, nông dân, người lao động trực tiếp", 2),
        r("06", "Đối tượng khác (doanh nhân, người nước ngoài, …)", 2),
        r("07", "Tập thể", 1),
        r("08", "Hộ gia đình", 1),
    ];
    FormDef {
        code: "0604.N/BNV-TĐKT",
        issued_by: if v2023 { TT_2023 } else { TT_2025 },
        first_year: if v2023 { 2023 } else { 2025 },
        title: "SỐ LƯỢNG KHEN THƯỞNG CHIA THEO ĐỐI TƯỢNG",
        unit_of_measure: "Đơn vị tính: Lượt",
        due: DUE,
        rows,
        cols: vec![c("1", "Tổng số", None), c("2", "Nữ", Some("Trong đó")), c("3", "Người dân tộc thiểu số", Some("Trong đó"))],
    }
}

fn f0605(v2023: bool) -> FormDef {
    let (lv, codes) = levels(v2023);
    let mut rows = vec![t("01", "Tổng số", 0, &codes), h("Chia theo cấp", 1)];
    rows.extend(lv);
    let staff = Some("Số người làm công tác thi đua, khen thưởng");
    FormDef {
        code: "0605.N/BNV-TĐKT",
        issued_by: if v2023 { TT_2023 } else { TT_2025 },
        first_year: if v2023 { 2023 } else { 2025 },
        title: "TỔ CHỨC BỘ MÁY VÀ ĐỘI NGŨ LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
        unit_of_measure: "Đơn vị tính: Cơ quan, Người",
        due: DUE,
        rows,
        cols: vec![
            c("1", "Số cơ quan, đơn vị chuyên trách", None),
            ct("2", "Tổng số", staff, &["3", "4"]),
            c("3", "Chuyên trách", staff),
            c("4", "Kiêm nhiệm", staff),
            c("5", "Nữ", Some("Trong tổng số")),
            c("6", "Trình độ đại học trở lên", Some("Trong tổng số")),
            c("7", "Được bồi dưỡng nghiệp vụ trong năm", Some("Trong tổng số")),
        ],
    }
}

/// Every version of every form, oldest version first.
pub fn catalogue() -> Vec<FormDef> {
    let mut all = Vec::new();
    for v2023 in [true, false] {
        all.extend([f0601(v2023), f0602(v2023), f0603(v2023), f0604(v2023), f0605(v2023)]);
    }
    all
}

/// The version of form `code` that applies to the report year `year` (the newest whose first
/// year is not after it).
pub fn form_for(code: &str, year: i32) -> Option<FormDef> {
    catalogue().into_iter().filter(|f| f.code == code && f.first_year <= year).max_by_key(|f| f.first_year)
}
