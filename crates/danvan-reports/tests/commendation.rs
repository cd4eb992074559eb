//! The commendation documents: what can be checked without external tools always; the text that
//! pdftotext and LibreOffice read back when DANVAN_TEST_DOCS=1 (then a missing tool fails).

mod common;

use common::{docs_tools_required, pdftotext, run, scratch, squash, zip_part};
use danvan_reports::commendation::{self, format_dong, place_and_date, sample, CertificateDoc, OffsetMm, OverlayCalibration};
use unicode_normalization::UnicodeNormalization;

fn names() -> Vec<String> {
    let d = sample::sample_decision();
    d.annex.sections().iter().flat_map(|(_, e)| e.iter().map(|e| e.name.clone())).collect()
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn dates_and_amounts_are_written_as_decree_30_and_vietnamese_use_them() {
    let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    assert_eq!(place_and_date("Hà Nội", d), "Hà Nội, ngày 05 tháng 01 năm 2026");
    let d = chrono::NaiveDate::from_ymd_opt(2025, 12, 25).unwrap();
    assert_eq!(place_and_date("Huế", d), "Huế, ngày 25 tháng 12 năm 2025");
    let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 9).unwrap();
    assert_eq!(place_and_date("Huế", d), "Huế, ngày 09 tháng 3 năm 2025");
    assert_eq!(format_dong(9_126_000), "9.126.000");
    assert_eq!(format_dong(702), "702");
    assert_eq!(format_dong(0), "0");
}

#[test]
fn the_decision_pdf_embeds_subsetted_fonts_with_a_unicode_map_for_every_vietnamese_letter() {
    let pdf = commendation::decision_pdf(&sample::sample_decision());
    assert!(pdf.starts_with(b"%PDF-"));
    // Four faces used (regular, bold, italic, bold italic), each a Type0 font with a subset
    // file and a ToUnicode map.
    assert_eq!(count(&pdf, b"/FontFile2"), 4);
    assert_eq!(count(&pdf, b"/ToUnicode"), 4);
    assert_eq!(count(&pdf, b"/Identity-H"), 4);
    assert!(count(&pdf, b"+LiberationSerif-Bold") >= 1);
    // Subsetted: the whole document is smaller than one of the full fonts it uses.
    assert!(pdf.len() < 370_000, "PDF is {} bytes", pdf.len());
    // Every non-ASCII letter of the names maps back to its code point (the CMaps are not
    // compressed: "<gid> <UTF-16BE>").
    for name in names() {
        for c in name.chars().filter(|c| !c.is_ascii()) {
            let hex = format!("<{:04X}>", c as u32);
            assert!(count(&pdf, hex.as_bytes()) >= 1, "no ToUnicode entry for {c} ({hex})");
        }
    }
    // Three pages: the decision, then the annex over two.
    assert_eq!(count(&pdf, b"/Type /Pages"), 1);
    assert_eq!(count(&pdf, b"/Count 3"), 1, "three pages");
}

#[test]
fn a_batch_has_one_landscape_page_per_certificate() {
    let batch = sample::sample_certificates(12);
    let pdf = commendation::certificates_pdf(&batch);
    assert_eq!(count(&pdf, b"/Count 12"), 1);
    // A4 landscape: 841.89 × 595.28 points.
    assert_eq!(count(&pdf, b"/MediaBox [0 0 841.8898 595.27563]"), 12);
    // The fonts are written once for the whole batch, not per page.
    assert_eq!(count(&pdf, b"/FontFile2"), count(&commendation::certificate_pdf(&batch[0]), b"/FontFile2"));
}

