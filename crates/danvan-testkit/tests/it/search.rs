//! Search across everything (issue 12 item 5), on SQLite and (when configured) PostgreSQL:
//! Vietnamese queries with and without diacritics find the same items, what was typed with its
//! diacritics ranks first and is highlighted; each reader finds only what they may read (their
//! units' cases, never a denunciation that concerns them; the public, published items); absurd
//! filters are refused field by field.

use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_store::cases::CaseChange;
use danvan_store::{AuditCtx, Unit};
use danvan_testkit::{Fixture, TestApp, PASSWORD};

async fn case_titled(app: &TestApp, unit: &Unit, title: &str, publish: bool) -> danvan_store::cases::CaseRow {
    let today = chrono::Utc::now().date_naive();
    let new = danvan_store::cases::NewCase {
        zalo: false,
        concern: None,
        draft: danvan_domain::cases::CaseDraft {
            kind: CaseKind::Feedback,
            title: title.into(),
            description: format!("Người dân phản ánh: {title}."),
            address: "Ngõ 5".into(),
            point: None,
            sender_name: Some("Nguyễn Thị Bí Mật".into()),
            sender_phone: Some("0912345678".into()),
            sender_email: None,
            sender_address: None,
            publish,
        },
        channel: danvan_domain::cases::Channel::Web,
        category_id: None,
        place_unit_id: Some(unit.id),
        unit_id: unit.id,
        received_at: chrono::Utc::now(),
        received_on: today,
        accept_due: today.checked_add_days(chrono::Days::new(5)),
        source: None,
        idempotency_key: None,
        notes: vec![],
    };
    app.store.create_case(&AuditCtx::system("test"), &new).await.unwrap().0
}

/// The titles of the hits on a results page, in order, without their marks.
fn titles(html: &str) -> Vec<String> {
    html.split("class=\"search-title\"")
        .skip(1)
        .map(|s| {
            let a = &s[s.find('>').unwrap() + 1..];
            let a = &a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()];
            a.replace("<mark>", "").replace("</mark>", "")
        })
        .collect()
}

#[tokio::test]
async fn vietnamese_queries_find_with_or_without_diacritics_and_exact_spelling_ranks_first() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        case_titled(&app, &f.committee_a, "Đuông dừa bán trái phép", false).await;
        case_titled(&app, &f.committee_a, "Đường Trần Phú hỏng nặng", false).await;
        case_titled(&app, &f.ward_b, "Đường số 5 phường B ngập", false).await;
        let mut officer = app.client();
        assert_eq!(officer.login("officer_a", PASSWORD).await.status().as_u16(), 303);
        let (status, html) = officer.page("/search?q=%C4%91%C6%B0%E1%BB%9Dng&type=case").await; // "đường"
        assert_eq!(status, 200, "{}", app.backend);
        let found = titles(&html);
        assert_eq!(
            found,
            vec!["Đường Trần Phú hỏng nặng", "Đuông dừa bán trái phép"],
            "{}: exact first, ward B's not shown",
            app.backend
        );
        assert!(html.contains("<mark>Đường</mark> Trần Phú"), "the word is highlighted");
        let (_, html) = officer.page("/search?q=duong+tran&type=case").await;
        assert_eq!(titles(&html), vec!["Đường Trần Phú hỏng nặng"], "{}", app.backend);
        assert!(html.contains("<mark>Đường</mark> <mark>Trần</mark>"));
        // Units are found too, and the sender's name is never shown.
        let (_, html) = officer.page("/search?q=an+binh").await;
        assert!(titles(&html).iter().any(|t| t.contains("Phường An Bình")), "{}", app.backend);
        let (_, html) = officer.page("/search?q=%C4%91%C6%B0%E1%BB%9Dng").await;
        assert!(!html.contains("Bí Mật"));
        // The public finds only published cases.
        let published = case_titled(&app, &f.committee_a, "Đường ống nước vỡ", true).await;
        let accept = CaseChange {
            accepted_on: Some(Some(published.received_on)),
            ..CaseChange::new("accept", CaseStatus::Received, CaseStatus::Accepted)
        };
        app.store.apply_case_change(&AuditCtx::system("test"), published.id, &accept).await.unwrap();
        let mut visitor = app.client();
        let (status, html) = visitor.page("/search?q=duong&type=case").await;
        assert_eq!(status, 200);
        let public_titles = titles(&html);
        assert!(
            !public_titles.iter().any(|t| t.contains("Trần Phú") || t.contains("Đuông")),
            "{}: {public_titles:?}",
            app.backend
        );
        assert!(html.contains(&format!("/public/cases/{}", published.code)), "{}: {public_titles:?}", app.backend);
    }
}

#[tokio::test]
async fn a_denunciation_that_concerns_the_reader_is_never_found_by_them() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let d = case_titled(&app, &f.committee_a, "Tố cáo lãnh đạo phường nhận quà", false).await;
        let about_ward = CaseChange {
            kind: Some(CaseKind::Denunciation),
            protect: true,
            concern: Some(danvan_store::cases::Concern {
                unit_id: f.ward_a.id,
                name: "Lãnh đạo phường".into(),
                account_id: None,
            }),
            ..CaseChange::new("reclassify", CaseStatus::Received, CaseStatus::Received)
        };
        app.store.apply_case_change(&AuditCtx::system("test"), d.id, &about_ward).await.unwrap();
        let mut leader = app.client();
        assert_eq!(leader.login("leader_a", PASSWORD).await.status().as_u16(), 303);
        let (_, html) = leader.page("/search?q=qua").await;
        assert!(titles(&html).is_empty(), "{}: not found by whom it concerns", app.backend);
        let mut admin = app.client();
        assert_eq!(admin.login("admin", PASSWORD).await.status().as_u16(), 303);
        let (_, html) = admin.page("/search?q=qua").await;
        assert_eq!(titles(&html).len(), 1, "{}: found by the others", app.backend);
    }
}

#[tokio::test]
async fn absurd_searches_are_refused_or_cut() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut visitor = app.client();
        for (q, field) in [
            ("type=everything", "f-type-error"),
            ("from=0001-01-01", "f-from-error"),
            ("to=31/02/2026", "f-to-error"),
            ("unit=NOPE", "f-unit-error"),
        ] {
            let (status, html) = visitor.page(&format!("/search?q=a&{q}")).await;
            assert_eq!(status, 422, "{q}");
            assert!(html.contains(field), "{q}: {field}");
        }
        let long = "đường ".repeat(2000);
        let (status, html) = visitor.page(&format!("/search?q={}", long.replace(' ', "+"))).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(html.contains("id=\"search-cut\""));
        let (status, _) = visitor.page("/search?q=%00%E2%80%AE%F0%9F%98%80").await;
        assert_eq!(status, 200);
    }
}
