//! Issue 9 in real Chromium: the officer takes a case from the inbox to "Trình ký" in two
//! submissions; the leader previews the document (DỰ THẢO), signs and sends it in one; the party
//! secretary sees the ward's overdue cases and cannot sign. Screenshots at 1366 and 390 px, in
//! Vietnamese and English, under target/browser/.

use super::{browser, no_sideways_scroll, screenshot, sign_in, start_driver, text};
use danvan_domain::cases::CaseKind;
use danvan_domain::Role;
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Clicks the submit button `id` and waits for the next page (the old one gone) to show `css`.
async fn submit(c: &Client, id: &str, css: &str) {
    let old = c.find(Locator::Css("body")).await.unwrap();
    c.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}")).click().await.unwrap();
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if old.text().await.is_err() && c.find(Locator::Css(css)).await.is_ok() {
            return;
        }
    }
    panic!("after #{id}: no {css}");
}

async fn sign_out(c: &Client) {
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("login-link")).await.unwrap();
}

/// The party committee's secretary of ward A, overseeing the ward.
pub(super) async fn secretary(app: &TestApp, ward: i64) {
    let ctx = danvan_store::AuditCtx::system("test");
    let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
    let draft = danvan_domain::org::account::AccountDraft {
        username: "secretary_a".into(),
        full_name: "Bí thư Đảng ủy phường An Bình".into(),
        email: None,
        phone: None,
    };
    let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
    app.store.add_membership(&ctx, acc.id, ward, Role::Oversight, "Bí thư Đảng ủy").await.unwrap();
}

