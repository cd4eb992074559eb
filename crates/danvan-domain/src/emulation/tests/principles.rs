//! R10 (disciplines, investigations, counting from the end of a discipline, tie-break) and the
//! effective dates of the rule sets.

use super::*;
use Award::*;
use Rating::*;

#[test]
fn r10_no_commendation_while_a_discipline_is_in_force() {
    let r =
        Record::individual().rated(2025, Excellent).disciplined(DisciplineLevel::Reprimand, d(2025, 6, 1), Some(d(2026, 5, 31)));
    let v = judge(&r, AdvancedWorker, 2025);
    assert_eq!(rules_of(&v), vec![RuleId::R10]);
    assert_eq!(vi(&v), vec!["đang trong thời hạn kỷ luật (khiển trách) đến 31/05/2026: chưa khen thưởng"]);
    assert_eq!(en(&v), vec!["under a discipline (reprimand) until 2026-05-31: no commendation meanwhile"]);
}

#[test]
fn r10_a_discipline_over_before_the_review_still_voids_its_year() {
    let r =
        Record::individual().rated(2025, Excellent).disciplined(DisciplineLevel::Warning, d(2025, 1, 15), Some(d(2025, 7, 14)));
    let v = judge(&r, AdvancedWorker, 2025);
    assert_eq!(reasons(&v), vec![Reason::DisciplinedInYear { level: DisciplineLevel::Warning, year: 2025 }]);
    assert_eq!(en(&v), vec!["disciplined (warning) in 2025: achievements count from the end of the discipline"]);
    assert_eligible(&judge(&r.clone().rated(2026, Good), AdvancedWorker, 2026));
}

#[test]
fn r10_an_open_investigation_blocks_a_closed_one_does_not() {
    let open = Record::individual().rated(2025, Good).investigated(d(2025, 11, 3), None);
    let v = judge(&open, AdvancedWorker, 2025);
    assert_eq!(vi(&v), vec!["đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra từ 03/11/2025: chưa khen thưởng"]);
    let closed = Record::individual().rated(2025, Good).investigated(d(2025, 3, 1), Some(d(2025, 5, 1)));
    assert_eligible(&judge(&closed, AdvancedWorker, 2025));
    // Judged on another day: before the investigation opened.
    let early = Nomination::new(AdvancedWorker, 2025).on(d(2025, 10, 30));
    assert!(check_in(&RuleBook::default(), &open, &early, &EmulationSettings::default()).is_eligible());
}

/// Chiến sĩ thi đua cơ sở every year from 2021 to 2028, with a reprimand from November 2024 to
/// January 2025: the streak restarts in 2026.
fn fighter_with_discipline() -> Record {
    Record::individual()
        .rated_years(2021..=2028, Excellent)
        .holds(GrassrootsEmulationFighter, 2021..=2028)
        .initiative("Mô hình tỉnh", 2026, Reach::Province, None)
        .initiative("Mô hình tỉnh cũ", 2024, Reach::Province, None)
        .disciplined(DisciplineLevel::Reprimand, d(2024, 11, 1), Some(d(2025, 1, 31)))
}

#[test]
fn r10_consecutive_years_restart_after_a_discipline() {
    let r = fighter_with_discipline();
    assert_eq!(r.counting_from(2027), Some(2026));
    let v = judge(&r, ProvincialEmulationFighter, 2027);
    assert_eq!(
        vi(&v),
        vec![
            "cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở: có 2026, 2027; thiếu (không); không tính (trước khi hết \
              thời hạn kỷ luật) 2025"
        ]
    );
    assert_eq!(v.unmet()[0].reason.key(), "emulation.unmet.consecutive_years_reset");
    assert_eligible(&judge(&r, ProvincialEmulationFighter, 2028));
}

#[test]
fn r10_an_initiative_before_the_end_of_a_discipline_does_not_count() {
    let r = Record::individual()
        .rated_years(2024..=2026, Excellent)
        .holds(GrassrootsEmulationFighter, [2025, 2026])
        .initiative("A", 2025, Reach::Unit, None)
        .initiative("B", 2026, Reach::Unit, None)
        .disciplined(DisciplineLevel::Reprimand, d(2024, 11, 1), Some(d(2025, 1, 31)));
    let v = judge(&r, ProvincialCommendation, 2026);
    assert_eq!(
        en(&v),
        vec![
            "needs one of: needs 2 consecutive years of Grassroots Emulation Fighter: has 2026; missing none; not \
             counted (before the end of a discipline) 2025; or needs 2 consecutive years rated excellent or better: \
             has 2026; missing none; not counted (before the end of a discipline) 2025",
            "needs 2 initiative(s) of unit reach recognised in 2025–2026, not used for another award: has 1",
        ]
    );
    assert_eligible(&judge(
        &r.clone().rated(2027, Excellent).holds(GrassrootsEmulationFighter, [2027]).initiative("C", 2027, Reach::Unit, None),
        ProvincialCommendation,
        2027,
    ));
}

