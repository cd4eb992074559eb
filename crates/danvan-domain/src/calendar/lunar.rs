//! The Vietnamese lunar calendar (âm lịch), computed astronomically.
//!
//! This is Hồ Ngọc Đức's well-known algorithm: Julian day numbers, new moons from Meeus' series,
//! the sun's apparent longitude, lunar month 11 being the month that contains the winter
//! solstice, and the leap month being the first month (after month 11) without a major solar
//! term. Everything is computed for a time zone: the Vietnamese calendar uses UTC+7, the Chinese
//! one UTC+8, and the two really do disagree in some years (Tết 1985, 2007, …), so a product that
//! borrowed a Chinese calendar library would silently move Tết. The `_tz` variants exist so tests
//! can show that difference.
//!
//! Accuracy: the series are good to a few minutes. Over 1900–2199 the month starts agree with an
//! independent computation from a precise ephemeris except for 8 new moons within 3 minutes of
//! local midnight (one in 1944, seven after 2070); see the tests. Outside [`SUPPORTED_YEARS`] the
//! functions still answer, with growing error.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::fmt;

/// Vietnam's standard time, in hours east of UTC.
pub const VIETNAM_TZ_HOURS: f64 = 7.0;

/// Years over which the algorithm is known to be accurate (and over which it is tested).
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A day of the lunar calendar. `year` is the lunar year (the one that starts at Tết), so
/// 2030-01-20 is 17/12/2029. `leap` marks a day of the leap (nhuận) month, which repeats the
/// number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

impl fmt::Display for LunarDate {
    /// `D/M/YYYY`, followed by ` (nhuận)` for a day of a leap month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            f.write_str(" (nhuận)")?;
        }
        Ok(())
    }
}

/// The lunar date of `date` in the Vietnamese calendar (UTC+7).
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    solar_to_lunar_tz(date, VIETNAM_TZ_HOURS)
}

/// The solar date of a lunar date in the Vietnamese calendar (UTC+7); `None` when the lunar date
/// does not exist (day 30 of a 29-day month, a leap flag on a month that is not leap that year,
/// month or day out of range).
pub fn lunar_to_solar(day: u32, month: u32, year: i32, leap: bool) -> Option<NaiveDate> {
    lunar_to_solar_tz(day, month, year, leap, VIETNAM_TZ_HOURS)
}

/// [`solar_to_lunar`] at an explicit time zone (hours east of UTC; 8.0 gives the Chinese calendar).
pub fn solar_to_lunar_tz(date: NaiveDate, tz_hours: f64) -> LunarDate {
    let day_number = jd_from_date(date);
    // k is the mean lunation before the date; the true new moon can be some hours either side
    // of the mean one, so the month's start is the last of new moons k-1..=k+1 not after the date.
    // (The reference code only tries k+1 then k, and returns day 0 for 2062-04-09, really 30/2/2062.)
    let k = ((day_number as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH).floor() as i64;
    let month_start = [k + 1, k, k - 1]
        .into_iter()
        .map(|i| new_moon_day(i, tz_hours))
        .find(|&start| start <= day_number)
        // Not reached: a true new moon is less than a day from the mean one.
        .unwrap_or_else(|| new_moon_day(k - 1, tz_hours));
    let yy = date.year();
    // a11/b11: the starts of the month 11s around the date; the lunar year is decided by which
    // side of the month 11 of this solar year the date's month falls.
    let mut a11 = lunar_month11(yy, tz_hours);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = lunar_month11(yy - 1, tz_hours);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month11(yy + 1, tz_hours);
    }
    let day = (day_number - month_start + 1) as u32;
    // Months are 29 or 30 days, so dividing the distance by 29 counts whole months.
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut month = diff + 11;
    // 13 new moons between two month 11s: this lunar year has a leap month.
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz_hours);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    // Months 11 and 12 (and a leap 11/12) just after a11 belong to the previous lunar year.
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate { day, month: month as u32, year: lunar_year, leap }
}

