//! The resident's phone in Chromium: a first submission refused, the photo kept; the receipt;
//! finding the case again with the code and phone; rating; the figures. Screenshots at 390 and
//! 1366 px, in Vietnamese and English, under target/browser/resident-*.png.

use super::{browser, choose, fill, no_sideways_scroll, screenshot, start_driver, text};
use danvan_testkit::{Fixture, TestApp, PASSWORD};
use fantoccini::{Client, Locator};
use std::time::Duration;

async fn switch_language(c: &Client, to: &str) {
    c.find(Locator::Id("lang-switch")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(&format!("html[lang={to}]"))).await.unwrap();
}

#[tokio::test]
async fn the_resident_keeps_her_photo_finds_her_case_by_phone_and_rates_it() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    app.store.set_setting("default_province", "T01").await.unwrap();
    let base = app.url.clone();
    let c = browser(&driver, 390, 844).await;

    // A first try without the description: refused, the photo kept.
    c.goto(&format!("{base}/cases/new")).await.unwrap();
    c.wait().for_element(Locator::Id("case-form")).await.unwrap();
    assert!(
        c.find(Locator::Id("f-latitude")).await.unwrap().attr("type").await.unwrap().as_deref() == Some("hidden"),
        "no coordinates to type"
    );
    choose(&c, "f-category", "thoát nước").await;
    choose(&c, "f-place", "Phường An Bình").await;
    fill(&c, "f-sender_phone", "0912 345 678").await;
    let photo_path = std::env::temp_dir().join(format!("danvan-kept-{}.jpg", uuid::Uuid::now_v7().simple()));
    let img = image::RgbImage::from_fn(120, 90, |x, y| image::Rgb([(x * 2) as u8, (y * 2) as u8, 90]));
    img.save_with_format(&photo_path, image::ImageFormat::Jpeg).unwrap();
    c.find(Locator::Id("f-photos")).await.unwrap().send_keys(&photo_path.display().to_string()).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.find(Locator::Id("case-submit")).await.unwrap().click().await.unwrap();
    let kept = text(&c, "#kept-photos").await;
    assert!(kept.contains("danvan-kept-"), "{kept}");
    assert!(text(&c, "#error-summary").await.contains("Nội dung"), "the summary names the field");
    screenshot(&c, "resident-1-kept-photo-390").await;
    let _ = std::fs::remove_file(&photo_path);

    // Second try: the description and the address are added; the photo is not chosen again.
    fill(&c, "f-description", "Cống trước nhà số 7 bị tắc, nước tràn lên vỉa hè mỗi khi mưa.").await;
    fill(&c, "f-address", "Số 7 phố An Bình").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.find(Locator::Id("case-submit")).await.unwrap().click().await.unwrap();
    let code = text(&c, "#case-code").await;
    assert!(code.starts_with("PA-"), "{code}");
    let code_height: f64 = c
        .execute("return document.getElementById('case-code').getBoundingClientRect().height", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(code_height < 60.0, "the code stays on one line: {code_height}px");
    let link = text(&c, "#private-link").await;
    assert!(link.starts_with("http://") && link.contains(&format!("/track/{code}?s=")), "the full link: {link}");
    assert_eq!(c.find_all(Locator::Css("#photos img")).await.unwrap().len(), 1, "the kept photo is with the case");
    no_sideways_scroll(&c, "receipt").await;
    screenshot(&c, "resident-2-receipt-390").await;
    let private = c.find(Locator::Id("private-link")).await.unwrap().attr("href").await.unwrap().unwrap();

    // The receipt on a desktop, and in English.
    let d = browser(&driver, 1366, 900).await;
    d.goto(&format!("{base}{private}&new=1")).await.unwrap();
    d.wait().for_element(Locator::Id("case-received")).await.unwrap();
    screenshot(&d, "resident-3-receipt-1366").await;
    switch_language(&d, "en").await;
    assert!(text(&d, "#case-received").await.contains("received"));
    screenshot(&d, "resident-3-receipt-1366-en").await;

    // The ward answers (through the officer's and the leader's forms; their pages are tested
    // elsewhere).
    let id = app.store.get_case_by_code(&code).await.unwrap().unwrap().id;
    answer(&app, id).await;

    // On another phone, without the link: the code and the phone number.
    let p = browser(&driver, 390, 844).await;
    p.goto(&format!("{base}/track")).await.unwrap();
    fill(&p, "f-code", &code).await;
    fill(&p, "f-contact", "0912345678").await;
    screenshot(&p, "resident-4-track-form-390").await;
    p.find(Locator::Id("track-contact-submit")).await.unwrap().click().await.unwrap();
    assert!(text(&p, "#answer").await.contains("nạo vét cống"));
    assert_eq!(text(&p, "#case-status").await, "Đã trả lời");
    no_sideways_scroll(&p, "tracking").await;
    // Nothing is chosen for her; each choice says what it means.
    let checked: bool =
        p.execute("return !!document.querySelector('#rate input:checked')", vec![]).await.unwrap().as_bool().unwrap();
    assert!(!checked, "no rating pre-selected");
    assert!(text(&p, "#rate").await.contains("1 — Rất không hài lòng"));
    screenshot(&p, "resident-5-track-390").await;
    p.find(Locator::Css("#rate input[name=rating][value='5']")).await.unwrap().click().await.unwrap();
    p.find(Locator::Id("rate-submit")).await.unwrap().click().await.unwrap();
    p.wait().for_element(Locator::Css(".flash-success")).await.unwrap();
    assert!(text(&p, "#your-rating").await.contains("Rất hài lòng"));
    screenshot(&p, "resident-6-rated-390").await;
    switch_language(&p, "en").await;
    assert!(text(&p, "#case-status").await.contains("Answered"));
    screenshot(&p, "resident-6-rated-390-en").await;
    assert_eq!(app.store.get_case(id).await.unwrap().rating, Some(5));

    // The ward's figures, on the phone and the desktop.
    p.goto(&format!("{base}/public/cases?unit=TA")).await.unwrap();
    p.wait().for_element(Locator::Id("figures-chart")).await.unwrap();
    no_sideways_scroll(&p, "figures").await;
    screenshot(&p, "resident-7-figures-390-en").await;
    d.goto(&format!("{base}/public/cases?unit=TA")).await.unwrap();
    d.wait().for_element(Locator::Id("figures-chart")).await.unwrap();
    switch_language(&d, "vi").await;
    assert!(text(&d, "#figures-headline").await.contains("5,0/5"), "Vietnamese decimals");
    screenshot(&d, "resident-7-figures-1366").await;
    d.execute("document.getElementById('figures-chart').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&d, "resident-8-chart-1366").await;
    for b in [c, d, p] {
        b.close().await.unwrap();
    }
}

/// Takes a case to "answered" as the officer and the leader would.
async fn answer(app: &TestApp, id: i64) {
    async fn act(c: &mut danvan_testkit::Client, id: i64, fields: &[(&str, &str)]) -> u16 {
        c.page(&format!("/cases/{id}")).await;
        c.post_form(&format!("/cases/{id}/act"), fields).await.status().as_u16()
    }
    let mut officer = app.client();
    officer.login("officer_a", PASSWORD).await;
    for step in ["accept", "assign", "start"] {
        assert_eq!(act(&mut officer, id, &[("action", step)]).await, 303, "{step}");
    }
    let text = "Phường đã cho nạo vét cống trước số 7 phố An Bình.";
    assert_eq!(act(&mut officer, id, &[("action", "draft_answer"), ("answer", text)]).await, 303);
    let mut leader = app.client();
    leader.login("leader_a", PASSWORD).await;
    assert_eq!(act(&mut leader, id, &[("action", "approve_answer")]).await, 303);
    assert_eq!(act(&mut officer, id, &[("action", "send_answer")]).await, 303);
}
