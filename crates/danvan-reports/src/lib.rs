//! danvan's reports: documents made from lists and statistics — the XLSX of a case list (the
//! inbox's "export to Excel"), the commendation documents ([`commendation`]: decisions as PDF and
//! DOCX, certificates as PDF) and the annual statistical report forms on emulation and
//! commendation ([`statistics`], XLSX). Labels arrive translated: this crate knows no languages,
//! and no database; the web layer decides what the reader may see and passes only that.

pub mod commendation;
mod pdf;
pub mod statistics;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// Rows beyond this are left out (with a note at the end of the sheet): an inbox export is for
/// reading and sorting, and a million-row sheet is neither (Excel's own limit is 1,048,576).
pub const MAX_ROWS: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The column headings of a case list, in the reader's language.
#[derive(Debug, Clone)]
pub struct CaseListHeaders {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub address: String,
    pub unit: String,
    pub status: String,
    pub received_at: String,
    pub due: String,
    pub sender_name: String,
    pub sender_phone: String,
}

/// One case as a line of the sheet. Times are local (+07:00) already; the sender's fields are
/// `None` wherever the reader may not see them.
#[derive(Debug, Clone)]
pub struct CaseListRow {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub address: String,
    pub unit: String,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub due: Option<NaiveDate>,
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
    let ws = wb.add_worksheet();
    // Sheet names: at most 31 characters and none of []:*?/\ (Excel refuses the file otherwise).
    let safe: String = sheet_name.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(31).collect();
    if !safe.trim().is_empty() {
        ws.set_name(safe.trim())?;
    }
    let head = Format::new().set_bold().set_background_color("#F2F2F2").set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let datetime = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let h = headers;
    let titles = [
        &h.code,
        &h.title,
        &h.kind,
        &h.channel,
        &h.category,
        &h.address,
        &h.unit,
        &h.status,
        &h.received_at,
        &h.due,
        &h.sender_name,
        &h.sender_phone,
    ];
    let widths = [16.0, 40.0, 14.0, 14.0, 28.0, 30.0, 30.0, 18.0, 17.0, 12.0, 24.0, 14.0];
    for (col, (t, w)) in titles.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, col as u16, t.as_str(), &head)?;
        ws.set_column_width(col as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().take(MAX_ROWS).enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, cell(&r.code))?;
        ws.write_string(row, 1, cell(&r.title))?;
        ws.write_string(row, 2, cell(&r.kind))?;
        ws.write_string(row, 3, cell(&r.channel))?;
        ws.write_string(row, 4, cell(&r.category))?;
        ws.write_string(row, 5, cell(&r.address))?;
        ws.write_string(row, 6, cell(&r.unit))?;
        ws.write_string(row, 7, cell(&r.status))?;
        // Excel knows no date before 1900 (nor after 9999): such a date, which a database written
        // before dates were bounded may hold, is written as text rather than failing the export.
        match excel_datetime(r.received_at) {
            Ok(t) => ws.write_datetime_with_format(row, 8, t, &datetime)?,
            Err(_) => ws.write_string(row, 8, r.received_at.format("%d/%m/%Y %H:%M").to_string())?,
        };
        if let Some(d) = r.due {
            match excel_date(d) {
                Ok(t) => ws.write_datetime_with_format(row, 9, t, &date)?,
                Err(_) => ws.write_string(row, 9, d.format("%d/%m/%Y").to_string())?,
            };
        }
        if let Some(v) = &r.sender_name {
            ws.write_string(row, 10, cell(v))?;
        }
        if let Some(v) = &r.sender_phone {
            ws.write_string(row, 11, cell(v))?;
        }
    }
    let last = rows.len().min(MAX_ROWS) as u32;
    if last > 0 {
        ws.autofilter(0, 0, last, titles.len() as u16 - 1)?;
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
            kind: s("Loại"),
            channel: s("Kênh"),
            category: s("Lĩnh vực"),
            address: s("Địa chỉ"),
            unit: s("Đơn vị"),
            status: s("Trạng thái"),
            received_at: s("Tiếp nhận"),
            due: s("Hạn"),
            sender_name: s("Người gửi"),
            sender_phone: s("Điện thoại"),
        }
    }

    #[test]
    fn a_workbook_is_a_zip_with_the_sheet_and_its_strings() {
        let row = CaseListRow {
            code: "PA-2026-000001".into(),
            title: "Cống tắc".into(),
            kind: "Phản ánh".into(),
            channel: "Trực tuyến".into(),
            category: "Thoát nước".into(),
            address: "Ngõ 5".into(),
            unit: "Phường An Bình".into(),
            status: "Đã tiếp nhận".into(),
            received_at: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            due: NaiveDate::from_ymd_opt(2026, 12, 4),
            sender_name: None,
            sender_phone: Some("0912345678".into()),
        };
        let bytes = case_list_xlsx("Hồ sơ: [tháng 11]", &headers(), &[row], Some("ghi chú")).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn overlong_cells_are_cut_not_fatal() {
        let huge = "ư".repeat(MAX_CELL_CHARS + 10);
        let row = CaseListRow {
            code: "PA-2026-000001".into(),
            title: huge.clone(),
            kind: "Phản ánh".into(),
            channel: "Trực tuyến".into(),
            category: huge.clone(),
            address: huge.clone(),
            unit: huge.clone(),
            status: "Đã tiếp nhận".into(),
            received_at: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            due: None,
            sender_name: Some(huge.clone()),
            sender_phone: Some(huge.clone()),
        };
        let bytes = case_list_xlsx("x", &headers(), &[row], Some(&huge)).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(cell(&huge).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell("ngắn"), "ngắn");
    }

    #[test]
    fn dates_excel_cannot_hold_are_written_as_text() {
        let row = CaseListRow {
            code: "PA-2026-000001".into(),
            title: "x".into(),
            kind: "Phản ánh".into(),
            channel: "Trực tuyến".into(),
            category: "x".into(),
            address: "x".into(),
            unit: "x".into(),
            status: "Đã tiếp nhận".into(),
            received_at: NaiveDate::from_ymd_opt(-262143, 1, 10).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            due: NaiveDate::from_ymd_opt(1, 1, 1),
            sender_name: None,
            sender_phone: None,
        };
        let bytes = case_list_xlsx("x", &headers(), &[row], None).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
