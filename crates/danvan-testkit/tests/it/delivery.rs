//! Answers reaching citizens (a real SMTP conversation and a signed webhook), retries, merged
//! cases, duplicate suggestions, retention and the resident's data request, on SQLite and
//! PostgreSQL.

use danvan_app::cases::delivery::{self, DeliveryConfig, SmtpConfig, SmtpTls, WebhookConfig};
use danvan_app::cases::retention;
use danvan_app::{App, AppConfig};
use danvan_domain::cases::delivery::MessageChannel;
use danvan_testkit::receivers::{SmtpReceiver, WebhookReceiver};
use danvan_testkit::{record_case, CaseSpec, Client, Fixture, TestApp, PASSWORD};
use std::time::Duration;

const SECRET: &str = "khoa-bi-mat-cua-cong-nhan-tin";

fn state(app: &TestApp, smtp: Option<&SmtpReceiver>, hook: Option<&WebhookReceiver>) -> App {
    let delivery = DeliveryConfig {
        public_url: app.url.clone(),
        smtp: smtp.map(|s| SmtpConfig {
            host: "127.0.0.1".into(),
            port: s.port,
            tls: SmtpTls::None,
            user: None,
            password: None,
            from: "UBND phuong An Binh <no-reply@danvan.test>".into(),
        }),
        webhook: hook.map(|h| WebhookConfig {
            url: h.url.clone(),
            secret: h.secret.clone(),
            channels: vec![MessageChannel::Sms, MessageChannel::Zalo],
        }),
        max_attempts: 3,
        // Retries come at once, so one pass of the job shows the whole story.
        retry_base: Duration::ZERO,
        timeout: Duration::from_secs(5),
    };
    App::new(app.store.clone(), AppConfig { delivery, uploads_dir: app.uploads_dir.clone() })
}

async fn act(c: &mut Client, id: i64, fields: &[(&str, &str)]) -> u16 {
    c.page(&format!("/cases/{id}")).await;
    c.post_form(&format!("/cases/{id}/act"), fields).await.status().as_u16()
}

/// Takes a case through handling to the answer being sent, as the officer and the leader would.
async fn answer(app: &TestApp, id: i64, text: &str) {
    let mut officer = app.client();
    officer.login("officer_a", PASSWORD).await;
    for step in ["accept", "assign", "start"] {
        assert_eq!(act(&mut officer, id, &[("action", step)]).await, 303, "{step}");
    }
    assert_eq!(act(&mut officer, id, &[("action", "draft_answer"), ("answer", text)]).await, 303);
    let mut leader = app.client();
    leader.login("leader_a", PASSWORD).await;
    assert_eq!(act(&mut leader, id, &[("action", "approve_answer")]).await, 303);
    assert_eq!(act(&mut officer, id, &[("action", "send_answer")]).await, 303);
}

fn spec(f: &Fixture, description: &str, point: Option<(f64, f64)>) -> CaseSpec {
    CaseSpec { description: description.into(), place: f.ward_a.id, point, ..Default::default() }
}

const DRAIN: &str = "Cống thoát nước đầu ngõ 5 phố An Bình bị tắc, nước tràn lên vỉa hè";
const ANSWER: &str = "Phường đã nạo vét cống đầu ngõ 5 ngày 28/11.";
/// Hoàn Kiếm lake; 0.001° of latitude is about 111 m.
const HERE: (f64, f64) = (21.0288, 105.8525);

