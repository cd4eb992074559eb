//! R11: counting the emulation council's secret ballot (Hội đồng thi đua – khen thưởng). Members
//! present vote in the room; absent members vote in writing. Chiến sĩ thi đua cấp tỉnh and higher
//! need at least 90 % of all members in favour, other titles and forms a simple majority; both
//! are settings (`EmulationSettings::council_high`, `council_other`). The 90 % rule and the
//! written vote of absent members are the words of Decree 91/2017 Art. 45(8); the corresponding
//! provision of Decree 98/2023 and Decree 152/2025 was not found, and the simple majority for the
//! rest is RULES.md's, so both stay settings.

use serde::Serialize;

use super::{Award, EmulationSettings, Threshold, VoteBase};
use crate::errors::FieldErrors;

/// The votes on one name of the list. Each member votes once, present or in writing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ballot {
    pub members: u32,
    pub in_favour: u32,
    pub against: u32,
    pub abstain: u32,
    pub written_in_favour: u32,
    pub written_against: u32,
    pub written_abstain: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CouncilOutcome {
    pub passed: bool,
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
    /// Members who neither voted present nor in writing.
    pub not_voted: u32,
    pub members: u32,
    /// What the threshold is taken of (all members, or the votes cast).
    pub base: u32,
    /// The fewest votes in favour that pass.
    pub required: u32,
    pub threshold: Threshold,
}

/// Counts `ballot` for `award` with the threshold of the settings. A ballot with more votes than
/// members, or a council without members, is refused (`emulation.council.error.*`).
pub fn count_votes(award: Award, ballot: &Ballot, settings: &EmulationSettings) -> Result<CouncilOutcome, FieldErrors> {
    count_with(ballot, settings.threshold_for(award))
}

pub fn count_with(ballot: &Ballot, threshold: Threshold) -> Result<CouncilOutcome, FieldErrors> {
    if ballot.members == 0 {
        return Err(FieldErrors::one("members", "emulation.council.error.no_members"));
    }
    let votes_for = ballot.in_favour + ballot.written_in_favour;
    let against = ballot.against + ballot.written_against;
    let abstain = ballot.abstain + ballot.written_abstain;
    let cast = u64::from(votes_for) + u64::from(against) + u64::from(abstain);
    if cast > u64::from(ballot.members) {
        return Err(FieldErrors::one("votes", "emulation.council.error.more_votes_than_members"));
    }
    let cast = cast as u32;
    let base = match threshold.base {
        VoteBase::AllMembers => ballot.members,
        VoteBase::VotesCast => cast,
    };
    let required = required_votes(base, threshold);
    Ok(CouncilOutcome {
        passed: base > 0 && votes_for >= required,
        votes_for,
        against,
        abstain,
        not_voted: ballot.members - cast,
        members: ballot.members,
        base,
        required,
        threshold,
    })
}

/// The fewest votes that reach `percent` % of `base` (or exceed it, when `strictly_more`),
/// in integers: ⌈base·p/100⌉, or ⌊base·p/100⌋ + 1.
pub fn required_votes(base: u32, threshold: Threshold) -> u32 {
    let product = u64::from(base) * u64::from(threshold.percent);
    let needed = if threshold.strictly_more { product / 100 + 1 } else { product.div_ceil(100) };
    needed.min(u64::from(u32::MAX)) as u32
}
