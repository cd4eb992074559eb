//! The annual statistical forms 0601–0605 (issue 11 item 7), on SQLite and (when configured)
//! PostgreSQL: a small known data set in ward A (movements of the 2026 report period, 1 December
//! 2025 to 30 November 2026, one of a cluster; a decision of the ward's people's committee with
//! grassroots awards; provincial and State awards recorded by hand, on the period's edges), the
//! computed cells against a count by hand, the same numbers in the XLSX, the cells danvan cannot
//! know left to fill in by hand, another ward's leader refused and bad input refused field by
//! field.

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use danvan_domain::emulation::{Award, PeriodKind, RecipientKind};
use danvan_store::emulation::{DecisionHeader, Entry, NewDecision, NewMovement, NewRecipient};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

async fn recipient(app: &TestApp, unit: i64, kind: RecipientKind, name: &str, woman: bool) -> i64 {
    let r = NewRecipient { kind, name: name.into(), unit_id: unit, woman, account_id: None };
    app.store.create_emulation_recipient(&AuditCtx::system("test"), &r).await.unwrap()
}

/// A title recorded by hand, for the achievements of the year before the decision.
async fn title(app: &TestApp, who: i64, award: Award, decided_on: NaiveDate, issuer: &str) {
    let year = chrono::Datelike::year(&decided_on) - 1;
    let e = Entry::Title { award, year, decision_no: "7/QĐ-X".into(), decided_on, issuer: issuer.into() };
    app.store.add_emulation_entries(&AuditCtx::system("test"), who, "x", &[e]).await.unwrap();
}

async fn movement(app: &TestApp, unit: i64, name: &str, kind: PeriodKind, from: NaiveDate, to: NaiveDate) {
    movement_of(app, unit, None, name, kind, from, to).await
}

async fn movement_of(
    app: &TestApp,
    unit: i64,
    cluster_id: Option<i64>,
    name: &str,
    kind: PeriodKind,
    from: NaiveDate,
    to: NaiveDate,
) {
    let m = NewMovement {
        unit_id: unit,
        name: name.into(),
        purpose: String::new(),
        period_kind: kind,
        starts_on: from,
        ends_on: to,
        cluster_id,
        target_unit_ids: vec![],
    };
    app.store.create_emulation_movement(&AuditCtx::system("test"), &m).await.unwrap();
}

