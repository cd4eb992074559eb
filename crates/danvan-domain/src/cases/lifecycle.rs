//! The lifecycle of a case as an explicit state machine: what can happen to a case
//! ([`CaseAction`]) and whether it may happen now ([`transition`]).

use super::{CaseKind, CaseStatus, DeadlinePolicy, RejectReason};
use serde::{Deserialize, Serialize};

/// Everything that can happen to a case. Who may do it is authorisation's business; whether it
/// may happen now is the state machine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum CaseAction {
    Accept,
    Reject {
        reason: RejectReason,
    },
    /// Assign to an officer (again, to re-assign).
    Assign,
    Start,
    /// Waiting for the citizen to supplement (the clock stops).
    Pause,
    Resume,
    DraftAnswer,
    /// A leader sends the draft back.
    ReturnDraft,
    /// ký duyệt: the answer gets its number in the unit's register.
    ApproveAnswer,
    SendAnswer,
    Close,
    /// The citizen disputes the answer within the window.
    Reopen,
    /// gia hạn, where the law allows it.
    Extend,
    /// rút đơn, by the citizen.
    Withdraw,
    /// Sent to a body outside danvan (police, utilities, a higher level).
    TransferOut,
    /// chuyển đơn to another unit inside danvan: starts again as received there.
    Transfer,
    Reclassify,
    /// Merged into another case about the same matter: it leaves the open work as rejected
    /// (duplicate), and its citizen receives the other case's answer.
    Merge,
}

impl CaseAction {
    pub fn name(self) -> &'static str {
        match self {
            CaseAction::Accept => "accept",
            CaseAction::Reject { .. } => "reject",
            CaseAction::Assign => "assign",
            CaseAction::Start => "start",
            CaseAction::Pause => "pause",
            CaseAction::Resume => "resume",
            CaseAction::DraftAnswer => "draft_answer",
            CaseAction::ReturnDraft => "return_draft",
            CaseAction::ApproveAnswer => "approve_answer",
            CaseAction::SendAnswer => "send_answer",
            CaseAction::Close => "close",
            CaseAction::Reopen => "reopen",
            CaseAction::Extend => "extend",
            CaseAction::Withdraw => "withdraw",
            CaseAction::TransferOut => "transfer_out",
            CaseAction::Transfer => "transfer",
            CaseAction::Reclassify => "reclassify",
            CaseAction::Merge => "merge",
        }
    }
}

/// Facts about the case that some transitions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub kind: CaseKind,
    pub extensions_used: u32,
    /// Days since the answer was sent (for the reopen window), if it was.
    pub days_since_answer: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{action} is not allowed while the case is {status}")]
    NotNow { action: &'static str, status: CaseStatus },
    #[error("no further extension is allowed for this kind of case")]
    NoExtension,
    #[error("the window to dispute the answer has passed")]
    ReopenWindowPassed,
}

impl TransitionError {
    /// Translation key of the explanation.
    pub fn key(&self) -> &'static str {
        match self {
            TransitionError::NotNow { .. } => "case.error.not_now",
            TransitionError::NoExtension => "case.error.no_extension",
            TransitionError::ReopenWindowPassed => "case.error.reopen_window",
        }
    }
}

