//! Supporting units (đơn vị phối hợp) of a case: who may support which case.

use super::{CaseKind, CaseStatus};
use crate::UnitId;

/// Why a unit may not become a supporting unit (đơn vị phối hợp) of a case, as a message key;
/// `None` when it may. Support is for open work, by a unit other than the lead one, and never on a
/// denunciation: the unit denounced could be chosen, and the denouncer is protected by law.
pub fn support_refusal(
    kind: CaseKind,
    status: CaseStatus,
    lead: UnitId,
    unit: UnitId,
    unit_dissolved: bool,
    already: &[UnitId],
) -> Option<&'static str> {
    if kind == CaseKind::Denunciation {
        Some("case.support.error.denunciation")
    } else if !status.is_open() {
        Some("case.support.error.closed")
    } else if unit == lead {
        Some("case.support.error.lead")
    } else if unit_dissolved {
        Some("error.unit_dissolved")
    } else if already.contains(&unit) {
        Some("case.support.error.already")
    } else if already.len() >= MAX_SUPPORTING_UNITS {
        Some("case.support.error.too_many")
    } else {
        None
    }
}

/// Enough for a matter that concerns several bodies of a ward; more is a sign of a wrong lead.
pub const MAX_SUPPORTING_UNITS: usize = 10;

/// Longest note officers write on a case (a supporting unit's note, an internal note, the note
/// of a transition), in characters: as long as a citizen's description. 100 KB notes were stored
/// once, and every page and export that shows the history carries them.
pub const MAX_NOTE: usize = 4000;

/// An officer's text as stored ([`crate::text::clean_multiline`]) if it holds at most `max`
/// characters ([`MAX_NOTE`], [`MAX_ANSWER`]), or the key of its field error.
pub fn check_text(text: &str, max: usize) -> Result<String, &'static str> {
    let text = crate::text::clean_multiline(text);
    if text.chars().count() > max {
        Err("error.too_long")
    } else {
        Ok(text)
    }
}

/// Longest answer to a citizen, in characters: about six printed pages, more than an answer
/// letter needs (a 1,000,000-character draft was once accepted and every page showing the case
/// carried it).
pub const MAX_ANSWER: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_is_for_open_cases_by_other_live_units_once() {
        const F: CaseKind = CaseKind::Feedback;
        let open = CaseStatus::InProgress;
        assert_eq!(support_refusal(F, open, 1, 2, false, &[]), None);
        assert_eq!(support_refusal(CaseKind::Complaint, open, 1, 2, false, &[]), None);
        assert_eq!(support_refusal(CaseKind::Denunciation, open, 1, 2, false, &[]), Some("case.support.error.denunciation"));
        assert_eq!(support_refusal(F, CaseStatus::Closed, 1, 2, false, &[]), Some("case.support.error.closed"));
        assert_eq!(support_refusal(F, open, 1, 1, false, &[]), Some("case.support.error.lead"));
        assert_eq!(support_refusal(F, open, 1, 2, true, &[]), Some("error.unit_dissolved"));
        assert_eq!(support_refusal(F, open, 1, 2, false, &[2]), Some("case.support.error.already"));
        let many: Vec<UnitId> = (10..10 + MAX_SUPPORTING_UNITS as UnitId).collect();
        assert_eq!(support_refusal(F, open, 1, 2, false, &many), Some("case.support.error.too_many"));
    }

    #[test]
    fn notes_are_bounded_and_cleaned() {
        assert_eq!(check_text(" phối hợp\u{FFFF} \r\n", MAX_NOTE), Ok("phối hợp".to_string()));
        assert_eq!(check_text(&"x".repeat(MAX_NOTE), MAX_NOTE).map(|n| n.len()), Ok(MAX_NOTE));
        assert_eq!(check_text(&"x".repeat(MAX_NOTE + 1), MAX_NOTE), Err("error.too_long"));
        assert_eq!(check_text(&"x".repeat(MAX_ANSWER), MAX_ANSWER).map(|n| n.len()), Ok(MAX_ANSWER));
        assert_eq!(check_text(&"x".repeat(MAX_ANSWER + 1), MAX_ANSWER), Err("error.too_long"));
    }
}
