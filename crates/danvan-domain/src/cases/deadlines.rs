//! The statutory time limits: each kind's [`DeadlinePolicy`] (settings, with the defaults of
//! RULES.md §2) and a case's due dates on the working calendar, pauses included.

use super::{CaseKind, CaseStatus};
use crate::calendar::WorkCalendar;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    Working,
    Calendar,
}

/// Where the resolution clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    Receipt,
    Acceptance,
}

/// The time limits of one kind (settings, with the defaults of RULES.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    /// Acknowledge / accept (thụ lý) within this many days of receipt.
    pub accept_days: u32,
    pub accept_count: DayCount,
    pub resolve_days: u32,
    /// When the case is flagged complex.
    pub resolve_days_complex: u32,
    /// When the handling unit is in a remote area.
    pub resolve_days_remote: u32,
    pub resolve_days_remote_complex: u32,
    pub resolve_count: DayCount,
    pub resolve_from: ClockStart,
    pub max_extensions: u32,
    pub extension_days: u32,
    /// Days after the answer during which the citizen may dispute it.
    pub reopen_window_days: u32,
    /// The legal basis shown beside the figures.
    pub basis: String,
}

/// A stored [`DeadlinePolicy`] as read back: every field optional, so a value written before a
/// field existed still parses and the missing field takes its kind's default (not every limit
/// falling back at once).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PartialDeadlinePolicy {
    pub accept_days: Option<u32>,
    pub accept_count: Option<DayCount>,
    pub resolve_days: Option<u32>,
    pub resolve_days_complex: Option<u32>,
    pub resolve_days_remote: Option<u32>,
    pub resolve_days_remote_complex: Option<u32>,
    pub resolve_count: Option<DayCount>,
    pub resolve_from: Option<ClockStart>,
    pub max_extensions: Option<u32>,
    pub extension_days: Option<u32>,
    pub reopen_window_days: Option<u32>,
    pub basis: Option<String>,
}

impl DeadlinePolicy {
    /// The stored fields of `kind`'s policy, the missing ones taken from its legal default.
    pub fn from_partial(kind: CaseKind, p: PartialDeadlinePolicy) -> DeadlinePolicy {
        let d = DeadlinePolicy::default_for(kind);
        DeadlinePolicy {
            accept_days: p.accept_days.unwrap_or(d.accept_days),
            accept_count: p.accept_count.unwrap_or(d.accept_count),
            resolve_days: p.resolve_days.unwrap_or(d.resolve_days),
            resolve_days_complex: p.resolve_days_complex.unwrap_or(d.resolve_days_complex),
            resolve_days_remote: p.resolve_days_remote.unwrap_or(d.resolve_days_remote),
            resolve_days_remote_complex: p.resolve_days_remote_complex.unwrap_or(d.resolve_days_remote_complex),
            resolve_count: p.resolve_count.unwrap_or(d.resolve_count),
            resolve_from: p.resolve_from.unwrap_or(d.resolve_from),
            max_extensions: p.max_extensions.unwrap_or(d.max_extensions),
            extension_days: p.extension_days.unwrap_or(d.extension_days),
            reopen_window_days: p.reopen_window_days.unwrap_or(d.reopen_window_days),
            basis: p.basis.unwrap_or(d.basis),
        }
    }

    pub fn default_for(kind: CaseKind) -> DeadlinePolicy {
        match kind {
            CaseKind::Feedback | CaseKind::Petition => DeadlinePolicy {
                accept_days: 5,
                accept_count: DayCount::Working,
                resolve_days: 10,
                resolve_days_complex: 10,
                resolve_days_remote: 10,
                resolve_days_remote_complex: 10,
                resolve_count: DayCount::Working,
                resolve_from: ClockStart::Acceptance,
                max_extensions: 0,
                extension_days: 0,
                reopen_window_days: 15,
                basis: "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP)".into(),
            },
            CaseKind::Complaint => DeadlinePolicy {
                accept_days: 10,
                accept_count: DayCount::Calendar,
                resolve_days: 30,
                resolve_days_complex: 45,
                resolve_days_remote: 45,
                resolve_days_remote_complex: 60,
                resolve_count: DayCount::Calendar,
                resolve_from: ClockStart::Acceptance,
                max_extensions: 0,
                extension_days: 0,
                reopen_window_days: 30,
                basis: "Luật Khiếu nại 2011, Điều 27, 28".into(),
            },
            CaseKind::Denunciation => DeadlinePolicy {
                accept_days: 7,
                accept_count: DayCount::Working,
                resolve_days: 30,
                resolve_days_complex: 30,
                resolve_days_remote: 30,
                resolve_days_remote_complex: 30,
                resolve_count: DayCount::Calendar,
                resolve_from: ClockStart::Acceptance,
                max_extensions: 2,
                extension_days: 30,
                reopen_window_days: 0,
                basis: "Luật Tố cáo 2018, Điều 29, 30".into(),
            },
        }
    }
}