/// The lifecycle. Returns the next status, or why the action is refused now.
pub fn transition(
    status: CaseStatus,
    action: CaseAction,
    facts: CaseFacts,
    policy: &DeadlinePolicy,
) -> Result<CaseStatus, TransitionError> {
    use CaseAction as A;
    use CaseStatus as S;
    let refused = Err(TransitionError::NotNow { action: action.name(), status });
    let handling = matches!(status, S::Accepted | S::Assigned | S::InProgress | S::Paused | S::AnswerDrafted);
    match (status, action) {
        (S::Received, A::Accept) => Ok(S::Accepted),
        (S::Received, A::Reject { .. }) => Ok(S::Rejected),
        (S::Received | S::Accepted, A::Transfer) => Ok(S::Received),
        (S::Accepted | S::Assigned, A::Assign) => Ok(S::Assigned),
        (S::InProgress, A::Assign) => Ok(S::InProgress),
        (S::Assigned, A::Start) => Ok(S::InProgress),
        (S::InProgress, A::Pause) => Ok(S::Paused),
        (S::Paused, A::Resume) => Ok(S::InProgress),
        (S::InProgress | S::AnswerDrafted, A::DraftAnswer) => Ok(S::AnswerDrafted),
        (S::AnswerDrafted, A::ReturnDraft) => Ok(S::InProgress),
        (S::AnswerDrafted, A::ApproveAnswer) => Ok(S::AnswerApproved),
        (S::AnswerApproved, A::SendAnswer) => Ok(S::Answered),
        (S::Answered, A::Close) => Ok(S::Closed),
        (S::Answered | S::Closed, A::Reopen) => match facts.days_since_answer {
            // A window of 0 days means the law gives no such dispute (denunciations).
            Some(d) if policy.reopen_window_days > 0 && d <= policy.reopen_window_days as i64 => Ok(S::InProgress),
            Some(_) => Err(TransitionError::ReopenWindowPassed),
            None => refused,
        },
        (_, A::Extend) if handling => {
            if facts.extensions_used < policy.max_extensions {
                Ok(status)
            } else {
                Err(TransitionError::NoExtension)
            }
        }
        (_, A::Withdraw) if status == S::Received || handling => Ok(S::Withdrawn),
        (_, A::TransferOut) if status == S::Received || handling => Ok(S::TransferredOut),
        (_, A::Reclassify) if status == S::Received || handling => Ok(status),
        // Only work not yet answered can be folded into another case: an answered case has had
        // its own answer.
        (_, A::Merge) if status == S::Received || handling => Ok(S::Rejected),
        _ => refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;
    use CaseStatus as S;

    fn facts(kind: CaseKind) -> CaseFacts {
        CaseFacts { kind, extensions_used: 0, days_since_answer: None }
    }

    fn go(status: S, action: A) -> Result<S, TransitionError> {
        transition(status, action, facts(CaseKind::Petition), &DeadlinePolicy::default_for(CaseKind::Petition))
    }

    #[test]
    fn the_normal_path_from_receipt_to_closing() {
        let mut s = S::Received;
        for (a, next) in [
            (A::Accept, S::Accepted),
            (A::Assign, S::Assigned),
            (A::Start, S::InProgress),
            (A::Pause, S::Paused),
            (A::Resume, S::InProgress),
            (A::DraftAnswer, S::AnswerDrafted),
            (A::ReturnDraft, S::InProgress),
            (A::DraftAnswer, S::AnswerDrafted),
            (A::ApproveAnswer, S::AnswerApproved),
            (A::SendAnswer, S::Answered),
            (A::Close, S::Closed),
        ] {
            s = go(s, a).unwrap_or_else(|e| panic!("{a:?} from {s:?}: {e}"));
            assert_eq!(s, next);
        }
    }

    /// Every (status, action) pair: exactly the listed ones are allowed.
    #[test]
    fn every_allowed_and_refused_transition() {
        let actions = [
            A::Accept,
            A::Reject { reason: RejectReason::Spam },
            A::Assign,
            A::Start,
            A::Pause,
            A::Resume,
            A::DraftAnswer,
            A::ReturnDraft,
            A::ApproveAnswer,
            A::SendAnswer,
            A::Close,
            A::Reopen,
            A::Extend,
            A::Withdraw,
            A::TransferOut,
            A::Transfer,
            A::Reclassify,
            A::Merge,
        ];
        let allowed: &[(S, &[&str])] = &[
            (S::Received, &["accept", "reject", "withdraw", "transfer_out", "transfer", "reclassify", "merge"]),
            (S::Accepted, &["assign", "withdraw", "transfer_out", "transfer", "reclassify", "extend", "merge"]),
            (S::Assigned, &["assign", "start", "withdraw", "transfer_out", "reclassify", "extend", "merge"]),
            (S::InProgress, &["assign", "pause", "draft_answer", "withdraw", "transfer_out", "reclassify", "extend", "merge"]),
            (S::Paused, &["resume", "withdraw", "transfer_out", "reclassify", "extend", "merge"]),
            (
                S::AnswerDrafted,
                &["draft_answer", "return_draft", "approve_answer", "withdraw", "transfer_out", "reclassify", "extend", "merge"],
            ),
            (S::AnswerApproved, &["send_answer"]),
            (S::Answered, &["close", "reopen"]),
            (S::Closed, &["reopen"]),
            (S::Rejected, &[]),
            (S::Withdrawn, &[]),
            (S::TransferredOut, &[]),
        ];
        assert_eq!(allowed.len(), S::ALL.len());
        let policy =
            DeadlinePolicy { max_extensions: 1, reopen_window_days: 30, ..DeadlinePolicy::default_for(CaseKind::Denunciation) };
        for (status, ok) in allowed {
            for a in actions {
                let f = CaseFacts { kind: CaseKind::Denunciation, extensions_used: 0, days_since_answer: Some(1) };
                let r = transition(*status, a, f, &policy);
                assert_eq!(r.is_ok(), ok.contains(&a.name()), "{} from {}: {r:?}", a.name(), status.as_str());
            }
        }
    }

    #[test]
    fn extensions_and_reopening_follow_the_policy() {
        let feedback = DeadlinePolicy::default_for(CaseKind::Feedback);
        assert_eq!(transition(S::InProgress, A::Extend, facts(CaseKind::Feedback), &feedback), Err(TransitionError::NoExtension));
        let den = DeadlinePolicy::default_for(CaseKind::Denunciation);
        let mut f = facts(CaseKind::Denunciation);
        assert_eq!(transition(S::InProgress, A::Extend, f, &den), Ok(S::InProgress));
        f.extensions_used = 2;
        assert_eq!(transition(S::InProgress, A::Extend, f, &den), Err(TransitionError::NoExtension));
        let mut f = facts(CaseKind::Petition);
        f.days_since_answer = Some(15);
        assert_eq!(transition(S::Answered, A::Reopen, f, &feedback), Ok(S::InProgress));
        f.days_since_answer = Some(16);
        assert_eq!(transition(S::Closed, A::Reopen, f, &feedback), Err(TransitionError::ReopenWindowPassed));
        let mut f = facts(CaseKind::Denunciation);
        f.days_since_answer = Some(0);
        assert!(transition(S::Answered, A::Reopen, f, &den).is_err(), "no dispute window for denunciations");
    }
}
