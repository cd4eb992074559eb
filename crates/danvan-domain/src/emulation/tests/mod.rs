//! Tests of the eligibility engine: each rule R1–R12 passing and failing, with the exact
//! sentences a user reads, the effective date of the rule sets, disciplines and mergers.

use chrono::NaiveDate;

use super::*;

mod collectives;
mod council_money;
mod individuals;
mod mergers;
mod principles;
mod settings_book;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Judges with the default rule book and settings.
fn judge(record: &Record, award: Award, year: i32) -> Verdict {
    check_in(&RuleBook::default(), record, &Nomination::new(award, year), &EmulationSettings::default())
}

fn vi(v: &Verdict) -> Vec<String> {
    v.sentences(Lang::Vi)
}

fn en(v: &Verdict) -> Vec<String> {
    v.sentences(Lang::En)
}

fn reasons(v: &Verdict) -> Vec<Reason> {
    v.unmet().iter().map(|u| u.reason.clone()).collect()
}

fn rules_of(v: &Verdict) -> Vec<RuleId> {
    v.unmet().iter().map(|u| u.rule).collect()
}

#[track_caller]
fn assert_eligible(v: &Verdict) {
    assert!(v.is_eligible(), "expected eligible, got {:?}", en(v));
}