/// [`lunar_to_solar`] at an explicit time zone (hours east of UTC).
pub fn lunar_to_solar_tz(day: u32, month: u32, year: i32, leap: bool, tz_hours: f64) -> Option<NaiveDate> {
    let month_start = month_start_jd(month, year, leap, tz_hours)?;
    // The month's length is the distance to the next new moon; validating the day against it
    // means "30 tháng Chạp" of a 29-day month is reported as missing, not shifted to Tết.
    let next_start = new_moon_day(new_moon_index(month_start) + 1, tz_hours);
    if day == 0 || i64::from(day) > next_start - month_start {
        return None;
    }
    date_from_jd(month_start + i64::from(day) - 1)
}

/// Number of days (29 or 30) of a lunar month in the Vietnamese calendar; `None` if the month
/// does not exist.
pub fn lunar_month_length(month: u32, year: i32, leap: bool) -> Option<u32> {
    lunar_month_length_tz(month, year, leap, VIETNAM_TZ_HOURS)
}

/// [`lunar_month_length`] at an explicit time zone.
pub fn lunar_month_length_tz(month: u32, year: i32, leap: bool, tz_hours: f64) -> Option<u32> {
    let start = month_start_jd(month, year, leap, tz_hours)?;
    let next_start = new_moon_day(new_moon_index(start) + 1, tz_hours);
    u32::try_from(next_start - start).ok()
}

/// The leap month of a lunar year in the Vietnamese calendar (its number: leap month 2 follows
/// month 2), or `None` if the year has twelve months.
pub fn leap_month(year: i32) -> Option<u32> {
    leap_month_tz(year, VIETNAM_TZ_HOURS)
}

/// [`leap_month`] at an explicit time zone.
pub fn leap_month_tz(year: i32, tz_hours: f64) -> Option<u32> {
    // A leap month of lunar year Y lies between month 11 of Y-1 and month 11 of Y, or (as a leap
    // 11 or 12) after month 11 of Y; check both stretches.
    let (prev11, this11, next11) =
        (lunar_month11(year - 1, tz_hours), lunar_month11(year, tz_hours), lunar_month11(year + 1, tz_hours));
    if this11 - prev11 > 365 {
        let m = month_number_of_leap(leap_month_offset(prev11, tz_hours));
        if m <= 10 {
            return Some(m);
        }
    }
    if next11 - this11 > 365 {
        let m = month_number_of_leap(leap_month_offset(this11, tz_hours));
        if m >= 11 {
            return Some(m);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The astronomical core, after Hồ Ngọc Đức's reference implementation (which states its formulas
// come from Jean Meeus, "Astronomical Algorithms").

/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// Offset between chrono's day count (0001-01-01 = 1) and the Julian day number.
const JD_OF_CE_DAY_ZERO: i64 = 1_721_425;

fn jd_from_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JD_OF_CE_DAY_ZERO
}

fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jd - JD_OF_CE_DAY_ZERO).ok()?)
}

/// Julian date (UTC, fractional) of the k-th new moon after the one of 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900-01-01 12:00
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3; // sun's mean anomaly
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3; // moon's mean anomaly
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3; // moon's argument of latitude
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // ΔT (TT − UT), in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Julian day number of the local day (at `tz_hours`) on which the k-th new moon falls.
fn new_moon_day(k: i64, tz_hours: f64) -> i64 {
    (new_moon(k) + 0.5 + tz_hours / 24.0).floor() as i64
}

/// Index k of the new moon that starts the month beginning on day `month_start`.
fn new_moon_index(month_start: i64) -> i64 {
    ((month_start as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH + 0.5).floor() as i64
}

/// Sun's apparent longitude in radians, in [0, 2π), at Julian date `jdn` (UTC).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0; // Julian centuries since J2000
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2; // mean anomaly
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2; // mean longitude
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l.rem_euclid(2.0 * PI)
}

