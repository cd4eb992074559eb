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
mod span;
mod working;

pub use holidays::*;
pub use span::HOLIDAY_YEARS;
pub use working::*;

/// A case is "due soon" when at most this many working days remain (configurable per call).
pub const DEFAULT_DUE_SOON_DAYS: u32 = 2;

/// Largest N accepted by the working-day arithmetic (about 400 years); it bounds the day-by-day
/// walk so an absurd input cannot make a request spin.
pub const MAX_WORKING_DAYS: u32 = 100_000;

/// The earliest date anyone may give (a case's receipt, a filter, a calendar override): the year
/// the Democratic Republic of Viet Nam was founded. Nothing this product records — citizens'
/// letters, holidays of the Labour Code, today's units — is older, and a bound keeps absurd
/// years (`-262143-01-10` was accepted once) out of the working-day arithmetic and the exports
/// (Excel knows no date before 1900).
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1945, 1, 1) {
    Some(d) => d,
    None => panic!("1945-01-01 is a date"),
};

/// How many years ahead of today a planned date may lie (calendar overrides, the end of a
/// filter): the government announces holidays a year ahead; ten leaves room without letting a
/// typo's year 20260 in.
pub const YEARS_AHEAD: u32 = 10;

/// What a date given by a user may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRange {
    /// Something that has happened (a case's receipt): from [`EARLIEST_DATE`] to today.
    Past,
    /// A plan or a bound of a search: from [`EARLIEST_DATE`] to [`YEARS_AHEAD`] years after today.
    Planning,
}

/// Whether `date` is one a user may give, as the key of the field error when not
/// (`error.date_too_early`, `error.date_future`, `error.date_too_late`). `today` is the day in
/// Viet Nam (the caller's clock, so tests can fix it).
pub fn check_date(date: NaiveDate, today: NaiveDate, range: DateRange) -> Result<NaiveDate, &'static str> {
    let latest = match range {
        DateRange::Past => today,
        DateRange::Planning => today.checked_add_months(chrono::Months::new(12 * YEARS_AHEAD)).unwrap_or(NaiveDate::MAX),
    };
    if date < EARLIEST_DATE {
        Err("error.date_too_early")
    } else if date > latest {
        Err(if range == DateRange::Past { "error.date_future" } else { "error.date_too_late" })
    } else {
        Ok(date)
    }
}

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
    fn dates_users_give_are_bounded() {
        let today = d(2026, 12, 7);
        assert_eq!(check_date(d(1945, 1, 1), today, DateRange::Past), Ok(d(1945, 1, 1)));
        assert_eq!(check_date(d(1944, 12, 31), today, DateRange::Past), Err("error.date_too_early"));
        assert_eq!(check_date(NaiveDate::MIN, today, DateRange::Planning), Err("error.date_too_early"));
        assert_eq!(check_date(today, today, DateRange::Past), Ok(today));
        assert_eq!(check_date(d(2026, 12, 8), today, DateRange::Past), Err("error.date_future"));
        assert_eq!(check_date(d(2036, 12, 7), today, DateRange::Planning), Ok(d(2036, 12, 7)));
        assert_eq!(check_date(d(2036, 12, 8), today, DateRange::Planning), Err("error.date_too_late"));
        assert_eq!(check_date(NaiveDate::MAX, today, DateRange::Planning), Err("error.date_too_late"));
        // From 29 February, ten years on ends with 28 February.
        assert_eq!(check_date(d(2038, 2, 28), d(2028, 2, 29), DateRange::Planning), Ok(d(2038, 2, 28)));
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
