//! Emulation movements and their scores from real work (issue 11 items 1–2), on SQLite and (when
//! configured) PostgreSQL: known cases handled by ward A's people's committee, answered on time,
//! late, reopened, rated; a movement of ward A bound to every case indicator; the score of the
//! committee's registration matches the hand count exactly, each input's inbox link lists the
//! cases behind it, and the self-assessment sits beside the measured value without changing it.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_store::cases::CaseChange;
use danvan_store::AuditCtx;
use danvan_testkit::{case_in, Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

/// 10:00 in Viet Nam on `day`.
fn at(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(3, 0, 0).unwrap())
}

/// Sends the answer of an accepted case on `day`.
async fn answer(app: &TestApp, id: i64, day: NaiveDate) {
    let ch = CaseChange {
        at: Some(at(day)),
        answered: true,
        ..CaseChange::new("send_answer", CaseStatus::Accepted, CaseStatus::Answered)
    };
    app.store.apply_case_change(&AuditCtx::system("test"), id, &ch).await.unwrap();
}

async fn post(c: &mut Client, path: &str, body: Value) -> Value {
    let r = c.json(Method::POST, path, Some(body.clone())).await;
    assert_eq!(r.status().as_u16(), 201, "{path} {body}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_units_score_matches_the_hand_count_of_its_cases() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ctx = AuditCtx::system("test");
        let cal = danvan_domain::calendar::WorkCalendar::default();
        // Received today (UTC), due in 14 days: see `case_in`.
        let today = Utc::now().date_naive();
        let due = today.checked_add_days(Days::new(14)).unwrap();
        let wd = |n: u32| cal.add_working_days(today, n).unwrap();
        let mut cases = vec![];
        for i in 0..5 {
            cases.push(case_in(&app, &f.committee_a, CaseKind::Feedback, &format!("Người gửi {i}"), i < 4).await);
        }
        // Ward B's case never counts for ward A's committee.
        let other = case_in(&app, &f.ward_b, CaseKind::Feedback, "Người phường B", true).await;
        answer(&app, other.id, wd(1)).await;
        // 1: on time after 2 working days, rated 5; 2: on time after 4, rated 4;
        // 3: three days late, rated 1; 4: answered, then reopened by the citizen; 5: not accepted.
        let late = due.checked_add_days(Days::new(3)).unwrap();
        answer(&app, cases[0].id, wd(2)).await;
        answer(&app, cases[1].id, wd(4)).await;
        answer(&app, cases[2].id, late).await;
        answer(&app, cases[3].id, wd(1)).await;
        for (i, r) in [(0, 5), (1, 4), (2, 1)] {
            app.store.rate_case(cases[i].id, r, "", at(late)).await.unwrap();
        }
        let reopen = CaseChange { reopened: true, ..CaseChange::new("reopen", CaseStatus::Answered, CaseStatus::InProgress) };
        app.store.apply_case_change(&ctx, cases[3].id, &reopen).await.unwrap();
        let late_days = cal.working_days_between(today, late);
        assert!(late_days > 4);

        let mut c = signed_in(&app, "emulation_a").await;
        let from = today.checked_sub_days(Days::new(30)).unwrap();
        let to = today.checked_add_days(Days::new(60)).unwrap();
        let m = post(
            &mut c,
            "/api/v1/emulation/movements",
            json!({"unit": "TA", "name": "Dân vận khéo", "period_kind": "annual", "starts_on": from.to_string(),
                   "ends_on": to.to_string(), "targets": "TA-UB, TA-1"}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let base = format!("/api/v1/emulation/movements/{m}");
        let mut crit = std::collections::HashMap::new();
        for (ind, target, weight) in [
            ("cases_received", 5.0, 5),
            ("cases_answered", 6.0, 5),
            ("answered_on_time_share", 90.0, 30),
            ("median_answer_days", 5.0, 20),
            ("satisfaction", 4.0, 20),
            ("reopened_share", 10.0, 10),
        ] {
            let body = json!({"name": ind, "kind": "measured", "indicator": ind, "target": target, "weight": weight});
            crit.insert(ind, post(&mut c, &format!("{base}/criteria"), body).await["id"].as_i64().unwrap());
        }
        let reviewed = post(&mut c, &format!("{base}/criteria"), json!({"name": "Mô hình", "kind": "reviewed", "weight": 10}))
            .await["id"]
            .as_i64()
            .unwrap();
        // Bad input: a field error, never a 500.
        let r =
            c.json(Method::POST, &format!("{base}/criteria"), Some(json!({"name": "X", "kind": "measured", "weight": 0}))).await;
        assert_eq!(r.status().as_u16(), 422);
        let rid = post(&mut c, &format!("{base}/registrations"), json!({"unit": "TA-UB"})).await["id"].as_i64().unwrap();
        let r = c.json(Method::POST, &format!("{base}/registrations"), Some(json!({"unit": "TB"}))).await;
        assert_eq!(r.status().as_u16(), 422, "ward B is not a target");
        // The unit's self-assessment and the reviewers' points.
        let assess = |crit: i64, side: &str, points: i64| json!({"criterion": crit, "side": side, "points": points});
        for body in [assess(crit["answered_on_time_share"], "self", 100), assess(reviewed, "review", 80)] {
            let r = c.json(Method::POST, &format!("{base}/registrations/{rid}/assessments"), Some(body)).await;
            assert_eq!(r.status().as_u16(), 204);
        }
        let r = c
            .json(
                Method::POST,
                &format!("{base}/registrations/{rid}/assessments"),
                Some(assess(crit["satisfaction"], "review", 90)),
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "a measured criterion is not scored by hand");

        let s: Value = c.json(Method::GET, &format!("{base}/registrations/{rid}/score"), None).await.json().await.unwrap();
        let line = |id: i64| s["lines"].as_array().unwrap().iter().find(|l| l["criterion_id"] == id).unwrap().clone();
        let value = |ind: &str| line(crit[ind])["value"].as_f64();
        assert_eq!(value("cases_received"), Some(5.0));
        assert_eq!(value("cases_answered"), Some(3.0));
        assert_eq!(value("answered_on_time_share"), Some(100.0 * 2.0 / 3.0));
        assert_eq!(value("median_answer_days"), Some(4.0));
        assert_eq!(value("satisfaction"), Some(10.0 / 3.0));
        assert_eq!(value("reopened_share"), Some(20.0));
        let on_time = line(crit["answered_on_time_share"]);
        assert_eq!(on_time["self_points"], 100, "the self-assessment is shown beside");
        assert_eq!(on_time["points"].as_f64(), Some(100.0 * (200.0 / 3.0) / 90.0), "and never replaces the measured value");
        let inputs: Vec<(String, i64)> = on_time["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["set"].as_str().unwrap().into(), i["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(inputs, vec![("on_time".to_string(), 2), ("answered".to_string(), 3)]);
        // Points: 100, 50, 74.07…, 100, 83.33…, 50, 80 (weights 5, 5, 30, 20, 20, 10, 10).
        let expected = (5.0 * 100.0
            + 5.0 * 50.0
            + 30.0 * (100.0 * (200.0 / 3.0) / 90.0)
            + 20.0 * 100.0
            + 20.0 * (100.0 * (10.0 / 3.0) / 4.0)
            + 10.0 * 50.0
            + 10.0 * 80.0)
            / 100.0;
        assert_eq!(s["total"].as_f64(), Some((expected * 100.0_f64).round() / 100.0));

        // Each input links to the inbox listing exactly its cases.
        let link = on_time["inputs"][0]["link"].as_str().unwrap().to_string();
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, html) = leader.page(&link).await;
        assert_eq!(status, 200, "{link}");
        assert!(html.contains(&cases[0].code) && html.contains(&cases[1].code), "{link}");
        for other in [&cases[2].code, &cases[3].code, &cases[4].code, &other.code] {
            assert!(!html.contains(other.as_str()), "{link} lists {other}");
        }
        let reopened_link = line(crit["reopened_share"])["inputs"][0]["link"].as_str().unwrap().to_string();
        let (_, html) = leader.page(&reopened_link).await;
        assert!(html.contains(&cases[3].code) && !html.contains(&cases[0].code), "{reopened_link}");

        // The page shows the same, without JavaScript; ward B's leader may not read it.
        let (status, html) = c.page(&format!("/emulation/movements/{m}/registrations/{rid}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"score-total\"") && html.contains("66,67%"), "{html}");
        let mut b = signed_in(&app, "leader_b").await;
        assert_eq!(b.get(&format!("/emulation/movements/{m}/registrations/{rid}")).await.status().as_u16(), 403);
        // The movement's standings show the same total, computed the same way.
        let total = format!("{:.2}", s["total"].as_f64().unwrap());
        let total = total.trim_end_matches('0').trim_end_matches('.').replace('.', ",");
        let (_, html) = c.page(&format!("/emulation/movements/{m}")).await;
        let table = html.split("id=\"registrations\"").nth(1).expect("the standings").split("</table>").next().unwrap();
        assert!(table.contains(&format!("<td class=\"num\">{total}</td>")), "{total}: {table}");
        assert!(table.contains(&format!("/registrations/{rid}\"")), "each line links its score sheet");
        assert_eq!(b.get(&format!("/emulation/movements/{m}")).await.status().as_u16(), 403, "nor the standings");
        let api: Value = c.json(Method::GET, &format!("{base}/standings"), None).await.json().await.unwrap();
        assert_eq!(api[0]["registration"]["id"], rid);
        assert_eq!(api[0]["total"], s["total"], "the API's standings: the score sheet's total");

        // A period before the cases: nothing received, nothing to measure.
        let early = today.checked_sub_days(Days::new(60)).unwrap();
        let yesterday = today.checked_sub_days(Days::new(1)).unwrap();
        let m2 = post(
            &mut c,
            "/api/v1/emulation/movements",
            json!({"unit": "TA", "name": "Đợt trước", "period_kind": "thematic", "starts_on": early.to_string(),
                   "ends_on": yesterday.to_string(), "targets": "TA-UB"}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let b2 = format!("/api/v1/emulation/movements/{m2}");
        let c2 = post(
            &mut c,
            &format!("{b2}/criteria"),
            json!({"name": "x", "kind": "measured", "indicator": "answered_on_time_share", "target": 90, "weight": 1}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let r2 = post(&mut c, &format!("{b2}/registrations"), json!({"unit": "TA-UB"})).await["id"].as_i64().unwrap();
        let s2: Value = c.json(Method::GET, &format!("{b2}/registrations/{r2}/score"), None).await.json().await.unwrap();
        assert_eq!(s2["lines"][0]["criterion_id"], c2);
        assert_eq!(s2["lines"][0]["value"], Value::Null);
        assert_eq!(s2["total"].as_f64(), Some(0.0));
    }
}

#[tokio::test]
async fn movement_forms_answer_bad_input_on_the_field() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let (status, _) = c.page("/emulation/movements").await;
        assert_eq!(status, 200);
        let r = c
            .post_form(
                "/emulation/movements",
                &[
                    ("unit", "TA"),
                    ("name", ""),
                    ("period_kind", "annual"),
                    ("starts_on", "2026-12-31"),
                    ("ends_on", "2026-01-01"),
                    ("targets", "TB"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("error-summary") && html.contains("href=\"#f-name\""), "{html}");
        let r = c
            .post_form(
                "/emulation/movements",
                &[
                    ("unit", "TA"),
                    ("name", "Dân vận khéo"),
                    ("period_kind", "annual"),
                    ("starts_on", "2026-01-01"),
                    ("ends_on", "2026-12-31"),
                    ("targets", "TA-1"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let (status, html) = c.page(&to).await;
        assert_eq!(status, 200);
        assert!(html.contains("Dân vận khéo") && html.contains("id=\"registration-form\""));
        let (status, html) = c.page("/review/indicators?lang=en").await;
        assert_eq!(status, 200);
        assert!(html.contains("answered_on_time_share"));
    }
}

#[tokio::test]
async fn target_units_and_cluster_members_are_ticked_among_the_sub_units() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let (status, html) = c.page("/emulation/movements").await;
        assert_eq!(status, 200);
        // The ward's sub-units are offered by name, in both forms; ward B's are not.
        for form in ["f-target_unit", "cluster-f-member_unit"] {
            assert!(html.contains(&format!("id=\"{form}\"")), "{form}: {html}");
        }
        assert!(html.contains("name=\"target_unit\" value=\"TA-1\"") && html.contains("Tổ dân phố số 1"), "{html}");
        assert!(html.contains("name=\"member_unit\" value=\"TA-UB\""), "{html}");
        assert!(!html.contains("value=\"TB"), "another ward's units are not offered: {html}");
        let movement = |name: &'static str, extra: Vec<(&'static str, &'static str)>| {
            let mut f = vec![
                ("unit", "TA"),
                ("name", name),
                ("period_kind", "annual"),
                ("starts_on", "2026-01-01"),
                ("ends_on", "2026-12-31"),
            ];
            f.extend(extra);
            f
        };
        // Nothing ticked or typed: the field error; a refused form keeps its ticks.
        let r = c.post_form("/emulation/movements", &movement("Không đơn vị", vec![])).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-target_unit-error\"") && !html.contains("id=\"f-targets-error\""), "on the ticks: {html}");
        assert!(html.contains("href=\"#f-target_unit\">Đơn vị tham gia: "), "the summary names the field: {html}");
        let r = c.post_form("/emulation/movements", &movement("", vec![("target_unit", "TA-1"), ("target_unit", "TA-UB")])).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("value=\"TA-1\" checked") && html.contains("value=\"TA-UB\" checked"), "{html}");
        // Ticked and typed together; a unit outside the ward, ticked by a forged form, is refused.
        let r = c.post_form("/emulation/movements", &movement("Ngoài phường", vec![("target_unit", "TB")])).await;
        assert_eq!(r.status().as_u16(), 422);
        let r = c
            .post_form("/emulation/movements", &movement("Dân vận khéo", vec![("target_unit", "TA-1"), ("targets", "TA-UB")]))
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = to.trim_start_matches("/emulation/movements/").split('?').next().unwrap().parse().unwrap();
        let r = c.json(Method::GET, &format!("/api/v1/emulation/movements/{id}"), None).await;
        assert_eq!(r.status().as_u16(), 200);
        let json: Value = r.json().await.unwrap();
        let mut targets: Vec<String> =
            json["targets"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
        targets.sort();
        assert_eq!(targets, ["TA-1", "TA-UB"]);
        // A cluster of two ticked members.
        let r =
            c.post_form("/emulation/movements/clusters", &[("unit", "TA"), ("name", "Cụm một"), ("member_unit", "TA-1")]).await;
        assert_eq!(r.status().as_u16(), 422, "a cluster has at least two members");
        let r = c
            .post_form(
                "/emulation/movements/clusters",
                &[("unit", "TA"), ("name", "Cụm một"), ("member_unit", "TA-1"), ("member_unit", "TA-UB")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        // The same name again: the form again, the error on the name.
        let cluster_form = [("unit", "TA"), ("name", "Cụm một"), ("member_unit", "TA-1"), ("member_unit", "TA-UB")];
        let r = c.post_form("/emulation/movements/clusters", &cluster_form).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"cluster-f-name-error\"") && html.contains("đã có cụm thi đua tên này"), "{html}");
        // The launch form offers the cluster by name.
        let (_, html) = c.page("/emulation/movements").await;
        let at = html.find("Cụm một (Phường An Bình)").expect("the cluster in the launch form");
        let value = &html[..at];
        let value = &value[value.rfind("value=\"").unwrap() + 7..];
        let cluster = value[..value.find('"').unwrap()].to_string();
        let r = c
            .post_form(
                "/emulation/movements",
                &movement("Thi đua cụm", vec![("target_unit", "TA-1")])
                    .into_iter()
                    .chain([("cluster", cluster.as_str())])
                    .collect::<Vec<_>>(),
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        // A cluster of a unit under the caller's is offered too, and a movement of that unit
        // takes it.
        let deeper = app
            .store
            .create_emulation_cluster(
                &danvan_store::AuditCtx::system("test"),
                f.group_a1.id,
                "Cụm tổ",
                &[f.group_a1.id, f.committee_a.id],
            )
            .await
            .unwrap()
            .to_string();
        let (_, html) = c.page("/emulation/movements").await;
        assert!(html.contains(&format!("<option value=\"{deeper}\">Cụm tổ (Tổ dân phố số 1)</option>")), "{html}");
        let group_movement = [
            ("unit", "TA-1"),
            ("name", "Thi đua tổ"),
            ("period_kind", "annual"),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2026-12-31"),
            ("targets", "TA-1"),
            ("cluster", deeper.as_str()),
        ];
        assert_eq!(c.post_form("/emulation/movements", &group_movement).await.status().as_u16(), 303);
        // A pact signed twice: the form again, the error on the unit.
        let to = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
        let pact = [("unit", "TA-1"), ("commitment", "Giữ vệ sinh khu phố"), ("signed_on", "2026-01-05")];
        c.page(&to).await;
        assert_eq!(c.post_form(&format!("{to}/pacts"), &pact).await.status().as_u16(), 303);
        let r = c.post_form(&format!("{to}/pacts"), &pact).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("id=\"pact-f-unit-error\""));
        // A measured criterion's registered target is a figure.
        let crit = [
            ("name", "Trả lời đúng hạn"),
            ("kind", "measured"),
            ("indicator", "answered_on_time_share"),
            ("target", "90"),
            ("weight", "100"),
        ];
        assert_eq!(c.post_form(&format!("{to}/criteria"), &crit).await.status().as_u16(), 303);
        let (_, html) = c.page(&to).await;
        let at = html.find("name=\"target_").expect("a target field per criterion") + "name=\"".len();
        let field = html[at..at + html[at..].find('"').unwrap()].to_string();
        let r = c.post_form(&format!("{to}/registrations"), &[("unit", "TA-1"), (field.as_str(), "abc")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains(&format!("id=\"registration-f-{field}-error\"")));
        let r = c.post_form(&format!("{to}/registrations"), &[("unit", "TA-1"), (field.as_str(), "95,5")]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
}
