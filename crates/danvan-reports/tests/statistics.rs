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
    // The 2025 version has no district level (abolished on 1 July 2025).
    let old = form_for("0601.N/BNV-TĐKT", 2024).unwrap();
    let new = form_for("0601.N/BNV-TĐKT", 2025).unwrap();
    assert!(old.rows.iter().any(|r| r.label == "Cấp huyện"));
    assert!(!new.rows.iter().any(|r| r.label.contains("huyện")));
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
    let v = filled(f.code, 2025, &[("02", "2", 3), ("02", "3", 1), ("04", "2", 5), ("05", "3", 2), ("04", "6", 4)]);
    validate(&f, &v).unwrap();
    assert_eq!(value(&f, &v, "02", "1"), 4);
    assert_eq!(value(&f, &v, "01", "2"), 8);
    assert_eq!(value(&f, &v, "01", "1"), 11);
    assert_eq!(value(&f, &v, "01", "6"), 4);
    let bad = filled(f.code, 2025, &[("01", "2", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::TotalGiven { .. })));
    let bad = filled(f.code, 2025, &[("02", "1", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::TotalGiven { .. })));
    // The district row exists in the 2023 version only.
    let bad = filled(f.code, 2025, &[("03", "2", 1)]);
    assert!(matches!(validate(&f, &bad), Err(StatError::UnknownCell { .. })));
    assert!(form_xlsx(&f, &bad).is_err());
    let old = form_for(f.code, 2024).unwrap();
    validate(&old, &filled(f.code, 2024, &[("03", "2", 1)])).unwrap();
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
    let f = form_for("0601.N/BNV-TĐKT", 2025).unwrap();
    let v = filled(f.code, 2025, &[("02", "2", 3), ("02", "3", 1), ("04", "2", 5)]);
    let x = form_xlsx(&f, &v).unwrap();
    let strings = zip_part(&x, "xl/sharedStrings.xml");
    for s in [
        "Biểu số: 0601.N/BNV-TĐKT",
        "Ban hành kèm theo Thông tư số 18/2025/TT-BNV",
        "Đơn vị báo cáo: Ủy ban nhân dân phường Cửa Nam",
        "Đơn vị nhận báo cáo: Sở Nội vụ thành phố Hà Nội",
        "SỐ PHONG TRÀO THI ĐUA ĐƯỢC PHÁT ĐỘNG",
        "Năm 2025",
        "Chia theo hình thức tổ chức",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ] {
        assert!(strings.contains(s), "{s} missing");
    }
    let cells = cells(&x);
    // Row 11 (index 10) is "Tổng số" (01), row 13 is "Cấp tỉnh" (02): columns C = "1", D = "2".
    let (t, formula, val) = &cells["D13"];
    assert_eq!((t.as_deref(), formula.as_deref(), val.as_deref()), (None, None, Some("3")));
    let (_, formula, val) = &cells["C13"];
    assert_eq!(formula.as_deref(), Some("D13+E13"));
    assert_eq!(val.as_deref(), Some("4"));
    let (_, formula, val) = &cells["D11"];
    assert_eq!(formula.as_deref(), Some("D13+D14+D15"));
    assert_eq!(val.as_deref(), Some("8"));
    let (_, formula, val) = &cells["C11"];
    assert_eq!(formula.as_deref(), Some("D11+E11"));
    assert_eq!(val.as_deref(), Some("9"));
    // The column codes row.
    assert!(cells.contains_key("A10") && cells.contains_key("H10"));
}

#[test]
fn every_form_in_both_versions_renders() {
    for f in catalogue() {
        let x = form_xlsx(&f, &filled(f.code, f.first_year, &[])).unwrap();
        assert!(x.starts_with(b"PK"), "{} is a zip", f.code);
        assert!(zip_part(&x, "xl/sharedStrings.xml").contains(f.title));
    }
}
