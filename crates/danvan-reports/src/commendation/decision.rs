//! The decision as PDF (Decree 30/2020/NĐ-CP, Appendix I and the layout of a decision in its
//! Appendix III form 01/QĐ... as practised): header, subject, authority, bases, articles,
//! signature and recipients, then the annexed list on its own page.

use super::{format_dong, place_and_date, short_date, DecisionDoc};
use crate::pdf::admin::{self, Header};
use crate::pdf::layout::{cell, width_of, Align, Cell, Flow, Table, LEFT, RIGHT, WIDTH};
use crate::pdf::{run, wrap, Style, MM};

const BODY: f32 = 14.0;

/// The two header blocks; `with_number` adds the "Số:" line and the place and date beside it.
fn header(f: &mut Flow, d: &DecisionDoc, with_number: bool) {
    let number = format!("Số: {}", d.number);
    let date = place_and_date(&d.place, d.date);
    let h = Header {
        party: false,
        parent_body: &d.parent_body,
        issuing_body: &d.issuing_body,
        number_date: with_number.then_some((number.as_str(), date.as_str())),
    };
    admin::header(f, &h);
}

/// The decision, print-ready on A4, with its annex when it has one.
pub fn decision_pdf(d: &DecisionDoc) -> Vec<u8> {
    let mut f = Flow::new(&format!("Quyết định số {}", d.number));
    header(&mut f, d, true);
    let cx = (LEFT + RIGHT) / 2.0;
    f.y += 14.0;
    f.paragraph(&[run(Style::Bold, "QUYẾT ĐỊNH")], BODY, Align::Center, 0.0, 0.0);
    f.paragraph(&[run(Style::Bold, &d.subject)], BODY, Align::Center, 0.0, 0.0);
    let subject_w = wrap(&[run(Style::Bold, &d.subject)], BODY, WIDTH, 0.0).iter().map(|l| l.width(BODY)).fold(0.0, f32::max);
    f.rule(cx, (subject_w / 3.0).max(30.0 * MM));
    f.y += 14.0;
    f.paragraph(&[run(Style::Bold, &d.authority)], BODY, Align::Center, 0.0, 8.0);
    let indent = 10.0 * MM;
    for b in &d.legal_bases {
        f.paragraph(&[run(Style::Italic, b)], BODY, Align::Justify, indent, 4.0);
    }
    f.y += 4.0;
    f.paragraph(&[run(Style::Bold, "QUYẾT ĐỊNH:")], BODY, Align::Center, 0.0, 8.0);
    for (i, a) in d.articles.iter().enumerate() {
        let mut lead = format!("Điều {}.", i + 1);
        if let Some(h) = &a.heading {
            lead.push(' ');
            lead.push_str(h);
        }
        let mut runs = vec![run(Style::Bold, &lead)];
        match a.paragraphs.first() {
            Some(p) if a.heading.is_none() => runs.push(run(Style::Regular, &format!(" {p}"))),
            _ => {}
        }
        f.paragraph(&runs, BODY, Align::Justify, indent, 4.0);
        let skip = usize::from(a.heading.is_none());
        for p in a.paragraphs.iter().skip(skip) {
            f.paragraph(&[run(Style::Regular, p)], BODY, Align::Justify, indent, 4.0);
        }
    }
    admin::signature_block(&mut f, &d.signature, &d.recipients);
    if !d.annex.is_empty() {
        annex(&mut f, d);
    }
    f.c.finish()
}

fn annex(f: &mut Flow, d: &DecisionDoc) {
    f.new_page();
    header(f, d, false);
    f.y += 16.0;
    let cx = (LEFT + RIGHT) / 2.0;
    f.paragraph(&[run(Style::Bold, &d.annex.title)], BODY, Align::Center, 0.0, 0.0);
    let basis = format!("(Kèm theo Quyết định số {} ngày {} của {})", d.number, short_date(d.date), d.annex.issued_by);
    f.paragraph(&[run(Style::Italic, &basis)], BODY, Align::Center, 0.0, 0.0);
    f.rule(cx, width_of(Style::Bold, BODY, "DANH SÁCH") * 1.5);
    f.y += 12.0;
    let size = 12.0;
    let t = Table {
        widths: [12.0, 46.0, 54.0, 28.0, 25.0].map(|w| w * MM).to_vec(),
        header: ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hình thức", "Số tiền (đồng)"]
            .map(|h| cell(Style::Bold, h, Align::Center))
            .into_iter()
            .collect(),
        size,
    };
    let mut rows: Vec<(Vec<Cell>, Vec<usize>)> = Vec::new();
    for (heading, entries) in d.annex.sections() {
        rows.push((vec![cell(Style::Bold, heading, Align::Left)], vec![5]));
        for (i, e) in entries.iter().enumerate() {
            let mut amount = cell(Style::Regular, &format_dong(e.amount_dong), Align::Left);
            amount.right = true;
            rows.push((
                vec![
                    cell(Style::Regular, &(i + 1).to_string(), Align::Center),
                    cell(Style::Regular, &e.name, Align::Left),
                    cell(Style::Regular, &e.position_unit, Align::Left),
                    cell(Style::Regular, &e.award, Align::Center),
                    amount,
                ],
                vec![1; 5],
            ));
        }
    }
    let mut total = cell(Style::Bold, &format_dong(d.annex.total_dong()), Align::Left);
    total.right = true;
    rows.push((vec![cell(Style::Bold, "Tổng cộng", Align::Center), total], vec![4, 1]));
    t.draw(f, &rows);
}
