//! Importing emulation records from an Excel workbook (issue 11 item 4), on SQLite and (when
//! configured) PostgreSQL: a real .xlsx written by rust_xlsxwriter, with Vietnamese names, dates
//! as Excel dates, years as numbers and the officials' abbreviations, lands on the records; a
//! workbook that expands a thousandfold is refused without being read.

use danvan_testkit::{Client, Fixture, TestApp, PASSWORD};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Write;

async fn signed_in(app: &TestApp, user: &str) -> Client {
    let mut c = app.client();
    assert_eq!(c.login(user, PASSWORD).await.status().as_u16(), 303, "{user} signs in");
    c
}

fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = ["unit", "kind", "name", "woman", "year", "rating", "award", "decision_no", "decided_on", "issuer"];
    for (col, h) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [(&str, &str, &str, f64, &str, &str, &str); 3] = [
        ("Cá nhân", "Nguyễn Thị Hằng", "x", 2024.0, "Hoàn thành xuất sắc nhiệm vụ", "Chiến sĩ thi đua cơ sở", "12/QĐ-UBND"),
        ("Cá nhân", "Nguyễn Thị Hằng", "x", 2025.0, "HTXSNV", "LĐTT", "15/QĐ-UBND"),
        ("Tập thể", "Tổ dân phố số 1", "", 2025.0, "Hoàn thành tốt nhiệm vụ", "", ""),
    ];
    for (i, (kind, name, woman, year, rating, award, decision)) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write_string(r, 0, "TA").unwrap();
        sheet.write_string(r, 1, *kind).unwrap();
        sheet.write_string(r, 2, *name).unwrap();
        sheet.write_string(r, 3, *woman).unwrap();
        sheet.write_number(r, 4, *year).unwrap();
        sheet.write_string(r, 5, *rating).unwrap();
        if !award.is_empty() {
            sheet.write_string(r, 6, *award).unwrap();
            sheet.write_string(r, 7, *decision).unwrap();
            let day = ExcelDateTime::from_ymd(*year as u16 + 1, 1, 15).unwrap();
            sheet.write_datetime_with_format(r, 8, &day, &date).unwrap();
            sheet.write_string(r, 9, "UBND phường An Bình").unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// A valid ZIP whose one member inflates to 200 MB of zeros (about 200 KB packed).
fn bomb() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..200 {
        out.write_all(&zeros).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn upload(c: &mut Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    c.page("/emulation/import").await;
    c.post_multipart("/emulation/import", &[], &[("file", name, bytes)]).await
}

#[tokio::test]
async fn an_excel_workbook_lands_on_the_records() {
    let book = workbook();
    for app in TestApp::each_backend().await {
        Fixture::build(&app.store).await;
        let mut c = signed_in(&app, "emulation_a").await;
        let r = upload(&mut c, "xep-loai.xlsx", book.clone()).await;
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
        let (_, list) = c.page("/emulation").await;
        assert!(list.contains("Nguyễn Thị Hằng") && list.contains("Tổ dân phố số 1"), "{list}");
        // The person's row: `<a href="/emulation/records/N">Nguyễn Thị Hằng</a>`.
        let before = &list[..list.find(">Nguyễn Thị Hằng</a>").unwrap()];
        let id = before.rsplit("/emulation/records/").next().unwrap().trim_end_matches('"');
        let (status, page) = c.page(&format!("/emulation/records/{id}")).await;
        assert_eq!(status, 200);
        for expected in ["Chiến sĩ thi đua cơ sở", "Lao động tiên tiến", "12/QĐ-UBND", "15/QĐ-UBND", "15/01/2025", "15/01/2026"]
        {
            assert!(page.contains(expected), "{expected} on the record");
        }
    }
}

#[tokio::test]
async fn a_workbook_that_expands_a_thousandfold_is_refused() {
    let app = TestApp::sqlite().await;
    Fixture::build(&app.store).await;
    let mut c = signed_in(&app, "emulation_a").await;
    let r = upload(&mut c, "bomb.xlsx", bomb()).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Tệp quá lớn"));
    let r = upload(&mut c, "broken.xlsx", b"PK\x03\x04 broken".to_vec()).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Không đọc được tệp Excel"));
}
