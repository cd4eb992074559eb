//! The review report (issue 12 item 3) as PDF, DOCX and XLSX: what can be checked without external
//! tools always; the text that pdftotext and LibreOffice read back when DANVAN_TEST_DOCS=1 (then
//! a missing tool fails).

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{docs_tools_required, pdftotext, run, scratch, squash, zip_part};
use danvan_reports::review::{
    review_docx, review_pdf, review_xlsx, sample::sample_review, tables_xlsx, Block, Format, ReviewDoc, TableSheet,
};
use std::io::Read;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn tables(d: &ReviewDoc) -> Vec<&TableSheet> {
    d.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect()
}

fn charts(d: &ReviewDoc) -> usize {
    d.blocks.iter().filter(|b| matches!(b, Block::Chart(_))).count()
}

fn zip_bytes(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} in the zip"));
    let mut v = Vec::new();
    f.read_to_end(&mut v).expect("read part");
    v
}

/// What both formats must show, as extracted text.
const COMMON: [&str; 10] = [
    "BÁO CÁO",
    "Tổng kết công tác dân vận giai đoạn 2024 – 2026",
    "I. ĐẶC ĐIỂM TÌNH HÌNH",
    "Phường Cửa Nam có diện tích tự nhiên 1,6 km²",
    "Tổ dân phố số 6 (khu tập thể Hàng Bông)",
    "3.923",
    "95,6",
    "Biểu đồ 1. Số phản ánh, kiến nghị tiếp nhận và đã trả lời theo năm",
    "Cửa Nam, ngày 08 tháng 12 năm 2026",
    "Nơi nhận:",
];

#[test]
fn the_pdf_is_a_multi_page_document_with_fonts_embedded_and_vector_charts() {
    for format in [Format::State, Format::Party] {
        let pdf = review_pdf(&sample_review(format));
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(count(&pdf, b"/FontFile2") >= 3);
        assert_eq!(count(&pdf, b"/ToUnicode"), count(&pdf, b"/FontFile2"));
        let pages = (2..10).find(|n| count(&pdf, format!("/Count {n}").as_bytes()) == 1);
        assert!(pages.is_some(), "a long report runs over several pages");
        // Subsetted: smaller than the four full faces.
        assert!(pdf.len() < 400_000, "PDF is {} bytes", pdf.len());
    }
}

#[test]
fn pdftotext_reads_back_the_report_in_both_formats() {
    if !docs_tools_required() {
        eprintln!("DANVAN_TEST_DOCS is not 1: pdftotext not run (CI runs it)");
        return;
    }
    let dir = scratch("review-pdf");
    for (format, name, needles) in [
        (
            Format::State,
            "state.pdf",
            vec!["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 125/BC-UBND", "TM. ỦY BAN NHÂN DÂN"],
        ),
        // pdftotext takes the last "-" of the "-----" line for a hyphen at a line's end.
        (
            Format::Party,
            "party.pdf",
            vec!["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY PHƯỜNG CỬA NAM *", "Số 12-BC/ĐU", "T/M ĐẢNG ỦY", "2026 ----"],
        ),
    ] {
        let pdf = review_pdf(&sample_review(format));
        let text = squash(&pdftotext(&pdf, &dir, name));
        for needle in COMMON.iter().copied().chain(needles) {
            assert!(text.contains(needle), "{needle} not extracted from {name}: {text}");
        }
        assert!(text.contains("DỰ THẢO (phiên bản 3)"), "the draft mark");
        assert!(!text.contains("CỘNG HÒA") || format == Format::State, "a Party report has no national name");
        let info = squash(&run("pdfinfo", &[dir.join(name).to_str().unwrap()]));
        let pages: usize = info.split("Pages: ").nth(1).and_then(|s| s.split(' ').next()).and_then(|s| s.parse().ok()).unwrap();
        assert!(pages >= 3, "{pages} pages");
        // Page numbers from page 2, in the top margin: the first line of page 2 is "2".
        for page in 2..=pages {
            let p = page.to_string();
            let path = dir.join(name);
            let t = run("pdftotext", &["-f", &p, "-l", &p, "-enc", "UTF-8", path.to_str().unwrap(), "-"]);
            assert_eq!(t.split_whitespace().next(), Some(p.as_str()), "page {page} starts with its number");
        }
        let first = run("pdftotext", &["-f", "1", "-l", "1", "-enc", "UTF-8", dir.join(name).to_str().unwrap(), "-"]);
        assert!(!first.trim_start().starts_with('1'));
    }
    std::fs::remove_dir_all(dir).ok();
}

