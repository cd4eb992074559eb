use super::*;

fn form() -> ReportForm {
    ReportForm {
        kind: "final".into(),
        issuer: "".into(),
        title: "  công tác dân vận   giai đoạn 2024 – 2026 ".into(),
        from: "2024-01".into(),
        to: "2026-12".into(),
        place: "Cửa Nam".into(),
        on_behalf: "TM. ỦY BAN NHÂN DÂN".into(),
        signer_title: "CHỦ TỊCH".into(),
        signer_name: "Nguyễn Văn An".into(),
        recipients: "Thành ủy Hà Nội\n\n Lưu: VT ".into(),
        sections: [("situation".to_string(), "Phường có 12 tổ dân phố.\r\nDân số 20.000.".to_string())].into(),
    }
}

#[test]
fn a_draft_is_cleaned_and_its_range_kept_as_months() {
    let c = validate(&form()).expect("valid");
    assert_eq!(c.kind, ReportKind::Final);
    assert_eq!(c.title, "công tác dân vận giai đoạn 2024 – 2026");
    assert_eq!(c.subject(), "Tổng kết công tác dân vận giai đoạn 2024 – 2026");
    assert_eq!((c.from, c.to), (202401, 202612));
    assert_eq!(c.range().months(), 36);
    assert_eq!(c.recipients, vec!["Thành ủy Hà Nội", "Lưu: VT"]);
    assert_eq!(c.sections[&Section::Situation], "Phường có 12 tổ dân phố.\nDân số 20.000.");
}

#[test]
fn absurd_drafts_are_refused_field_by_field() {
    let mut f = form();
    f.kind = "yearly".into();
    f.title = "x".repeat(MAX_TITLE_CHARS + 1);
    f.from = "0001-01".into();
    f.to = "".into();
    f.place = "\u{0}".into();
    f.recipients = "a\n".repeat(MAX_RECIPIENTS + 1);
    f.sections.insert("appendix".into(), "x".into());
    f.sections.insert("results".into(), "y".repeat(MAX_SECTION_CHARS + 1));
    let e = validate(&f).expect_err("refused");
    for field in ["kind", "title", "from", "place", "recipients", "section_appendix", "section_results"] {
        assert!(e.get(field).is_some(), "{field}: {e:?}");
    }
    let mut f = form();
    f.from = "2026-12".into();
    f.to = "2024-01".into();
    assert_eq!(validate(&f).expect_err("reversed").get("to"), Some("indicators.error.reversed"));
}

#[test]
fn the_format_follows_the_issuing_body() {
    assert_eq!(doc_format(UnitKind::PartyCommittee), DocFormat::Party);
    assert_eq!(doc_format(UnitKind::Ward), DocFormat::State);
    assert_eq!(number_line(UnitKind::PartyCommittee), "Số      -BC/ĐU");
    assert_eq!(number_line(UnitKind::Ward), "Số:      /BC-UBND");
    let d = NaiveDate::from_ymd_opt(2026, 2, 5).expect("date");
    assert_eq!(place_date(DocFormat::State, "Cửa Nam", d), "Cửa Nam, ngày 05 tháng 02 năm 2026");
    assert_eq!(place_date(DocFormat::Party, "Cửa Nam", d), "Cửa Nam, ngày 05 tháng 2 năm 2026");
}

#[test]
fn a_territory_reports_as_its_peoples_committee_or_its_party_committee() {
    let ward = ("Phường Cửa Nam", UnitKind::Ward);
    let city = Some(("Thành phố Hà Nội", UnitKind::City));
    let at = |unit, parent| Placement { unit, parent, territory: Some(ward), above_territory: city };
    let h = header(Issuer::Unit, at(ward, city));
    assert_eq!(h.format, DocFormat::State);
    assert_eq!(h.parent_body, "UBND THÀNH PHỐ HÀ NỘI");
    assert_eq!(h.issuing_body, "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM");
    assert_eq!(h.number, "Số:      /BC-UBND");
    let committee = header(Issuer::Unit, at(("Ủy ban nhân dân phường Cửa Nam", UnitKind::PeoplesCommittee), Some(ward)));
    assert_eq!(
        (committee.parent_body.as_str(), committee.issuing_body.as_str()),
        ("UBND THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM")
    );
    for issuer in [at(ward, city), at(("Ủy ban nhân dân phường Cửa Nam", UnitKind::PeoplesCommittee), Some(ward))] {
        let h = header(Issuer::Party, issuer);
        assert_eq!(h.format, DocFormat::Party);
        assert_eq!(h.parent_body, "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI");
        assert_eq!(h.issuing_body, "ĐẢNG ỦY PHƯỜNG CỬA NAM");
        assert_eq!(h.number, "Số      -BC/ĐU");
    }
    let front = header(Issuer::Unit, at(("Ủy ban MTTQ phường Cửa Nam", UnitKind::FatherlandFront), Some(ward)));
    assert_eq!(
        (front.format, front.issuing_body.as_str(), front.parent_body.as_str()),
        (DocFormat::State, "ỦY BAN MTTQ PHƯỜNG CỬA NAM", "PHƯỜNG CỬA NAM")
    );
    let party = header(Issuer::Unit, at(("Đảng ủy phường Cửa Nam", UnitKind::PartyCommittee), Some(ward)));
    assert_eq!((party.format, party.issuing_body.as_str()), (DocFormat::Party, "ĐẢNG ỦY PHƯỜNG CỬA NAM"));
}

#[test]
fn a_place_is_a_territory_without_its_kind() {
    assert_eq!(place_of("Phường Cửa Nam"), "Cửa Nam");
    assert_eq!(place_of("Thành phố Hà Nội"), "Hà Nội");
    assert_eq!(place_of("Thị trấn Phong Điền"), "Phong Điền");
    assert_eq!(place_of("Xã"), "Xã");
    assert_eq!(place_of("Hà Nội"), "Hà Nội");
    assert_eq!(place_of("Ủy ban nhân dân phường Cửa Nam"), "Cửa Nam");
    assert_eq!(place_of("Tổ dân phố số 1"), "Tổ dân phố số 1");
}