#[test]
fn r10_a_discipline_long_over_does_not_touch_later_streaks() {
    let r = Record::individual()
        .rated_years(2022..=2024, Excellent)
        .holds(GrassrootsEmulationFighter, 2022..=2024)
        .initiative("X", 2023, Reach::Province, None)
        .disciplined(DisciplineLevel::Demotion, d(2019, 1, 1), Some(d(2020, 12, 31)));
    assert_eligible(&judge(&r, ProvincialEmulationFighter, 2024));
}

#[test]
fn r10_tie_break_puts_women_and_mostly_women_collectives_first_among_equals() {
    let settings = EmulationSettings::default();
    let women_team = (0..10).fold(Record::collective(), |c, i| {
        let m = Record::individual();
        c.member(if i < 7 { m.woman() } else { m })
    });
    let mixed_team = (0..10).fold(Record::collective(), |c, i| {
        let m = Record::individual();
        c.member(if i < 6 { m.woman() } else { m })
    });
    let mut list = vec![
        Candidate::from_record("anh", 90, &Record::individual()),
        Candidate::from_record("mixed", 95, &mixed_team),
        Candidate::from_record("binh", 90, &Record::individual().woman()),
        Candidate::from_record("cuong", 80, &Record::individual().woman()),
        Candidate::from_record("women", 95, &women_team),
        Candidate::from_record("dung", 90, &Record::individual()),
    ];
    tie_break(&mut list, &settings);
    let ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["women", "mixed", "binh", "anh", "dung", "cuong"]);
}

// The rule sets' effective dates.

#[test]
fn effective_date_selects_the_set_in_force() {
    let book = RuleBook::default();
    assert_eq!(book.for_year(2023), None);
    assert_eq!(book.for_year(2024).unwrap().decree, Instrument::Decree98of2023);
    assert_eq!(book.for_year(2025).unwrap().decree, Instrument::Decree152of2025);
    assert_eq!(book.for_year(2030).unwrap().decree, Instrument::Decree152of2025);
    assert_eq!(book.in_force_on(d(2025, 6, 30)).unwrap().decree, Instrument::Decree98of2023);
    assert_eq!(book.in_force_on(d(2025, 7, 1)).unwrap().decree, Instrument::Decree152of2025);
    assert_eq!(book.in_force_on(d(2023, 12, 31)), None);
}

#[test]
fn effective_date_a_nomination_cites_the_decree_of_its_year() {
    let r = Record::individual().rated(2024, Good).rated(2025, Good);
    let decree_of = |year| match judge(&r, AdvancedWorker, year) {
        Verdict::Eligible { basis, .. } => basis.iter().find(|(id, _)| *id == RuleId::R1).unwrap().1[1].instrument,
        v => panic!("{:?}", en(&v)),
    };
    assert_eq!(decree_of(2024), Instrument::Decree98of2023);
    assert_eq!(decree_of(2025), Instrument::Decree152of2025);
    let v = judge(&Record::individual().rated(2023, Good), AdvancedWorker, 2023);
    assert_eq!(reasons(&v), vec![Reason::NoRuleSet { year: 2023 }]);
    assert_eq!(vi(&v), vec!["không có bộ tiêu chuẩn có hiệu lực cho năm 2023"]);
}

#[test]
fn effective_date_a_changed_set_judges_its_years_only() {
    // A later set that raises R8's share to 80 % judges 2026, not 2025.
    let mut book = RuleBook::default();
    let mut stricter = RuleSet::law_2022("stricter", d(2026, 1, 1), Instrument::Decree152of2025);
    for rule in &mut stricter.rules {
        if let Condition::All(cs) = &mut rule.condition {
            for c in cs {
                if let Condition::MemberShare { percent, .. } = c {
                    *percent = 80;
                }
            }
        }
    }
    book.sets.push(stricter);
    let team = |year| {
        (0..10).fold(Record::collective().rated(year, Good), |c, i| {
            let m = Record::individual().rated(year, Good);
            c.member(if i < 7 { m.holds(AdvancedWorker, [year]) } else { m })
        })
    };
    let s = EmulationSettings::default();
    assert!(check_in(&book, &team(2025), &Nomination::new(AdvancedCollective, 2025), &s).is_eligible());
    let v = check_in(&book, &team(2026), &Nomination::new(AdvancedCollective, 2026), &s);
    assert_eq!(reasons(&v), vec![Reason::MemberShare { award: AdvancedWorker, percent: 80, has: 7, members: 10 }]);
}

#[test]
fn rule_sets_are_data_that_round_trip_through_json() {
    let book = RuleBook::default();
    let json = serde_json::to_string(&book).unwrap();
    let back: RuleBook = serde_json::from_str(&json).unwrap();
    assert_eq!(back, book);
    assert!(json.contains("\"consecutive\""));
}
