//! The periods a unit's public figures offer (the last twelve months, this year, a past year).
//! The figures themselves are the indicator catalogue's (`crate::indicators`), by month of
//! receipt.

use chrono::{Datelike, Months, NaiveDate};

/// The period the figures cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The twelve months up to and including this one (the default).
    Last12Months,
    ThisYear,
    Year(i32),
}

impl Period {
    /// `""`/`"12m"`, `"year"` or a year from 2000 to this one; `None` for anything else.
    pub fn parse(s: &str, today: NaiveDate) -> Option<Period> {
        match s.trim() {
            "" | "12m" => Some(Period::Last12Months),
            "year" => Some(Period::ThisYear),
            y => match y.parse::<i32>() {
                Ok(y) if (2000..=today.year()).contains(&y) => Some(Period::Year(y)),
                _ => None,
            },
        }
    }

    /// The value the period selector sends back.
    pub fn key(self) -> String {
        match self {
            Period::Last12Months => "12m".into(),
            Period::ThisYear => "year".into(),
            Period::Year(y) => y.to_string(),
        }
    }

    /// The first and last day covered (inclusive); a period ends today at the latest.
    pub fn bounds(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).expect("1 January exists");
        let dec31 = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).expect("31 December exists");
        match self {
            Period::Last12Months => {
                let first_of_month = today.with_day(1).expect("day 1 exists");
                (first_of_month.checked_sub_months(Months::new(11)).unwrap_or(first_of_month), today)
            }
            Period::ThisYear => (jan1(today.year()), today),
            Period::Year(y) => (jan1(y), dec31(y).min(today)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_parse_and_bound() {
        let today = d(2026, 12, 7);
        assert_eq!(Period::parse("", today), Some(Period::Last12Months));
        assert_eq!(Period::parse("year", today), Some(Period::ThisYear));
        assert_eq!(Period::parse("2025", today), Some(Period::Year(2025)));
        assert_eq!(Period::parse("2027", today), None, "not yet");
        assert_eq!(Period::parse("1999", today), None);
        assert_eq!(Period::parse("x", today), None);
        assert_eq!(Period::Last12Months.bounds(today), (d(2026, 1, 1), today));
        assert_eq!(Period::Last12Months.bounds(d(2026, 3, 15)), (d(2025, 4, 1), d(2026, 3, 15)));
        assert_eq!(Period::ThisYear.bounds(today), (d(2026, 1, 1), today));
        assert_eq!(Period::Year(2025).bounds(today), (d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(Period::Year(2025).key(), "2025");
    }
}
