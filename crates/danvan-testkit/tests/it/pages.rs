//! Pages through HTTP: sign-in, language, forms with field errors, security headers, operations.

use danvan_testkit::{Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn home_is_vietnamese_and_the_english_switch_is_remembered() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let (status, body) = c.page("/").await;
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"vi\">") && body.contains("Gửi phản ánh, kiến nghị"));
    let r = c.post_form("/lang", &[("lang", "en"), ("back", "/units")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/units");
    let (_, body) = c.page("/").await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Send feedback or a petition"), "{body}");
    // An outside address is never followed.
    let r = c.post_form("/lang", &[("lang", "vi"), ("back", "//evil.example/")]).await;
    assert_eq!(r.headers()["location"], "/");
    // Browsers drop tabs from URLs, which would turn this into //evil.example.
    let r = c.post_form("/lang", &[("lang", "vi"), ("back", "/\t/evil.example/")]).await;
    assert_eq!(r.headers()["location"], "/");
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::sqlite().await;
    for path in ["/", "/login", "/api/v1/units", "/healthz", "/nope"] {
        let r = reqwest::get(format!("{}{path}", app.url)).await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    }
}

#[tokio::test]
async fn sign_in_errors_throttling_and_sign_out_everywhere() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = app.client();
    let r = c.login("officer_a", "wrong password").await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    for _ in 0..4 {
        c.login("officer_a", "wrong password").await;
    }
    // Five failures lock the account for a while, even with the right password.
    let r = c.login("officer_a", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    // Another account is not affected.
    let mut phone = app.client();
    let mut laptop = app.client();
    assert_eq!(phone.login("viewer_a", PASSWORD).await.status().as_u16(), 303);
    assert_eq!(laptop.login("viewer_a", PASSWORD).await.status().as_u16(), 303);
    assert_eq!(laptop.page("/account").await.0, 200);
    let r = phone.post_form("/logout-everywhere", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = laptop.get("/account").await;
    assert_eq!(r.status().as_u16(), 303, "the other device is signed out too");
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"));
}

#[tokio::test]
async fn an_expired_form_gets_a_friendly_page_not_a_json_error() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = app.client();
    c.login("admin", PASSWORD).await;
    let r = c.http.post(format!("{}/admin/units", app.url)).form(&[("code", "X"), ("_csrf", "stale")]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("Vui lòng tải lại trang"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = app.client();
    let r = c.login("admin", PASSWORD).await;
    let cookies: Vec<&str> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    let session = cookies.iter().find(|c| c.starts_with("dv_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
}

#[tokio::test]
async fn unit_forms_show_errors_next_to_fields_and_keep_input() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("admin", PASSWORD).await;
        let r = c
            .post_form(
                "/admin/units",
                &[("code", "TA"), ("name", "<script>alert(1)</script>"), ("kind", ""), ("parent_code", "NOPE")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("class=\"field has-error\""));
        assert!(body.contains("Không có đơn vị này."), "unknown parent code");
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !body.contains("<script>alert"), "input is escaped");
        let r = c
            .post_form(
                "/admin/units",
                &[("code", "TA-2"), ("name", "Tổ dân phố số 2"), ("kind", "residential_group"), ("parent_code", "TA")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = c.page(&loc).await;
        assert!(page.contains("Tổ dân phố số 2") && page.contains("Đã tạo."), "flash shown");
    }
}

#[tokio::test]
async fn the_directory_finds_units_without_diacritics_and_hides_people_from_the_public() {
    let app = TestApp::sqlite().await;
    let f = Fixture::build(&app.store).await;
    let mut c = app.client();
    let (_, body) = c.page("/units?q=ben+do").await;
    assert!(body.contains("Phường Bến Đò"), "{body}");
    let (_, body) = c.page(&format!("/units/{}", f.ward_a.id)).await;
    assert!(!body.contains("officer_a@example.vn") && !body.contains("Người dùng officer_a"));
    c.login("officer_a", PASSWORD).await;
    let (_, body) = c.page(&format!("/units/{}", f.ward_a.id)).await;
    assert!(body.contains("Người dùng officer_a") && body.contains("officer_a@example.vn"));
    // A viewer sees the people but not their contacts.
    let mut v = app.client();
    v.login("viewer_a", PASSWORD).await;
    let (_, body) = v.page(&format!("/units/{}", f.ward_a.id)).await;
    assert!(body.contains("Người dùng officer_a") && !body.contains("officer_a@example.vn"));
}

#[tokio::test]
async fn citizens_register_and_are_signed_in() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let r = c
        .post_form(
            "/register",
            &[("full_name", "Trần Thị Bình"), ("username", "Binh"), ("email", "sai"), ("new_password", "ngan")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Địa chỉ thư điện tử không hợp lệ.") && body.contains("Mật khẩu phải có ít nhất 10 ký tự."));
    let r = c
        .post_form(
            "/register",
            &[
                ("full_name", "Trần Thị Bình"),
                ("username", "binh.tran"),
                ("email", "binh@example.vn"),
                ("new_password", "mot-mat-khau-dai"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, body) = c.page("/account").await;
    assert_eq!(status, 200);
    assert!(body.contains("Tài khoản người dân"));
    // Citizens do not reach the administration.
    let r = c.get("/admin").await;
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn health_and_metrics() {
    let app = TestApp::sqlite().await;
    let r = reqwest::get(format!("{}/healthz", app.url)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    reqwest::get(format!("{}/units", app.url)).await.unwrap();
    let m = reqwest::Client::new()
        .get(format!("{}/metrics", app.url))
        .bearer_auth(danvan_testkit::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("danvan_http_requests_total{method=\"GET\",route=\"/units\",status=\"200\"}"), "{m}");
    assert!(m.contains("danvan_http_request_duration_seconds_bucket"));
    assert!(m.contains("danvan_db_pool_connections"));
}

#[tokio::test]
async fn every_page_of_an_admin_renders() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = app.client();
        c.login("admin", PASSWORD).await;
        let officer = app.store.get_account_by_username("officer_a").await.unwrap().unwrap().id;
        for path in [
            "/".to_string(),
            "/units".into(),
            "/units?q=phuong".into(),
            format!("/units/{}", f.ward_a.id),
            "/admin".into(),
            "/admin/units/new".into(),
            format!("/admin/units/{}/edit", f.group_a1.id),
            format!("/admin/units/{}/dissolve", f.ward_a.id),
            "/admin/units/import".into(),
            "/admin/transfers".into(),
            "/admin/accounts".into(),
            "/admin/accounts/new".into(),
            format!("/admin/accounts/{officer}"),
            format!("/admin/accounts/{officer}/edit"),
            "/admin/audit".into(),
            "/admin/audit?action=unit.create&from=01/01/2020".into(),
            "/account".into(),
        ] {
            let (status, body) = c.page(&path).await;
            assert_eq!(status, 200, "{}: {path}", app.backend);
            assert!(body.contains("</html>"), "{path}");
        }
    }
}

/// A problem document's `type` resolves to a page explaining it; an unknown one is not found.
#[tokio::test]
async fn problem_types_resolve_to_their_explanation() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let (status, body) = c.page("/problems/csrf").await;
    assert_eq!(status, 200);
    assert!(body.contains("Phiên làm việc của biểu mẫu đã hết hạn"), "{body}");
    let (status, body) = c.page("/problems/title").await;
    assert_eq!(status, 200, "error.title has its page too");
    assert!(body.contains("<h1"), "{body}");
    let (status, _) = c.page("/problems/no-such-problem").await;
    assert_eq!(status, 404);
    let (status, _) = c.page("/problems/..%2Fapp.name").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn publishing_is_the_residents_choice_never_a_default() {
    // Consent to publish is given, not presumed (Decree 13/2023 Art. 11: consent is an explicit act).
    let app = TestApp::sqlite().await;
    let (status, body) = app.client().page("/cases/new").await;
    assert_eq!(status, 200);
    let input = body.split("<input").find(|i| i.contains("name=\"publish\"")).expect("the publish checkbox");
    let input = &input[..input.find('>').unwrap()];
    assert!(!input.contains("checked"), "{input}");
}

#[tokio::test]
async fn a_refusal_for_too_many_attempts_says_when_to_come_back() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = app.client();
    c.page("/login").await;
    let mut last = None;
    for _ in 0..6 {
        last = Some(c.post_form("/login", &[("username", "officer_a"), ("password", "wrong password")]).await);
    }
    let r = last.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers().get("retry-after").map(|v| v.to_str().unwrap()), Some("60"));
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    // The walk of 2026-12-07 (M4): one connection sending half a request was held 13 minutes.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::sqlite().await;
    let addr = app.url.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = std::time::Instant::now();
    let mut buf = vec![];
    // The server answers 408 or just closes; either way the read ends, well before a minute.
    let read = tokio::time::timeout(std::time::Duration::from_secs(60), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after a minute");
    let held = started.elapsed();
    assert!(held >= danvan_web::HEADER_READ_TIMEOUT - std::time::Duration::from_secs(1) && held.as_secs() < 40, "{held:?}");
    // A complete request on a new connection is served as ever.
    let r = reqwest::get(format!("{}/healthz", app.url)).await.unwrap();
    assert_eq!(r.status(), 200);
}
