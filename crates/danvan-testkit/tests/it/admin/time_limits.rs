//! Time limits: the settings page, and the due date of a case received after a change.

use super::*;
use danvan_domain::cases::{ClockStart, DayCount};
use danvan_domain::settings::{Deadlines, POLICY_DAY_FIELDS};
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp};

/// The time-limits form filled with `d`.
fn deadlines_fields(d: &Deadlines) -> Vec<(String, String)> {
    let mut v = vec![];
    for kind in danvan_domain::cases::CaseKind::ALL {
        let p = d.get(*kind);
        let k = kind.as_str();
        let nums = [
            p.accept_days,
            p.resolve_days,
            p.resolve_days_complex,
            p.resolve_days_remote,
            p.resolve_days_remote_complex,
            p.max_extensions,
            p.extension_days,
            p.reopen_window_days,
        ];
        for (f, n) in POLICY_DAY_FIELDS.iter().zip(nums) {
            v.push((format!("{k}.{f}"), n.to_string()));
        }
        let count = |c: DayCount| if c == DayCount::Working { "working" } else { "calendar" }.to_string();
        v.push((format!("{k}.accept_count"), count(p.accept_count)));
        v.push((format!("{k}.resolve_count"), count(p.resolve_count)));
        v.push((
            format!("{k}.resolve_from"),
            if p.resolve_from == ClockStart::Receipt { "receipt" } else { "acceptance" }.to_string(),
        ));
        v.push((format!("{k}.basis"), p.basis.clone()));
    }
    v
}

async fn post_owned(c: &mut Client, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form(path, &refs).await
}

#[tokio::test]
async fn changed_time_limits_set_a_new_cases_due_date() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let (_, key) = app.store.create_open311_key(&AuditCtx::system("test"), "app").await.unwrap();
        let req =
            [("service_code", "thoat-nuoc"), ("description", "Cống trước chợ bị tắc, nước tràn ra đường."), ("address_id", "TA")];
        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 201, "{body}");
        let before = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        let cal = app.store.work_calendar().await.unwrap();
        assert_eq!(before.accept_due, cal.add_working_days(before.received_on, 5), "the legal default");

        let mut c = admin(&app).await;
        let (s, html) = c.page("/admin/settings/deadlines").await;
        assert_eq!(s, 200);
        assert!(html.contains("name=\"feedback.accept_days\" type=\"number\" value=\"5\""), "{html}");
        let mut d = Deadlines::default();
        d.feedback.accept_days = 2;
        d.feedback.accept_count = DayCount::Calendar;
        let r = post_owned(&mut c, "/admin/settings/deadlines", &deadlines_fields(&d)).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let (_, html) = c.page("/admin/settings/deadlines").await;
        assert!(html.contains("name=\"feedback.accept_days\" type=\"number\" value=\"2\""));

        let (s, body) = open311_post(&app, &key, &req).await;
        assert_eq!(s, 201, "{body}");
        let after = app.store.get_case_by_code(&created_code(&body)).await.unwrap().unwrap();
        // Two calendar days, to the next working day when the second is a rest day (Civil Code
        // Art. 148(5)).
        assert_eq!(after.accept_due, cal.add_calendar_days(after.received_on, 2), "{}", app.backend);
        // The change is audited.
        let (_, audit) = c.page("/admin/audit?action=settings.update").await;
        assert!(audit.contains("deadlines"), "audited");

        // Bad figures: field errors, nothing saved.
        let mut bad = deadlines_fields(&Deadlines::default());
        for (k, v) in bad.iter_mut() {
            if k == "complaint.resolve_days_complex" {
                *v = "3".into();
            }
            if k == "petition.accept_days" {
                *v = "năm".into();
            }
        }
        let r = post_owned(&mut c, "/admin/settings/deadlines", &bad).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-complaint.resolve_days_complex-error\""), "{html}");
        assert!(html.contains("Phải là một số."));
        assert_eq!(app.store.settings().await.unwrap().deadlines.feedback.accept_days, 2);
    }
}
