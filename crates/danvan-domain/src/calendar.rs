//! Working days: statutory holidays produced by rules, compensation days, yearly overrides, and
//! deadline arithmetic.
//!
//! - Weekly rest days are Saturday and Sunday.
//! - Statutory holidays (Labour Code 2019, Art. 112) are data: [`HolidayRule`]s on solar or lunar
//!   dates, [`default_rules`] being the current law, so a new holiday is one more rule, not code.
//! - Compensation (Art. 111(3)): each holiday falling on a weekly rest day gives one day off on the
//!   next working day after the holiday period.
//! - Each year the government announces the actual schedule; an administrator records it as
//!   [`Override`]s, which win over the defaults.
//! - Deadlines (Civil Code 2015, Arts. 147–148): "N working days from day D" does not count D and
//!   ends at 23:59:59 (Asia/Ho_Chi_Minh) of the Nth working day; paused days do not count. A limit
//!   in calendar days whose last day is a weekend or a holiday ends with the next working day
//!   (Art. 148(5), [`WorkCalendar::add_calendar_days`]).

use crate::lunar;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A case is "due soon" when at most this many working days remain (configurable per call).
pub const DEFAULT_DUE_SOON_DAYS: u32 = 2;

/// Largest N accepted by the working-day arithmetic (about 400 years); it bounds the day-by-day
/// walk so an absurd input cannot make a request spin.
pub const MAX_WORKING_DAYS: u32 = 100_000;

/// Viet Nam's offset from UTC (Asia/Ho_Chi_Minh has had no DST since 1975).
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is within the ±24 h that FixedOffset accepts")
}

/// The instant a deadline ends: 23:59:59 at +07:00 on the due day.
pub fn deadline_instant(due: NaiveDate) -> DateTime<FixedOffset> {
    let local = due.and_hms_opt(23, 59, 59).expect("23:59:59 is a valid time of day");
    // A fixed offset maps each local time to exactly one instant; shifting by 7 h stays inside
    // chrono's range even for NaiveDate::MIN/MAX because the time is the end of the day.
    vietnam_offset().from_local_datetime(&local).single().expect("fixed offsets are unambiguous")
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Vietnamese name of a weekday, as used in reasons ("thứ Hai" … "Chủ nhật").
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "thứ Hai",
        Weekday::Tue => "thứ Ba",
        Weekday::Wed => "thứ Tư",
        Weekday::Thu => "thứ Năm",
        Weekday::Fri => "thứ Sáu",
        Weekday::Sat => "thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

// ---------------------------------------------------------------------------------------------
// Rules

/// Where a holiday falls in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleDate {
    /// A fixed day of the solar (Gregorian) year.
    Solar { month: u32, day: u32 },
    /// A day of a (non-leap) month of the lunar year that starts in that solar year.
    Lunar { month: u32, day: u32 },
    /// The last day of the lunar year before that year's Tết (29 or 30 of month 12, whichever
    /// exists that year).
    LunarYearEnd,
}

/// One statutory holiday, as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HolidayRule {
    /// The reason shown to people, in Vietnamese. For [`RuleDate::LunarYearEnd`] the lunar day is
    /// appended: "Tết Nguyên đán (29 tháng Chạp)".
    pub name: String,
    pub date: RuleDate,
    /// First year the rule applies (inclusive), if it was introduced by a later law.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// Last year the rule applies (inclusive), if it was abolished.
    #[serde(default)]
    pub until_year: Option<i32>,
}

impl HolidayRule {
    pub fn solar(name: &str, month: u32, day: u32) -> Self {
        HolidayRule { name: name.to_owned(), date: RuleDate::Solar { month, day }, from_year: None, until_year: None }
    }

    pub fn lunar(name: &str, month: u32, day: u32) -> Self {
        HolidayRule { name: name.to_owned(), date: RuleDate::Lunar { month, day }, from_year: None, until_year: None }
    }

    pub fn lunar_year_end(name: &str) -> Self {
        HolidayRule { name: name.to_owned(), date: RuleDate::LunarYearEnd, from_year: None, until_year: None }
    }

