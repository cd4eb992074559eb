//! The definitions of forms 0601–0605 on emulation and commendation (Circular 02/2023/TT-BNV of
//! 23 March 2023, in force from 10 May 2023), and the version of Circular 18/2025/TT-BNV of 8
//! October 2025 (same title, "Quy định chế độ báo cáo thống kê ngành Nội vụ").
//!
//! Provenance (see the research notes): the official appendix could not be read. The 2023 rows,
//! columns and titles of 0601–0604 follow a third-party transcription of the Circular's forms
//! (lifephongphanmem/thiduakhenthuong, resources/views/BaoCao/TT022023/Mau060{1,2,3,4}.blade.php),
//! which shows "Biểu số: 060N.N/BNV-TĐKT", "Ban hành theo Thông tư số 2/2023/TT-BNV ngày
//! 23/3/2023" and "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo". The emulation reporting
//! period is 1 December of the previous year to 30 November of the report year (Sở Nội vụ Hưng
//! Yên's summary of Circular 02/2023). 0605's rows and columns are still danvan's own
//! reconstruction (only its title is sourced). Nothing of the content of Circular 18/2025's
//! forms could be read: its version below repeats 2023's and must be checked before filing.
//!
//! The official forms have no district or commune rows: levels appear only as 0601's columns
//! (central, ministry/province, "Cơ quan, tổ chức, đơn vị"), and the forms are filed by
//! ministries and provinces ("cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh"). Forms 0602–0604
//! have a unit of measure per row (column "C"), kept in `RowDef::unit`. The XLSX in the official
//! layout is `danvan_reports::statistics`.

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
    /// The row's unit of measure (column "C" of forms 0602–0604: "Người", "Tập thể", …); empty
    /// when the form has one unit for all rows (`FormDef::unit_of_measure`).
    pub unit: &'static str,
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
    /// Whether its rows and columns were read from the act's forms (a copy of them, see the
    /// module's provenance); when not, the page and the XLSX say so: check before filing.
    pub verified: bool,
    pub title: &'static str,
    /// "Đơn vị tính: Phong trào"; empty when each row has its own (`RowDef::unit`).
    pub unit_of_measure: &'static str,
    /// When the report is received: "Ngày 15 tháng 12 năm báo cáo".
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

    /// Whether the rows have their own unit of measure: column "C" after the code.
    pub fn has_row_units(&self) -> bool {
        self.rows.iter().any(|r| !r.unit.is_empty())
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
    RowDef { code, label, level, sum_of: Vec::new(), unit: "" }
}

fn t(code: &'static str, label: &'static str, level: u8, sum_of: &[&'static str]) -> RowDef {
    RowDef { code, label, level, sum_of: sum_of.to_vec(), unit: "" }
}

/// A heading line ("Chia theo …") without a code or numbers.
fn h(label: &'static str, level: u8) -> RowDef {
    RowDef { code: "", label, level, sum_of: Vec::new(), unit: "" }
}

impl RowDef {
    fn in_unit(mut self, unit: &'static str) -> RowDef {
        self.unit = unit;
        self
    }
}

fn c(code: &'static str, label: &'static str, group: Option<&'static str>) -> ColDef {
    ColDef { code, label, group, sum_of: Vec::new() }
}

fn ct(code: &'static str, label: &'static str, group: Option<&'static str>, sum_of: &[&'static str]) -> ColDef {
    ColDef { code, label, group, sum_of: sum_of.to_vec() }
}

const TT_2023: &str = "Thông tư số 02/2023/TT-BNV";
const TT_2025: &str = "Thông tư số 18/2025/TT-BNV";
/// "Ngày nhận báo cáo" of the 2023 forms (the period ends on 30 November). Not verified for 2025.
const DUE: &str = "Ngày 15 tháng 12 năm báo cáo";

fn version(v2023: bool) -> (&'static str, i32) {
    if v2023 {
        (TT_2023, 2023)
    } else {
        (TT_2025, 2025)
    }
}

/// Levels used only by 0605's reconstructed rows (unverified): with the district level (2023)
/// or without (2025).
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

