//! Counting working days over a span: O(years + overrides), not O(days), so a span of centuries
//! costs what a span of months does.

use super::{is_weekend, WorkCalendar};
use chrono::{Datelike, NaiveDate};

/// Years whose statutory days off are computed: the Labour Code's holidays mean nothing far
/// from today, and the lunar calendar is accurate over 1900–2199 only. Outside these years only
/// weekends are rest days, so a date written before dates were bounded (year -262143 once) costs
/// no lunar arithmetic and no cache memory. 2399 covers
/// [`MAX_WORKING_DAYS`](super::MAX_WORKING_DAYS) from today.
pub const HOLIDAY_YEARS: std::ops::RangeInclusive<i32> = 1900..=2399;

/// Monday to Friday days in `[first, last]` (`first <= last`), counted by whole weeks.
fn weekdays_in(first: NaiveDate, last: NaiveDate) -> i64 {
    let days = (last - first).num_days() + 1;
    let (weeks, rest) = (days / 7, days % 7);
    // The `rest` days start on `first`'s weekday (0 = Monday); days 5 and 6 of a week are rest days.
    let start = i64::from(first.weekday().num_days_from_monday());
    let partial = (start..start + rest).filter(|d| d % 7 < 5).count() as i64;
    weeks * 5 + partial
}

impl WorkCalendar {
    /// Working days from `from` to `to`: the number of working days in (from, to] when `to` is not
    /// before `from` (so `working_days_between(d, add_working_days(d, n)) == n`), and minus the
    /// number in (to, from] otherwise. With `from` = today and `to` = the due date: remaining
    /// working days, negative when overdue (0 on a weekend right after the due day: use
    /// [`due_status`](Self::due_status) for the verdict).
    ///
    /// O(years + overrides), not O(days): weekdays are counted arithmetically, then each year's
    /// few default days off and the overrides in the span are taken away or added back.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        match lo.succ_opt() {
            Some(first) if first <= hi => sign * self.working_days_in(first, hi),
            _ => 0,
        }
    }

    /// Working days in `[first, last]` (`first <= last`).
    fn working_days_in(&self, first: NaiveDate, last: NaiveDate) -> i64 {
        let mut n = weekdays_in(first, last);
        let years = first.year().max(*HOLIDAY_YEARS.start())..=last.year().min(*HOLIDAY_YEARS.end());
        for year in years {
            // A year's list holds each date once (rules landing on one date make one day off).
            let off = self.defaults(year);
            n -= off.iter().filter(|d| first <= d.date && d.date <= last && !is_weekend(d.date)).count() as i64;
        }
        for date in self.overrides.range(first..=last).map(|(d, _)| *d) {
            let by_default = !is_weekend(date) && !self.is_default_day_off(date);
            n += i64::from(self.is_working_day(date)) - i64::from(by_default);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::default_rules;
    use crate::calendar::working::tests::overrides_2026;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// The definition, one day at a time: what the arithmetic must equal.
    fn day_by_day(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        sign * lo.iter_days().skip(1).take_while(|x| *x <= hi).filter(|x| cal.is_working_day(*x)).count() as i64
    }

    #[test]
    fn counting_over_centuries_is_quick_and_exact() {
        let cal = WorkCalendar::new(default_rules(), overrides_2026());
        // A span of centuries: O(years), so well under a second even in a debug build.
        let started = std::time::Instant::now();
        let long = cal.working_days_between(d(1900, 1, 1), d(2399, 12, 31));
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(long, day_by_day(&cal, d(1900, 1, 1), d(2399, 12, 31)));
        assert_eq!(cal.working_days_between(d(2399, 12, 31), d(1900, 1, 1)), -long);
        // Dates no one can enter any more (but an old database may hold) answer at once too.
        let started = std::time::Instant::now();
        let absurd = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(absurd > 0);
        // Sampled spans, overrides and Tết included, equal the day-by-day count.
        let mut seed = 0x2545_f491_u64;
        let mut next = |m: i64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as i64
        };
        for _ in 0..300 {
            let from = d(1945, 1, 1) + chrono::Duration::days(next(36_500));
            let to = from + chrono::Duration::days(next(3_000) - 1_000);
            assert_eq!(cal.working_days_between(from, to), day_by_day(&cal, from, to), "{from} → {to}");
        }
        for (from, to) in [(d(2026, 2, 13), d(2026, 3, 9)), (d(2025, 12, 31), d(2026, 1, 2)), (d(2026, 4, 24), d(2026, 5, 4))] {
            assert_eq!(cal.working_days_between(from, to), day_by_day(&cal, from, to), "{from} → {to}");
        }
    }

    proptest! {
        #[test]
        fn counting_equals_the_day_by_day_definition(from in (0i64..36_500).prop_map(|n| d(1990, 1, 1) + chrono::Duration::days(n)), span in -800i64..800) {
            let cal = WorkCalendar::new(default_rules(), overrides_2026());
            let to = from + chrono::Duration::days(span);
            prop_assert_eq!(cal.working_days_between(from, to), day_by_day(&cal, from, to));
        }
    }
}
