//! Denunciations under attack (issue 10, findings 1 and 2), through the real routes on both
//! databases: the denouncer's identity stays protected whatever happens to the case, and a
//! denunciation never reaches the unit or person it concerns. The reviewer's later findings (a
//! dissolution, a race, old supporting units, notices and counters, where the person works, 403
//! pages) are in `review`.

mod review;
mod routing;

use danvan_domain::Role;
use danvan_store::AuditCtx;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

const NAME: &str = "Đặng Thị Bí Mật";
const PHONE: &str = "0911222333";
const EMAIL: &str = "bi.mat@example.vn";
const ADDRESS: &str = "Số 42 ngõ Kín";

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

/// A denunciation about building work in ward A, as an officer records it through the API.
fn denunciation(concerned_unit: &str, concerned_account: &str) -> Value {
    json!({
        "kind": "denunciation", "category": "xay-dung", "place": "TA", "address": "Phường An Bình", "channel": "walk_in",
        "description": "Cán bộ nhận tiền để bỏ qua công trình xây dựng sai phép.",
        "sender_name": NAME, "sender_phone": PHONE, "sender_email": EMAIL, "sender_address": ADDRESS,
        "concerned_unit": concerned_unit, "concerned_name": "Nguyễn Văn Bị", "concerned_account": concerned_account,
    })
}

async fn create(c: &mut Client, body: Value) -> (u16, Value) {
    let r = c.json(Method::POST, "/api/v1/cases", Some(body)).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn action(c: &mut Client, code: &str, body: Value) -> (u16, Value) {
    let r = c.json(Method::POST, &format!("/api/v1/cases/{code}/actions"), Some(body)).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn keys(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| (e["field"].as_str().unwrap().into(), e["key"].as_str().unwrap().into())).collect())
        .unwrap_or_default()
}

fn shows_the_denouncer(text: &str) -> bool {
    [NAME, PHONE, EMAIL, ADDRESS].iter().any(|s| text.contains(s))
}

/// What the API and the case page show `c` of the case: neither may name the denouncer unless
/// `sees` (the assigned officer).
async fn check_identity(c: &mut Client, who: &str, id: i64, code: &str, sees: bool, backend: &str) {
    let r = c.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await;
    assert_eq!(r.status().as_u16(), 200, "{who} reads the case, {backend}");
    let api = r.text().await.unwrap();
    assert_eq!(shows_the_denouncer(&api), sees, "{who} in the API, {backend}: {api}");
    let (status, page) = c.page(&format!("/cases/{id}")).await;
    assert_eq!(status, 200, "{who}'s case page, {backend}");
    assert_eq!(shows_the_denouncer(&page), sees, "{who} on the case page, {backend}");
}