#[tokio::test]
async fn the_officer_submits_the_leader_signs_and_sends_the_secretary_oversees() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    secretary(&app, f.ward_a.id).await;
    // Work for a full inbox: an overdue case, a few handled ones, and a new one to take.
    let overdue = danvan_testkit::case_in(&app, &f.committee_a, CaseKind::Feedback, "Trần Văn Quá", false).await;
    app.store.execute_raw(&format!("UPDATE cases SET accept_due = '2020-01-02' WHERE id = {}", overdue.id)).await.unwrap();
    for n in 0..24 {
        danvan_testkit::case_in(&app, &f.committee_a, CaseKind::Petition, &format!("Người gửi {n}"), true).await;
    }
    let spec = danvan_testkit::CaseSpec {
        description: "Đèn chiếu sáng ngõ 12 phố An Bình bị hỏng ba tuần nay, buổi tối rất tối.".into(),
        place: f.ward_a.id,
        name: "Lê Thị Hoa",
        phone: "0987654321",
        ..Default::default()
    };
    let (case, _) = danvan_testkit::record_case(&app.store, &spec).await;
    let base = app.url.clone();
    let page = format!("{base}/cases/{}", case.id);

    // The officer, at a desk: from the inbox to "Trình ký" in two submissions.
    let c = browser(&driver, 1366, 900).await;
    sign_in(&c, &base, "officer_a").await;
    c.goto(&format!("{base}/inbox?view=open")).await.unwrap();
    let rows = c.find_all(Locator::Css("#inbox tbody tr")).await.unwrap();
    assert!(rows.len() >= 20, "{} cases listed", rows.len());
    // At least 20 lines fit on one 1366×900 screen.
    let visible = c
        .execute(
            "return [...document.querySelectorAll('#inbox tbody tr')].filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    screenshot(&c, "issue9-officer-inbox-1366").await;
    assert!(visible >= 20.0, "{visible} lines on one screen");
    c.find(Locator::Css(&format!("#inbox a[href='/cases/{}']", case.id))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("act-accept_self")).await.unwrap();
    screenshot(&c, "issue9-officer-case-new-1366").await;
    submit(&c, "act-accept_self", ".flash-success").await;
    assert_eq!(text(&c, "#case-status").await, "Đang xử lý");
    assert!(text(&c, ".flash-success").await.contains("Trình ký"));
    let answer = c.find(Locator::Id("draft_answer-f-answer")).await.unwrap();
    answer.send_keys("Phường đã thay bóng đèn chiếu sáng ngõ 12 phố An Bình ngày hôm nay.").await.unwrap();
    submit(&c, "act-draft_answer", ".flash-success").await;
    assert!(text(&c, ".flash-success").await.contains("Đã trình ký"), "a clear confirmation");
    assert_eq!(text(&c, "#case-status").await, "Đã dự thảo trả lời");
    screenshot(&c, "issue9-officer-submitted-1366").await;
    sign_out(&c).await;

    // The party secretary: the ward's overdue cases, a case to sign that is not theirs to sign.
    sign_in(&c, &base, "secretary_a").await;
    c.goto(&format!("{base}/inbox?view=overdue")).await.unwrap();
    assert!(text(&c, "#inbox").await.contains(&overdue.code), "the secretary sees the ward's overdue cases");
    screenshot(&c, "issue9-secretary-overdue-1366").await;
    c.goto(&page).await.unwrap();
    c.wait().for_element(Locator::Id("case-status")).await.unwrap();
    for refused in ["act-approve_send", "act-approve_answer", "act-return_draft", "act-accept_self"] {
        assert!(c.find(Locator::Id(refused)).await.is_err(), "the secretary is offered {refused}");
    }
    assert!(c.find(Locator::Id("note-fold")).await.is_ok(), "the secretary comments and directs");
    screenshot(&c, "issue9-secretary-case-1366").await;
    sign_out(&c).await;

    // The leader previews the document marked DỰ THẢO, then signs and sends in one step.
    sign_in(&c, &base, "leader_a").await;
    c.goto(&format!("{base}/inbox?view=to_approve")).await.unwrap();
    assert!(text(&c, "#inbox").await.contains(&case.code));
    c.goto(&page).await.unwrap();
    c.find(Locator::Id("answer-preview")).await.unwrap().click().await.unwrap();
    assert_eq!(text(&c, "#doc-draft-mark").await, "DỰ THẢO");
    assert!(text(&c, "#doc-text").await.contains("thay bóng đèn"));
    screenshot(&c, "issue9-leader-preview-1366").await;
    c.goto(&page).await.unwrap();
    screenshot(&c, "issue9-leader-case-1366").await;
    submit(&c, "act-approve_send", ".flash-success").await;
    assert_eq!(text(&c, "#case-status").await, "Đã trả lời");
    assert!(text(&c, ".flash-success").await.contains("Đã ký duyệt và gửi"));
    screenshot(&c, "issue9-leader-sent-1366").await;
    // In English too.
    c.find(Locator::Id("lang-switch")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    c.goto(&format!("{base}/inbox?view=open")).await.unwrap();
    screenshot(&c, "issue9-leader-inbox-en-1366").await;
    c.goto(&format!("{base}/cases/{}", overdue.id)).await.unwrap();
    assert!(text(&c, "#act-accept_self").await.contains("Accept and handle myself"));
    screenshot(&c, "issue9-leader-case-en-1366").await;
    c.close().await.unwrap();

    // On a phone: a card per case, status and due date in view, the filters behind one button.
    let phone = browser(&driver, 390, 844).await;
    sign_in(&phone, &base, "officer_a").await;
    phone.goto(&format!("{base}/inbox?view=open")).await.unwrap();
    no_sideways_scroll(&phone, "the inbox").await;
    let first = phone.find(Locator::Css("#inbox tbody tr .cell-due .badge")).await.unwrap();
    assert!(first.is_displayed().await.unwrap(), "the due date shows on the card");
    assert!(!phone.find(Locator::Id("f-q")).await.unwrap().is_displayed().await.unwrap(), "filters folded away");
    screenshot(&phone, "issue9-officer-inbox-390").await;
    phone.goto(&format!("{base}/cases/{}", overdue.id)).await.unwrap();
    no_sideways_scroll(&phone, "the case page").await;
    screenshot(&phone, "issue9-officer-case-390").await;
    sign_out(&phone).await;
    sign_in(&phone, &base, "secretary_a").await;
    phone.goto(&format!("{base}/inbox?view=overdue")).await.unwrap();
    no_sideways_scroll(&phone, "the secretary's inbox").await;
    screenshot(&phone, "issue9-secretary-overdue-390").await;
    phone.close().await.unwrap();
}
