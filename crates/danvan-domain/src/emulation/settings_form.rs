//! The emulation settings as an administrator types them: amounts in đồng with any thousands
//! separators, coefficients as decimals ("4,5" or "4.5"), percentages, optional caps left empty.
//! Each bad field is named, so the form can say which.

use super::{Award, EmulationSettings, Rounding, Threshold, VoteBase};
use crate::FieldErrors;

/// Field names of the form (and of the JSON the API takes, flattened the same way).
pub const BASE_SALARY: &str = "base_salary";
pub const ROUNDING_UNIT: &str = "rounding_unit";
pub const GRASSROOTS_CAP: &str = "grassroots_cap_percent";
pub const WOMEN_PRIORITY: &str = "women_priority_percent";
pub const MAX_ABSENCE: &str = "max_absence_days";

/// `coefficient.<award>`: the award's coefficient; `high.<award>`: "on" when the award needs the
/// high council threshold.
pub fn coefficient_field(a: Award) -> String {
    format!("coefficient.{}", a.as_str())
}
pub fn high_field(a: Award) -> String {
    format!("high.{}", a.as_str())
}

/// A whole number of đồng, days or percent: digits with optional `.`, `,` or space separators.
fn whole(s: &str) -> Option<i64> {
    let digits: String = s.trim().chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || digits.len() > 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A coefficient in thousandths: "4,5" → 4500, "0.3" → 300, "12" → 12000; at most three decimals.
pub fn thousandths(s: &str) -> Option<u32> {
    let s = s.trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() && frac.is_empty() || int.len() > 3 || frac.len() > 3 {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: u32 = format!("{frac:0<3}").parse().ok()?;
    Some(int * 1000 + frac)
}

/// Thousandths as typed back into the form, Vietnamese style ("4,5").
pub fn coefficient_text(t: u32) -> String {
    let (int, frac) = (t / 1000, t % 1000);
    if frac == 0 {
        int.to_string()
    } else {
        format!("{int},{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

fn threshold(get: &dyn Fn(&str) -> String, prefix: &str, errors: &mut FieldErrors) -> Option<Threshold> {
    let percent_field = format!("{prefix}_percent");
    let percent = whole(&get(&percent_field)).filter(|p| (1..=100).contains(p));
    if percent.is_none() {
        errors.add(&percent_field, "emulation.settings.error.percent");
    }
    let base_field = format!("{prefix}_base");
    let base = match get(&base_field).trim() {
        "all_members" => Some(VoteBase::AllMembers),
        "votes_cast" => Some(VoteBase::VotesCast),
        _ => {
            errors.add(&base_field, "emulation.settings.error.base");
            None
        }
    };
    let strictly_more = get(&format!("{prefix}_strict")).trim() == "on";
    Some(Threshold { percent: percent? as u32, strictly_more, base: base? })
}

/// Reads the settings from the form's fields; every bad field is reported at once.
pub fn parse_settings_form(get: &dyn Fn(&str) -> String) -> Result<EmulationSettings, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut bounded = |field: &str, range: std::ops::RangeInclusive<i64>, key: &str, optional: bool| -> Option<Option<i64>> {
        let raw = get(field);
        if optional && raw.trim().is_empty() {
            return Some(None);
        }
        match whole(&raw).filter(|v| range.contains(v)) {
            Some(v) => Some(Some(v)),
            None => {
                errors.add(field, key);
                None
            }
        }
    };
    let base_salary = bounded(BASE_SALARY, 1..=1_000_000_000, "emulation.settings.error.amount", false);
    let rounding = bounded(ROUNDING_UNIT, 1..=10_000_000, "emulation.settings.error.amount", false);
    let cap = bounded(GRASSROOTS_CAP, 1..=100, "emulation.settings.error.percent", true);
    let women = bounded(WOMEN_PRIORITY, 1..=100, "emulation.settings.error.percent", false);
    let absence = bounded(MAX_ABSENCE, 0..=366, "emulation.settings.error.days", true);
    let council_high = threshold(get, "council_high", &mut errors);
    let council_other = threshold(get, "council_other", &mut errors);
    let mut coefficients = std::collections::BTreeMap::new();
    let mut council_high_awards = vec![];
    for a in Award::ALL {
        let field = coefficient_field(*a);
        match thousandths(&get(&field)).filter(|t| *t <= 100_000) {
            Some(t) => {
                coefficients.insert(*a, t);
            }
            None => errors.add(&field, "emulation.settings.error.coefficient"),
        }
        if get(&high_field(*a)).trim() == "on" {
            council_high_awards.push(*a);
        }
    }
    match (base_salary, rounding, cap, women, absence, council_high, council_other) {
        (Some(Some(base_salary)), Some(Some(unit)), Some(cap), Some(Some(women)), Some(absence), Some(high), Some(other))
            if errors.is_empty() =>
        {
            Ok(EmulationSettings {
                grassroots_cap_percent: cap.map(|c| c as u32),
                council_high: high,
                council_high_awards,
                council_other: other,
                women_priority_percent: women as u32,
                max_absence_days: absence,
                base_salary,
                coefficients,
                rounding: Rounding { unit },
            })
        }
        _ => Err(errors),
    }
}

/// The settings as form values (the inverse of `parse_settings_form`).
pub fn settings_form_values(s: &EmulationSettings) -> Vec<(String, String)> {
    let base = |b: VoteBase| if b == VoteBase::AllMembers { "all_members" } else { "votes_cast" };
    let mut v = vec![
        (BASE_SALARY.into(), s.base_salary.to_string()),
        (ROUNDING_UNIT.into(), s.rounding.unit.to_string()),
        (GRASSROOTS_CAP.into(), s.grassroots_cap_percent.map(|c| c.to_string()).unwrap_or_default()),
        (WOMEN_PRIORITY.into(), s.women_priority_percent.to_string()),
        (MAX_ABSENCE.into(), s.max_absence_days.map(|d| d.to_string()).unwrap_or_default()),
    ];
    for (prefix, t) in [("council_high", s.council_high), ("council_other", s.council_other)] {
        v.push((format!("{prefix}_percent"), t.percent.to_string()));
        v.push((format!("{prefix}_base"), base(t.base).into()));
        if t.strictly_more {
            v.push((format!("{prefix}_strict"), "on".into()));
        }
    }
    for a in Award::ALL {
        v.push((coefficient_field(*a), coefficient_text(s.coefficients.get(a).copied().unwrap_or(0))));
        if s.council_high_awards.contains(a) {
            v.push((high_field(*a), "on".into()));
        }
    }
    v
}