fn link_in(text: &str) -> String {
    let i = text.find("/track/").expect("a tracking link");
    text[i..].chars().take_while(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn an_answer_reaches_the_citizen_by_email_and_webhook_with_a_working_link() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) = record_case(
            &app.store,
            &CaseSpec { name: "Lê Thị Hoa", phone: "0987654321", email: "hoa@example.vn", ..spec(&f, DRAIN, Some(HERE)) },
        )
        .await;
        answer(&app, c.id, ANSWER).await;
        let queued = app.store.case_messages(c.id).await.unwrap();
        let mut channels: Vec<&str> = queued.iter().map(|m| m.channel.as_str()).collect();
        channels.sort();
        assert_eq!(channels, ["email", "sms"], "{}", app.backend);
        assert!(queued.iter().all(|m| m.status == "pending"));

        // Nothing configured: the messages wait, visibly, rather than vanish.
        let r = delivery::deliver(&state(&app, None, None)).await.unwrap();
        assert_eq!(r.parked, 2);
        assert!(app.store.case_messages(c.id).await.unwrap().iter().all(|m| m.status == "no_channel"));
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("Chưa cấu hình kênh gửi"), "{}", app.backend);

        let smtp = SmtpReceiver::start().await;
        let hook = WebhookReceiver::start(SECRET).await;
        let r = delivery::deliver(&state(&app, Some(&smtp), Some(&hook))).await.unwrap();
        assert_eq!((r.sent, r.failed), (2, 0), "{}: {r:?}", app.backend);
        let mails = smtp.messages();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, ["hoa@example.vn"]);
        let text = mails[0].text();
        assert!(text.contains(ANSWER) && text.contains(&c.code) && text.contains("1/UBND-TL"), "{text}");
        let sms = hook.received();
        assert_eq!(sms.len(), 1);
        assert_eq!((sms[0]["channel"].as_str(), sms[0]["to"].as_str()), (Some("sms"), Some("0987654321")));
        assert_eq!(hook.bad_signatures(), 0);
        // The link in the e-mail opens the citizen's own case.
        let link = link_in(&text);
        assert!(link.starts_with(&format!("/track/{}?s=", c.code)), "{link}");
        let mut citizen = app.client();
        let (status, page) = citizen.page(&link).await;
        assert_eq!(status, 200);
        assert!(page.contains("nạo vét cống"));
        // A second pass sends nothing again; the officer sees what was sent.
        assert_eq!(delivery::deliver(&state(&app, Some(&smtp), Some(&hook))).await.unwrap().sent, 0);
        assert_eq!(smtp.messages().len(), 1);
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("id=\"delivery\"") && page.contains("Đã gửi") && page.contains("hoa@example.vn"));
        // A viewer sees the status but not the recipients.
        let mut viewer = app.client();
        viewer.login("viewer_a", PASSWORD).await;
        let (_, page) = viewer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains("Đã gửi") && !page.contains("hoa@example.vn"));
    }
}

#[tokio::test]
async fn failed_deliveries_are_retried_then_given_up() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) =
            record_case(&app.store, &CaseSpec { phone: "0912345678", email: "nam@example.vn", ..spec(&f, DRAIN, None) }).await;
        answer(&app, c.id, ANSWER).await;
        let smtp = SmtpReceiver::start().await;
        let hook = WebhookReceiver::start(SECRET).await;
        // The mail server refuses every attempt; the gateway fails once, then accepts.
        smtp.refuse_next(100);
        hook.fail_next(1);
        let r = delivery::deliver(&state(&app, Some(&smtp), Some(&hook))).await.unwrap();
        assert_eq!((r.sent, r.failed), (1, 1), "{}: {r:?}", app.backend);
        let msgs = app.store.case_messages(c.id).await.unwrap();
        let email = msgs.iter().find(|m| m.channel == "email").unwrap();
        assert_eq!((email.status.as_str(), email.attempts), ("failed", 3));
        assert!(email.last_error.contains("smtp") && !email.last_error.contains("nam@example.vn"), "{}", email.last_error);
        let sms = msgs.iter().find(|m| m.channel == "sms").unwrap();
        assert_eq!((sms.status.as_str(), sms.attempts), ("sent", 2));
        assert_eq!(hook.received().len(), 1);
        assert!(smtp.messages().is_empty());
        // A gateway with another key refuses the signature: the message is not delivered.
        let (c2, _) = record_case(&app.store, &CaseSpec { phone: "0912345679", ..spec(&f, DRAIN, None) }).await;
        answer(&app, c2.id, ANSWER).await;
        let wrong = WebhookReceiver::start("another-key").await;
        let mut ours = wrong.clone();
        ours.secret = SECRET.into();
        let r = delivery::deliver(&state(&app, None, Some(&ours))).await.unwrap();
        assert_eq!((r.sent, r.failed), (0, 1));
        assert_eq!(wrong.bad_signatures(), 3);
    }
}

#[tokio::test]
async fn an_anonymous_case_has_nothing_to_send() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) = record_case(&app.store, &spec(&f, DRAIN, None)).await;
        answer(&app, c.id, ANSWER).await;
        assert_eq!(app.store.get_case(c.id).await.unwrap().status, "answered");
        assert!(app.store.case_messages(c.id).await.unwrap().is_empty(), "{}", app.backend);
    }
}

