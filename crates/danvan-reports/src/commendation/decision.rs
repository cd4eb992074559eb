//! The decision as PDF (Decree 30/2020/NĐ-CP, Appendix I and the layout of a decision in its
//! Appendix III form 01/QĐ... as practised): header, subject, authority, bases, articles,
//! signature and recipients, then the annexed list on its own page.

use super::layout::{cell, centered_block, width_of, Align, Cell, Flow, Table, LEFT, RIGHT, WIDTH};
use super::{format_dong, place_and_date, short_date, DecisionDoc};
use crate::pdf::{run, wrap, Style, MM};

/// Centre of the left header column (issuing body, number) and its width.
const L_CX: f32 = LEFT + 33.0 * MM;
const L_W: f32 = 70.0 * MM;
/// Centre of the right header column (national name, motto, place and date) and its width.
const R_CX: f32 = LEFT + 116.0 * MM;
const R_W: f32 = 98.0 * MM;
const BODY: f32 = 14.0;

/// The two header blocks; `number` adds the "Số:" line and the place and date beside it.
fn header(f: &mut Flow, d: &DecisionDoc, with_number: bool) {
    let top = f.y;
    // Left: parent body (regular) and issuing body (bold), 13 pt capitals, a rule under it.
    let mut ly = top;
    if !d.parent_body.trim().is_empty() {
        ly = centered_block(&mut f.c, L_CX, L_W, ly, Style::Regular, 13.0, &d.parent_body).0;
    }
    let (ly2, body_w) = centered_block(&mut f.c, L_CX, L_W, ly, Style::Bold, 13.0, &d.issuing_body);
    f.c.line(L_CX - body_w / 6.0, ly2 + 1.5, L_CX + body_w / 6.0, ly2 + 1.5, 0.6);
    // Right: national name (12 pt bold capitals) and motto (13 pt bold) with a rule its length.
    let nat = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    let ry = centered_block(&mut f.c, R_CX, R_W, top, Style::Bold, 12.0, nat).0;
    let motto = "Độc lập - Tự do - Hạnh phúc";
    let (ry2, mw) = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, 13.0, motto);
    f.c.line(R_CX - mw / 2.0, ry2 + 1.5, R_CX + mw / 2.0, ry2 + 1.5, 0.6);
    let mut y = ly2.max(ry2) + 8.0;
    if with_number {
        let number = format!("Số: {}", d.number);
        centered_block(&mut f.c, L_CX, L_W, y, Style::Regular, 13.0, &number);
        let pd = place_and_date(&d.place, d.date);
        y = centered_block(&mut f.c, R_CX, R_W, y, Style::Italic, 13.0, &pd).0;
    }
    f.y = y;
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
    signature_block(&mut f, d);
    if !d.annex.is_empty() {
        annex(&mut f, d);
    }
    f.c.finish()
}

fn signature_block(f: &mut Flow, d: &DecisionDoc) {
    let s = &d.signature;
    let recip_lines = d.recipients.len() as f32 * 11.0 * 1.2 + 20.0;
    let sign_h = 3.0 * 14.0 * 1.2 + 30.0 * MM;
    f.y += 6.0;
    f.ensure(recip_lines.max(sign_h));
    let top = f.y;
    // Left: "Nơi nhận:" 12 pt bold italic, each recipient 11 pt after "- ".
    let mut y = top + 12.0 * 0.9;
    f.c.text(LEFT, y, Style::BoldItalic, 12.0, "Nơi nhận:");
    let n = d.recipients.len();
    for (i, r) in d.recipients.iter().enumerate() {
        let mut item = r.trim().trim_end_matches([';', '.']).to_string();
        item.push(if i + 1 == n { '.' } else { ';' });
        for (k, line) in crate::pdf::wrap_plain(Style::Regular, 11.0, &format!("- {item}"), 66.0 * MM).iter().enumerate() {
            y += 11.0 * 1.2;
            let x = if k == 0 { LEFT } else { LEFT + 2.5 * MM };
            f.c.text(x, y, Style::Regular, 11.0, line);
        }
    }
    let left_end = y + 6.0;
    // Right: authority, title (bold capitals), room for the signature and seal, the name (bold).
    let mut ry = top;
    if let Some(b) = &s.on_behalf {
        ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, b).0;
    }
    ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, &s.title).0;
    ry += 28.0 * MM;
    ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, &s.name).0;
    f.y = left_end.max(ry);
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
