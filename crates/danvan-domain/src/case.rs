//! Citizens' feedback and petitions (RULES.md §2): kinds, channels, the lifecycle as an explicit
//! state machine, the statutory time limits, and what each kind requires of the sender.
//! Complaints and denunciations follow other laws: they are recorded, classified and routed,
//! never mixed up with feedback.

use crate::calendar::WorkCalendar;
use crate::errors::FieldErrors;
use crate::UnitId;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($s => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str { self.as_str() }
        }
        /// Compares with a stored name (`status == "answered"`): tests and templates read so.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool { self.as_str() == *other }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool { self.as_str() == other }
        }
        /// How the store decodes a stored value: an unknown name is an error, never a default.
        impl TryFrom<String> for $name {
            type Error = crate::UnknownValue;
            fn try_from(s: String) -> Result<$name, Self::Error> {
                $name::parse(&s).ok_or(crate::UnknownValue { what: stringify!($name), value: s })
            }
        }
    };
}

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

/// What a kind of case requires of its sender (RULES.md §2). Checked by [`check_sender`] wherever
/// a case gets its kind: intake from every channel, imports, and reclassification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SenderRequirements {
    pub name: bool,
    pub address: bool,
    /// A way to contact the sender: a phone number or an e-mail address.
    pub contact: bool,
}

/// The sender's details a case holds, cleaned; `None` (or blank) for what was not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct SenderDetails<'a> {
    pub name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// What `kind` requires that `sender` lacks, as field errors on `sender_name`, `sender_address`
/// and `sender_phone` (for the missing contact); empty when nothing is missing.
pub fn check_sender(kind: CaseKind, sender: &SenderDetails<'_>) -> FieldErrors {
    let given = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let need = kind.sender_requirements();
    let mut e = FieldErrors::new();
    if need.name && !given(sender.name) {
        e.add("sender_name", "case.error.identity_required");
    }
    if need.address && !given(sender.address) {
        e.add("sender_address", "case.error.sender_address_required");
    }
    if need.contact && !given(sender.phone) && !given(sender.email) {
        e.add("sender_phone", "case.error.contact_required");
    }
    e
}

impl CaseKind {
    /// What the sender must give. A complaint: name and address (Law on Complaints 2011 Art. 8;
    /// the signature is on the paper, which a letter's officer checks) — no phone or e-mail, so a
    /// letter with a name and an address is a complaint. A denunciation: name, address and a way
    /// to contact (Law on Denunciations 2018 Art. 23); without them it is not handled as a
    /// denunciation. Feedback and petitions may be anonymous.
    pub fn sender_requirements(self) -> SenderRequirements {
        match self {
            CaseKind::Feedback | CaseKind::Petition => SenderRequirements::default(),
            CaseKind::Complaint => SenderRequirements { name: true, address: true, contact: false },
            CaseKind::Denunciation => SenderRequirements { name: true, address: true, contact: true },
        }
    }
    /// Complaints and denunciations need the sender's identity (no anonymous complaints; an
    /// anonymous denunciation is not handled as one).
    pub fn requires_identity(self) -> bool {
        self.sender_requirements().name
    }
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

// ---------------------------------------------------------------------------------------------
// Time limits

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

// ---------------------------------------------------------------------------------------------
// Intake

/// What a sender submits, before validation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CaseInput {
    pub kind: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: String,
    pub sender_address: String,
    pub publish: bool,
}

pub const MAX_DESCRIPTION: usize = 4000;
/// Longest sender name, address, e-mail, phone or place a case accepts (characters).
pub const MAX_SHORT_FIELD: usize = 500;

/// A validated case draft.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDraft {
    pub kind: CaseKind,
    pub title: String,
    pub description: String,
    pub address: String,
    pub point: Option<(f64, f64)>,
    pub sender_name: Option<String>,
    pub sender_phone: Option<String>,
    pub sender_email: Option<String>,
    pub sender_address: Option<String>,
    pub publish: bool,
}

