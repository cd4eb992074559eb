//! The review dashboard and the indicators' monthly counts (issue 12), on SQLite and (when
//! configured) PostgreSQL: known cases in ward A — answered on time and late, rated, answered then
//! reopened, transferred between units, reclassified, one past its due date — and one in ward B.
//! The counts the triggers keep equal a rebuild from the cases; the counts and the per-case facts
//! give the same figures; the dashboard's API and page show the hand count; other units' officers,
//! anonymous visitors and absurd months are refused.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_domain::indicators::{CaseFigures, Dimension, MonthRange, YearMonth};
use danvan_store::cases::CaseChange;
use danvan_store::{AuditCtx, Store};
use danvan_testkit::{case_in, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::Value;

/// 10:00 in Viet Nam on `day`.
fn at(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(3, 0, 0).unwrap())
}

async fn change(app: &TestApp, id: i64, ch: CaseChange) {
    app.store.apply_case_change(&AuditCtx::system("test"), id, &ch).await.unwrap();
}

async fn answer(app: &TestApp, id: i64, day: NaiveDate) {
    let ch = CaseChange {
        at: Some(at(day)),
        answered: true,
        ..CaseChange::new("send_answer", CaseStatus::Accepted, CaseStatus::Answered)
    };
    change(app, id, ch).await;
}

/// Every stored count and histogram bucket, as text in key order.
async fn snapshot(store: &Store) -> Vec<String> {
    let mut rows = vec![];
    for dim in Dimension::ALL {
        for r in store.case_month_counts("/", *dim, 0, i32::MAX).await.unwrap() {
            rows.push(format!("{dim} {} {} {} {:?}", r.month, r.unit_path, r.value, r.counts));
        }
    }
    for dim in [Dimension::All, Dimension::Public] {
        for (path, d) in store.case_month_answer_days("/", dim, 0, i32::MAX).await.unwrap() {
            rows.push(format!("days {dim} {} {path} {} {}", d.month, d.days, d.answered));
        }
    }
    rows.sort();
    rows
}

