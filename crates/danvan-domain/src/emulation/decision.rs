//! The council round after the engine (issue 11 items 6 and 8): the award catalogue's kind and
//! level of each award, the states of a nomination list, a council and a decision, a vote, and
//! the number of a decision as written on it ("15/QĐ-UBND", RULES.md §6; Decree 30/2020 Annex I
//! for state bodies, Hướng dẫn 36-HD/VPTW "15-QĐ/ĐU" for Party bodies), with the issuer's
//! abbreviation derived from the kind of the issuing unit.

use serde::{Deserialize, Serialize};

use super::Award;
use crate::UnitKind;

str_enum!(
    /// A title (danh hiệu thi đua, Law 06/2022 Art. 8) or a form of commendation (hình thức khen
    /// thưởng, Art. 9).
    AwardKind { Title = "title", Form = "form" }
);

str_enum!(
    /// Who confers it, from the lowest.
    AwardLevel { Grassroots = "grassroots", Provincial = "provincial", National = "national" }
);

impl Award {
    pub fn kind(self) -> AwardKind {
        match self {
            Award::ProvincialCommendation | Award::PrimeMinisterCommendation | Award::CertificateOfMerit => AwardKind::Form,
            _ => AwardKind::Title,
        }
    }

    pub fn level(self) -> AwardLevel {
        match self {
            Award::AdvancedWorker
            | Award::GrassrootsEmulationFighter
            | Award::AdvancedCollective
            | Award::ExcellentCollective
            | Award::CertificateOfMerit => AwardLevel::Grassroots,
            Award::ProvincialEmulationFighter | Award::ProvincialEmulationFlag | Award::ProvincialCommendation => {
                AwardLevel::Provincial
            }
            Award::NationalEmulationFighter | Award::GovernmentEmulationFlag | Award::PrimeMinisterCommendation => {
                AwardLevel::National
            }
        }
    }
}

str_enum!(
    /// A nomination list (hồ sơ đề nghị): drafted by the unit, submitted to the council, decided.
    NominationStatus { Draft = "draft", Submitted = "submitted", Decided = "decided" }
);

str_enum!(
    /// A council's ballot: open while members vote (or the secretary records the paper
    /// result), closed once counted.
    CouncilStatus { Open = "open", Closed = "closed" }
);

str_enum!(
    /// How the council voted: in the product (secret ballot) or on paper, recorded by the secretary.
    BallotMode { Secret = "secret", Paper = "paper" }
);

str_enum!(
    /// One member's vote on one name.
    VoteChoice { For = "for", Against = "against", Abstain = "abstain" }
);

str_enum!(
    /// A decision is drafted, then issued with its number; an issued decision never changes
    /// (a correction is a new decision that amends it).
    DecisionStatus { Draft = "draft", Issued = "issued" }
);

str_enum!(
    /// What a numbering register counts, per issuer and year.
    Numbered { Decision = "decision", Certificate = "certificate" }
);

/// Whether the unit issues documents in the Party's format (Hướng dẫn 36-HD/VPTW) rather than
/// the State's (Decree 30/2020).
pub fn party_format(kind: UnitKind) -> bool {
    kind == UnitKind::PartyCommittee
}

/// The abbreviation of the issuing body in a document's number: "UBND" for the people's
/// committees and the local governments they stand for, "HĐND", "ĐU" (a Party committee),
/// "MTTQ", else "CQ" for an agency or another body.
pub fn issuer_abbreviation(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::PeoplesCommittee
        | UnitKind::Province
        | UnitKind::City
        | UnitKind::Commune
        | UnitKind::Ward
        | UnitKind::SpecialZone
        | UnitKind::District => "UBND",
        UnitKind::PeoplesCouncil => "HĐND",
        UnitKind::PartyCommittee => "ĐU",
        UnitKind::FatherlandFront => "MTTQ",
        UnitKind::MassOrganization | UnitKind::Agency | UnitKind::ResidentialGroup | UnitKind::Village | UnitKind::Other => "CQ",
    }
}

/// A decision's number as written: "15/QĐ-UBND" (State), "15-QĐ/ĐU" (Party).
pub fn decision_number(n: i64, issuer: UnitKind) -> String {
    let abbr = issuer_abbreviation(issuer);
    if party_format(issuer) {
        format!("{n}-QĐ/{abbr}")
    } else {
        format!("{n}/QĐ-{abbr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_issuers_format() {
        assert_eq!(decision_number(15, UnitKind::PeoplesCommittee), "15/QĐ-UBND");
        assert_eq!(decision_number(3, UnitKind::Ward), "3/QĐ-UBND");
        assert_eq!(decision_number(7, UnitKind::PartyCommittee), "7-QĐ/ĐU");
        assert_eq!(decision_number(1, UnitKind::FatherlandFront), "1/QĐ-MTTQ");
    }

    #[test]
    fn every_award_has_a_kind_and_a_level() {
        assert_eq!(Award::CertificateOfMerit.kind(), AwardKind::Form);
        assert_eq!(Award::ProvincialEmulationFighter.level(), AwardLevel::Provincial);
        assert_eq!(Award::GovernmentEmulationFlag.level(), AwardLevel::National);
        assert!(Award::ALL.iter().filter(|a| a.kind() == AwardKind::Form).count() == 3);
    }
}
