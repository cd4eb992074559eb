//! The settings over time and as typed: the version in force on 31 December judges a year, and
//! the form reads back what it writes.

use super::*;
use proptest::prelude::*;

fn values(s: &EmulationSettings) -> std::collections::HashMap<String, String> {
    settings_form_values(s).into_iter().collect()
}

#[test]
fn a_year_is_judged_by_the_version_in_force_on_31_december() {
    let mut book = SettingsBook::default();
    let raised = EmulationSettings { base_salary: 2_530_000, ..EmulationSettings::default() };
    book.put(SettingsVersion { effective_from: d(2026, 7, 1), settings: raised.clone() });
    assert_eq!(book.for_year(2025).base_salary, 2_340_000);
    assert_eq!(book.for_year(2026).base_salary, 2_530_000);
    assert_eq!(book.in_force_on(d(2026, 6, 30)).base_salary, 2_340_000);
    // Before the first version: the first version, not nothing.
    assert_eq!(book.for_year(2020).base_salary, 2_340_000);
    // The same date replaces; the last version cannot be removed.
    book.put(SettingsVersion { effective_from: d(2026, 7, 1), settings: EmulationSettings::default() });
    assert_eq!(book.versions.len(), 2);
    assert!(book.remove(d(2026, 7, 1)));
    assert!(!book.remove(law_in_force()));
    assert!(!book.remove(d(2030, 1, 1)));
}

#[test]
fn the_form_reads_back_the_defaults() {
    let v = values(&EmulationSettings::default());
    let parsed = parse_settings_form(&|k| v.get(k).cloned().unwrap_or_default()).expect("the defaults parse");
    assert_eq!(parsed, EmulationSettings::default());
}

#[test]
fn every_bad_field_is_named() {
    let mut v = values(&EmulationSettings::default());
    v.insert(BASE_SALARY.into(), "hai triệu".into());
    v.insert(GRASSROOTS_CAP.into(), "150".into());
    v.insert("council_high_percent".into(), "0".into());
    v.insert("council_other_base".into(), "everyone".into());
    v.insert(coefficient_field(Award::AdvancedWorker), "0,0001".into());
    v.insert(MAX_ABSENCE.into(), "-3".into());
    let e = parse_settings_form(&|k| v.get(k).cloned().unwrap_or_default()).unwrap_err();
    assert_eq!(e.get(BASE_SALARY), Some("emulation.settings.error.amount"));
    assert_eq!(e.get(GRASSROOTS_CAP), Some("emulation.settings.error.percent"));
    assert_eq!(e.get("council_high_percent"), Some("emulation.settings.error.percent"));
    assert_eq!(e.get("council_other_base"), Some("emulation.settings.error.base"));
    assert_eq!(e.get(&coefficient_field(Award::AdvancedWorker)), Some("emulation.settings.error.coefficient"));
    assert_eq!(e.get(MAX_ABSENCE), Some("emulation.settings.error.days"));
    assert_eq!(e.0.len(), 6);
}

#[test]
fn amounts_take_vietnamese_and_english_separators() {
    let mut v = values(&EmulationSettings::default());
    v.insert(BASE_SALARY.into(), "2.530.000".into());
    v.insert(coefficient_field(Award::ProvincialCommendation), "1,5".into());
    let s = parse_settings_form(&|k| v.get(k).cloned().unwrap_or_default()).unwrap();
    assert_eq!(s.base_salary, 2_530_000);
    assert_eq!(s.coefficients[&Award::ProvincialCommendation], 1500);
    v.insert(BASE_SALARY.into(), "2,530,000".into());
    assert_eq!(parse_settings_form(&|k| v.get(k).cloned().unwrap_or_default()).unwrap().base_salary, 2_530_000);
}

proptest! {
    #[test]
    fn coefficients_round_trip(t in 0u32..=100_000) {
        prop_assert_eq!(thousandths(&coefficient_text(t)), Some(t));
    }

    #[test]
    fn no_input_makes_the_parser_panic(s in "\\PC{0,20}") {
        let _ = thousandths(&s);
        let v = values(&EmulationSettings::default());
        let _ = parse_settings_form(&|k| if k == BASE_SALARY { s.clone() } else { v.get(k).cloned().unwrap_or_default() });
    }
}
