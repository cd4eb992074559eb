//! R1, R2, R4, R5, R6, R7: the individual titles and forms.

use super::*;
use Award::*;
use Rating::*;

// R1 Lao động tiên tiến

#[test]
fn r1_good_rating_and_active_is_eligible_with_its_basis() {
    let v = judge(&Record::individual().rated(2024, Good), AdvancedWorker, 2024);
    let Verdict::Eligible { basis, judged } = &v else { panic!("{:?}", en(&v)) };
    assert!(judged.is_empty());
    let r1 = basis.iter().find(|(id, _)| *id == RuleId::R1).unwrap();
    assert_eq!(r1.1[0], LegalBasis::law_clause(24, 1));
    assert_eq!(r1.1[0].render_vi(), "khoản 1 Điều 24 Luật Thi đua, khen thưởng số 06/2022/QH15");
    assert_eq!(r1.1[0].render_en(), "Art. 24(1), Law on Emulation and Commendation No. 06/2022/QH15");
    assert_eq!(r1.1[1], LegalBasis::decree(Instrument::Decree98of2023));
}

#[test]
fn r1_complete_rating_is_not_enough() {
    let v = judge(&Record::individual().rated(2024, Complete), AdvancedWorker, 2024);
    assert_eq!(rules_of(&v), vec![RuleId::R1]);
    assert_eq!(vi(&v), vec!["cần xếp loại hoàn thành tốt nhiệm vụ trở lên năm 2024: đang là hoàn thành nhiệm vụ"]);
    assert_eq!(en(&v), vec!["needs a rating of good or better in 2024: has complete"]);
}

#[test]
fn r1_unrated_and_not_in_emulation() {
    let v = judge(&Record::individual().rated(2023, Good), AdvancedWorker, 2024);
    assert_eq!(
        en(&v),
        vec!["needs a rating of good or better in 2024: has not rated", "needs to take part in the emulation movement in 2024",]
    );
    let v = judge(&Record::individual().rated(2024, Excellent).not_in_emulation(2024), AdvancedWorker, 2024);
    assert_eq!(reasons(&v), vec![Reason::NotActive { year: 2024 }]);
}

#[test]
fn r1_no_absence_bar_by_default() {
    // The 40-working-day bar of Decree 65/2014 was dropped in 2017; no current text sets one.
    assert_eq!(EmulationSettings::default().max_absence_days, None);
    let on_leave = Record::individual().rated(2024, Good).leave(LeaveKind::Other, d(2024, 3, 1), d(2024, 8, 31));
    assert_eligible(&judge(&on_leave, AdvancedWorker, 2024));
}

#[test]
fn r1_maternity_leave_counts_as_working_time_other_leave_does_not() {
    // A locality that sets a bar of 40 days.
    let s = EmulationSettings { max_absence_days: Some(40), ..EmulationSettings::default() };
    let judge = |r: &Record| check_in(&RuleBook::default(), r, &Nomination::new(AdvancedWorker, 2024), &s);
    let on_maternity = Record::individual().woman().rated(2024, Good).leave(LeaveKind::Maternity, d(2024, 3, 1), d(2024, 8, 31));
    assert_eligible(&judge(&on_maternity));
    let on_leave = Record::individual().rated(2024, Good).leave(LeaveKind::Other, d(2024, 3, 1), d(2024, 8, 31));
    let v = judge(&on_leave);
    assert_eq!(reasons(&v), vec![Reason::Absent { year: 2024, days: 184, max: 40 }]);
    assert_eq!(vi(&v), vec!["nghỉ 184 ngày trong năm 2024, tối đa 40 ngày (nghỉ thai sản được tính là thời gian công tác)"]);
    // Forty days exactly are allowed.
    let forty = Record::individual().rated(2024, Good).leave(LeaveKind::Other, d(2024, 12, 22), d(2025, 1, 30));
    assert_eq!(forty.absent_days(2024), 10);
    assert_eligible(&judge(&forty));
}