/// Which of the 12 major solar terms' 30° sectors the sun is in at the start (local midnight) of
/// day `day_number`: 0 = from the spring equinox, …, 9 = from the winter solstice.
fn sun_sector(day_number: i64, tz_hours: f64) -> i64 {
    let l = sun_longitude(day_number as f64 - 0.5 - tz_hours / 24.0);
    ((l / PI * 6.0).floor() as i64).clamp(0, 11)
}

/// Julian day number of the first day of lunar month 11 of the lunar year that overlaps solar
/// year `yy` — the month containing the December solstice.
fn lunar_month11(yy: i32, tz_hours: f64) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(yy, 12, 31).map_or_else(|| approx_dec31_jd(yy), jd_from_date);
    let off = dec31 - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k, tz_hours);
    // If the new moon before 31 December is already past the solstice, month 11 began a month
    // earlier.
    if sun_sector(nm, tz_hours) >= 9 {
        new_moon_day(k - 1, tz_hours)
    } else {
        nm
    }
}

/// Fallback for years outside chrono's range (never reached for supported years): the proleptic
/// Gregorian day number formula.
fn approx_dec31_jd(yy: i32) -> i64 {
    let y = i64::from(yy) + 4800;
    let m = 9; // December in the March-based month numbering
    31 + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32045
}

/// For a lunar year with 13 months starting at month 11 on day `a11`: the offset (in months from
/// a11) of the leap month, i.e. the first month during which the sun enters no new sector.
fn leap_month_offset(a11: i64, tz_hours: f64) -> i64 {
    let k = new_moon_index(a11);
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, tz_hours), tz_hours);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, tz_hours), tz_hours);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The month number of the leap month at `offset` months after month 11 (offset 1 → leap 11).
fn month_number_of_leap(offset: i64) -> u32 {
    // offset ≥ 1 (the loop starts at 1), so offset + 9 ≥ 10 and rem_euclid yields 0..=11.
    ((offset + 9).rem_euclid(12) + 1) as u32
}

