//! WordprocessingML written by hand (ARCHITECTURE.md, "Documents"): the primitives — runs,
//! paragraphs, tables, rules —, the administrative header and signature block of Decree 30/2020
//! and Hướng dẫn 36-HD/VPTW, and the zip package, shared by the decision and the review report so
//! both open alike in Word and LibreOffice. Fonts: Times New Roman (Word's and LibreOffice's own;
//! the document does not embed it).

use crate::commendation::{DocError, Signature};
use crate::pdf::admin::{recipient_item, MOTTO, NATIONAL_NAME, PARTY_NAME};
use crate::pdf::nfc;
use std::io::Write;
use zip::write::SimpleFileOptions;

pub(crate) fn esc(s: &str) -> String {
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

/// A run's face and size.
#[derive(Clone, Copy)]
pub(crate) struct R {
    pub bold: bool,
    pub italic: bool,
    /// Half-points.
    pub size: u32,
}

pub(crate) const B14: R = R { bold: true, italic: false, size: 28 };
pub(crate) const N14: R = R { bold: false, italic: false, size: 28 };
pub(crate) const I14: R = R { bold: false, italic: true, size: 28 };

/// A run; '\n' in `text` becomes a line break.
pub(crate) fn r(fmt: R, text: &str) -> String {
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
/// the space after in twips.
pub(crate) fn p(jc: &str, indent: u32, after: u32, runs: &[String]) -> String {
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"264\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{indent}\"/><w:jc w:val=\"{jc}\"/></w:pPr>{}</w:p>",
        runs.concat()
    )
}

/// A paragraph in a named style (its spacing, indent and face come from styles.xml).
pub(crate) fn p_styled(style: &str, runs: &[String]) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>", runs.concat())
}

pub(crate) fn cell(width: u32, content: &str, span: u32) -> String {
    let span = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{span}</w:tcPr>{content}</w:tc>")
}

