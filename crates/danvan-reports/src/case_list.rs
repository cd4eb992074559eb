//! The XLSX of a case list (the inbox's "export to Excel"): one line per case with the whole
//! title, description and answer, real dates, the due date, whether it was answered on time and
//! in how many working days; a frozen, filterable header and set column widths. The sheet is
//! written in rust_xlsxwriter's constant-memory mode: each row goes to a temporary file as it is
//! written, so a large export does not hold the sheet's XML in memory.

use crate::ReportError;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// Rows beyond this are left out (with a note at the end of the sheet): an inbox export is for
/// reading and sorting, and a million-row sheet is neither (Excel's own limit is 1,048,576).
pub const MAX_ROWS: usize = 100_000;

/// The column headings of a case list, in the reader's language.
#[derive(Debug, Clone)]
pub struct CaseListHeaders {
    pub code: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub address: String,
    pub unit: String,
    pub status: String,
    pub received_at: String,
    pub due: String,
    pub answered_on: String,
    pub on_time: String,
    pub working_days: String,
    pub answer: String,
    pub sender_name: String,
    pub sender_phone: String,
}

/// One case as a line of the sheet. Times are local (+07:00) already; the sender's fields are
/// `None` wherever the reader may not see them.
#[derive(Debug, Clone)]
pub struct CaseListRow {
    pub code: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub address: String,
    pub unit: String,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub due: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    /// "Đúng hạn" / "Quá hạn" (answered or open), empty when nothing is due.
    pub on_time: String,
    /// Working days from receipt to the answer (or to today while open).
    pub working_days: Option<i64>,
    /// The answer sent, with its register number.
    pub answer: String,
    pub sender_name: Option<String>,
    pub sender_phone: Option<String>,
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn excel_datetime(t: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)
}

/// Most characters an XLSX cell holds; rust_xlsxwriter refuses a longer string, which would fail
/// the whole export for one row.
pub const MAX_CELL_CHARS: usize = 32_767;

