//! Issue 11 in real Chromium: registration → nomination → vote → decision → certificate download,
//! through the pages only. The emulation officer launches a movement and registers ward A's
//! residential group, opens a person's record and rates her year, puts her on a nomination list
//! for a Giấy khen and submits the list to a council of three; each member casts a secret ballot;
//! the officer (the council's secretary) closes it and drafts the decision; the leader issues it
//! and downloads the decision and the certificates as PDF with the browser's session.
//!
//! The journey runs twice: at 1366×900 in Vietnamese with JavaScript, and at 390×844 in English
//! with JavaScript switched off in Chromium (content setting), where no page may scroll sideways.
//! Screenshots: target/browser/emulation-*.png.

use super::{browser, choose, chromium, screenshot, sign_in, start_driver, text, Driver};
use danvan_testkit::{Fixture, TestApp};
use fantoccini::{Client, Locator};
use std::time::Duration;

/// One run of the journey: its screen, language and the names it creates.
struct Pass {
    lang: &'static str,
    tag: &'static str,
    phone: bool,
    movement: &'static str,
    person: &'static str,
    list: &'static str,
}

/// A Chromium whose pages run no script (the content setting), to show the forms need none.
async fn browser_without_js(driver: &Driver, width: u32, height: u32) -> Client {
    chromium(driver, width, height, false).await
}

/// Whether a page's own scripts run: a page whose script would rename it.
async fn page_scripts_run(c: &Client) -> bool {
    c.goto("data:text/html,<title>off</title><script>document.title='on'</script>").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    c.title().await.unwrap() == "on"
}

/// Clicks `button` (CSS) and waits for the next page (the old one gone) to show `css`.
async fn submit(c: &Client, button: &str, css: &str) {
    let old = c.find(Locator::Css("body")).await.unwrap();
    c.find(Locator::Css(button)).await.unwrap_or_else(|e| panic!("{button}: {e}")).click().await.unwrap();
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if old.text().await.is_err() && c.find(Locator::Css(css)).await.is_ok() {
            return;
        }
    }
    let body = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap_or_default();
    panic!("after {button}: no {css} on {}: {body}", c.current_url().await.unwrap());
}

/// Follows the link (CSS) and waits for the next page to show `css`.
async fn follow(c: &Client, link: &str, css: &str) {
    submit(c, link, css).await;
}

/// Follows the link inside `within` whose text contains `label`.
async fn follow_text(c: &Client, within: &str, label: &str, css: &str) {
    let links = c.find_all(Locator::Css(&format!("{within} a"))).await.unwrap();
    for l in links {
        if l.text().await.unwrap_or_default().contains(label) {
            let href = l.attr("href").await.unwrap().unwrap();
            return follow(c, &format!("{within} a[href='{href}']"), css).await;
        }
    }
    panic!("no link {label} in {within}");
}

/// Opens the folded section holding form `form`.
async fn unfold(c: &Client, form: &str) {
    let details = c.find(Locator::Css(&format!("details:has(#{form})"))).await.unwrap_or_else(|e| panic!("{form}: {e}"));
    if details.prop("open").await.unwrap().as_deref() != Some("true") {
        details.find(Locator::Css("summary")).await.unwrap().click().await.unwrap();
    }
}

/// The field `name` of form `#{form}` (several forms on a page share field names).
async fn field(c: &Client, form: &str, name: &str) -> fantoccini::elements::Element {
    c.find(Locator::Css(&format!("#{form} [name='{name}']"))).await.unwrap_or_else(|e| panic!("#{form} {name}: {e}"))
}

