//! The review report as a Word document, for the drafting office to edit: the same header and
//! signature block as the decision, parts and sub-parts in real heading styles (Word's navigation
//! pane and table of contents find them), real tables repeating their header row, and each chart
//! as a PNG drawn from the same geometry as the PDF's, inline in its own paragraph.

use super::chart;
use super::doc::{Block, Chart, Format, ReviewDoc};
use super::{printed, raster, Col, TableSheet};
use crate::commendation::DocError;
use crate::docx::{self, cell, esc, image_rel_id, p, p_styled, r, row, rule, table, B14, I14, N14, R};

/// EMU (the unit of DrawingML sizes) per point.
const EMU_PER_PT: f32 = 12_700.0;
/// The PNG's width in pixels (about 250 dpi at 16 cm: crisp in print and on screen).
const PNG_W: u32 = 1600;

/// The report as DOCX (A4, margins of Decree 30/2020, Times New Roman 14 pt).
pub fn review_docx(d: &ReviewDoc) -> Result<Vec<u8>, DocError> {
    let party = d.format == Format::Party;
    let mut x = String::new();
    if let Some(mark) = &d.draft_mark {
        x.push_str(&p("right", 0, 60, &[r(R { bold: true, italic: true, size: 22 }, mark)]));
    }
    x.push_str(&docx::header(party, &d.parent_body, &d.issuing_body, Some((&d.number, &d.place_date))));
    x.push_str(&p("center", 0, 0, &[]));
    x.push_str(&p("center", 0, 0, &[r(R { bold: true, italic: false, size: 30 }, &d.doc_type)]));
    x.push_str(&p("center", 0, 0, &[r(B14, &d.subject)]));
    if party {
        x.push_str(&p("center", 0, 120, &[r(N14, "-----")]));
    } else {
        x.push_str(&rule(3400));
    }
    let tables: Vec<&TableSheet> = d.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    let mut images: Vec<Vec<u8>> = Vec::new();
    for b in &d.blocks {
        match b {
            Block::Heading(h) => x.push_str(&p_styled("Heading1", &[r(B14, &h.to_uppercase())])),
            Block::Subheading(h) => x.push_str(&p_styled("Heading2", &[r(B14, h)])),
            Block::Text(t) => {
                for line in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    x.push_str(&p("both", 567, 60, &[r(N14, line)]));
                }
            }
            Block::Placeholder(t) => x.push_str(&p("both", 567, 60, &[r(I14, t)])),
            Block::Table(t) => x.push_str(&table_xml(t)),
            Block::Chart(c) => {
                if let Some(t) = tables.get(c.table) {
                    x.push_str(&chart_xml(c, t, &mut images));
                }
            }
        }
    }
    x.push_str(&docx::signature(&d.signature, &d.recipients));
    docx::package(&format!("{} {}", d.doc_type, d.subject), &x, &images)
}

/// Column widths in twips over the text width: the label column gets what the numbers (at most
/// 30 mm each) leave, and at least 60 mm.
fn widths(cols: &[Col]) -> Vec<u32> {
    let n = cols.len().saturating_sub(1).max(1) as u32;
    let num = ((docx::TEXT_W - 3402) / n).min(1701);
    let mut w = vec![num; cols.len()];
    if let Some(first) = w.first_mut() {
        *first = docx::TEXT_W - num * (cols.len() as u32).saturating_sub(1);
    }
    w
}

fn table_xml(t: &TableSheet) -> String {
    if t.cols.is_empty() {
        return String::new();
    }
    let mut x = String::new();
    if let Some(caption) = t.title.first() {
        x.push_str(&p_styled("Caption", &[r(R { bold: true, italic: false, size: 26 }, caption)]));
    }
    let w = widths(&t.cols);
    let b12 = R { bold: true, italic: false, size: 23 };
    let n12 = R { bold: false, italic: false, size: 23 };
    let c = |col: usize, f: R, text: &str, head: bool| {
        let jc = if head {
            "center"
        } else if col > 0 && t.cols[col] != Col::Label {
            "right"
        } else {
            "left"
        };
        cell(w[col], &p(jc, 0, 0, &[r(f, text)]), 1)
    };
    let heads: Vec<String> = (0..t.cols.len()).map(|k| c(k, b12, t.headings.get(k).map_or("", String::as_str), true)).collect();
    let mut rows = vec![row(&heads, true)];
    let (lines, total) = printed(t);
    for l in &lines {
        rows.push(row(&l.iter().enumerate().map(|(k, s)| c(k, n12, s, false)).collect::<Vec<_>>(), false));
    }
    if let Some(total) = &total {
        rows.push(row(&total.iter().enumerate().map(|(k, s)| c(k, b12, s, false)).collect::<Vec<_>>(), false));
    }
    x.push_str(&table(&w, true, &rows));
    x.push_str(&p("left", 0, 120, &[]));
    x
}

/// The chart as an inline picture in a centred paragraph (kept with its caption), the caption in
/// italics under it; its PNG is appended to `images`.
fn chart_xml(c: &Chart, t: &TableSheet, images: &mut Vec<Vec<u8>>) -> String {
    let l = chart::layout(c, t);
    images.push(raster::png(&raster::render(&l, PNG_W)));
    let n = images.len();
    let (cx, cy) = ((l.width * EMU_PER_PT).round() as u64, (l.height * EMU_PER_PT).round() as u64);
    let name = format!("chart{n}.png");
    let descr = esc(&c.title);
    let drawing = format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
         <wp:docPr id=\"{n}\" name=\"Biểu đồ {n}\" descr=\"{descr}\"/>\
         <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\"/><pic:cNvPicPr/></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>\
         </wp:inline></w:drawing></w:r>",
        rel = image_rel_id(n - 1)
    );
    let picture = format!(
        "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/><w:jc w:val=\"center\"/></w:pPr>{drawing}</w:p>"
    );
    let caption = p("center", 0, 120, &[r(R { bold: false, italic: true, size: 26 }, &c.title)]);
    picture + &caption
}