    /// The same rule, applying from `year` on.
    pub fn since(mut self, year: i32) -> Self {
        self.from_year = Some(year);
        self
    }

    /// Whether the rule is in force in `year`.
    pub fn applies_in(&self, year: i32) -> bool {
        self.from_year.is_none_or(|from| year >= from) && self.until_year.is_none_or(|until| year <= until)
    }

    /// The rule's date and reason for `year` (the solar year; for lunar rules the lunar year that
    /// starts in it), or `None` if the rule is not in force or the date does not exist that year
    /// (29 February, day 30 of a 29-day lunar month).
    pub fn occurrence(&self, year: i32) -> Option<(NaiveDate, String)> {
        if !self.applies_in(year) {
            return None;
        }
        match self.date {
            RuleDate::Solar { month, day } => Some((NaiveDate::from_ymd_opt(year, month, day)?, self.name.clone())),
            RuleDate::Lunar { month, day } => Some((lunar::lunar_to_solar(day, month, year, false)?, self.name.clone())),
            RuleDate::LunarYearEnd => {
                let eve = lunar::lunar_to_solar(1, 1, year, false)?.pred_opt()?;
                let l = lunar::solar_to_lunar(eve);
                let leap = if l.leap { " nhuận" } else { "" };
                Some((eve, format!("{} ({} tháng Chạp{leap})", self.name, l.day)))
            }
        }
    }
}

/// The statutory holidays of the Labour Code 2019, Art. 112. Tết is the default arrangement (the
/// last day of the lunar year and days 1–4 of month 1); the second National Day (1 September,
/// added by the 2019 code) applies from 2021, when that code took effect, and Hùng Kings' day
/// from 2007, when it became a paid holiday.
pub fn default_rules() -> Vec<HolidayRule> {
    vec![
        HolidayRule::solar("Tết Dương lịch", 1, 1),
        HolidayRule::lunar_year_end("Tết Nguyên đán"),
        HolidayRule::lunar("Tết Nguyên đán (mùng 1 Tết)", 1, 1),
        HolidayRule::lunar("Tết Nguyên đán (mùng 2 Tết)", 1, 2),
        HolidayRule::lunar("Tết Nguyên đán (mùng 3 Tết)", 1, 3),
        HolidayRule::lunar("Tết Nguyên đán (mùng 4 Tết)", 1, 4),
        HolidayRule::lunar("Giỗ Tổ Hùng Vương (10/3 âm lịch)", 3, 10).since(2007),
        HolidayRule::solar("Ngày Chiến thắng 30/4", 4, 30),
        HolidayRule::solar("Ngày Quốc tế Lao động 1/5", 5, 1),
        HolidayRule::solar("Quốc khánh (1/9)", 9, 1).since(2021),
        HolidayRule::solar("Quốc khánh 2/9", 9, 2),
    ]
}

// ---------------------------------------------------------------------------------------------
// Days off

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    /// A statutory holiday (listed even when it falls on a weekend).
    Holiday,
    /// A compensatory day for a holiday that fell on a weekend.
    Compensation,
    /// A day off declared by an administrator ([`Override::DayOff`]).
    Declared,
}

/// A day off other than an ordinary weekend.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub reason: String,
    pub kind: DayOffKind,
}

impl fmt::Display for DayOff {
    /// `YYYY-MM-DD<TAB>reason`, the line printed by `danvan calendar holidays`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}", self.date.format("%Y-%m-%d"), self.reason)
    }
}

