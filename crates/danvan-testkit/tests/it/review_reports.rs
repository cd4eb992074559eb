//! Review reports (issue 12 item 3), on SQLite and (when configured) PostgreSQL: ward A's leader
//! drafts a final review, saves versions (a stale save is refused and loses nothing), generates
//! it in the background and downloads PDF, DOCX and XLSX whose numbers are the dashboard's; other
//! units, anonymous visitors and absurd drafts are refused; a reader whom a denunciation of the
//! subtree concerns cannot read a generation that counted it and generates their own; a run a
//! stopped server left queued is finished at start.

use chrono::{Datelike, Utc};
use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_store::cases::CaseChange;
use danvan_store::AuditCtx;
use danvan_testkit::{case_in, Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::Value;
use std::io::Read;

fn year_range() -> (String, String) {
    let y = Utc::now().date_naive().year();
    (format!("{}-01", y - 2), format!("{y}-12"))
}

fn draft<'a>(from: &'a str, to: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit", "TA"),
        ("kind", "final"),
        ("issuer", "unit"),
        ("title", title),
        ("from", from),
        ("to", to),
        ("place", "An Bình"),
        ("on_behalf", "TM. ỦY BAN NHÂN DÂN"),
        ("signer_title", "CHỦ TỊCH"),
        ("signer_name", "Nguyễn Văn An"),
        ("recipients", "Thành ủy\nLưu: VT"),
    ]
}

/// The id at the end of a redirect's Location (`/review/reports/7`, `…/runs/3`).
fn last_id(r: &reqwest::Response) -> i64 {
    let loc = r.headers()["location"].to_str().unwrap();
    loc.rsplit('/').next().unwrap().parse().unwrap()
}

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user}");
    c
}