/// Finding 1: the ward chair reclassified a denunciation as a petition, and the leader, the admin
/// and other officers then saw the denouncer. Now leaving a denunciation needs a recorded reason,
/// and the protection follows the case's history, not its current kind.
#[tokio::test]
async fn reclassifying_a_denunciation_never_reveals_the_denouncer() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let _f = Fixture::build(&app.store).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let mut leader = signed_in(&app, "leader_a").await;
        let mut admin = signed_in(&app, "admin").await;
        let (status, created) = create(&mut officer, denunciation("TA-1", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let code = created["case"]["code"].as_str().unwrap().to_string();
        let id = created["case"]["id"].as_i64().unwrap();
        assert_eq!(created["case"]["identity_protected"], true, "{b}");

        // The ward chair reclassifies it without a reason: refused, on the note.
        let (status, problem) = action(&mut leader, &code, json!({"action": "reclassify", "kind": "petition"})).await;
        assert_eq!(status, 422, "{b}: {problem}");
        assert_eq!(keys(&problem), [("note".into(), "case.error.reclassify_reason".into())], "{b}");
        assert_eq!(app.store.get_case(id).await.unwrap().kind, "denunciation", "{b}");
        // With a reason it is a petition, still protected; the reason is in the history.
        let reason = "Nội dung là kiến nghị về quy hoạch, không tố cáo ai";
        let (status, out) = action(&mut leader, &code, json!({"action": "reclassify", "kind": "petition", "note": reason})).await;
        assert_eq!(status, 200, "{b}: {out}");
        assert_eq!((out["kind"].as_str(), out["identity_protected"].as_bool()), (Some("petition"), Some(true)), "{b}");
        let detail: Value = leader.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await.json().await.unwrap();
        let events = detail["events"].as_array().unwrap();
        assert!(
            events.iter().any(|e| e["action"] == "reclassify" && e["note"].as_str().unwrap().contains(reason)),
            "{b}: {detail}"
        );

        // Nobody but an assigned officer sees the denouncer: not the leader, the admin, the officer.
        for (who, c) in [("leader", &mut leader), ("admin", &mut admin), ("officer", &mut officer)] {
            check_identity(c, who, id, &code, false, b).await;
        }
        // Not public either, whatever its kind now.
        assert_eq!(app.client().get(&format!("/public/cases/{code}")).await.status().as_u16(), 404, "{b}");

        // An officer does not give it to themselves: assigning it is the leader's decision.
        let (status, out) = action(&mut officer, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        let (status, out) = action(&mut officer, &code, json!({"action": "assign"})).await;
        assert_eq!(status, 403, "{b}: {out}");
        // Nor does an administrator, whose system role is no membership over the case's unit: taking
        // it (or being given it) would show them the sender.
        // Holding the administrators' role, they decide nothing on a protected case either.
        let (status, out) = action(&mut admin, &code, json!({"action": "assign"})).await;
        assert_eq!(status, 403, "admin, {b}: {out}");
        let (status, out) = action(&mut leader, &code, json!({"action": "assign", "assignee": "admin"})).await;
        assert_eq!((status, keys(&out)), (422, vec![("assignee".into(), "case.error.assignee".into())]), "leader, {b}");
        check_identity(&mut admin, "admin", id, &code, false, b).await;
        let (status, out) = action(&mut leader, &code, json!({"action": "assign", "assignee": "officer_a"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        check_identity(&mut officer, "assigned officer", id, &code, true, b).await;
        check_identity(&mut leader, "leader after assignment", id, &code, false, b).await;

        // It is never merged into another petition (its file and answer stay its own), either way.
        let plain = json!({
            "kind": "petition", "category": "xay-dung", "place": "TA", "address": "Phường An Bình", "channel": "walk_in",
            "description": "Đề nghị xem xét quy hoạch khu đất đầu ngõ.",
        });
        let (status, other) = create(&mut officer, plain).await;
        assert_eq!(status, 201, "{b}: {other}");
        let (other_id, other_code) = (other["case"]["id"].as_i64().unwrap(), other["case"]["code"].as_str().unwrap().to_string());
        officer.page(&format!("/cases/{id}")).await;
        let r = officer.post_form(&format!("/cases/{id}/merge"), &[("into", &other_code), ("note", "Trùng nội dung")]).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        let r = officer.post_form(&format!("/cases/{other_id}/merge"), &[("into", &code), ("note", "Trùng nội dung")]).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(app.store.get_case(id).await.unwrap().merged_into.is_none(), "{b}");
        assert!(app.store.get_case(other_id).await.unwrap().merged_into.is_none(), "{b}");
    }
}

/// Finding 2: an officer transferred a denunciation to another ward, whose officer accepted it,
/// assigned it to himself and saw the identity. Now a denunciation records whom it concerns, and
/// the product keeps it from them.
#[tokio::test]
async fn a_denunciation_never_reaches_the_unit_or_person_it_concerns() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        // An officer of ward B, and a second officer of ward A who is the person denounced.
        let ctx = AuditCtx::system("test");
        let hash = danvan_app::org::accounts::hash_password(PASSWORD.into()).await.unwrap();
        for (username, unit) in [("officer_b", f.ward_b.id), ("officer_a2", f.ward_a.id)] {
            let draft = danvan_domain::org::account::AccountDraft {
                username: username.into(),
                full_name: format!("Cán bộ {username}"),
                email: None,
                phone: None,
            };
            let acc = app.store.create_account(&ctx, &draft, &hash).await.unwrap();
            app.store.add_membership(&ctx, acc.id, unit, Role::Officer, "").await.unwrap();
        }
        let mut officer = signed_in(&app, "officer_a").await;
        let mut leader = signed_in(&app, "leader_a").await;

        // Whom it concerns is required, in the API and on the officer's form.
        let mut missing = denunciation("", "");
        missing["concerned_name"] = json!("");
        let (status, problem) = create(&mut officer, missing).await;
        assert_eq!(status, 422, "{b}: {problem}");
        let k = keys(&problem);
        for field in ["concerned_unit", "concerned_name"] {
            assert!(k.contains(&(field.into(), "case.error.concerned_required".into())), "{b}: {k:?}");
        }
        let (status, problem) = create(&mut officer, denunciation("KHONG-CO", "")).await;
        assert_eq!((status, keys(&problem)), (422, vec![("concerned_unit".into(), "error.unit_unknown".into())]), "{b}");
        officer.page("/cases/record").await;
        let form = [
            ("kind", "denunciation"),
            ("category", "xay-dung"),
            ("description", "Cán bộ nhận tiền để bỏ qua công trình xây dựng sai phép."),
            ("place_code", "TA"),
            ("address", "Phường An Bình"),
            ("sender_name", NAME),
            ("sender_phone", PHONE),
            ("sender_address", ADDRESS),
            ("channel", "walk_in"),
        ];
        let r = officer.post_form("/cases/record", &form).await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert!(r.text().await.unwrap().contains("f-concerned_unit-error"), "{b}");

        // A denunciation of ward B's chair, sent in ward A.
        let (status, created) = create(&mut officer, denunciation("TB", "leader_b")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let code = created["case"]["code"].as_str().unwrap().to_string();
        let id = created["case"]["id"].as_i64().unwrap();
        let (status, out) = action(&mut officer, &code, json!({"action": "accept"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        // Never transferred to ward B, in the API or on the page.
        let to_b = json!({"action": "transfer", "unit_code": "TB", "note": "Chuyển về phường Bến Đò"});
        let (status, problem) = action(&mut officer, &code, to_b).await;
        assert_eq!(status, 422, "{b}: {problem}");
        assert_eq!(keys(&problem), [("unit_code".into(), "case.error.transfer_concerned".into())], "{b}");
        officer.page(&format!("/cases/{id}")).await;
        let r = officer
            .post_form(&format!("/cases/{id}/act"), &[("action", "transfer"), ("unit_code", "TB"), ("note", "Chuyển")])
            .await;
        assert_eq!(r.status().as_u16(), 422, "{b}");
        assert_eq!(app.store.get_case(id).await.unwrap().unit_id, f.committee_a.id, "{b}");

        // Had it reached ward B anyway (older data, a unit's dissolution), ward B's officials and
        // the person denounced could neither read, accept nor assign it.
        let sql = format!(
            "UPDATE cases SET unit_id = {}, unit_path = '{}', status = 'received', assignee_id = NULL WHERE id = {id}",
            f.ward_b.id, f.ward_b.path
        );
        app.store.execute_raw(&sql).await.unwrap();
        for who in ["officer_b", "leader_b"] {
            let mut c = signed_in(&app, who).await;
            // 404 on the page as in the API (finding 11): a 403 would tell them it exists.
            let (status, page) = c.page(&format!("/cases/{id}")).await;
            assert_eq!(status, 404, "{who}'s case page, {b}");
            assert!(!shows_the_denouncer(&page), "{who}, {b}");
            let r = c.json(Method::GET, &format!("/api/v1/cases/{code}"), None).await;
            assert_ne!(r.status().as_u16(), 200, "{who} reads it in the API, {b}");
            assert!(!shows_the_denouncer(&r.text().await.unwrap()), "{who}, {b}");
            for body in [json!({"action": "accept"}), json!({"action": "assign"})] {
                let (status, out) = action(&mut c, &code, body.clone()).await;
                // 404: the API does not tell those who may not read a case that it exists.
                assert_eq!(status, 404, "{who}: {body}, {b}: {out}");
            }
        }
        assert_eq!(app.store.get_case(id).await.unwrap().status, "received", "{b}");

        // Routed into the unit it concerns (the ward's people's committee), it goes to the ward.
        let (status, created) = create(&mut officer, denunciation("TA-UB", "")).await;
        assert_eq!(status, 201, "{b}: {created}");
        assert_eq!(app.store.get_case(created["case"]["id"].as_i64().unwrap()).await.unwrap().unit_id, f.ward_a.id, "{b}");
        // Naming an official of ward A, it goes above the ward (review::…routed_where_they_work);
        // older data may still have it in ward A, as here.
        let (status, created) = create(&mut officer, denunciation("TA-UB", "officer_a2")).await;
        assert_eq!(status, 201, "{b}: {created}");
        let (code, id) = (created["case"]["code"].as_str().unwrap().to_string(), created["case"]["id"].as_i64().unwrap());
        assert_eq!(app.store.get_case(id).await.unwrap().unit_id, f.city.id, "{b}");
        let sql = format!("UPDATE cases SET unit_id = {}, unit_path = '{}' WHERE id = {id}", f.ward_a.id, f.ward_a.path);
        app.store.execute_raw(&sql).await.unwrap();
        // The person denounced works in ward A: never given the case, nor reading it.
        action(&mut officer, &code, json!({"action": "accept"})).await;
        let (status, problem) = action(&mut leader, &code, json!({"action": "assign", "assignee": "officer_a2"})).await;
        assert_eq!((status, keys(&problem)), (422, vec![("assignee".into(), "case.error.assignee".into())]), "{b}");
        let mut denounced = signed_in(&app, "officer_a2").await;
        assert_eq!(denounced.page(&format!("/cases/{id}")).await.0, 404, "{b}");
        // Nor listed to them, in any list of the unit they work in; their colleague sees it.
        for (who, c, sees) in [("the person concerned", &mut denounced, false), ("a colleague", &mut officer, true)] {
            let (status, inbox) = c.page("/inbox?view=open").await;
            assert_eq!((status, inbox.contains(&code)), (200, sees), "{who}'s inbox, {b}");
            let list = c.json(Method::GET, "/api/v1/cases", None).await.text().await.unwrap();
            assert_eq!(list.contains(&code), sees, "{who}'s API list, {b}: {list}");
            let xlsx = c.get("/inbox/export.xlsx").await.bytes().await.unwrap();
            assert_eq!(crate::inbox::xlsx_parts(&xlsx).0.contains(&code), sees, "{who}'s export, {b}");
        }
        let (status, _) = action(&mut denounced, &code, json!({"action": "assign"})).await;
        assert_eq!(status, 404, "{b}"); // the API does not tell them the case exists
                                        // Its colleague is given it by the leader, and alone sees the denouncer.
        let (status, out) = action(&mut leader, &code, json!({"action": "assign", "assignee": "officer_a"})).await;
        assert_eq!(status, 200, "{b}: {out}");
        check_identity(&mut officer, "assigned officer", id, &code, true, b).await;

        // The import asks the same.
        let rows = danvan_app::cases::parse_import(
            "source_ref,received_at,kind,category,place,description,address,sender_name,sender_phone,sender_email,sender_address\n\
             D-1,2026-03-02,denunciation,xay-dung,TA,Tố cáo cán bộ nhận tiền.,Ngõ 5,Người Tố Cáo,0911222333,,Số 1 phố Huế\n"
                .as_bytes(),
        )
        .unwrap();
        let engine = danvan_app::App::new(app.store.clone(), Default::default());
        let err = danvan_app::cases::import_cases(&engine, "hệ thống cũ", rows).await.unwrap_err();
        let fields = err.fields().expect("field errors").clone();
        assert!(fields.0.iter().all(|e| e.field == "row 2" && e.key == "case.error.concerned_required"), "{b}: {fields:?}");
        assert!(!fields.0.is_empty(), "{b}");
    }
}

/// The public form does not look up the account a resident names as concerned: its answer is the
/// same whether the username exists or not, so it cannot be used to list the officials' accounts.
#[tokio::test]
async fn the_public_form_tells_no_one_which_accounts_exist() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut answers = vec![];
        for username in ["officer_a2", "khong.co.ai"] {
            let started = danvan_testkit::started_ago(30);
            let fields = [
                ("kind", "denunciation"),
                ("category", "xay-dung"),
                ("description", "Cán bộ nhận tiền để bỏ qua công trình xây dựng sai phép."),
                ("place", ward.as_str()),
                ("address", ADDRESS),
                ("sender_name", NAME),
                ("sender_phone", PHONE),
                ("sender_address", ADDRESS),
                ("concerned_unit", "TA-UB"),
                ("concerned_name", "Nguyễn Văn Bị"),
                ("concerned_account", username),
                ("started", started.as_str()),
            ];
            let r = app.client().post_form("/cases/new", &fields).await;
            let status = r.status().as_u16();
            let page = r.text().await.unwrap();
            assert!(!page.contains("Không có tài khoản với tên đăng nhập này"), "{username}, {b}: {status}");
            answers.push(status);
        }
        assert_eq!(answers[0], answers[1], "{b}");
    }
}
