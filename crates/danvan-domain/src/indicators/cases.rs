//! The case indicators for a unit's subtree and a period, computed from one fact per case the
//! store reads (the cases handled in the subtree and received in the period).

use super::Indicator;
use crate::calendar::WorkCalendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the indicators read of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFact {
    pub received_on: NaiveDate,
    /// The Vietnamese calendar day of `answered_at`, when the answer stands (a reopened case has
    /// none until answered again).
    pub answered_on: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    /// 1–5, when the citizen rated the answer.
    pub rating: Option<u8>,
    /// At least one `reopen` event in the case's history.
    pub reopened: bool,
}

/// The counts behind the case indicators, and the indicators' values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFigures {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub reopened: i64,
    /// Working days from receipt to answer of each answered case, ascending.
    pub answer_days: Vec<i64>,
}

/// The median of ascending values: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 { sorted[n / 2] as f64 } else { (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0 })
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

impl CaseFigures {
    pub fn compute(facts: &[CaseFact], cal: &WorkCalendar) -> CaseFigures {
        let mut f = CaseFigures {
            received: facts.len() as i64,
            answered: 0,
            on_time: 0,
            rated: 0,
            rating_sum: 0,
            reopened: 0,
            answer_days: vec![],
        };
        for c in facts {
            if let Some(a) = c.answered_on {
                f.answered += 1;
                if c.resolve_due.is_some_and(|due| a <= due) {
                    f.on_time += 1;
                }
                f.answer_days.push(cal.working_days_between(c.received_on, a));
            }
            if let Some(r) = c.rating {
                f.rated += 1;
                f.rating_sum += i64::from(r);
            }
            f.reopened += i64::from(c.reopened);
        }
        f.answer_days.sort_unstable();
        f
    }

    /// The indicator's value (none when its denominator is zero).
    pub fn value(&self, i: Indicator) -> Option<f64> {
        match i {
            Indicator::CasesReceived => Some(self.received as f64),
            Indicator::CasesAnswered => Some(self.answered as f64),
            Indicator::AnsweredOnTimeShare => share(self.on_time, self.answered),
            Indicator::MedianAnswerDays => median(&self.answer_days),
            Indicator::Satisfaction => (self.rated > 0).then(|| self.rating_sum as f64 / self.rated as f64),
            Indicator::ReopenedShare => share(self.reopened, self.received),
        }
    }

    /// The inputs an indicator's value is made of, as (input, count): each a set of cases the
    /// inbox lists (`CaseSet`).
    pub fn inputs(&self, i: Indicator) -> Vec<(CaseSet, i64)> {
        use CaseSet::*;
        match i {
            Indicator::CasesReceived => vec![(Received, self.received)],
            Indicator::CasesAnswered | Indicator::MedianAnswerDays => vec![(Answered, self.answered)],
            Indicator::AnsweredOnTimeShare => vec![(OnTime, self.on_time), (Answered, self.answered)],
            Indicator::Satisfaction => vec![(Rated, self.rated)],
            Indicator::ReopenedShare => vec![(Reopened, self.reopened), (Received, self.received)],
        }
    }
}

str_enum! {
    /// A set of cases behind an indicator, as the inbox's `measure` filter names it (received is
    /// the inbox's received-date range alone).
    CaseSet {
        Received = "received",
        Answered = "answered",
        OnTime = "on_time",
        Rated = "rated",
        Reopened = "reopened",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn the_figures_count_by_hand() {
        let cal = WorkCalendar::default();
        let facts = [
            // Monday 2 March → Thursday 5 March: 3 working days, due 10 March: on time, rated 5
            CaseFact {
                received_on: d(3, 2),
                answered_on: Some(d(3, 5)),
                resolve_due: Some(d(3, 10)),
                rating: Some(5),
                reopened: false,
            },
            // Monday 2 March → Monday 16 March: 10 working days, due 10 March: late, rated 2
            CaseFact {
                received_on: d(3, 2),
                answered_on: Some(d(3, 16)),
                resolve_due: Some(d(3, 10)),
                rating: Some(2),
                reopened: false,
            },
            // open, reopened once
            CaseFact { received_on: d(3, 3), answered_on: None, resolve_due: Some(d(3, 17)), rating: None, reopened: true },
        ];
        let f = CaseFigures::compute(&facts, &cal);
        assert_eq!((f.received, f.answered, f.on_time, f.rated, f.rating_sum, f.reopened), (3, 2, 1, 2, 7, 1));
        assert_eq!(f.answer_days, vec![3, 10]);
        assert_eq!(f.value(Indicator::AnsweredOnTimeShare), Some(50.0));
        assert_eq!(f.value(Indicator::MedianAnswerDays), Some(6.5));
        assert_eq!(f.value(Indicator::Satisfaction), Some(3.5));
        assert_eq!(f.value(Indicator::ReopenedShare), Some(100.0 / 3.0));
        let none = CaseFigures::compute(&[], &cal);
        assert_eq!(none.value(Indicator::AnsweredOnTimeShare), None);
        assert_eq!(none.value(Indicator::CasesReceived), Some(0.0));
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4]), Some(4.0));
        assert_eq!(median(&[1, 2, 9]), Some(2.0));
        assert_eq!(median(&[1, 2, 3, 9]), Some(2.5));
    }
}
