//! Denunciations (tố cáo): whom one concerns, and the rules that keep it away from them and keep
//! the denouncer's identity protected for the case's whole life (RULES.md §2, Luật Tố cáo 2018).
//!
//! - The identity is protected from intake on and never stops being protected: reclassifying,
//!   transferring, merging, importing or exporting the case changes nothing (Điều 8 khoản 3
//!   forbids revealing it; Điều 9 khoản 1 điểm b gives the denouncer that right; Điều 56 keeps it
//!   secret "in the whole course" of receiving, transferring and handling the denunciation).
//! - It is never handled, assigned to, transferred to or read by the unit concerned or anyone
//!   working in it or below it, nor by the person denounced (Điều 8 khoản 3; Điều 56 khoản 2:
//!   the identity is removed before the file is given to anyone to verify).
//! - Units *above* the one concerned are not excluded: the head of the body directly above
//!   handles a denunciation of a body or of its head (Điều 12 khoản 1), so they are the competent
//!   ones, and a new denunciation routed into the unit concerned goes to its parent instead.

use super::CaseKind;
use crate::authz::{AccountId, Action};
use crate::errors::FieldErrors;
use crate::text::clean;
use crate::UnitId;
use serde::{Deserialize, Serialize};

/// What a denunciation concerns: the unit denounced (or where the person denounced works) and,
/// when that person is an official with an account, the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Concerned {
    pub unit: Option<UnitId>,
    pub account: Option<AccountId>,
}

impl Concerned {
    /// Whether the account `account`, whose memberships lie at `unit_ancestries`, is concerned:
    /// the person denounced, or anyone working in the unit concerned or below it.
    pub fn includes(&self, account: Option<AccountId>, unit_ancestries: &[Vec<UnitId>]) -> bool {
        (self.account.is_some() && self.account == account) || unit_ancestries.iter().any(|a| self.covers(a))
    }

    /// Whether the unit with this ancestry is the unit concerned or lies below it.
    pub fn covers(&self, ancestry: &[UnitId]) -> bool {
        self.unit.is_some_and(|u| ancestry.contains(&u))
    }
}

/// What a form says a denunciation concerns, before the unit's code and the account's username
/// are looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcernInput {
    /// The unit concerned, by code (chosen from the directory).
    pub unit: String,
    /// The person concerned, by name.
    pub name: String,
    /// The person's account (username), when they are an official.
    pub account: String,
}

/// A checked [`ConcernInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcernDraft {
    pub unit_code: String,
    pub name: String,
    pub account: Option<String>,
}

/// A denunciation must say whom it concerns (RULES.md §2: "a denunciation names the person or
/// unit it concerns"); other kinds concern nobody, whatever was sent. Errors are on the fields
/// `concerned_unit` and `concerned_name`.
pub fn validate_concern(kind: CaseKind, input: &ConcernInput) -> Result<Option<ConcernDraft>, FieldErrors> {
    if kind != CaseKind::Denunciation {
        return Ok(None);
    }
    let mut e = FieldErrors::new();
    let unit_code = clean(&input.unit);
    if unit_code.is_empty() {
        e.add("concerned_unit", "case.error.concerned_required");
    } else if unit_code.chars().count() > 40 {
        e.add("concerned_unit", "error.unit_unknown");
    }
    let name = clean(&input.name);
    if name.is_empty() {
        e.add("concerned_name", "case.error.concerned_required");
    } else if name.chars().count() > super::MAX_SHORT_FIELD {
        e.add("concerned_name", "error.too_long");
    }
    let account = Some(clean(&input.account).to_lowercase()).filter(|a| !a.is_empty());
    e.into_result()?;
    Ok(Some(ConcernDraft { unit_code, name, account }))
}

/// The units whose subtrees a denunciation must stay out of: the unit concerned and every unit
/// where the person concerned holds a membership (a role on a unit reaches its whole subtree, so a
/// case handled below the unit where they work would be handled by the people they lead or work
/// with; Điều 8 khoản 3, Điều 12 khoản 1). Duplicates are dropped.
pub fn avoided_units(concerned: &Concerned, workplaces: &[UnitId]) -> Vec<UnitId> {
    let mut out: Vec<UnitId> = concerned.unit.into_iter().collect();
    if concerned.account.is_some() {
        for w in workplaces {
            if !out.contains(w) {
                out.push(*w);
            }
        }
    }
    out
}

/// The handling unit of a denunciation whose routing (`handling`, by ancestry, itself last) fell
/// within one of the units it must avoid (`avoid`, see [`avoided_units`]): the unit directly above
/// the highest such unit on the way, whose head is competent (Điều 12 khoản 1). `Ok(None)` keeps
/// the routing; an avoided unit at the top of the tree has nobody above it here. Used by intake,
/// and by a dissolution or merger that would move an open denunciation there.
pub fn route_around(avoid: &[UnitId], handling: &[UnitId]) -> Result<Option<UnitId>, &'static str> {
    match handling.iter().position(|u| avoid.contains(u)) {
        None => Ok(None),
        Some(0) => Err("case.error.concerned_root"),
        Some(i) => Ok(Some(handling[i - 1])),
    }
}