/// 0601 — movements: rows by scope, duration and method; columns by the level that launched
/// the movement ("1=(2+3+4)").
fn f0601(v2023: bool) -> FormDef {
    let (issued_by, first_year) = version(v2023);
    let by_level = Some("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua");
    FormDef {
        code: "0601.N/BNV-TĐKT",
        issued_by,
        first_year,
        verified: v2023,
        title: "SỐ PHONG TRÀO THI ĐUA",
        unit_of_measure: "Đơn vị tính: Phong trào",
        due: DUE,
        rows: vec![
            t("01", "Tổng số", 0, &["02", "03", "04", "05"]),
            h("1. Chia theo phạm vi tổ chức thi đua", 1),
            r("02", "Toàn quốc", 2),
            r("03", "Bộ, ban, ngành đoàn thể, địa phương", 2),
            r("04", "Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", 2),
            r("05", "Cơ quan, tổ chức, đơn vị", 2),
            h("2. Chia theo thời hạn thi đua", 1),
            r("06", "Dưới 1 năm", 2),
            r("07", "1 năm", 2),
            r("08", "Từ 1 năm đến dưới 3 năm", 2),
            r("09", "Từ 3 năm đến dưới 5 năm", 2),
            r("10", "Từ 5 năm trở lên", 2),
            h("3. Chia theo phương thức tổ chức phong trào thi đua", 1),
            r("11", "Thi đua theo chuyên đề", 2),
            r("12", "Thi đua thường xuyên hàng năm", 2),
        ],
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3", "4"]),
            c("2", "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)", by_level),
            c("3", "Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương", by_level),
            c("4", "Cơ quan, tổ chức, đơn vị", by_level),
        ],
    }
}