/// `s` cut to what a cell can hold (on a character boundary).
fn cell(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A case list as an XLSX workbook (one sheet named `sheet_name`). `note`, when given, is
/// written two rows under the table (e.g. that the list was cut at [`MAX_ROWS`]).
pub fn case_list_xlsx(
    sheet_name: &str,
    headers: &CaseListHeaders,
    rows: &[CaseListRow],
    note: Option<&str>,
) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory();
    // Sheet names: at most 31 characters and none of []:*?/\ (Excel refuses the file otherwise).
    let safe: String = sheet_name.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(31).collect();
    if !safe.trim().is_empty() {
        ws.set_name(safe.trim())?;
    }
    let head = Format::new().set_bold().set_background_color("#F2F2F2").set_align(FormatAlign::Center).set_text_wrap();
    let date = Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top);
    let datetime = Format::new().set_num_format("dd/mm/yyyy hh:mm").set_align(FormatAlign::Top);
    let text = Format::new().set_align(FormatAlign::Top);
    // Long texts wrap in their (wide) columns rather than spilling over the next ones.
    let long = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let h = headers;
    let columns: [(&String, f64); 17] = [
        (&h.code, 16.0),
        (&h.title, 40.0),
        (&h.description, 60.0),
        (&h.kind, 14.0),
        (&h.channel, 14.0),
        (&h.category, 28.0),
        (&h.address, 30.0),
        (&h.unit, 30.0),
        (&h.status, 18.0),
        (&h.received_at, 17.0),
        (&h.due, 12.0),
        (&h.answered_on, 12.0),
        (&h.on_time, 12.0),
        (&h.working_days, 10.0),
        (&h.answer, 60.0),
        (&h.sender_name, 24.0),
        (&h.sender_phone, 14.0),
    ];
    // Constant-memory sheets take their column widths before any row.
    for (col, (_, w)) in columns.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (col, (t, _)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, t.as_str(), &head)?;
    }
    for (i, r) in rows.iter().take(MAX_ROWS).enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, cell(&r.code), &text)?;
        ws.write_string_with_format(row, 1, cell(&r.title), &long)?;
        ws.write_string_with_format(row, 2, cell(&r.description), &long)?;
        ws.write_string_with_format(row, 3, cell(&r.kind), &text)?;
        ws.write_string_with_format(row, 4, cell(&r.channel), &text)?;
        ws.write_string_with_format(row, 5, cell(&r.category), &text)?;
        ws.write_string_with_format(row, 6, cell(&r.address), &long)?;
        ws.write_string_with_format(row, 7, cell(&r.unit), &text)?;
        ws.write_string_with_format(row, 8, cell(&r.status), &text)?;
        // Excel knows no date before 1900 (nor after 9999): such a date, which a database written
        // before dates were bounded may hold, is written as text rather than failing the export.
        match excel_datetime(r.received_at) {
            Ok(t) => ws.write_datetime_with_format(row, 9, t, &datetime)?,
            Err(_) => ws.write_string(row, 9, r.received_at.format("%d/%m/%Y %H:%M").to_string())?,
        };
        for (col, d) in [(10u16, r.due), (11, r.answered_on)] {
            if let Some(d) = d {
                match excel_date(d) {
                    Ok(t) => ws.write_datetime_with_format(row, col, t, &date)?,
                    Err(_) => ws.write_string(row, col, d.format("%d/%m/%Y").to_string())?,
                };
            }
        }
        ws.write_string_with_format(row, 12, cell(&r.on_time), &text)?;
        if let Some(n) = r.working_days {
            ws.write_number_with_format(row, 13, n as f64, &text)?;
        }
        ws.write_string_with_format(row, 14, cell(&r.answer), &long)?;
        if let Some(v) = &r.sender_name {
            ws.write_string_with_format(row, 15, cell(v), &text)?;
        }
        if let Some(v) = &r.sender_phone {
            ws.write_string_with_format(row, 16, cell(v), &text)?;
        }
    }
    let last = rows.len().min(MAX_ROWS) as u32;
    if last > 0 {
        ws.autofilter(0, 0, last, columns.len() as u16 - 1)?;
    }
    if let Some(n) = note {
        ws.write_string(last + 2, 0, cell(n))?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> CaseListHeaders {
        let s = |x: &str| x.to_string();
        CaseListHeaders {
            code: s("Mã hồ sơ"),
            title: s("Tiêu đề"),
            description: s("Nội dung"),
            kind: s("Loại"),
            channel: s("Kênh"),
            category: s("Lĩnh vực"),
            address: s("Địa chỉ"),
            unit: s("Đơn vị"),
            status: s("Trạng thái"),
            received_at: s("Tiếp nhận"),
            due: s("Hạn"),
            answered_on: s("Ngày trả lời"),
            on_time: s("Đúng hạn"),
            working_days: s("Số ngày làm việc"),
            answer: s("Trả lời"),
            sender_name: s("Người gửi"),
            sender_phone: s("Điện thoại"),
        }
    }

    fn row(title: &str, received_at: NaiveDateTime, due: Option<NaiveDate>) -> CaseListRow {
        CaseListRow {
            code: "PA-2026-000001".into(),
            title: title.into(),
            description: "Cống trước nhà số 5 bị tắc đã ba tuần, nước thải tràn ra đường.".into(),
            kind: "Phản ánh".into(),
            channel: "Trực tuyến".into(),
            category: "Thoát nước".into(),
            address: "Ngõ 5".into(),
            unit: "Phường An Bình".into(),
            status: "Đã trả lời".into(),
            received_at,
            due,
            answered_on: NaiveDate::from_ymd_opt(2026, 12, 2),
            on_time: "Đúng hạn".into(),
            working_days: Some(3),
            answer: "Số: 46/UBND-TL. Phường đã cho nạo vét cống ngày 01/12/2026.".into(),
            sender_name: None,
            sender_phone: Some("0912345678".into()),
        }
    }

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 30, 0).unwrap()
    }

    /// The sheet's XML, out of the zip (stored uncompressed or deflated: search both ways).
    fn sheet_xml(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_workbook_holds_whole_texts_real_dates_a_frozen_filtered_header() {
        let long_title = "Đề nghị sửa chữa ".repeat(20);
        let bytes = case_list_xlsx(
            "Hồ sơ: [tháng 11]",
            &headers(),
            &[row(&long_title, at(2026, 11, 27), NaiveDate::from_ymd_opt(2026, 12, 4))],
            Some("ghi chú"),
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
        let xml = sheet_xml(&bytes);
        assert!(xml.contains(long_title.trim_end()), "the whole title, not an excerpt");
        assert!(xml.contains("nước thải tràn ra đường"), "the description");
        assert!(xml.contains("46/UBND-TL"), "the answer");
        assert!(xml.contains("<pane ") && xml.contains("state=\"frozen\""), "the header is frozen");
        assert!(xml.contains("<autoFilter "), "the header filters");
        assert!(xml.contains("<col ") && xml.contains("customWidth"), "columns have widths");
        assert!(!xml.contains('…'));
    }

    #[test]
    fn overlong_cells_are_cut_not_fatal() {
        let huge = "ư".repeat(MAX_CELL_CHARS + 10);
        let mut r = row(&huge, at(2026, 11, 27), None);
        r.description = huge.clone();
        r.answer = huge.clone();
        r.sender_name = Some(huge.clone());
        let bytes = case_list_xlsx("x", &headers(), &[r], Some(&huge)).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(cell(&huge).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell("ngắn"), "ngắn");
    }

    #[test]
    fn dates_excel_cannot_hold_are_written_as_text() {
        let r = row(
            "x",
            NaiveDate::from_ymd_opt(-262143, 1, 10).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            NaiveDate::from_ymd_opt(1, 1, 1),
        );
        let bytes = case_list_xlsx("x", &headers(), &[r], None).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