#[tokio::test]
async fn duplicates_are_suggested_and_a_merged_cases_citizen_gets_the_answer() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (a, _) =
            record_case(&app.store, &CaseSpec { name: "Nguyễn Văn An", email: "an@example.vn", ..spec(&f, DRAIN, Some(HERE)) })
                .await;
        // ~110 m away, nearly the same words.
        let (b, b_secret) = record_case(
            &app.store,
            &CaseSpec {
                name: "Trần Thị Bình",
                email: "binh@example.vn",
                phone: "0977000111",
                ..spec(&f, "Cống thoát nước ở đầu ngõ 5 An Bình bị tắc, nước tràn vỉa hè", Some((HERE.0 + 0.001, HERE.1)))
            },
        )
        .await;
        // Same words, ~330 m away; and another matter at the same spot.
        let (far, _) = record_case(&app.store, &spec(&f, DRAIN, Some((HERE.0 + 0.003, HERE.1)))).await;
        let (other, _) =
            record_case(&app.store, &spec(&f, "Karaoke nhà số 12 hát to sau 23 giờ đêm, ảnh hưởng cả khu", Some(HERE))).await;

        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (_, page) = officer.page(&format!("/cases/{}", a.id)).await;
        let dup = &page[page.find("id=\"duplicates\"").expect("duplicates listed")..];
        let dup = &dup[..dup.find("</section>").unwrap()];
        assert!(dup.contains(&b.code), "{}: near and alike", app.backend);
        assert!(!dup.contains(&far.code) && !dup.contains(&other.code), "{dup}");

        // Only an officer who handles both cases may merge; bad input gets field errors.
        let mut outsider = app.client();
        outsider.login("leader_b", PASSWORD).await;
        outsider.page("/").await;
        let r = outsider.post_form(&format!("/cases/{}/merge", b.id), &[("into", &a.code), ("note", "trùng")]).await;
        assert_eq!(r.status().as_u16(), 403);
        officer.page(&format!("/cases/{}", b.id)).await;
        let r = officer.post_form(&format!("/cases/{}/merge", b.id), &[("into", &b.code), ("note", "trùng")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("Không thể gộp hồ sơ vào chính nó."));
        let r = officer.post_form(&format!("/cases/{}/merge", b.id), &[("into", "PA-1999-000001"), ("note", "")]).await;
        assert_eq!(r.status().as_u16(), 422);
        let r = officer.post_form(&format!("/cases/{}/merge", b.id), &[("into", &a.code), ("note", "Cùng một cống")]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let merged = app.store.get_case(b.id).await.unwrap();
        assert_eq!((merged.status.as_str(), merged.merged_into), ("rejected", Some(a.id)));
        let events_b = app.store.case_events(b.id, false).await.unwrap();
        let events_a = app.store.case_events(a.id, false).await.unwrap();
        assert!(events_b.iter().any(|e| e.action == "merge") && events_a.iter().any(|e| e.action == "merge_in"));
        // A merged case cannot be merged again (the state machine refuses rejected cases).
        let r = officer.post_form(&format!("/cases/{}/merge", b.id), &[("into", &far.code), ("note", "x")]).await;
        assert_eq!(r.status().as_u16(), 409);

        // B's tracking page points to A, without A's sender.
        let track_b = format!("/track/{}?s={b_secret}", b.code);
        let mut citizen_b = app.client();
        let (_, page) = citizen_b.page(&track_b).await;
        assert!(page.contains(&a.code) && !page.contains("Nguyễn Văn An") && !page.contains("an@example.vn"));

        answer(&app, a.id, ANSWER).await;
        // A's citizen by e-mail; B's by e-mail and SMS, with B's own code and link.
        let to_b = app.store.case_messages(b.id).await.unwrap();
        assert_eq!(to_b.len(), 2, "{}", app.backend);
        for m in &to_b {
            assert_eq!(m.answer_case_id, a.id);
            assert!(m.body.contains(&format!("/track/{}?s=", b.code)), "{}", m.body);
            assert!(m.body.contains(ANSWER) || m.body.contains("nao vet"), "{}", m.body);
            assert!(!m.body.contains("an@example.vn") && !m.body.contains("Nguyễn Văn An"));
        }
        let smtp = SmtpReceiver::start().await;
        let hook = WebhookReceiver::start(SECRET).await;
        let r = delivery::deliver(&state(&app, Some(&smtp), Some(&hook))).await.unwrap();
        assert_eq!(r.sent, 3, "{r:?}");
        let mut rcpts: Vec<String> = smtp.messages().iter().flat_map(|m| m.to.clone()).collect();
        rcpts.sort();
        assert_eq!(rcpts, ["an@example.vn", "binh@example.vn"]);
        // B's page now shows A's answer.
        let (_, page) = citizen_b.page(&track_b).await;
        assert!(page.contains("id=\"merged-answer\"") && page.contains("nạo vét cống"));
        // A case merged after the answer was sent gets it at once.
        let (late, _) = record_case(&app.store, &CaseSpec { email: "muon@example.vn", ..spec(&f, DRAIN, Some(HERE)) }).await;
        officer.page(&format!("/cases/{}", late.id)).await;
        let r = officer.post_form(&format!("/cases/{}/merge", late.id), &[("into", &a.code), ("note", "trùng")]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(app.store.case_messages(late.id).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn complaints_are_never_merged_nor_suggested_and_a_crossing_merge_is_refused() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (fb, _) = record_case(&app.store, &spec(&f, DRAIN, Some(HERE))).await;
        let (cp, _) = record_case(
            &app.store,
            &CaseSpec { kind: "complaint", name: "Đỗ Thị Khiếu", phone: "0900111333", ..spec(&f, DRAIN, Some(HERE)) },
        )
        .await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        // The complaint is near and alike, but never offered for merging.
        let (_, page) = officer.page(&format!("/cases/{}", fb.id)).await;
        assert!(!page.contains(&cp.code), "{}: complaint suggested", app.backend);
        for (from, into) in [(&fb, &cp), (&cp, &fb)] {
            officer.page(&format!("/cases/{}", from.id)).await;
            let r = officer.post_form(&format!("/cases/{}/merge", from.id), &[("into", &into.code), ("note", "trùng")]).await;
            assert_eq!(r.status().as_u16(), 422, "{}: {} into {}", app.backend, from.kind, into.kind);
            assert!(app.store.get_case(from.id).await.unwrap().merged_into.is_none());
        }
        // A into B, then B into A with a row read before the first merge: the store refuses it.
        let (x, _) = record_case(&app.store, &spec(&f, DRAIN, Some(HERE))).await;
        let stale_fb = app.store.get_case(fb.id).await.unwrap();
        let ctx = danvan_store::AuditCtx::system("test");
        app.store
            .merge_case(&ctx, &stale_fb, &x, danvan_domain::cases::CaseStatus::Rejected, "trùng", &Default::default())
            .await
            .unwrap();
        let stale_x = x.clone();
        assert!(
            app.store
                .merge_case(&ctx, &stale_x, &stale_fb, danvan_domain::cases::CaseStatus::Rejected, "trùng", &Default::default())
                .await
                .is_err(),
            "{}",
            app.backend
        );
        assert_eq!(app.store.get_case(x.id).await.unwrap().merged_into, None, "{}: no cycle", app.backend);
        assert!(app
            .store
            .merge_case(&ctx, &x, &x, danvan_domain::cases::CaseStatus::Rejected, "self", &Default::default())
            .await
            .is_err());
    }
}

#[tokio::test]
async fn answer_files_are_never_public_even_once_the_answer_is_sent() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, secret) = record_case(&app.store, &CaseSpec { name: "Nguyễn Văn An", ..spec(&f, DRAIN, None) }).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page(&format!("/cases/{}", c.id)).await;
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = officer.post_multipart(&format!("/cases/{}/files", c.id), &[], &[("files", "cong-van-an.pdf", pdf)]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        answer(&app, c.id, ANSWER).await;
        let id = app.store.attachments(c.id).await.unwrap().iter().find(|a| a.purpose == "answer").unwrap().id;
        // The case is public, its answer too, but not the answer's letter (it names the citizen).
        let mut public = app.client();
        let (status, page) = public.page(&format!("/public/cases/{}", c.code)).await;
        assert_eq!(status, 200, "{}: the case is public", app.backend);
        assert!(page.contains("nạo vét") && !page.contains("cong-van-an"), "{}", app.backend);
        assert_eq!(public.get(&format!("/files/{id}")).await.status().as_u16(), 404, "{}", app.backend);
        // The private link's holder and the officers may, never from a shared cache.
        let r = public.get(&format!("/files/{id}?s={secret}")).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["cache-control"], "private, no-store");
        let r = officer.get(&format!("/files/{id}")).await;
        assert_eq!(r.status().as_u16(), 200);
        assert!(!r.headers()["cache-control"].to_str().unwrap().contains("public"));
        // A case merged into it: its citizen gets the answer's letter through their own link;
        // another case's link does not open it.
        let (m, m_secret) = record_case(&app.store, &spec(&f, DRAIN, None)).await;
        let (_, stranger) = record_case(&app.store, &spec(&f, DRAIN, None)).await;
        officer.page(&format!("/cases/{}", m.id)).await;
        let r = officer.post_form(&format!("/cases/{}/merge", m.id), &[("into", &c.code), ("note", "trùng")]).await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = public.page(&format!("/track/{}?s={m_secret}", m.code)).await;
        assert!(page.contains("id=\"merged-answer-files\"") && page.contains(&format!("/files/{id}?s=")), "{}", app.backend);
        let r = public.get(&format!("/files/{id}?s={m_secret}")).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(r.headers()["cache-control"], "private, no-store");
        assert_eq!(public.get(&format!("/files/{id}?s={stranger}")).await.status().as_u16(), 404);
    }
}

