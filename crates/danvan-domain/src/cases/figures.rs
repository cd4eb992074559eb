//! A unit's public figures over a period: cases received and answered per month, the share
//! answered on time, satisfaction. Pure counting; the store gives the rows, the pages draw them.

use chrono::{Datelike, Months, NaiveDate};

/// One case as the figures see it (days in Viet Nam).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRow {
    pub received_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub rating: Option<i64>,
}

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

/// One month of the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    /// Received this month.
    pub received: i64,
    /// Answered this month (whenever received).
    pub answered: i64,
    /// Of those answered this month, answered by their due date.
    pub on_time: i64,
}

impl Month {
    /// The share answered on time, in percent (rounded down); `None` with no answer.
    pub fn on_time_pct(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.on_time * 100 / self.answered)
    }
}

/// The figures of a period: one entry per month, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    pub months: Vec<Month>,
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub rating_sum: i64,
    pub ratings: i64,
}

impl Figures {
    pub fn on_time_pct(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.on_time * 100 / self.answered)
    }
    /// Mean satisfaction (1–5) of the cases answered in the period that were rated.
    pub fn satisfaction(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.rating_sum as f64 / self.ratings as f64)
    }
}

/// Counts `rows` over the months from `from` to `to`: a case counts as received in its month of
/// receipt, as answered (and on time or late) in its month of answer, and its rating with its
/// answer. Rows outside the period count nowhere.
pub fn figures(rows: &[FigureRow], from: NaiveDate, to: NaiveDate) -> Figures {
    let mut months = vec![];
    let mut d = from.with_day(1).expect("day 1 exists");
    while d <= to {
        months.push(Month { year: d.year(), month: d.month(), received: 0, answered: 0, on_time: 0 });
        d = d.checked_add_months(Months::new(1)).unwrap_or(to.succ_opt().unwrap_or(to));
        if months.len() > 24 {
            break;
        }
    }
    let index = |day: NaiveDate| -> Option<usize> {
        if day < from || day > to {
            return None;
        }
        months.iter().position(|m| m.year == day.year() && m.month == day.month())
    };
    let mut f = Figures::default();
    let mut counts: Vec<Month> = months.clone();
    for r in rows {
        if let Some(i) = index(r.received_on) {
            counts[i].received += 1;
            f.received += 1;
        }
        if let Some(a) = r.answered_on {
            if let Some(i) = index(a) {
                let on_time = r.resolve_due.is_some_and(|due| a <= due);
                counts[i].answered += 1;
                counts[i].on_time += i64::from(on_time);
                f.answered += 1;
                f.on_time += i64::from(on_time);
                if let Some(x) = r.rating.filter(|x| (1..=5).contains(x)) {
                    f.rating_sum += x;
                    f.ratings += 1;
                }
            }
        }
    }
    f.months = counts;
    f
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

    #[test]
    fn cases_count_in_their_months_of_receipt_and_answer() {
        let row = |r: NaiveDate, a: Option<NaiveDate>, due: Option<NaiveDate>, rating: Option<i64>| FigureRow {
            received_on: r,
            answered_on: a,
            resolve_due: due,
            rating,
        };
        let rows = vec![
            row(d(2025, 1, 10), Some(d(2025, 2, 3)), Some(d(2025, 2, 5)), Some(4)),
            row(d(2025, 2, 10), Some(d(2025, 2, 20)), Some(d(2025, 2, 15)), None),
            row(d(2025, 2, 11), None, Some(d(2025, 3, 1)), None),
            row(d(2024, 12, 30), Some(d(2025, 1, 2)), Some(d(2025, 1, 2)), Some(2)),
            row(d(2024, 6, 1), Some(d(2024, 7, 1)), None, Some(5)),
        ];
        let f = figures(&rows, d(2025, 1, 1), d(2025, 12, 31));
        assert_eq!(f.months.len(), 12);
        assert_eq!((f.months[0].received, f.months[0].answered, f.months[0].on_time), (1, 1, 1));
        assert_eq!((f.months[1].received, f.months[1].answered, f.months[1].on_time), (2, 2, 1));
        assert_eq!(f.months[1].on_time_pct(), Some(50));
        assert_eq!(f.months[5].on_time_pct(), None);
        assert_eq!((f.received, f.answered, f.on_time), (3, 3, 2));
        assert_eq!(f.satisfaction(), Some(3.0), "ratings of the answers in the period only");
    }
}
