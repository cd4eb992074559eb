//! Rules R1–R12 of RULES.md §6 as data: a `Condition` tree per award, each rule with its legal
//! basis, gathered in rule sets that carry the date they take effect, so that a nomination is
//! judged by the set in force for its year (`RuleBook::for_year`).
//!
//! Two sets: from 1 January 2024 (Law 06/2022/QH15 with Decree 98/2023/NĐ-CP) and from 1 July
//! 2025 (the same Law with Decree 152/2025/NĐ-CP, which replaced Decree 98/2023 and mostly
//! reassigns competences after the 2025 reform). The criteria the engine checks come from the
//! Law's articles, which Decree 152/2025 did not change; the sets differ in the decree they cite.
//! Article numbers of the Law are given; the decrees are cited whole.
//!
//! Where the rules come from (checked in December 2026 against quotations of the Law's text and of
//! the decrees; "[unconfirmed]" marks what no quotation of the current text was found for):
//! - Law Art. 2 (households are recipients: R12); Art. 9 lists the forms of commendation and no
//!   longer has "Huy hiệu";
//! - Art. 24(1) Lao động tiên tiến: "a) Hoàn thành tốt nhiệm vụ trở lên; b) Có tinh thần tự lực, tự
//!   cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua" (R1);
//! - Art. 23 Chiến sĩ thi đua cơ sở: the Lao động tiên tiến standard and "Hoàn thành xuất sắc
//!   nhiệm vụ hoặc có sáng kiến được cơ sở công nhận hoặc có đề tài khoa học, đề án khoa học, công
//!   trình khoa học và công nghệ đã được nghiệm thu…" — an excellent rating suffices (R2);
//! - Art. 22(1): "03 lần liên tục được tặng danh hiệu 'Chiến sĩ thi đua cơ sở'" and an initiative
//!   (or research) effective in the ministry/province (R4); Art. 21(1): "02 lần liên tục được tặng
//!   danh hiệu chiến sĩ thi đua Bộ, ban, ngành, tỉnh" and a nationally effective one (R5);
//! - Art. 73(1)(b) Bằng khen of the Prime Minister: provincial Bằng khen, then "liên tục từ 05 năm
//!   trở lên … hoàn thành tốt nhiệm vụ trở lên, trong thời gian đó có 03 lần được tặng danh hiệu
//!   'Chiến sĩ thi đua cơ sở'" (R6, one of the article's alternatives (a)–(c));
//! - Art. 74(1)(d) Bằng khen of a ministry/province: "02 lần liên tục … 'Chiến sĩ thi đua cơ sở'
//!   hoặc có liên tục từ 02 năm trở lên được công nhận hoàn thành xuất sắc nhiệm vụ, trong thời
//!   gian đó có 02 sáng kiến … hoặc có 02 đề tài khoa học…" (R7); Art. 75 Giấy khen;
//! - Art. 27(1) Tập thể lao động xuất sắc: excellent, "100% cá nhân … hoàn thành nhiệm vụ …, ít
//!   nhất là 70% … 'Lao động tiên tiến'", "Có cá nhân đạt danh hiệu 'Chiến sĩ thi đua cơ sở'" —
//!   the 2022 text has no discipline clause (the 2003 Law had one) (R9);
//! - Art. 5(2) principles ("không khen thưởng nhiều lần, nhiều hình thức cho một thành tích"), which
//!   is why R7's initiatives must be unused; Decree 98/2023 Art. 4: no commendation "trong thời gian
//!   cơ quan có thẩm quyền đang xem xét thi hành kỷ luật hoặc điều tra, thanh tra, kiểm tra…" and
//!   counting from the end of a discipline (R10) [unconfirmed: the article of Decree 152/2025];
//! - [unconfirmed] Art. 28 Tập thể lao động tiên tiến in the 2022 wording: R8 keeps RULES.md's
//!   70 % and warning-level clause, but the 2003 Law's Art. 28 said "trên 50%"; to check;
//! - [unconfirmed] R6 for a collective (five excellent years after the provincial Bằng khen);
//! - Giấy khen, the emulation flags and households' contributions are judged by the council on
//!   the file (`Condition::Judged`): the engine checks only the principles and the recipient.
//!
//! The 40-working-day absence bar for Lao động tiên tiến (Decree 65/2014 Art. 5(6)) was dropped by
//! Decree 91/2017 and is not in Decree 98/2023 or Circular 01/2024/TT-BNV as found: it is a
//! setting, off by default (`EmulationSettings::max_absence_days`).
//!
//! To check next: a draft law amending 47 articles of Law 06/2022 was reported in 2025 (among them
//! Art. 23, making an initiative necessary for Chiến sĩ thi đua cơ sở), and a consolidated text
//! 115/VBHN-VPQH is cited elsewhere; if it passed, a third rule set is needed from its date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Award, DisciplineLevel, Instrument, LegalBasis, Rating, Reach, RecipientKind};

