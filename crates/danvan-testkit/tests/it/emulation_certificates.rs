//! Issue 11 item 8, certificates: each sheet of an issued decision is numbered in its issuer's
//! register for the year, in the annex's order, continuing across decisions; a unit's emulation
//! officers calibrate printing on its pre-printed blanks (bad shifts named field by field), and
//! the decision's overlay batch is printed with its issuer's calibration.

use chrono::NaiveDate;
use danvan_domain::emulation::{Award, Rating, RecipientKind};
use danvan_store::emulation::{DecisionHeader, Entry, NewDecision, NewRecipient};
use danvan_store::{AuditCtx, AuditFilter};
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

async fn recipient(app: &TestApp, unit: i64, kind: RecipientKind, name: &str) -> i64 {
    let ctx = AuditCtx::system("test");
    let r = NewRecipient { kind, name: name.into(), unit_id: unit, woman: false, account_id: None };
    let id = app.store.create_emulation_recipient(&ctx, &r).await.unwrap();
    let entries = vec![Entry::Rating { year: 2025, rating: Rating::Excellent, in_emulation: true }];
    app.store.add_emulation_entries(&ctx, id, name, &entries).await.unwrap();
    id
}

fn decision(issuer: i64, awards: Vec<(i64, Award, Option<i64>)>) -> NewDecision {
    NewDecision {
        issuer_id: issuer,
        nomination_id: None,
        amends_id: None,
        award_year: 2025,
        header: DecisionHeader {
            decided_on: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            place: "An Bình".into(),
            subject: "Về việc tặng Giấy khen năm 2025".into(),
            signer_name: "Lê Văn Ba".into(),
            signer_title: "Chủ tịch".into(),
        },
        awards,
    }
}

async fn numbers(app: &TestApp, id: i64) -> Vec<(String, Option<i64>)> {
    app.store.decision_awards(id).await.unwrap().into_iter().map(|a| (a.recipient_name, a.certificate_no)).collect()
}

#[tokio::test]
async fn each_certificate_takes_the_next_number_of_its_issuers_register_in_the_annexs_order() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let be = app.backend;
        let ctx = AuditCtx::system("test");
        let s = &app.store;
        let vy = recipient(&app, f.group_a1.id, RecipientKind::Individual, "Vũ Thị Vy").await;
        let an = recipient(&app, f.group_a1.id, RecipientKind::Individual, "An Văn Bình").await;
        let group = recipient(&app, f.group_a1.id, RecipientKind::Collective, "Tổ dân phố số 1").await;
        let lan = recipient(&app, f.group_a1.id, RecipientKind::Individual, "Nguyễn Thị Lan").await;
        let first = s
            .create_decision(
                &ctx,
                &decision(
                    f.ward_a.id,
                    vec![
                        (group, Award::CertificateOfMerit, None),
                        (vy, Award::CertificateOfMerit, None),
                        (lan, Award::AdvancedWorker, None),
                        (an, Award::GrassrootsEmulationFighter, None),
                    ],
                ),
            )
            .await
            .unwrap();
        assert!(numbers(&app, first).await.iter().all(|(_, n)| n.is_none()), "{be}: a draft has no numbers yet");
        s.issue_decision(&ctx, first).await.unwrap();
        let got = numbers(&app, first).await;
        let no = |name: &str| got.iter().find(|(n, _)| n == name).unwrap().1;
        // I. individuals by name (An, Vũ), then II. collectives; Lao động tiên tiến has no sheet.
        assert_eq!(no("An Văn Bình"), Some(1), "{be}: {got:?}");
        assert_eq!(no("Vũ Thị Vy"), Some(2), "{be}: {got:?}");
        assert_eq!(no("Tổ dân phố số 1"), Some(3), "{be}: {got:?}");
        assert_eq!(no("Nguyễn Thị Lan"), None, "{be}: {got:?}");

        // The register goes on in the same year; another issuer keeps its own.
        let second = s.create_decision(&ctx, &decision(f.ward_a.id, vec![(lan, Award::CertificateOfMerit, None)])).await.unwrap();
        s.issue_decision(&ctx, second).await.unwrap();
        assert_eq!(numbers(&app, second).await, vec![("Nguyễn Thị Lan".to_string(), Some(4))], "{be}");
        let b = recipient(&app, f.ward_b.id, RecipientKind::Individual, "Phạm Văn Bắc").await;
        let other = s.create_decision(&ctx, &decision(f.ward_b.id, vec![(b, Award::CertificateOfMerit, None)])).await.unwrap();
        s.issue_decision(&ctx, other).await.unwrap();
        assert_eq!(numbers(&app, other).await, vec![("Phạm Văn Bắc".to_string(), Some(1))], "{be}");
        // The decision's own number is a register apart from the certificates'.
        assert_eq!(s.decision(second).await.unwrap().unwrap().number_text.as_deref(), Some("2/QĐ-UBND"), "{be}");
    }
}