pub(crate) fn table(widths: &[u32], borders: bool, rows: &[String]) -> String {
    let b = if borders { "single" } else { "nil" };
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let total: u32 = widths.iter().sum();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top w:val=\"{b}\" w:sz=\"4\"/><w:left w:val=\"{b}\" w:sz=\"4\"/>\
         <w:bottom w:val=\"{b}\" w:sz=\"4\"/><w:right w:val=\"{b}\" w:sz=\"4\"/>\
         <w:insideH w:val=\"{b}\" w:sz=\"4\"/><w:insideV w:val=\"{b}\" w:sz=\"4\"/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

/// A table row; a `header` row repeats at the top of each page. Rows do not split across pages.
pub(crate) fn row(cells: &[String], header: bool) -> String {
    let h = if header { "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" } else { "<w:trPr><w:cantSplit/></w:trPr>" };
    format!("<w:tr>{h}{}</w:tr>", cells.concat())
}

/// A rule under a centred heading: an empty paragraph's bottom border, indented from both sides.
pub(crate) fn rule(indent_each_side: u32) -> String {
    format!(
        "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
         <w:spacing w:before=\"0\" w:after=\"120\" w:line=\"120\" w:lineRule=\"exact\"/>\
         <w:ind w:left=\"{indent_each_side}\" w:right=\"{indent_each_side}\"/></w:pPr></w:p>"
    )
}

pub(crate) const PAGE_BREAK: &str = "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";

/// The text width of an A4 page in Decree 30's margins, in twips (165 mm).
pub(crate) const TEXT_W: u32 = 9355;
const LEFT_W: u32 = 3969; // 70 mm
const RIGHT_W: u32 = 5386; // 95 mm

/// The header as a borderless two-column table: the issuer on the left, the national name and
/// motto (State) or the Party's name (Party) on the right; `number_date` adds the number line and
/// the place and date beside it.
pub(crate) fn header(party: bool, parent_body: &str, issuing_body: &str, number_date: Option<(&str, &str)>) -> String {
    let c13 = |bold: bool, italic: bool, t: &str| p("center", 0, 0, &[r(R { bold, italic, size: 26 }, t)]);
    let mut left = String::new();
    if !parent_body.trim().is_empty() {
        left.push_str(&c13(false, false, parent_body));
    }
    left.push_str(&c13(true, false, issuing_body));
    let mut right;
    if party {
        left.push_str(&c13(false, false, "*"));
        right = p("center", 0, 0, &[r(R { bold: true, italic: false, size: 30 }, PARTY_NAME)]);
        right.push_str(&rule(1150));
    } else {
        left.push_str(&rule(1300));
        right = p("center", 0, 0, &[r(R { bold: true, italic: false, size: 24 }, NATIONAL_NAME)]);
        right.push_str(&c13(true, false, MOTTO));
        right.push_str(&rule(1250));
    }
    let mut rows = vec![row(&[cell(LEFT_W, &left, 1), cell(RIGHT_W, &right, 1)], false)];
    if let Some((number, date)) = number_date {
        let num = c13(false, false, number);
        let date = c13(false, true, date);
        rows.push(row(&[cell(LEFT_W, &num, 1), cell(RIGHT_W, &date, 1)], false));
    }
    table(&[LEFT_W, RIGHT_W], false, &rows)
}

/// "Nơi nhận" on the left, the signer on the right, as a borderless table.
pub(crate) fn signature(s: &Signature, recipients: &[String]) -> String {
    let mut left = p("left", 0, 0, &[r(R { bold: true, italic: true, size: 24 }, "Nơi nhận:")]);
    let n = recipients.len();
    for (i, rc) in recipients.iter().enumerate() {
        let item = recipient_item(rc, i + 1 == n);
        left.push_str(&p("left", 0, 0, &[r(R { bold: false, italic: false, size: 22 }, &format!("- {item}"))]));
    }
    let mut right = String::new();
    if let Some(b) = &s.on_behalf {
        right.push_str(&p("center", 0, 0, &[r(B14, b)]));
    }
    right.push_str(&p("center", 0, 1700, &[r(B14, &s.title)]));
    right.push_str(&p("center", 0, 0, &[r(B14, &s.name)]));
    let mut x = p("left", 0, 0, &[]);
    x.push_str(&table(&[4300, 5055], false, &[row(&[cell(4300, &left, 1), cell(5055, &right, 1)], false)]));
    x
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

/// The page number, centred in the top margin, 13 pt (Decree 30/2020: from page 2 on — the
/// section has a distinct, empty first-page header).
const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#;

/// Normal, and real heading styles (so Word's navigation pane and table of contents see the
/// parts of a report): Heading 1 bold capitals, Heading 2 bold, both 14 pt with the body's
/// first-line indent, kept with the next paragraph; a caption style for tables and charts.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60" w:line="264" w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:caps/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="60" w:after="60" w:line="264" w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// The relationship id of the `i`-th image (0-based) of `package`'s `images`.
pub(crate) fn image_rel_id(i: usize) -> String {
    format!("rIdImg{}", i + 1)
}

/// The zip of a one-section document: A4 in Decree 30's margins, page numbers from page 2, the
/// `body` XML, and `images` (PNG) as word/media/chartN.png with their relationships.
pub(crate) fn package(title: &str, body: &str, images: &[Vec<u8>]) -> Result<Vec<u8>, DocError> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId2\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:titlePg/></w:sectPr></w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>danvan</dc:creator></cp:coreProperties>",
        esc(title)
    );
    let image_rels: String = (0..images.len())
        .map(|i| {
            format!(
                "<Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" \
                 Target=\"media/chart{}.png\"/>",
                image_rel_id(i),
                i + 1
            )
        })
        .collect();
    let doc_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
         {image_rels}</Relationships>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", doc_rels.as_str()),
        ("word/styles.xml", STYLES),
        ("word/header1.xml", HEADER),
        ("docProps/core.xml", core.as_str()),
        ("word/document.xml", doc.as_str()),
    ] {
        zip.start_file(name, opts)?;
        zip.write_all(data.as_bytes())?;
    }
    // PNG is compressed already.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, png) in images.iter().enumerate() {
        zip.start_file(format!("word/media/chart{}.png", i + 1), stored)?;
        zip.write_all(png)?;
    }
    Ok(zip.finish()?.into_inner())
}