#[tokio::test]
async fn the_dashboard_counts_what_happened_and_the_triggers_agree_with_a_rebuild() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let cal = danvan_domain::calendar::WorkCalendar::default();
        let today = Utc::now().date_naive();
        let wd = |n: u32| cal.add_working_days(today, n).unwrap();
        let due = today.checked_add_days(Days::new(14)).unwrap();
        let late = due.checked_add_days(Days::new(3)).unwrap();
        let mut a = vec![];
        for i in 0..4 {
            a.push(case_in(&app, &f.committee_a, CaseKind::Feedback, &format!("Người gửi {i}"), true).await);
        }
        let in_group = case_in(&app, &f.group_a1, CaseKind::Feedback, "Người ở tổ 1", false).await;
        let other = case_in(&app, &f.ward_b, CaseKind::Feedback, "Người phường B", true).await;
        answer(&app, other.id, wd(1)).await;
        // 0: on time after 2 working days, rated 5; 1: late, rated 2; 2: answered, then reopened.
        answer(&app, a[0].id, wd(2)).await;
        answer(&app, a[1].id, late).await;
        answer(&app, a[2].id, wd(1)).await;
        for (i, r) in [(0, 5), (1, 2)] {
            app.store.rate_case(a[i].id, r, "", at(late)).await.unwrap();
        }
        let reopen = CaseChange { reopened: true, ..CaseChange::new("reopen", CaseStatus::Answered, CaseStatus::InProgress) };
        change(&app, a[2].id, reopen).await;
        // 3: transferred from the committee to residential group 1.
        let transfer = CaseChange {
            unit: Some((f.group_a1.id, f.group_a1.path.clone())),
            ..CaseChange::new("transfer", CaseStatus::Accepted, CaseStatus::Accepted)
        };
        change(&app, a[3].id, transfer).await;
        // The group's case: reclassified as a petition, and past its acceptance date.
        let past = today.checked_sub_days(Days::new(3)).unwrap();
        let reclassify = CaseChange {
            kind: Some(CaseKind::Petition),
            accept_due: Some(Some(past)),
            ..CaseChange::new("reclassify", CaseStatus::Received, CaseStatus::Received)
        };
        change(&app, in_group.id, reclassify).await;

        // The triggers kept what a rebuild from the cases gives.
        let kept = snapshot(&app.store).await;
        assert!(!kept.is_empty());
        app.store.rebuild_case_counts(&cal).await.unwrap();
        assert_eq!(snapshot(&app.store).await, kept, "{}: the counts the triggers kept are the rebuilt ones", app.backend);

        // The counts and the per-case facts give the same figures for the month.
        let range = MonthRange::new(YearMonth::of(today), YearMonth::of(today)).unwrap();
        let (first, last) = (range.first_day(), range.last_day());
        let by_counts = danvan_app::indicators::case_figures(&app.app, &f.ward_a.path, first, last).await.unwrap();
        let by_facts = CaseFigures::compute(&app.store.case_facts(&f.ward_a.path, first, last).await.unwrap());
        assert_eq!(by_counts, by_facts, "{}", app.backend);
        let k = by_counts.counts;
        let late_days = cal.working_days_between(today, late);
        assert_eq!((k.received, k.answered, k.on_time, k.rated, k.rating_sum, k.reopened, k.transferred), (5, 2, 1, 2, 7, 1, 1));
        assert_eq!(k.answer_days_sum, 2 + late_days);

        // The dashboard's API, for ward A's leader.
        let mut leader = app.client();
        assert_eq!(leader.login("leader_a", PASSWORD).await.status().as_u16(), 303);
        let month = YearMonth::of(today).to_string();
        let q = format!("unit=TA&from={month}&to={month}");
        let r = leader.json(Method::GET, &format!("/api/v1/review/dashboard?{q}"), None).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        let d: Value = r.json().await.unwrap();
        let value = |key: &str| d["indicators"].as_array().unwrap().iter().find(|i| i["key"] == key).unwrap()["value"].as_f64();
        assert_eq!(value("cases_received"), Some(5.0));
        assert_eq!(value("cases_answered"), Some(2.0));
        assert_eq!(value("answered_on_time_share"), Some(50.0));
        assert_eq!(value("median_answer_days"), Some((2 + late_days) as f64 / 2.0));
        assert_eq!(value("p90_answer_days"), Some(late_days as f64));
        assert_eq!(value("satisfaction"), Some(3.5));
        assert_eq!(value("reopened_share"), Some(20.0));
        assert_eq!(value("transferred_share"), Some(20.0));
        assert_eq!(value("overdue_now"), Some(1.0), "the group's case, past its acceptance date");
        let sub = |code: &str| d["sub_units"].as_array().unwrap().iter().find(|s| s["code"] == code).cloned();
        let committee = sub("TA-UB").expect("the committee's line");
        assert_eq!(committee["counts"]["received"], 3, "the transferred case left it");
        assert_eq!(committee["answered_on_time_share"].as_f64(), Some(50.0));
        let group = sub("TA-1").expect("the group's line");
        assert_eq!((group["counts"]["received"].as_i64(), group["overdue_now"].as_i64()), (Some(2), Some(1)));
        assert_eq!(d["sub_units"][0]["code"], "TA-UB", "ranked by on-time share first");
        let kinds: Vec<(String, i64)> = d["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["value"].as_str().unwrap().into(), b["counts"]["received"].as_i64().unwrap()))
            .collect();
        assert_eq!(kinds, vec![("feedback".into(), 4), ("petition".into(), 1)]);
        assert_eq!(d["overdue"].as_array().unwrap().len(), 1);
        assert_eq!(d["overdue"][0]["unit_name"], f.group_a1.name.as_str());
        assert_eq!(d["months"].as_array().unwrap().len(), 1);

        // The page shows the same numbers.
        let (status, html) = leader.page(&format!("/review/dashboard?{q}")).await;
        assert_eq!(status, 200);
        for (id, text) in [
            ("ind-cases_received", ">5<"),
            ("ind-answered_on_time_share", "50,0%"),
            ("ind-satisfaction", "3,5/5"),
            ("ind-overdue_now", ">1<"),
        ] {
            let card = &html[html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id}"))..];
            let card = &card[..card.find("</li>").unwrap()];
            assert!(card.contains(text), "{id}: {card}");
        }
        assert!(html.contains("id=\"trend-chart\"") && html.contains("id=\"ranking-chart\"") && html.contains("<svg"));
        assert!(html.contains("id=\"overdue-table\"") && html.contains(&f.group_a1.name));

        // A year back: no case, no overdue state (the period does not include today).
        let year_ago = YearMonth::of(today).plus(-12).to_string();
        let r = leader.json(Method::GET, &format!("/api/v1/review/dashboard?unit=TA&from={year_ago}&to={year_ago}"), None).await;
        let old: Value = r.json().await.unwrap();
        assert_eq!(old["indicators"][0]["value"].as_f64(), Some(0.0));
        assert!(old["indicators"].as_array().unwrap().iter().find(|i| i["key"] == "overdue_now").unwrap()["value"].is_null());

        // Refused: another ward's leader, an anonymous visitor, absurd months.
        let mut other_leader = app.client();
        assert_eq!(other_leader.login("leader_b", PASSWORD).await.status().as_u16(), 303);
        let r = other_leader.json(Method::GET, &format!("/api/v1/review/dashboard?{q}"), None).await;
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(other_leader.page(&format!("/review/dashboard?{q}")).await.0, 403);
        let mut anonymous = app.client();
        assert_eq!(anonymous.json(Method::GET, &format!("/api/v1/review/dashboard?{q}"), None).await.status().as_u16(), 401);
        for bad in
            ["from=2026-13", "from=0001-01", "from=2026-05&to=2026-04", "from=1990-01&to=2030-01", "to=%00", "from=9999999999-01"]
        {
            let r = leader.json(Method::GET, &format!("/api/v1/review/dashboard?unit=TA&{bad}"), None).await;
            assert_eq!(r.status().as_u16(), 422, "{bad}");
            let (status, html) = leader.page(&format!("/review/dashboard?unit=TA&{bad}")).await;
            assert_eq!(status, 422, "{bad}");
            assert!(html.contains("error-summary"), "{bad}");
        }
        let r = leader.json(Method::GET, "/api/v1/review/dashboard?unit=NOPE", None).await;
        assert_eq!(r.status().as_u16(), 422);
    }
}