/// Julian day number of day 1 of a lunar month, or `None` if that month does not exist.
fn month_start_jd(month: u32, year: i32, leap: bool, tz_hours: f64) -> Option<i64> {
    if !(1..=12).contains(&month) {
        return None;
    }
    // Months 1–10 lie after month 11 of the previous solar year; months 11–12 of lunar year Y
    // start at month 11 of solar year Y.
    let (a11, b11) = if month < 11 {
        (lunar_month11(year - 1, tz_hours), lunar_month11(year, tz_hours))
    } else {
        (lunar_month11(year, tz_hours), lunar_month11(year + 1, tz_hours))
    };
    let k = new_moon_index(a11);
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz_hours);
        let leap_month = month_number_of_leap(leap_off);
        if leap && month != leap_month {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    Some(new_moon_day(k + off, tz_hours))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn lunar(day: u32, month: u32, year: i32, leap: bool) -> LunarDate {
        LunarDate { day, month, year, leap }
    }

    #[test]
    fn tet_dates_known_independently() {
        for (year, tet) in [(2024, d(2024, 2, 10)), (2025, d(2025, 1, 29)), (2026, d(2026, 2, 17))] {
            assert_eq!(lunar_to_solar(1, 1, year, false), Some(tet), "Tết {year}");
            assert_eq!(solar_to_lunar(tet), lunar(1, 1, year, false));
        }
    }

    #[test]
    fn lunar_year_is_the_lunar_one() {
        let l = solar_to_lunar(d(2030, 1, 20));
        assert_eq!(l, lunar(17, 12, 2029, false));
        assert_eq!(l.to_string(), "17/12/2029");
    }

    // Years where the Vietnamese (UTC+7) and Chinese (UTC+8) calendars disagree on Tết, each
    // explained by a new moon or solstice close to midnight (times from PyEphem):
    // - 1985: the winter solstice, 1984-12-21 16:23 UTC, is on the 21st in Hà Nội but on the 22nd
    //   in Beijing, the day of the new moon (11:47 UTC). So China's month 11 starts on 1984-12-22
    //   and Tết is two new moons later (1985-02-20); Viet Nam's month 11 started a month earlier,
    //   so the month starting 1985-01-21 is month 1.
    // - 2007: new moon 2007-02-17 16:14 UTC = 23:14 in Hà Nội, 00:14 on the 18th in Beijing.
    // - 1968: new moon 1968-01-29 16:29 UTC = 23:29 in Hà Nội, 00:29 on the 30th in Beijing.
    // The UTC+8 dates also match the `lunardate` Python tables (Hong Kong Observatory data).
    #[test]
    fn tet_differs_from_the_chinese_calendar() {
        for (year, vn, cn) in [
            (1985, d(1985, 1, 21), d(1985, 2, 20)),
            (2007, d(2007, 2, 17), d(2007, 2, 18)),
            (1968, d(1968, 1, 29), d(1968, 1, 30)),
        ] {
            assert_eq!(lunar_to_solar(1, 1, year, false), Some(vn), "Tết {year} in Viet Nam");
            assert_eq!(lunar_to_solar_tz(1, 1, year, false, 8.0), Some(cn), "Tết {year} in China");
            assert_eq!(solar_to_lunar(vn), lunar(1, 1, year, false));
            assert_eq!(solar_to_lunar_tz(cn, 8.0), lunar(1, 1, year, false));
            assert_ne!(solar_to_lunar_tz(vn, 8.0), lunar(1, 1, year, false));
        }
    }

    // 2023 (Quý Mão) had a leap 2nd month: the new moon of 2023-03-21 17:23 UTC is 00:23 on the
    // 22nd in UTC+7. 2020 (Canh Tý) had a leap 4th month: new moon 2020-05-22 17:39 UTC is 00:39 on
    // the 23rd in UTC+7. 2025 (Ất Tỵ): leap 6th month; 2033 (Quý Sửu): the rare leap 11th month.
    // All confirmed by an independent computation of the calendar's rules from PyEphem new moons
    // and solar terms (see `tet_matches_an_independent_ephemeris`).
    #[test]
    fn leap_months() {
        let l = solar_to_lunar(d(2023, 3, 22));
        assert_eq!(l, lunar(1, 2, 2023, true));
        assert_eq!(l.to_string(), "1/2/2023 (nhuận)");
        assert_eq!(solar_to_lunar(d(2023, 3, 21)), lunar(30, 2, 2023, false));
        assert_eq!(leap_month(2023), Some(2));
        assert_eq!(lunar_to_solar(1, 2, 2023, true), Some(d(2023, 3, 22)));
        assert_eq!(lunar_to_solar(1, 2, 2023, false), Some(d(2023, 2, 20)));

        assert_eq!(solar_to_lunar(d(2020, 5, 23)), lunar(1, 4, 2020, true));
        assert_eq!(leap_month(2020), Some(4));
        assert_eq!(lunar_to_solar(1, 4, 2020, true), Some(d(2020, 5, 23)));

        assert_eq!(leap_month(2024), None);
        assert_eq!(leap_month(2025), Some(6));
        assert_eq!(solar_to_lunar(d(2025, 7, 25)), lunar(1, 6, 2025, true));

        // A leap 11th month belongs to the lunar year that its month 11 belongs to.
        assert_eq!(leap_month(2033), Some(11));
        assert_eq!(leap_month(2034), None);
        assert_eq!(solar_to_lunar(d(2033, 12, 22)), lunar(1, 11, 2033, true));
        assert_eq!(lunar_to_solar(1, 11, 2033, true), Some(d(2033, 12, 22)));
        assert_eq!(lunar_to_solar(1, 1, 2034, false), Some(d(2034, 2, 19)));
    }

    /// Tết 1950–2100, month-day, computed independently of this module: PyEphem (VSOP87/ELP2000)
    /// new moons and major solar terms at UTC+7, with month 11 = the month containing the winter
    /// solstice and the leap month = the first month without a major term. Over 1900–2199 that
    /// computation and this module agree on 3703 of 3711 month starts; the 8 differences are new
    /// moons within 3 minutes of local midnight (1944-06-20, and seven after 2070, including Tết
    /// 2175 and 2199), where Meeus' truncated series and the ΔT extrapolation reach their limit.
    const TET_1950_2100: &str = "\
        02-17 02-06 01-27 02-14 02-03 01-24 02-12 01-31 02-18 02-08 01-28 02-15 02-05 01-25 02-13 02-01 \
        01-21 02-09 01-29 02-16 02-06 01-27 02-15 02-03 01-23 02-11 01-31 02-18 02-07 01-28 02-16 02-05 \
        01-25 02-13 02-02 01-21 02-09 01-29 02-17 02-06 01-27 02-15 02-04 01-23 02-10 01-31 02-19 02-07 \
        01-28 02-16 02-05 01-24 02-12 02-01 01-22 02-09 01-29 02-17 02-07 01-26 02-14 02-03 01-23 02-10 \
        01-31 02-19 02-08 01-28 02-16 02-05 01-25 02-12 02-01 01-22 02-10 01-29 02-17 02-06 01-26 02-13 \
        02-02 01-23 02-11 01-31 02-19 02-08 01-28 02-15 02-04 01-24 02-12 02-01 01-22 02-10 01-30 02-17 \
        02-06 01-26 02-14 02-02 01-23 02-11 02-01 02-18 02-08 01-28 02-15 02-04 01-24 02-12 02-02 01-21 \
        02-09 01-29 02-17 02-05 01-26 02-14 02-03 01-23 02-11 01-31 02-19 02-07 01-27 02-15 02-05 01-24 \
        02-12 02-02 01-22 02-09 01-29 02-17 02-06 01-26 02-14 02-03 01-24 02-10 01-30 02-18 02-07 01-27 \
        02-15 02-05 01-25 02-12 02-01 01-21 02-09";

    #[test]
    fn tet_matches_an_independent_ephemeris() {
        let dates: Vec<&str> = TET_1950_2100.split_whitespace().collect();
        assert_eq!(dates.len(), 151);
        for (year, md) in (1950..=2100).zip(dates) {
            let expected = NaiveDate::parse_from_str(&format!("{year}-{md}"), "%Y-%m-%d").expect("valid table entry");
            assert_eq!(lunar_to_solar(1, 1, year, false), Some(expected), "Tết {year}");
        }
    }

    #[test]
    fn day_before_a_late_new_moon() {
        // The true new moon of month 3/2062 is well after the mean one; the day before it is the
        // last day of month 2, not "day 0" of month 3.
        assert_eq!(solar_to_lunar(d(2062, 4, 9)), lunar(30, 2, 2062, false));
        assert_eq!(solar_to_lunar(d(2062, 4, 10)), lunar(1, 3, 2062, false));
    }

    #[test]
    fn nonexistent_lunar_dates_are_none() {
        assert_eq!(lunar_to_solar(1, 3, 2023, true), None, "2023 has no leap 3rd month");
        assert_eq!(lunar_to_solar(1, 1, 2024, true), None, "2024 has no leap month");
        assert_eq!(lunar_to_solar(0, 1, 2024, false), None);
        assert_eq!(lunar_to_solar(31, 1, 2024, false), None);
        assert_eq!(lunar_to_solar(1, 13, 2024, false), None);
        assert_eq!(lunar_to_solar(1, 0, 2024, false), None);
        // Month 12 of Ất Tỵ (2025) has 29 days: 2026-01-19 to 2026-02-16, Tết on the 17th.
        assert_eq!(lunar_month_length(12, 2025, false), Some(29));
        assert_eq!(lunar_to_solar(29, 12, 2025, false), Some(d(2026, 2, 16)));
        assert_eq!(lunar_to_solar(30, 12, 2025, false), None);
    }

    #[test]
    fn every_lunar_month_has_29_or_30_days() {
        for year in [1900, 1985, 2023, 2100, 2199] {
            for month in 1..=12 {
                let len = lunar_month_length(month, year, false).expect("every plain month exists");
                assert!(len == 29 || len == 30, "{month}/{year}: {len}");
            }
        }
    }

    /// Every day of the supported range, at UTC+7 and UTC+8: lunar days run 1, 2, … 29 or 30 and
    /// start over exactly at the next month, and each date converts back to itself.
    #[test]
    fn every_supported_day_is_consistent() {
        for tz in [VIETNAM_TZ_HOURS, 8.0] {
            let mut prev: Option<LunarDate> = None;
            for date in d(1900, 1, 1).iter_days().take_while(|x| *x <= d(2199, 12, 31)) {
                let l = solar_to_lunar_tz(date, tz);
                assert!((1..=30).contains(&l.day) && (1..=12).contains(&l.month), "{date}: {l:?}");
                if let Some(p) = prev {
                    if l.day == 1 {
                        assert!(p.day == 29 || p.day == 30, "{date}: {p:?} then {l:?}");
                    } else {
                        assert_eq!(l, LunarDate { day: p.day + 1, ..p }, "{date}");
                    }
                }
                if l.day == 1 || l.day >= 29 {
                    assert_eq!(lunar_to_solar_tz(l.day, l.month, l.year, l.leap, tz), Some(date), "{date}: {l:?}");
                }
                prev = Some(l);
            }
        }
    }

    proptest! {
        #[test]
        fn round_trip_solar_lunar_solar(days in 0i64..(300 * 366)) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            prop_assume!(date <= d(2199, 12, 31));
            let l = solar_to_lunar(date);
            prop_assert!((1..=30).contains(&l.day));
            prop_assert!((1..=12).contains(&l.month));
            prop_assert_eq!(lunar_to_solar(l.day, l.month, l.year, l.leap), Some(date), "{}", l);
        }

        #[test]
        fn round_trip_at_utc8(days in 0i64..(300 * 366)) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            prop_assume!(date <= d(2199, 12, 31));
            let l = solar_to_lunar_tz(date, 8.0);
            prop_assert_eq!(lunar_to_solar_tz(l.day, l.month, l.year, l.leap, 8.0), Some(date));
        }

        #[test]
        fn consecutive_days_advance_the_lunar_date(days in 0i64..(300 * 366 - 1)) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            prop_assume!(date < d(2199, 12, 31));
            let (a, b) = (solar_to_lunar(date), solar_to_lunar(date + chrono::Duration::days(1)));
            if b.day == 1 {
                prop_assert!(a.day == 29 || a.day == 30);
                // Next month: same number if entering the leap month, else +1 (12 → 1 of next year).
                if b.leap {
                    prop_assert_eq!((b.month, b.year), (a.month, a.year));
                } else if a.month == 12 {
                    prop_assert_eq!((b.month, b.year), (1, a.year + 1));
                } else {
                    prop_assert_eq!((b.month, b.year), (a.month + 1, a.year));
                }
            } else {
                prop_assert_eq!(b, LunarDate { day: a.day + 1, ..a });
            }
        }
    }

    #[test]
    fn tet_is_always_between_21_january_and_20_february() {
        for year in SUPPORTED_YEARS {
            let tet = lunar_to_solar(1, 1, year, false).expect("Tết exists every year");
            assert!(tet >= d(year, 1, 21) && tet <= d(year, 2, 20), "Tết {year} = {tet}");
        }
    }
}
