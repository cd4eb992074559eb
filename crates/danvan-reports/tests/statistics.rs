//! The statistical report forms: versions chosen by report year, counts validated, the XLSX with
//! numbers as numbers and totals as formulas.

mod common;

use common::zip_part;
use danvan_reports::statistics::{catalogue, form_for, form_xlsx, validate, value, FilledForm, StatError};
use std::collections::BTreeMap;

fn filled(code: &str, year: i32, counts: &[(&str, &str, u64)]) -> FilledForm {
    FilledForm {
        form_code: code.into(),
        year,
        reporting_unit: "Ủy ban nhân dân phường Cửa Nam".into(),
        receiving_unit: "Sở Nội vụ thành phố Hà Nội".into(),
        counts: counts.iter().map(|(r, c, n)| ((r.to_string(), c.to_string()), *n)).collect::<BTreeMap<_, _>>(),
        place: "Hà Nội".into(),
        by_hand: Default::default(),
    }
}

#[test]
fn every_form_has_two_versions_and_the_year_chooses_one() {
    let all = catalogue();
    for code in ["0601", "0602", "0603", "0604", "0605"] {
        let code = format!("{code}.N/BNV-TĐKT");
        assert_eq!(all.iter().filter(|f| f.code == code).count(), 2, "{code}");
        assert_eq!(form_for(&code, 2024).unwrap().issued_by, "Thông tư số 02/2023/TT-BNV");
        assert_eq!(form_for(&code, 2025).unwrap().issued_by, "Thông tư số 18/2025/TT-BNV");
        assert_eq!(form_for(&code, 2030).unwrap().first_year, 2025);
        assert!(form_for(&code, 2022).is_none(), "no version before 2023");
    }
    // The 2023 versions of 0601–0604 were read from the forms; 0605's rows and the 2025
    // versions could not be, and say so.
    for code in ["0601", "0602", "0603", "0604"] {
        assert!(form_for(&format!("{code}.N/BNV-TĐKT"), 2024).unwrap().verified, "{code}");
    }
    assert!(!form_for("0605.N/BNV-TĐKT", 2024).unwrap().verified);
    assert!(catalogue().iter().filter(|f| f.first_year == 2025).all(|f| !f.verified));
    // The forms of 2023 have no district or commune rows: the levels are 0601's columns.
    let f = form_for("0601.N/BNV-TĐKT", 2024).unwrap();
    assert!(!f.rows.iter().any(|r| r.label.contains("huyện") || r.label.contains("xã")));
    assert_eq!(f.due, "Ngày 15 tháng 12 năm báo cáo");
}

#[test]
fn definitions_are_consistent_every_total_names_existing_lines() {
    for f in catalogue() {
        let mut codes = std::collections::HashSet::new();
        for r in f.rows.iter().filter(|r| !r.code.is_empty()) {
            assert!(codes.insert(r.code), "{} {}: row code {} twice", f.code, f.first_year, r.code);
        }
        for r in &f.rows {
            for k in &r.sum_of {
                assert!(f.row(k).is_some(), "{}: row {} adds unknown {k}", f.code, r.code);
            }
        }
        for c in &f.cols {
            for k in &c.sum_of {
                assert!(f.col(k).is_some(), "{}: column {} adds unknown {k}", f.code, c.code);
            }
        }
    }
}

#[test]
fn totals_add_up_and_counts_for_totals_or_unknown_cells_are_refused() {
    let f = form_for("0601.N/BNV-TĐKT", 2025).unwrap();
    let v = filled(f.code, 2025, &[("03", "3", 3), ("03", "4", 1), ("05", "4", 5), ("12", "4", 6)]);
    validate(&f, &v).unwrap();
    assert_eq!(value(&f, &v, "03", "1"), 4);
    assert_eq!(value(&f, &v, "01", "3"), 3);
    assert_eq!(value(&f, &v, "01", "4"), 6, "the total is of the scope rows");
    assert_eq!(value(&f, &v, "01", "1"), 9);
    assert_eq!(value(&f, &v, "12", "1"), 6);
    let bad = filled(f.code, 2025, &[("01", "3", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::TotalGiven { .. })));
    let bad = filled(f.code, 2025, &[("03", "1", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::TotalGiven { .. })));
    let bad = filled(f.code, 2025, &[("13", "3", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::UnknownCell { .. })));
    assert!(form_xlsx(&f, &bad).is_err());
}

