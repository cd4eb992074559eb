//! Commendation documents (issue 11 item 8): the decision with its annexed list, as PDF and
//! DOCX, and the certificates (Giấy khen / Bằng khen) as PDF, one by one, in a batch, or as the
//! variable text only for pre-printed blanks.
//!
//! Layout: the administrative document format of Decree 30/2020/NĐ-CP, Appendix I (A4; margins
//! top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman — here its metric twin
//! Liberation Serif; the national name 12–13 pt bold capitals over the motto 13–14 pt bold with a
//! rule its length; the issuing body in bold capitals under its parent with a short rule; "Số:";
//! place and date in italics; the document type in bold capitals and the subject in bold; body
//! 13–14 pt justified with a first-line indent; "Nơi nhận:" 12 pt bold italic and its list 11 pt;
//! the signer's authority and title in bold capitals, the name in bold; page numbers from page 2
//! centred in the top margin). The inputs are plain data: this crate knows no database.

mod certificate;
mod decision;
mod docx;
pub mod sample;

pub use certificate::{certificate_pdf, certificates_overlay_pdf, certificates_pdf};
pub use decision::decision_pdf;
pub use docx::decision_docx;

use chrono::{Datelike, NaiveDate};

/// What can go wrong making a document.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("docx: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("docx: {0}")]
    Io(#[from] std::io::Error),
}