/// Polls a run until it is done (or failed); returns its JSON.
async fn wait_done(c: &mut Client, id: i64, run: i64) -> Value {
    for _ in 0..200 {
        let v: Value = c.json(Method::GET, &format!("/api/v1/review/reports/{id}/runs/{run}"), None).await.json().await.unwrap();
        if v["status"] == "done" || v["status"] == "failed" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("run {run} did not finish");
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[tokio::test]
async fn a_leader_drafts_generates_and_downloads_the_report_with_the_dashboards_numbers() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        for i in 0..3 {
            let c = case_in(&app, &f.committee_a, CaseKind::Feedback, &format!("Người gửi {i}"), true).await;
            if i < 2 {
                let answer =
                    CaseChange { answered: true, ..CaseChange::new("send_answer", CaseStatus::Accepted, CaseStatus::Answered) };
                app.store.apply_case_change(&AuditCtx::system("test"), c.id, &answer).await.unwrap();
            }
        }
        case_in(&app, &f.group_a1, CaseKind::Petition, "Người ở tổ 1", true).await;
        case_in(&app, &f.ward_b, CaseKind::Feedback, "Người phường B", true).await;
        let (from, to) = year_range();
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, html) = leader.page("/review/reports").await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(html.contains("id=\"report-new-form\""));
        let r = leader.post_form("/review/reports", &draft(&from, &to, "công tác dân vận giai đoạn thử")).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let id = last_id(&r);
        let (status, html) = leader.page(&format!("/review/reports/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Tổng kết công tác dân vận giai đoạn thử"), "{html}");

        // A new version with the narrative; a save from the old version is refused, text kept.
        let mut v2 = draft(&from, &to, "công tác dân vận giai đoạn thử");
        v2.push(("base", "1"));
        v2.push(("section_situation", "Phường có 12 tổ dân phố, dân số 20.000 người."));
        v2.push(("section_directions", "Tiếp tục đẩy mạnh đối thoại với nhân dân."));
        assert_eq!(leader.post_form(&format!("/review/reports/{id}"), &v2).await.status().as_u16(), 303);
        let mut stale = v2.clone();
        stale.retain(|(k, _)| *k != "section_situation");
        stale.push(("section_situation", "Văn bản của người thứ hai."));
        let r = leader.post_form(&format!("/review/reports/{id}"), &stale).await;
        assert_eq!(r.status().as_u16(), 409, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("Văn bản của người thứ hai.") && body.contains("error-summary"), "the typed text stays");
        let (_, html) = leader.page(&format!("/review/reports/{id}/versions/1")).await;
        assert!(!html.contains("12 tổ dân phố"), "version 1 has no narrative");
        let (_, html) = leader.page(&format!("/review/reports/{id}/versions/2")).await;
        assert!(html.contains("12 tổ dân phố"));

        // Generate: the page redirects to the run, which finishes in the background.
        let r = leader.post_form(&format!("/review/reports/{id}/generate"), &[]).await;
        assert_eq!(r.status().as_u16(), 303, "{}", app.backend);
        let run = last_id(&r);
        let v = wait_done(&mut leader, id, run).await;
        assert_eq!(v["status"], "done", "{}: {v}", app.backend);
        assert_eq!(v["version"], 2);
        let total = &v["figures"]["total"]["counts"];
        assert_eq!((total["received"].as_i64(), total["answered"].as_i64()), (Some(4), Some(2)), "{}", app.backend);
        let (status, html) = leader.page(&format!("/review/reports/{id}/runs/{run}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"run-files\"") && !html.contains("http-equiv=\"refresh\""));

        // The same numbers as the dashboard's for the same unit and months.
        let d: Value = leader
            .json(Method::GET, &format!("/api/v1/review/dashboard?unit=TA&from={from}&to={to}"), None)
            .await
            .json()
            .await
            .unwrap();
        for key in ["cases_received", "cases_answered", "answered_on_time_share"] {
            let dash = d["indicators"].as_array().unwrap().iter().find(|i| i["key"] == key).unwrap()["value"].as_f64();
            let figures: danvan_app::review::ReportFigures = serde_json::from_value(v["figures"].clone()).unwrap();
            let key = danvan_domain::indicators::CATALOGUE.iter().find(|d| d.key.as_str() == key).unwrap().key;
            assert_eq!(figures.total.case_figures().value(key), dash, "{}: {key:?}", app.backend);
        }
        let by_year = v["figures"]["years"].as_array().unwrap();
        assert_eq!(by_year.iter().map(|y| y[1]["counts"]["received"].as_i64().unwrap()).sum::<i64>(), 4);

        // The documents.
        let base = format!("/review/reports/{id}/runs/{run}/report");
        let pdf = leader.get(&format!("{base}.pdf")).await;
        assert_eq!(pdf.status().as_u16(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = pdf.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        if std::env::var("DANVAN_TEST_DOCS").is_ok() {
            let path = std::env::temp_dir().join(format!("danvan-review-{}-{id}.pdf", std::process::id()));
            std::fs::write(&path, &pdf).unwrap();
            let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
            // Words as read, whatever the lines they were wrapped on.
            let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
            for s in ["ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "12 tổ dân phố", "Bảng 2"]
            {
                assert!(text.contains(s), "{s} in {text}");
            }
            let _ = std::fs::remove_file(path);
        }
        let docx = leader.get(&format!("{base}.docx")).await.bytes().await.unwrap();
        let xml = unzip(&docx, "word/document.xml");
        for s in [
            "ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH",
            "Tổng kết công tác dân vận giai đoạn thử",
            "12 tổ dân phố",
            "w:drawing",
            "Heading1",
        ] {
            assert!(xml.contains(s), "{s} in the DOCX");
        }
        let xlsx = leader.get(&format!("{base}.xlsx")).await.bytes().await.unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
        use calamine::Reader;
        let sheet = wb.worksheet_range("Theo năm").unwrap();
        let total_row = sheet.rows().find(|r| r.first().map(|c| c.to_string()) == Some("Tổng cộng".into())).expect("a total row");
        assert_eq!(total_row[1].to_string(), "4", "{}: the XLSX total", app.backend);
        let formulas = wb.worksheet_formula("Theo năm").unwrap();
        assert!(formulas.rows().any(|r| r.iter().any(|c| c.starts_with("SUM("))), "totals are formulas");

        // The officers of the ward read and draft it, and generate their own figures (the
        // leader's are the leader's); the other ward's leader and the Front learn nothing of it;
        // an anonymous visitor is asked to sign in.
        let mut officer = signed_in(&app, "officer_a").await;
        assert_eq!(officer.get(&format!("/review/reports/{id}")).await.status().as_u16(), 200);
        assert_eq!(officer.get(&format!("{base}.pdf")).await.status().as_u16(), 404);
        let theirs = last_id(&officer.post_form(&format!("/review/reports/{id}/generate"), &[]).await);
        assert_eq!(wait_done(&mut officer, id, theirs).await["figures"]["total"], v["figures"]["total"]);
        // Issuing it in the party committee's name is the overseeing party committee's.
        let mut party = v2.clone();
        party.retain(|(k, _)| *k != "issuer" && *k != "base");
        party.push(("issuer", "party"));
        party.push(("base", "2"));
        let r = officer.post_form(&format!("/review/reports/{id}"), &party).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("f-issuer-error"));
        for user in ["leader_b", "front_a"] {
            let mut c = signed_in(&app, user).await;
            assert_eq!(c.get(&format!("/review/reports/{id}")).await.status().as_u16(), 404, "{user}");
            assert_eq!(c.get(&format!("{base}.docx")).await.status().as_u16(), 404, "{user}");
            let api = c.json(Method::GET, &format!("/api/v1/review/reports/{id}/runs/{run}"), None).await;
            assert_eq!(api.status().as_u16(), 404, "{user}");
        }
        let mut b = signed_in(&app, "leader_b").await;
        assert_eq!(b.post_form(&format!("/review/reports/{id}/generate"), &[]).await.status().as_u16(), 404);
        let mut tb = draft(&from, &to, "x");
        tb[0] = ("unit", "TA");
        assert_eq!(b.post_form("/review/reports", &tb).await.status().as_u16(), 403, "leader_b drafts nothing for ward A");
        let mut anon = app.client();
        assert_eq!(anon.json(Method::GET, &format!("/api/v1/review/reports/{id}/runs/{run}"), None).await.status().as_u16(), 401);
    }
}

#[tokio::test]
async fn absurd_drafts_are_refused_field_by_field() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut leader = signed_in(&app, "leader_a").await;
        let long = "x".repeat(301);
        let many = "nơi nhận\n".repeat(25);
        let mut bad = draft("0001-01", "2026-13", &long);
        bad.retain(|(k, _)| !["recipients", "place", "kind"].contains(k));
        bad.push(("recipients", &many));
        bad.push(("place", "\u{0}\u{1}"));
        bad.push(("kind", "monthly"));
        let r = leader.post_form("/review/reports", &bad).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let html = r.text().await.unwrap();
        for field in ["f-title-error", "f-from-error", "f-to-error", "f-recipients-error", "f-place-error", "f-kind-error"] {
            assert!(html.contains(field), "{field}");
        }
        let (from, to) = ("2001-01", "2026-12");
        let r = leader.post_form("/review/reports", &draft(from, to, "hai mươi sáu năm")).await;
        assert_eq!(r.status().as_u16(), 422, "more than 240 months");
        assert!(app.store.review_reports(&["/".into()]).await.unwrap().is_empty(), "nothing stored");
    }
}