/// One condition of a rule. Years are relative to the nomination's year: a window of `n` years
/// ends with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every condition holds; the unmet ones are all reported.
    All(Vec<Condition>),
    /// At least one holds; otherwise the alternatives are reported together.
    Any(Vec<Condition>),
    /// The branch for the recipient's kind; a kind without a branch is left to R12.
    ByKind(Vec<(RecipientKind, Condition)>),
    /// R12: the award is one this kind of recipient may receive.
    RecipientAllowed,
    /// Rated at least `rating` in the year.
    RatingAtLeast(Rating),
    /// Registered for and took part in the year's emulation movement.
    ActiveInEmulation,
    /// At most `EmulationSettings::max_absence_days` away from work (maternity leave excluded);
    /// always met when the setting is off (the default: no current text sets such a bar).
    AbsenceWithinLimit,
    /// Holds `award` for the year, or meets its rule in the same set (titles of one year are
    /// decided together).
    TitleInYear(Award),
    /// `times` consecutive awards of `award`, one every `every` years, the last in the year.
    Consecutive { award: Award, times: u32, every: u32 },
    /// `years` consecutive years rated at least `rating`, the last being the year.
    ConsecutiveRatings { rating: Rating, years: u32 },
    /// `award` held at least `count` times in the `window` years ending with the year.
    CountInWindow { award: Award, count: u32, window: u32 },
    /// `award` held in a year before the `window` years ending with the year.
    HeldBeforeWindow { award: Award, window: u32 },
    /// `count` initiatives of at least `reach` recognised in the `window` years ending with the
    /// year (`unused`: not already used for another award).
    Initiatives { reach: Reach, count: u32, window: u32, unused: bool },
    /// A research project (đề tài, đề án, công trình khoa học) accepted (nghiệm thu) in the year.
    ResearchAccepted,
    /// At least `percent` % of the members hold `award` for the year.
    MemberShare { award: Award, percent: u32 },
    /// Every member rated at least `rating` for the year.
    AllMembersRatingAtLeast(Rating),
    /// At least one member holds `award` for the year.
    AnyMemberHolds(Award),
    /// No member disciplined at `level` or above during the year.
    NoMemberDisciplinedAtOrAbove(DisciplineLevel),
    /// R10: not under a discipline in force on the day of judgement, nor disciplined at `level`
    /// or above during the year (achievements count from the end of a discipline).
    NotDisciplined(DisciplineLevel),
    /// R10: no investigation open on the day of judgement.
    NotUnderInvestigation,
    /// A criterion the law leaves to the council's judgement (e.g. "leading its emulation
    /// cluster"); never unmet, listed beside an eligible verdict as a message key.
    Judged(String),
}

str_enum!(
    /// The rules of RULES.md §6.
    RuleId {
        R1 = "R1", R2 = "R2", R3 = "R3", R4 = "R4", R5 = "R5", R6 = "R6",
        R7 = "R7", R8 = "R8", R9 = "R9", R10 = "R10", R11 = "R11", R12 = "R12",
        /// Awards outside R1–R12 (Giấy khen, the flags): the principles and what the council judges.
        Other = "other",
    }
);

/// One rule: the awards it applies to (empty: every award), its condition and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: RuleId,
    pub awards: Vec<Award>,
    pub condition: Condition,
    pub basis: Vec<LegalBasis>,
}

impl Rule {
    pub fn applies_to(&self, award: Award) -> bool {
        self.awards.is_empty() || self.awards.contains(&award)
    }
}