#[tokio::test]
async fn retention_erases_only_what_is_past_its_period() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        let (fb, _) =
            record_case(&app.store, &CaseSpec { name: "Phạm Văn Phản", phone: "0900111222", ..spec(&f, DRAIN, None) }).await;
        let (cp, _) = record_case(
            &app.store,
            &CaseSpec { kind: "complaint", name: "Đỗ Thị Khiếu", phone: "0900111333", ..spec(&f, DRAIN, None) },
        )
        .await;
        let (open, _) =
            record_case(&app.store, &CaseSpec { name: "Vũ Văn Mở", phone: "0900111444", ..spec(&f, DRAIN, None) }).await;
        for id in [fb.id, cp.id] {
            assert_eq!(act(&mut officer, id, &[("action", "reject"), ("reason", "insufficient_information")]).await, 303);
        }
        let st = state(&app, None, None);
        let today = danvan_app::cases::today();
        let years = |n: u32| today.checked_add_months(chrono::Months::new(12 * n)).unwrap();
        // Defaults: 2 years for feedback, 5 for complaints, counted from the end.
        assert_eq!(retention::erase_expired(&st, years(1)).await.unwrap(), 0);
        assert_eq!(retention::erase_expired(&st, years(3)).await.unwrap(), 1, "{}", app.backend);
        assert_eq!(app.store.case_contact(fb.id).await.unwrap().name, None);
        assert_eq!(app.store.case_contact(cp.id).await.unwrap().name.as_deref(), Some("Đỗ Thị Khiếu"));
        assert_eq!(retention::erase_expired(&st, years(6)).await.unwrap(), 1);
        assert_eq!(app.store.case_contact(cp.id).await.unwrap().phone, None);
        assert_eq!(app.store.case_contact(open.id).await.unwrap().name.as_deref(), Some("Vũ Văn Mở"), "open cases are kept");
        let log = app.store.list_audit(&danvan_store::AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(log.0.iter().filter(|e| e.action == "case.personal_data_erase").count(), 2);

        // The periods are settings an admin edits, with field errors.
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;
        let (status, page) = admin.page("/admin/settings/retention").await;
        assert_eq!(status, 200);
        assert!(page.contains("value=\"2\"") && page.contains("value=\"5\""));
        let r = admin.post_form("/admin/settings/retention", &[("feedback_years", "0"), ("complaint_years", "x")]).await;
        assert_eq!(r.status().as_u16(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("Từ 1 đến 50 năm.") && body.contains("Phải là một số."), "{}", app.backend);
        let r = admin.post_form("/admin/settings/retention", &[("feedback_years", "1"), ("complaint_years", "3")]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(app.store.get_setting("retention.feedback_years").await.unwrap().as_deref(), Some("1"));
        let log = app.store.list_audit(&danvan_store::AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert!(log.0.iter().any(|e| e.action == "settings.retention"));
        let mut leader = app.client();
        leader.login("leader_a", PASSWORD).await;
        assert_eq!(leader.get("/admin/settings/retention").await.status().as_u16(), 403);
    }
}

#[tokio::test]
async fn erasing_an_answered_case_stops_its_pending_messages_removes_its_files_and_is_done_once() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) =
            record_case(&app.store, &CaseSpec { name: "Nguyễn Văn An", email: "an@example.vn", ..spec(&f, DRAIN, None) }).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page(&format!("/cases/{}", c.id)).await;
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = officer.post_multipart(&format!("/cases/{}/files", c.id), &[], &[("files", "thu-tra-loi.pdf", pdf)]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(danvan_app::cases::files::count_files(&app.uploads_dir) > 0);
        answer(&app, c.id, ANSWER).await;
        let before = app.store.case_messages(c.id).await.unwrap();
        assert!(!before.is_empty() && before.iter().all(|m| m.status == "pending"), "{}", app.backend);

        let st = state(&app, None, None);
        let today = danvan_app::cases::today();
        let in3 = today.checked_add_months(chrono::Months::new(36)).unwrap();
        assert_eq!(retention::erase_expired(&st, in3).await.unwrap(), 1, "{}", app.backend);
        for m in app.store.case_messages(c.id).await.unwrap() {
            assert_eq!((m.status.as_str(), m.recipient.as_str(), m.body.as_str()), ("erased", "", ""), "{}", app.backend);
        }
        // Nothing is sent blank afterwards.
        let smtp = SmtpReceiver::start().await;
        let r = delivery::deliver(&state(&app, Some(&smtp), None)).await.unwrap();
        assert_eq!(r.sent, 0, "{r:?}");
        assert!(smtp.messages().is_empty());
        // The answer's letter (it names the citizen) is gone, row and file.
        assert!(app.store.attachments(c.id).await.unwrap().is_empty());
        assert_eq!(danvan_app::cases::files::count_files(&app.uploads_dir), 0, "{}", app.backend);
        // A second run (another node) changes nothing and writes no second audit entry.
        let ctx = danvan_store::AuditCtx::system("retention");
        assert!(app.store.erase_personal_data(&ctx, c.id, &c.code, 2).await.unwrap().is_none());
        assert_eq!(retention::erase_expired(&st, in3).await.unwrap(), 0);
        let log = app.store.list_audit(&danvan_store::AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(log.0.iter().filter(|e| e.action == "case.personal_data_erase").count(), 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_stale_claim_changes_nothing_and_a_sent_message_keeps_no_body() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) = record_case(&app.store, &CaseSpec { email: "an@example.vn", ..spec(&f, DRAIN, None) }).await;
        answer(&app, c.id, ANSWER).await;
        let now = chrono::Utc::now();
        // A first node claims the message and its lease runs out; a second one claims it again.
        let first = app
            .store
            .claim_messages(&[danvan_domain::cases::delivery::MessageChannel::Email], now, now, 1)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let second = app
            .store
            .claim_messages(&[danvan_domain::cases::delivery::MessageChannel::Email], now, now + chrono::Duration::minutes(5), 1)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(first.id, second.id);
        assert!(!second.body.is_empty());
        // The first node's late report is ignored; the current claim's counts.
        assert!(!app.store.mark_message_failed(first.id, first.attempts, "late", None).await.unwrap(), "{}", app.backend);
        assert!(!app.store.mark_message_sent(first.id, first.attempts, now).await.unwrap());
        assert!(app.store.mark_message_sent(second.id, second.attempts, now).await.unwrap());
        let m = app.store.case_messages(c.id).await.unwrap().into_iter().find(|m| m.id == first.id).unwrap();
        assert_eq!((m.status.as_str(), m.body.as_str()), ("sent", ""), "{}: the answer and link are not kept", app.backend);
    }
}

#[tokio::test]
async fn a_data_request_returns_only_that_citizens_data() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (mine, secret) =
            record_case(&app.store, &CaseSpec { name: "Hoàng Văn Một", email: "mot@example.vn", ..spec(&f, DRAIN, None) }).await;
        let (_theirs, _) =
            record_case(&app.store, &CaseSpec { name: "Lý Thị Hai", email: "hai@example.vn", ..spec(&f, DRAIN, None) }).await;
        let mut citizen = app.client();
        let r = citizen.get(&format!("/track/{}/data?s={secret}", mine.code)).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let body = r.text().await.unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["case"]["code"], mine.code.as_str());
        assert_eq!(v["sender"]["email"], "mot@example.vn");
        assert_eq!(v["history"][0]["action"], "receive");
        assert!(!body.contains("hai@example.vn") && !body.contains("Lý Thị Hai"));
        assert_eq!(citizen.get(&format!("/track/{}/data?s=wrong", mine.code)).await.status().as_u16(), 404);
        let (_, page) = citizen.page(&format!("/track/{}?s={secret}", mine.code)).await;
        assert!(page.contains("id=\"data-link\""));
    }
}

