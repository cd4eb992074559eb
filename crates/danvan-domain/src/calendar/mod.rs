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

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Weekday};

pub mod lunar;

mod holidays;
mod working;

pub use holidays::*;
pub use working::*;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn deadline_is_end_of_day_in_viet_nam() {
        let instant = deadline_instant(d(2026, 3, 13));
        assert_eq!(instant.to_rfc3339(), "2026-03-13T23:59:59+07:00");
        assert_eq!(instant.naive_utc(), d(2026, 3, 13).and_hms_opt(16, 59, 59).expect("valid"));
        let _ = deadline_instant(NaiveDate::MIN);
        let _ = deadline_instant(NaiveDate::MAX);
    }
}