#[tokio::test]
async fn a_runs_figures_are_its_requesters_alone_and_leave_out_what_concerns_them() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi", true).await;
        let d = case_in(&app, &f.committee_a, CaseKind::Feedback, "Người tố cáo", true).await;
        let about_leader = CaseChange {
            kind: Some(CaseKind::Denunciation),
            protect: true,
            concern: Some(danvan_store::cases::Concern {
                unit_id: f.ward_a.id,
                name: "Lãnh đạo phường".into(),
                account_id: None,
            }),
            ..CaseChange::new("reclassify", CaseStatus::Accepted, CaseStatus::Accepted)
        };
        app.store.apply_case_change(&AuditCtx::system("test"), d.id, &about_leader).await.unwrap();
        let (from, to) = year_range();
        let mut admin = signed_in(&app, "admin").await;
        let id = last_id(&admin.post_form("/review/reports", &draft(&from, &to, "có tố cáo")).await);
        let run = last_id(&admin.post_form(&format!("/review/reports/{id}/generate"), &[]).await);
        let v = wait_done(&mut admin, id, run).await;
        assert_eq!(v["figures"]["total"]["counts"]["received"], 2, "{}: counted for the administrator", app.backend);
        // Another's generation is not there for the ward's leader (whom the denunciation
        // concerns) nor for its officer (whom it does not): a refusal that depended on it would
        // tell the leader it exists.
        for user in ["leader_a", "officer_a"] {
            let mut c = signed_in(&app, user).await;
            for path in [format!("/review/reports/{id}/runs/{run}"), format!("/review/reports/{id}/runs/{run}/report.pdf")] {
                assert_eq!(c.get(&path).await.status().as_u16(), 404, "{}: {user} {path}", app.backend);
            }
            let api = c.json(Method::GET, &format!("/api/v1/review/reports/{id}/runs/{run}"), None).await;
            assert_eq!(api.status().as_u16(), 404, "{user}");
        }
        // The leader's own leaves it out.
        let mut leader = signed_in(&app, "leader_a").await;
        let mine = last_id(&leader.post_form(&format!("/review/reports/{id}/generate"), &[]).await);
        let v = wait_done(&mut leader, id, mine).await;
        assert_eq!(v["figures"]["total"]["counts"]["received"], 1, "{}", app.backend);
        assert_eq!(leader.get(&format!("/review/reports/{id}/runs/{mine}/report.docx")).await.status().as_u16(), 200);
        let (_, html) = leader.page(&format!("/review/reports/{id}")).await;
        assert!(
            html.contains(&format!("/runs/{mine}")) && !html.contains(&format!("/runs/{run}\"")),
            "only one's own runs are listed"
        );
    }
}

