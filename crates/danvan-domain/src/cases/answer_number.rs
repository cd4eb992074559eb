//! The number of an answer to a citizen as written on it. A State body writes "Số: 46/UBND-TL":
//! the register number, then the symbol — the issuing body's abbreviation and the drafting part's
//! (Decree 30/2020/NĐ-CP, Art. 8 and Annex I, for a letter without a type name). A Party body
//! writes "Số 46-CV/ĐU" (Hướng dẫn 36-HD/VPTW). Each unit may set its own symbol; without one it
//! is the body's abbreviation by its kind followed by "TL" (trả lời), or "CV/…" for the Party.

use crate::emulation::{issuer_abbreviation, party_format};
use crate::errors::FieldErrors;
use crate::UnitKind;
use unicode_normalization::UnicodeNormalization;

/// A symbol's longest form: the longest real ones ("UBND-TCD.VP") are about a dozen characters.
pub const MAX_SYMBOL_CHARS: usize = 30;

/// The symbol a unit of this kind writes when it has set none.
pub fn default_answer_symbol(kind: UnitKind) -> String {
    let body = issuer_abbreviation(kind);
    if party_format(kind) {
        format!("CV/{body}")
    } else {
        format!("{body}-TL")
    }
}

/// "46/UBND-TL", or "46-CV/ĐU" for a Party body.
pub fn answer_number(n: i64, symbol: &str, kind: UnitKind) -> String {
    if party_format(kind) {
        format!("{n}-{symbol}")
    } else {
        format!("{n}/{symbol}")
    }
}

/// A symbol as an administrator types it: trimmed, NFC, in capitals; letters (Vietnamese ones
/// included), digits and the separators "-", "/", "." only, starting with a letter; at most
/// `MAX_SYMBOL_CHARS`. Empty means "back to the default" (`None`).
pub fn parse_answer_symbol(raw: &str) -> Result<Option<String>, FieldErrors> {
    let s: String = raw.trim().nfc().collect::<String>().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '/' | '.');
    if s.chars().count() > MAX_SYMBOL_CHARS {
        return Err(FieldErrors::one("answer_symbol", "unit.error.answer_symbol_long"));
    }
    if !s.chars().all(allowed) || !s.chars().next().is_some_and(char::is_alphabetic) || s.ends_with(['-', '/', '.']) {
        return Err(FieldErrors::one("answer_symbol", "unit.error.answer_symbol"));
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_and_party_bodies_write_their_numbers_their_own_way() {
        assert_eq!(default_answer_symbol(UnitKind::PeoplesCommittee), "UBND-TL");
        assert_eq!(
            answer_number(46, &default_answer_symbol(UnitKind::PeoplesCommittee), UnitKind::PeoplesCommittee),
            "46/UBND-TL"
        );
        assert_eq!(answer_number(7, &default_answer_symbol(UnitKind::FatherlandFront), UnitKind::FatherlandFront), "7/MTTQ-TL");
        assert_eq!(answer_number(12, &default_answer_symbol(UnitKind::PartyCommittee), UnitKind::PartyCommittee), "12-CV/ĐU");
        assert_eq!(answer_number(3, "UBND-VP", UnitKind::Ward), "3/UBND-VP");
    }

    #[test]
    fn a_typed_symbol_is_cleaned_or_refused_with_a_reason() {
        assert_eq!(parse_answer_symbol("  ubnd-tcd ").unwrap().as_deref(), Some("UBND-TCD"));
        assert_eq!(parse_answer_symbol("đu-cv").unwrap().as_deref(), Some("ĐU-CV"));
        // Decomposed input (d + combining marks) is stored composed.
        assert_eq!(parse_answer_symbol("hđnd-tl").unwrap().as_deref(), Some("HĐND-TL"));
        assert_eq!(parse_answer_symbol("").unwrap(), None, "empty: the default again");
        for bad in ["UBND TL", "-TL", "UBND-", "UBND;DROP", "UB\u{0007}ND", "1-TL", &"A".repeat(31)] {
            assert!(parse_answer_symbol(bad).is_err(), "{bad:?}");
        }
    }
}
