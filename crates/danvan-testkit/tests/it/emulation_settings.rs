//! The emulation settings over time (issue 11 item 5), on SQLite and (when configured)
//! PostgreSQL: an administrator adds a version from a date; a year is judged by the version in
//! force on its 31 December, through the eligibility page and the API alike; bad fields are
//! named; no one else changes them.

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use serde_json::Value;

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

/// The settings form with the defaults, in force from `from`, and the given changes.
fn form<'a>(from: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("effective_from", from),
        ("base_salary", "2.340.000"),
        ("rounding_unit", "10000"),
        ("grassroots_cap_percent", ""),
        ("women_priority_percent", "70"),
        ("max_absence_days", ""),
        ("council_high_percent", "90"),
        ("council_high_base", "all_members"),
        ("council_other_percent", "50"),
        ("council_other_base", "all_members"),
        ("council_other_strict", "on"),
        ("coefficient.advanced_worker", "0,3"),
        ("coefficient.emulation_fighter_grassroots", "1"),
        ("coefficient.emulation_fighter_provincial", "3"),
        ("coefficient.emulation_fighter_national", "4,5"),
        ("coefficient.advanced_collective", "0,8"),
        ("coefficient.excellent_collective", "1,5"),
        ("coefficient.emulation_flag_provincial", "8"),
        ("coefficient.emulation_flag_government", "12"),
        ("coefficient.certificate_of_commendation_provincial", "1,5"),
        ("coefficient.certificate_of_commendation_prime_minister", "3,5"),
        ("coefficient.certificate_of_merit", "0,3"),
        ("high.emulation_fighter_provincial", "on"),
        ("high.emulation_fighter_national", "on"),
    ];
    for (k, v) in changes {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

/// A person of group A1 rated good in 2025 and 2026, in emulation, away 20 days in each year.
async fn away_twenty_days(c: &mut Client) -> i64 {
    let r = c.post_form("/emulation/records", &[("kind", "individual"), ("name", "Lý Văn Nghỉ"), ("unit", "TA")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let id: i64 = r.headers()["location"].to_str().unwrap().trim_start_matches("/emulation/records/").parse().unwrap();
    for (year, from, to) in [("2025", "2025-03-01", "2025-03-20"), ("2026", "2026-03-01", "2026-03-20")] {
        let rating = [("entry", "rating"), ("year", year), ("rating", "good"), ("in_emulation", "on")];
        assert_eq!(c.post_form(&format!("/emulation/records/{id}/entries"), &rating).await.status().as_u16(), 303);
        let leave = [("entry", "leave"), ("kind", "other"), ("from", from), ("to", to)];
        assert_eq!(c.post_form(&format!("/emulation/records/{id}/entries"), &leave).await.status().as_u16(), 303);
    }
    id
}

async fn eligible(c: &mut Client, id: i64, year: i32) -> bool {
    let path = format!("/api/v1/emulation/records/{id}/eligibility?award=advanced_worker&year={year}");
    let r = c.json(reqwest::Method::GET, &path, None).await;
    assert_eq!(r.status().as_u16(), 200);
    r.json::<Value>().await.unwrap()["eligible"].as_bool().unwrap()
}

#[tokio::test]
async fn a_year_is_judged_by_the_version_in_force_on_its_last_day() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "emulation_a").await;
        let id = away_twenty_days(&mut officer).await;
        assert!(eligible(&mut officer, id, 2025).await, "no absence bar by default");

        let mut admin = signed_in(&app, "admin").await;
        admin.page("/emulation/settings").await;
        // From 2025: at most 10 days away. From 1 July 2026: no bar again.
        let r = admin.post_form("/emulation/settings", &form("2025-01-01", &[("max_absence_days", "10")])).await;
        assert_eq!(r.status().as_u16(), 303);
        let r = admin.post_form("/emulation/settings", &form("01/07/2026", &[])).await;
        assert_eq!(r.status().as_u16(), 303);

        assert!(!eligible(&mut officer, id, 2025).await, "2025 is judged with the 10-day bar");
        assert!(eligible(&mut officer, id, 2026).await, "2026 by the version of 1 July 2026");
        let (status, html) = officer.page(&format!("/emulation/records/{id}/eligibility?award=advanced_worker&year=2025")).await;
        assert_eq!(status, 200);
        assert!(html.contains("tối đa 10 ngày"), "the page names the bar: {html}");

        let (status, html) = admin.page("/emulation/settings").await;
        assert_eq!(status, 200);
        for date in ["01/01/2024", "01/01/2025", "01/07/2026"] {
            assert!(html.contains(date), "version {date} listed");
        }
        assert!(html.contains("hiệu lực từ 01/07/2026."), "the confirmation shows the date as a date: {html}");
        // Removing the 2025 version judges 2025 by the defaults again; the page asks first.
        assert!(html.contains("href=\"/emulation/settings/2025-01-01/delete\""), "{html}");
        let (status, ask) = admin.page("/emulation/settings/2025-01-01/delete").await;
        assert_eq!(status, 200);
        assert!(ask.contains("id=\"remove-form\"") && ask.contains("01/01/2025"), "{ask}");
        assert_eq!(admin.page("/emulation/settings/2031-01-01/delete").await.0, 404, "no such version");
        assert_eq!(admin.page("/emulation/settings/xyz/delete").await.0, 404);
        assert_eq!(officer.page("/emulation/settings/2025-01-01/delete").await.0, 403, "the administrators' only");
        let r = admin.post_form("/emulation/settings/2025-01-01/delete", &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(eligible(&mut officer, id, 2025).await);
        let r = admin.post_form("/emulation/settings/2025-01-01/delete", &[]).await;
        assert_eq!(r.status().as_u16(), 404, "no such version any more");
    }
}

#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_saved() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut admin = signed_in(&app, "admin").await;
        admin.page("/emulation/settings").await;
        let bad = form(
            "2023-12-31",
            &[("base_salary", "hai triệu"), ("council_high_percent", "190"), ("coefficient.certificate_of_merit", "0,0001")],
        );
        let r = admin.post_form("/emulation/settings", &bad).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        for field in ["effective_from", "base_salary", "council_high_percent", "coefficient.certificate_of_merit"] {
            assert!(html.contains(&format!("href=\"#f-{field}\"")), "{field} named in the summary");
        }
        assert!(html.contains("06/2022/QH15"), "the date's error cites the Law");
        let r = admin.post_form("/emulation/settings", &form("12345-01-01", &[])).await;
        assert_eq!(r.status().as_u16(), 422, "an absurd date is a field error");
        assert_eq!(app.store.emulation_settings_book().await.unwrap().versions.len(), 1, "nothing saved");
        // The last version is never removed.
        let r = admin.post_form("/emulation/settings/2024-01-01/delete", &[]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert_eq!(app.store.emulation_settings_book().await.unwrap().versions.len(), 1);
    }
}
