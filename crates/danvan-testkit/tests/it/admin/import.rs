//! Cases imported from other systems (CSV, JSON), each reference once.

use super::*;
use danvan_store::cases::CaseFilter;
use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};

async fn import_cases(c: &mut Client, source: &str, name: &str, content: &str) -> reqwest::Response {
    c.page("/admin/cases/import").await;
    c.post_multipart("/admin/cases/import", &[("source", source)], &[("file", name, content.as_bytes().to_vec())]).await
}

/// Administrators import cases received by other systems from a CSV or JSON file: every row is
/// checked first (one wrong row, nothing imported, errors by line), and a reference already
/// imported from the same system is skipped, so the same file can be sent twice.
#[tokio::test]
async fn administrators_import_cases_from_other_systems_once_each() {
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut officer = app.client();
        officer.login("officer_a", PASSWORD).await;
        assert_eq!(officer.page("/admin/cases/import").await.0, 403);
        let mut a = admin(&app).await;
        let (s, html) = a.page("/admin/cases/import").await;
        assert!(s == 200 && html.contains("id=\"case-import\""), "{}", app.backend);
        let csv = "source_ref,received_at,kind,category,place,description,address\n\
                   DV-1,2026-11-02,feedback,thoat-nuoc,TA,Cống trước chợ An Bình bị tắc nhiều ngày.,Chợ An Bình\n\
                   DV-2,2026-11-03,petition,chieu-sang,TA,Đề nghị lắp thêm đèn ở ngõ 9 phố An Bình.,Ngõ 9\n";
        let r = import_cases(&mut a, "dvcqg", "cases.csv", csv).await;
        assert_eq!(r.status().as_u16(), 200, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("Đã nhập 2 vụ việc; bỏ qua 0"));
        let r = import_cases(&mut a, "dvcqg", "cases.csv", csv).await;
        assert!(r.text().await.unwrap().contains("Đã nhập 0 vụ việc; bỏ qua 2"), "never twice");
        let filter = CaseFilter {
            channel: Some(danvan_domain::cases::Channel::Import),
            limit: 10,
            skip_total: false,
            ..Default::default()
        };
        let (rows, total) = app.store.list_cases(&filter).await.unwrap();
        assert_eq!(total, 2);
        assert!(rows.iter().all(|c| c.source_system.as_deref() == Some("dvcqg")));

        // JSON, with one wrong row: nothing imported, the row named.
        let json = r#"[{"source_ref":"APP-1","received_at":"2026-11-04","category":"thoat-nuoc","place":"TA","description":"Nước thải tràn ra đường trước số 3.","address":"Số 3"},
                       {"source_ref":"APP-2","received_at":"2026-11-05","category":"thoat-nuoc","place":"ZZ-404","description":"Nắp cống bị vỡ trước số 8 phố An Bình.","address":"Số 8"}]"#;
        let r = import_cases(&mut a, "ihanoi", "cases.json", json).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"import-errors\"") && html.contains("Dòng 2: Không có đơn vị này."), "{html}");
        assert_eq!(app.store.list_cases(&filter).await.unwrap().1, 2, "nothing of the refused file");
        // No source system: a field error.
        let r = import_cases(&mut a, "", "cases.csv", csv).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("f-source-error"));
    }
}