#[tokio::test]
async fn a_units_calibration_is_set_field_by_field_and_moves_its_overlay_batch() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let be = app.backend;
        let ctx = AuditCtx::system("test");
        let vy = recipient(&app, f.group_a1.id, RecipientKind::Individual, "Vũ Thị Vy").await;
        let id =
            app.store.create_decision(&ctx, &decision(f.ward_a.id, vec![(vy, Award::CertificateOfMerit, None)])).await.unwrap();
        let page = format!("/emulation/units/{}/calibration", f.ward_a.id);
        let overlay = format!("/emulation/decisions/{id}/certificates-overlay.pdf");
        let mut officer = signed_in(&app, "emulation_a").await;

        let r = officer.get(&overlay).await;
        assert_eq!(r.status().as_u16(), 409, "{be}: nothing to print from a draft");
        app.store.issue_decision(&ctx, id).await.unwrap();
        let before = officer.get(&overlay).await;
        assert_eq!(before.status().as_u16(), 200, "{be}");
        assert_eq!(before.headers()["content-type"], "application/pdf");
        let before = before.bytes().await.unwrap();
        assert!(before.starts_with(b"%PDF-"));

        let (s, html) = officer.page(&page).await;
        assert_eq!(s, 200, "{be}");
        assert!(html.contains("id=\"f-page_dx\"") && html.contains("id=\"f-register_number_dy\""), "{html}");

        // Bad shifts: each named, nothing saved.
        let r = officer.post_form(&page, &[("page_dx", "hai"), ("signer_dy", "-51"), ("achievement_dx", "3")]).await;
        assert_eq!(r.status().as_u16(), 422, "{be}");
        let html = r.text().await.unwrap();
        assert!(html.contains("href=\"#f-page_dx\"") && html.contains("href=\"#f-signer_dy\""), "{html}");
        assert!(!html.contains("href=\"#f-achievement_dx\""), "a good field is not an error");
        assert!(html.contains("value=\"3\""), "what was typed stays");
        assert!(app.store.certificate_calibration(f.ward_a.id).await.unwrap().is_zero(), "{be}");

        let r = officer.post_form(&page, &[("page_dx", "-1,5"), ("recipient_name_dy", "4")]).await;
        assert_eq!(r.status().as_u16(), 303, "{be}");
        let cal = app.store.certificate_calibration(f.ward_a.id).await.unwrap();
        assert_eq!((cal.shift("page").dx, cal.shift("recipient_name").dy), (-1.5, 4.0), "{be}");
        let (_, html) = officer.page(&page).await;
        assert!(html.contains("value=\"-1,5\""), "shown as typed in Vietnamese: {html}");
        let after = officer.get(&overlay).await.bytes().await.unwrap();
        assert_ne!(before, after, "{be}: the batch moves with the calibration");
        let trial = officer.get(&format!("{page}/trial.pdf")).await;
        assert_eq!(trial.status().as_u16(), 200, "{be}");
        assert!(trial.bytes().await.unwrap().starts_with(b"%PDF-"));
        let (audit, _) = app
            .store
            .list_audit(&AuditFilter { action: Some("emulation.calibration".into()), limit: 50, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1, "{be}: the change is in the audit log");

        // Another ward's leader neither reads nor sets it.
        let mut other = signed_in(&app, "leader_b").await;
        assert!([403, 404].contains(&other.get(&page).await.status().as_u16()), "{be}");
        let r = other.post_form(&page, &[("page_dx", "9")]).await;
        assert!([403, 404].contains(&r.status().as_u16()), "{be}");
        assert_eq!(app.store.certificate_calibration(f.ward_a.id).await.unwrap().shift("page").dx, -1.5);
    }
}