/// Checks a submission: the kind decides what identity is needed ([`check_sender`]) and whether
/// it may be published.
pub fn validate_case(input: &CaseInput) -> Result<CaseDraft, FieldErrors> {
    use crate::text::{clean, clean_multiline};
    let mut e = FieldErrors::new();
    let kind = CaseKind::parse(&input.kind);
    if kind.is_none() {
        e.add("kind", if input.kind.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    let title = clean(&input.title);
    if title.chars().count() > 200 {
        e.add("title", "error.too_long");
    }
    let description = clean_multiline(&input.description);
    if description.chars().count() < 10 {
        e.add("description", if description.is_empty() { "error.required" } else { "case.error.description_short" });
    } else if description.chars().count() > MAX_DESCRIPTION {
        e.add("description", "error.too_long");
    }
    let point = match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some((lat, lon)),
        (None, None) => None,
        _ => {
            e.add("latitude", "case.error.point");
            None
        }
    };
    let opt = |s: &str| Some(clean(s)).filter(|s| !s.is_empty());
    let sender_name = opt(&input.sender_name);
    let sender_address = opt(&input.sender_address);
    let sender_email = opt(&input.sender_email.to_lowercase());
    let sender_phone = opt(&input.sender_phone);
    // Bounded so that no single submission can exceed what the exports can hold (an XLSX cell takes
    // at most 32,767 characters) or bloat every page that shows it.
    for (field, value) in [
        ("sender_name", &sender_name),
        ("sender_address", &sender_address),
        ("sender_email", &sender_email),
        ("sender_phone", &sender_phone),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > MAX_SHORT_FIELD) {
            e.add(field, "error.too_long");
        }
    }
    let address = clean(&input.address);
    if address.chars().count() > MAX_SHORT_FIELD {
        e.add("address", "error.too_long");
    }
    if let Some(em) = sender_email.as_ref().filter(|em| em.chars().count() <= MAX_SHORT_FIELD) {
        if crate::account::validate_account(&crate::account::AccountInput {
            username: "abc".into(),
            full_name: "x".into(),
            email: em.clone(),
            phone: String::new(),
        })
        .is_err()
        {
            e.add("sender_email", "error.email");
        }
    }
    let phone = match &sender_phone {
        Some(p) if p.chars().count() > MAX_SHORT_FIELD => None,
        Some(p) => match crate::account::validate_account(&crate::account::AccountInput {
            username: "abc".into(),
            full_name: "x".into(),
            email: String::new(),
            phone: p.clone(),
        }) {
            Ok(d) => d.phone,
            Err(_) => {
                e.add("sender_phone", "error.phone");
                None
            }
        },
        None => None,
    };
    if let Some(k) = kind {
        let sender = SenderDetails {
            name: sender_name.as_deref(),
            address: sender_address.as_deref(),
            phone: phone.as_deref(),
            email: sender_email.as_deref(),
        };
        e.merge(check_sender(k, &sender));
    }
    if address.is_empty() && point.is_none() {
        e.add("address", "case.error.place_required");
    }
    e.into_result()?;
    let kind = kind.unwrap_or(CaseKind::Feedback);
    Ok(CaseDraft {
        kind,
        title: if title.is_empty() { crate::text::excerpt(&description, 80) } else { title },
        description,
        address,
        point,
        sender_name,
        sender_phone: phone,
        sender_email,
        sender_address,
        // Never offered for complaints and denunciations, whatever was sent.
        publish: input.publish && kind.may_be_published(),
    })
}

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

