//! Statutory holidays as data ([`HolidayRule`], [`default_rules`]) and the days off they give in
//! a year, compensation days included ([`statutory_days_off`]).

use super::lunar;
use super::{is_weekend, weekday_name};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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
    /// A day off declared by an administrator ([`Override::DayOff`](super::Override::DayOff)).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;
    use chrono::Weekday;

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
}
