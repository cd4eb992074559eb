//! The engine: judges one record for one award and year against a rule set, and answers
//! "eligible" or the exact list of unmet conditions, each with its rule and legal basis.

use chrono::NaiveDate;

use super::{Award, Condition, EmulationSettings, Reason, Record, RuleBook, RuleId, RuleSet, Unmet, Verdict};

/// What is judged: an award for a year's achievements, on a day (the day of the council's
/// review; by default 31 December of the year). Disciplines and investigations are looked at on
/// that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nomination {
    pub award: Award,
    pub year: i32,
    pub on: NaiveDate,
}

impl Nomination {
    pub fn new(award: Award, year: i32) -> Nomination {
        let on = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN);
        Nomination { award, year, on }
    }
    pub fn on(mut self, day: NaiveDate) -> Nomination {
        self.on = day;
        self
    }
}

/// How deep "holds it or meets its rule" may recurse (CSTĐ toàn quốc → cấp tỉnh → cơ sở → LĐTT).
const MAX_DEPTH: u8 = 5;

/// Judges `record` for `nomination` with the rules of `rules`.
///
/// A collective formed by a merger is judged on its record continued from its predecessors'
/// (`Record::continued`); when it is eligible thanks to years it took from them, the council is
/// told to look at those years on the predecessors' files (`emulation.judged.predecessors`).
pub fn check(rules: &RuleSet, record: &Record, nomination: &Nomination, settings: &EmulationSettings) -> Verdict {
    if record.predecessors.is_empty() {
        return check_at(rules, record, nomination, settings, 0);
    }
    let continued = record.continued();
    let mut verdict = check_at(rules, &continued, nomination, settings, 0);
    if let Verdict::Eligible { judged, .. } = &mut verdict {
        if !record.years_from_predecessors().is_empty() {
            judged.push(PREDECESSORS_JUDGED.to_string());
        }
    }
    verdict
}

/// The council's note on a verdict that counted years of a merged unit's predecessors.
pub const PREDECESSORS_JUDGED: &str = "emulation.judged.predecessors";

/// Judges with the rule set in force for the nomination's year (`RuleBook::for_year`).
pub fn check_in(book: &RuleBook, record: &Record, nomination: &Nomination, settings: &EmulationSettings) -> Verdict {
    match book.for_year(nomination.year) {
        Some(rules) => check(rules, record, nomination, settings),
        None => Verdict::Ineligible(vec![Unmet {
            rule: RuleId::Other,
            basis: Vec::new(),
            reason: Reason::NoRuleSet { year: nomination.year },
        }]),
    }
}

fn check_at(rules: &RuleSet, record: &Record, n: &Nomination, settings: &EmulationSettings, depth: u8) -> Verdict {
    if !rules.covers(n.award) {
        return Verdict::Ineligible(vec![Unmet {
            rule: RuleId::Other,
            basis: Vec::new(),
            reason: Reason::NoRuleSet { year: n.year },
        }]);
    }
    let mut ctx = Ctx { rules, record, n, settings, depth, judged: Vec::new() };
    let mut unmet = Vec::new();
    let mut basis = Vec::new();
    for rule in rules.rules_for(n.award) {
        let reasons = ctx.eval(&rule.condition);
        let refused = rule.id == RuleId::R12 && !reasons.is_empty();
        unmet.extend(reasons.into_iter().map(|reason| Unmet { rule: rule.id, basis: rule.basis.clone(), reason }));
        // A recipient who may not receive the award at all is told only that.
        if refused {
            return Verdict::Ineligible(unmet);
        }
        basis.push((rule.id, rule.basis.clone()));
    }
    if unmet.is_empty() {
        Verdict::Eligible { basis, judged: ctx.judged }
    } else {
        Verdict::Ineligible(unmet)
    }
}

struct Ctx<'a> {
    rules: &'a RuleSet,
    record: &'a Record,
    n: &'a Nomination,
    settings: &'a EmulationSettings,
    depth: u8,
    judged: Vec<String>,
}