/// Tracking codes: PA-2026-000123 (one sequence per year).
pub fn tracking_code(year: i32, seq: i64) -> String {
    format!("PA-{year}-{seq:06}")
}

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

    #[test]
    fn complaints_and_denunciations_need_identity_and_are_never_published() {
        let base = CaseInput {
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            publish: true,
            ..Default::default()
        };
        let feedback = validate_case(&CaseInput { kind: "feedback".into(), ..base.clone() }).unwrap();
        assert!(feedback.publish && feedback.sender_name.is_none());
        let e = validate_case(&CaseInput { kind: "complaint".into(), ..base.clone() }).unwrap_err();
        assert!(e.get("sender_name").is_some() && e.get("sender_address").is_some());
        assert_eq!(e.get("sender_phone"), None, "a complaint needs no phone or e-mail");
        let ok = validate_case(&CaseInput {
            kind: "denunciation".into(),
            sender_name: "Trần Văn Bình".into(),
            sender_phone: "0912 345 678".into(),
            sender_address: "Số 9 Hàng Gai".into(),
            ..base.clone()
        })
        .unwrap();
        assert!(!ok.publish, "denunciations are never published");
        assert_eq!(ok.sender_phone.as_deref(), Some("0912345678"));
        let e =
            validate_case(&CaseInput { kind: "feedback".into(), description: "ngắn".into(), address: String::new(), ..base })
                .unwrap_err();
        assert!(e.get("description").is_some() && e.get("address").is_some());
    }

    /// RULES.md §2: a complaint gives name and address (Law on Complaints 2011 Art. 8); a
    /// denunciation name, address and a way to contact (Law on Denunciations 2018 Art. 23).
    #[test]
    fn what_each_kind_requires_of_its_sender() {
        let base = CaseInput {
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            ..Default::default()
        };
        let with = |kind: &str, name: &str, address: &str, phone: &str, email: &str| CaseInput {
            kind: kind.into(),
            sender_name: name.into(),
            sender_address: address.into(),
            sender_phone: phone.into(),
            sender_email: email.into(),
            ..base.clone()
        };
        let fields = |r: Result<CaseDraft, FieldErrors>| -> Vec<String> {
            r.err().map(|e| e.0.into_iter().map(|e| e.field).collect()).unwrap_or_default()
        };
        // A letter complaint: name and address, no phone, no e-mail — accepted.
        let letter = validate_case(&with("complaint", "Nguyễn Văn An", "Số 3 Hàng Bông", "", "")).unwrap();
        assert_eq!((letter.sender_phone, letter.sender_email), (None, None));
        assert_eq!(fields(validate_case(&with("complaint", "", "", "", ""))), ["sender_name", "sender_address"]);
        assert_eq!(fields(validate_case(&with("complaint", "Nguyễn Văn An", "", "0912345678", ""))), ["sender_address"]);
        // A denunciation: name, address and a phone or an e-mail.
        assert!(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "0912345678", "")).is_ok());
        assert!(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "", "binh@example.vn")).is_ok());
        assert_eq!(fields(validate_case(&with("denunciation", "Trần Bình", "", "0912345678", ""))), ["sender_address"]);
        assert_eq!(fields(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "", ""))), ["sender_phone"]);
        assert_eq!(
            fields(validate_case(&with("denunciation", "", "", "", ""))),
            ["sender_name", "sender_address", "sender_phone"]
        );
        // Feedback and petitions may be anonymous.
        assert!(validate_case(&with("feedback", "", "", "", "")).is_ok());
        assert!(validate_case(&with("petition", "", "", "", "")).is_ok());
        // The same rule on details already recorded (reclassification): blanks are missing.
        let blank = SenderDetails { name: Some(" "), address: Some(""), phone: None, email: Some(" ") };
        let keys: Vec<_> = check_sender(CaseKind::Denunciation, &blank).0.into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["case.error.identity_required", "case.error.sender_address_required", "case.error.contact_required"]);
        assert!(check_sender(CaseKind::Feedback, &blank).is_empty());
        let letter = SenderDetails { name: Some("Nguyễn Văn An"), address: Some("Số 3 Hàng Bông"), ..Default::default() };
        assert!(check_sender(CaseKind::Complaint, &letter).is_empty());
        assert_eq!(check_sender(CaseKind::Denunciation, &letter).get("sender_phone"), Some("case.error.contact_required"));
        assert!(CaseKind::Complaint.requires_identity() && !CaseKind::Petition.requires_identity());
    }

    #[test]
    fn free_text_fields_are_bounded() {
        let long = "a".repeat(MAX_SHORT_FIELD + 1);
        let base = CaseInput {
            kind: "feedback".into(),
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            ..Default::default()
        };
        let e = validate_case(&CaseInput {
            address: long.clone(),
            sender_name: long.clone(),
            sender_address: long.clone(),
            sender_email: format!("{long}@example.vn"),
            sender_phone: "0".repeat(MAX_SHORT_FIELD + 1),
            ..base.clone()
        })
        .unwrap_err();
        for f in ["address", "sender_name", "sender_address", "sender_email", "sender_phone"] {
            assert_eq!(e.get(f), Some("error.too_long"), "{f}");
        }
        let at_limit = "a".repeat(MAX_SHORT_FIELD);
        let ok = validate_case(&CaseInput { address: at_limit.clone(), sender_name: at_limit, ..base }).unwrap();
        assert_eq!(ok.address.chars().count(), MAX_SHORT_FIELD);
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
    fn tracking_codes_and_ratings() {
        assert_eq!(tracking_code(2026, 123), "PA-2026-000123");
        assert!(validate_rating(0).is_err() && validate_rating(6).is_err());
        assert_eq!(validate_rating(5).unwrap(), 5);
        assert_eq!(CaseStatus::Answered.open311(), "closed");
        assert_eq!(CaseStatus::Paused.open311(), "open");
    }
}

#[cfg(test)]
mod support_tests {
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
}

#[cfg(test)]
mod as_of_tests {
    use super::*;
    use crate::calendar::DueStatus;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
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
