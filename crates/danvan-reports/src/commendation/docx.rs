//! The decision as a Word document (WordprocessingML, written by hand into a zip): the same
//! layout as the PDF, for the office to edit before signing — header as a borderless two-column
//! table, bold/italic runs, justified body, a page break and a real table for the annex (its
//! header row repeated on each page). Fonts: Times New Roman (Word's and LibreOffice's own; the
//! document does not embed it).

use super::{format_dong, place_and_date, short_date, DecisionDoc, DocError};
use crate::docx::{self, cell, p, r, row, rule, table, B14, I14, N14, R};

fn header(d: &DecisionDoc, with_number: bool) -> String {
    let number = format!("Số: {}", d.number);
    let date = place_and_date(&d.place, d.date);
    docx::header(false, &d.parent_body, &d.issuing_body, with_number.then_some((number.as_str(), date.as_str())))
}

fn body(d: &DecisionDoc) -> String {
    let mut x = header(d, true);
    x.push_str(&p("center", 0, 0, &[]));
    x.push_str(&p("center", 0, 0, &[r(B14, "QUYẾT ĐỊNH")]));
    x.push_str(&p("center", 0, 0, &[r(B14, &d.subject)]));
    x.push_str(&rule(3400));
    x.push_str(&p("center", 0, 120, &[r(B14, &d.authority)]));
    let it = I14;
    for b in &d.legal_bases {
        x.push_str(&p("both", 567, 60, &[r(it, b)]));
    }
    x.push_str(&p("center", 0, 120, &[r(B14, "QUYẾT ĐỊNH:")]));
    for (i, a) in d.articles.iter().enumerate() {
        let mut lead = format!("Điều {}.", i + 1);
        if let Some(h) = &a.heading {
            lead = format!("{lead} {h}");
        }
        let mut runs = vec![r(B14, &lead)];
        if a.heading.is_none() {
            if let Some(first) = a.paragraphs.first() {
                runs.push(r(N14, &format!(" {first}")));
            }
        }
        x.push_str(&p("both", 567, 60, &runs));
        for para in a.paragraphs.iter().skip(usize::from(a.heading.is_none())) {
            x.push_str(&p("both", 567, 60, &[r(N14, para)]));
        }
    }
    x.push_str(&docx::signature(&d.signature, &d.recipients));
    if !d.annex.is_empty() {
        x.push_str(docx::PAGE_BREAK);
        x.push_str(&header(d, false));
        x.push_str(&p("center", 0, 0, &[]));
        x.push_str(&p("center", 0, 0, &[r(B14, &d.annex.title)]));
        let basis = format!("(Kèm theo Quyết định số {} ngày {} của {})", d.number, short_date(d.date), d.annex.issued_by);
        x.push_str(&p("center", 0, 0, &[r(it, &basis)]));
        x.push_str(&rule(3400));
        x.push_str(&annex_table(d));
    }
    x
}

fn annex_table(d: &DecisionDoc) -> String {
    let widths = [680u32, 2608, 3062, 1588, 1417];
    let b12 = R { bold: true, italic: false, size: 24 };
    let n12 = R { bold: false, italic: false, size: 24 };
    let c = |w: u32, jc: &str, f: R, t: &str, span: u32| cell(w, &p(jc, 0, 0, &[r(f, t)]), span);
    let heads = ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hình thức", "Số tiền (đồng)"];
    let mut rows = vec![row(&widths.iter().zip(heads).map(|(w, h)| c(*w, "center", b12, h, 1)).collect::<Vec<_>>(), true)];
    let all: u32 = widths.iter().sum();
    for (heading, entries) in d.annex.sections() {
        rows.push(row(&[c(all, "left", b12, heading, 5)], false));
        for (i, e) in entries.iter().enumerate() {
            rows.push(row(
                &[
                    c(widths[0], "center", n12, &(i + 1).to_string(), 1),
                    c(widths[1], "left", n12, &e.name, 1),
                    c(widths[2], "left", n12, &e.position_unit, 1),
                    c(widths[3], "center", n12, &e.award, 1),
                    c(widths[4], "right", n12, &format_dong(e.amount_dong), 1),
                ],
                false,
            ));
        }
    }
    rows.push(row(
        &[c(all - widths[4], "center", b12, "Tổng cộng", 4), c(widths[4], "right", b12, &format_dong(d.annex.total_dong()), 1)],
        false,
    ));
    table(&widths, true, &rows)
}

/// The decision as DOCX (A4, margins of Decree 30/2020, Times New Roman 14 pt).
pub fn decision_docx(d: &DecisionDoc) -> Result<Vec<u8>, DocError> {
    docx::package(&format!("Quyết định số {}", d.number), &body(d), &[])
}