#[tokio::test]
async fn the_catalogue_is_public_and_documented_in_both_languages() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let (status, html) = c.page("/review/indicators").await;
    assert_eq!(status, 200);
    for d in danvan_domain::indicators::CATALOGUE {
        assert!(html.contains(&format!("id=\"indicator-{}\"", d.key)), "{}", d.key);
        assert!(html.contains(d.name_vi));
    }
    let r = c.json(Method::GET, "/api/v1/review/indicators", None).await;
    assert_eq!(r.status().as_u16(), 200);
    let list: Vec<Value> = r.json().await.unwrap();
    assert_eq!(list.len(), danvan_domain::indicators::CATALOGUE.len());
}

/// The value or formula text of each cell of a sheet, by row and column (0-based).
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::String(s) => s.clone(),
                    Data::Float(v) => format!("{v}"),
                    Data::Int(v) => format!("{v}"),
                    _ => String::new(),
                })
                .collect()
        })
        .collect()
}

/// The formula of a cell (0-based, from A1).
fn formula(bytes: &[u8], name: &str, row: usize, col: usize) -> String {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    wb.worksheet_formula(name).unwrap().get_value((row as u32, col as u32)).cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_dashboards_xlsx_has_the_pages_numbers_with_formulas_for_shares_and_totals() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let cal = danvan_domain::calendar::WorkCalendar::default();
    let today = Utc::now().date_naive();
    let late = today.checked_add_days(Days::new(20)).unwrap();
    let a = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi 1", true).await;
    let b = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi 2", true).await;
    case_in(&app, &f.group_a1, CaseKind::Petition, "Người gửi 3", true).await;
    answer(&app, a.id, cal.add_working_days(today, 2).unwrap()).await;
    answer(&app, b.id, late).await;
    let mut leader = app.client();
    assert_eq!(leader.login("leader_a", PASSWORD).await.status().as_u16(), 303);
    let month = YearMonth::of(today).to_string();
    let r = leader.get(&format!("/review/dashboard.xlsx?unit=TA&from={month}&to={month}")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(&format!("bang-dieu-hanh-TA-{month}-{month}.xlsx")));
    let bytes = r.bytes().await.unwrap();
    let units = sheet(&bytes, "Đơn vị trực thuộc");
    assert!(units[0][0].contains("Phường An Bình"), "{:?}", units[0]);
    let line = |label: &str| units.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("{label}: {units:?}")).clone();
    let committee = line("Ủy ban nhân dân phường An Bình");
    assert_eq!(&committee[1..5], &["2", "2", "1", "50"], "received, answered, on time, share");
    let total = line("Tổng cộng");
    assert_eq!(&total[1..5], &["3", "2", "1", "50"]);
    let total_row = units.iter().position(|r| r[0] == "Tổng cộng").unwrap();
    let sum = formula(&bytes, "Đơn vị trực thuộc", total_row, 1);
    assert!(sum.starts_with("SUM("), "{sum}");
    let share = formula(&bytes, "Đơn vị trực thuộc", total_row, 4);
    assert!(share.starts_with("IF("), "{share}");
    let kinds = sheet(&bytes, "Loại vụ việc");
    assert!(kinds.iter().any(|r| r[0] == "Phản ánh" && r[1] == "2") && kinds.iter().any(|r| r[0] == "Kiến nghị" && r[1] == "1"));
    let indicators = sheet(&bytes, "Chỉ số");
    assert!(indicators.iter().any(|r| r[0] == "Tỷ lệ trả lời đúng hạn" && r[1] == "50"), "{indicators:?}");
    // Refused as the page is.
    let mut other = app.client();
    assert_eq!(other.login("leader_b", PASSWORD).await.status().as_u16(), 303);
    assert_eq!(other.get("/review/dashboard.xlsx?unit=TA").await.status().as_u16(), 403);
}