#[tokio::test]
async fn officer_intake_shows_possible_duplicates_and_zalo_is_a_channel() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (earlier, _) = record_case(&app.store, &spec(&f, DRAIN, Some(HERE))).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page("/cases/record").await;
        let lat = (HERE.0 + 0.0005).to_string();
        let lon = HERE.1.to_string();
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "feedback"),
                    ("category", "thoat-nuoc"),
                    ("description", "Cống thoát nước đầu ngõ 5 An Bình tắc, nước tràn lên vỉa hè"),
                    ("place_code", "TA"),
                    ("channel", "hotline"),
                    ("latitude", &lat),
                    ("longitude", &lon),
                    ("sender_name", "Mai Văn Dũng"),
                    ("sender_phone", "0912 000 111"),
                    ("notify_zalo", "on"),
                    ("started", "1"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        let receipt = r.text().await.unwrap();
        let dup = &receipt[receipt.find("id=\"duplicates\"").expect("duplicates on the receipt")..];
        assert!(dup.contains(&earlier.code));
        let i = receipt.find("id=\"case-code\">").unwrap() + "id=\"case-code\">".len();
        let code: String = receipt[i..].chars().take_while(|c| *c != '<').collect();
        let c = app.store.get_case_by_code(&code).await.unwrap().unwrap();
        assert_eq!(app.store.case_contact(c.id).await.unwrap().zalo.as_deref(), Some("0912000111"));
        answer(&app, c.id, ANSWER).await;
        let mut channels: Vec<String> =
            app.store.case_messages(c.id).await.unwrap().into_iter().map(|m| m.channel.to_string()).collect();
        channels.sort();
        assert_eq!(channels, ["sms", "zalo"]);
        let hook = WebhookReceiver::start(SECRET).await;
        assert_eq!(delivery::deliver(&state(&app, None, Some(&hook))).await.unwrap().sent, 2);
        let zalo = hook.received().into_iter().find(|m| m["channel"] == "zalo").unwrap();
        assert!(zalo["text"].as_str().unwrap().contains(ANSWER), "Zalo carries the whole answer");
    }
}

