//! An Excel workbook (XLSX) as the CSV text the import reads: the first sheet, each cell as
//! written (whole numbers without ".0", dates as YYYY-MM-DD). Units keep years of ratings and
//! titles in Excel; saving as CSV first loses Vietnamese text in some versions of Excel.

use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};

/// Whether the bytes are a ZIP container (an XLSX workbook), not CSV text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The most a workbook may expand to. An 8 MB upload of XML compresses about tenfold; a
/// "zip bomb" expands a thousandfold and would hold the server's memory.
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// Inflates every member with a hard cap, whatever sizes the archive declares.
fn within_size(bytes: &[u8]) -> Result<(), &'static str> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| "emulation.error.xlsx")?;
    let mut total: u64 = 0;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| "emulation.error.xlsx")?;
        let mut limited = entry.take(MAX_UNPACKED - total + 1);
        loop {
            let n = limited.read(&mut sink).map_err(|_| "emulation.error.xlsx")?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_UNPACKED {
                return Err("emulation.error.file_too_large");
            }
        }
    }
    Ok(())
}

/// Excel's serial day (days since 30 December 1899) as a date.
fn excel_day(serial: f64) -> Option<chrono::NaiveDate> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_day(d.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// The workbook's first sheet as CSV (an error key when it is not a readable workbook).
pub fn xlsx_to_csv(bytes: &[u8]) -> Result<String, &'static str> {
    within_size(bytes)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| "emulation.error.xlsx")?;
    let sheet = book.worksheet_range_at(0).ok_or("emulation.error.xlsx")?.map_err(|_| "emulation.error.xlsx")?;
    let mut out = csv::Writer::from_writer(vec![]);
    for row in sheet.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.write_record(&cells).map_err(|_| "emulation.error.xlsx")?;
    }
    let bytes = out.into_inner().map_err(|_| "emulation.error.xlsx")?;
    String::from_utf8(bytes).map_err(|_| "emulation.error.xlsx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_days_are_dates() {
        assert_eq!(excel_day(45_658.0).unwrap().to_string(), "2025-01-01");
        assert_eq!(excel_day(45_658.75).unwrap().to_string(), "2025-01-01");
        assert!(excel_day(-1.0).is_none());
        assert!(excel_day(f64::NAN).is_none());
        assert!(excel_day(1e12).is_none());
    }

    #[test]
    fn csv_text_is_not_a_workbook() {
        assert!(!is_xlsx(b"unit,kind,name"));
        assert_eq!(xlsx_to_csv(b"PK\x03\x04 not really"), Err("emulation.error.xlsx"));
    }
}