/// A cell's type attribute, formula and value.
type CellXml = (Option<String>, Option<String>, Option<String>);

/// The cells of the first sheet by reference.
fn cells(xlsx: &[u8]) -> BTreeMap<String, CellXml> {
    let xml = zip_part(xlsx, "xl/worksheets/sheet1.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sheet xml");
    let mut out = BTreeMap::new();
    for c in doc.descendants().filter(|n| n.has_tag_name("c")) {
        let child = |name: &str| c.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).map(str::to_string);
        out.insert(c.attribute("r").unwrap().to_string(), (c.attribute("t").map(str::to_string), child("f"), child("v")));
    }
    out
}

#[test]
fn the_xlsx_has_the_official_blocks_numbers_as_numbers_and_totals_as_formulas() {
    let f = form_for("0601.N/BNV-TĐKT", 2024).unwrap();
    let v = filled(f.code, 2024, &[("03", "3", 3), ("03", "4", 1), ("05", "4", 5)]);
    let x = form_xlsx(&f, &v).unwrap();
    let strings = zip_part(&x, "xl/sharedStrings.xml");
    for s in [
        "Biểu số: 0601.N/BNV-TĐKT",
        "Ban hành theo Thông tư số 02/2023/TT-BNV",
        "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo",
        "Đơn vị báo cáo: Ủy ban nhân dân phường Cửa Nam",
        "Đơn vị nhận báo cáo: Sở Nội vụ thành phố Hà Nội",
        "SỐ PHONG TRÀO THI ĐUA",
        "Năm 2024",
        "Số phong trào thi đua chia theo cấp chủ trì phát động thi đua",
        "2. Chia theo thời hạn thi đua",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ] {
        assert!(strings.contains(s), "{s} missing");
    }
    assert!(!strings.contains("Chưa đối chiếu"), "a version read from the forms carries no warning");
    let cells = cells(&x);
    // Row 11 (index 10) is "Tổng số" (01), row 14 is "Bộ, ban, ngành đoàn thể, địa phương" (03):
    // columns C = "1", D = "2", E = "3", F = "4".
    let (t, formula, val) = &cells["E14"];
    assert_eq!((t.as_deref(), formula.as_deref(), val.as_deref()), (None, None, Some("3")));
    let (_, formula, val) = &cells["C14"];
    assert_eq!(formula.as_deref(), Some("D14+E14+F14"));
    assert_eq!(val.as_deref(), Some("4"));
    let (_, formula, val) = &cells["F11"];
    assert_eq!(formula.as_deref(), Some("F13+F14+F15+F16"));
    assert_eq!(val.as_deref(), Some("6"));
    let (_, formula, val) = &cells["C11"];
    assert_eq!(formula.as_deref(), Some("D11+E11+F11"));
    assert_eq!(val.as_deref(), Some("9"));
    // The column codes row.
    assert!(cells.contains_key("A10") && cells.contains_key("F10") && !cells.contains_key("G10"));
}

#[test]
fn a_form_with_a_unit_per_row_has_column_c_and_an_unchecked_version_says_so() {
    let f = form_for("0602.N/BNV-TĐKT", 2025).unwrap();
    let v = filled(f.code, 2025, &[("9", "8", 2)]);
    let x = form_xlsx(&f, &v).unwrap();
    let strings = zip_part(&x, "xl/sharedStrings.xml");
    for s in ["Đơn vị tính", "Người", "Tập thể", "Chưa đối chiếu với phụ lục"] {
        assert!(strings.contains(s), "{s} missing");
    }
    let cells = cells(&x);
    // Columns: A label, B code, C unit, D = "1", …, K = "8".
    assert!(cells.contains_key("C10") && cells.contains_key("L10") && !cells.contains_key("M10"));
    let row = 10 + f.rows.iter().position(|r| r.code == "9").unwrap() + 1;
    assert_eq!(cells[&format!("K{row}")].2.as_deref(), Some("2"));
}

#[test]
fn every_form_in_both_versions_renders() {
    for f in catalogue() {
        let x = form_xlsx(&f, &filled(f.code, f.first_year, &[])).unwrap();
        assert!(x.starts_with(b"PK"), "{} is a zip", f.code);
        assert!(zip_part(&x, "xl/sharedStrings.xml").contains(f.title));
    }
}