/// The rules in force from `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub name: String,
    pub effective_from: NaiveDate,
    pub decree: Instrument,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules that judge `award`, principles first.
    pub fn rules_for(&self, award: Award) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.applies_to(award))
    }
    pub fn covers(&self, award: Award) -> bool {
        self.rules.iter().any(|r| !r.awards.is_empty() && r.awards.contains(&award))
    }

    /// The set of Law 06/2022/QH15 with its implementing `decree`, in force from `from`.
    pub fn law_2022(name: &str, from: NaiveDate, decree: Instrument) -> RuleSet {
        use Award::*;
        use Condition::*;
        use RecipientKind::*;
        let d = LegalBasis::decree(decree);
        let law = LegalBasis::law;
        let law_clause = LegalBasis::law_clause;
        let rule =
            |id, awards: &[Award], condition, basis: Vec<LegalBasis>| Rule { id, awards: awards.to_vec(), condition, basis };
        let rules = vec![
            // R12: who may receive what; households may be commended since Law 06/2022 (Art. 2).
            rule(RuleId::R12, &[], RecipientAllowed, vec![law(2)]),
            // R10: no commendation while disciplined or under investigation; a disciplined year
            // does not count (for Lao động tiên tiến: reprimand or above). Law Art. 5 (principles)
            // and the decree (Decree 98/2023 Art. 4).
            rule(RuleId::R10, &[], All(vec![NotDisciplined(DisciplineLevel::Reprimand), NotUnderInvestigation]), vec![law(5), d]),
            // R1 (Art. 24(1)): rated good or better, takes part in emulation; an absence bar only
            // when a locality sets one (maternity leave is working time).
            rule(
                RuleId::R1,
                &[AdvancedWorker],
                All(vec![RatingAtLeast(Rating::Good), ActiveInEmulation, AbsenceWithinLimit]),
                vec![law_clause(24, 1), d],
            ),
            // R2 (Art. 23): Lao động tiên tiến that year, and "hoàn thành xuất sắc nhiệm vụ" (an
            // excellent rating), a recognised initiative or an accepted research project.
            rule(
                RuleId::R2,
                &[GrassrootsEmulationFighter],
                All(vec![
                    TitleInYear(AdvancedWorker),
                    Any(vec![
                        RatingAtLeast(Rating::Excellent),
                        Initiatives { reach: Reach::Unit, count: 1, window: 1, unused: false },
                        ResearchAccepted,
                    ]),
                ]),
                vec![law(23), d],
            ),
            // R4 (Art. 22(1)): three consecutive Chiến sĩ thi đua cơ sở, and an initiative effective
            // province-wide (the article also accepts research of that reach; the window of three
            // years is the engine's reading).
            rule(
                RuleId::R4,
                &[ProvincialEmulationFighter],
                All(vec![
                    Consecutive { award: GrassrootsEmulationFighter, times: 3, every: 1 },
                    Initiatives { reach: Reach::Province, count: 1, window: 3, unused: false },
                ]),
                vec![law_clause(22, 1), d],
            ),
            // R5 (Art. 21(1)): two consecutive Chiến sĩ thi đua cấp tỉnh (each after three years of
            // Chiến sĩ thi đua cơ sở, so three years apart — the engine's reading of "liên tục"),
            // and a nationally effective initiative.
            rule(
                RuleId::R5,
                &[NationalEmulationFighter],
                All(vec![
                    Consecutive { award: ProvincialEmulationFighter, times: 2, every: 3 },
                    Initiatives { reach: Reach::National, count: 1, window: 6, unused: false },
                ]),
                vec![law_clause(21, 1), d],
            ),
            // R6 (Art. 73(1)(b) for individuals): a provincial Bằng khen, then five consecutive years
            // rated good or better with three Chiến sĩ thi đua cơ sở among them. Points (a) and (c)
            // (outstanding or special achievements) are other routes the council weighs.
            rule(
                RuleId::R6,
                &[PrimeMinisterCommendation],
                ByKind(vec![
                    (
                        Individual,
                        All(vec![
                            HeldBeforeWindow { award: ProvincialCommendation, window: 5 },
                            ConsecutiveRatings { rating: Rating::Good, years: 5 },
                            CountInWindow { award: GrassrootsEmulationFighter, count: 3, window: 5 },
                        ]),
                    ),
                    (
                        // A collective: the provincial Bằng khen, then five consecutive excellent years.
                        Collective,
                        All(vec![
                            HeldBeforeWindow { award: ProvincialCommendation, window: 5 },
                            ConsecutiveRatings { rating: Rating::Excellent, years: 5 },
                        ]),
                    ),
                    (Household, Judged("emulation.judged.household_contribution".into())),
                ]),
                vec![law(73), d],
            ),
            // R7 (Art. 74(1)(d) for individuals): two consecutive Chiến sĩ thi đua cơ sở or two
            // consecutive excellent years, and two initiatives of the period not used for another
            // award (Art. 5(2)); a collective: two consecutive excellent years [unconfirmed].
            rule(
                RuleId::R7,
                &[ProvincialCommendation],
                ByKind(vec![
                    (
                        Individual,
                        All(vec![
                            Any(vec![
                                Consecutive { award: GrassrootsEmulationFighter, times: 2, every: 1 },
                                ConsecutiveRatings { rating: Rating::Excellent, years: 2 },
                            ]),
                            Initiatives { reach: Reach::Unit, count: 2, window: 2, unused: true },
                        ]),
                    ),
                    (Collective, ConsecutiveRatings { rating: Rating::Excellent, years: 2 }),
                    (Household, Judged("emulation.judged.household_contribution".into())),
                ]),
                vec![law(74), d],
            ),
            // R8 (Art. 28, as RULES.md states it [unconfirmed]): the collective rated good or better,
            // ≥ 70 % of members Lao động tiên tiến, nobody disciplined at warning level or above.
            rule(
                RuleId::R8,
                &[AdvancedCollective],
                All(vec![
                    RatingAtLeast(Rating::Good),
                    MemberShare { award: AdvancedWorker, percent: 70 },
                    NoMemberDisciplinedAtOrAbove(DisciplineLevel::Warning),
                ]),
                vec![law(28), d],
            ),
            // R9 (Art. 27(1)): rated excellent, every member completes their tasks, ≥ 70 % Lao động
            // tiên tiến, at least one Chiến sĩ thi đua cơ sở. The 2022 text has no clause on
            // disciplined members (RULES.md's came from the 2003 Law).
            rule(
                RuleId::R9,
                &[ExcellentCollective],
                All(vec![
                    RatingAtLeast(Rating::Excellent),
                    AllMembersRatingAtLeast(Rating::Complete),
                    MemberShare { award: AdvancedWorker, percent: 70 },
                    AnyMemberHolds(GrassrootsEmulationFighter),
                ]),
                vec![law_clause(27, 1), d],
            ),
            // Outside R1–R12: what the council judges on the file.
            rule(RuleId::Other, &[CertificateOfMerit], Judged("emulation.judged.achievement".into()), vec![law(75), d]),
            rule(
                RuleId::Other,
                &[ProvincialEmulationFlag],
                All(vec![TitleInYear(ExcellentCollective), Judged("emulation.judged.cluster_lead".into())]),
                vec![law(26), d],
            ),
            rule(
                RuleId::Other,
                &[GovernmentEmulationFlag],
                All(vec![TitleInYear(ExcellentCollective), Judged("emulation.judged.cluster_lead".into())]),
                vec![law(25), d],
            ),
        ];
        RuleSet { name: name.into(), effective_from: from, decree, rules }
    }
}

/// Every rule set, each with its effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    pub sets: Vec<RuleSet>,
}

impl Default for RuleBook {
    fn default() -> Self {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
        RuleBook {
            sets: vec![
                RuleSet::law_2022("law_06_2022_decree_98_2023", ymd(2024, 1, 1), Instrument::Decree98of2023),
                RuleSet::law_2022("law_06_2022_decree_152_2025", ymd(2025, 7, 1), Instrument::Decree152of2025),
            ],
        }
    }
}

impl RuleBook {
    /// The set in force on `day`: the latest that took effect on or before it.
    pub fn in_force_on(&self, day: NaiveDate) -> Option<&RuleSet> {
        self.sets.iter().filter(|s| s.effective_from <= day).max_by_key(|s| s.effective_from)
    }
    /// The set that judges a year's achievements: the one in force at the year's end, when the
    /// year is reviewed (31 December).
    pub fn for_year(&self, year: i32) -> Option<&RuleSet> {
        NaiveDate::from_ymd_opt(year, 12, 31).and_then(|d| self.in_force_on(d))
    }
}
