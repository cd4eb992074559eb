//! The review report as PDF: the header of the issuing body in the State's or the Party's format,
//! the title, the blocks in order (headings, justified narrative, ruled tables repeating their
//! header row, vector charts), then the signature block and "Nơi nhận" as the decision has them.

use super::chart::{self, Item};
use super::doc::{Block, Chart, Format, ReviewDoc};
use super::{printed, Col, TableSheet};
use crate::pdf::admin::{self, Header, CX};
use crate::pdf::layout::{cell, width_of, Align, Cell, Flow, Table, LEADING, LEFT, RIGHT, WIDTH};
use crate::pdf::{run, wrap, Style, MM};

const BODY: f32 = 14.0;
const TABLE: f32 = 11.5;
const INDENT: f32 = 10.0 * MM;

/// The report, print-ready on A4.
pub fn review_pdf(d: &ReviewDoc) -> Vec<u8> {
    let mut f = Flow::new(&format!("{} {}", d.doc_type, d.subject));
    title_part(&mut f, d);
    let tables: Vec<&TableSheet> = d.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    for b in &d.blocks {
        match b {
            Block::Heading(h) => {
                f.ensure(BODY * LEADING * 3.0);
                f.y += 4.0;
                f.paragraph(&[run(Style::Bold, &h.to_uppercase())], BODY, Align::Justify, INDENT, 4.0);
            }
            Block::Subheading(h) => {
                f.ensure(BODY * LEADING * 3.0);
                f.paragraph(&[run(Style::Bold, h)], BODY, Align::Justify, INDENT, 4.0);
            }
            Block::Text(t) => {
                for line in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    f.paragraph(&[run(Style::Regular, line)], BODY, Align::Justify, INDENT, 4.0);
                }
            }
            Block::Placeholder(t) => f.paragraph(&[run(Style::Italic, t)], BODY, Align::Justify, INDENT, 4.0),
            Block::Table(t) => table(&mut f, t),
            Block::Chart(c) => {
                if let Some(t) = tables.get(c.table) {
                    chart_block(&mut f, c, t);
                }
            }
        }
    }
    admin::signature_block(&mut f, &d.signature, &d.recipients);
    f.c.finish()
}

/// The draft mark, the header, the document type and the subject with its rule.
fn title_part(f: &mut Flow, d: &ReviewDoc) {
    if let Some(mark) = &d.draft_mark {
        // In the top margin of the first page (page numbers start on page 2), right-aligned.
        let m = crate::pdf::nfc(mark);
        let w = width_of(Style::BoldItalic, 11.0, &m);
        f.c.text(RIGHT - w, 12.0 * MM, Style::BoldItalic, 11.0, &m);
    }
    let party = d.format == Format::Party;
    let h = Header {
        party,
        parent_body: &d.parent_body,
        issuing_body: &d.issuing_body,
        number_date: Some((&d.number, &d.place_date)),
    };
    admin::header(f, &h);
    f.y += 14.0;
    f.paragraph(&[run(Style::Bold, &d.doc_type)], 15.0, Align::Center, 0.0, 0.0);
    f.paragraph(&[run(Style::Bold, &d.subject)], BODY, Align::Center, 0.0, 0.0);
    if party {
        f.paragraph(&[run(Style::Regular, "-----")], BODY, Align::Center, 0.0, 0.0);
    } else {
        let w = wrap(&[run(Style::Bold, &d.subject)], BODY, WIDTH, 0.0).iter().map(|l| l.width(BODY)).fold(0.0, f32::max);
        f.rule(CX, (w / 3.0).max(30.0 * MM));
        f.y += 6.0;
    }
    f.y += 12.0;
}

/// Column widths: the numbers share what the label column (at least 60 mm) leaves, 30 mm at most.
fn widths(cols: &[Col]) -> Vec<f32> {
    let n = cols.len().saturating_sub(1).max(1) as f32;
    let num = ((WIDTH - 60.0 * MM) / n).min(30.0 * MM);
    let mut w = vec![num; cols.len()];
    if let Some(first) = w.first_mut() {
        *first = WIDTH - num * (cols.len() as f32 - 1.0);
    }
    w
}

fn table(f: &mut Flow, t: &TableSheet) {
    if t.cols.is_empty() {
        return;
    }
    let t_widths = widths(&t.cols);
    let header: Vec<Cell> =
        (0..t.cols.len()).map(|c| cell(Style::Bold, t.headings.get(c).map_or("", String::as_str), Align::Center)).collect();
    // The caption keeps with the table's header and first lines.
    f.ensure(13.0 * LEADING * 2.0 + 4.0 * TABLE * LEADING + 20.0);
    if let Some(caption) = t.title.first() {
        f.y += 4.0;
        f.paragraph(&[run(Style::Bold, caption)], 13.0, Align::Center, 0.0, 4.0);
    }
    let (lines, total) = printed(t);
    let row = |texts: &[String], style: Style| -> (Vec<Cell>, Vec<usize>) {
        let cells = texts
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let mut k = cell(style, s, Align::Left);
                k.right = c > 0 && t.cols[c] != Col::Label;
                k
            })
            .collect::<Vec<_>>();
        let spans = vec![1; cells.len()];
        (cells, spans)
    };
    let mut rows: Vec<(Vec<Cell>, Vec<usize>)> = lines.iter().map(|l| row(l, Style::Regular)).collect();
    if let Some(total) = &total {
        rows.push(row(total, Style::Bold));
    }
    Table { widths: t_widths, header, size: TABLE }.draw(f, &rows);
    f.y += 8.0;
}

/// The chart, centred, with its caption in italics under it; kept together on one page.
fn chart_block(f: &mut Flow, c: &Chart, t: &TableSheet) {
    let l = chart::layout(c, t);
    let caption = wrap(&[run(Style::Italic, &c.title)], 13.0, WIDTH, 0.0);
    f.ensure(l.height + caption.len() as f32 * 13.0 * LEADING + 12.0);
    let (ox, oy) = (LEFT + (WIDTH - l.width) / 2.0, f.y + 4.0);
    for item in &l.items {
        match item {
            Item::Rect { x, y, w, h, rgb } => f.c.fill_rect(ox + x, oy + y, *w, *h, *rgb),
            Item::Line { from, to, width, rgb } => {
                f.c.line_rgb((ox + from.0, oy + from.1), (ox + to.0, oy + to.1), *width, *rgb);
            }
            Item::Text { x, y, style, size, text, rgb } => f.c.text_rgb((ox + x, oy + y), *style, *size, text, *rgb),
        }
    }
    f.y = oy + l.height + 4.0;
    f.paragraph(&[run(Style::Italic, &c.title)], 13.0, Align::Center, 0.0, 10.0);
}
