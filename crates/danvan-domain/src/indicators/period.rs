//! The periods dashboards and review reports cover: whole months, read from the monthly counts.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A calendar month, ordered in time; stored as yyyymm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    pub year: i32,
    /// 1–12
    pub month: u32,
}

impl YearMonth {
    /// The first and last years a period may name: the units' history and a report's horizon.
    pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

    pub fn of(d: NaiveDate) -> YearMonth {
        YearMonth { year: d.year(), month: d.month() }
    }

    /// A month as yyyymm (the stored key); none outside [`Self::YEARS`].
    pub fn from_key(k: i32) -> Option<YearMonth> {
        let ym = YearMonth { year: k / 100, month: (k % 100) as u32 };
        ym.valid().then_some(ym)
    }

    pub fn key(self) -> i32 {
        self.year * 100 + self.month as i32
    }

    fn valid(self) -> bool {
        Self::YEARS.contains(&self.year) && (1..=12).contains(&self.month)
    }

    /// "2026-03" as forms and addresses write a month; none when absurd.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        let ym = YearMonth { year: y.parse().ok()?, month: m.parse().ok()? };
        ym.valid().then_some(ym)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1).first_day().pred_opt().expect("a valid month")
    }

    /// This month moved by `n` months (negative: back).
    pub fn plus(self, n: i32) -> YearMonth {
        let i = self.year * 12 + self.month as i32 - 1 + n;
        YearMonth { year: i.div_euclid(12), month: (i.rem_euclid(12) + 1) as u32 }
    }

    /// Months from `self` to `to`, both included (0 when `to` is earlier).
    pub fn months_to(self, to: YearMonth) -> i32 {
        (to.year * 12 + to.month as i32) - (self.year * 12 + self.month as i32) + 1
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Whole months from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthRange {
    pub from: YearMonth,
    pub to: YearMonth,
}

/// Why a range was refused (the field error's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// Not a month ("yyyy-mm", 1990–2100).
    NotAMonth,
    /// `to` before `from`.
    Reversed,
    /// Over [`MonthRange::MAX_MONTHS`].
    TooLong,
}

impl MonthRange {
    /// The longest range shown or reported: 20 years (a 10-year review and its previous decade).
    pub const MAX_MONTHS: i32 = 240;

    pub fn new(from: YearMonth, to: YearMonth) -> Result<MonthRange, RangeError> {
        let n = from.months_to(to);
        if n < 1 {
            return Err(RangeError::Reversed);
        }
        if n > Self::MAX_MONTHS {
            return Err(RangeError::TooLong);
        }
        Ok(MonthRange { from, to })
    }

    /// The range two form fields name ("2026-01", "2026-12"); an empty field takes the default's.
    /// Refused: each field that is not a month, else the range itself (on `to`).
    pub fn parse(from: &str, to: &str, default: MonthRange) -> Result<MonthRange, Vec<(&'static str, RangeError)>> {
        let read = |s: &str, d: YearMonth| match s.trim() {
            "" => Some(d),
            s => YearMonth::parse(s),
        };
        match (read(from, default.from), read(to, default.to)) {
            (Some(f), Some(t)) => MonthRange::new(f, t).map_err(|e| vec![("to", e)]),
            (f, t) => Err([("from", f), ("to", t)]
                .into_iter()
                .filter(|(_, m)| m.is_none())
                .map(|(field, _)| (field, RangeError::NotAMonth))
                .collect()),
        }
    }

    /// This year's months up to and including today's.
    pub fn year_to_date(today: NaiveDate) -> MonthRange {
        MonthRange { from: YearMonth { year: today.year(), month: 1 }, to: YearMonth::of(today) }
    }

    pub fn months(self) -> i32 {
        self.from.months_to(self.to)
    }

    pub fn iter(self) -> impl Iterator<Item = YearMonth> {
        (0..self.months()).map(move |i| self.from.plus(i))
    }

    /// The same number of months just before.
    pub fn previous(self) -> MonthRange {
        let n = self.months();
        MonthRange { from: self.from.plus(-n), to: self.from.plus(-1) }
    }

    /// The same months a year earlier.
    pub fn year_before(self) -> MonthRange {
        MonthRange { from: self.from.plus(-12), to: self.to.plus(-12) }
    }

    pub fn first_day(self) -> NaiveDate {
        self.from.first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.to.last_day()
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        self.first_day() <= d && d <= self.last_day()
    }

    /// The whole months `[from, to]` covers exactly, when it does (a movement's period may not).
    pub fn exactly(from: NaiveDate, to: NaiveDate) -> Option<MonthRange> {
        let r = MonthRange::new(YearMonth::of(from), YearMonth::of(to)).ok()?;
        (r.first_day() == from && r.last_day() == to).then_some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth { year: y, month: m }
    }

    #[test]
    fn months_move_across_years() {
        assert_eq!(ym(2026, 1).plus(-1), ym(2025, 12));
        assert_eq!(ym(2025, 12).plus(1), ym(2026, 1));
        assert_eq!(ym(2026, 3).plus(-27), ym(2023, 12));
        assert_eq!(ym(2024, 2).last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(ym(2026, 12).last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(ym(2024, 1).months_to(ym(2026, 12)), 36);
        assert_eq!(YearMonth::from_key(202603), Some(ym(2026, 3)));
        assert_eq!(YearMonth::from_key(202613), None);
    }

    #[test]
    fn a_range_is_parsed_and_bounded() {
        let d = MonthRange::new(ym(2026, 1), ym(2026, 12)).unwrap();
        assert_eq!(MonthRange::parse("2024-01", "2026-12", d).unwrap().months(), 36);
        assert_eq!(MonthRange::parse("", "", d), Ok(d));
        assert_eq!(MonthRange::parse("2026-13", "", d), Err(vec![("from", RangeError::NotAMonth)]));
        assert_eq!(MonthRange::parse("0001-01", "", d), Err(vec![("from", RangeError::NotAMonth)]));
        assert_eq!(MonthRange::parse("", "99999-01", d), Err(vec![("to", RangeError::NotAMonth)]));
        assert_eq!(
            MonthRange::parse("2026-13", "x", d),
            Err(vec![("from", RangeError::NotAMonth), ("to", RangeError::NotAMonth)]),
            "both fields named"
        );
        assert_eq!(MonthRange::parse("2026-05", "2026-04", d), Err(vec![("to", RangeError::Reversed)]));
        assert_eq!(MonthRange::parse("1990-01", "2026-01", d), Err(vec![("to", RangeError::TooLong)]));
        assert_eq!(MonthRange::parse(" 2026-3 ", "2026-03", d).unwrap().months(), 1);
    }

    #[test]
    fn previous_and_year_before() {
        let r = MonthRange::new(ym(2026, 1), ym(2026, 3)).unwrap();
        assert_eq!(r.previous(), MonthRange::new(ym(2025, 10), ym(2025, 12)).unwrap());
        assert_eq!(r.year_before(), MonthRange::new(ym(2025, 1), ym(2025, 3)).unwrap());
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(MonthRange::exactly(d(1, 1), d(3, 31)), Some(r));
        assert_eq!(MonthRange::exactly(d(1, 2), d(3, 31)), None);
        assert_eq!(MonthRange::exactly(d(1, 1), d(3, 30)), None);
        assert!(r.contains(d(3, 31)) && !r.contains(d(4, 1)));
        assert_eq!(MonthRange::year_to_date(d(12, 7)), MonthRange::new(ym(2026, 1), ym(2026, 12)).unwrap());
    }
}