/// Statutory holidays and compensation days whose dates fall in solar year `year`, sorted by date.
///
/// A holiday on a weekend is listed with " — rơi vào thứ Bảy/Chủ nhật" appended. Holidays are
/// grouped into periods of consecutive calendar days; each period gives as many compensation days
/// as it has holidays on a weekend, on the next working days after the period (skipping weekends,
/// other holidays and compensation days already given). Two rules landing on the same date make
/// one day off (reasons joined with "; ").
pub fn statutory_days_off(year: i32, rules: &[HolidayRule]) -> Vec<DayOff> {
    // Neighbouring years too: a period can straddle New Year, and a lunar rule of one year could
    // in principle land in the next solar year; filtering by date at the end keeps each day in
    // exactly one year's list.
    let mut holidays: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    for y in year.saturating_sub(1)..=year.saturating_add(1) {
        for rule in rules {
            if let Some((date, reason)) = rule.occurrence(y) {
                let reasons = holidays.entry(date).or_default();
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
    }
    let holiday_reason = |reasons: &Vec<String>| reasons.join("; ");

    let mut out: Vec<DayOff> = Vec::new();
    let mut compensation: BTreeSet<NaiveDate> = BTreeSet::new();
    let dates: Vec<NaiveDate> = holidays.keys().copied().collect();
    let mut start = 0;
    while start < dates.len() {
        let mut end = start;
        while end + 1 < dates.len() && dates[end].succ_opt() == Some(dates[end + 1]) {
            end += 1;
        }
        let mut cursor = dates[end];
        for &date in &dates[start..=end] {
            let reason = holiday_reason(&holidays[&date]);
            if !is_weekend(date) {
                out.push(DayOff { date, reason, kind: DayOffKind::Holiday });
                continue;
            }
            let weekday = weekday_name(date.weekday());
            out.push(DayOff { date, reason: format!("{reason} — rơi vào {weekday}"), kind: DayOffKind::Holiday });
            // Next day after the period (and after earlier compensation) that is a working day.
            let next = loop {
                let Some(next) = cursor.succ_opt() else { break None };
                cursor = next;
                if !is_weekend(next) && !holidays.contains_key(&next) && !compensation.contains(&next) {
                    break Some(next);
                }
            };
            if let Some(comp) = next {
                compensation.insert(comp);
                let reason = format!("Nghỉ bù cho {reason}, rơi vào {weekday} {}", date.format("%d/%m/%Y"));
                out.push(DayOff { date: comp, reason, kind: DayOffKind::Compensation });
            }
        }
        start = end + 1;
    }
    out.retain(|d| d.date.year() == year);
    out.sort_by_key(|a| (a.date, a.kind));
    out
}

// ---------------------------------------------------------------------------------------------
// Overrides and the working calendar

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
    overrides: BTreeMap<NaiveDate, Override>,
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

    /// Default (rule-produced) days off of `year`, sorted by date.
    fn defaults(&self, year: i32) -> Arc<[DayOff]> {
        // A panic elsewhere cannot leave the map half-updated (entries are inserted whole), so a
        // poisoned lock is safe to reuse.
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry(year).or_insert_with(|| statutory_days_off(year, &self.rules).into()).clone()
    }

    fn is_default_day_off(&self, date: NaiveDate) -> bool {
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

    /// Working days from `from` to `to`: the number of working days in (from, to] when `to` is not
    /// before `from` (so `working_days_between(d, add_working_days(d, n)) == n`), and minus the
    /// number in (to, from] otherwise. With `from` = today and `to` = the due date: remaining
    /// working days, negative when overdue (0 on a weekend right after the due day: use
    /// [`due_status`](Self::due_status) for the verdict).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let count = lo.iter_days().skip(1).take_while(|d| *d <= hi).filter(|d| self.is_working_day(*d)).count();
        sign * count as i64
    }

    /// Overdue once `today` is past the due day; due soon when at most `due_soon_days` working
    /// days remain (see [`DEFAULT_DUE_SOON_DAYS`]); on track otherwise.
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn lines(days: &[DayOff]) -> Vec<String> {
        days.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn holidays_2026() {
        // 1 January 2026 is a Thursday. Month 12 of Ất Tỵ has 29 days (new moons 2026-01-19 02:52
        // and 2026-02-17 19:01 at UTC+7), so Tết eve is 29 tháng Chạp, Monday 16 February.
        let expected = [
            "2026-01-01\tTết Dương lịch",
            "2026-02-16\tTết Nguyên đán (29 tháng Chạp)",
            "2026-02-17\tTết Nguyên đán (mùng 1 Tết)",
            "2026-02-18\tTết Nguyên đán (mùng 2 Tết)",
            "2026-02-19\tTết Nguyên đán (mùng 3 Tết)",
            "2026-02-20\tTết Nguyên đán (mùng 4 Tết)",
            "2026-04-26\tGiỗ Tổ Hùng Vương (10/3 âm lịch) — rơi vào Chủ nhật",
            "2026-04-27\tNghỉ bù cho Giỗ Tổ Hùng Vương (10/3 âm lịch), rơi vào Chủ nhật 26/04/2026",
            "2026-04-30\tNgày Chiến thắng 30/4",
            "2026-05-01\tNgày Quốc tế Lao động 1/5",
            "2026-09-01\tQuốc khánh (1/9)",
            "2026-09-02\tQuốc khánh 2/9",
        ];
        let days = statutory_days_off(2026, &default_rules());
        assert_eq!(lines(&days), expected);
        assert_eq!(d(2026, 1, 1).weekday(), Weekday::Thu);
        assert_eq!(d(2026, 4, 27).weekday(), Weekday::Mon);
        let comp: Vec<_> = days.iter().filter(|x| x.kind == DayOffKind::Compensation).map(|x| x.date).collect();
        assert_eq!(comp, [d(2026, 4, 27)]);
        assert_eq!(WorkCalendar::default().days_off(2026), days);
    }

    #[test]
    fn tet_2026_with_weekends_is_nine_days_off() {
        // The announced schedule for public bodies (14–22 February) is what the defaults give.
        let cal = WorkCalendar::default();
        let off: Vec<_> = d(2026, 2, 10).iter_days().take(16).filter(|x| !cal.is_working_day(*x)).collect();
        let expected: Vec<_> = d(2026, 2, 14).iter_days().take(9).collect();
        assert_eq!(off, expected);
    }

    #[test]
    fn tet_on_a_weekend_2024() {
        // Tết Giáp Thìn: eve Fri 9 Feb, mùng 1 Sat 10, mùng 2 Sun 11 → two compensation days after
        // the period (ending Tue 13): Wed 14 and Thu 15. 1 September 2024 is a Sunday → Tue 3 Sep.
        let days = statutory_days_off(2024, &default_rules());
        let got: Vec<_> = days.iter().map(|x| (x.date, x.kind)).collect();
        use DayOffKind::{Compensation as C, Holiday as H};
        assert_eq!(
            got,
            [
                (d(2024, 1, 1), H),
                (d(2024, 2, 9), H),
                (d(2024, 2, 10), H),
                (d(2024, 2, 11), H),
                (d(2024, 2, 12), H),
                (d(2024, 2, 13), H),
                (d(2024, 2, 14), C),
                (d(2024, 2, 15), C),
                (d(2024, 4, 18), H),
                (d(2024, 4, 30), H),
                (d(2024, 5, 1), H),
                (d(2024, 9, 1), H),
                (d(2024, 9, 2), H),
                (d(2024, 9, 3), C),
            ]
        );
        assert_eq!(days[1].reason, "Tết Nguyên đán (30 tháng Chạp)");
        assert_eq!(days[2].reason, "Tết Nguyên đán (mùng 1 Tết) — rơi vào thứ Bảy");
        assert_eq!(days[6].reason, "Nghỉ bù cho Tết Nguyên đán (mùng 1 Tết), rơi vào thứ Bảy 10/02/2024");
        assert_eq!(days[7].reason, "Nghỉ bù cho Tết Nguyên đán (mùng 2 Tết), rơi vào Chủ nhật 11/02/2024");
    }

    #[test]
    fn one_period_spanning_several_holidays_2023() {
        // Hùng Kings 2023 = Sat 29 April, then Sun 30/4 and Mon 1/5: one period with two weekend
        // holidays → Tue 2 and Wed 3 May (matching the 29/4–3/5 break announced for 2023).
        let days = statutory_days_off(2023, &default_rules());
        let spring: Vec<_> =
            days.iter().filter(|x| x.date.month() == 4 || x.date.month() == 5).map(|x| (x.date, x.kind)).collect();
        assert_eq!(
            spring,
            [
                (d(2023, 4, 29), DayOffKind::Holiday),
                (d(2023, 4, 30), DayOffKind::Holiday),
                (d(2023, 5, 1), DayOffKind::Holiday),
                (d(2023, 5, 2), DayOffKind::Compensation),
                (d(2023, 5, 3), DayOffKind::Compensation),
            ]
        );
    }

    #[test]
    fn rules_have_years_of_validity() {
        let before = statutory_days_off(2019, &default_rules());
        assert!(before.iter().all(|x| x.date != d(2019, 9, 1)), "1/9 is a holiday from 2021 on");
        let with_new_day = {
            let mut rules = default_rules();
            rules.push(HolidayRule::solar("Ngày Văn hoá Việt Nam", 11, 24).since(2030));
            rules
        };
        assert!(statutory_days_off(2029, &with_new_day).iter().all(|x| x.date.month() != 11));
        assert!(statutory_days_off(2030, &with_new_day).iter().any(|x| x.date == d(2030, 11, 24)));
    }

    #[test]
    fn every_year_lists_its_own_days_exactly_once() {
        let rules = default_rules();
        for year in 2021..=2199 {
            let days = statutory_days_off(year, &rules);
            assert!(days.iter().all(|x| x.date.year() == year), "{year}");
            assert!(days.windows(2).all(|w| w[0].date < w[1].date), "{year}: sorted, no duplicates");
            let holidays = days.iter().filter(|x| x.kind == DayOffKind::Holiday).count();
            assert_eq!(holidays, 11, "{year}: 11 statutory holidays");
            let on_weekend = days.iter().filter(|x| x.kind == DayOffKind::Holiday && is_weekend(x.date)).count();
            let comp = days.iter().filter(|x| x.kind == DayOffKind::Compensation).count();
            assert_eq!(comp, on_weekend, "{year}: one compensation day per weekend holiday");
            assert!(days.iter().filter(|x| x.kind == DayOffKind::Compensation).all(|x| !is_weekend(x.date)));
        }
    }

    #[test]
    fn holidays_straddling_new_year() {
        // A custom rule on 31 December that falls on a weekend is compensated in January.
        let rules = vec![HolidayRule::solar("Giao thừa", 12, 31), HolidayRule::solar("Tết Dương lịch", 1, 1)];
        // 2022-12-31 is a Saturday, 2023-01-01 a Sunday: one period, two compensation days.
        let y2022 = statutory_days_off(2022, &rules);
        let y2023 = statutory_days_off(2023, &rules);
        let dec: Vec<_> = y2022.iter().filter(|x| x.date.month() == 12).map(|x| x.date).collect();
        assert_eq!(dec, [d(2022, 12, 31)], "the compensation is listed in 2023, where it falls");
        let got: Vec<_> = y2023.iter().filter(|x| x.date.month() == 1).map(|x| (x.date, x.kind)).collect();
        assert_eq!(
            got,
            [
                (d(2023, 1, 1), DayOffKind::Holiday),
                (d(2023, 1, 2), DayOffKind::Compensation),
                (d(2023, 1, 3), DayOffKind::Compensation),
            ]
        );
    }

    /// An illustrative override set (not the government's actual text): one extra day off after
    /// Tết 2026, a make-up Saturday, and a removed default holiday.
    fn overrides_2026() -> Vec<Override> {
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

    #[test]
    fn deadline_is_end_of_day_in_viet_nam() {
        let instant = deadline_instant(d(2026, 3, 13));
        assert_eq!(instant.to_rfc3339(), "2026-03-13T23:59:59+07:00");
        assert_eq!(instant.naive_utc(), d(2026, 3, 13).and_hms_opt(16, 59, 59).expect("valid"));
        let _ = deadline_instant(NaiveDate::MIN);
        let _ = deadline_instant(NaiveDate::MAX);
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