/// "Hà Nội, ngày 05 tháng 01 năm 2026": Decree 30/2020 writes days below 10 and the months
/// January and February with a leading zero.
pub fn place_and_date(place: &str, date: NaiveDate) -> String {
    let month = if date.month() < 3 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("{place}, ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// "05/01/2026".
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// 1404000 → "1.404.000" (Vietnamese thousands separator).
pub fn format_dong(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" (or none when the head signs in
/// their own name), the title ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"), and the signer's name.
#[derive(Debug, Clone)]
pub struct Signature {
    /// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Q. CHỦ TỊCH", … or `None`.
    pub on_behalf: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH", …
    pub title: String,
    /// "Nguyễn Văn An".
    pub name: String,
}

/// An article of the decision: its text after "Điều n." (numbered by position).
#[derive(Debug, Clone)]
pub struct Article {
    /// Optional heading after "Điều n." (e.g. "Tặng Giấy khen"), set in bold with the number.
    pub heading: Option<String>,
    /// The article's text; each element a paragraph.
    pub paragraphs: Vec<String>,
}

/// One line of the annexed list.
#[derive(Debug, Clone)]
pub struct AnnexEntry {
    /// "Ông Nguyễn Văn An", "Tổ dân phố số 3", "Hộ ông Lê Văn Bình".
    pub name: String,
    /// Position and unit, or address for a household.
    pub position_unit: String,
    /// "Giấy khen", "Lao động tiên tiến", …
    pub award: String,
    /// Cash amount in đồng.
    pub amount_dong: u64,
}

/// The annex: its title and the three sections (empty ones are left out).
#[derive(Debug, Clone, Default)]
pub struct Annex {
    /// "DANH SÁCH\nCÁ NHÂN, TẬP THỂ, HỘ GIA ĐÌNH ĐƯỢC TẶNG GIẤY KHEN" ('\n' breaks the line).
    pub title: String,
    /// "Chủ tịch Ủy ban nhân dân phường Cửa Nam" — completes "(Kèm theo Quyết định số … của …)".
    pub issued_by: String,
    pub individuals: Vec<AnnexEntry>,
    pub collectives: Vec<AnnexEntry>,
    pub households: Vec<AnnexEntry>,
}

impl Annex {
    pub fn is_empty(&self) -> bool {
        self.individuals.is_empty() && self.collectives.is_empty() && self.households.is_empty()
    }

    /// The sections with their headings, non-empty only.
    pub fn sections(&self) -> Vec<(&'static str, &[AnnexEntry])> {
        [
            ("I. CÁ NHÂN", self.individuals.as_slice()),
            ("II. TẬP THỂ", self.collectives.as_slice()),
            ("III. HỘ GIA ĐÌNH", self.households.as_slice()),
        ]
        .into_iter()
        .filter(|(_, e)| !e.is_empty())
        .collect()
    }

    pub fn total_dong(&self) -> u64 {
        self.sections().iter().flat_map(|(_, e)| e.iter()).map(|e| e.amount_dong).sum()
    }
}

/// A commendation decision (Quyết định khen thưởng).
#[derive(Debug, Clone)]
pub struct DecisionDoc {
    /// The parent body, in capitals: "UBND THÀNH PHỐ HÀ NỘI" (may be empty).
    pub parent_body: String,
    /// The issuing body, in capitals: "ỦY BAN NHÂN DÂN\nPHƯỜNG CỬA NAM" ('\n' breaks the line
    /// where the office wants it; otherwise it wraps to its column).
    pub issuing_body: String,
    /// "15/QĐ-UBND".
    pub number: String,
    /// "Hà Nội".
    pub place: String,
    pub date: NaiveDate,
    /// The subject: "Về việc tặng Giấy khen cho các cá nhân, tập thể …".
    pub subject: String,
    /// The issuing authority, in capitals: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".
    pub authority: String,
    /// "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" — each a paragraph.
    pub legal_bases: Vec<String>,
    pub articles: Vec<Article>,
    pub signature: Signature,
    /// "Như Điều 3;", "Lưu: VT." — each a line after "- ".
    pub recipients: Vec<String>,
    pub annex: Annex,
}

/// Giấy khen, Bằng khen, or the Bằng chứng nhận of a title (Decree 152/2025/NĐ-CP: Chiến sĩ thi
/// đua cơ sở, Tập thể lao động xuất sắc, … "được tặng Bằng chứng nhận, khung").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateKind {
    GiayKhen,
    BangKhen,
    /// The title's name in capitals: "CHIẾN SĨ THI ĐUA CƠ SỞ".
    Title(&'static str),
}

impl CertificateKind {
    /// The heading printed large.
    pub fn title(self) -> &'static str {
        match self {
            CertificateKind::GiayKhen => "GIẤY KHEN",
            CertificateKind::BangKhen => "BẰNG KHEN",
            CertificateKind::Title(name) => name,
        }
    }

    /// The line above the heading: a form is given ("TẶNG"), a title conferred ("TẶNG DANH HIỆU").
    pub fn verb(self) -> &'static str {
        match self {
            CertificateKind::Title(_) => "TẶNG DANH HIỆU",
            _ => "TẶNG",
        }
    }
}

/// A certificate (Giấy khen / Bằng khen / Bằng chứng nhận of a title).
#[derive(Debug, Clone)]
pub struct CertificateDoc {
    pub kind: CertificateKind,
    /// The issuer as printed above "TẶNG": "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".
    pub issuer: String,
    /// "Ông Nguyễn Văn An", "Tổ dân phố số 3".
    pub recipient_name: String,
    /// Position and unit: "Trưởng ban công tác Mặt trận khu dân cư số 3" (may be empty).
    pub recipient_detail: String,
    /// "Đã có thành tích xuất sắc trong công tác dân vận năm 2025".
    pub achievement: String,
    /// "15/QĐ-UBND".
    pub decision_number: String,
    pub decision_date: NaiveDate,
    /// The number in the register ("Số sổ vàng"), if the issuer keeps one.
    pub register_number: Option<String>,
    pub place: String,
    pub date: NaiveDate,
    pub signature: Signature,
}

/// A shift in millimetres (right and down are positive).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OffsetMm {
    pub dx: f32,
    pub dy: f32,
}

/// A unit's calibration for printing on its pre-printed blanks: a shift of the whole page (the
/// printer's own offset) and one per field, added to the position of that field in the fully
/// rendered certificate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverlayCalibration {
    pub page: OffsetMm,
    pub recipient_name: OffsetMm,
    pub recipient_detail: OffsetMm,
    pub achievement: OffsetMm,
    pub decision: OffsetMm,
    pub register_number: OffsetMm,
    pub place_date: OffsetMm,
    pub signer: OffsetMm,
}