/// Types `value` into field `name` of form `#{form}`.
async fn put(c: &Client, form: &str, name: &str, value: &str) {
    let el = field(c, form, name).await;
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Picks the option of `value` in select `name` of form `#{form}`.
async fn pick(c: &Client, form: &str, name: &str, value: &str) {
    let css = format!("#{form} [name='{name}'] option[value='{value}']");
    c.find(Locator::Css(&css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

/// Types a date as a person does in Chromium's date field (month/day/year for the default en-US
/// browser locale).
async fn date(c: &Client, form: &str, name: &str, iso: &str) {
    let (y, rest) = iso.split_at(4);
    let (m, d) = (&rest[1..3], &rest[4..6]);
    let el = field(c, form, name).await;
    el.send_keys(&format!("{m}{d}{y}")).await.unwrap();
    let got = el.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(got, iso, "#{form} {name}");
}

/// The outermost elements reaching past the screen's right edge, as "tag#id.class (right px)".
const WIDEST: &str = "const w = window.innerWidth; return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 1))
  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
    + ' (' + Math.round(e.getBoundingClientRect().right) + ')').join(', ')";

/// The page is in the pass's language with no key left untranslated; on a phone it does not
/// scroll sideways. Then a screenshot.
async fn look(c: &Client, p: &Pass, name: &str) {
    eprintln!("{}: {name}", p.tag);
    let lang = c.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default();
    assert_eq!(lang, p.lang, "{name}");
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    for prefix in ["emulation.", "movement.", "indicator.", "common.", "error."] {
        let raw = body.match_indices(prefix).any(|(i, _)| {
            body[i + prefix.len()..].starts_with(|ch: char| ch.is_ascii_lowercase())
                && (i == 0 || !body[..i].ends_with(|ch: char| ch.is_alphanumeric()))
        });
        assert!(!raw, "{name}: an untranslated key {prefix}…: {body}");
    }
    if p.phone {
        let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap().as_f64().unwrap();
        let viewport = c.execute("return window.innerWidth", vec![]).await.unwrap().as_f64().unwrap();
        if width > viewport + 1.0 {
            screenshot(c, &format!("emulation-{}-{name}-TOO-WIDE", p.tag)).await;
            let wide = c.execute(WIDEST, vec![]).await.unwrap();
            panic!("{name}: {width}px wide on a {viewport}px screen; too wide: {wide}");
        }
        assert_eq!(viewport, 390.0, "a phone's width");
    }
    screenshot(c, &format!("emulation-{}-{name}", p.tag)).await;
}

async fn sign_out(c: &Client) {
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("login-link")).await.unwrap();
}

/// Signs `user` in and switches to the pass's language if the session is in the other.
async fn enter(c: &Client, base: &str, user: &str, p: &Pass) {
    sign_in(c, base, user).await;
    let lang = c.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default();
    if lang != p.lang {
        submit(c, "#lang-switch", &format!("html[lang={}]", p.lang)).await;
    }
}

/// Fetches the file a link points to with the browser's cookies: (status, content type, bytes).
async fn download(c: &Client, base: &str, link: &str) -> (u16, String, Vec<u8>) {
    let href = c.find(Locator::Id(link)).await.unwrap().attr("href").await.unwrap().unwrap();
    let cookies = c.get_all_cookies().await.unwrap();
    let cookie = cookies.iter().map(|k| format!("{}={}", k.name(), k.value())).collect::<Vec<_>>().join("; ");
    let r = reqwest::Client::new().get(format!("{base}{href}")).header("cookie", cookie).send().await.unwrap();
    let status = r.status().as_u16();
    let ty = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ty, r.bytes().await.unwrap().to_vec())
}

/// The whole journey in one browser.
async fn journey(c: &Client, app: &TestApp, p: &Pass) {
    let base = app.url.clone();

    // The emulation officer launches a movement for the year and registers ward A's group.
    enter(c, &base, "emulation_a", p).await;
    follow(c, ".site-nav a[href='/emulation']", "#record-form").await;
    look(c, p, "01-emulation").await;
    // The other pages an emulation officer works in, each readable on a phone without script.
    for (path, name) in [
        ("/emulation/import", "01b-import"),
        ("/emulation/models", "01c-models"),
        ("/emulation/models/new", "01d-model-form"),
        ("/emulation/models/teams", "01e-teams"),
        ("/emulation/statistics", "01f-statistics"),
        ("/dan-van-kheo", "01g-festival"),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        c.wait().for_element(Locator::Css("main h1")).await.unwrap();
        look(c, p, name).await;
    }
    c.goto(&format!("{base}/emulation/movements")).await.unwrap();
    look(c, p, "02-movements").await;
    unfold(c, "movement-form").await;
    put(c, "movement-form", "unit", "TA").await;
    put(c, "movement-form", "name", p.movement).await;
    put(c, "movement-form", "purpose", "Vận động nhân dân tham gia xây dựng khu dân cư văn minh.").await;
    pick(c, "movement-form", "period_kind", "annual").await;
    date(c, "movement-form", "starts_on", "2025-01-01").await;
    date(c, "movement-form", "ends_on", "2025-12-31").await;
    // The target units are ticked among the ward's sub-units, not typed.
    let tick = "#movement-form input[name=target_unit][value=TA-1]";
    c.find(Locator::Css(tick)).await.unwrap_or_else(|e| panic!("{tick}: {e}")).click().await.unwrap();
    submit(c, "#movement-form button[type=submit]", "#registration-form").await;
    assert_eq!(text(c, "h1").await, p.movement);
    unfold(c, "criterion-form").await;
    put(c, "criterion-form", "name", "Trả lời đúng hạn").await;
    pick(c, "criterion-form", "kind", "measured").await;
    pick(c, "criterion-form", "indicator", "answered_on_time_share").await;
    put(c, "criterion-form", "target", "90").await;
    put(c, "criterion-form", "weight", "100").await;
    submit(c, "#criterion-form button[type=submit]", "#criteria").await;
    unfold(c, "registration-form").await;
    put(c, "registration-form", "unit", "TA-1").await;
    let target = c.find(Locator::Css("#registration-form input[name^=target_]")).await.expect("a target per criterion");
    target.send_keys("95").await.unwrap();
    submit(c, "#registration-form button[type=submit]", "#registrations").await;
    assert!(text(c, "#registrations").await.contains("Tổ dân phố số 1"));
    look(c, p, "03-movement").await;
    follow(c, "#registrations a", "#score-total").await;
    look(c, p, "04-score").await;

    // Her record, and her year rated excellent.
    follow(c, ".site-nav a[href='/emulation']", "#record-form").await;
    pick(c, "record-form", "kind", "individual").await;
    put(c, "record-form", "name", p.person).await;
    put(c, "record-form", "unit", "TA-1").await;
    c.find(Locator::Id("f-woman")).await.unwrap().click().await.unwrap();
    submit(c, "#record-form button[type=submit]", "#rating-form").await;
    assert_eq!(text(c, "h1").await, p.person);
    put(c, "rating-form", "year", "2025").await;
    pick(c, "rating-form", "rating", "excellent").await;
    submit(c, "#rating-form button[type=submit]", ".flash-success").await;
    look(c, p, "05-record").await;

    // A nomination list with her name for a Giấy khen, submitted to a council of three.
    follow(c, ".site-nav a[href='/emulation']", "#nominations-link").await;
    follow(c, "#nominations-link", "#nomination-form").await;
    put(c, "nomination-form", "unit", "TA").await;
    put(c, "nomination-form", "year", "2025").await;
    put(c, "nomination-form", "title", p.list).await;
    submit(c, "#nomination-form button[type=submit]", "#item-form").await;
    assert_eq!(text(c, "h1").await, p.list);
    choose(c, "item-f-recipient", p.person).await;
    pick(c, "item-form", "award", "certificate_of_merit").await;
    submit(c, "#item-form button[type=submit]", "#items").await;
    let items = text(c, "#items").await;
    assert!(items.contains(p.person) && (items.contains("Giấy khen") || items.contains("Certificate of Merit")), "{items}");
    assert!(c.find(Locator::Css("#items .eligible")).await.is_ok(), "the engine finds her eligible: {items}");
    date(c, "council-form", "meeting_on", "2026-01-10").await;
    put(c, "council-form", "quorum", "2").await;
    pick(c, "council-form", "mode", "secret").await;
    // The members are ticked among the ward's officials, not typed.
    for member in ["emulation_a", "leader_a", "officer_a"] {
        let tick = format!("#council-form input[name=member][value={member}]");
        c.find(Locator::Css(&tick)).await.unwrap_or_else(|e| panic!("{tick}: {e}")).click().await.unwrap();
    }
    look(c, p, "06-nomination").await;
    submit(c, "#council-form button[type=submit]", "#ballot-form").await;
    let council = c.current_url().await.unwrap().path().to_string();
    assert!(council.starts_with("/emulation/councils/"), "{council}");

    // Each member votes in secret, from the council's page.
    for (n, user) in ["emulation_a", "leader_a", "officer_a"].into_iter().enumerate() {
        if n > 0 {
            sign_out(c).await;
            enter(c, &base, user, p).await;
            if user == "leader_a" {
                // The leader finds the council from the lists.
                follow(c, ".site-nav a[href='/emulation']", "#nominations-link").await;
                follow(c, "#nominations-link", "#nominations").await;
                follow_text(c, "#nominations", p.list, "#council-link").await;
                follow(c, "#council-link", "#ballot-form").await;
            } else {
                c.goto(&format!("{base}{council}")).await.unwrap();
            }
        }
        look(c, p, &format!("07-ballot-{user}")).await;
        for radio in c.find_all(Locator::Css("#ballot input[type=radio][value=for]")).await.unwrap() {
            radio.click().await.unwrap();
        }
        submit(c, "#cast-vote", "#has-voted").await;
        assert!(c.find(Locator::Id("cast-vote")).await.is_err(), "{user} votes once");
    }
    look(c, p, "08-voted").await;

    // The secretary closes the ballot: she passes; the officer drafts the decision.
    sign_out(c).await;
    enter(c, &base, "emulation_a", p).await;
    c.goto(&format!("{base}{council}")).await.unwrap();
    submit(c, "#close-council", "#ballot .passed").await;
    assert!(text(c, "#ballot").await.contains("3 / 0 / 0"), "three for");
    look(c, p, "09-counted").await;
    follow(c, "main > p:first-of-type a", "#decision-form").await;
    date(c, "decision-form", "decided_on", "2026-01-15").await;
    put(c, "decision-form", "place", "An Bình").await;
    put(c, "decision-form", "subject", "Về việc tặng Giấy khen năm 2025").await;
    put(c, "decision-form", "signer_name", "Nguyễn Văn Lãnh Đạo").await;
    put(c, "decision-form", "signer_title", "Chủ tịch").await;
    look(c, p, "10-decision-form").await;
    submit(c, "#decision-form button[type=submit]", "#draft-note").await;
    assert!(text(c, "#annex").await.contains(p.person));
    assert!(c.find(Locator::Id("issue")).await.is_err(), "the officer does not sign");
    assert!(c.find(Locator::Id("certificates-pdf")).await.is_err(), "no certificate from a draft");
    look(c, p, "11-draft").await;

    // The leader issues it from the list's page and downloads the files.
    sign_out(c).await;
    enter(c, &base, "leader_a", p).await;
    follow(c, ".site-nav a[href='/emulation']", "#nominations-link").await;
    follow(c, "#nominations-link", "#nominations").await;
    follow_text(c, "#nominations", p.list, ".decision-link").await;
    follow(c, ".decision-link", "#issue").await;
    look(c, p, "12-to-issue").await;
    submit(c, "#issue", "#issued-note").await;
    let number = text(c, "#number").await;
    assert!(number.starts_with("Số: ") && number.ends_with("/QĐ-UBND"), "{number}");
    look(c, p, "13-issued").await;
    let (status, ty, pdf) = download(c, &base, "decision-pdf").await;
    assert_eq!((status, ty.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"), "the decision is a PDF");
    let (status, ty, pdf) = download(c, &base, "certificates-pdf").await;
    assert_eq!((status, ty.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"), "the certificates are a PDF");
    let pages =
        pdf.windows(11).filter(|w| w == b"/Type /Page").count() - pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
    assert_eq!(pages, 1, "her Giấy khen");
    let (status, ty, docx) = download(c, &base, "decision-docx").await;
    assert_eq!(status, 200);
    assert!(ty.contains("wordprocessingml") && docx.starts_with(b"PK"), "{ty}");
    follow(c, "main > p:first-of-type a", "#decisions").await;
    look(c, p, "14-decisions").await;
    sign_out(c).await;
}

#[tokio::test]
async fn registration_nomination_vote_decision_and_certificates_in_the_browser() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;

    let desk = browser(&driver, 1366, 900).await;
    let p = Pass {
        lang: "vi",
        tag: "1366-vi",
        phone: false,
        movement: "Dân vận khéo năm 2025",
        person: "Trần Thị Hoà",
        list: "Đề nghị tặng Giấy khen năm 2025",
    };
    journey(&desk, &app, &p).await;
    desk.close().await.unwrap();

    let phone = browser_without_js(&driver, 390, 844).await;
    assert!(!page_scripts_run(&phone).await, "the phone runs no page script");
    let p = Pass {
        lang: "en",
        tag: "390-en-nojs",
        phone: true,
        movement: "Khu dân cư kiểu mẫu 2025",
        person: "Nguyễn Thị Lan",
        list: "Đề nghị khen thưởng đợt hai",
    };
    journey(&phone, &app, &p).await;
    phone.close().await.unwrap();
}