/// The rows by recipient shared by 0602 (codes 6–14) and 0603 (codes 02–10).
fn recipients(codes: [&'static str; 9]) -> Vec<RowDef> {
    let [collective, firms, household, person, top, dept, business, other, direct] = codes;
    vec![
        r(collective, "Tập thể", 2).in_unit("Tập thể"),
        r(firms, "Trong đó: Doanh nghiệp", 3).in_unit("Doanh nghiệp"),
        r(household, "Hộ gia đình", 2).in_unit("Hộ"),
        r(person, "Cá nhân", 2).in_unit("Người"),
        r(top, "Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", 3).in_unit("Người"),
        r(dept, "Lãnh đạo cấp vụ, sở, ngành và tương đương", 3).in_unit("Người"),
        r(business, "Doanh nhân", 3).in_unit("Người"),
        r(other, "Các cấp lãnh đạo khác từ phó phòng trở lên", 3).in_unit("Người"),
        r(direct, "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,...)", 3)
            .in_unit("Người"),
    ]
}

/// The rows by method shared by 0602 and 0603.
fn methods(codes: [&'static str; 7]) -> Vec<RowDef> {
    let labels = ["Thường xuyên", "Chuyên đề", "Đột xuất", "Đối ngoại", "Cống hiến", "Niên hạn", "Kháng chiến"];
    codes.iter().zip(labels).map(|(code, label)| r(code, label, 2)).collect()
}

/// 0602 — State-level awards: rows by the body that submitted them to the Prime Minister, by
/// recipient and by method; columns by award. Each order, medal and honour has its own column
/// on the paper form ("Mỗi hình thức khen thưởng ghi riêng một cột") and columns 2, 7 and 9 are
/// split into "Tập thể" / "Cá nhân"; they are kept here as the numbered columns. The transcription
/// numbers the rows 1–3 then 6–21: rows 4 and 5 could not be read and are not invented here.
fn f0602(v2023: bool) -> FormDef {
    let (issued_by, first_year) = version(v2023);
    let mut rows = vec![
        t("1", "Tổng số", 0, &["6", "8", "9"]),
        h("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng", 1),
        r("2", "Bộ, ban, ngành, đoàn thể Trung ương", 2).in_unit("Bộ, ngành"),
        r("3", "Tỉnh, thành phố trực thuộc Trung ương", 2).in_unit("Tỉnh, TP"),
        h("2. Chia theo đối tượng khen thưởng", 1),
    ];
    rows.extend(recipients(["6", "7", "8", "9", "10", "11", "12", "13", "14"]));
    rows.push(h("3. Chia theo phương thức khen thưởng", 1));
    rows.extend(methods(["15", "16", "17", "18", "19", "20", "21"]));
    let split = Some("Chia ra");
    FormDef {
        code: "0602.N/BNV-TĐKT",
        issued_by,
        first_year,
        verified: v2023,
        title: "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        unit_of_measure: "",
        due: DUE,
        rows,
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3", "4", "5", "6", "7", "8", "9"]),
            c("2", "Các loại huân chương, huy chương", split),
            c("3", "Giải thưởng Hồ Chí Minh", split),
            c("4", "Giải thưởng Nhà nước", split),
            c("5", "Danh hiệu vinh dự nhà nước", split),
            c("6", "Cờ thi đua của Chính phủ", split),
            c("7", "Bằng khen của Thủ tướng Chính phủ", split),
            c("8", "Danh hiệu “Chiến sĩ thi đua toàn quốc”", split),
            c("9", "Các hình thức khen thưởng khác", split),
        ],
    }
}

/// 0603 — awards of ministries, central bodies and provinces: rows by recipient and by method;
/// columns by award. The transcription numbers the method heading "3." after "1." (sic).
fn f0603(v2023: bool) -> FormDef {
    let (issued_by, first_year) = version(v2023);
    let mut rows = vec![t("01", "Tổng số", 0, &["02", "04", "05"]), h("1. Chia theo đối tượng khen thưởng", 1)];
    rows.extend(recipients(["02", "03", "04", "05", "06", "07", "08", "09", "10"]));
    rows.push(h("3. Chia theo phương thức khen thưởng", 1));
    rows.extend(methods(["11", "12", "13", "14", "15", "16", "17"]));
    let split = Some("Chia ra");
    FormDef {
        code: "0603.N/BNV-TĐKT",
        issued_by,
        first_year,
        verified: v2023,
        title: "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        unit_of_measure: "",
        due: DUE,
        rows,
        cols: vec![
            ct("1", "Tổng số", None, &["2", "3", "4", "5"]),
            c("2", "Bằng khen", split),
            c("3", "Chiến sĩ thi đua cấp bộ, cấp tỉnh", split),
            c("4", "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương", split),
            c(
                "5",
                "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
                split,
            ),
        ],
    }
}

/// 0604 — the bodies doing emulation and commendation work, by their place in the structure.
fn f0604(v2023: bool) -> FormDef {
    let (issued_by, first_year) = version(v2023);
    FormDef {
        code: "0604.N/BNV-TĐKT",
        issued_by,
        first_year,
        verified: v2023,
        title: "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
        unit_of_measure: "",
        due: DUE,
        rows: vec![
            t("01", "Tổng số", 0, &["02", "03", "04", "05"]).in_unit("Tổ chức"),
            h("Chia theo cơ cấu tổ chức bộ máy", 1),
            r("02", "Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", 2).in_unit("Vụ"),
            r("03", "Cấp phòng, ban hoặc bộ phận thuộc Vụ", 2).in_unit("Phòng"),
            r("04", "Cấp ban thuộc Sở Nội vụ", 2).in_unit("Ban"),
            r("05", "Cấp phòng thuộc Sở Nội vụ", 2).in_unit("Phòng"),
        ],
        cols: vec![c("1", "Số lượng", None)],
    }
}

/// 0605 — the officials doing the work. Only the title is sourced (a menu label of the
/// transcription: "Số lượng công chức làm công tác thi đua, khen thưởng (mẫu 0605.N/BNV-TĐKT)");
/// the rows and columns are danvan's reconstruction, to be checked against the appendix.
fn f0605(v2023: bool) -> FormDef {
    let (issued_by, first_year) = version(v2023);
    let (lv, codes) = levels(v2023);
    let mut rows = vec![t("01", "Tổng số", 0, &codes), h("Chia theo cấp", 1)];
    rows.extend(lv);
    let staff = Some("Số người làm công tác thi đua, khen thưởng");
    FormDef {
        code: "0605.N/BNV-TĐKT",
        issued_by,
        first_year,
        verified: false,
        title: "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
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

/// The report period of a report year for these forms: 1 December of the year before to 30
/// November of the year (Circular 02/2023/TT-BNV, as summarised by Sở Nội vụ Hưng Yên: "kỳ báo
/// cáo thống kê lĩnh vực thi đua, khen thưởng được tính từ ngày 01/12 năm trước đến ngày 30/11
/// năm sau"), so that the report is received on 15 December.
pub fn report_period(year: i32) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    Some((chrono::NaiveDate::from_ymd_opt(year - 1, 12, 1)?, chrono::NaiveDate::from_ymd_opt(year, 11, 30)?))
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