// R2 Chiến sĩ thi đua cơ sở

#[test]
fn r2_excellent_rating_initiative_or_research_each_suffice() {
    assert_eligible(&judge(&Record::individual().rated(2025, Excellent), GrassrootsEmulationFighter, 2025));
    let initiative = Record::individual().rated(2025, Good).initiative("Sổ tay dân vận", 2025, Reach::Unit, None);
    assert_eligible(&judge(&initiative, GrassrootsEmulationFighter, 2025));
    let research = Record::individual().rated(2025, Good).research_accepted(2025);
    assert_eligible(&judge(&research, GrassrootsEmulationFighter, 2025));
}

#[test]
fn r2_good_rating_alone_lists_the_three_alternatives() {
    let v = judge(
        &Record::individual().rated(2025, Good).initiative("cũ", 2024, Reach::Unit, None),
        GrassrootsEmulationFighter,
        2025,
    );
    assert_eq!(rules_of(&v), vec![RuleId::R2]);
    assert_eq!(
        en(&v),
        vec![
            "needs one of: needs a rating of excellent or better in 2025: has good; or needs 1 initiative(s) of unit \
             reach recognised in 2025: has 0; or needs a research project accepted and applied in 2025"
        ]
    );
}

#[test]
fn r2_needs_lao_dong_tien_tien_of_the_year() {
    let v = judge(&Record::individual().rated(2025, Complete).research_accepted(2025), GrassrootsEmulationFighter, 2025);
    assert_eq!(vi(&v)[0], "cần đạt Lao động tiên tiến năm 2025");
    // The research project meets R2's alternative: the missing title is the only unmet condition.
    assert_eq!(v.unmet().len(), 1);
}

// R4 Chiến sĩ thi đua cấp tỉnh

fn fighter_2025_2026() -> Record {
    Record::individual()
        .rated_years(2024..=2026, Excellent)
        .holds(AdvancedWorker, [2025])
        .holds(GrassrootsEmulationFighter, [2025])
        .initiative("Tổ dân phố không rác", 2025, Reach::Province, None)
}

#[test]
fn r4_two_of_three_years_reads_as_the_issue_says() {
    // 2024 was rated excellent but the title was never given; 2026 is judged now.
    let v = judge(&fighter_2025_2026(), ProvincialEmulationFighter, 2026);
    assert_eq!(rules_of(&v), vec![RuleId::R4]);
    assert_eq!(vi(&v), vec!["cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở: có 2025, 2026; thiếu 2024"]);
    assert_eq!(en(&v), vec!["needs 3 consecutive years of Grassroots Emulation Fighter: has 2025, 2026; missing 2024"]);
    assert_eq!(v.unmet()[0].basis[0].render_en(), "Art. 22(1), Law on Emulation and Commendation No. 06/2022/QH15");
}

#[test]
fn r4_three_consecutive_years_and_a_province_wide_initiative() {
    let r = fighter_2025_2026().holds(GrassrootsEmulationFighter, [2024]);
    assert_eligible(&judge(&r, ProvincialEmulationFighter, 2026));
}

#[test]
fn r4_a_unit_initiative_is_not_province_wide() {
    let mut r = fighter_2025_2026().holds(GrassrootsEmulationFighter, [2024]);
    r.initiatives[0].reach = Reach::Unit;
    let v = judge(&r, ProvincialEmulationFighter, 2026);
    assert_eq!(en(&v), vec!["needs 1 initiative(s) of province-wide reach recognised in 2024–2026: has 0"]);
}

// R5 Chiến sĩ thi đua toàn quốc