/// The dates a case's clocks depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub complex: bool,
    pub remote: bool,
    pub extensions_used: u32,
    /// Inclusive ranges during which the case waited for the citizen.
    pub pauses: Vec<(NaiveDate, NaiveDate)>,
}

fn add_days(
    cal: &WorkCalendar,
    count: DayCount,
    from: NaiveDate,
    n: u32,
    pauses: &[(NaiveDate, NaiveDate)],
) -> Option<NaiveDate> {
    match count {
        DayCount::Working => cal.add_working_days_with_pauses(from, n, pauses),
        DayCount::Calendar => {
            // Calendar days: day D is not counted; each paused day pushes the date by one; a last
            // day that is a weekend or a holiday gives way to the next working day (Civil Code
            // 2015 Art. 148(5)), whether or not pauses moved it there.
            let paused: u64 = pauses
                .iter()
                .filter(|(a, b)| a <= b)
                .map(|(a, b)| {
                    let start = (*a).max(from.succ_opt().unwrap_or(from));
                    if *b < start {
                        0
                    } else {
                        (*b - start).num_days() as u64 + 1
                    }
                })
                .sum();
            from.checked_add_days(Days::new(n as u64 + paused)).and_then(|last| cal.working_day_on_or_after(last))
        }
    }
}

/// Due dates of a case: (accept by, resolve by). The resolution date is known once its clock
/// has started (at receipt or at acceptance, per the policy).
pub fn due_dates(policy: &DeadlinePolicy, clock: &Clock, cal: &WorkCalendar) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let accept_by = add_days(cal, policy.accept_count, clock.received_on, policy.accept_days, &[]);
    let start = match policy.resolve_from {
        ClockStart::Receipt => Some(clock.received_on),
        ClockStart::Acceptance => clock.accepted_on,
    };
    let days = match (clock.complex, clock.remote) {
        (false, false) => policy.resolve_days,
        (true, false) => policy.resolve_days_complex,
        (false, true) => policy.resolve_days_remote,
        (true, true) => policy.resolve_days_remote_complex,
    } + policy.extension_days * clock.extensions_used;
    let resolve_by = start.and_then(|s| add_days(cal, policy.resolve_count, s, days, &clock.pauses));
    (accept_by, resolve_by)
}

/// A case's pauses as recorded (a pause not yet ended has no last day), as of `day`: a pause
/// still running counts up to that day — the clock stays stopped while the case waits.
pub fn pauses_as_of(pauses: &[(NaiveDate, Option<NaiveDate>)], day: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    pauses.iter().map(|(from, to)| (*from, to.unwrap_or(day))).collect()
}

/// Due dates of a case as of `day`, given its recorded pauses: (accept by, resolve by) as
/// `due_dates` counts them with a running pause ended on `day` — the dates that resuming the
/// case that day would set. While a case waits its date moves with every day it waits.
pub fn due_dates_as_of(
    policy: &DeadlinePolicy,
    clock: &Clock,
    pauses: &[(NaiveDate, Option<NaiveDate>)],
    day: NaiveDate,
    cal: &WorkCalendar,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let clock = Clock { pauses: pauses_as_of(pauses, day), ..clock.clone() };
    due_dates(policy, &clock, cal)
}