/// Why a case may not be transferred to the unit with ancestry `to`, or `None`: never to a unit
/// it must avoid (the unit concerned, where the person concerned works) nor below one.
pub fn transfer_refusal(avoid: &[UnitId], to: &[UnitId]) -> Option<&'static str> {
    to.iter().any(|u| avoid.contains(u)).then_some("case.error.transfer_concerned")
}

/// Whom a denunciation concerns once the unit it concerns is dissolved into `successors` (their
/// ancestries): the unit's people and duties pass to its successors, and its own memberships end,
/// so a concern left on the dissolved unit would protect nobody. With one successor the concern
/// follows it; with several, it follows the lowest unit above all of them (so it covers each),
/// which may send the case further up (`route_around`): excluding a unit too many is safe, one
/// too few is not. `None` when there is no successor (the concern stays on the dissolved unit).
pub fn concern_after_dissolution(successors: &[Vec<UnitId>]) -> Option<UnitId> {
    let (first, rest) = successors.split_first()?;
    let mut common: &[UnitId] = first;
    for s in rest {
        let n = common.iter().zip(s.iter()).take_while(|(a, b)| a == b).count();
        common = &common[..n];
    }
    common.last().copied()
}

/// What assigning a case needs: assigning a case whose sender is protected is the decision of a
/// leader over its handling unit (the assignee alone sees the denouncer), never an officer's
/// choice of themselves; the head of the competent body decides who verifies (Điều 12, Điều 56
/// khoản 2).
pub fn assign_needs(identity_protected: bool) -> Action {
    if identity_protected {
        Action::Approve
    } else {
        Action::Handle
    }
}

/// Whether a case's sender is protected after it becomes (or stays) `kind`: once a denunciation,
/// always protected.
pub fn stays_protected(was_protected: bool, kind: CaseKind) -> bool {
    was_protected || kind == CaseKind::Denunciation
}

/// Why a reclassification from `from` to `to` with this (cleaned) reason is refused, or `None`:
/// leaving a denunciation needs a recorded reason (field `note`); the identity stays protected.
pub fn reclassify_refusal(from: CaseKind, to: CaseKind, reason: &str) -> Option<&'static str> {
    (from == CaseKind::Denunciation && to != from && reason.trim().is_empty()).then_some("case.error.reclassify_reason")
}