#[tokio::test]
async fn a_run_left_queued_by_a_stopped_server_is_finished_at_start() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        case_in(&app, &f.committee_a, CaseKind::Feedback, "Người gửi", true).await;
        let (from, to) = year_range();
        let mut leader = signed_in(&app, "leader_a").await;
        let id = last_id(&leader.post_form("/review/reports", &draft(&from, &to, "chạy lại")).await);
        let account = app.store.review_report(id).await.unwrap().unwrap();
        let ctx =
            AuditCtx { actor_id: Some(account_id(&app, "leader_a").await), actor_label: "leader_a".into(), ip: String::new() };
        let run = app.store.queue_review_run(&ctx, id, account.version, "chạy lại", "[]").await.unwrap().unwrap();
        assert_eq!(app.store.review_run(run).await.unwrap().unwrap().status, "queued");
        assert_eq!(danvan_app::review::resume_runs(&app.app).await.unwrap(), 1);
        let v = wait_done(&mut leader, id, run).await;
        assert_eq!(v["status"], "done", "{}", app.backend);
        // A second generation while one is unfinished is refused, the draft kept in its form.
        let again = app.store.queue_review_run(&ctx, id, account.version, "chạy lại", "[]").await.unwrap().unwrap();
        let r = leader.post_form(&format!("/review/reports/{id}/generate"), &[]).await;
        assert_eq!(r.status().as_u16(), 409, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("value=\"chạy lại\""), "the form still holds the draft");
        assert!(app.store.queue_review_run(&ctx, id, account.version, "x", "[]").await.unwrap().is_none());
        danvan_app::review::execute(&app.app, again).await.unwrap();
        // Requests at the same moment start one generation, not several.
        let mut clients = vec![];
        for _ in 0..6 {
            clients.push(signed_in(&app, "leader_a").await);
        }
        // The last generation has finished (or none is waiting) before they race.
        let last = app.store.review_runs(id, ctx.actor_id.unwrap()).await.unwrap();
        assert!(last.iter().all(|r| r.status == "done"), "{last:?}");
        let path = format!("/review/reports/{id}/generate");
        let mut set = tokio::task::JoinSet::new();
        for mut c in clients {
            let path = path.clone();
            set.spawn(async move { c.post_form(&path, &[]).await.status().as_u16() });
        }
        let statuses = set.join_all().await;
        assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 1, "{}: {statuses:?}", app.backend);
    }
}

async fn account_id(app: &TestApp, username: &str) -> i64 {
    app.store.get_account_by_username(username).await.unwrap().unwrap().id
}
