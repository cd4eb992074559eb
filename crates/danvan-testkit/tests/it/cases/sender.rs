//! What the sender must give (RULES.md §2) on every way in, and when a case is reclassified.

use super::*;
use danvan_testkit::{Fixture, TestApp, PASSWORD};

fn error_keys(problem: &serde_json::Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| (e["field"].as_str().unwrap().into(), e["key"].as_str().unwrap().into())).collect())
        .unwrap_or_default()
}

/// What the sender must give (RULES.md §2): a complaint — name and address (Law on Complaints 2011
/// Art. 8), so a letter with no phone or e-mail is accepted; a denunciation — name, address and a
/// way to contact (Law on Denunciations 2018 Art. 23). Through the public form, the officer's
/// form, the JSON API and the import alike.
#[tokio::test]
async fn what_the_sender_must_give_on_every_way_in() {
    use serde_json::json;
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let ward = f.ward_a.id.to_string();
        let mut citizen = app.client();
        // The public form: a complaint with name and address only is accepted.
        let r = submit(
            &mut citizen,
            &[
                ("kind", "complaint"),
                ("category", "thoat-nuoc"),
                ("description", "Khiếu nại quyết định xử phạt về việc cống thoát nước."),
                ("place", &ward),
                ("address", "Ngõ 5 phố An Bình"),
                ("sender_name", "Nguyễn Văn Thư"),
                ("sender_address", "Số 12 phố An Bình"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 303, "{}: {}", app.backend, r.text().await.unwrap());
        // A denunciation without the denouncer's address is refused, on the address field.
        let r = submit(
            &mut citizen,
            &[
                ("kind", "denunciation"),
                ("category", "xay-dung"),
                ("description", "Cán bộ địa chính nhận tiền để bỏ qua công trình sai phép."),
                ("place", &ward),
                ("address", "Phường An Bình"),
                ("sender_name", "Người Tố Cáo"),
                ("sender_phone", "0911222333"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(body.contains("f-sender_address-error") && body.contains("địa chỉ của người gửi"), "{body}");
        assert!(!body.contains("f-sender_phone-error") && !body.contains("f-sender_name-error"), "only the address is missing");

        // The officer's form: a letter complaint, name and address only.
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        officer.page("/cases/record").await;
        let r = officer
            .post_form(
                "/cases/record",
                &[
                    ("kind", "complaint"),
                    ("category", "thoat-nuoc"),
                    ("description", "Đơn khiếu nại gửi qua bưu điện về việc thu phí nạo vét cống."),
                    ("place_code", "TA"),
                    ("address", "Ngõ 5"),
                    ("sender_name", "Phạm Thị Thư"),
                    ("sender_address", "Số 8 ngõ 5 phố An Bình"),
                    ("channel", "letter"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "the receipt, {}", app.backend);
        assert!(r.text().await.unwrap().contains("GIẤY BIÊN NHẬN"));

        // The JSON API: the same letter accepted; a denunciation without address refused.
        let letter = json!({
            "kind": "complaint", "category": "thoat-nuoc", "place": "TA", "address": "Ngõ 5", "channel": "letter",
            "description": "Đơn khiếu nại về việc thu phí nạo vét cống.",
            "sender_name": "Hoàng Văn Thư", "sender_address": "Số 9 ngõ 5 phố An Bình",
        });
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(letter)).await;
        assert_eq!(r.status().as_u16(), 201, "{}: {}", app.backend, r.text().await.unwrap());
        let mut den = json!({
            "kind": "denunciation", "category": "xay-dung", "place": "TA", "address": "Phường An Bình",
            "description": "Cán bộ nhận tiền để bỏ qua công trình sai phép.",
            "sender_name": "Người Tố Cáo", "sender_email": "to.cao@example.vn",
            "concerned_unit": "TA-1", "concerned_name": "Cán bộ địa chính",
        });
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den.clone())).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(error_keys(&problem), [("sender_address".into(), "case.error.sender_address_required".into())]);
        // … and without a way to contact.
        den["sender_address"] = json!("Số 1 phố Huế");
        den["sender_email"] = json!("");
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den.clone())).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(error_keys(&problem), [("sender_phone".into(), "case.error.contact_required".into())]);
        den["sender_email"] = json!("to.cao@example.vn");
        let r = officer.json(reqwest::Method::POST, "/api/v1/cases", Some(den)).await;
        assert_eq!(r.status().as_u16(), 201, "{}", app.backend);

        // The import: the same rule, row by row; nothing written when a row is wrong.
        let before = app.store.list_cases(&Default::default()).await.unwrap().1;
        let rows = danvan_app::cases::parse_import(
            "source_ref,received_at,kind,category,place,description,address,sender_name,sender_phone,sender_email,sender_address\n\
             A-1,2026-03-02,complaint,thoat-nuoc,TA,Đơn khiếu nại gửi qua bưu điện.,Ngõ 5,Lê Văn Thư,,,Số 3 phố An Bình\n\
             A-2,2026-03-02,denunciation,xay-dung,TA,Tố cáo cán bộ nhận tiền.,Ngõ 5,Người Tố Cáo,0911222333,,\n"
                .as_bytes(),
        )
        .unwrap();
        let app_ = danvan_app::App::new(app.store.clone(), Default::default());
        let err = danvan_app::cases::import_cases(&app_, "hệ thống cũ", rows).await.unwrap_err();
        let fields = err.fields().expect("field errors").clone();
        assert_eq!(fields.0.len(), 1, "{fields:?}");
        assert_eq!((fields.0[0].field.as_str(), fields.0[0].key.as_str()), ("row 3", "case.error.sender_address_required"));
        assert_eq!(app.store.list_cases(&Default::default()).await.unwrap().1, before, "{}", app.backend);
    }
}

/// Reclassification is a way to reach a kind too: an anonymous feedback cannot become a
/// complaint or a denunciation (a field error, on the page and in the API); a case whose sender
/// gave what the new kind needs can.
#[tokio::test]
async fn reclassifying_needs_what_the_new_kind_requires_of_the_sender() {
    use danvan_testkit::{record_case, CaseSpec};
    use serde_json::json;
    for app in TestApp::each_backend().await {
        let f = Fixture::build(&app.store).await;
        let spec = CaseSpec {
            description: "Cống thoát nước đầu ngõ 5 bị tắc nhiều ngày.".into(),
            place: f.ward_a.id,
            ..Default::default()
        };
        let (anonymous, _) = record_case(&app.store, &spec).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;

        // The page: refused on the kind field, nothing changed.
        let (status, body) = act(&mut officer, anonymous.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert!(body.contains("f-kind-error") && body.contains("Chưa chuyển được loại đơn"), "{body}");
        // The API: refused, with what is missing.
        let path = format!("/api/v1/cases/{}/actions", anonymous.code);
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "denunciation"}))).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let problem: serde_json::Value = r.json().await.unwrap();
        let keys = error_keys(&problem);
        assert_eq!(keys[0], ("kind".into(), "case.error.reclassify_sender".into()), "{keys:?}");
        for k in ["case.error.identity_required", "case.error.sender_address_required", "case.error.contact_required"] {
            assert!(keys.iter().any(|(_, key)| key == k), "{k} in {keys:?}");
        }
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "complaint"}))).await;
        assert_eq!(r.status().as_u16(), 422, "{}", app.backend);
        let c = app.store.get_case(anonymous.id).await.unwrap();
        assert_eq!(c.kind, "feedback", "{}", app.backend);
        assert!(app.store.case_events(c.id, false).await.unwrap().iter().all(|e| e.action != "reclassify"));
        // Between anonymous kinds it is always possible.
        let r = officer.json(reqwest::Method::POST, &path, Some(json!({"action": "reclassify", "kind": "petition"}))).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);

        // A sender with name, address and phone (record_case gives an address with a name):
        // complaint, then denunciation.
        let (named, _) = record_case(&app.store, &CaseSpec { name: "Trần Văn Gửi", phone: "0912000111", ..spec.clone() }).await;
        let (status, body) = act(&mut officer, named.id, &[("action", "reclassify"), ("kind", "complaint")]).await;
        assert_eq!(status, 303, "{}: {body}", app.backend);
        let path = format!("/api/v1/cases/{}/actions", named.code);
        let to_denunciation =
            json!({"action": "reclassify", "kind": "denunciation", "concerned_unit": "TA-1", "concerned_name": "Tổ trưởng"});
        let r = officer.json(reqwest::Method::POST, &path, Some(to_denunciation)).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert_eq!(app.store.get_case(named.id).await.unwrap().kind, "denunciation");
    }
}