fn check_png(png: &[u8]) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(w, 1600);
    assert!((800..3000).contains(&h), "height {h}");
    assert!(png.len() > 10_000, "a PNG of {} bytes is too plain to be a chart", png.len());
}

#[test]
fn the_docx_has_heading_styles_real_tables_and_the_charts_as_pictures() {
    let d = sample_review(Format::State);
    let docx = review_docx(&d).expect("docx");
    let types = zip_part(&docx, "[Content_Types].xml");
    assert!(types.contains("<Default Extension=\"png\" ContentType=\"image/png\"/>"));
    let styles = zip_part(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:styleId=\"Heading2\""));
    roxmltree::Document::parse(&styles).expect("well-formed styles.xml");
    let xml = zip_part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    let styled =
        |name: &str| doc.descendants().filter(|n| n.has_tag_name((W, "pStyle")) && n.attribute((W, "val")) == Some(name)).count();
    assert_eq!(styled("Heading1"), 4);
    assert_eq!(styled("Heading2"), 3);
    // The data tables (bordered, header row repeated) besides the header and signature tables.
    let n_tables = tables(&d).len();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))).count(), n_tables + 2);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name((W, "tblHeader"))).count(), n_tables);
    let text: String =
        doc.descendants().filter(|n| n.has_tag_name((W, "t"))).filter_map(|n| n.text()).collect::<Vec<_>>().join("|");
    for needle in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "1.184", "87,7", "Cả giai đoạn", "3,8", "(Nội dung do Văn phòng HĐND"]
    {
        assert!(text.contains(needle), "{needle} missing from the DOCX");
    }
    // One inline picture per chart, each a relationship to a PNG in the package.
    let drawings: Vec<_> = doc.descendants().filter(|n| n.tag_name().name() == "drawing").collect();
    assert_eq!(drawings.len(), charts(&d));
    let a = "http://schemas.openxmlformats.org/drawingml/2006/main";
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let rels = zip_part(&docx, "word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).expect("well-formed rels");
    for dr in &drawings {
        assert!(dr.descendants().any(|n| n.tag_name().name() == "inline"));
        assert!(dr.descendants().any(|n| n.tag_name().name() == "pic"));
        let blip = dr.descendants().find(|n| n.has_tag_name((a, "blip"))).expect("a blip");
        let id = blip.attribute((r, "embed")).expect("r:embed");
        let target = rels
            .descendants()
            .find(|n| n.attribute("Id") == Some(id))
            .and_then(|n| n.attribute("Target"))
            .unwrap_or_else(|| panic!("relationship {id}"));
        check_png(&zip_bytes(&docx, &format!("word/{target}")));
    }
    // Every relationship's target exists.
    for rel in rels.descendants().filter(|n| n.has_attribute("Target")) {
        zip_bytes(&docx, &format!("word/{}", rel.attribute("Target").unwrap()));
    }
}

#[test]
fn the_party_docx_has_the_party_header() {
    let docx = review_docx(&sample_review(Format::Party)).expect("docx");
    let xml = zip_part(&docx, "word/document.xml");
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && xml.contains(">*<") && xml.contains("Số 12-BC/ĐU"));
    assert!(!xml.contains("CỘNG HÒA XÃ HỘI"));
}