#[test]
fn r5_two_consecutive_provincial_fighters_three_years_apart() {
    let r = Record::individual().rated(2026, Excellent).holds(ProvincialEmulationFighter, [2023, 2026]).initiative(
        "Dân vận khéo số",
        2025,
        Reach::National,
        None,
    );
    assert_eligible(&judge(&r, NationalEmulationFighter, 2026));

    let gap = Record::individual().rated(2026, Excellent).holds(ProvincialEmulationFighter, [2022, 2026]).initiative(
        "Dân vận khéo số",
        2025,
        Reach::Province,
        None,
    );
    let v = judge(&gap, NationalEmulationFighter, 2026);
    assert_eq!(
        vi(&v),
        vec![
            "cần 2 lần liên tục đạt Chiến sĩ thi đua cấp tỉnh (cách nhau 3 năm): có 2026; thiếu 2023",
            "cần 1 sáng kiến phạm vi toàn quốc được công nhận trong giai đoạn 2021–2026: có 0",
        ]
    );
}

// R6 Bằng khen của Thủ tướng Chính phủ

#[test]
fn r6_provincial_commendation_then_five_good_years_with_three_grassroots_fighters() {
    let r = Record::individual()
        .holds(ProvincialCommendation, [2020])
        .rated_years(2021..=2025, Good)
        .holds(GrassrootsEmulationFighter, [2021, 2023, 2025]);
    assert_eligible(&judge(&r, PrimeMinisterCommendation, 2025));
}

#[test]
fn r6_too_recent_commendation_and_too_few_fighters() {
    let r = Record::individual()
        .holds(ProvincialCommendation, [2022])
        .rated_years(2021..=2025, Good)
        .rated(2023, Complete)
        .holds(GrassrootsEmulationFighter, [2021, 2025]);
    let v = judge(&r, PrimeMinisterCommendation, 2025);
    assert_eq!(rules_of(&v), vec![RuleId::R6, RuleId::R6, RuleId::R6]);
    assert_eq!(
        en(&v),
        vec![
            "needs Provincial Certificate of Commendation received in 2020 or earlier",
            "needs 5 consecutive years rated good or better: has 2021, 2022, 2024, 2025; missing 2023",
            "needs 3 times Grassroots Emulation Fighter in 2021–2025: has 2021, 2025",
        ]
    );
}

// R7 Bằng khen cấp tỉnh

#[test]
fn r7_two_grassroots_fighters_and_two_unused_initiatives() {
    let r = Record::individual()
        .rated_years(2024..=2025, Good)
        .holds(GrassrootsEmulationFighter, [2024, 2025])
        .initiative("A", 2024, Reach::Unit, None)
        .initiative("B", 2025, Reach::Unit, None);
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
}

#[test]
fn r7_two_excellent_years_are_the_other_way() {
    let r = Record::individual().rated_years(2024..=2025, Excellent).initiative("A", 2024, Reach::Unit, None).initiative(
        "B",
        2025,
        Reach::Province,
        None,
    );
    assert_eligible(&judge(&r, ProvincialCommendation, 2025));
}

#[test]
fn r7_an_initiative_already_used_does_not_count_again() {
    let r = Record::individual()
        .rated_years(2024..=2025, Good)
        .holds(GrassrootsEmulationFighter, [2024, 2025])
        .initiative("A", 2024, Reach::Unit, Some(GrassrootsEmulationFighter))
        .initiative("B", 2025, Reach::Unit, None);
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(en(&v), vec!["needs 2 initiative(s) of unit reach recognised in 2024–2025, not used for another award: has 1"]);
}

#[test]
fn r7_neither_way_lists_both() {
    let r = Record::individual()
        .rated_years(2024..=2025, Good)
        .holds(GrassrootsEmulationFighter, [2025])
        .initiative("A", 2024, Reach::Unit, None)
        .initiative("B", 2025, Reach::Unit, None);
    let v = judge(&r, ProvincialCommendation, 2025);
    assert_eq!(
        vi(&v),
        vec![
            "cần một trong các điều kiện: cần 2 năm liên tục đạt Chiến sĩ thi đua cơ sở: có 2025; thiếu 2024; hoặc \
             cần 2 năm liên tục xếp loại hoàn thành xuất sắc nhiệm vụ trở lên: có (không); thiếu 2024, 2025"
        ]
    );
}
