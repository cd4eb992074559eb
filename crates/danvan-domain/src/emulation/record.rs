//! The record the engine reads: what a person, a collective or a household achieved, year by
//! year, and what stands against them. The store builds it from its tables; tests build it with
//! the small builder below. A merged unit's record continues in its successor (`continue_record`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Award, DisciplineLevel, Rating, Reach, RecipientKind};

/// A span of days, both ends included; `to: None` is still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Period {
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Period {
        Period { from, to }
    }
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day <= t)
    }
    /// Days of this period that fall in `year`.
    pub fn days_in_year(&self, year: i32) -> i64 {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
            return 0;
        };
        let from = self.from.max(first);
        let to = self.to.unwrap_or(last).min(last);
        if to < from {
            0
        } else {
            (to - from).num_days() + 1
        }
    }
    pub fn touches_year(&self, year: i32) -> bool {
        self.days_in_year(year) > 0
    }
}

/// A title or form received, by year of achievement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub award: Award,
    pub year: i32,
}

/// An initiative (sáng kiến) and where it was recognised as effective; `used_for` is the award
/// it already served, since one achievement is commended once (Law 06/2022 Art. 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    pub name: String,
    pub year: i32,
    pub reach: Reach,
    pub used_for: Option<Award>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discipline {
    pub level: DisciplineLevel,
    pub period: Period,
}

str_enum!(
    /// Leave that takes a person away from work during the year.
    LeaveKind { Maternity = "maternity", Other = "other" }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leave {
    pub kind: LeaveKind,
    pub period: Period,
}

/// A person's, a collective's or a household's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub kind: RecipientKind,
    /// For the tie-break (R10): a woman, for an individual.
    pub woman: bool,
    pub ratings: BTreeMap<i32, Rating>,
    pub titles: Vec<Held>,
    pub initiatives: Vec<Initiative>,
    /// Years in which a research project (đề tài khoa học) of theirs was accepted and applied.
    pub research: BTreeSet<i32>,
    /// Years in which they registered for and took part in the emulation movement.
    pub emulation_years: BTreeSet<i32>,
    pub disciplines: Vec<Discipline>,
    /// Being considered for discipline, inspected or investigated for signs of a violation.
    pub investigations: Vec<Period>,
    pub leaves: Vec<Leave>,
    /// A collective's members in the year being judged (each with their own record).
    pub members: Vec<Record>,
    /// The collectives this one continues after a merger (sáp nhập) of units, as the store found
    /// them through the units' successors: the engine judges the record continued from theirs
    /// (`Record::continued`). Empty for a person, a household, or a collective never merged.
    #[serde(default)]
    pub predecessors: Vec<Predecessor>,
}

/// A collective of a dissolved unit whose record this one continues: its name when it was
/// dissolved, the day its unit ended, and its record (itself possibly continued).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Predecessor {
    pub name: String,
    pub dissolved_on: NaiveDate,
    pub record: Record,
}

impl Record {
    pub fn new(kind: RecipientKind) -> Record {
        Record {
            kind,
            woman: false,
            ratings: BTreeMap::new(),
            titles: Vec::new(),
            initiatives: Vec::new(),
            research: BTreeSet::new(),
            emulation_years: BTreeSet::new(),
            disciplines: Vec::new(),
            investigations: Vec::new(),
            leaves: Vec::new(),
            members: Vec::new(),
            predecessors: Vec::new(),
        }
    }
    pub fn individual() -> Record {
        Record::new(RecipientKind::Individual)
    }
    pub fn collective() -> Record {
        Record::new(RecipientKind::Collective)
    }
    pub fn household() -> Record {
        Record::new(RecipientKind::Household)
    }

    // Builder steps, so that a record reads as a sentence in tests and demo data.
    pub fn woman(mut self) -> Record {
        self.woman = true;
        self
    }
    /// Rated `rating` in `year`, and took part in that year's emulation movement.
    pub fn rated(mut self, year: i32, rating: Rating) -> Record {
        self.ratings.insert(year, rating);
        self.emulation_years.insert(year);
        self
    }
    pub fn rated_years(mut self, years: impl IntoIterator<Item = i32>, rating: Rating) -> Record {
        for y in years {
            self = self.rated(y, rating);
        }
        self
    }
    pub fn not_in_emulation(mut self, year: i32) -> Record {
        self.emulation_years.remove(&year);
        self
    }
    pub fn holds(mut self, award: Award, years: impl IntoIterator<Item = i32>) -> Record {
        self.titles.extend(years.into_iter().map(|year| Held { award, year }));
        self
    }
    pub fn initiative(mut self, name: &str, year: i32, reach: Reach, used_for: Option<Award>) -> Record {
        self.initiatives.push(Initiative { name: name.into(), year, reach, used_for });
        self
    }
    pub fn research_accepted(mut self, year: i32) -> Record {
        self.research.insert(year);
        self
    }
    pub fn disciplined(mut self, level: DisciplineLevel, from: NaiveDate, to: Option<NaiveDate>) -> Record {
        self.disciplines.push(Discipline { level, period: Period::new(from, to) });
        self
    }
    pub fn investigated(mut self, from: NaiveDate, to: Option<NaiveDate>) -> Record {
        self.investigations.push(Period::new(from, to));
        self
    }
    pub fn leave(mut self, kind: LeaveKind, from: NaiveDate, to: NaiveDate) -> Record {
        self.leaves.push(Leave { kind, period: Period::new(from, Some(to)) });
        self
    }
    pub fn member(mut self, member: Record) -> Record {
        self.members.push(member);
        self
    }
    /// Continues the record of `name`'s collective, whose unit was dissolved on `dissolved_on`.
    pub fn continues(mut self, name: &str, dissolved_on: NaiveDate, record: Record) -> Record {
        self.predecessors.push(Predecessor { name: name.into(), dissolved_on, record });
        self
    }