#[test]
fn the_decision_docx_is_a_word_document_with_the_text_and_a_real_annex_table() {
    let d = sample::sample_decision();
    let docx = commendation::decision_docx(&d).expect("docx");
    let types = zip_part(&docx, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml"));
    let xml = zip_part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let text: String =
        doc.descendants().filter(|n| n.has_tag_name((w, "t"))).filter_map(|n| n.text()).collect::<Vec<_>>().join("|");
    for name in names() {
        assert!(text.contains(&name), "{name} missing from the DOCX");
    }
    assert!(text.contains("Số: 15/QĐ-UBND"));
    assert!(text.contains("Hà Nội, ngày 05 tháng 01 năm 2026"));
    assert!(text.contains("9.126.000"));
    // Header, signature and annex tables; the annex's header row repeats on each page.
    let tables = doc.descendants().filter(|n| n.has_tag_name((w, "tbl"))).count();
    assert_eq!(tables, 4, "two header tables, the signature table and the annex table");
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name((w, "tblHeader"))).count(), 1);
    // "Điều 1." is a bold run; the legal bases are italic runs.
    let bold_runs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "r")))
        .filter(|r| r.descendants().any(|n| n.has_tag_name((w, "b"))))
        .filter_map(|r| r.descendants().find(|n| n.has_tag_name((w, "t"))).and_then(|t| t.text().map(str::to_string)))
        .collect();
    assert!(bold_runs.iter().any(|t| t == "Điều 1."));
    assert!(!bold_runs.iter().any(|t| t.starts_with("Căn cứ")));
    // A4 in the margins of Decree 30 (twips), page numbers from page 2 (a PAGE field in the
    // default header, a distinct empty first-page header).
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(xml.contains("w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\""));
    assert!(xml.contains("<w:titlePg/>"));
    assert!(zip_part(&docx, "word/header1.xml").contains(" PAGE "));
}

#[test]
fn decomposed_input_comes_out_composed() {
    let mut d = sample::sample_decision();
    let nfd: String = "Nguyễn Thị Ngọc Ánh".nfd().collect();
    assert_ne!(nfd, "Nguyễn Thị Ngọc Ánh");
    d.annex.individuals[0].name = nfd;
    let xml = zip_part(&commendation::decision_docx(&d).unwrap(), "word/document.xml");
    assert!(xml.contains("Nguyễn Thị Ngọc Ánh"));
}

fn long_certificate() -> CertificateDoc {
    let mut c = sample::sample_certificates(1).remove(0);
    c.recipient_name =
        "Ban công tác Mặt trận Tổ quốc Việt Nam khu dân cư số 12 phường Hoàn Kiếm, thành phố Hà Nội, nhiệm kỳ 2024 - 2029".into();
    c
}

#[test]
fn pdftotext_gives_back_the_vietnamese_text_of_the_decision_and_certificates() {
    if !docs_tools_required() {
        eprintln!("DANVAN_TEST_DOCS is not 1: pdftotext not run (CI runs it)");
        return;
    }
    let dir = scratch("pdf");
    let d = sample::sample_decision();
    let text = squash(&pdftotext(&commendation::decision_pdf(&d), &dir, "decision.pdf"));
    for name in names() {
        assert!(text.contains(&name), "{name} not extracted from the decision: {text}");
    }
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/QĐ-UBND",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "Điều 1. Tặng Giấy khen",
        "Nơi nhận:",
        "Nguyễn Thị Thanh Hương",
        "I. CÁ NHÂN",
        "II. TẬP THỂ",
        "III. HỘ GIA ĐÌNH",
        "Tổng cộng",
        "9.126.000",
    ] {
        assert!(text.contains(needle), "{needle} not extracted: {text}");
    }
    assert_eq!(text.nfc().collect::<String>(), text, "extracted text is NFC");
    let mut batch = sample::sample_certificates(8);
    batch.push(long_certificate());
    let mut title = sample::sample_certificates(1).remove(0);
    title.kind = commendation::CertificateKind::Title("TẬP THỂ LAO ĐỘNG XUẤT SẮC");
    title.recipient_name = "Tổ dân phố số 7".into();
    batch.push(title);
    let text = squash(&pdftotext(&commendation::certificates_pdf(&batch), &dir, "certs.pdf"));
    for c in &batch {
        assert!(text.contains(&c.recipient_name), "{} not extracted: {text}", c.recipient_name);
    }
    assert!(text.contains("GIẤY KHEN"));
    assert!(text.contains("TẶNG DANH HIỆU TẬP THỂ LAO ĐỘNG XUẤT SẮC"), "a title's certificate: {text}");
    assert!(text.contains("Quyết định số 15/QĐ-UBND, ngày 05/01/2026"));
    let pages = squash(&run("pdfinfo", &[dir.join("certs.pdf").to_str().unwrap()]));
    assert!(pages.contains("Pages: 10 "), "{pages}");
    assert!(pages.contains("Page size: 841.89 x 595.276 pts"), "{pages}");
    std::fs::remove_dir_all(dir).ok();
}

