//! Kinds of case, channels, statuses and reasons for rejection, with what a kind or a status
//! implies on its own (publication, approval, open or closed).

use serde::{Deserialize, Serialize};

str_enum!(
    /// phản ánh / kiến nghị / khiếu nại / tố cáo
    CaseKind { Feedback = "feedback", Petition = "petition", Complaint = "complaint", Denunciation = "denunciation" }
);

str_enum!(
    /// How the case reached danvan.
    Channel {
        Web = "web",
        Hotline = "hotline",
        WalkIn = "walk_in",
        Letter = "letter",
        Meeting = "meeting",
        Import = "import",
        Open311 = "open311",
    }
);

str_enum!(
    CaseStatus {
        Received = "received",
        Accepted = "accepted",
        Rejected = "rejected",
        Assigned = "assigned",
        InProgress = "in_progress",
        Paused = "paused",
        AnswerDrafted = "answer_drafted",
        AnswerApproved = "answer_approved",
        Answered = "answered",
        Closed = "closed",
        Withdrawn = "withdrawn",
        TransferredOut = "transferred_out",
    }
);

str_enum!(
    /// Why a case is not taken into handling (không thụ lý).
    RejectReason {
        OutsideCompetence = "outside_competence",
        Duplicate = "duplicate",
        InsufficientInformation = "insufficient_information",
        Spam = "spam",
    }
);

impl CaseKind {
    /// Only feedback and petitions may be published (without the sender's name).
    pub fn may_be_published(self) -> bool {
        matches!(self, CaseKind::Feedback | CaseKind::Petition)
    }
    /// Answers to petitions and complaints are signed off by a leader (ký duyệt); danvan asks it
    /// of every kind, so that every answer a unit sends carries a number in its register.
    pub fn answer_needs_approval(self) -> bool {
        true
    }
}

impl CaseStatus {
    /// Open cases still hold a unit to a deadline.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            CaseStatus::Rejected | CaseStatus::Answered | CaseStatus::Closed | CaseStatus::Withdrawn | CaseStatus::TransferredOut
        )
    }
    /// Open311's two states: closed once answered, closed, rejected or withdrawn (or sent away).
    pub fn open311(self) -> &'static str {
        if self.is_open() {
            "open"
        } else {
            "closed"
        }
    }
}
