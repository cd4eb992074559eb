//! Tables as XLSX: the dashboard's ([`tables_xlsx`]) and a review report's ([`review_xlsx`],
//! the same sheets plus each chart as a native Excel chart over the cells of its table, so the
//! chart follows when a reader corrects a number).

use super::doc::{Block, ReviewDoc};
use super::{Cell, Col, TableSheet};
use crate::pdf::nfc;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

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

/// Where a table landed on its sheet, for the charts that refer to its cells.
struct Placed {
    sheet: String,
    /// The heading row; the lines are the rows after it.
    head: u32,
    /// The first free row under the table (and its total).
    end: u32,
}

/// The workbook of `sheets`, in order.
pub fn tables_xlsx(sheets: &[TableSheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    write_tables(&mut wb, &sheets.iter().collect::<Vec<_>>())?;
    wb.save_to_buffer()
}

/// Each table on a sheet of its own: the one code path of the dashboard's XLSX and the report's.
fn write_tables(wb: &mut Workbook, sheets: &[&TableSheet]) -> Result<Vec<Placed>, XlsxError> {
    let mut placed = Vec::with_capacity(sheets.len());
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
        taken.push(name.clone());
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
        let head_row = row;
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
        placed.push(Placed { sheet: name, head: head_row, end: row + 1 });
    }
    Ok(placed)
}

/// The tables of the report, one sheet each as [`tables_xlsx`] writes them, and each chart as a
/// native Excel chart (columns, or bars when horizontal) over its table's cells, under the table.
pub fn review_xlsx(d: &ReviewDoc) -> Result<Vec<u8>, XlsxError> {
    let tables: Vec<&TableSheet> = d.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    let mut wb = Workbook::new();
    let mut placed = write_tables(&mut wb, &tables)?;
    for chart in d.blocks.iter().filter_map(|b| if let Block::Chart(c) = b { Some(c) } else { None }) {
        let (Some(t), Some(at)) = (tables.get(chart.table), placed.get_mut(chart.table)) else { continue };
        let Some((c, rows)) = excel_chart(chart, t, at) else { continue };
        let ws = wb.worksheet_from_index(chart.table)?;
        let row = at.end + 1;
        ws.insert_chart(row, 0, &c)?;
        // The next chart of the same table goes under this one (rows of 20 px).
        at.end = row + rows;
    }
    wb.save_to_buffer()
}

/// Series colours: the product's blue, red and green, then greys.
const SERIES: [&str; 5] = ["#0B5CAD", "#C8102E", "#2E7D32", "#777777", "#AAAAAA"];

fn excel_chart(chart: &super::doc::Chart, t: &TableSheet, at: &Placed) -> Option<(rust_xlsxwriter::Chart, u32)> {
    use rust_xlsxwriter::{ChartFormat, ChartSolidFill};
    let columns: Vec<usize> = chart.columns.iter().copied().filter(|&c| c > 0 && c < t.cols.len()).collect();
    if columns.is_empty() || t.lines.is_empty() {
        return None;
    }
    let mut c = if chart.horizontal { rust_xlsxwriter::Chart::new_bar() } else { rust_xlsxwriter::Chart::new_column() };
    let (first, last) = (at.head + 1, at.head + t.lines.len() as u32);
    let sheet = at.sheet.as_str();
    for (k, &col) in columns.iter().enumerate() {
        let col16 = col as u16;
        c.add_series()
            .set_name((sheet, at.head, col16))
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, col16, last, col16))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(SERIES[k % SERIES.len()])));
    }
    c.title().set_name(&nfc(&chart.title));
    let percent = chart.percent || columns.iter().any(|&col| matches!(t.cols[col], Col::Share { .. }));
    // A bar chart's value axis is its x axis; and Excel draws a bar chart's first category at
    // the bottom, so the category axis is reversed to read in the table's order.
    if chart.horizontal {
        c.y_axis().set_reverse();
    }
    let values = if chart.horizontal { c.x_axis() } else { c.y_axis() };
    values.set_min(0);
    if percent {
        values.set_max(100).set_major_unit(20);
    }
    let height = if chart.horizontal { (60 + 28 * t.lines.len() as u32).max(400) } else { 400 };
    c.set_width(720).set_height(height);
    Some((c, height / 20 + 1))
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