/// x of the first word `word` in pdftotext's bbox output.
fn x_of(bbox_html: &str, word: &str) -> f32 {
    let line =
        bbox_html.lines().find(|l| l.contains(&format!(">{word}</word>"))).unwrap_or_else(|| panic!("{word} in {bbox_html}"));
    let start = line.find("xMin=\"").expect("xMin") + 6;
    line[start..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn the_overlay_prints_only_the_variable_text_where_the_calibration_puts_it() {
    if !docs_tools_required() {
        eprintln!("DANVAN_TEST_DOCS is not 1: pdftotext not run (CI runs it)");
        return;
    }
    let dir = scratch("overlay");
    let batch = sample::sample_certificates(2);
    let plain = commendation::certificates_overlay_pdf(&batch, &OverlayCalibration::default());
    let text = squash(&pdftotext(&plain, &dir, "plain.pdf"));
    assert!(text.contains("Bà Nguyễn Thị Ngọc Ánh") && text.contains("Ông Trần Văn Đức"));
    assert!(!text.contains("GIẤY KHEN"), "the blank carries the title: {text}");
    assert!(!text.contains("CỘNG HÒA"), "the blank carries the national name");
    let cal = OverlayCalibration {
        page: OffsetMm { dx: 2.0, dy: 0.0 },
        recipient_name: OffsetMm { dx: 10.0, dy: 0.0 },
        ..Default::default()
    };
    let shifted = commendation::certificates_overlay_pdf(&batch, &cal);
    std::fs::write(dir.join("a.pdf"), &plain).unwrap();
    std::fs::write(dir.join("b.pdf"), &shifted).unwrap();
    let a = run("pdftotext", &["-bbox", dir.join("a.pdf").to_str().unwrap(), "-"]);
    let b = run("pdftotext", &["-bbox", dir.join("b.pdf").to_str().unwrap(), "-"]);
    let mm = 72.0 / 25.4;
    // The name moved by page + field (12 mm), the achievement by the page shift only (2 mm).
    let d_name = x_of(&b, "Ánh") - x_of(&a, "Ánh");
    assert!((d_name - 12.0 * mm).abs() < 0.5, "name moved {d_name} pt");
    let d_ach = x_of(&b, "thành") - x_of(&a, "thành");
    assert!((d_ach - 2.0 * mm).abs() < 0.5, "achievement moved {d_ach} pt");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn libreoffice_opens_the_docx_and_reads_the_same_text() {
    if !docs_tools_required() {
        eprintln!("DANVAN_TEST_DOCS is not 1: LibreOffice not run (CI runs it)");
        return;
    }
    let dir = scratch("docx");
    let d = sample::sample_decision();
    let path = dir.join("decision.docx");
    std::fs::write(&path, commendation::decision_docx(&d).unwrap()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    run(
        "soffice",
        &[&profile, "--headless", "--convert-to", "txt:Text", "--outdir", dir.to_str().unwrap(), path.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(dir.join("decision.txt")).expect("LibreOffice wrote the text");
    let text = squash(&text);
    for name in names() {
        assert!(text.contains(&name), "{name} not in LibreOffice's text");
    }
    for needle in ["QUYẾT ĐỊNH", "Số: 15/QĐ-UBND", "Hà Nội, ngày 05 tháng 01 năm 2026", "9.126.000", "Nguyễn Thị Thanh Hương"]
    {
        assert!(text.contains(needle), "{needle} not in LibreOffice's text: {text}");
    }
    std::fs::remove_dir_all(dir).ok();
}
