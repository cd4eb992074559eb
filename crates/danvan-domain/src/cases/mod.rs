//! Citizens' feedback and petitions (RULES.md §2): kinds, channels, the lifecycle as an explicit
//! state machine, the statutory time limits, and what each kind requires of the sender.
//! Complaints and denunciations follow other laws: they are recorded, classified and routed,
//! never mixed up with feedback.
//!
//! One file per concept: `kinds` (kinds, channels, statuses), `lifecycle` (the state machine),
//! `deadlines` (time limits and due dates), `sender` (what each kind requires of its sender),
//! `intake` (validating a submission), `support` (supporting units) and `denunciation` (whom a
//! denunciation concerns, and its denouncer's protection); everything but `denunciation` is re-exported
//! here, so paths stay `danvan_domain::cases::…`.

use crate::errors::FieldErrors;

pub mod answer_number;
pub mod attachment;
pub mod category;
pub mod delivery;
pub mod denunciation;
pub mod document;
pub mod figures;
pub mod geo;
pub mod inbox;
pub mod spam;

mod deadlines;
mod intake;
mod kinds;
mod lifecycle;
mod sender;
mod support;

pub use deadlines::*;
pub use intake::*;
pub use kinds::*;
pub use lifecycle::*;
pub use sender::*;
pub use support::*;

/// Tracking codes: PA-2026-000123 (one sequence per year).
pub fn tracking_code(year: i32, seq: i64) -> String {
    format!("PA-{year}-{seq:06}")
}

/// What a case's text search reads (`cases.search_text`): its title, description and address,
/// folded (lower case, no diacritics, đ → d), so "ngo 5 hang bai" finds "Ngõ 5 Hàng Bài".
pub fn search_text(title: &str, description: &str, address: &str) -> String {
    [title, description, address].iter().map(|s| crate::text::fold(s)).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The version of `search_text`'s recipe the rows written now carry: rows of an older recipe
/// are rewritten by the background job (`cases.search_version`, migration 34).
pub const SEARCH_VERSION: i64 = 2;

/// Ratings of the answer are 1 to 5.
pub fn validate_rating(r: i64) -> Result<u8, FieldErrors> {
    if (1..=5).contains(&r) {
        Ok(r as u8)
    } else {
        Err(FieldErrors::one("rating", "case.error.rating"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_search_text_reads_the_address_without_diacritics() {
        let s = super::search_text("Đèn hỏng", "Đèn đường không sáng", "Ngõ 5 phố Hàng Bài");
        assert_eq!(s, "den hong den duong khong sang ngo 5 pho hang bai");
        assert_eq!(super::search_text("A", "B", ""), "a b");
    }

    use super::*;

    #[test]
    fn tracking_codes_and_ratings() {
        assert_eq!(tracking_code(2026, 123), "PA-2026-000123");
        assert!(validate_rating(0).is_err() && validate_rating(6).is_err());
        assert_eq!(validate_rating(5).unwrap(), 5);
        assert_eq!(CaseStatus::Answered.open311(), "closed");
        assert_eq!(CaseStatus::Paused.open311(), "open");
    }
}