/// Where a case stands against its due date as of `day`: `None` for work that is done or has
/// no date. A paused case waits for the citizen: its clock is stopped, so it is never due soon
/// or overdue (the filters and counters leave it out the same way).
pub fn due_status_as_of(
    status: CaseStatus,
    due: Option<NaiveDate>,
    day: NaiveDate,
    cal: &WorkCalendar,
    due_soon_days: u32,
) -> Option<crate::calendar::DueStatus> {
    let due = due.filter(|_| status.is_open())?;
    Some(if status == CaseStatus::Paused { crate::calendar::DueStatus::OnTrack } else { cal.due_status(day, due, due_soon_days) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DueStatus;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn feedback_counts_working_days_from_acceptance() {
        let cal = WorkCalendar::default();
        let p = DeadlinePolicy::default_for(CaseKind::Feedback);
        let mut clock =
            Clock { received_on: d(2, 12), accepted_on: None, complex: false, remote: false, extensions_used: 0, pauses: vec![] };
        // 5 working days from Thursday 12 Feb 2026 across Tết: 13, 23, 24, 25, 26.
        assert_eq!(due_dates(&p, &clock, &cal), (Some(d(2, 26)), None));
        clock.accepted_on = Some(d(2, 23));
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(3, 9)));
        // Two paused working days push it by two.
        clock.pauses = vec![(d(2, 24), d(2, 25))];
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(3, 11)));
    }

    #[test]
    fn complaints_count_calendar_days_with_complex_and_remote_rules() {
        let cal = WorkCalendar::default();
        let p = DeadlinePolicy::default_for(CaseKind::Complaint);
        let mut clock = Clock {
            received_on: d(3, 2),
            accepted_on: Some(d(3, 10)),
            complex: false,
            remote: false,
            extensions_used: 0,
            pauses: vec![],
        };
        assert_eq!(due_dates(&p, &clock, &cal), (Some(d(3, 12)), Some(d(4, 9))));
        clock.complex = true;
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(4, 24)));
        clock.remote = true;
        // 60 days → Saturday 9 May; the limit ends with Monday 11 May (Civil Code Art. 148(5)).
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(5, 11)));
    }

    #[test]
    fn denunciation_extensions_add_thirty_days_each() {
        let cal = WorkCalendar::default();
        let p = DeadlinePolicy::default_for(CaseKind::Denunciation);
        let mut clock = Clock {
            received_on: d(3, 2),
            accepted_on: Some(d(3, 10)),
            complex: false,
            remote: false,
            extensions_used: 0,
            pauses: vec![],
        };
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(4, 9)));
        clock.extensions_used = 1;
        // 60 days → Saturday 9 May → Monday 11 May (Civil Code Art. 148(5)).
        assert_eq!(due_dates(&p, &clock, &cal).1, Some(d(5, 11)));
        // accepted within 7 working days of receipt (Mon 2 March → Wed 11 March)
        assert_eq!(due_dates(&p, &clock, &cal).0, Some(d(3, 11)));
    }

    fn y(year: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, m, day).unwrap()
    }

    fn clock_from(received_on: NaiveDate, accepted_on: Option<NaiveDate>) -> Clock {
        Clock { received_on, accepted_on, complex: false, remote: false, extensions_used: 0, pauses: vec![] }
    }

    /// Civil Code 2015 Art. 148(5): a limit in calendar days whose last day is a weekend or a
    /// public holiday ends at the close of the next working day.
    #[test]
    fn a_calendar_day_limit_ending_on_a_rest_day_moves_to_the_next_working_day() {
        let cal = WorkCalendar::default();
        let complaint = DeadlinePolicy::default_for(CaseKind::Complaint);
        let accept_by = |received: NaiveDate| due_dates(&complaint, &clock_from(received, None), &cal).0;
        // The demo's PA-2023-000011: received Fri 21 April 2023, 10 days → Mon 1 May, a holiday;
        // 29/4 (Hùng Kings, Sat), 30/4 (Sun), 1/5 and the compensation days 2–3 May are off.
        assert_eq!(accept_by(y(2023, 4, 21)), Some(y(2023, 5, 4)));
        // Tết 2026 (16–20 February, then a weekend): 6 Feb + 10 = Mon 16 → Mon 23 February.
        assert_eq!(accept_by(y(2026, 2, 6)), Some(y(2026, 2, 23)));
        // 30/4 2026 is a Thursday, 1/5 a Friday: 20 April + 10 → Mon 4 May.
        assert_eq!(accept_by(y(2026, 4, 20)), Some(y(2026, 5, 4)));
        // 1/5 2026: 21 April + 10 → Mon 4 May.
        assert_eq!(accept_by(y(2026, 4, 21)), Some(y(2026, 5, 4)));
        // National Day 2026 (Tue 1 and Wed 2 September): 23 August + 10 → Thu 3 September.
        assert_eq!(accept_by(y(2026, 8, 23)), Some(y(2026, 9, 3)));
        // A plain Saturday and Sunday → Monday.
        assert_eq!(accept_by(y(2026, 3, 4)), Some(y(2026, 3, 16)));
        assert_eq!(accept_by(y(2026, 3, 5)), Some(y(2026, 3, 16)));
        // A working day stays where it is.
        assert_eq!(accept_by(y(2026, 3, 2)), Some(y(2026, 3, 12)));
        // 1 January 2028 is a Saturday: 22 December 2027 + 10 → Mon 3 January 2028 is its
        // compensation day → Tue 4 January.
        assert_eq!(accept_by(y(2027, 12, 22)), Some(y(2028, 1, 4)));

        // The resolution limit too: accepted Wed 1 April 2026, 30 days → Fri 1 May → Mon 4 May.
        let (_, resolve) = due_dates(&complaint, &clock_from(y(2026, 3, 25), Some(y(2026, 4, 1))), &cal);
        assert_eq!(resolve, Some(y(2026, 5, 4)));
        // And a limit that pauses pushed onto a rest day: accepted Mon 2 March, 30 days → Wed 1
        // April; paused 3 days → Sat 4 April → Mon 6 April.
        let mut clock = clock_from(y(2026, 2, 27), Some(y(2026, 3, 2)));
        assert_eq!(due_dates(&complaint, &clock, &cal).1, Some(y(2026, 4, 1)));
        clock.pauses = vec![(y(2026, 3, 10), y(2026, 3, 12))];
        assert_eq!(due_dates(&complaint, &clock, &cal).1, Some(y(2026, 4, 6)));
        // The announced schedule wins: a make-up Saturday is a working day, a declared day off
        // is not.
        use crate::calendar::{default_rules, Override};
        let cal = WorkCalendar::new(
            default_rules(),
            [
                Override::WorkingDay { date: y(2026, 3, 14), reason: "Làm bù".into() },
                Override::DayOff { date: y(2026, 3, 16), reason: "Nghỉ".into() },
            ],
        );
        assert_eq!(due_dates(&complaint, &clock_from(y(2026, 3, 4), None), &cal).0, Some(y(2026, 3, 14)));
        assert_eq!(due_dates(&complaint, &clock_from(y(2026, 3, 5), None), &cal).0, Some(y(2026, 3, 17)));
    }

    proptest::proptest! {
        /// Whatever the kind, dates, flags and pauses, a due date is never a rest day.
        #[test]
        fn a_due_date_is_never_a_rest_day(
            received in 0i64..36_500,
            accepted_after in 0i64..30,
            kind in proptest::sample::select(CaseKind::ALL.to_vec()),
            complex: bool,
            remote: bool,
            extensions in 0u32..3,
            pauses in proptest::collection::vec((0i64..60, 0i64..20), 0..3),
        ) {
            let cal = WorkCalendar::default();
            let received_on = y(2000, 1, 1) + chrono::Duration::days(received);
            let accepted_on = received_on + chrono::Duration::days(accepted_after);
            let pauses = pauses
                .into_iter()
                .map(|(start, len)| (accepted_on + chrono::Duration::days(start), accepted_on + chrono::Duration::days(start + len)))
                .collect();
            let clock = Clock { received_on, accepted_on: Some(accepted_on), complex, remote, extensions_used: extensions, pauses };
            let (accept_by, resolve_by) = due_dates(&DeadlinePolicy::default_for(kind), &clock, &cal);
            let accept_by = accept_by.expect("in range");
            let resolve_by = resolve_by.expect("in range");
            proptest::prop_assert!(cal.is_working_day(accept_by), "{kind:?} accept by {accept_by}");
            proptest::prop_assert!(cal.is_working_day(resolve_by), "{kind:?} resolve by {resolve_by}");
            proptest::prop_assert!(accept_by > received_on && resolve_by > accepted_on);
        }
    }

    #[test]
    fn a_running_pause_moves_the_date_day_by_day_and_is_never_overdue() {
        let cal = WorkCalendar::default();
        let p = DeadlinePolicy::default_for(CaseKind::Complaint);
        let clock = Clock {
            received_on: d(3, 2),
            accepted_on: Some(d(3, 2)),
            complex: false,
            remote: false,
            extensions_used: 0,
            pauses: vec![],
        };
        let stored = due_dates(&p, &clock, &cal).1.unwrap();
        assert_eq!(stored, d(4, 1));
        // Paused since 25 March, still waiting: as of Monday 13 April the date has moved by 20
        // days, and by one more the next day.
        let pauses = [(d(3, 25), None)];
        assert_eq!(due_dates_as_of(&p, &clock, &pauses, d(4, 13), &cal).1, Some(d(4, 21)));
        assert_eq!(due_dates_as_of(&p, &clock, &pauses, d(4, 14), &cal).1, Some(d(4, 22)));
        // An ended pause counts as recorded, whatever the day.
        let ended = [(d(3, 25), Some(d(3, 26)))];
        assert_eq!(due_dates_as_of(&p, &clock, &ended, d(5, 1), &cal).1, Some(d(4, 3)));
        assert_eq!(pauses_as_of(&pauses, d(4, 10)), vec![(d(3, 25), d(4, 10))]);
        // Paused: on track whatever the date; open: against the date; done: nothing.
        let late = Some(d(4, 1));
        assert_eq!(due_status_as_of(CaseStatus::Paused, late, d(4, 10), &cal, 3), Some(DueStatus::OnTrack));
        assert_eq!(due_status_as_of(CaseStatus::InProgress, late, d(4, 10), &cal, 3), Some(DueStatus::Overdue));
        assert_eq!(due_status_as_of(CaseStatus::Answered, late, d(4, 10), &cal, 3), None);
        assert_eq!(due_status_as_of(CaseStatus::InProgress, None, d(4, 10), &cal, 3), None);
    }
}
