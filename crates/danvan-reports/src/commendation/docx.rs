//! The decision as a Word document (WordprocessingML, written by hand into a zip): the same
//! layout as the PDF, for the office to edit before signing — header as a borderless two-column
//! table, bold/italic runs, justified body, a page break and a real table for the annex (its
//! header row repeated on each page). Fonts: Times New Roman (Word's and LibreOffice's own; the
//! document does not embed it).

use super::{format_dong, place_and_date, short_date, DecisionDoc, DocError};
use crate::pdf::nfc;
use std::io::Write;
use zip::write::SimpleFileOptions;

fn esc(s: &str) -> String {
    let s = nfc(s);
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

#[derive(Clone, Copy)]
struct R {
    bold: bool,
    italic: bool,
    /// Half-points.
    size: u32,
}

const B14: R = R { bold: true, italic: false, size: 28 };
const N14: R = R { bold: false, italic: false, size: 28 };

fn r(fmt: R, text: &str) -> String {
    let mut p = String::from("<w:r><w:rPr>");
    if fmt.bold {
        p.push_str("<w:b/>");
    }
    if fmt.italic {
        p.push_str("<w:i/>");
    }
    p.push_str(&format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr>", fmt.size));
    let t = esc(text).replace('\n', "</w:t><w:br/><w:t xml:space=\"preserve\">");
    p.push_str(&format!("<w:t xml:space=\"preserve\">{t}</w:t></w:r>"));
    p
}

/// A paragraph: `jc` is left/center/both/right; `indent` the first-line indent in twips; `after`
/// the space after in twips; `border` draws a short rule under it (as a bottom border).
fn p(jc: &str, indent: u32, after: u32, runs: &[String]) -> String {
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"264\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{indent}\"/><w:jc w:val=\"{jc}\"/></w:pPr>{}</w:p>",
        runs.concat()
    )
}

fn cell(width: u32, content: &str, span: u32) -> String {
    let span = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{span}</w:tcPr>{content}</w:tc>")
}

fn table(widths: &[u32], borders: bool, rows: &[String]) -> String {
    let b = if borders { "single" } else { "nil" };
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let total: u32 = widths.iter().sum();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
         <w:tblBorders><w:top w:val=\"{b}\" w:sz=\"4\"/><w:left w:val=\"{b}\" w:sz=\"4\"/>\
         <w:bottom w:val=\"{b}\" w:sz=\"4\"/><w:right w:val=\"{b}\" w:sz=\"4\"/>\
         <w:insideH w:val=\"{b}\" w:sz=\"4\"/><w:insideV w:val=\"{b}\" w:sz=\"4\"/></w:tblBorders>\
         <w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

fn row(cells: &[String], header: bool) -> String {
    let h = if header { "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" } else { "<w:trPr><w:cantSplit/></w:trPr>" };
    format!("<w:tr>{h}{}</w:tr>", cells.concat())
}

/// A rule under a centred heading: a paragraph whose bottom border is `chars` wide, as offices do.
fn rule(indent_each_side: u32) -> String {
    format!(
        "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
         <w:spacing w:before=\"0\" w:after=\"120\" w:line=\"120\" w:lineRule=\"exact\"/>\
         <w:ind w:left=\"{indent_each_side}\" w:right=\"{indent_each_side}\"/></w:pPr></w:p>"
    )
}

const LEFT_W: u32 = 3969; // 70 mm
const RIGHT_W: u32 = 5386; // 95 mm

fn header(d: &DecisionDoc, with_number: bool) -> String {
    let c13 = |bold: bool, italic: bool, t: &str| p("center", 0, 0, &[r(R { bold, italic, size: 26 }, t)]);
    let mut left = String::new();
    if !d.parent_body.trim().is_empty() {
        left.push_str(&c13(false, false, &d.parent_body));
    }
    left.push_str(&c13(true, false, &d.issuing_body));
    left.push_str(&rule(1300));
    let mut right = p("center", 0, 0, &[r(R { bold: true, italic: false, size: 24 }, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]);
    right.push_str(&c13(true, false, "Độc lập - Tự do - Hạnh phúc"));
    right.push_str(&rule(1250));
    let mut rows = vec![row(&[cell(LEFT_W, &left, 1), cell(RIGHT_W, &right, 1)], false)];
    if with_number {
        let num = c13(false, false, &format!("Số: {}", d.number));
        let date = c13(false, true, &place_and_date(&d.place, d.date));
        rows.push(row(&[cell(LEFT_W, &num, 1), cell(RIGHT_W, &date, 1)], false));
    }
    table(&[LEFT_W, RIGHT_W], false, &rows)
}

fn body(d: &DecisionDoc) -> String {
    let mut x = header(d, true);
    x.push_str(&p("center", 0, 0, &[]));
    x.push_str(&p("center", 0, 0, &[r(B14, "QUYẾT ĐỊNH")]));
    x.push_str(&p("center", 0, 0, &[r(B14, &d.subject)]));
    x.push_str(&rule(3400));
    x.push_str(&p("center", 0, 120, &[r(B14, &d.authority)]));
    let it = R { bold: false, italic: true, size: 28 };
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
    // Signature block: "Nơi nhận" on the left, the signer on the right.
    let mut left = p("left", 0, 0, &[r(R { bold: true, italic: true, size: 24 }, "Nơi nhận:")]);
    let n = d.recipients.len();
    for (i, rc) in d.recipients.iter().enumerate() {
        let mut item = rc.trim().trim_end_matches([';', '.']).to_string();
        item.push(if i + 1 == n { '.' } else { ';' });
        left.push_str(&p("left", 0, 0, &[r(R { bold: false, italic: false, size: 22 }, &format!("- {item}"))]));
    }
    let s = &d.signature;
    let mut right = String::new();
    if let Some(b) = &s.on_behalf {
        right.push_str(&p("center", 0, 0, &[r(B14, b)]));
    }
    right.push_str(&p("center", 0, 1700, &[r(B14, &s.title)]));
    right.push_str(&p("center", 0, 0, &[r(B14, &s.name)]));
    x.push_str(&p("left", 0, 0, &[]));
    x.push_str(&table(&[4300, 5055], false, &[row(&[cell(4300, &left, 1), cell(5055, &right, 1)], false)]));
    if !d.annex.is_empty() {
        x.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
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

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>"#;

/// The page number, centred in the top margin, 13 pt (Decree 30/2020: from page 2 on — the
/// section has a distinct, empty first-page header).
const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// The decision as DOCX (A4, margins of Decree 30/2020, Times New Roman 14 pt).
pub fn decision_docx(d: &DecisionDoc) -> Result<Vec<u8>, DocError> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId2\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:titlePg/></w:sectPr></w:body></w:document>",
        body(d)
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>danvan</dc:creator></cp:coreProperties>",
        esc(&format!("Quyết định số {}", d.number))
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES),
        ("word/header1.xml", HEADER),
        ("docProps/core.xml", core.as_str()),
        ("word/document.xml", doc.as_str()),
    ] {
        zip.start_file(name, opts)?;
        zip.write_all(data.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
