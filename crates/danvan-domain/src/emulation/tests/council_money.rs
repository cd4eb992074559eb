//! R3 (share cap), R11 (council votes), cash amounts and the message catalogue.

use super::*;

#[test]
fn r3_share_cap_is_off_by_default_and_counts_in_integers_when_on() {
    let mut s = EmulationSettings::default();
    assert_eq!(grassroots_cap(20, 20, &s), None);
    s.grassroots_cap_percent = Some(15);
    assert_eq!(grassroots_cap(3, 20, &s), None);
    let over = grassroots_cap(4, 20, &s).unwrap();
    assert_eq!(over, Reason::ShareCap { percent: 15, proposed: 4, advanced: 20, max: 3 });
    assert_eq!(over.render(Lang::Vi), "số Chiến sĩ thi đua cơ sở không quá 15% số Lao động tiên tiến: đề nghị 4/20, tối đa 3");
    // 15 % of 19 is 2.85: at most 2.
    assert_eq!(
        grassroots_cap(3, 19, &s).map(|r| r.render(Lang::En)).unwrap(),
        "Grassroots Emulation Fighters may be at most 15% of Advanced Workers: 3 proposed of 19, at most 2"
    );
}

fn ballot(members: u32, in_favour: u32, written_in_favour: u32, against: u32) -> Ballot {
    Ballot { members, in_favour, written_in_favour, against, ..Ballot::default() }
}

#[test]
fn r11_provincial_fighter_needs_ninety_percent_of_all_members_absent_ones_in_writing() {
    let s = EmulationSettings::default();
    let passed = count_votes(Award::ProvincialEmulationFighter, &ballot(15, 12, 2, 1), &s).unwrap();
    assert!(passed.passed);
    assert_eq!((passed.votes_for, passed.required, passed.base, passed.not_voted), (14, 14, 15, 0));
    let failed = count_votes(Award::ProvincialEmulationFighter, &ballot(15, 13, 0, 0), &s).unwrap();
    assert!(!failed.passed);
    assert_eq!((failed.votes_for, failed.required, failed.not_voted), (13, 14, 2));
    let national = count_votes(Award::NationalEmulationFighter, &ballot(10, 9, 0, 1), &s).unwrap();
    assert!(national.passed);
    assert_eq!(national.required, 9);
}

#[test]
fn r11_lower_titles_need_a_simple_majority_of_all_members() {
    let s = EmulationSettings::default();
    let passed = count_votes(Award::AdvancedWorker, &ballot(15, 6, 2, 7), &s).unwrap();
    assert!(passed.passed);
    assert_eq!(passed.required, 8);
    let failed = count_votes(Award::ProvincialCommendation, &ballot(15, 7, 0, 0), &s).unwrap();
    assert!(!failed.passed);
    // Exactly half is not a majority.
    let half = count_votes(Award::CertificateOfMerit, &ballot(10, 5, 0, 5), &s).unwrap();
    assert!(!half.passed);
    assert_eq!(half.required, 6);
}

#[test]
fn r11_thresholds_are_settings() {
    let mut s = EmulationSettings::default();
    s.council_high.percent = 80;
    assert!(count_votes(Award::ProvincialEmulationFighter, &ballot(10, 8, 0, 2), &s).unwrap().passed);
    s.council_other = Threshold { percent: 50, strictly_more: true, base: VoteBase::VotesCast };
    // 4 for, 3 against, 3 did not vote: a majority of the votes cast.
    assert!(count_votes(Award::AdvancedWorker, &ballot(10, 4, 0, 3), &s).unwrap().passed);
}

#[test]
fn r11_a_ballot_with_more_votes_than_members_is_refused() {
    let s = EmulationSettings::default();
    let err = count_votes(Award::AdvancedWorker, &ballot(9, 8, 1, 1), &s).unwrap_err();
    assert_eq!(err.get("votes"), Some("emulation.council.error.more_votes_than_members"));
    let err = count_votes(Award::AdvancedWorker, &ballot(0, 0, 0, 0), &s).unwrap_err();
    assert_eq!(err.get("members"), Some("emulation.council.error.no_members"));
}

#[test]
fn money_is_coefficient_times_base_salary_rounded_up_to_ten_thousand_dong() {
    let s = EmulationSettings::default();
    assert_eq!(cash_award(Award::NationalEmulationFighter, &s), Some(10_530_000));
    assert_eq!(cash_award(Award::ProvincialEmulationFighter, &s), Some(7_020_000));
    assert_eq!(cash_award(Award::GrassrootsEmulationFighter, &s), Some(2_340_000));
    // 0.3 × 2,340,000 = 702,000 → 710,000.
    assert_eq!(cash_award(Award::AdvancedWorker, &s), Some(710_000));
    assert_eq!(cash_award(Award::CertificateOfMerit, &s), Some(710_000));
    assert_eq!(cash_award(Award::GovernmentEmulationFlag, &s), Some(28_080_000));
    assert_eq!(cash_award(Award::ProvincialEmulationFlag, &s), Some(18_720_000));
    assert_eq!(cash_award(Award::ExcellentCollective, &s), Some(3_510_000));
    // 0.8 × 2,340,000 = 1,872,000 → 1,880,000.
    assert_eq!(cash_award(Award::AdvancedCollective, &s), Some(1_880_000));
    assert_eq!(cash_award(Award::PrimeMinisterCommendation, &s), Some(8_190_000));
    // Decree 152/2025 Art. 54(1)(b): 1.5 × 2,340,000.
    assert_eq!(cash_award(Award::ProvincialCommendation, &s), Some(3_510_000));
}

