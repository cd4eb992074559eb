//! R8, R9 (collectives), R12 (households, who may receive what) and the merger of units.

use super::*;
use Award::*;
use Rating::*;

/// A collective of ten rated `rating` in 2025, `advanced` of whose members are Lao động tiên tiến
/// (the first one also Chiến sĩ thi đua cơ sở when `fighter`).
fn team(rating: Rating, advanced: usize, fighter: bool) -> Record {
    let mut c = Record::collective().rated(2025, rating);
    for i in 0..10 {
        let mut m = Record::individual().rated(2025, if i < advanced { Good } else { Complete });
        if i < advanced {
            m = m.holds(AdvancedWorker, [2025]);
        }
        if i == 0 && fighter {
            m = m.holds(GrassrootsEmulationFighter, [2025]);
        }
        if i % 2 == 0 {
            m = m.woman();
        }
        c = c.member(m);
    }
    c
}

#[test]
fn r8_seventy_percent_advanced_workers() {
    assert_eligible(&judge(&team(Good, 7, false), AdvancedCollective, 2025));
    let v = judge(&team(Good, 6, false), AdvancedCollective, 2025);
    assert_eq!(rules_of(&v), vec![RuleId::R8]);
    assert_eq!(vi(&v), vec!["cần ít nhất 70% thành viên đạt Lao động tiên tiến: có 6/10"]);
    assert_eq!(en(&v), vec!["needs at least 70% of members with Advanced Worker: has 6 of 10"]);
}

#[test]
fn r8_a_member_warned_blocks_a_reprimand_does_not() {
    let mut c = team(Good, 8, false);
    c.members[9] = c.members[9].clone().disciplined(DisciplineLevel::Reprimand, d(2025, 2, 1), Some(d(2025, 8, 1)));
    assert_eligible(&judge(&c, AdvancedCollective, 2025));
    c.members[8] = c.members[8].clone().disciplined(DisciplineLevel::Warning, d(2024, 9, 1), Some(d(2025, 3, 1)));
    let v = judge(&c, AdvancedCollective, 2025);
    assert_eq!(en(&v), vec!["needs no member disciplined at warning or above in 2025: has 1"]);
}

#[test]
fn r8_the_collective_itself_must_be_rated_good() {
    let v = judge(&team(Complete, 9, false), AdvancedCollective, 2025);
    assert_eq!(reasons(&v), vec![Reason::Rating { year: 2025, needed: Good, has: Some(Complete) }]);
}

#[test]
fn r9_excellent_collective() {
    assert_eligible(&judge(&team(Excellent, 7, true), ExcellentCollective, 2025));
    let v = judge(&team(Good, 7, false), ExcellentCollective, 2025);
    assert_eq!(
        en(&v),
        vec![
            "needs a rating of excellent or better in 2025: has good",
            "needs at least one member with Grassroots Emulation Fighter in 2025",
        ]
    );
}

#[test]
fn r9_a_warned_member_does_not_block_an_excellent_collective() {
    // Art. 27(1) of the 2022 Law has no clause on disciplined members (R8 keeps its own).
    let mut c = team(Excellent, 8, true);
    c.members[9] = c.members[9].clone().disciplined(DisciplineLevel::Warning, d(2024, 9, 1), Some(d(2025, 3, 1)));
    assert_eligible(&judge(&c, ExcellentCollective, 2025));
    let v = judge(&c, AdvancedCollective, 2025);
    assert_eq!(rules_of(&v), vec![RuleId::R8]);
}

#[test]
fn r9_every_member_completes_their_tasks() {
    let mut c = team(Excellent, 8, true);
    c.members[9].ratings.insert(2025, Incomplete);
    c.members[8].ratings.clear();
    let v = judge(&c, ExcellentCollective, 2025);
    assert_eq!(vi(&v), vec!["cần 100% thành viên xếp loại hoàn thành nhiệm vụ trở lên năm 2025: 2 người chưa đạt"]);
}

#[test]
fn r12_households_receive_forms_not_titles() {
    let household = Record::household();
    let v = judge(&household, AdvancedWorker, 2025);
    assert_eq!(rules_of(&v), vec![RuleId::R12]);
    assert_eq!(vi(&v), vec!["Lao động tiên tiến không xét tặng cho hộ gia đình"]);
    let v = judge(&household, CertificateOfMerit, 2025);
    let Verdict::Eligible { judged, .. } = &v else { panic!("{:?}", en(&v)) };
    assert_eq!(judged, &vec!["emulation.judged.achievement".to_string()]);
    let v = judge(&household, ProvincialCommendation, 2025);
    let Verdict::Eligible { judged, .. } = &v else { panic!("{:?}", en(&v)) };
    assert_eq!(judged, &vec!["emulation.judged.household_contribution".to_string()]);
}

#[test]
fn r12_collectives_and_individuals_keep_to_their_titles_and_the_badge_is_gone() {
    let v = judge(&team(Excellent, 10, true), GrassrootsEmulationFighter, 2025);
    assert_eq!(en(&v), vec!["Grassroots Emulation Fighter is not given to a collective"]);
    let v = judge(&Record::individual().rated(2025, Excellent), ExcellentCollective, 2025);
    assert_eq!(reasons(&v), vec![Reason::RecipientNotAllowed { award: ExcellentCollective, kind: RecipientKind::Individual }]);
    assert_eq!(Award::parse("badge"), None);
    assert_eq!(Award::parse("certificate_of_merit"), Some(CertificateOfMerit));
}

// Mergers: a collective's record continues in its successor.

fn ward(rating_2024: Rating) -> Record {
    Record::collective().rated(2023, Excellent).rated(2024, rating_2024).holds(ExcellentCollective, [2024])
}

#[test]
fn merger_consecutive_years_continue_in_the_successor() {
    let successor = Record::collective().rated(2025, Excellent);
    let merged = continue_record(&successor, &[ward(Excellent), ward(Excellent)]);
    assert_eq!(merged.rating(2024), Some(Excellent));
    assert!(merged.held(ExcellentCollective, 2024));
    assert_eligible(&judge(&merged, ProvincialCommendation, 2025));
    // Without the predecessors the new ward has one year only.
    let v = judge(&successor, ProvincialCommendation, 2025);
    assert_eq!(en(&v), vec!["needs 2 consecutive years rated excellent or better: has 2025; missing 2024"]);
}

#[test]
fn merger_counts_a_predecessors_year_only_when_all_of_them_earned_it() {
    let successor = Record::collective().rated(2025, Excellent);
    let mut b = ward(Good);
    b.titles.clear();
    let merged = continue_record(&successor, &[ward(Excellent), b]);
    assert_eq!(merged.rating(2024), Some(Good));
    assert_eq!(merged.rating(2023), Some(Excellent));
    assert!(!merged.held(ExcellentCollective, 2024));
    let v = judge(&merged, ProvincialCommendation, 2025);
    assert_eq!(vi(&v), vec!["cần 2 năm liên tục xếp loại hoàn thành xuất sắc nhiệm vụ trở lên: có 2025; thiếu 2024"]);
}

#[test]
fn merger_keeps_the_successors_own_years() {
    let successor = Record::collective().rated(2024, Complete);
    let merged = continue_record(&successor, &[ward(Excellent)]);
    assert_eq!(merged.rating(2024), Some(Complete));
    assert!(!merged.held(ExcellentCollective, 2024));
}
