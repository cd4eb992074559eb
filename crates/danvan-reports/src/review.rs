//! Review tables as XLSX (issue 12): the dashboard's tables — and, later, a review report's —
//! each on its own sheet under a title, with counts as numbers, shares as formulas on their own
//! row (so a reader who corrects a count sees the share follow) and a total row whose counts are
//! SUM formulas. Values are stored beside every formula, so a reader that does not recalculate
//! still shows them. Labels arrive translated.

use crate::pdf::nfc;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Col {
    /// The row's label (first column).
    Label,
    /// A count: a whole number, summed in the total row.
    Count,
    /// 100 × column `part` / column `whole` (indices of Count columns), as a formula, blank when
    /// the whole is 0; the total row's is the same formula over the totals.
    Share { part: usize, whole: usize },
    /// A value that does not add up (a median, a mean rating), with its decimals; the total row
    /// takes the value given for it.
    Value { decimals: u8 },
}

/// A cell of a line: its label or number (None: blank, for a value that has no denominator).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(Option<f64>),
}

/// One table: a sheet.
#[derive(Debug, Clone)]
pub struct TableSheet {
    /// The sheet's tab name (cut to Excel's 31 characters, without []:*?/\).
    pub name: String,
    /// Above the table: the report's title, the unit and the period.
    pub title: Vec<String>,
    pub headings: Vec<String>,
    pub cols: Vec<Col>,
    pub lines: Vec<Vec<Cell>>,
    /// The total row: its label and the cells of its Value columns (the others are formulas).
    pub total: Option<(String, Vec<Cell>)>,
}

const MAX_SHEET_NAME: usize = 31;

fn sheet_name(s: &str, taken: &[String]) -> String {
    let clean: String = s.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(MAX_SHEET_NAME - 3).collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        name = format!("{clean} {n}");
        n += 1;
    }
    if name.trim().is_empty() {
        format!("Bảng {}", taken.len() + 1)
    } else {
        name
    }
}

fn base() -> Format {
    Format::new().set_font_name("Times New Roman").set_font_size(12)
}

/// The workbook of `sheets`, in order.
pub fn tables_xlsx(sheets: &[TableSheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let mut taken: Vec<String> = vec![];
    let cell_fmt = base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let head = cell_fmt.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center);
    let label = cell_fmt.clone().set_text_wrap();
    let int = cell_fmt.clone().set_num_format("#,##0");
    let pct = cell_fmt.clone().set_num_format("0.0");
    let total_label = label.clone().set_bold();
    let total_int = int.clone().set_bold();
    let total_pct = pct.clone().set_bold();
    for s in sheets {
        let ws = wb.add_worksheet();
        let name = sheet_name(&nfc(&s.name), &taken);
        ws.set_name(&name)?;
        taken.push(name);
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_column_width(0, 42)?;
        for c in 1..s.cols.len() as u16 {
            ws.set_column_width(c, 14)?;
        }
        let mut row = 0u32;
        for (i, t) in s.title.iter().enumerate() {
            let f = if i == 0 { base().set_bold().set_font_size(14) } else { base().set_italic() };
            ws.write_string_with_format(row, 0, nfc(t), &f)?;
            row += 1;
        }
        row += 1;
        for (c, h) in s.headings.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, nfc(h), &head)?;
        }
        ws.set_freeze_panes(row + 1, 1)?;
        let first = row + 1;
        for line in &s.lines {
            row += 1;
            write_line(ws, row, &s.cols, line, (&label, &int, &pct))?;
        }
        let last = row;
        if let Some((text, values)) = &s.total {
            row += 1;
            ws.write_string_with_format(row, 0, nfc(text), &total_label)?;
            let mut value_cells = values.iter();
            for (c, col) in s.cols.iter().enumerate().skip(1) {
                let c16 = c as u16;
                match *col {
                    Col::Count => {
                        let sum: i64 = s.lines.iter().map(|l| as_int(l.get(c))).sum();
                        let f = if s.lines.is_empty() {
                            Formula::new("=0")
                        } else {
                            Formula::new(format!("=SUM({}:{})", row_col_to_cell(first, c16), row_col_to_cell(last, c16)))
                        };
                        ws.write_formula_with_format(row, c16, f.set_result(sum.to_string()), &total_int)?;
                    }
                    Col::Share { part, whole } => {
                        let sums = |k: usize| s.lines.iter().map(|l| as_int(l.get(k))).sum::<i64>();
                        share(ws, row, c16, part, whole, (sums(part), sums(whole)), &total_pct)?;
                    }
                    Col::Value { decimals } => {
                        if let Some(Cell::Num(Some(v))) = value_cells.next() {
                            ws.write_number_with_format(row, c16, *v, &decimals_fmt(&total_int, decimals))?;
                        } else {
                            ws.write_blank(row, c16, &total_pct)?;
                        }
                    }
                    Col::Label => {}
                }
            }
        }
    }
    wb.save_to_buffer()
}

/// `f` showing `decimals` decimals (at most 3).
fn decimals_fmt(f: &Format, decimals: u8) -> Format {
    let pattern = match decimals.min(3) {
        0 => "#,##0".to_string(),
        n => format!("#,##0.{}", "0".repeat(n as usize)),
    };
    f.clone().set_num_format(pattern)
}

fn as_int(c: Option<&Cell>) -> i64 {
    match c {
        Some(Cell::Int(n)) => *n,
        _ => 0,
    }
}

/// 100 × part / whole as a formula on `row`, its value stored; blank when the whole is 0.
fn share(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    part: usize,
    whole: usize,
    (p, w): (i64, i64),
    fmt: &Format,
) -> Result<(), XlsxError> {
    let (pc, wc) = (row_col_to_cell(row, part as u16), row_col_to_cell(row, whole as u16));
    let value = if w > 0 { format!("{}", 100.0 * p as f64 / w as f64) } else { String::new() };
    let f = Formula::new(format!("=IF({wc}>0,100*{pc}/{wc},\"\")")).set_result(value);
    ws.write_formula_with_format(row, col, f, fmt)?;
    Ok(())
}

fn write_line(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    cols: &[Col],
    line: &[Cell],
    (label, int, pct): (&Format, &Format, &Format),
) -> Result<(), XlsxError> {
    for (c, col) in cols.iter().enumerate() {
        let c16 = c as u16;
        match (*col, line.get(c)) {
            (Col::Share { part, whole }, _) => {
                share(ws, row, c16, part, whole, (as_int(line.get(part)), as_int(line.get(whole))), pct)?;
            }
            (_, Some(Cell::Text(t))) => {
                ws.write_string_with_format(row, c16, nfc(t), label)?;
            }
            (_, Some(Cell::Int(n))) => {
                ws.write_number_with_format(row, c16, *n as f64, int)?;
            }
            (Col::Value { decimals }, Some(Cell::Num(Some(v)))) => {
                ws.write_number_with_format(row, c16, *v, &decimals_fmt(int, decimals))?;
            }
            (_, Some(Cell::Num(Some(v)))) => {
                ws.write_number_with_format(row, c16, *v, pct)?;
            }
            _ => {
                ws.write_blank(row, c16, int)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cut_cleaned_and_unique() {
        let taken = vec!["Theo tháng".to_string()];
        assert_eq!(sheet_name("Theo tháng", &taken), "Theo tháng 2");
        assert_eq!(sheet_name("a/b[c]:d*e?f\\g", &[]), "abcdefg");
        assert!(sheet_name(&"x".repeat(80), &[]).chars().count() <= MAX_SHEET_NAME);
        assert_eq!(sheet_name("[]", &[]), "Bảng 1");
    }
}
