//! Officers recording cases with a receipt, idempotent resubmission, reclassification.

use super::*;
use danvan_testkit::{Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn officers_record_cases_with_a_receipt_and_reclassify_them() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (status, _) = officer.page("/cases/record").await;
        assert_eq!(status, 200);
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "petition"),
                    ("category", "chieu-sang"),
                    ("description", "Đề nghị lắp thêm đèn chiếu sáng ở tổ dân phố số 1."),
                    ("place_code", "TA-1"),
                    ("address", "Tổ dân phố số 1"),
                    ("sender_name", "Vũ Văn Đèn"),
                    ("sender_address", "Số 4 tổ dân phố số 1"),
                    ("channel", "hotline"),
                    ("started", "12345"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        let page = r.text().await.unwrap();
        assert!(page.contains("GIẤY BIÊN NHẬN") && page.contains("PA-"), "{page}");
        let code = page.split("id=\"case-code\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        assert_eq!(case.channel, "hotline");
        // Sending the same form again records nothing new.
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "petition"),
                    ("category", "chieu-sang"),
                    ("description", "Đề nghị lắp thêm đèn chiếu sáng ở tổ dân phố số 1."),
                    ("place_code", "TA-1"),
                    ("address", "Tổ dân phố số 1"),
                    ("sender_name", "Vũ Văn Đèn"),
                    ("sender_address", "Số 4 tổ dân phố số 1"),
                    ("channel", "hotline"),
                    ("started", "12345"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, 1, "{}", app.backend);
        // Reclassifying as a complaint (the sender gave a name and an address) keeps the code and
        // switches to that law's clock.
        let (status, body) = act(&mut officer, case.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 303, "{body}");
        let c = app.store.get_case(case.id).await.unwrap();
        assert_eq!((c.code.as_str(), c.kind.as_str(), c.publish), (code.as_str(), "complaint", false));
        let cal = app.store.work_calendar().await.unwrap();
        assert_eq!(c.accept_due, cal.add_calendar_days(c.received_on, 10));
        // A complaint accepted as complex gets the law's longer period (45 days).
        let (status, body) = act(&mut officer, case.id, &[("action", "accept"), ("complex", "on")]).await;
        assert_eq!(status, 303, "{body}");
        let c = app.store.get_case(case.id).await.unwrap();
        assert_eq!(c.resolve_due, c.accepted_on.and_then(|d| cal.add_calendar_days(d, 45)), "{}", app.backend);
        // A place outside the officer's ward is refused.
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "feedback"),
                    ("category", "chieu-sang"),
                    ("description", "Đèn hỏng ở phường khác."),
                    ("place_code", "TB"),
                    ("address", "x"),
                    ("channel", "hotline"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
    }
}
