//! The working calendar: the statutory days off plus an administrator's yearly [`Override`]s, and
//! the deadline arithmetic over it (working days, calendar days, pauses, due status).

use super::{default_rules, is_weekend, statutory_days_off, DayOff, DayOffKind, HolidayRule, HOLIDAY_YEARS, MAX_WORKING_DAYS};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// An administrator's change to one year's schedule, from the government's announcement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    /// An extra day off (e.g. a swapped day around Tết); listed by [`WorkCalendar::days_off`].
    DayOff { date: NaiveDate, reason: String },
    /// A working day, even on a weekend or a default holiday (e.g. a make-up Saturday).
    WorkingDay { date: NaiveDate, reason: String },
    /// Cancels the default day off (holiday or compensation) on that date; the date is then an
    /// ordinary weekday or weekend day.
    RemoveHoliday { date: NaiveDate },
}

/// The kind of an [`Override`], as stored and typed (`day_off`, `working_day`, `remove_holiday`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    DayOff,
    WorkingDay,
    RemoveHoliday,
}

impl OverrideKind {
    pub const ALL: [OverrideKind; 3] = [OverrideKind::DayOff, OverrideKind::WorkingDay, OverrideKind::RemoveHoliday];
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::DayOff => "day_off",
            OverrideKind::WorkingDay => "working_day",
            OverrideKind::RemoveHoliday => "remove_holiday",
        }
    }
    pub fn parse(s: &str) -> Option<OverrideKind> {
        OverrideKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// How the store decodes a stored kind: an unknown name is an error, never a default.
impl TryFrom<String> for OverrideKind {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<OverrideKind, Self::Error> {
        OverrideKind::parse(&s).ok_or(crate::UnknownValue { what: "calendar override kind", value: s })
    }
}

/// Compares with a stored name (`x == "…"`): tests and templates read so.
impl PartialEq<&str> for OverrideKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for OverrideKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for OverrideKind {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for OverrideKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Override {
    /// An override from its parts as typed or imported (`day_off`, `working_day`,
    /// `remove_holiday`); None for an unknown kind.
    pub fn from_parts(date: NaiveDate, kind: &str, reason: &str) -> Option<Override> {
        OverrideKind::parse(kind).map(|k| Override::of_kind(date, k, reason))
    }
    pub fn of_kind(date: NaiveDate, kind: OverrideKind, reason: &str) -> Override {
        let reason = reason.to_string();
        match kind {
            OverrideKind::DayOff => Override::DayOff { date, reason },
            OverrideKind::WorkingDay => Override::WorkingDay { date, reason },
            OverrideKind::RemoveHoliday => Override::RemoveHoliday { date },
        }
    }
    pub fn kind(&self) -> OverrideKind {
        match self {
            Override::DayOff { .. } => OverrideKind::DayOff,
            Override::WorkingDay { .. } => OverrideKind::WorkingDay,
            Override::RemoveHoliday { .. } => OverrideKind::RemoveHoliday,
        }
    }
    pub fn date(&self) -> NaiveDate {
        match self {
            Override::DayOff { date, .. } | Override::WorkingDay { date, .. } | Override::RemoveHoliday { date } => *date,
        }
    }
}

/// Whether a deadline is comfortably ahead, close, or past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    OnTrack,
    DueSoon,
    Overdue,
}

impl DueStatus {
    pub const ALL: [DueStatus; 3] = [DueStatus::OnTrack, DueStatus::DueSoon, DueStatus::Overdue];
    /// The stored name (the kind of an escalation notice: `due_soon`, `overdue`).
    pub fn as_str(self) -> &'static str {
        match self {
            DueStatus::OnTrack => "on_track",
            DueStatus::DueSoon => "due_soon",
            DueStatus::Overdue => "overdue",
        }
    }
    pub fn parse(s: &str) -> Option<DueStatus> {
        DueStatus::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// How the store decodes a stored notice kind: an unknown name is an error, never a default.
impl TryFrom<String> for DueStatus {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<DueStatus, Self::Error> {
        DueStatus::parse(&s).ok_or(crate::UnknownValue { what: "due status", value: s })
    }
}

/// Compares with a stored name (`x == "…"`): tests and templates read so.
impl PartialEq<&str> for DueStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for DueStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for DueStatus {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for DueStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Working days: rules plus overrides. Default days off are computed per year on first use and
/// cached (the cache is behind a mutex so one calendar can be shared between threads).
pub struct WorkCalendar {
    rules: Vec<HolidayRule>,
    /// One override per date; when several are given for a date, the last one wins.
    pub(super) overrides: BTreeMap<NaiveDate, Override>,
    cache: Mutex<HashMap<i32, Arc<[DayOff]>>>,
}

impl fmt::Debug for WorkCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkCalendar").field("rules", &self.rules).field("overrides", &self.overrides).finish()
    }
}

impl Clone for WorkCalendar {
    fn clone(&self) -> Self {
        WorkCalendar::new(self.rules.clone(), self.overrides.values().cloned())
    }
}

impl Default for WorkCalendar {
    /// The statutory defaults, no overrides.
    fn default() -> Self {
        WorkCalendar::new(default_rules(), [])
    }
}

impl WorkCalendar {
    pub fn new(rules: Vec<HolidayRule>, overrides: impl IntoIterator<Item = Override>) -> Self {
        let overrides = overrides.into_iter().map(|o| (o.date(), o)).collect();
        WorkCalendar { rules, overrides, cache: Mutex::new(HashMap::new()) }
    }

    pub fn rules(&self) -> &[HolidayRule] {
        &self.rules
    }

    /// The effective overrides, in date order.
    pub fn overrides(&self) -> impl Iterator<Item = &Override> {
        self.overrides.values()
    }

    /// Default (rule-produced) days off of `year`, sorted by date; none outside [`HOLIDAY_YEARS`].
    pub(super) fn defaults(&self, year: i32) -> Arc<[DayOff]> {
        if !HOLIDAY_YEARS.contains(&year) {
            return Arc::from([]);
        }
        // A panic elsewhere cannot leave the map half-updated (entries are inserted whole), so a
        // poisoned lock is safe to reuse.
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry(year).or_insert_with(|| statutory_days_off(year, &self.rules).into()).clone()
    }

    pub(super) fn is_default_day_off(&self, date: NaiveDate) -> bool {
        self.defaults(date.year()).binary_search_by(|d| d.date.cmp(&date)).is_ok()
    }

    /// Whether people work on `date`: an override decides if there is one; otherwise weekdays that
    /// are not default days off.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.overrides.get(&date) {
            Some(Override::DayOff { .. }) => false,
            Some(Override::WorkingDay { .. }) => true,
            Some(Override::RemoveHoliday { .. }) => !is_weekend(date),
            None => !is_weekend(date) && !self.is_default_day_off(date),
        }
    }

    /// Days off of `year` with overrides applied, sorted by date: default holidays and
    /// compensation days except those removed or made working, plus declared days off (which
    /// replace a default on the same date). Made-up working days are not listed.
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        let mut out: Vec<DayOff> =
            self.defaults(year).iter().filter(|d| !self.overrides.contains_key(&d.date)).cloned().collect();
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        let last = NaiveDate::from_ymd_opt(year, 12, 31);
        if let (Some(first), Some(last)) = (first, last) {
            for o in self.overrides.range(first..=last).map(|(_, o)| o) {
                if let Override::DayOff { date, reason } = o {
                    out.push(DayOff { date: *date, reason: reason.clone(), kind: DayOffKind::Declared });
                }
            }
        }
        out.sort_by_key(|a| (a.date, a.kind));
        out
    }

    /// The due date of "N working days from `from`": `from` itself is not counted; the result is
    /// the Nth working day after it (N = 0 gives `from`). `None` if N exceeds
    /// [`MAX_WORKING_DAYS`] or the date would leave chrono's range.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.add_working_days_with_pauses(from, n, &[])
    }

    /// As [`add_working_days`](Self::add_working_days), but working days inside any of the
    /// inclusive `pauses` ranges (the case waiting for the citizen) are not counted. A range whose
    /// end precedes its start is empty.
    pub fn add_working_days_with_pauses(&self, from: NaiveDate, n: u32, pauses: &[(NaiveDate, NaiveDate)]) -> Option<NaiveDate> {
        if n > MAX_WORKING_DAYS {
            return None;
        }
        let paused = |date: NaiveDate| pauses.iter().any(|&(start, end)| start <= date && date <= end);
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt()?;
            if self.is_working_day(date) && !paused(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// `date` itself when it is a working day, otherwise the first working day after it. Civil
    /// Code 2015 Art. 148(5): "Trường hợp ngày cuối cùng của thời hạn là ngày nghỉ cuối tuần hoặc
    /// ngày nghỉ lễ thì thời hạn kết thúc tại thời điểm kết thúc ngày làm việc tiếp theo ngày nghỉ
    /// đó" — a time limit whose last day is a weekly rest day or a holiday ends at the close of the
    /// next working day. Overrides count: a make-up Saturday is a working day, a declared day off
    /// is not. `None` if no working day comes within [`MAX_WORKING_DAYS`] days (a calendar whose
    /// every day is off) or the date would leave chrono's range.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date;
        for _ in 0..MAX_WORKING_DAYS {
            if self.is_working_day(day) {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The due date of "N calendar days from `from`": `from` itself is not counted, the limit
    /// ends with day `from + N`, unless that day is a weekend or a holiday: then it ends with the
    /// next working day (Civil Code 2015 Art. 148(5), see
    /// [`working_day_on_or_after`](Self::working_day_on_or_after)). `None` outside chrono's range.
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.working_day_on_or_after(from.checked_add_days(chrono::Days::new(u64::from(n)))?)
    }

    /// Overdue once `today` is past the due day; due soon when at most `due_soon_days` working
    /// days remain (see [`DEFAULT_DUE_SOON_DAYS`](super::DEFAULT_DUE_SOON_DAYS)); on track otherwise.
    pub fn due_status(&self, today: NaiveDate, due: NaiveDate, due_soon_days: u32) -> DueStatus {
        if today > due {
            DueStatus::Overdue
        } else if self.working_days_between(today, due) <= i64::from(due_soon_days) {
            DueStatus::DueSoon
        } else {
            DueStatus::OnTrack
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::calendar::DEFAULT_DUE_SOON_DAYS;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// An illustrative override set (not the government's actual text): one extra day off after
    /// Tết 2026, a make-up Saturday, and a removed default holiday.
    pub(in crate::calendar) fn overrides_2026() -> Vec<Override> {
        vec![
            Override::DayOff { date: d(2026, 2, 23), reason: "Nghỉ hoán đổi dịp Tết".into() },
            Override::WorkingDay { date: d(2026, 3, 7), reason: "Làm bù cho ngày 23/02".into() },
            Override::WorkingDay { date: d(2026, 2, 20), reason: "Đi làm mùng 4 Tết (thử)".into() },
            Override::RemoveHoliday { date: d(2026, 4, 27) },
        ]
    }

    #[test]
    fn overrides_win() {
        let cal = WorkCalendar::new(default_rules(), overrides_2026());
        assert!(!cal.is_working_day(d(2026, 2, 23)));
        assert!(cal.is_working_day(d(2026, 3, 7)), "a Saturday made working");
        assert!(cal.is_working_day(d(2026, 2, 20)), "a holiday made working");
        assert!(cal.is_working_day(d(2026, 4, 27)), "a removed compensation day is a plain Monday");
        let days = cal.days_off(2026);
        let dates: Vec<_> = days.iter().map(|x| x.date).collect();
        assert!(dates.contains(&d(2026, 2, 23)));
        assert!(!dates.contains(&d(2026, 2, 20)));
        assert!(!dates.contains(&d(2026, 4, 27)));
        assert!(!dates.contains(&d(2026, 3, 7)));
        let declared = days.iter().find(|x| x.date == d(2026, 2, 23)).expect("declared day listed");
        assert_eq!((declared.kind, declared.reason.as_str()), (DayOffKind::Declared, "Nghỉ hoán đổi dịp Tết"));
        // Fri 13 Feb + 1 working day: 16–19 holidays, 20 made working.
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 1), Some(d(2026, 2, 20)));
        // Fri 20 + 1: weekend, then Mon 23 declared off → Tue 24.
        assert_eq!(cal.add_working_days(d(2026, 2, 20), 1), Some(d(2026, 2, 24)));
        // Fri 6 March + 1: the make-up Saturday.
        assert_eq!(cal.add_working_days(d(2026, 3, 6), 1), Some(d(2026, 3, 7)));
        // The last override for a date wins.
        let cal = WorkCalendar::new(
            default_rules(),
            [
                Override::DayOff { date: d(2026, 3, 10), reason: "x".into() },
                Override::WorkingDay { date: d(2026, 3, 10), reason: "y".into() },
            ],
        );
        assert!(cal.is_working_day(d(2026, 3, 10)));
    }

    #[test]
    fn counting_deadlines() {
        let cal = WorkCalendar::default();
        // Day D is not counted: Monday + 1 = Tuesday; Friday + 1 = Monday.
        assert_eq!(cal.add_working_days(d(2026, 3, 9), 1), Some(d(2026, 3, 10)));
        assert_eq!(cal.add_working_days(d(2026, 3, 13), 1), Some(d(2026, 3, 16)));
        assert_eq!(cal.add_working_days(d(2026, 3, 13), 0), Some(d(2026, 3, 13)));
        // Across Tết 2026: Thu 12 Feb + 5 → Fri 13, then 16–20 off, 21–22 weekend → Mon 23 … Thu 26.
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 5), Some(d(2026, 2, 26)));
        // Across Hùng Kings + compensation + 30/4–1/5: Fri 24 Apr + 3 → Tue 28, Wed 29, Mon 4 May.
        assert_eq!(cal.add_working_days(d(2026, 4, 24), 3), Some(d(2026, 5, 4)));
        assert_eq!(cal.add_working_days(d(2026, 1, 1), MAX_WORKING_DAYS + 1), None);
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), None);

        // A pause (inclusive) of Tue 10 – Wed 11 March moves a 3-day deadline from Thu 12 to Mon 16.
        let from = d(2026, 3, 9);
        assert_eq!(cal.add_working_days(from, 3), Some(d(2026, 3, 12)));
        let pauses = [(d(2026, 3, 10), d(2026, 3, 11))];
        assert_eq!(cal.add_working_days_with_pauses(from, 3, &pauses), Some(d(2026, 3, 16)));
        // A reversed range pauses nothing.
        let reversed = [(d(2026, 3, 11), d(2026, 3, 10))];
        assert_eq!(cal.add_working_days_with_pauses(from, 3, &reversed), Some(d(2026, 3, 12)));
    }

    #[test]
    fn calendar_day_limits_end_on_a_working_day() {
        // Civil Code 2015 Art. 148(5).
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_calendar_days(d(2026, 3, 2), 10), Some(d(2026, 3, 12)), "a Thursday stays");
        assert_eq!(cal.add_calendar_days(d(2026, 3, 4), 10), Some(d(2026, 3, 16)), "Saturday → Monday");
        assert_eq!(cal.add_calendar_days(d(2026, 2, 6), 10), Some(d(2026, 2, 23)), "Tết 2026 → after it");
        assert_eq!(cal.add_calendar_days(d(2023, 4, 21), 10), Some(d(2023, 5, 4)), "1/5/2023 and its compensation days");
        assert_eq!(cal.add_calendar_days(d(2026, 8, 22), 10), Some(d(2026, 9, 3)), "1/9 → past 2/9");
        assert_eq!(cal.add_calendar_days(d(2026, 3, 14), 0), Some(d(2026, 3, 16)), "N = 0 on a Saturday");
        assert_eq!(cal.working_day_on_or_after(d(2026, 3, 13)), Some(d(2026, 3, 13)));
        assert_eq!(cal.add_calendar_days(NaiveDate::MAX, 1), None);
    }

    #[test]
    fn remaining_days_and_status() {
        let cal = WorkCalendar::default();
        let due = d(2026, 3, 13); // Friday
        assert_eq!(cal.working_days_between(d(2026, 3, 9), due), 4);
        assert_eq!(cal.working_days_between(due, due), 0);
        assert_eq!(cal.working_days_between(d(2026, 3, 16), due), -1);
        assert_eq!(cal.working_days_between(d(2026, 3, 14), due), 0);
        assert_eq!(cal.due_status(d(2026, 3, 9), due, DEFAULT_DUE_SOON_DAYS), DueStatus::OnTrack);
        assert_eq!(cal.due_status(d(2026, 3, 11), due, DEFAULT_DUE_SOON_DAYS), DueStatus::DueSoon);
        assert_eq!(cal.due_status(due, due, DEFAULT_DUE_SOON_DAYS), DueStatus::DueSoon);
        assert_eq!(cal.due_status(d(2026, 3, 14), due, DEFAULT_DUE_SOON_DAYS), DueStatus::Overdue);
        assert_eq!(cal.due_status(d(2026, 3, 9), due, 4), DueStatus::DueSoon);
    }

    fn arb_date() -> impl Strategy<Value = NaiveDate> {
        // 2000-01-01 .. ~2099
        (0i64..36_500).prop_map(|n| d(2000, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn adding_is_monotonic_in_n(from in arb_date(), n in 0u32..300) {
            let cal = WorkCalendar::default();
            let a = cal.add_working_days(from, n).expect("in range");
            let b = cal.add_working_days(from, n + 1).expect("in range");
            prop_assert!(a < b);
            prop_assert_eq!(cal.working_days_between(from, b), i64::from(n + 1));
        }

        #[test]
        fn adding_is_monotonic_in_start(from in arb_date(), gap in 0i64..60, n in 0u32..300) {
            let cal = WorkCalendar::default();
            let later = from + chrono::Duration::days(gap);
            prop_assert!(cal.add_working_days(from, n) <= cal.add_working_days(later, n));
        }

        #[test]
        fn result_is_a_working_day(from in arb_date(), n in 1u32..300) {
            let cal = WorkCalendar::default();
            let due = cal.add_working_days(from, n).expect("in range");
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due > from);
        }

        #[test]
        fn a_calendar_day_due_date_is_never_a_rest_day(from in arb_date(), n in 0u32..400) {
            let cal = WorkCalendar::default();
            let due = cal.add_calendar_days(from, n).expect("in range");
            let last = from + chrono::Duration::days(i64::from(n));
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due >= last);
            // Only rest days are skipped.
            prop_assert!(last.iter_days().take_while(|x| *x < due).all(|x| !cal.is_working_day(x)));
        }

        #[test]
        fn a_declared_day_off_is_never_the_result(from in arb_date(), n in 1u32..60, k in 1u32..60) {
            let plain = WorkCalendar::default();
            let target = plain.add_working_days(from, k).expect("in range");
            let cal = WorkCalendar::new(default_rules(), [Override::DayOff { date: target, reason: "x".into() }]);
            prop_assert!(!cal.is_working_day(target));
            prop_assert_ne!(cal.add_working_days(from, n), Some(target));
        }

        #[test]
        fn a_holiday_made_working_counts(year in 2000i32..2100, pick in 0usize..100) {
            let plain = WorkCalendar::default();
            let days = plain.days_off(year);
            let holiday = days[pick % days.len()].date;
            let cal = WorkCalendar::new(default_rules(), [Override::WorkingDay { date: holiday, reason: "x".into() }]);
            prop_assert!(cal.is_working_day(holiday));
            let eve = holiday.pred_opt().expect("in range");
            prop_assert_eq!(cal.add_working_days(eve, 1), Some(holiday));
            prop_assert!(!cal.days_off(year).iter().any(|x| x.date == holiday));
        }

        #[test]
        fn pauses_never_make_the_due_date_earlier(
            from in arb_date(),
            n in 0u32..200,
            pauses in proptest::collection::vec((0i64..400, 0i64..30), 0..4),
        ) {
            let cal = WorkCalendar::default();
            let pauses: Vec<_> = pauses
                .into_iter()
                .map(|(start, len)| (from + chrono::Duration::days(start - 30), from + chrono::Duration::days(start - 30 + len)))
                .collect();
            let plain = cal.add_working_days(from, n).expect("in range");
            let paused = cal.add_working_days_with_pauses(from, n, &pauses).expect("in range");
            prop_assert!(paused >= plain);
            let in_pause = |x: NaiveDate| pauses.iter().any(|&(s, e)| s <= x && x <= e);
            if n > 0 {
                prop_assert!(cal.is_working_day(paused) && !in_pause(paused));
            }
        }
    }
}
