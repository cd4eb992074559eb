//! A review report (sơ kết, tổng kết; issue 12 item 3) as plain data: the header of the issuing
//! body in the Party's format (Hướng dẫn 36-HD/VPTW) or the State's (Decree 30/2020/NĐ-CP), the
//! title, then blocks in order — headings, the drafting officer's narrative, tables (the same
//! `TableSheet`s the XLSX writes) and charts drawn from those tables — and the signature block.
//! Written in Vietnamese, the language of the document; this crate only lays it out.

use super::TableSheet;
pub use crate::commendation::Signature;

/// The document format, chosen by the kind of issuing body (RULES.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Party bodies: "ĐẢNG CỘNG SẢN VIỆT NAM" top right, "*" under the body, "Số 12-BC/ĐU".
    Party,
    /// State bodies and the rest: the national name and motto, "Số: 12/BC-UBND".
    State,
}

#[derive(Debug, Clone)]
pub struct ReviewDoc {
    pub format: Format,
    /// The body above the issuer, in capitals ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "UBND THÀNH PHỐ HÀ
    /// NỘI"); empty at the root.
    pub parent_body: String,
    /// The issuer, in capitals ("ĐẢNG ỦY PHƯỜNG CỬA NAM", "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM").
    pub issuing_body: String,
    /// The number line as printed: "Số:      /BC-UBND" (State), "Số      -BC/ĐU" (Party).
    pub number: String,
    /// "Cửa Nam, ngày 08 tháng 12 năm 2026".
    pub place_date: String,
    /// "BÁO CÁO".
    pub doc_type: String,
    /// The subject under it: "Tổng kết công tác dân vận giai đoạn 2024 – 2026".
    pub subject: String,
    /// A draft's mark, printed above the header on the first page ("DỰ THẢO (phiên bản 3)").
    pub draft_mark: Option<String>,
    pub blocks: Vec<Block>,
    pub signature: Signature,
    /// "Nơi nhận" lines, without the leading dash.
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// A part's heading, bold capitals: "I. ĐẶC ĐIỂM TÌNH HÌNH".
    Heading(String),
    /// A sub-heading, bold: "1. Tiếp nhận và giải quyết phản ánh, kiến nghị".
    Subheading(String),
    /// The narrative: each line of the text is a paragraph (justified, first-line indent).
    Text(String),
    /// What the drafting officer has not written yet, in italics ("(Nội dung do đơn vị bổ sung.)").
    Placeholder(String),
    /// A table with its caption (`TableSheet::name` is the XLSX sheet's name; `title[0]`, when
    /// present, is the caption printed above the table in PDF and DOCX).
    Table(TableSheet),
    /// A chart of columns of a table above.
    Chart(Chart),
}

/// A bar chart drawn from a table of the same document: one group of bars per line of the table
/// (its label column gives the categories), one bar per series column.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The caption: "Biểu đồ 1. Số phản ánh, kiến nghị tiếp nhận và đã trả lời theo năm".
    pub title: String,
    /// Index of the table among the document's `Block::Table`s, in order (0 is the first table).
    pub table: usize,
    /// The columns of that table drawn as series (Count, Share or Value columns); the legend
    /// takes their headings.
    pub columns: Vec<usize>,
    /// Horizontal bars (long labels, e.g. sub-units) rather than columns.
    pub horizontal: bool,
    /// The values are percentages: the axis runs 0–100.
    pub percent: bool,
}
