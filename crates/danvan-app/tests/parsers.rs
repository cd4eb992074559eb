//! Bounded fuzzing (proptest) of the parsers every import and form goes through: whatever the
//! bytes, they answer rows or field errors with known keys — never a panic — and what they accept
//! holds their own rules. Runs with the README's test command (256 cases each by default;
//! `PROPTEST_CASES` for a longer run).

use danvan_app::cases::import::parse_import;
use danvan_app::input::{filter_date, optional_date, parse_date};
use danvan_app::org::units::parse_units_csv;
use danvan_domain::calendar::{check_date, DateRange, EARLIEST_DATE};
use danvan_domain::FieldErrors;
use proptest::prelude::*;

/// Text with what breaks parsers: quotes, separators, newlines, controls, BOMs, Vietnamese.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just(",".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{ffff}".to_string()),
            Just("Phường Cửa Nam".to_string()),
            Just("2026-02-30".to_string()),
            Just("-262143-01-10".to_string()),
            Just("[".to_string()),
            Just("{".to_string()),
            "[a-z0-9 ]{0,8}",
            any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn keys(e: &FieldErrors) -> Vec<String> {
    e.0.iter().map(|f| f.key.to_string()).collect()
}

const CASES_HEADER: &str = "source_ref,received_at,kind,category,title,description,place,address,latitude,longitude,sender_name,sender_phone,sender_email,sender_address,publish";

proptest! {
    #[test]
    fn case_import_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Err(e) = parse_import(&bytes) {
            prop_assert!(keys(&e).iter().all(|k| k == "error.csv" || k == "error.json"), "{:?}", e);
        }
    }

    #[test]
    fn case_import_reads_csv_rows_in_order(cells in prop::collection::vec(nasty_text(), 0..60)) {
        let body: Vec<String> = cells.chunks(15).map(|row| row.join(",")).collect();
        let file = format!("{CASES_HEADER}\n{}", body.join("\n"));
        match parse_import(file.as_bytes()) {
            Ok(rows) => {
                // Each row knows the line it came from, in the file's order, after the header.
                prop_assert!(rows.windows(2).all(|w| w[0].line < w[1].line));
                prop_assert!(rows.iter().all(|r| r.line >= 2));
            }
            Err(e) => prop_assert!(keys(&e).iter().all(|k| k == "error.csv"), "{:?}", e),
        }
    }

    #[test]
    fn case_import_reads_json_or_refuses_it(text in nasty_text()) {
        let file = format!("[{text}]");
        if let Err(e) = parse_import(file.as_bytes()) {
            prop_assert_eq!(keys(&e), vec!["error.json".to_string()]);
        }
    }

    #[test]
    fn units_csv_never_panics(cells in prop::collection::vec(nasty_text(), 0..40), raw in prop::collection::vec(any::<u8>(), 0..300)) {
        let body: Vec<String> = cells.chunks(6).map(|row| row.join(",")).collect();
        let file = format!("code,name,kind,parent_code,effective_from,effective_to\n{}", body.join("\n"));
        let _ = parse_units_csv(file.as_bytes());
        let _ = parse_units_csv(&raw);
    }

    #[test]
    fn a_date_parsed_is_a_real_date(text in nasty_text(), y in -300000i32..300000, m in 0u32..14, d in 0u32..33) {
        let _ = parse_date(&text);
        for s in [format!("{y:04}-{m:02}-{d:02}"), format!("{d:02}/{m:02}/{y:04}")] {
            if let Some(date) = parse_date(&s) {
                prop_assert_eq!((date.month(), date.day()), (m, d));
            }
            // A filter's date is either refused with a field error or within the bounds.
            let mut errors = FieldErrors::default();
            match filter_date(&s, "from", &mut errors) {
                Some(date) => {
                    prop_assert!(date >= EARLIEST_DATE && errors.is_empty());
                    prop_assert!(check_date(date, danvan_app::cases::today(), DateRange::Planning).is_ok());
                }
                None => prop_assert!(errors.0.len() == 1 && errors.0[0].field == "from", "{:?}", errors),
            }
            let mut errors = FieldErrors::default();
            if optional_date(&s, "received_on", &mut errors).is_none() {
                prop_assert!(errors.0.iter().all(|e| e.key == "error.date"));
            }
        }
    }
}

use chrono::Datelike;
