//! The case indicators for a unit's subtree and a period. Their inputs are counts: summed from
//! the monthly counts the store keeps with every case change (dashboards, reports, the API), or
//! counted from one fact per case for a period that is not whole months (a movement's). Both give
//! the same [`CaseFigures`], so every indicator has one computation.

use super::Indicator;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the indicators read of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFact {
    pub received_on: NaiveDate,
    /// The Vietnamese calendar day of `answered_at`, when the answer stands (a reopened case has
    /// none until answered again).
    pub answered_on: Option<NaiveDate>,
    /// Working days from receipt to the answer, counted on the working calendar when it was sent.
    pub answer_days: Option<i64>,
    pub resolve_due: Option<NaiveDate>,
    /// 1–5, when the citizen rated the answer.
    pub rating: Option<u8>,
    /// At least one `reopen` event in the case's history.
    pub reopened: bool,
    /// At least one `transfer` event in the case's history.
    pub transferred: bool,
}

/// The counts behind the case indicators: what one row of the store's monthly counts holds, and
/// their sum over rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCounts {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub reopened: i64,
    pub transferred: i64,
    pub answer_days_sum: i64,
}

impl CaseCounts {
    /// Takes away another set of counts (cases a reader may not count; never below what was added).
    pub fn sub(&mut self, o: &CaseCounts) {
        let mut neg = *o;
        for v in [
            &mut neg.received,
            &mut neg.answered,
            &mut neg.on_time,
            &mut neg.rated,
            &mut neg.rating_sum,
            &mut neg.reopened,
            &mut neg.transferred,
            &mut neg.answer_days_sum,
        ] {
            *v = -*v;
        }
        self.add(&neg);
    }

    pub fn add(&mut self, o: &CaseCounts) {
        self.received += o.received;
        self.answered += o.answered;
        self.on_time += o.on_time;
        self.rated += o.rated;
        self.rating_sum += o.rating_sum;
        self.reopened += o.reopened;
        self.transferred += o.transferred;
        self.answer_days_sum += o.answer_days_sum;
    }
}

/// The counts behind the case indicators, and the indicators' values.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CaseFigures {
    #[serde(flatten)]
    pub counts: CaseCounts,
    /// How many answered cases took each number of working days (the median's and the 90th
    /// percentile's input).
    pub answer_days: BTreeMap<i64, i64>,
    /// Open cases of the subtree past their due date today, when the figures are of a period that
    /// includes today (a state, not a count of the period's cases).
    pub overdue_now: Option<i64>,
}

/// The value at rank `k` (0-based) of the ascending values a histogram holds.
fn nth(hist: &BTreeMap<i64, i64>, k: i64) -> Option<i64> {
    let mut seen = 0;
    for (v, n) in hist {
        seen += n;
        if k < seen {
            return Some(*v);
        }
    }
    None
}

/// The median of the values a histogram holds: the middle one, or the mean of the two middle ones.
pub fn median(hist: &BTreeMap<i64, i64>) -> Option<f64> {
    let n: i64 = hist.values().sum();
    if n <= 0 {
        return None;
    }
    let hi = nth(hist, n / 2)?;
    Some(if n % 2 == 1 { hi as f64 } else { (nth(hist, n / 2 - 1)? + hi) as f64 / 2.0 })
}

