//! Consecutive years across a unit merger (issue 11 item 9) and across a disciplinary period:
//! each edge passing and failing. A collective formed by a merger is judged with the years of
//! the collectives of the units it succeeds (`Record::predecessors`, `Record::continued`), up
//! to the year each was dissolved.

use super::*;
use Award::*;
use Rating::*;

const OLD: &str = "Tập thể UBND quận Cũ";

/// The committee of a dissolved district: excellent in 2023 and `rating_2024` in 2024, Tập thể
/// lao động xuất sắc 2024 when excellent.
fn district(rating_2024: Rating) -> Record {
    let r = Record::collective().rated(2023, Excellent).rated(2024, rating_2024);
    if rating_2024 == Excellent {
        r.holds(ExcellentCollective, [2024])
    } else {
        r
    }
}

/// The ward formed on 1 July 2025, excellent in its first year.
fn ward() -> Record {
    Record::collective().rated(2025, Excellent)
}

#[test]
fn merger_the_predecessors_year_completes_the_streak() {
    let r = ward().continues(OLD, d(2025, 6, 30), district(Excellent));
    assert_eq!(r.years_from_predecessors(), vec![2023, 2024]);
    let v = judge(&r, ProvincialCommendation, 2025);
    let Verdict::Eligible { judged, .. } = &v else { panic!("{:?}", en(&v)) };
    assert_eq!(judged, &vec![PREDECESSORS_JUDGED.to_string()]);
    // The stored record is untouched: only the judged one is continued.
    assert_eq!(r.rating(2024), None);
    assert_eq!(r.continued().rating(2024), Some(Excellent));
}

#[test]
fn merger_a_weaker_predecessor_year_breaks_the_streak() {
    let r = ward().continues(OLD, d(2025, 6, 30), district(Good));
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(en(&v), vec!["needs 2 consecutive years rated excellent or better: has 2025; missing 2024"]);
    assert_eq!(rules_of(&v), vec![RuleId::R7]);
}

#[test]
fn merger_without_its_predecessors_the_new_unit_starts_afresh() {
    let v = judge(&ward(), ProvincialCommendation, 2025);
    assert_eq!(vi(&v), vec!["cần 2 năm liên tục xếp loại hoàn thành xuất sắc nhiệm vụ trở lên: có 2025; thiếu 2024"]);
}

#[test]
fn merger_a_predecessor_counts_only_up_to_the_year_it_was_dissolved() {
    // Dissolved at the end of 2024: its 2024 counts.
    let r = ward().continues(OLD, d(2024, 12, 31), district(Excellent));
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
    // Dissolved at the end of 2023: a 2024 entry written on it afterwards is not its own, and a
    // gap year (2024) between the old unit and the new breaks the streak.
    let r = ward().continues(OLD, d(2023, 12, 31), district(Excellent));
    assert_eq!(r.years_from_predecessors(), vec![2023]);
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(en(&v), vec!["needs 2 consecutive years rated excellent or better: has 2025; missing 2024"]);
}

#[test]
fn merger_the_successors_own_year_wins_over_its_predecessors() {
    let r = ward().rated(2024, Good).continues(OLD, d(2025, 6, 30), district(Excellent));
    assert_eq!(r.years_from_predecessors(), vec![2023]);
    let v = judge(&r, ProvincialCommendation, 2025);
    assert!(!v.is_eligible());
}

#[test]
fn merger_a_chain_of_mergers_reads_back_to_the_first_unit() {
    let first = Record::collective().rated(2022, Excellent).rated(2023, Excellent);
    let middle = Record::collective().rated(2024, Excellent).continues("Tập thể phường Đầu", d(2023, 12, 31), first);
    let r = ward().continues(OLD, d(2025, 6, 30), middle);
    assert_eq!(r.years_from_predecessors(), vec![2022, 2023, 2024]);
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
}

#[test]
fn merger_two_predecessors_count_a_year_only_if_both_earned_it() {
    let r = ward().continues(OLD, d(2025, 6, 30), district(Excellent)).continues(
        "Tập thể phường Lân",
        d(2025, 6, 30),
        district(Good),
    );
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(en(&v), vec!["needs 2 consecutive years rated excellent or better: has 2025; missing 2024"]);
    let r = ward().continues(OLD, d(2025, 6, 30), district(Excellent)).continues(
        "Tập thể phường Lân",
        d(2025, 6, 30),
        district(Excellent),
    );
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
}

#[test]
fn merger_a_predecessors_discipline_restarts_the_count_in_the_successor() {
    // Disciplined from March to September 2024: 2024 does not count, so 2025 stands alone.
    let punished = district(Excellent).disciplined(DisciplineLevel::Warning, d(2024, 3, 1), Some(d(2024, 9, 30)));
    let r = ward().continues(OLD, d(2025, 6, 30), punished);
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(
        en(&v),
        vec![
            "needs 2 consecutive years rated excellent or better: has 2025; missing none; not counted (before the \
              end of a discipline) 2024"
        ]
    );
    assert_eq!(v.unmet()[0].reason.key(), "emulation.unmet.consecutive_ratings_reset");
    // A discipline over by the end of 2023 leaves 2024 and 2025 standing.
    let cleared = district(Excellent).disciplined(DisciplineLevel::Warning, d(2023, 3, 1), Some(d(2023, 12, 31)));
    let r = ward().continues(OLD, d(2025, 6, 30), cleared);
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
}

/// Chiến sĩ thi đua cơ sở 2023–2026 with a province-wide initiative in 2025, disciplined until
/// `until`: R4 needs 3 consecutive years counted after the discipline.
fn fighter_until(until: NaiveDate) -> Record {
    Record::individual()
        .rated_years(2023..=2026, Excellent)
        .holds(GrassrootsEmulationFighter, 2023..=2026)
        .initiative("Một cửa liên thông", 2025, Reach::Province, None)
        .disciplined(DisciplineLevel::Reprimand, d(2023, 6, 1), Some(until))
}

#[test]
fn discipline_ending_on_31_december_lets_the_next_year_count() {
    let r = fighter_until(d(2023, 12, 31));
    assert_eq!(r.counting_from(2026), Some(2024));
    assert_eligible(&judge(&r, ProvincialEmulationFighter, 2026));
}

#[test]
fn discipline_ending_on_1_january_voids_that_whole_year() {
    let r = fighter_until(d(2024, 1, 1));
    assert_eq!(r.counting_from(2026), Some(2025));
    let v = judge(&r, ProvincialEmulationFighter, 2026);
    assert_eq!(
        en(&v),
        vec![
            "needs 3 consecutive years of Grassroots Emulation Fighter: has 2025, 2026; missing none; not counted \
              (before the end of a discipline) 2024"
        ]
    );
    // One more year and the streak is whole again.
    let later = r.rated(2027, Excellent).holds(GrassrootsEmulationFighter, [2027]);
    assert_eligible(&judge(&later, ProvincialEmulationFighter, 2027));
}

#[test]
fn a_person_has_no_predecessors_and_is_judged_on_their_own_record() {
    let r = fighter_until(d(2023, 12, 31));
    assert_eq!(r.continued(), r);
    assert!(r.years_from_predecessors().is_empty());
}