#[test]
fn libreoffice_opens_the_docx_and_reads_the_same_text() {
    if !docs_tools_required() {
        eprintln!("DANVAN_TEST_DOCS is not 1: LibreOffice not run (CI runs it)");
        return;
    }
    let dir = scratch("review-docx");
    let path = dir.join("review.docx");
    std::fs::write(&path, review_docx(&sample_review(Format::State)).unwrap()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    run("soffice", &[&profile, "--headless", "--convert-to", "pdf", "--outdir", dir.to_str().unwrap(), path.to_str().unwrap()]);
    let pdf = std::fs::read(dir.join("review.pdf")).expect("LibreOffice wrote the PDF");
    let text = squash(&pdftotext(&pdf, &dir, "lo.pdf"));
    for needle in COMMON.iter().copied().chain(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cả giai đoạn", "Trần Văn Đức"])
    {
        assert!(text.contains(needle), "{needle} not in LibreOffice's PDF: {text}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_xlsx_has_a_sheet_per_table_with_formulas_and_a_native_chart_per_chart() {
    let d = sample_review(Format::State);
    let bytes = review_xlsx(&d).expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("calamine reads it");
    let names = wb.sheet_names();
    assert_eq!(names, ["Theo năm", "Theo tổ dân phố", "Theo lĩnh vực", "Mô hình Dân vận khéo"]);
    let year = wb.worksheet_range("Theo năm").expect("sheet");
    // Title, subtitle, a blank row, the headings (row 3), the lines from row 4.
    assert_eq!(year.get_value((0, 0)), Some(&Data::String("Bảng 1. Tiếp nhận và trả lời phản ánh, kiến nghị theo năm".into())));
    assert_eq!(year.get_value((4, 0)), Some(&Data::String("Năm 2024".into())));
    assert_eq!(year.get_value((4, 1)), Some(&Data::Float(1184.0)));
    assert_eq!(year.get_value((4, 6)), Some(&Data::Float(4.6)));
    let formulas = wb.worksheet_formula("Theo năm").expect("formulas");
    let f = |r: u32, c: u32| formulas.get_value((r, c)).cloned().unwrap_or_default();
    assert_eq!(f(4, 3), "IF(B5>0,100*C5/B5,\"\")");
    assert_eq!(f(7, 1), "SUM(B5:B7)");
    assert_eq!(f(7, 5), "IF(C8>0,100*E8/C8,\"\")");
    // Two charts, each on its table's sheet, referring to its cells.
    let chart1 = zip_part(&bytes, "xl/charts/chart1.xml");
    assert!(chart1.contains("<c:barDir val=\"col\"/>"), "a column chart");
    assert!(chart1.contains("'Theo năm'!$B$5:$B$7") && chart1.contains("'Theo năm'!$A$5:$A$7"), "{chart1}");
    let chart2 = zip_part(&bytes, "xl/charts/chart2.xml");
    assert!(chart2.contains("<c:barDir val=\"bar\"/>") && chart2.contains("<c:max val=\"100\"/>"), "{chart2}");
    assert!(chart2.contains("'Theo tổ dân phố'!$D$"));
    assert!(zip_part(&bytes, "xl/drawings/drawing1.xml").contains("chart"));
}

#[test]
fn the_dashboard_tables_are_written_as_before() {
    let d = sample_review(Format::State);
    let sheets: Vec<TableSheet> = tables(&d).into_iter().cloned().collect();
    let bytes = tables_xlsx(&sheets).expect("xlsx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert!(z.by_name("xl/charts/chart1.xml").is_err(), "no charts in the dashboard's tables");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("calamine reads it");
    assert_eq!(wb.sheet_names().len(), sheets.len());
    let units = wb.worksheet_formula("Theo tổ dân phố").expect("formulas");
    assert_eq!(units.get_value((11, 1)).cloned().unwrap_or_default(), "SUM(B4:B11)");
}
