//! The public form's spam controls that are rules, not I/O: a person takes a few seconds to fill
//! in the form, measured from the moment the server showed it (a time the server signed, so a
//! robot cannot claim an old one).

/// A person takes at least this long to fill in the form; a robot posts at once.
pub const MIN_FILL_SECONDS: i64 = 3;

/// A start older than this is refused too: a robot that fetched the form once cannot reuse its
/// signed start for ever (a day leaves a resident all the time they need).
pub const MAX_FORM_AGE_SECONDS: i64 = 24 * 3600;

/// Whether a form shown at `started` (seconds since the epoch, as the server signed it; `None`
/// when it was missing or its signature did not match) was filled in for long enough by `now`.
/// A start in the future is refused like one too recent.
pub fn filled_in_time(started: Option<i64>, now: i64) -> bool {
    started.is_some_and(|s| now.checked_sub(s).is_some_and(|d| (MIN_FILL_SECONDS..=MAX_FORM_AGE_SECONDS).contains(&d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_needs_a_signed_start_a_few_seconds_old() {
        let now = 1_800_000_000;
        assert!(filled_in_time(Some(now - 30), now));
        assert!(filled_in_time(Some(now - MIN_FILL_SECONDS), now));
        assert!(!filled_in_time(Some(now - 1), now), "too fast");
        assert!(!filled_in_time(Some(now + 60), now), "in the future");
        assert!(!filled_in_time(None, now), "missing or forged");
        assert!(!filled_in_time(Some(i64::MIN), now), "no overflow");
        assert!(filled_in_time(Some(now - MAX_FORM_AGE_SECONDS), now), "a day old");
        assert!(!filled_in_time(Some(now - MAX_FORM_AGE_SECONDS - 1), now), "replayed after a day");
    }
}