    /// The record the engine judges: this one continued from its predecessors' (each continued
    /// first from theirs), with only what a predecessor achieved up to the year its unit was
    /// dissolved (see `continue_record`). Without predecessors, the record itself.
    pub fn continued(&self) -> Record {
        let mut own = self.clone();
        own.predecessors.clear();
        if self.predecessors.is_empty() {
            return own;
        }
        let before: Vec<Record> = self.predecessors.iter().map(|p| p.record.continued().until(p.dissolved_on.year())).collect();
        continue_record(&own, &before)
    }

    /// Years this record takes from its predecessors when judged (`continued`), in order.
    pub fn years_from_predecessors(&self) -> Vec<i32> {
        let merged = self.continued();
        merged.ratings.keys().copied().filter(|y| !self.ratings.contains_key(y)).collect()
    }

    /// What was achieved up to the end of `last_year`: later ratings, titles, initiatives and
    /// research are left out (a dissolved unit's record stops with it).
    fn until(mut self, last_year: i32) -> Record {
        self.ratings.retain(|y, _| *y <= last_year);
        self.emulation_years.retain(|y| *y <= last_year);
        self.titles.retain(|h| h.year <= last_year);
        self.initiatives.retain(|i| i.year <= last_year);
        self.research.retain(|y| *y <= last_year);
        self
    }

    // What the engine asks.
    pub fn rating(&self, year: i32) -> Option<Rating> {
        self.ratings.get(&year).copied()
    }
    pub fn held(&self, award: Award, year: i32) -> bool {
        self.titles.iter().any(|h| h.award == award && h.year == year)
    }
    /// The worst discipline in force on some day of `year`.
    pub fn worst_discipline_in(&self, year: i32) -> Option<DisciplineLevel> {
        self.disciplines.iter().filter(|d| d.period.touches_year(year)).map(|d| d.level).max()
    }
    /// The first year whose achievements count (R10: achievements count from the end of a
    /// discipline): the year after the last year touched by a discipline that began in or
    /// before `year`. A running discipline counts nothing up to `year`.
    pub fn counting_from(&self, year: i32) -> Option<i32> {
        self.disciplines
            .iter()
            .filter(|d| d.period.from.year() <= year)
            .map(|d| d.period.to.map_or(year + 1, |t| t.year() + 1))
            .max()
    }
    /// Whether `year`'s achievements count when judging in `as_of` (see `counting_from`).
    pub fn year_counts(&self, year: i32, as_of: i32) -> bool {
        self.counting_from(as_of).is_none_or(|first| year >= first)
    }
    /// Days away from work in `year`, leaving out maternity leave, which counts as working time
    /// (R10).
    pub fn absent_days(&self, year: i32) -> i64 {
        self.leaves.iter().filter(|l| l.kind != LeaveKind::Maternity).map(|l| l.period.days_in_year(year)).sum()
    }
}

/// The record of a unit formed by a merger (sáp nhập), continued from its predecessors' (issue 11
/// item 9: history survives the 2025 reform). The successor's own entries win; for a year in
/// which it has none, the predecessors' count only where all of them agree, conservatively:
/// the year's rating is the lowest of theirs (none if one of them has none) and a title counts if
/// every predecessor held it. Initiatives, disciplines and investigations are carried over.
pub fn continue_record(successor: &Record, predecessors: &[Record]) -> Record {
    let mut merged = successor.clone();
    if predecessors.is_empty() {
        return merged;
    }
    let years: BTreeSet<i32> = predecessors.iter().flat_map(|p| p.ratings.keys().copied()).collect();
    for y in years {
        if merged.ratings.contains_key(&y) {
            continue;
        }
        let ratings: Option<Vec<Rating>> = predecessors.iter().map(|p| p.rating(y)).collect();
        if let Some(lowest) = ratings.and_then(|r| r.into_iter().min()) {
            merged.ratings.insert(y, lowest);
            if predecessors.iter().all(|p| p.emulation_years.contains(&y)) {
                merged.emulation_years.insert(y);
            }
        }
    }
    let first = &predecessors[0];
    for h in &first.titles {
        let own_year = successor.ratings.contains_key(&h.year) || successor.titles.iter().any(|t| t.year == h.year);
        if !own_year && predecessors.iter().all(|p| p.held(h.award, h.year)) && !merged.held(h.award, h.year) {
            merged.titles.push(*h);
        }
    }
    for p in predecessors {
        merged.initiatives.extend(p.initiatives.iter().cloned());
        merged.disciplines.extend(p.disciplines.iter().copied());
        merged.investigations.extend(p.investigations.iter().copied());
    }
    merged
}
