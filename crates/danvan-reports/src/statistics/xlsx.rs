//! A filled form as XLSX in the layout of the Ministry's forms: the form's code, the act that
//! issued it and when the report is due on the left, the reporting and receiving units on the
//! right, the title and year, the unit of measure, the two-level column headings with the
//! column codes (A, B, 1, 2, …), the rows with their codes, and the signatures. Counts are
//! numbers; totals are formulas (with their values stored); the cells to fill in by hand are
//! left blank.

use super::{validate, value, FilledForm, FormDef, StatError};
use crate::pdf::nfc;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

const HEAD_ROW: u32 = 7;

/// The first column of numbers: after the label, the code and, when the rows have one, the unit.
fn first_data_col(form: &FormDef) -> u16 {
    if form.has_row_units() {
        3
    } else {
        2
    }
}
const FIRST_DATA_ROW: u32 = 10;

fn base() -> Format {
    Format::new().set_font_name("Times New Roman").set_font_size(12)
}

fn cell_fmt() -> Format {
    base().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter)
}

/// The sheet for `filled` on `form` (the version in force for its year, see
/// [`super::form_for`]). Refuses counts for unknown or total cells.
pub fn form_xlsx(form: &FormDef, filled: &FilledForm) -> Result<Vec<u8>, StatError> {
    validate(form, filled)?;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let short = form.code.split('.').next().unwrap_or("Biểu");
    ws.set_name(format!("Biểu {short}"))?;
    write_sheet(ws, form, filled)?;
    Ok(wb.save_to_buffer()?)
}

fn write_sheet(ws: &mut Worksheet, form: &FormDef, filled: &FilledForm) -> Result<(), StatError> {
    let last = first_data_col(form) + form.cols.len() as u16 - 1;
    ws.set_paper_size(9);
    if form.cols.len() >= 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 46)?;
    ws.set_column_width(1, 7)?;
    for i in 0..form.cols.len() as u16 {
        ws.set_column_width(first_data_col(form) + i, 13)?;
    }
    let bold = base().set_bold();
    let italic = base().set_italic();
    let center_bold = bold.clone().set_align(FormatAlign::Center).set_text_wrap();
    // Left block: form code, issuing act, due date. Right block: the units.
    ws.write_string_with_format(0, 0, format!("Biểu số: {}", form.code), &bold)?;
    ws.write_string_with_format(1, 0, nfc(&format!("Ban hành theo {}", form.issued_by)), &italic)?;
    ws.write_string_with_format(2, 0, nfc(&format!("Ngày nhận báo cáo: {}", form.due)), &italic)?;
    if !form.verified {
        ws.write_string_with_format(3, 0, "Chưa đối chiếu với phụ lục của văn bản ban hành: kiểm tra trước khi nộp.", &italic)?;
    }
    let right = base().set_text_wrap();
    ws.merge_range(0, 1, 0, last, &nfc(&format!("Đơn vị báo cáo: {}", filled.reporting_unit)), &right)?;
    ws.merge_range(1, 1, 1, last, &nfc(&format!("Đơn vị nhận báo cáo: {}", filled.receiving_unit)), &right)?;
    ws.merge_range(4, 0, 4, last, &nfc(form.title), &center_bold.clone().set_font_size(14))?;
    ws.merge_range(5, 0, 5, last, &format!("Năm {}", filled.year), &center_bold)?;
    if !form.unit_of_measure.is_empty() {
        ws.merge_range(6, 0, 6, last, &nfc(form.unit_of_measure), &italic.clone().set_align(FormatAlign::Right))?;
    }
    // Column headings: two rows, a group merged over its columns, then the codes row.
    let head = cell_fmt().set_bold().set_align(FormatAlign::Center);
    ws.merge_range(HEAD_ROW, 0, HEAD_ROW + 1, 0, "Tên chỉ tiêu", &head)?;
    ws.merge_range(HEAD_ROW, 1, HEAD_ROW + 1, 1, "Mã số", &head)?;
    if form.has_row_units() {
        ws.merge_range(HEAD_ROW, 2, HEAD_ROW + 1, 2, "Đơn vị tính", &head)?;
        ws.write_string_with_format(HEAD_ROW + 2, 2, "C", &cell_fmt().set_italic().set_align(FormatAlign::Center))?;
        ws.set_column_width(2, 11)?;
    }
    let mut i = 0;
    while i < form.cols.len() {
        let col = first_data_col(form) + i as u16;
        match form.cols[i].group {
            None => {
                ws.merge_range(HEAD_ROW, col, HEAD_ROW + 1, col, &nfc(form.cols[i].label), &head)?;
                i += 1;
            }
            Some(g) => {
                let n = form.cols[i..].iter().take_while(|c| c.group == Some(g)).count();
                let end = col + n as u16 - 1;
                if n > 1 {
                    ws.merge_range(HEAD_ROW, col, HEAD_ROW, end, &nfc(g), &head)?;
                } else {
                    ws.write_string_with_format(HEAD_ROW, col, nfc(g), &head)?;
                }
                for k in 0..n {
                    let label = nfc(form.cols[i + k].label);
                    ws.write_string_with_format(HEAD_ROW + 1, col + k as u16, label, &head)?;
                }
                i += n;
            }
        }
    }
    ws.set_row_height(HEAD_ROW + 1, 48)?;
    let codes = cell_fmt().set_italic().set_align(FormatAlign::Center);
    ws.write_string_with_format(HEAD_ROW + 2, 0, "A", &codes)?;
    ws.write_string_with_format(HEAD_ROW + 2, 1, "B", &codes)?;
    for (k, c) in form.cols.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW + 2, first_data_col(form) + k as u16, c.code, &codes)?;
    }
    ws.set_repeat_rows(HEAD_ROW, HEAD_ROW + 2)?;
    write_rows(ws, form, filled)?;
    footer(ws, form, filled, last)
}

