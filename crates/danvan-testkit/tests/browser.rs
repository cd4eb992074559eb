//! Browser tests in real headless Chromium (Debian's chromium + chromium-driver), driven over
//! WebDriver with fantoccini. Screenshots are kept under target/browser/ as CI artifacts.
//!
//! Without chromedriver the tests are skipped for a developer's quick run; with
//! DANVAN_TEST_BROWSER=1 (set by .ci/run) a missing browser is a failure.

#[path = "browser/a11y.rs"]
mod a11y;
#[path = "browser/cases.rs"]
mod cases;
#[path = "browser/emulation.rs"]
mod emulation;

use danvan_testkit::{Fixture, TestApp, PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "browser_parts/resident.rs"]
mod resident;

struct Driver {
    process: Child,
    port: u16,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn required() -> bool {
    std::env::var("DANVAN_TEST_BROWSER").is_ok_and(|v| v == "1")
}

fn chromedriver_path() -> Option<String> {
    let p = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    std::path::Path::new(&p).exists().then_some(p)
}

async fn start_driver() -> Option<Driver> {
    let Some(path) = chromedriver_path() else {
        assert!(!required(), "DANVAN_TEST_BROWSER=1 but chromedriver is not installed");
        eprintln!("skipping browser test: chromedriver not found (install chromium-driver)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut process = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let profile = std::env::temp_dir().join(format!("danvan-chrome-{port}"));
    for _ in 0..100 {
        if reqwest::get(format!("http://127.0.0.1:{port}/status")).await.is_ok() {
            return Some(Driver { process, port, profile });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = process.kill();
    let _ = process.wait();
    panic!("chromedriver did not start");
}

async fn browser(driver: &Driver, width: u32, height: u32) -> Client {
    chromium(driver, width, height, true).await
}

/// A fresh headless Chromium showing a `width`×`height` screen, with or without page scripts.
async fn chromium(driver: &Driver, width: u32, height: u32, scripts: bool) -> Client {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    // Each browser gets its own fresh profile (two may run side by side).
    let profile = driver.profile.join(uuid::Uuid::now_v7().simple().to_string());
    let mut options = serde_json::json!({
        "binary": chromium,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ]
    });
    if width < 500 {
        // Headless Chromium keeps windows at least 500 px wide: a phone's screen is emulated
        // (without touch events, which chromedriver's clicks then wait on forever).
        options["mobileEmulation"] = serde_json::json!({"deviceMetrics": {
            "width": width, "height": height, "pixelRatio": 1.0, "touch": false, "mobile": false}});
    }
    if !scripts {
        options["prefs"] = serde_json::json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("connect to chromedriver")
}

/// On a phone's screen (390 px, emulated), the page does not scroll sideways.
async fn no_sideways_scroll(c: &Client, what: &str) {
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap().as_f64().unwrap();
    let viewport = c.execute("return window.innerWidth", vec![]).await.unwrap().as_f64().unwrap();
    assert_eq!(viewport, 390.0, "{what}: a phone's screen, not a {viewport}px window");
    assert!(width <= viewport + 1.0, "{what}: {width}px wide on a {viewport}px screen");
}

async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    c.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

async fn fill(c: &Client, id: &str, value: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

async fn sign_in(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.wait().for_element(Locator::Id("f-username")).await.unwrap();
    fill(c, "f-username", user).await;
    fill(c, "f-password", PASSWORD).await;
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("my-account")).await.expect("signed in");
}

async fn html_lang(c: &Client) -> String {
    c.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn sign_in_switch_language_create_a_unit_and_meet_a_refusal() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let c = browser(&driver, 1280, 900).await;
    let base = app.url.clone();

    sign_in(&c, &base, "admin").await;
    assert_eq!(text(&c, "#my-account").await, "Người dùng admin");
    assert_eq!(html_lang(&c).await, "vi");

    // English, remembered across pages, then back to Vietnamese.
    c.find(Locator::Id("lang-switch")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    c.goto(&format!("{base}/units")).await.unwrap();
    assert_eq!(text(&c, "h1").await, "Unit directory");
    c.find(Locator::Id("lang-switch")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang=vi]")).await.unwrap();
    assert_eq!(text(&c, "h1").await, "Danh bạ đơn vị");

    // Create a residential group under ward A from its page.
    c.goto(&format!("{base}/units/{}", f.ward_a.id)).await.unwrap();
    c.find(Locator::Id("new-child")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("unit-form")).await.unwrap();
    // First with a mistake: the error shows next to the field.
    fill(&c, "f-code", "bad code").await;
    fill(&c, "f-name", "Tổ dân phố số 7").await;
    c.find(Locator::Css("#f-kind option[value=residential_group]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("unit-save")).await.unwrap().click().await.unwrap();
    let err = text(&c, "#f-code-error").await;
    assert!(err.contains("Mã chỉ gồm"), "{err}");
    fill(&c, "f-code", "TA-7").await;
    c.find(Locator::Id("unit-save")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".flash-success")).await.unwrap();
    assert!(text(&c, "h1").await.starts_with("Tổ dân phố số 7"));
    screenshot(&c, "unit-created").await;
    assert!(app.store.get_unit_by_code("TA-7").await.unwrap().is_some());

    // A viewer is refused the administration, with a clear message.
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("login-link")).await.unwrap();
    sign_in(&c, &base, "viewer_a").await;
    c.goto(&format!("{base}/admin/units/new?parent={}", f.ward_a.id)).await.unwrap();
    let msg = text(&c, "#error-message").await;
    assert!(msg.contains("không có quyền"), "{msg}");
    screenshot(&c, "viewer-refused").await;
    // And the unit page offers the viewer no administration buttons.
    c.goto(&format!("{base}/units/{}", f.ward_a.id)).await.unwrap();
    assert!(c.find(Locator::Id("new-child")).await.is_err());
    c.close().await.unwrap();
}

#[tokio::test]
async fn the_public_pages_work_on_a_phone_sized_screen() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let c = browser(&driver, 390, 844).await;
    c.goto(&app.url).await.unwrap();
    // The main call to action is visible without scrolling sideways.
    no_sideways_scroll(&c, "home").await;
    assert!(text(&c, ".hero .btn-primary").await.contains("Gửi phản ánh"));
    c.goto(&format!("{}/units?q=an+binh", app.url)).await.unwrap();
    assert!(text(&c, "#unit-results").await.contains("Phường An Bình"));
    screenshot(&c, "phone-directory").await;
    c.close().await.unwrap();
}

/// Clicks an action button and waits until the case page shows the new status (the click
/// navigates; waiting for any element could find it on the page being left).
async fn act(c: &Client, action: &str, status: &str) {
    c.find(Locator::Id(&format!("act-{action}"))).await.unwrap_or_else(|e| panic!("act-{action}: {e}")).click().await.unwrap();
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Id("case-status")).await {
            if el.text().await.unwrap_or_default() == status {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{action}: the case did not reach {status}");
}

/// Selects the option whose visible text contains `label`.
async fn choose(c: &Client, select_id: &str, label: &str) {
    let options = c.find_all(Locator::Css(&format!("#{select_id} option"))).await.unwrap();
    for o in options {
        if o.text().await.unwrap_or_default().contains(label) {
            o.click().await.unwrap();
            return;
        }
    }
    panic!("no option {label} in #{select_id}");
}

#[tokio::test]
async fn the_citizen_journey_on_a_phone_submit_answer_rate() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    app.store.set_setting("default_province", "T01").await.unwrap();
    let c = browser(&driver, 390, 844).await;
    let base = app.url.clone();

    // A resident sends feedback from her phone.
    c.goto(&base).await.unwrap();
    c.find(Locator::Id("send-feedback")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("case-form")).await.unwrap();
    choose(&c, "f-category", "thoát nước").await;
    choose(&c, "f-place", "Phường An Bình").await;
    fill(&c, "f-description", "Cống trước nhà số 7 bị tắc, nước tràn lên vỉa hè mỗi khi mưa.").await;
    fill(&c, "f-address", "Số 7 phố An Bình").await;
    fill(&c, "f-sender_phone", "0912 345 678").await;
    // With a photo taken on the spot (made here: a small JPEG written to a temporary file).
    let photo_path = std::env::temp_dir().join(format!("danvan-photo-{}.jpg", uuid::Uuid::now_v7().simple()));
    let img = image::RgbImage::from_fn(120, 90, |x, y| image::Rgb([(x * 2) as u8, (y * 2) as u8, 90]));
    img.save_with_format(&photo_path, image::ImageFormat::Jpeg).unwrap();
    c.find(Locator::Id("f-photos")).await.unwrap().send_keys(&photo_path.display().to_string()).await.unwrap();
    // The form refuses a submission faster than a person could type.
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.find(Locator::Id("case-submit")).await.unwrap().click().await.unwrap();
    let code = text(&c, "#case-code").await;
    assert!(code.starts_with("PA-"), "{code}");
    let link = c.find(Locator::Id("private-link")).await.unwrap().attr("href").await.unwrap().unwrap();
    assert!(text(&c, "#due-sentence").await.contains("Ủy ban nhân dân phường An Bình"));
    no_sideways_scroll(&c, "the receipt").await;
    assert_eq!(c.find_all(Locator::Css("#photos img")).await.unwrap().len(), 1, "her photo shows on her tracking page");
    screenshot(&c, "citizen-received").await;
    let _ = std::fs::remove_file(&photo_path);

    // The ward answers (officer drafts, leader signs off, officer sends).
    let id = app.store.get_case_by_code(&code).await.unwrap().unwrap().id;
    let c2 = browser(&driver, 1280, 900).await;
    sign_in(&c2, &base, "officer_a").await;
    c2.goto(&format!("{base}/inbox?view=open")).await.unwrap();
    assert!(text(&c2, "#inbox").await.contains(&code));
    c2.goto(&format!("{base}/cases/{id}")).await.unwrap();
    // The photo shows on the officer's case page, as a loaded thumbnail linking to the image.
    let thumb = c2.wait().for_element(Locator::Css("#photos a img")).await.expect("photo on the case page");
    // The image may still be arriving (it is streamed): give it a few seconds on a busy machine.
    let mut loaded = serde_json::Value::Null;
    for _ in 0..50 {
        loaded = c2
            .execute("return arguments[0].complete && arguments[0].naturalWidth", vec![serde_json::to_value(&thumb).unwrap()])
            .await
            .unwrap();
        if loaded.as_f64().unwrap_or(0.0) > 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(loaded.as_f64().unwrap_or(0.0) > 0.0, "the thumbnail loads: {loaded}");
    let full = c2.find(Locator::Css("#photos a")).await.unwrap().attr("href").await.unwrap().unwrap();
    assert!(full.starts_with("/files/"), "{full}");
    act(&c2, "accept", "Đã thụ lý").await;
    act(&c2, "assign", "Đã giao xử lý").await;
    act(&c2, "start", "Đang xử lý").await;
    fill(&c2, "draft_answer-f-answer", "Phường đã cho nạo vét cống trước số 7 phố An Bình ngày hôm nay.").await;
    act(&c2, "draft_answer", "Đã dự thảo trả lời").await;
    screenshot(&c2, "officer-case").await;
    c2.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c2.wait().for_element(Locator::Id("login-link")).await.unwrap();
    sign_in(&c2, &base, "leader_a").await;
    c2.goto(&format!("{base}/cases/{id}")).await.unwrap();
    act(&c2, "approve_answer", "Lãnh đạo đã ký duyệt").await;
    c2.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c2.wait().for_element(Locator::Id("login-link")).await.unwrap();
    sign_in(&c2, &base, "officer_a").await;
    c2.goto(&format!("{base}/cases/{id}")).await.unwrap();
    act(&c2, "send_answer", "Đã trả lời").await;
    c2.close().await.unwrap();

    // Back on her phone, she reads the answer and rates it.
    c.goto(&format!("{base}{link}")).await.unwrap();
    assert!(text(&c, "#answer").await.contains("nạo vét cống"));
    c.find(Locator::Css("#rate input[name=rating][value='4']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("rate-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".flash-success")).await.unwrap();
    screenshot(&c, "citizen-rated").await;
    assert_eq!(app.store.get_case(id).await.unwrap().rating, Some(4));
    c.close().await.unwrap();
}

/// A PNG of one colour, encoded here (stored deflate blocks), so the map test needs no files
/// and no internet.
fn png_tile(size: u32, rgb: [u8; 3]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in bytes {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    // Each row: filter type 0, then the pixels.
    let row: Vec<u8> = std::iter::once(0).chain(std::iter::repeat_n(rgb, size as usize).flatten()).collect();
    let raw: Vec<u8> = std::iter::repeat_n(row, size as usize).flatten().collect();
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(if i + 1 == blocks.len() { 1 } else { 0 });
        z.extend((b.len() as u16).to_le_bytes());
        z.extend((!(b.len() as u16)).to_le_bytes());
        z.extend(*b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for x in &raw {
        a = (a + *x as u32) % 65521;
        b = (b + a) % 65521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = vec![];
    ihdr.extend(size.to_be_bytes());
    ihdr.extend(size.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A local tile server: every path answers with the same generated tile; counts requests.
async fn tile_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    let tile = std::sync::Arc::new(png_tile(256, [170, 211, 223]));
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (tile, count) = (tile.clone(), count.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = sock.read(&mut buf).await;
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    tile.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&tile).await;
            });
        }
    });
    (url, served)
}

#[tokio::test]
async fn the_map_picker_fills_the_coordinates_from_local_tiles() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    app.store.set_setting("default_province", "T01").await.unwrap();
    let (tiles, served) = tile_server().await;
    let map = serde_json::json!({"tile_url": format!("{tiles}/{{z}}/{{x}}/{{y}}.png"), "attribution": "© Bản đồ thử"});
    app.store.set_setting("map", &map.to_string()).await.unwrap();
    let c = browser(&driver, 1280, 900).await;
    let base = app.url.clone();

    c.goto(&format!("{base}/cases/new")).await.unwrap();
    let pick = c.wait().for_element(Locator::Css("#pick-map:not([hidden])")).await.unwrap();
    // The tiles load: the CSP lets the configured host serve images.
    let mut loaded = 0.0;
    for _ in 0..50 {
        loaded = c
            .execute("return [...document.querySelectorAll('#pick-map img.map-tile')].filter(i => i.complete && i.naturalWidth === 256).length", vec![])
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        if loaded > 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(loaded > 0.0, "tiles shown");
    assert!(served.load(std::sync::atomic::Ordering::SeqCst) > 0);
    assert!(text(&c, "#pick-map .map-attribution").await.contains("Bản đồ thử"));

    // A click in the middle of the map picks its centre (Hà Nội by default).
    pick.click().await.unwrap();
    let value = |id: &'static str| {
        let c = c.clone();
        async move {
            c.find(Locator::Id(id))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
                .parse::<f64>()
                .unwrap_or(f64::NAN)
        }
    };
    let (lat, lon) = (value("f-latitude").await, value("f-longitude").await);
    assert!((lat - 21.0285).abs() < 0.01 && (lon - 105.8542).abs() < 0.01, "picked {lat}, {lon}");
    assert!(c.find(Locator::Id("pick-map-pin")).await.is_ok(), "a pin marks the point");
    screenshot(&c, "map-picker").await;

    // The form goes through with the picked point.
    choose(&c, "f-category", "thoát nước").await;
    choose(&c, "f-place", "Phường An Bình").await;
    fill(&c, "f-description", "Cống bị tắc ngay chỗ đánh dấu trên bản đồ.").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.find(Locator::Id("case-submit")).await.unwrap().click().await.unwrap();
    let code = text(&c, "#case-code").await;
    let case = app.store.get_case_by_code(&code).await.unwrap().unwrap();
    assert!((case.latitude.unwrap() - lat).abs() < 1e-6 && (case.longitude.unwrap() - lon).abs() < 1e-6);
    c.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_assigns_several_cases_at_once_from_the_inbox() {
    let Some(driver) = start_driver().await else { return };
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let kind = danvan_domain::cases::CaseKind::Feedback;
    let one = danvan_testkit::case_in(&app, &f.committee_a, kind, "Nguyễn Văn Một", true).await;
    let two = danvan_testkit::case_in(&app, &f.ward_a, kind, "Nguyễn Văn Hai", true).await;
    let waiting = danvan_testkit::case_in(&app, &f.ward_a, kind, "Nguyễn Văn Ba", false).await;
    let c = browser(&driver, 1280, 900).await;
    let base = app.url.clone();
    sign_in(&c, &base, "officer_a").await;
    c.goto(&format!("{base}/inbox?view=open")).await.unwrap();
    for case in [&one, &two, &waiting] {
        c.find(Locator::Id(&format!("sel-{}", case.id))).await.unwrap().click().await.unwrap();
    }
    choose(&c, "f-assignee", "officer_a").await;
    screenshot(&c, "officer-inbox-bulk").await;
    c.find(Locator::Id("bulk-assign")).await.unwrap().click().await.unwrap();
    assert_eq!(text(&c, "#bulk-summary").await, "Đã giao 2 hồ sơ, không thực hiện 1 hồ sơ.");
    assert!(text(&c, "#bulk-result").await.contains(&waiting.code));
    screenshot(&c, "officer-bulk-assign").await;
    let officer = app.store.get_account_by_username("officer_a").await.unwrap().unwrap().id;
    assert_eq!(app.store.get_case(one.id).await.unwrap().assignee_id, Some(officer));
    assert_eq!(app.store.get_case(waiting.id).await.unwrap().assignee_id, None);
    c.close().await.unwrap();
}