/// The 90th percentile by nearest rank: the smallest value at least 90% of the values do not
/// exceed (rank ⌈0.9 n⌉).
pub fn percentile90(hist: &BTreeMap<i64, i64>) -> Option<i64> {
    let n: i64 = hist.values().sum();
    if n <= 0 {
        return None;
    }
    nth(hist, (9 * n + 9) / 10 - 1)
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

impl CaseFigures {
    /// The figures of a list of case facts.
    pub fn compute(facts: &[CaseFact]) -> CaseFigures {
        let mut f = CaseFigures::default();
        for c in facts {
            let k = &mut f.counts;
            k.received += 1;
            if let Some(a) = c.answered_on {
                k.answered += 1;
                if c.resolve_due.is_some_and(|due| a <= due) {
                    k.on_time += 1;
                }
                let days = c.answer_days.unwrap_or(0);
                k.answer_days_sum += days;
                *f.answer_days.entry(days).or_default() += 1;
            }
            if let Some(r) = c.rating {
                k.rated += 1;
                k.rating_sum += i64::from(r);
            }
            k.reopened += i64::from(c.reopened);
            k.transferred += i64::from(c.transferred);
        }
        f
    }

    /// Takes away figures added before (the cases a reader may not count).
    pub fn sub(&mut self, o: &CaseFigures) {
        self.counts.sub(&o.counts);
        for (d, n) in &o.answer_days {
            let e = self.answer_days.entry(*d).or_default();
            *e -= n;
            if *e <= 0 {
                self.answer_days.remove(d);
            }
        }
    }

    /// Adds another set of figures (another unit's, another month's).
    pub fn add(&mut self, o: &CaseFigures) {
        self.counts.add(&o.counts);
        for (d, n) in &o.answer_days {
            *self.answer_days.entry(*d).or_default() += n;
        }
        if let Some(n) = o.overdue_now {
            self.overdue_now = Some(self.overdue_now.unwrap_or(0) + n);
        }
    }

    /// The indicator's value (none when its denominator is zero, or for a state not measured).
    pub fn value(&self, i: Indicator) -> Option<f64> {
        let k = &self.counts;
        match i {
            Indicator::CasesReceived => Some(k.received as f64),
            Indicator::CasesAnswered => Some(k.answered as f64),
            Indicator::AnsweredOnTimeShare => share(k.on_time, k.answered),
            Indicator::MedianAnswerDays => median(&self.answer_days),
            Indicator::P90AnswerDays => percentile90(&self.answer_days).map(|d| d as f64),
            Indicator::Satisfaction => (k.rated > 0).then(|| k.rating_sum as f64 / k.rated as f64),
            Indicator::ReopenedShare => share(k.reopened, k.received),
            Indicator::TransferredShare => share(k.transferred, k.received),
            Indicator::OverdueNow => self.overdue_now.map(|n| n as f64),
        }
    }

    /// The inputs an indicator's value is made of, as (input, count): each a set of cases the
    /// inbox lists (`CaseSet`).
    pub fn inputs(&self, i: Indicator) -> Vec<(CaseSet, i64)> {
        use CaseSet::*;
        let k = &self.counts;
        match i {
            Indicator::CasesReceived => vec![(Received, k.received)],
            Indicator::CasesAnswered | Indicator::MedianAnswerDays | Indicator::P90AnswerDays => vec![(Answered, k.answered)],
            Indicator::AnsweredOnTimeShare => vec![(OnTime, k.on_time), (Answered, k.answered)],
            Indicator::Satisfaction => vec![(Rated, k.rated)],
            Indicator::ReopenedShare => vec![(Reopened, k.reopened), (Received, k.received)],
            Indicator::TransferredShare => vec![(Transferred, k.transferred), (Received, k.received)],
            Indicator::OverdueNow => vec![],
        }
    }
}

str_enum! {
    /// How the monthly counts break a unit's cases down: each case counts once in each, except
    /// `Public`, which leaves out the cases whose sender's identity is protected (what public
    /// figures count).
    Dimension {
        All = "all",
        Kind = "kind",
        Category = "category",
        Channel = "channel",
        Public = "public",
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
        Transferred = "transferred",
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
        let facts = [
            // Monday 2 March → Thursday 5 March: 3 working days, due 10 March: on time, rated 5
            CaseFact {
                received_on: d(3, 2),
                answered_on: Some(d(3, 5)),
                answer_days: Some(3),
                resolve_due: Some(d(3, 10)),
                rating: Some(5),
                reopened: false,
                transferred: false,
            },
            // Monday 2 March → Monday 16 March: 10 working days, due 10 March: late, rated 2
            CaseFact {
                received_on: d(3, 2),
                answered_on: Some(d(3, 16)),
                answer_days: Some(10),
                resolve_due: Some(d(3, 10)),
                rating: Some(2),
                reopened: false,
                transferred: false,
            },
            // open, reopened once
            CaseFact {
                received_on: d(3, 3),
                answered_on: None,
                answer_days: None,
                resolve_due: Some(d(3, 17)),
                rating: None,
                reopened: true,
                transferred: true,
            },
        ];
        let f = CaseFigures::compute(&facts);
        let k = f.counts;
        assert_eq!((k.received, k.answered, k.on_time, k.rated, k.rating_sum, k.reopened, k.transferred), (3, 2, 1, 2, 7, 1, 1));
        assert_eq!(k.answer_days_sum, 13);
        assert_eq!(f.answer_days, BTreeMap::from([(3, 1), (10, 1)]));
        assert_eq!(f.value(Indicator::P90AnswerDays), Some(10.0));
        assert_eq!(f.value(Indicator::TransferredShare), Some(100.0 / 3.0));
        assert_eq!(f.value(Indicator::OverdueNow), None);
        assert_eq!(f.value(Indicator::AnsweredOnTimeShare), Some(50.0));
        assert_eq!(f.value(Indicator::MedianAnswerDays), Some(6.5));
        assert_eq!(f.value(Indicator::Satisfaction), Some(3.5));
        assert_eq!(f.value(Indicator::ReopenedShare), Some(100.0 / 3.0));
        let none = CaseFigures::compute(&[]);
        assert_eq!(none.value(Indicator::AnsweredOnTimeShare), None);
        assert_eq!(none.value(Indicator::CasesReceived), Some(0.0));
    }

    fn hist(values: &[i64]) -> BTreeMap<i64, i64> {
        let mut h = BTreeMap::new();
        for v in values {
            *h.entry(*v).or_default() += 1;
        }
        h
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two() {
        assert_eq!(median(&hist(&[])), None);
        assert_eq!(median(&hist(&[4])), Some(4.0));
        assert_eq!(median(&hist(&[1, 2, 9])), Some(2.0));
        assert_eq!(median(&hist(&[1, 2, 3, 9])), Some(2.5));
        assert_eq!(median(&hist(&[5, 5, 5, 7])), Some(5.0));
        assert_eq!(median(&BTreeMap::from([(2, 0)])), None, "an empty bucket is no value");
    }

    #[test]
    fn the_90th_percentile_is_the_nearest_rank() {
        assert_eq!(percentile90(&hist(&[])), None);
        assert_eq!(percentile90(&hist(&[7])), Some(7));
        // ten values: rank 9 (the 9th smallest)
        assert_eq!(percentile90(&hist(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), Some(9));
        // eleven values: rank ceil(9.9) = 10
        assert_eq!(percentile90(&hist(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])), Some(10));
        assert_eq!(percentile90(&hist(&[3, 3, 3, 3, 3, 3, 3, 3, 3, 40])), Some(3));
    }

    #[test]
    fn figures_add_up_as_the_facts_together() {
        let a = CaseFact {
            received_on: d(3, 2),
            answered_on: Some(d(3, 5)),
            answer_days: Some(3),
            resolve_due: Some(d(3, 10)),
            rating: Some(4),
            reopened: false,
            transferred: true,
        };
        let b = CaseFact { answer_days: Some(8), rating: None, ..a };
        let mut sum = CaseFigures::compute(&[a]);
        sum.add(&CaseFigures::compute(&[b]));
        assert_eq!(sum, CaseFigures::compute(&[a, b]));
        sum.sub(&CaseFigures::compute(&[b]));
        assert_eq!(sum, CaseFigures::compute(&[a]), "taking a case away undoes adding it");
    }
}