/// Two servers claiming at once never take the same message (PostgreSQL: `FOR UPDATE SKIP
/// LOCKED`; without it the second claim would wait, then take the rows the first one holds).
#[tokio::test]
async fn concurrent_claims_take_each_message_once() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let (c, _) = record_case(&app.store, &spec(&f, DRAIN, None)).await;
        let msgs: Vec<_> = (0..40)
            .map(|i| danvan_store::cases::delivery::NewMessage {
                case_id: c.id,
                answer_case_id: c.id,
                channel: danvan_domain::cases::delivery::MessageChannel::Sms,
                recipient: format!("09000{i:05}"),
                subject: "s".into(),
                body: "b".into(),
            })
            .collect();
        app.store.enqueue_messages(&msgs).await.unwrap();
        let now = chrono::Utc::now();
        let lease = now + chrono::Duration::minutes(1);
        let claim = || app.store.claim_messages(&[danvan_domain::cases::delivery::MessageChannel::Sms], now, lease, 25);
        let (a, b) = tokio::join!(claim(), claim());
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut ids: Vec<i64> = a.iter().chain(b.iter()).map(|m| m.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "{}: a message was claimed twice", app.backend);
        assert_eq!(n, 40);
        // Leased: nothing more to claim until the lease runs out.
        assert!(app
            .store
            .claim_messages(&[danvan_domain::cases::delivery::MessageChannel::Sms], now, lease, 25)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            app.store
                .claim_messages(&[danvan_domain::cases::delivery::MessageChannel::Sms], lease, lease, 100)
                .await
                .unwrap()
                .len(),
            40
        );
    }
}
