//! Calendar overrides from the administrators' page: add, delete, CSV import.

use super::*;
use chrono::{Datelike, NaiveDate};
use danvan_testkit::{Fixture, TestApp};

#[tokio::test]
async fn calendar_overrides_from_the_page_change_working_days() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = admin(&app).await;
        let (s, _) = c.page("/admin/calendar?year=2031").await;
        assert_eq!(s, 200);
        // Tuesday 4 March 2031 is an ordinary working day.
        let tue = NaiveDate::from_ymd_opt(2031, 3, 4).unwrap();
        let mon = NaiveDate::from_ymd_opt(2031, 3, 3).unwrap();
        assert!(app.store.work_calendar().await.unwrap().is_working_day(tue));
        assert_eq!(app.store.work_calendar().await.unwrap().add_working_days(mon, 1), Some(tue));
        // A day off needs its reason.
        let r = c.post_form("/admin/calendar", &[("day", "2031-03-04"), ("kind", "day_off"), ("reason", "")]).await;
        assert_eq!(r.status().as_u16(), 422);
        let r =
            c.post_form("/admin/calendar", &[("day", "04/03/2031"), ("kind", "day_off"), ("reason", "Thông báo số 1/TB")]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let cal = app.store.work_calendar().await.unwrap();
        assert!(!cal.is_working_day(tue));
        assert_eq!(cal.add_working_days(mon, 1), NaiveDate::from_ymd_opt(2031, 3, 5));
        let (_, page) = c.page("/admin/calendar?year=2031").await;
        assert!(page.contains("Thông báo số 1/TB"));

        assert_eq!(c.post_form("/admin/calendar/delete", &[("day", "2031-03-04")]).await.status().as_u16(), 303);
        assert!(app.store.work_calendar().await.unwrap().is_working_day(tue));

        // Import: one bad row, nothing saved; then a good file.
        c.page("/admin/calendar").await;
        let r = upload(
            &mut c,
            "/admin/calendar/import",
            "o.csv",
            "day,kind,reason\n2031-03-04,day_off,Nghỉ bù\n2031-03-05,holiday,x\n",
        )
        .await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("Dòng 3"));
        assert!(app.store.calendar_overrides().await.unwrap().is_empty());
        let r = upload(&mut c, "/admin/calendar/import", "o.csv", "2031-03-04,day_off,Nghỉ bù\n2031-03-08,working_day,Làm bù\n")
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let cal = app.store.work_calendar().await.unwrap();
        let sat = NaiveDate::from_ymd_opt(2031, 3, 8).unwrap();
        assert_eq!(sat.weekday(), chrono::Weekday::Sat);
        assert!(!cal.is_working_day(tue) && cal.is_working_day(sat));
        let (_, audit) = c.page("/admin/audit?action=calendar.override").await;
        assert!(audit.contains("2031-03-08"));
    }
}