fn write_rows(ws: &mut Worksheet, form: &FormDef, filled: &FilledForm) -> Result<(), StatError> {
    let row_of =
        |code: &str| form.rows.iter().position(|r| r.code == code && !code.is_empty()).map(|p| FIRST_DATA_ROW + p as u32);
    let col_of = |code: &str| form.cols.iter().position(|c| c.code == code).map(|p| first_data_col(form) + p as u16);
    let num = cell_fmt().set_num_format("#,##0").set_align(FormatAlign::Right);
    let num_total = num.clone().set_bold();
    for (i, r) in form.rows.iter().enumerate() {
        let row = FIRST_DATA_ROW + i as u32;
        let total_row = !r.sum_of.is_empty();
        let mut label = cell_fmt().set_indent(r.level * 2);
        if total_row || r.level == 0 {
            label = label.set_bold();
        }
        if r.code.is_empty() {
            label = label.set_italic();
        }
        ws.write_string_with_format(row, 0, nfc(r.label), &label)?;
        ws.write_string_with_format(row, 1, r.code, &cell_fmt().set_align(FormatAlign::Center))?;
        if form.has_row_units() {
            ws.write_string_with_format(row, 2, nfc(r.unit), &cell_fmt().set_align(FormatAlign::Center).set_text_wrap())?;
        }
        for (k, c) in form.cols.iter().enumerate() {
            let col = first_data_col(form) + k as u16;
            if r.code.is_empty() {
                ws.write_blank(row, col, &cell_fmt())?;
                continue;
            }
            let v = value(form, filled, r.code, c.code);
            let refs: Option<Vec<String>> = if !c.sum_of.is_empty() {
                Some(c.sum_of.iter().filter_map(|k| col_of(k)).map(|cc| row_col_to_cell(row, cc)).collect())
            } else if total_row {
                Some(r.sum_of.iter().filter_map(|k| row_of(k)).map(|rr| row_col_to_cell(rr, col)).collect())
            } else {
                None
            };
            match refs {
                Some(refs) => {
                    let f = Formula::new(format!("={}", refs.join("+"))).set_result(v.to_string());
                    ws.write_formula_with_format(row, col, f, &num_total)?;
                }
                None if filled.by_hand.contains(&(r.code.to_string(), c.code.to_string())) => {
                    ws.write_blank(row, col, &num)?;
                }
                None => {
                    ws.write_number_with_format(row, col, v as f64, &num)?;
                }
            }
        }
    }
    Ok(())
}

fn footer(ws: &mut Worksheet, form: &FormDef, filled: &FilledForm, last: u16) -> Result<(), StatError> {
    let y = FIRST_DATA_ROW + form.rows.len() as u32 + 2;
    let center = base().set_align(FormatAlign::Center);
    let bold = center.clone().set_bold();
    let italic = center.clone().set_italic();
    ws.write_string_with_format(y + 1, 0, "Người lập biểu", &bold)?;
    ws.write_string_with_format(y + 2, 0, "(Ký, họ tên)", &italic)?;
    let first = first_data_col(form).min(last);
    let place = nfc(&format!("{}, ngày …… tháng …… năm ……", filled.place));
    let right = |ws: &mut Worksheet, r: u32, s: &str, f: &Format| -> Result<(), StatError> {
        if first < last {
            ws.merge_range(r, first, r, last, s, f)?;
        } else {
            ws.write_string_with_format(r, first, s, f)?;
        }
        Ok(())
    };
    right(ws, y, &place, &italic)?;
    right(ws, y + 1, "THỦ TRƯỞNG ĐƠN VỊ", &bold)?;
    right(ws, y + 2, "(Ký, họ tên, đóng dấu)", &italic)?;
    Ok(())
}
