//! Review tables and review reports (issue 12). The dashboard's tables as XLSX ([`tables_xlsx`]):
//! each on its own sheet under a title, with counts as numbers, shares as formulas (so a reader
//! who corrects a count sees the share follow) and a total row whose counts are SUM formulas;
//! values are stored beside every formula, so a reader that does not recalculate still shows
//! them. And the review report (sơ kết, tổng kết: [`doc::ReviewDoc`]) made of the same tables,
//! narrative and charts, as PDF, DOCX and XLSX. Labels arrive translated.

mod chart;
pub mod doc;
mod docx;
mod pdf;
mod raster;
pub mod sample;
mod xlsx;

pub use doc::{Block, Chart, Format, ReviewDoc};
pub use docx::review_docx;
pub use pdf::review_pdf;
pub use xlsx::{review_xlsx, tables_xlsx};

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

/// The numbers of column `col` for each line: counts and values as given, shares computed as
/// 100 × part / whole (None when the whole is 0), None for labels and blanks. The one reading of
/// a table's numbers that the charts and the PDF and DOCX cells share, so they cannot disagree.
pub fn column_values(t: &TableSheet, col: usize) -> Vec<Option<f64>> {
    t.lines.iter().map(|l| line_value(&t.cols, l, col)).collect()
}

fn line_value(cols: &[Col], line: &[Cell], col: usize) -> Option<f64> {
    match cols.get(col)? {
        Col::Label => None,
        Col::Share { part, whole } => share_of(number(line.get(*part))?, number(line.get(*whole))?),
        Col::Count | Col::Value { .. } => number(line.get(col)),
    }
}

fn number(c: Option<&Cell>) -> Option<f64> {
    match c? {
        Cell::Int(n) => Some(*n as f64),
        Cell::Num(v) => *v,
        Cell::Text(_) => None,
    }
}

fn share_of(part: f64, whole: f64) -> Option<f64> {
    (whole != 0.0).then(|| 100.0 * part / whole)
}

/// The total row's numbers: sums of the Count columns, shares recomputed from those sums, and
/// the Value columns' cells as given (in order, as the XLSX writes them); None for the label.
pub(crate) fn total_values(t: &TableSheet) -> Option<Vec<Option<f64>>> {
    let (_, given) = t.total.as_ref()?;
    let sum = |c: usize| -> f64 { t.lines.iter().filter_map(|l| number(l.get(c))).sum() };
    let mut given = given.iter();
    let vals = t.cols.iter().enumerate().map(|(c, col)| match *col {
        Col::Label => None,
        Col::Count => Some(sum(c)),
        Col::Share { part, whole } => share_of(sum(part), sum(whole)),
        Col::Value { .. } => number(given.next()),
    });
    Some(vals.collect())
}

/// 1234 → "1.234"; -5 → "-5" (Vietnamese thousands separator).
pub(crate) fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// 87.5 → "87,5" with `decimals` decimals (at most 3), "." between thousands.
pub(crate) fn format_dec(v: f64, decimals: u8) -> String {
    let d = decimals.min(3) as usize;
    let s = format!("{:.*}", d, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = format_int(int.parse().unwrap_or(0));
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    if d > 0 {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A number as the column prints it: counts whole, shares with one decimal, values with theirs.
pub(crate) fn format_value(col: Col, v: Option<f64>) -> String {
    match (col, v) {
        (_, None) | (Col::Label, _) => String::new(),
        (Col::Count, Some(v)) => format_int(v.round() as i64),
        (Col::Share { .. }, Some(v)) => format_dec(v, 1),
        (Col::Value { decimals }, Some(v)) => format_dec(v, decimals),
    }
}

/// The text of every cell as printed in the PDF and DOCX: the lines, then the total row.
pub(crate) fn printed(t: &TableSheet) -> (Vec<Vec<String>>, Option<Vec<String>>) {
    let text = |c: usize, v: Option<f64>, label: &str| match t.cols[c] {
        Col::Label => label.to_string(),
        col => format_value(col, v),
    };
    let lines = t
        .lines
        .iter()
        .map(|l| {
            (0..t.cols.len())
                .map(|c| {
                    match (t.cols[c], l.get(c)) {
                        (Col::Label, Some(Cell::Text(s))) => s.clone(),
                        // A whole number in a column of values (a count among rates) stays whole,
                        // as the XLSX writes it.
                        (Col::Value { .. }, Some(Cell::Int(n))) => format_int(*n),
                        _ => text(c, line_value(&t.cols, l, c), ""),
                    }
                })
                .collect()
        })
        .collect();
    let total = t
        .total
        .as_ref()
        .zip(total_values(t))
        .map(|((label, _), vals)| vals.into_iter().enumerate().map(|(c, v)| text(c, v, label)).collect());
    (lines, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> TableSheet {
        TableSheet {
            name: "x".into(),
            title: vec![],
            headings: vec!["Đơn vị".into(), "Tiếp nhận".into(), "Đã trả lời".into(), "Tỷ lệ (%)".into(), "Số ngày".into()],
            cols: vec![Col::Label, Col::Count, Col::Count, Col::Share { part: 2, whole: 1 }, Col::Value { decimals: 1 }],
            lines: vec![
                vec![Cell::Text("A".into()), Cell::Int(1200), Cell::Int(1050), Cell::Num(None), Cell::Num(Some(3.26))],
                vec![Cell::Text("B".into()), Cell::Int(0), Cell::Int(0), Cell::Num(None), Cell::Num(None)],
                vec![Cell::Text("C".into()), Cell::Int(34), Cell::Int(17), Cell::Num(None), Cell::Num(Some(4.0))],
            ],
            total: Some(("Tổng cộng".into(), vec![Cell::Num(Some(3.5))])),
        }
    }

    #[test]
    fn column_values_compute_shares_and_leave_a_zero_whole_blank() {
        let t = t();
        assert_eq!(column_values(&t, 1), vec![Some(1200.0), Some(0.0), Some(34.0)]);
        assert_eq!(column_values(&t, 3), vec![Some(87.5), None, Some(50.0)]);
        assert_eq!(column_values(&t, 4), vec![Some(3.26), None, Some(4.0)]);
        assert_eq!(column_values(&t, 0), vec![None, None, None]);
        assert_eq!(column_values(&t, 9), vec![None, None, None]);
    }

    #[test]
    fn printed_cells_use_vietnamese_separators_and_the_total_recomputes_shares() {
        let (lines, total) = printed(&t());
        assert_eq!(lines[0], ["A", "1.200", "1.050", "87,5", "3,3"]);
        assert_eq!(lines[1], ["B", "0", "0", "", ""]);
        let total = total.expect("a total row");
        assert_eq!(total, ["Tổng cộng", "1.234", "1.067", "86,5", "3,5"]);
        assert_eq!(format_int(-1_234_567), "-1.234.567");
        assert_eq!(format_dec(1234.56, 1), "1.234,6");
        assert_eq!(format_dec(7.0, 0), "7");
    }
}
