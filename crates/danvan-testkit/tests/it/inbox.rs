//! The officer inbox's bulk assignment, response templates and Excel export, on SQLite and
//! PostgreSQL.

use danvan_domain::cases::CaseKind;
use danvan_testkit::{case_in, Client, Fixture, TestApp, PASSWORD};
use std::io::Read;

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

async fn account(app: &TestApp, username: &str) -> i64 {
    app.store.get_account_by_username(username).await.unwrap().unwrap().id
}

#[tokio::test]
async fn bulk_assignment_applies_what_it_may_and_reports_the_rest() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let a1 = case_in(&app, &f.committee_a, CaseKind::Feedback, "Nguyễn Văn Một", true).await;
        let a2 = case_in(&app, &f.group_a1, CaseKind::Petition, "Nguyễn Văn Hai", true).await;
        let received = case_in(&app, &f.ward_a, CaseKind::Feedback, "Nguyễn Văn Ba", false).await;
        let in_b = case_in(&app, &f.ward_b, CaseKind::Feedback, "Phạm Văn Bốn", true).await;
        let officer_id = account(&app, "officer_a").await;

        let mut officer = signed_in(&app, "officer_a").await;
        let (status, inbox) = officer.page("/inbox?view=open").await;
        assert_eq!(status, 200);
        assert!(inbox.contains(&format!("name=\"ids\" value=\"{}\"", a1.id)), "a checkbox per row");
        assert!(inbox.contains("<option value=\"officer_a\"") && inbox.contains("<option value=\"leader_a\""), "{inbox}");
        assert!(!inbox.contains("<option value=\"leader_b\""), "only officials of the subtree are offered");

        // Without the CSRF token nothing happens.
        let ids = [a1.id, a2.id, received.id, in_b.id].map(|i| i.to_string());
        let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("ids", i.as_str())).collect();
        fields.push(("assignee", "officer_a"));
        fields.push(("note", "Ưu tiên xử lý trước Tết"));
        let r = officer.http.post(format!("{}/inbox/assign", app.url)).form(&fields).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403, "{}", app.backend);
        assert_eq!(app.store.get_case(a1.id).await.unwrap().assignee_id, None);

        // An official of another ward cannot be given ward A's cases: every case refused, why.
        let mut to_b = fields.clone();
        to_b.retain(|(k, _)| *k == "ids");
        to_b.push(("assignee", "leader_b"));
        let r = officer.post_form("/inbox/assign", &to_b).await;
        assert_eq!(r.status().as_u16(), 409, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("Người được giao phải là cán bộ, lãnh đạo của đơn vị xử lý."), "{body}");
        assert_eq!(app.store.get_case(a1.id).await.unwrap().assignee_id, None, "nothing applied");

        // Mixed: two assigned, one refused by the state machine, one outside the officer's reach.
        let r = officer.post_form("/inbox/assign", &fields).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("Đã giao 2 hồ sơ, không thực hiện 2 hồ sơ."), "{body}");
        assert!(body.contains("Thao tác này không thực hiện được ở trạng thái hiện tại của vụ việc."), "{body}");
        // The case of another ward is "not found", as an unknown id: its existence is not theirs to know.
        assert!(body.contains(&received.code) && body.contains("Không tìm thấy trang hoặc dữ liệu yêu cầu."), "{body}");
        assert!(!body.contains("Bạn không có quyền"), "{body}");
        assert!(!body.contains(&in_b.code), "a case the officer may not see is not named");
        for c in [&a1, &a2] {
            let now = app.store.get_case(c.id).await.unwrap();
            assert_eq!((now.status.as_str(), now.assignee_id), ("assigned", Some(officer_id)), "{}", c.code);
            let events = app.store.case_events(c.id, false).await.unwrap();
            assert!(events.iter().any(|e| e.action == "assign" && !e.public), "the history records it as a single assignment");
            // Both the assignee and the bulk form's note are kept in the history.
            let officer_name = app.store.get_account(officer_id).await.unwrap().full_name;
            assert!(
                events.iter().any(|e| e.action == "assign" && e.note == format!("{officer_name}: Ưu tiên xử lý trước Tết")),
                "{events:?}"
            );
        }
        let r = app.store.get_case(received.id).await.unwrap();
        assert_eq!((r.status.as_str(), r.assignee_id), ("received", None));
        assert_eq!(app.store.get_case(in_b.id).await.unwrap().assignee_id, None);

        // Nothing selected: a field error, not a crash.
        let r = officer.post_form("/inbox/assign", &[("assignee", "officer_a")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("Hãy chọn ít nhất một hồ sơ."));

        // Ward B's leader may not touch ward A's cases at all, nor learn they exist: each is "not
        // found", as an unknown one, and nothing is done.
        let mut leader_b = signed_in(&app, "leader_b").await;
        let a1_id = a1.id.to_string();
        let r = leader_b.post_form("/inbox/assign", &[("ids", &a1_id), ("assignee", "leader_b")]).await;
        assert_eq!(r.status().as_u16(), 409);
        assert!(r.text().await.unwrap().contains("Không tìm thấy trang hoặc dữ liệu yêu cầu."));
        // Through the API too, alone or beside an unknown code: the same report for both.
        let r = leader_b
            .json(
                reqwest::Method::POST,
                "/api/v1/cases/assign",
                Some(serde_json::json!({"codes": [a1.code], "assignee": "leader_b"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
        let r = leader_b
            .json(
                reqwest::Method::POST,
                "/api/v1/cases/assign",
                Some(serde_json::json!({"codes": [a1.code, "PA-1999-999998"], "assignee": "leader_b"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 409, "{}", app.backend);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["items"][0]["key"], "error.not_found");
        assert_eq!(
            (v["items"][1]["code"].as_str(), v["items"][1]["key"].as_str()),
            (Some("PA-1999-999998"), Some("error.not_found"))
        );

        // A list far over the cap is refused before any work.
        let flood: Vec<String> = vec![a1.code.clone(); 4 * danvan_domain::cases::inbox::MAX_BULK + 1];
        let r = officer
            .json(
                reqwest::Method::POST,
                "/api/v1/cases/assign",
                Some(serde_json::json!({"codes": flood, "assignee": "officer_a"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);

        // The API: per-case report, 409 when nothing could be done, in the caller's language.
        let r = officer
            .json(
                reqwest::Method::POST,
                "/api/v1/cases/assign",
                Some(serde_json::json!({"codes": [received.code, "PA-1999-999999"], "assignee": "officer_a"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["assigned"], 0);
        assert_eq!(v["items"][0]["key"], "case.error.not_now");
        assert_eq!(v["items"][1]["key"], "error.not_found");
        let r = officer
            .json(
                reqwest::Method::POST,
                "/api/v1/cases/assign",
                Some(serde_json::json!({"codes": [a1.code], "assignee": "leader_a", "note": "Lãnh đạo trực tiếp xử lý"})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!((v["assigned"].as_u64(), v["items"][0]["assigned"].as_bool()), (Some(1), Some(true)));
        let leader_a = account(&app, "leader_a").await;
        assert_eq!(app.store.get_case(a1.id).await.unwrap().assignee_id, Some(leader_a));
        let leader_name = app.store.get_account(leader_a).await.unwrap().full_name;
        let events = app.store.case_events(a1.id, false).await.unwrap();
        assert!(events.iter().any(|e| e.note == format!("{leader_name}: Lãnh đạo trực tiếp xử lý")), "{events:?}");
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases/assign", Some(serde_json::json!({"codes": []}))).await;
        assert_eq!(r.status().as_u16(), 422);
        let doc: serde_json::Value = officer.get("/api/openapi.json").await.json().await.unwrap();
        assert!(doc["paths"]["/api/v1/cases/assign"]["post"].is_object(), "in the OpenAPI document");
    }
}

#[tokio::test]
async fn leaders_manage_templates_and_officers_draft_answers_from_them() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let c = case_in(&app, &f.committee_a, CaseKind::Feedback, "Lê Thị Hoa", true).await;
        let mut leader = signed_in(&app, "leader_a").await;
        let (status, _) = leader.page("/templates/new").await;
        assert_eq!(status, 200);
        // Field errors, in Vietnamese and English.
        let r = leader.post_form("/templates", &[("unit_code", "TA"), ("title", ""), ("body", "")]).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("Trường này là bắt buộc."));
        let r = leader.post_form("/templates", &[("unit_code", "TA"), ("title", "Sai"), ("body", "Hồ sơ {ma_hoso}")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("Nội dung có chỗ trống không được hỗ trợ."));
        let r = leader.post_form("/templates", &[("unit_code", "TB"), ("title", "Ngoài"), ("body", "Không được")]).await;
        assert_eq!(r.status().as_u16(), 403, "a leader owns templates only in their own subtree");
        let body = "{don_vi} đã tiếp nhận phản ánh {ma_ho_so} ngày {ngay_tiep_nhan} và sẽ xử lý.";
        let r = leader
            .post_form(
                "/templates",
                &[("unit_code", "TA"), ("category", "thoat-nuoc"), ("title", "Trả lời thoát nước"), ("body", body)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let r = leader
            .post_form(
                "/templates",
                &[("unit_code", "TA"), ("category", "ve-sinh"), ("title", "Trả lời rác thải"), ("body", "Rác")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let mut leader_b = signed_in(&app, "leader_b").await;
        let r = leader_b.post_form("/templates", &[("unit_code", "TB"), ("title", "Mẫu phường B"), ("body", "Phường B")]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(leader.page("/inbox").await.1.contains("id=\"templates-link\""), "leaders find their templates");
        let (_, list) = leader.page("/templates").await;
        assert!(list.contains("Trả lời thoát nước") && !list.contains("Mẫu phường B"), "{list}");
        let all = app.store.templates_within(None).await.unwrap();
        let id_of = |t: &str| all.iter().find(|x| x.title == t).unwrap().id;
        let (water, trash, ward_b) = (id_of("Trả lời thoát nước"), id_of("Trả lời rác thải"), id_of("Mẫu phường B"));

        // The officer picks a template for the case's category; its placeholders are filled.
        let mut officer = signed_in(&app, "officer_a").await;
        // Templates are offered where the answer is drafted: once the case is being handled.
        officer.page(&format!("/cases/{}", c.id)).await;
        for step in ["assign", "start"] {
            let r = officer.post_form(&format!("/cases/{}/act", c.id), &[("action", step), ("assignee", "officer_a")]).await;
            assert_eq!(r.status().as_u16(), 303, "{step}");
        }
        let (_, page) = officer.page(&format!("/cases/{}", c.id)).await;
        assert!(page.contains(&format!("<option value=\"{water}\">Trả lời thoát nước")), "{page}");
        assert!(!page.contains(&format!("<option value=\"{trash}\"")), "another category's template is not offered");
        assert!(!page.contains(&format!("<option value=\"{ward_b}\"")), "another ward's template is not offered");
        let (status, page) = officer.page(&format!("/cases/{}?template={water}", c.id)).await;
        assert_eq!(status, 200);
        let received = c.received_on.format("%d/%m/%Y").to_string();
        let filled = format!("Ủy ban nhân dân phường An Bình đã tiếp nhận phản ánh {} ngày {received} và sẽ xử lý.", c.code);
        assert!(page.contains(&filled), "{page}");
        let (status, _) = officer.page(&format!("/cases/{}?template={ward_b}", c.id)).await;
        assert_eq!(status, 422, "a template not offered for the case is refused");
        // Officers do not manage templates.
        let r = officer.post_form("/templates", &[("unit_code", "TA"), ("title", "Của tôi"), ("body", "x")]).await;
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(officer.get("/templates").await.status().as_u16(), 403);
        assert!(!officer.page("/inbox").await.1.contains("id=\"templates-link\""));

        // Edit and delete: the owner's leaders only.
        let r =
            leader_b.post_form(&format!("/templates/{water}"), &[("unit_code", "TB"), ("title", "Chiếm"), ("body", "x")]).await;
        assert_eq!(r.status().as_u16(), 403);
        let r = leader
            .post_form(
                &format!("/templates/{water}"),
                &[("unit_code", "TA"), ("category", ""), ("title", "Trả lời chung"), ("body", body)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let t = app.store.get_template(water).await.unwrap();
        assert_eq!((t.title.as_str(), t.category_id), ("Trả lời chung", None));
        let r = leader.post_form(&format!("/templates/{trash}/delete"), &[]).await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(app.store.get_template(trash).await.is_err());
        // English field errors.
        leader.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let r = leader.post_form("/templates", &[("unit_code", "TA"), ("title", "x"), ("body", "")]).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("This field is required."));
    }
}

/// The text of an XLSX file (its shared strings and the first sheet's inline strings) and the first sheet.
pub(crate) fn xlsx_parts(bytes: &[u8]) -> (String, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX is a zip archive");
    let mut read = |name: &str| {
        let mut s = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut s).unwrap();
        }
        s
    };
    // The case list is written in constant memory: its strings are inline, in the sheet itself.
    let sheet = read("xl/worksheets/sheet1.xml");
    (read("xl/sharedStrings.xml") + &sheet, sheet)
}

async fn export(c: &mut Client, query: &str) -> (u16, String, String) {
    let r = c.get(&format!("/inbox/export.xlsx{query}")).await;
    let status = r.status().as_u16();
    if status != 200 {
        return (status, String::new(), String::new());
    }
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap();
    let (strings, sheet) = xlsx_parts(&bytes);
    (status, strings, sheet)
}

/// The CSV export's lines (the byte-order mark and the header line first).
async fn export_csv(c: &mut Client, query: &str) -> (u16, Vec<Vec<String>>) {
    let r = c.get(&format!("/inbox/export.csv{query}")).await;
    let status = r.status().as_u16();
    if status != 200 {
        return (status, vec![]);
    }
    assert_eq!(r.headers()["content-type"].to_str().unwrap(), "text/csv; charset=utf-8");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark for spreadsheets");
    let mut rd = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    (status, rd.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect())
}

#[tokio::test]
async fn the_inbox_streams_to_csv_every_case_with_its_filters_and_without_hidden_senders() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let feedback = case_in(&app, &f.committee_a, CaseKind::Feedback, "=HYPERLINK(\"http://x\")", true).await;
        let den = case_in(&app, &f.ward_a, CaseKind::Denunciation, "Trần Văn Tố", true).await;
        let in_b = case_in(&app, &f.ward_b, CaseKind::Feedback, "Phạm Văn Bốn", true).await;
        // More than one page of the export (500 cases a page).
        for i in 0..520 {
            case_in(&app, &f.group_a1, CaseKind::Petition, &format!("Người gửi {i}"), false).await;
        }
        let mut officer = signed_in(&app, "officer_a").await;
        let (status, lines) = export_csv(&mut officer, "").await;
        assert_eq!(status, 200, "{}", app.backend);
        assert_eq!(lines[0][0], "Mã hồ sơ");
        assert_eq!(lines.len(), 1 + 2 + 520, "{}: every case once, across pages", app.backend);
        let codes: std::collections::HashSet<&str> = lines[1..].iter().map(|l| l[0].as_str()).collect();
        assert_eq!(codes.len(), 522, "no case twice");
        assert!(
            codes.contains(feedback.code.as_str()) && codes.contains(den.code.as_str()) && !codes.contains(in_b.code.as_str())
        );
        let line = |code: &str| lines.iter().find(|l| l[0] == code).unwrap().clone();
        assert_eq!(line(&feedback.code)[12], "'=HYPERLINK(\"http://x\")", "a formula typed by a citizen stays text");
        assert_eq!(line(&den.code)[12], "", "the denouncer is hidden from all but the handling officer");
        // The filters apply; a bad one is a field error; the export is audited.
        let (_, lines) = export_csv(&mut officer, "?kind=denunciation").await;
        assert_eq!(lines.len(), 2, "{}", app.backend);
        assert_eq!(export_csv(&mut officer, "?from=notadate").await.0, 422);
        let audit = danvan_store::AuditFilter { action: Some("inbox.export".into()), limit: 10, ..Default::default() };
        let (entries, _) = app.store.list_audit(&audit).await.unwrap();
        assert!(entries.iter().any(|e| e.target_label == "export.csv" && e.changes.contains("denunciation")), "{entries:?}");
        // Another ward's leader and the public get nothing.
        let mut leader_b = signed_in(&app, "leader_b").await;
        assert_eq!(export_csv(&mut leader_b, "?unit=TA").await.0, 403);
        assert_eq!(app.client().get("/inbox/export.csv").await.status().as_u16(), 303);
    }
}

#[tokio::test]
async fn the_inbox_exports_to_excel_with_its_filters_and_without_hidden_senders() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let feedback = case_in(&app, &f.committee_a, CaseKind::Feedback, "Lê Thị Hoa", true).await;
        let den = case_in(&app, &f.ward_a, CaseKind::Denunciation, "Trần Văn Tố", true).await;
        let in_b = case_in(&app, &f.ward_b, CaseKind::Feedback, "Phạm Văn Bốn", true).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let (status, strings, sheet) = export(&mut officer, "").await;
        assert_eq!(status, 200, "{}", app.backend);
        for header in ["Mã hồ sơ", "Trạng thái", "Thời điểm tiếp nhận (GMT+7)", "Đơn vị xử lý", "Người gửi"]
        {
            assert!(strings.contains(header), "{header} in {strings}");
        }
        assert!(strings.contains(&feedback.code) && strings.contains(&den.code), "{strings}");
        assert!(!strings.contains(&in_b.code) && !strings.contains("Phạm Văn Bốn"), "another ward's cases are not exported");
        assert!(strings.contains("Ủy ban nhân dân phường An Bình") && strings.contains("Tố cáo"), "labels translated");
        assert!(strings.contains("Đã thụ lý"), "status label");
        assert!(strings.contains("Lê Thị Hoa"), "the handling subtree sees the sender of feedback");
        assert!(!strings.contains("Trần Văn Tố"), "the denouncer is hidden from all but the handling officer");
        assert_eq!(sheet.matches("<row ").count(), 3, "a header and two cases: {sheet}");
        // Who took senders' details out is audited: the filters, the rows, the rows with contacts.
        let audit_of = |action: &str| danvan_store::AuditFilter { action: Some(action.into()), limit: 10, ..Default::default() };
        let (entries, _) = app.store.list_audit(&audit_of("inbox.export")).await.unwrap();
        assert_eq!(entries.len(), 1, "{}", app.backend);
        assert_eq!(entries[0].actor_id, Some(account(&app, "officer_a").await));
        let changes: serde_json::Value = serde_json::from_str(&entries[0].changes).unwrap();
        assert_eq!((changes["rows"][1].as_i64(), changes["rows_with_contacts"][1].as_i64()), (Some(2), Some(1)), "{changes}");

        // The filters of the inbox apply.
        let (_, strings, sheet) = export(&mut officer, "?kind=denunciation").await;
        let (entries, _) = app.store.list_audit(&audit_of("inbox.export")).await.unwrap();
        assert!(entries[0].changes.contains("denunciation"), "the filters are recorded: {}", entries[0].changes);
        assert!(strings.contains(&den.code) && !strings.contains(&feedback.code));
        assert_eq!(sheet.matches("<row ").count(), 2);
        let (status, _, _) = export(&mut officer, "?from=notadate").await;
        assert_eq!(status, 422, "a bad filter is a field error, not a 500");

        // A viewer reads the list but never the senders.
        let mut viewer = signed_in(&app, "viewer_a").await;
        let (status, strings, _) = export(&mut viewer, "").await;
        assert_eq!(status, 200);
        assert!(strings.contains(&feedback.code) && !strings.contains("Lê Thị Hoa"));
        // Another ward's leader and the public get nothing.
        let mut leader_b = signed_in(&app, "leader_b").await;
        assert_eq!(export(&mut leader_b, "?unit=TA").await.0, 403);
        assert_eq!(app.client().get("/inbox/export.xlsx").await.status().as_u16(), 303);

        // Once the leader gives the denunciation to the officer, the officer sees who sent it.
        let id = den.id.to_string();
        let mut leader = signed_in(&app, "leader_a").await;
        let r = leader.post_form("/inbox/assign", &[("ids", &id), ("assignee", "officer_a")]).await;
        assert_eq!(r.status().as_u16(), 200);
        let (_, strings, _) = export(&mut officer, "").await;
        assert!(strings.contains("Trần Văn Tố"));

        // English headers and labels when the interface is English.
        officer.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        let (_, strings, _) = export(&mut officer, "").await;
        assert!(
            strings.contains("Tracking code") && strings.contains("Denunciation") && !strings.contains("Mã hồ sơ"),
            "{strings}"
        );
    }
}

/// A filter naming no known kind, channel or status is a field error, never "every case".
#[tokio::test]
async fn an_unknown_filter_value_is_an_error_not_everything() {
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let a1 = case_in(&app, &f.committee_a, CaseKind::Feedback, "Nguyễn Văn Một", true).await;
        let mut officer = signed_in(&app, "officer_a").await;
        let (_, all) = officer.page("/inbox?view=open").await;
        assert!(all.contains(&a1.code), "{}", app.backend);
        for q in ["kind=xyz", "channel=xyz", "status=xyz"] {
            let (_, page) = officer.page(&format!("/inbox?{q}")).await;
            assert!(page.contains("Giá trị không hợp lệ."), "{q}: the page says so ({})", app.backend);
        }
        let (_, known) = officer.page("/inbox?kind=petition").await;
        assert!(!known.contains(&a1.code) && !known.contains("Giá trị không hợp lệ."), "{}", app.backend);
        for q in ["kind=xyz", "status=xyz"] {
            let r = officer.json(reqwest::Method::GET, &format!("/api/v1/cases?{q}"), None).await;
            assert_eq!(r.status().as_u16(), 422, "{q} ({})", app.backend);
        }
    }
}