/// Why two cases may not be merged, or `None`: a case whose sender is protected is never merged,
/// either way. Its answer concerns its sender alone, and merging would hand its file to the other
/// case's handlers (and its answer to the other case's citizen).
pub fn merge_refusal(from_protected: bool, into_protected: bool) -> Option<&'static str> {
    (from_protected || into_protected).then_some("merge.error.protected")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITY: UnitId = 1;
    const WARD_A: UnitId = 2;
    const PC_A: UnitId = 5;
    const GROUP_A1: UnitId = 4;
    const WARD_B: UnitId = 3;

    fn pc_a() -> Concerned {
        Concerned { unit: Some(PC_A), account: Some(42) }
    }

    #[test]
    fn the_unit_concerned_and_its_subtree_are_concerned_not_the_units_above() {
        let c = pc_a();
        assert!(c.includes(Some(7), &[vec![CITY, WARD_A, PC_A]]));
        assert!(c.includes(Some(7), &[vec![CITY, WARD_A, PC_A, 9]]), "below the unit concerned");
        assert!(!c.includes(Some(7), &[vec![CITY, WARD_A]]), "the ward above handles it");
        assert!(!c.includes(Some(7), &[vec![CITY]]));
        assert!(!c.includes(Some(7), &[vec![CITY, WARD_B]]));
        assert!(c.includes(Some(7), &[vec![CITY], vec![CITY, WARD_A, PC_A]]), "any membership inside counts");
        assert!(c.includes(Some(42), &[vec![CITY]]), "the person denounced, wherever they work");
        assert!(!Concerned::default().includes(Some(7), &[vec![CITY]]));
        assert!(!Concerned { unit: None, account: None }.includes(None, &[]));
    }

    #[test]
    fn a_concern_is_required_for_denunciations_only() {
        let blank = ConcernInput::default();
        assert_eq!(validate_concern(CaseKind::Feedback, &blank), Ok(None));
        let e = validate_concern(CaseKind::Denunciation, &blank).unwrap_err();
        assert_eq!(e.get("concerned_unit"), Some("case.error.concerned_required"));
        assert_eq!(e.get("concerned_name"), Some("case.error.concerned_required"));
        let ok = validate_concern(
            CaseKind::Denunciation,
            &ConcernInput { unit: " C00073-UBND ".into(), name: "Nguyễn  Văn A".into(), account: " CanBo.A ".into() },
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            ok,
            ConcernDraft { unit_code: "C00073-UBND".into(), name: "Nguyễn Văn A".into(), account: Some("canbo.a".into()) }
        );
        let long = ConcernInput { unit: "X".into(), name: "a".repeat(501), account: String::new() };
        assert_eq!(validate_concern(CaseKind::Denunciation, &long).unwrap_err().get("concerned_name"), Some("error.too_long"));
        // Another kind keeps nothing of it.
        assert_eq!(validate_concern(CaseKind::Petition, &long), Ok(None));
    }

    #[test]
    fn routing_into_the_unit_concerned_goes_to_the_unit_above() {
        assert_eq!(route_around(&[PC_A], &[CITY, WARD_A, PC_A]), Ok(Some(WARD_A)));
        assert_eq!(route_around(&[WARD_A], &[CITY, WARD_A, GROUP_A1]), Ok(Some(CITY)));
        assert_eq!(route_around(&[PC_A], &[CITY, WARD_A]), Ok(None), "the ward above may handle it");
        assert_eq!(route_around(&[WARD_B], &[CITY, WARD_A]), Ok(None));
        assert_eq!(route_around(&[CITY], &[CITY, WARD_A]), Err("case.error.concerned_root"));
        assert_eq!(route_around(&[], &[CITY]), Ok(None));
    }

    #[test]
    fn routing_steps_above_the_units_where_the_person_concerned_works() {
        // The chair of ward A is denounced about the committee: neither the committee nor the
        // ward they lead handles it, the city does.
        let c = Concerned { unit: Some(PC_A), account: Some(42) };
        let avoid = avoided_units(&c, &[WARD_A, PC_A]);
        assert_eq!(avoid, vec![PC_A, WARD_A]);
        assert_eq!(route_around(&avoid, &[CITY, WARD_A, PC_A]), Ok(Some(CITY)));
        assert_eq!(route_around(&avoid, &[CITY, WARD_A]), Ok(Some(CITY)));
        assert_eq!(route_around(&avoid, &[CITY, WARD_B]), Ok(None));
        assert_eq!(transfer_refusal(&avoid, &[CITY, WARD_A, GROUP_A1]), Some("case.error.transfer_concerned"));
        // Without an account, where someone of that name works is not known.
        assert_eq!(avoided_units(&Concerned { unit: Some(PC_A), account: None }, &[WARD_A]), vec![PC_A]);
    }

    #[test]
    fn the_concern_follows_a_dissolved_unit_to_its_successors() {
        assert_eq!(concern_after_dissolution(&[vec![CITY, WARD_B]]), Some(WARD_B));
        assert_eq!(concern_after_dissolution(&[vec![CITY, WARD_A, PC_A], vec![CITY, WARD_A, GROUP_A1]]), Some(WARD_A));
        assert_eq!(concern_after_dissolution(&[vec![CITY, WARD_A], vec![CITY, WARD_B]]), Some(CITY));
        assert_eq!(concern_after_dissolution(&[vec![CITY, WARD_A], vec![7]]), None, "no unit above both");
        assert_eq!(concern_after_dissolution(&[]), None);
    }

    #[test]
    fn never_transferred_to_the_unit_concerned_or_below_it() {
        let avoid = avoided_units(&pc_a(), &[]);
        assert_eq!(transfer_refusal(&avoid, &[CITY, WARD_A, PC_A]), Some("case.error.transfer_concerned"));
        assert_eq!(transfer_refusal(&avoid, &[CITY, WARD_A, PC_A, 9]), Some("case.error.transfer_concerned"));
        assert_eq!(transfer_refusal(&avoid, &[CITY, WARD_A]), None);
        assert_eq!(transfer_refusal(&avoid, &[CITY, WARD_B]), None);
        assert_eq!(transfer_refusal(&[], &[CITY, WARD_A, PC_A]), None);
    }

    #[test]
    fn protection_is_never_lost_and_leaving_a_denunciation_needs_a_reason() {
        assert!(stays_protected(true, CaseKind::Petition));
        assert!(stays_protected(false, CaseKind::Denunciation));
        assert!(!stays_protected(false, CaseKind::Complaint));
        assert_eq!(reclassify_refusal(CaseKind::Denunciation, CaseKind::Petition, " "), Some("case.error.reclassify_reason"));
        assert_eq!(reclassify_refusal(CaseKind::Denunciation, CaseKind::Petition, "Nội dung là kiến nghị"), None);
        assert_eq!(reclassify_refusal(CaseKind::Feedback, CaseKind::Petition, ""), None);
        assert_eq!(assign_needs(true), Action::Approve);
        assert_eq!(assign_needs(false), Action::Handle);
        assert_eq!(merge_refusal(true, false), Some("merge.error.protected"));
        assert_eq!(merge_refusal(false, true), Some("merge.error.protected"));
        assert_eq!(merge_refusal(false, false), None);
    }
}