#[test]
fn money_settings_change_base_rounding_and_coefficients() {
    let mut s = EmulationSettings::default();
    s.rounding.unit = 1;
    assert_eq!(cash_award(Award::AdvancedWorker, &s), Some(702_000));
    s.base_salary = 1_234_567;
    // 0.3 × 1,234,567 = 370,370.1 → 370,371 (up to the đồng).
    assert_eq!(cash_award(Award::AdvancedWorker, &s), Some(370_371));
    s.coefficients.remove(&Award::AdvancedWorker);
    assert_eq!(cash_award(Award::AdvancedWorker, &s), None);
    assert_eq!(cash_amount(1000, i64::MAX, 1), None);
    assert_eq!(cash_amount(1000, -1, 1), None);
}

#[test]
fn every_message_key_has_both_languages_and_every_placeholder_is_filled() {
    for (key, vi, en) in MESSAGES {
        assert!(key.starts_with("emulation."), "{key}");
        assert!(!vi.is_empty() && !en.is_empty(), "{key}");
        assert_eq!(vi.matches('{').count(), en.matches('{').count(), "{key}");
    }
    let samples = vec![
        Reason::NoRuleSet { year: 2023 },
        Reason::RecipientNotAllowed { award: Award::AdvancedWorker, kind: RecipientKind::Household },
        Reason::Rating { year: 2025, needed: Rating::Good, has: None },
        Reason::NotActive { year: 2025 },
        Reason::Absent { year: 2025, days: 41, max: 40 },
        Reason::TitleInYear { award: Award::AdvancedWorker, year: 2025 },
        Reason::Consecutive {
            award: Award::AdvancedWorker,
            times: 3,
            every: 1,
            has: vec![],
            missing: vec![2025],
            not_counted: vec![],
        },
        Reason::Consecutive {
            award: Award::AdvancedWorker,
            times: 3,
            every: 1,
            has: vec![],
            missing: vec![],
            not_counted: vec![2025],
        },
        Reason::Consecutive {
            award: Award::AdvancedWorker,
            times: 2,
            every: 3,
            has: vec![],
            missing: vec![2022],
            not_counted: vec![],
        },
        Reason::Consecutive {
            award: Award::AdvancedWorker,
            times: 2,
            every: 3,
            has: vec![],
            missing: vec![],
            not_counted: vec![2022],
        },
        Reason::ConsecutiveRatings { rating: Rating::Good, years: 5, has: vec![], missing: vec![2025], not_counted: vec![] },
        Reason::ConsecutiveRatings { rating: Rating::Good, years: 5, has: vec![], missing: vec![], not_counted: vec![2025] },
        Reason::CountInWindow { award: Award::AdvancedWorker, count: 3, from: 2021, to: 2025, has: vec![] },
        Reason::HeldBefore { award: Award::AdvancedWorker, latest: 2020 },
        Reason::Initiatives { reach: Reach::Unit, count: 1, from: 2025, to: 2025, unused: false, has: 0 },
        Reason::Initiatives { reach: Reach::Unit, count: 1, from: 2025, to: 2025, unused: true, has: 0 },
        Reason::Research { year: 2025 },
        Reason::MemberShare { award: Award::AdvancedWorker, percent: 70, has: 1, members: 2 },
        Reason::MembersBelowRating { rating: Rating::Complete, year: 2025, count: 1 },
        Reason::NoMemberHolds { award: Award::AdvancedWorker, year: 2025 },
        Reason::MembersDisciplined { level: DisciplineLevel::Warning, year: 2025, count: 1 },
        Reason::Disciplined { level: DisciplineLevel::Warning, until: None },
        Reason::DisciplinedInYear { level: DisciplineLevel::Warning, year: 2025 },
        Reason::UnderInvestigation { since: d(2025, 1, 1) },
        Reason::AnyOf(vec![vec![Reason::Research { year: 2025 }]]),
        Reason::ShareCap { percent: 15, proposed: 4, advanced: 20, max: 3 },
    ];
    for r in samples {
        for lang in [Lang::Vi, Lang::En] {
            let s = r.render(lang);
            assert!(!s.contains('{') && s != "?", "{} → {s}", r.key());
        }
        assert!(MESSAGES.iter().any(|(k, _, _)| *k == r.key()), "{}", r.key());
    }
}

/// The web's catalogues carry the engine's sentences word for word (the architecture test
/// requires every key written in the sources to be in both; this keeps the texts the same).
#[test]
fn the_web_catalogues_carry_the_same_sentences() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../danvan-web/locales");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let (vi, en) = (read("vi.txt"), read("en.txt"));
    for (key, v, e) in MESSAGES {
        assert!(vi.lines().any(|l| l == format!("{key} = {v}")), "vi.txt: {key}");
        assert!(en.lines().any(|l| l == format!("{key} = {e}")), "en.txt: {key}");
    }
    for key in ["emulation.council.error.no_members", "emulation.council.error.more_votes_than_members"] {
        assert!(vi.lines().chain(en.lines()).filter(|l| l.starts_with(&format!("{key} = "))).count() == 2, "{key}");
    }
    assert_eq!(MESSAGES.len(), 30);
}