/// Ward A in the 2026 report period (2025-12-01 to 2026-11-30), counted by hand:
/// - movements launched by ward A (a commune-level body: column 4) starting in the period:
///   - "Dân vận khéo 2026", annual, 2026-01-01 to 2026-12-31: rows 05 (its scope), 07 (one
///     year), 12 (regular);
///   - "Ra quân mùa hè", thematic, 2026-03-01 to 2026-06-30: 05, 06 (under a year), 11;
///   - "Chung sức 2026–2028", multi-year, 2026-01-01 to 2028-12-31: 05, 09 (three years), 12;
///   - "Tháng cao điểm", thematic, 2025-12-15 to 2026-01-31: 05, 06, 11;
///   - the cluster's "Cụm thi đua 2026", annual, 2026-02-01 to 2027-01-31: 04, 07, 12;
///   - not counted: ward B's, one starting 2025-01-01 and one starting 2026-12-01;
/// - grassroots awards (on neither 0602 nor 0603, counted beside them): the ward's people's
///   committee's decision of 2026-01-15 (Giấy khen to Lan, Nam and the household of Mr Ba, Lao
///   động tiên tiến to Lan, Tập thể lao động tiên tiến to group 1), and recorded by hand
///   Chiến sĩ thi đua cơ sở to Nam (2026-03-01) and to Lan (2026-01-20), a Giấy khen to Nam on
///   2025-12-10: 8; a Lao động tiên tiến to Nam on 2025-03-20 is not in the period;
/// - provincial awards (0603): Bằng khen to Nam (2026-02-01) and to the household (2026-11-30,
///   the period's last day), Chiến sĩ thi đua cấp tỉnh to Lan (2026-04-01); a Bằng khen to Lan dated
///   2026-12-01 is in the next period; one to a person of ward B is not in the subtree;
/// - State awards (0602): the Prime Minister's Bằng khen to group 1's collective (2026-05-01).
async fn known_data(app: &TestApp, f: &Fixture) {
    use Award::*;
    let s = &app.store;
    let ctx = AuditCtx::system("test");
    let a = f.ward_a.id;
    movement(app, a, "Dân vận khéo 2026", PeriodKind::Annual, day(2026, 1, 1), day(2026, 12, 31)).await;
    movement(app, a, "Ra quân mùa hè", PeriodKind::Thematic, day(2026, 3, 1), day(2026, 6, 30)).await;
    movement(app, a, "Chung sức 2026–2028", PeriodKind::MultiYear, day(2026, 1, 1), day(2028, 12, 31)).await;
    movement(app, a, "Tháng cao điểm", PeriodKind::Thematic, day(2025, 12, 15), day(2026, 1, 31)).await;
    let cluster = s.create_emulation_cluster(&ctx, a, "Cụm tổ dân phố", &[f.group_a1.id, f.committee_a.id]).await.unwrap();
    movement_of(app, a, Some(cluster), "Cụm thi đua 2026", PeriodKind::Annual, day(2026, 2, 1), day(2027, 1, 31)).await;
    movement(app, f.ward_b.id, "Phường B 2026", PeriodKind::Annual, day(2026, 1, 1), day(2026, 12, 31)).await;
    movement(app, a, "Năm trước", PeriodKind::Annual, day(2025, 1, 1), day(2025, 12, 31)).await;
    movement(app, a, "Kỳ sau", PeriodKind::Annual, day(2026, 12, 1), day(2027, 11, 30)).await;

    let lan = recipient(app, f.group_a1.id, RecipientKind::Individual, "Trần Thị Lan", true).await;
    let nam = recipient(app, f.group_a1.id, RecipientKind::Individual, "Lê Văn Nam", false).await;
    let ba = recipient(app, f.group_a1.id, RecipientKind::Household, "Hộ ông Phạm Văn Ba", false).await;
    let group = recipient(app, f.group_a1.id, RecipientKind::Collective, "Tổ dân phố số 1", false).await;
    let other = recipient(app, f.ward_b.id, RecipientKind::Individual, "Người phường B", true).await;

    let list = s.create_nomination(&ctx, f.committee_a.id, 2025, "Khen thưởng năm 2025").await.unwrap();
    let header = DecisionHeader {
        decided_on: day(2026, 1, 15),
        place: "An Bình".into(),
        subject: "Về việc khen thưởng năm 2025".into(),
        signer_name: "Nguyễn Văn A".into(),
        signer_title: "CHỦ TỊCH".into(),
    };
    let d = NewDecision {
        issuer_id: f.committee_a.id,
        nomination_id: Some(list),
        amends_id: None,
        award_year: 2025,
        header,
        awards: vec![
            (lan, CertificateOfMerit, None),
            (nam, CertificateOfMerit, None),
            (ba, CertificateOfMerit, None),
            (lan, AdvancedWorker, None),
            (group, AdvancedCollective, None),
        ],
    };
    let id = s.create_decision(&ctx, &d).await.unwrap();
    s.issue_decision(&ctx, id).await.unwrap();

    let province = "Ủy ban nhân dân thành phố";
    title(app, nam, GrassrootsEmulationFighter, day(2026, 3, 1), "Công ty chưa có trong danvan").await;
    title(app, lan, GrassrootsEmulationFighter, day(2026, 1, 20), "UBND phường An Bình").await;
    title(app, nam, CertificateOfMerit, day(2025, 12, 10), "Ủy ban nhân dân phường An Bình").await;
    title(app, nam, AdvancedWorker, day(2025, 3, 20), "Ủy ban nhân dân phường An Bình").await;
    title(app, nam, ProvincialCommendation, day(2026, 2, 1), province).await;
    title(app, ba, ProvincialCommendation, day(2026, 11, 30), province).await;
    title(app, lan, ProvincialEmulationFighter, day(2026, 4, 1), province).await;
    title(app, lan, ProvincialCommendation, day(2026, 12, 1), province).await;
    title(app, other, ProvincialCommendation, day(2026, 1, 20), province).await;
    title(app, group, PrimeMinisterCommendation, day(2026, 5, 1), "Thủ tướng Chính phủ").await;
}