#[tokio::test]
async fn public_figures_leave_out_protected_senders_that_the_dashboard_counts() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let today = Utc::now().date_naive();
        let open = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi", true).await;
        answer(&app, open.id, today).await;
        let protected = case_in(&app, &f.committee_a, CaseKind::Denunciation, "Người tố cáo", true).await;
        answer(&app, protected.id, today).await;
        // Reclassified later: a feedback whose sender becomes protected leaves the public count.
        let turned = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi sau", false).await;
        let protect = CaseChange { protect: true, ..CaseChange::new("reclassify", CaseStatus::Received, CaseStatus::Received) };
        change(&app, turned.id, protect).await;
        let mut leader = app.client();
        assert_eq!(leader.login("leader_a", PASSWORD).await.status().as_u16(), 303);
        let month = YearMonth::of(today).to_string();
        let d: Value = leader
            .json(Method::GET, &format!("/api/v1/review/dashboard?unit=TA&from={month}&to={month}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(d["indicators"][0]["value"].as_f64(), Some(3.0), "{}: officials count every case", app.backend);
        let range = MonthRange::new(YearMonth::of(today).plus(-11), YearMonth::of(today)).unwrap();
        let (_, public) = danvan_app::indicators::public_figures(&app.app, &f.ward_a.path, range).await.unwrap();
        assert_eq!((public.counts.received, public.counts.answered), (1, 1), "{}", app.backend);
        let mut visitor = app.client();
        let (status, html) = visitor.page("/public/cases?unit=TA").await;
        assert_eq!(status, 200);
        let headline = &html[html.find("id=\"figures-headline\"").unwrap()..];
        let headline = &headline[..headline.find("</dl>").unwrap()];
        assert!(headline.contains("<dd>1</dd>") && !headline.contains("<dd>3</dd>"), "{headline}");
        // The triggers agree with a rebuild on the public rows too.
        let kept = snapshot(&app.store).await;
        app.store.rebuild_case_counts(&danvan_domain::calendar::WorkCalendar::default()).await.unwrap();
        assert_eq!(snapshot(&app.store).await, kept, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_denunciation_that_concerns_the_reader_is_not_counted_on_their_dashboard() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let today = Utc::now().date_naive();
        case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi", true).await;
        let d = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người tố cáo", true).await;
        let past = today.checked_sub_days(Days::new(2)).unwrap();
        let about_ward_a = CaseChange {
            kind: Some(CaseKind::Denunciation),
            protect: true,
            concern: Some(danvan_store::cases::Concern {
                unit_id: f.ward_a.id,
                name: "Lãnh đạo phường".into(),
                account_id: None,
            }),
            resolve_due: Some(Some(past)),
            ..CaseChange::new("reclassify", CaseStatus::Accepted, CaseStatus::Accepted)
        };
        change(&app, d.id, about_ward_a).await;
        let month = YearMonth::of(today).to_string();
        let q = format!("/api/v1/review/dashboard?unit=TA&from={month}&to={month}");
        let mut leader = app.client();
        assert_eq!(leader.login("leader_a", PASSWORD).await.status().as_u16(), 303);
        let mine: Value = leader.json(Method::GET, &q, None).await.json().await.unwrap();
        let value = |d: &Value, key: &str| {
            d["indicators"].as_array().unwrap().iter().find(|i| i["key"] == key).unwrap()["value"].as_f64()
        };
        assert_eq!(value(&mine, "cases_received"), Some(1.0), "{}: not counted for whom it concerns", app.backend);
        assert_eq!(value(&mine, "overdue_now"), Some(0.0), "{}", app.backend);
        assert!(mine["by_kind"].as_array().unwrap().iter().all(|b| b["value"] != "denunciation"));
        assert!(mine["overdue"].as_array().unwrap().is_empty());
        let mut admin = app.client();
        assert_eq!(admin.login("admin", PASSWORD).await.status().as_u16(), 303);
        let all: Value = admin.json(Method::GET, &q, None).await.json().await.unwrap();
        assert_eq!(value(&all, "cases_received"), Some(2.0), "{}: counted for the others", app.backend);
        assert_eq!(value(&all, "overdue_now"), Some(1.0));
    }
}