impl Ctx<'_> {
    fn eval(&mut self, c: &Condition) -> Vec<Reason> {
        let (r, year) = (self.record, self.n.year);
        let fail = |reason| vec![reason];
        match c {
            Condition::All(cs) => cs.iter().flat_map(|c| self.eval(c)).collect(),
            Condition::Any(cs) => {
                let mut alternatives = Vec::new();
                for c in cs {
                    let reasons = self.eval(c);
                    if reasons.is_empty() {
                        return Vec::new();
                    }
                    alternatives.push(reasons);
                }
                fail(Reason::AnyOf(alternatives))
            }
            Condition::ByKind(branches) => match branches.iter().find(|(k, _)| *k == r.kind) {
                Some((_, c)) => self.eval(c),
                None => Vec::new(),
            },
            Condition::RecipientAllowed if self.n.award.recipients().contains(&r.kind) => Vec::new(),
            Condition::RecipientAllowed => fail(Reason::RecipientNotAllowed { award: self.n.award, kind: r.kind }),
            Condition::RatingAtLeast(needed) => match r.rating(year) {
                Some(has) if has >= *needed => Vec::new(),
                has => fail(Reason::Rating { year, needed: *needed, has }),
            },
            Condition::ActiveInEmulation if r.emulation_years.contains(&year) => Vec::new(),
            Condition::ActiveInEmulation => fail(Reason::NotActive { year }),
            Condition::AbsenceWithinLimit => match self.settings.max_absence_days {
                Some(max) if r.absent_days(year) > max => fail(Reason::Absent { year, days: r.absent_days(year), max }),
                _ => Vec::new(),
            },
            Condition::TitleInYear(award) if self.holds_or_meets(*award, year) => Vec::new(),
            Condition::TitleInYear(award) => fail(Reason::TitleInYear { award: *award, year }),
            Condition::Consecutive { award, times, every } => {
                let every = (*every).max(1);
                let span = (*times).saturating_sub(1) as i32 * every as i32;
                let years: Vec<i32> = (0..*times).map(|i| year - span + (i * every) as i32).collect();
                let (has, missing, not_counted) = self.split(&years, |s, y| s.holds_or_meets(*award, y));
                if has.len() as u32 >= *times {
                    Vec::new()
                } else {
                    fail(Reason::Consecutive { award: *award, times: *times, every, has, missing, not_counted })
                }
            }
            Condition::ConsecutiveRatings { rating, years: n } => {
                let years: Vec<i32> = window(year, *n).collect();
                let (has, missing, not_counted) = self.split(&years, |s, y| s.record.rating(y) >= Some(*rating));
                if has.len() as u32 >= *n {
                    Vec::new()
                } else {
                    fail(Reason::ConsecutiveRatings { rating: *rating, years: *n, has, missing, not_counted })
                }
            }
            Condition::CountInWindow { award, count, window: w } => {
                let years: Vec<i32> = window(year, *w).collect();
                let (has, _, _) = self.split(&years, |s, y| s.holds_or_meets(*award, y));
                if has.len() as u32 >= *count {
                    Vec::new()
                } else {
                    let from = year - *w as i32 + 1;
                    fail(Reason::CountInWindow { award: *award, count: *count, from, to: year, has })
                }
            }
            Condition::HeldBeforeWindow { award, window: w } => {
                let latest = year - *w as i32;
                if r.titles.iter().any(|h| h.award == *award && h.year <= latest) {
                    Vec::new()
                } else {
                    fail(Reason::HeldBefore { award: *award, latest })
                }
            }
            Condition::Initiatives { reach, count, window: w, unused } => {
                let from = year - *w as i32 + 1;
                let has = r
                    .initiatives
                    .iter()
                    .filter(|i| i.reach >= *reach && (from..=year).contains(&i.year))
                    .filter(|i| !*unused || i.used_for.is_none())
                    .filter(|i| r.year_counts(i.year, year))
                    .count() as u32;
                if has >= *count {
                    Vec::new()
                } else {
                    fail(Reason::Initiatives { reach: *reach, count: *count, from, to: year, unused: *unused, has })
                }
            }
            Condition::ResearchAccepted if r.research.contains(&year) => Vec::new(),
            Condition::ResearchAccepted => fail(Reason::Research { year }),
            Condition::MemberShare { award, percent } => {
                let members = r.members.len() as u32;
                let has = r.members.iter().filter(|m| m.held(*award, year)).count() as u32;
                // Integers only: has / members ≥ percent / 100.
                if members > 0 && u64::from(has) * 100 >= u64::from(*percent) * u64::from(members) {
                    Vec::new()
                } else {
                    fail(Reason::MemberShare { award: *award, percent: *percent, has, members })
                }
            }
            Condition::AllMembersRatingAtLeast(rating) => {
                let count = r.members.iter().filter(|m| m.rating(year) < Some(*rating)).count() as u32;
                if count == 0 {
                    Vec::new()
                } else {
                    fail(Reason::MembersBelowRating { rating: *rating, year, count })
                }
            }
            Condition::AnyMemberHolds(award) if r.members.iter().any(|m| m.held(*award, year)) => Vec::new(),
            Condition::AnyMemberHolds(award) => fail(Reason::NoMemberHolds { award: *award, year }),
            Condition::NoMemberDisciplinedAtOrAbove(level) => {
                let count = r.members.iter().filter(|m| m.worst_discipline_in(year) >= Some(*level)).count() as u32;
                if count == 0 {
                    Vec::new()
                } else {
                    fail(Reason::MembersDisciplined { level: *level, year, count })
                }
            }
            Condition::NotDisciplined(level) => {
                if let Some(d) = r.disciplines.iter().find(|d| d.period.contains(self.n.on)) {
                    fail(Reason::Disciplined { level: d.level, until: d.period.to })
                } else if let Some(l) = r.worst_discipline_in(year).filter(|l| l >= level) {
                    fail(Reason::DisciplinedInYear { level: l, year })
                } else {
                    Vec::new()
                }
            }
            Condition::NotUnderInvestigation => match r.investigations.iter().find(|p| p.contains(self.n.on)) {
                Some(p) => fail(Reason::UnderInvestigation { since: p.from }),
                None => Vec::new(),
            },
            Condition::Judged(key) => {
                if !self.judged.contains(key) {
                    self.judged.push(key.clone());
                }
                Vec::new()
            }
        }
    }

    /// Holds `award` for `y`, or, for the nomination's own year, meets its rule (the titles of one
    /// year are decided together, so this year's Lao động tiên tiến need not be on record yet).
    fn holds_or_meets(&self, award: Award, y: i32) -> bool {
        if self.record.held(award, y) {
            return true;
        }
        if y != self.n.year || self.depth >= MAX_DEPTH || award == self.n.award {
            return false;
        }
        let sub = Nomination { award, year: y, on: self.n.on };
        check_at(self.rules, self.record, &sub, self.settings, self.depth + 1).is_eligible()
    }

    /// Splits `years` into those that meet `test` and count, those that do not meet it, and those
    /// that meet it but do not count (before the end of a discipline, R10).
    fn split(&self, years: &[i32], test: impl Fn(&Self, i32) -> bool) -> (Vec<i32>, Vec<i32>, Vec<i32>) {
        let (mut has, mut missing, mut not_counted) = (Vec::new(), Vec::new(), Vec::new());
        for &y in years {
            if !test(self, y) {
                missing.push(y);
            } else if self.record.year_counts(y, self.n.year) {
                has.push(y);
            } else {
                not_counted.push(y);
            }
        }
        (has, missing, not_counted)
    }
}

/// The `n` years ending with `year`, oldest first.
fn window(year: i32, n: u32) -> impl Iterator<Item = i32> {
    (0..n as i32).map(move |i| year - n as i32 + 1 + i)
}