/// The text of the page's cell at row `row`, column `col` of the form table.
fn cell(html: &str, row: &str, col: &str) -> String {
    let start = html.find(&format!("id=\"row-{row}\"")).unwrap_or_else(|| panic!("row {row}"));
    let tr = &html[start..start + html[start..].find("</tr>").unwrap()];
    let at = tr.find(&format!("data-col=\"{col}\">")).unwrap_or_else(|| panic!("row {row} col {col}"));
    let rest = &tr[at + format!("data-col=\"{col}\">").len()..];
    rest[..rest.find('<').unwrap()].to_string()
}

/// The value of the XLSX cell at the row whose code (column B) is `row` and the column whose
/// code (the codes line) is `col`.
fn xlsx_cell(bytes: &[u8], row: &str, col: &str) -> Option<f64> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        _ => String::new(),
    };
    let r = range.rows().position(|cells| cells.get(1).map(text).as_deref() == Some(row))?;
    let codes = range.rows().position(|cells| cells.first().map(text).as_deref() == Some("A"))?;
    let c = range.rows().nth(codes)?.iter().position(|d| text(d) == col)?;
    match range.rows().nth(r)?.get(c)? {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        _ => None,
    }
}

#[tokio::test]
async fn the_forms_count_ward_as_data_as_counted_by_hand_on_the_page_and_in_the_xlsx() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        known_data(&app, &f).await;
        let be = app.backend;
        let mut c = signed_in(&app, "emulation_a").await;

        // 0601: movements, in ward A's column (4: "Cơ quan, tổ chức, đơn vị").
        let (status, html) = c.page("/emulation/statistics?form=0601&year=2026&unit=TA").await;
        assert_eq!(status, 200, "{be}: {html}");
        assert!(html.contains("Thông tư số 18/2025/TT-BNV"), "{be}: the 2025 version for 2026");
        assert!(html.contains("id=\"stat-unverified\""), "{be}: a version not checked against the act says so");
        for (row, col, n) in [
            ("05", "4", "4"),
            ("04", "4", "1"),
            ("06", "4", "2"),
            ("07", "4", "2"),
            ("08", "4", "0"),
            ("09", "4", "1"),
            ("10", "4", "0"),
            ("11", "4", "2"),
            ("12", "4", "3"),
            ("05", "3", "0"),
        ] {
            assert_eq!(cell(&html, row, col), n, "{be}: 0601 ({row}, {col})");
        }
        assert_eq!(cell(&html, "05", "2"), "✎", "{be}: the central council's column by hand");
        assert_eq!(cell(&html, "02", "4"), "✎", "{be}: nationwide movements are not launched in danvan");
        assert_eq!(cell(&html, "01", "4"), "5 + ✎", "{be}");
        assert_eq!(cell(&html, "01", "1"), "5 + ✎", "{be}: the total lacks the hand-filled part");
        assert_eq!(cell(&html, "12", "1"), "3 + ✎", "{be}");
        assert!(html.contains("id=\"statistics-xlsx\""), "{be}");

        // 0602: State awards, by award and recipient.
        let (_, html) = c.page("/emulation/statistics?form=0602&year=2026&unit=TA").await;
        for (row, col, n) in [("6", "7", "1"), ("9", "7", "0"), ("9", "8", "0"), ("6", "6", "0")] {
            assert_eq!(cell(&html, row, col), n, "{be}: 0602 ({row}, {col})");
        }
        assert_eq!(cell(&html, "6", "2"), "✎", "{be}: orders and medals are not kept");
        assert_eq!(cell(&html, "10", "7"), "✎", "{be}: the individuals' positions are not kept");
        assert_eq!(cell(&html, "1", "1"), "1 + ✎", "{be}");
        assert!(html.contains("8 lượt khen thưởng cấp cơ sở trong kỳ"), "{be}: {html}");
        assert!(html.contains("Đơn vị tính") && html.contains("<td>Người</td>"), "{be}: column C");

        // 0603: provincial awards, by award and recipient.
        let (_, html) = c.page("/emulation/statistics?form=0603&year=2026&unit=TA").await;
        for (row, col, n) in [("05", "2", "1"), ("04", "2", "1"), ("05", "3", "1"), ("02", "4", "0"), ("02", "2", "0")] {
            assert_eq!(cell(&html, row, col), n, "{be}: 0603 ({row}, {col})");
        }
        assert_eq!(cell(&html, "05", "5"), "✎", "{be}: badges are not kept");
        assert_eq!(cell(&html, "05", "1"), "2 + ✎", "{be}");
        assert_eq!(cell(&html, "11", "2"), "✎", "{be}: the method of an award is not kept");

        // 0604, 0605: the organisation and staff of the work are not kept: every cell by hand.
        for form in ["0604", "0605"] {
            let (status, html) = c.page(&format!("/emulation/statistics?form={form}&year=2026&unit=TA")).await;
            assert_eq!(status, 200, "{be}");
            assert_eq!(cell(&html, "04", "1").replace(' ', ""), "✎", "{be}: {form}");
            assert!(html.contains("id=\"stat-by-hand\""), "{be}: {form}");
        }

        // The unit typed by its name, as the hint invites, is the same unit.
        let (status, by_name) =
            c.page("/emulation/statistics?form=0603&year=2026&unit=Ph%C6%B0%E1%BB%9Dng%20An%20B%C3%ACnh").await;
        assert_eq!(status, 200, "{be}: {by_name}");
        assert_eq!(cell(&by_name, "05", "2"), "1", "{be}");

        // The 2024 report uses the 2023 version, read from the forms; nothing in its period.
        let (status, html) = c.page("/emulation/statistics?form=0601&year=2024&unit=TA").await;
        assert_eq!(status, 200, "{be}");
        assert!(html.contains("Thông tư số 02/2023/TT-BNV") && !html.contains("id=\"stat-unverified\""), "{be}");
        assert_eq!(cell(&html, "05", "4"), "0", "{be}");

        // The XLSX holds the same numbers, the hand-filled cells blank.
        let r = c.get("/emulation/statistics/0603.xlsx?year=2026&unit=TA").await;
        assert_eq!(r.status().as_u16(), 200, "{be}");
        assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"), "{be}");
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("bieu-0603-2026-TA.xlsx"), "{be}");
        let bytes = r.bytes().await.unwrap();
        assert_eq!(xlsx_cell(&bytes, "05", "2"), Some(1.0), "{be}");
        assert_eq!(xlsx_cell(&bytes, "05", "3"), Some(1.0), "{be}");
        assert_eq!(xlsx_cell(&bytes, "04", "2"), Some(1.0), "{be}");
        assert_eq!(xlsx_cell(&bytes, "01", "1"), Some(3.0), "{be}: the total row's stored value");
        assert_eq!(xlsx_cell(&bytes, "05", "5"), None, "{be}: left blank to fill in by hand");
        let r = c.get("/emulation/statistics/0601.xlsx?year=2026&unit=TA").await;
        let bytes = r.bytes().await.unwrap();
        assert_eq!(xlsx_cell(&bytes, "05", "4"), Some(4.0), "{be}");
        assert_eq!(xlsx_cell(&bytes, "12", "4"), Some(3.0), "{be}");

        // A leader of ward A reads ward A's group alone: the ward's own movements are not in it.
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, html) = leader.page("/emulation/statistics?form=0603&year=2026&unit=TA-1").await;
        assert_eq!(status, 200, "{be}");
        assert_eq!(cell(&html, "05", "2"), "1", "{be}: the awards are to group 1's people");
        let (_, html) = leader.page("/emulation/statistics?form=0601&year=2026&unit=TA-1").await;
        assert_eq!(cell(&html, "05", "4"), "0", "{be}");
    }
}

#[tokio::test]
async fn another_wards_official_is_refused_and_bad_input_is_a_field_error() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        known_data(&app, &f).await;
        let be = app.backend;
        let mut b = signed_in(&app, "leader_b").await;
        let (status, _) = b.page("/emulation/statistics?form=0603&year=2026&unit=TA").await;
        assert!(status == 403 || status == 404, "{be}: ward B's leader, got {status}");
        let r = b.get("/emulation/statistics/0603.xlsx?year=2026&unit=TA").await;
        assert!(matches!(r.status().as_u16(), 403 | 404), "{be}");
        // Ward B's own form holds only ward B.
        let (status, html) = b.page("/emulation/statistics?form=0603&year=2026&unit=TB").await;
        assert_eq!(status, 200, "{be}");
        assert_eq!(cell(&html, "05", "2"), "1", "{be}");
        // The picker lists ward B's units, not ward A's.
        assert!(html.contains("<option value=\"TB\">") && !html.contains("<option value=\"TA\">"), "{be}");

        let mut c = signed_in(&app, "emulation_a").await;
        for (query, field) in [
            ("form=0603&year=1999&unit=TA", "year"),
            ("form=0603&year=2101&unit=TA", "year"),
            ("form=0603&year=99999999999&unit=TA", "year"),
            ("form=0603&year=abc&unit=TA", "year"),
            ("form=0603&year=2022&unit=TA", "year"),
            ("form=0609&year=2026&unit=TA", "form"),
            ("form=0603&year=2026&unit=NOPE", "unit"),
            ("form=0603&year=2026&unit=", "unit"),
        ] {
            let (status, html) = c.page(&format!("/emulation/statistics?{query}")).await;
            assert_eq!(status, 422, "{be}: {query}");
            assert!(html.contains(&format!("id=\"f-{field}-error\"")), "{be}: {query}: error on {field}");
            assert!(!html.contains("id=\"stat-table\""), "{be}: {query}");
        }
        let r = c.get("/emulation/statistics/0603.xlsx?year=3000&unit=TA").await;
        assert_eq!(r.status().as_u16(), 422, "{be}");
        let r = c.get("/emulation/statistics/0699.xlsx?year=2026&unit=TA").await;
        assert_eq!(r.status().as_u16(), 422, "{be}");
        let r = c.get("/emulation/statistics/0603.pdf?year=2026&unit=TA").await;
        assert_eq!(r.status().as_u16(), 404, "{be}");
        // The first visit: the form alone, in both languages.
        let (status, html) = c.page("/emulation/statistics").await;
        assert_eq!(status, 200, "{be}");
        assert!(html.contains("id=\"statistics-form\"") && !html.contains("id=\"stat-table\""), "{be}");
        let (_, index) = c.page("/emulation").await;
        assert!(index.contains("href=\"/emulation/statistics\""), "{be}: linked from the emulation page");
        // Signed out: to the sign-in page.
        let r = app.client().get("/emulation/statistics?form=0603&year=2026&unit=TA").await;
        assert!(matches!(r.status().as_u16(), 303 | 401), "{be}");
    }
}
