//! Cases (feedback, petitions, complaints, denunciations): intake with a tracking code, the
//! officer inbox, transitions with their history, answers with a register number, ratings.
//! The sender's personal data lives in `case_contacts` and is read only by explicit calls.

//!
//! One file per part: `categories` (the categories cases are filed under), `intake` (recording
//! cases, one or in bulk), `read` (one case and what hangs on it), `inbox` (lists, filters,
//! counters), `handling` (transitions, notes, supporting units), `answers` (drafts, sign-off,
//! sending, ratings, figures) and `notices` (the escalation job's notices).

use crate::audit::AuditCtx;
use crate::org::auth::{hash_token, random_token};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use danvan_domain::calendar::DueStatus;
use danvan_domain::cases::{tracking_code, CaseDraft, CaseKind, CaseStatus, Channel};
use danvan_domain::{text, FieldErrors, UnitId};

pub mod attachments;
pub mod delivery;
pub(crate) mod direct;
pub mod templates;
pub(crate) mod writer;

mod answers;
mod categories;
mod handling;
mod inbox;
mod intake;
mod notices;
mod read;
mod search_text;

pub use categories::{Category, CategoryFields};

/// A case without personal data.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "crate::Name<CaseKind>")]
    pub kind: CaseKind,
    #[sqlx(try_from = "crate::Name<Channel>")]
    pub channel: Channel,
    #[sqlx(try_from = "crate::Name<CaseStatus>")]
    pub status: CaseStatus,
    pub category_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub place_unit_id: Option<i64>,
    pub unit_id: i64,
    pub unit_path: String,
    pub assignee_id: Option<i64>,
    pub publish: bool,
    pub complex: bool,
    pub extensions_used: i64,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub accept_due: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub paused_since: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<i64>,
    pub rating_comment: String,
    pub source_system: Option<String>,
    pub source_ref: Option<String>,
    pub merged_into: Option<i64>,
    pub updated_at: DateTime<Utc>,
    /// The sender's identity is protected: the case is, or once was, a denunciation. Never cleared.
    pub identity_protected: bool,
    /// Whom a denunciation concerns (the unit, the person's name and account): they never read or
    /// handle it.
    pub concerned_unit_id: Option<i64>,
    pub concerned_name: Option<String>,
    pub concerned_account_id: Option<i64>,
}

pub(crate) const CASE_COLS: &str = "id, code, kind, channel, status, category_id, title, description, address, latitude, longitude, place_unit_id, unit_id, unit_path, assignee_id, publish, complex, extensions_used, received_at, received_on, accepted_on, accept_due, resolve_due, paused_since, answered_at, closed_at, rating, rating_comment, source_system, source_ref, merged_into, updated_at, identity_protected, concerned_unit_id, concerned_name, concerned_account_id";

/// What the public sees of a published case (Open311), with the names it shows joined in: a
/// listing is 1,000 of these, and looking the names up afterwards cost as much as the listing.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PublicCase {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "crate::Name<CaseStatus>")]
    pub status: CaseStatus,
    pub category_code: Option<String>,
    pub category_name: Option<String>,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The code of the ward or residential group the case is about.
    pub place_code: Option<String>,
    /// The handling unit's name.
    pub unit_name: String,
    pub received_at: DateTime<Utc>,
    pub accept_due: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// The case's first photo (an attachment id), if any.
    pub photo_id: Option<i64>,
}

const PUBLIC_CASE_COLS: &str =
    "c.id, c.code, c.status, cat.code AS category_code, cat.name AS category_name, c.description, c.address,
    c.latitude, c.longitude, pl.code AS place_code, u.name AS unit_name, c.received_at, c.accept_due, c.resolve_due, c.updated_at,
    (SELECT MIN(a.id) FROM attachments a WHERE a.case_id = c.id AND a.purpose = 'photo') AS photo_id";
const PUBLIC_CASE_JOINS: &str =
    "JOIN units u ON u.id = c.unit_id LEFT JOIN units pl ON pl.id = c.place_unit_id LEFT JOIN categories cat ON cat.id = c.category_id";

/// A supporting unit (đơn vị phối hợp) of a case.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseSupport {
    pub unit_id: UnitId,
    pub code: String,
    pub name: String,
    pub path: String,
    pub added_at: DateTime<Utc>,
}

/// Records a change of supporting units in the case's history (internal, like notes).
macro_rules! support_event {
    ($tx:expr, $ctx:expr, $case_id:expr, $at:expr, $action:expr, $unit_name:expr, $note:expr) => {{
        let note: &str = $note;
        let text = if note.is_empty() { $unit_name.to_string() } else { format!("{}: {note}", $unit_name) };
        sqlx::query(
            "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, $5, $6, FALSE)",
        )
        .bind($case_id)
        .bind($at)
        .bind($ctx.actor_id)
        .bind(&$ctx.actor_label)
        .bind($action)
        .bind(text)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use support_event;

impl CaseRow {
    /// Still work to do (not answered, closed, rejected, withdrawn or sent outside).
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }

    /// Whom the case concerns (a denunciation), for `authorize`.
    pub fn concerned(&self) -> danvan_domain::cases::denunciation::Concerned {
        danvan_domain::cases::denunciation::Concerned { unit: self.concerned_unit_id, account: self.concerned_account_id }
    }

    /// What a decision on this row rests on (see [`CaseSeen`]).
    pub fn seen(&self) -> CaseSeen {
        CaseSeen {
            kind: self.kind,
            unit_path: self.unit_path.clone(),
            identity_protected: self.identity_protected,
            concerned_unit_id: self.concerned_unit_id,
            concerned_account_id: self.concerned_account_id,
        }
    }
}

/// What authorising a change read of the case besides its status: its kind, its handling unit,
/// whether its sender is protected and whom it concerns. A change carrying it applies only if the
/// row still has all of it in the commit (a compare-and-set, like `from_status`): a reclassification
/// into a denunciation committed between the decision and the write refuses the write
/// (`case.error.changed`) instead of letting through what the new row would have refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSeen {
    pub kind: CaseKind,
    pub unit_path: String,
    pub identity_protected: bool,
    pub concerned_unit_id: Option<i64>,
    pub concerned_account_id: Option<i64>,
}

/// Whom a new denunciation concerns, looked up: the unit, the person's name, their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    pub unit_id: UnitId,
    pub name: String,
    pub account_id: Option<i64>,
}

#[derive(Debug, Clone, Default, sqlx::FromRow, serde::Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// A Zalo number for the answer, when the sender asked for it.
    pub zalo: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub at: DateTime<Utc>,
    pub actor_label: String,
    pub action: String,
    #[sqlx(try_from = "crate::NullableName<CaseStatus>")]
    pub from_status: Option<CaseStatus>,
    #[sqlx(try_from = "crate::NullableName<CaseStatus>")]
    pub to_status: Option<CaseStatus>,
    pub note: String,
    pub public: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Answer {
    pub case_id: i64,
    pub body: String,
    pub register_no: Option<String>,
    pub drafted_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The leader who signed it off (the answer document's signer); kept out of the API's JSON.
    #[serde(skip)]
    pub approved_by: Option<i64>,
}

/// Everything needed to record a new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub draft: CaseDraft,
    pub channel: Channel,
    pub category_id: Option<i64>,
    pub place_unit_id: Option<i64>,
    pub unit_id: UnitId,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub accept_due: Option<NaiveDate>,
    pub source: Option<(String, String)>,
    pub idempotency_key: Option<String>,
    /// Internal notes recorded with the case, in its commit (the category's extra information,
    /// the reason for another handling unit than the suggested one): a retried request, which
    /// returns the case already recorded, can never leave them out.
    pub notes: Vec<String>,
    /// The sender asked for the answer on Zalo as well, at their phone number (ignored without one).
    pub zalo: bool,
    /// Whom a denunciation concerns (None for other kinds). A denunciation's sender is protected
    /// from its commit on, whatever is given here.
    pub concern: Option<Concern>,
}

/// The inbox's filters; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases handled within this unit's subtree.
    pub within: Option<UnitId>,
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub category_id: Option<i64>,
    pub channel: Option<Channel>,
    /// Open cases due on or before this date.
    pub due_by: Option<NaiveDate>,
    /// Open cases due before this date (overdue as of it).
    pub overdue_as_of: Option<NaiveDate>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub q: String,
    /// Only cases that may be shown to the public.
    pub public_only: bool,
    /// Only these tracking codes (Open311 service_request_id).
    pub codes: Vec<String>,
    /// Only these categories (Open311 service_code).
    pub category_ids: Vec<i64>,
    /// Skip counting all matches (the total is then returned as -1).
    pub skip_total: bool,
    /// Only cases with a point (latitude and longitude both set): the map.
    pub has_point: bool,
    /// Only cases whose id is greater (keyset paging with [`CaseSort::Id`]).
    pub after_id: Option<i64>,
    /// Never these cases (those that concern the reader: `Store::cases_concerning`).
    pub excluded_ids: Vec<i64>,
    /// Only cases one of whose supporting units lies within this unit's subtree (the work a
    /// unit supports, beside the work it leads).
    pub supported_within: Option<UnitId>,
    /// Only the cases behind an indicator's input (answered, on time, rated, reopened).
    pub measure: Option<danvan_domain::indicators::CaseSet>,
    /// Only cases held by this official (the inbox's "my cases").
    pub assignee_id: Option<i64>,
    pub sort: CaseSort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSort {
    #[default]
    DueDate,
    Newest,
    /// By id, the one key that never changes: long reads page with `after_id` and neither repeat
    /// nor skip a case whose due date or status moves meanwhile (the export).
    Id,
}

pub(crate) const OPEN_STATUSES: &str =
    "('received','accepted','assigned','in_progress','paused','answer_drafted','answer_approved')";

/// A change to a case made by one transition, applied with its history entry in one transaction.
/// Made with [`CaseChange::new`] and struct update syntax: `CaseChange { note, ..CaseChange::new(…) }`.
#[derive(Debug, Clone)]
pub struct CaseChange {
    /// When it happened (now, unless recording history, e.g. demo data or imports).
    pub at: Option<DateTime<Utc>>,
    /// The history entry's action (a `CaseAction` name, or `due_date`…).
    pub action: String,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    pub note: String,
    pub public: bool,
    pub kind: Option<CaseKind>,
    pub unit: Option<(i64, String)>,
    pub assignee_id: Option<Option<i64>>,
    pub accepted_on: Option<Option<NaiveDate>>,
    pub accept_due: Option<Option<NaiveDate>>,
    pub resolve_due: Option<Option<NaiveDate>>,
    pub paused_since: Option<Option<NaiveDate>>,
    pub complex: Option<bool>,
    pub extensions_used: Option<i64>,
    pub publish: Option<bool>,
    pub answered: bool,
    pub closed: bool,
    pub reopened: bool,
    /// What happens to the answer, in the same commit.
    pub answer: Option<AnswerChange>,
    /// Also record an internal `due_date` entry: the resolution date moved (resuming a case
    /// closes its pause and counts it).
    pub due_date_event: bool,
    /// Messages to citizens and their new tracking links, queued in the same commit.
    pub outgoing: crate::cases::delivery::Outgoing,
    /// Protect the sender's identity from now on (the case becomes a denunciation); never unset.
    pub protect: bool,
    /// Whom the case now concerns (it becomes a denunciation).
    pub concern: Option<Concern>,
    /// The row as the decision saw it: applied only if the case is still so in the commit.
    pub seen: Option<CaseSeen>,
    /// An audit entry on the case (`target_type` `case`), in the same commit. Approving an
    /// answer adds its register number to the changes.
    pub audit: Option<(&'static str, crate::Changes)>,
    /// Steps taken on the way in the same commit, recorded before this change's own entry (a
    /// shortcut: accepting, assigning to oneself and starting in one submission).
    pub steps: Vec<CaseStep>,
}

/// One history entry of a composite change (see `CaseChange::steps`).
#[derive(Debug, Clone)]
pub struct CaseStep {
    pub action: String,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    pub note: String,
    pub public: bool,
}

/// The audit action of a sign-off: the register number an answer was given, by whom.
pub const AUDIT_ANSWER_APPROVE: &str = "case.answer_approve";

/// What a transition does to the case's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerChange {
    /// A new draft, replacing an earlier one (its number, approval and sending are cleared).
    Draft { body: String },
    /// Sign-off (ký duyệt): the next number of the unit's register for the year, written with
    /// the unit's symbol (`danvan_domain::cases::answer_number::answer_number`: "12/UBND-TL"),
    /// which also becomes the history entry's note.
    Approve { unit_id: i64, symbol: String, kind: danvan_domain::UnitKind },
    /// The answer is sent, to the citizens of the case and of the `merged` cases merged into it
    /// when the messages were written: a merge committed since then refuses the sending (the
    /// new citizen would get no message).
    Sent { merged: usize },
}

/// A draft's text as stored, or why it is refused.
fn checked_answer(body: &str) -> Result<String> {
    let body = text::clean_multiline(body);
    if body.chars().count() < 10 {
        return Err(FieldErrors::one("answer", if body.is_empty() { "error.required" } else { "case.error.answer_short" }).into());
    }
    Ok(body)
}

impl CaseChange {
    /// An internal change from `from` to `to` recorded as `action`, changing nothing else.
    pub fn new(action: &str, from: CaseStatus, to: CaseStatus) -> CaseChange {
        CaseChange {
            at: None,
            action: action.into(),
            from_status: from,
            to_status: to,
            note: String::new(),
            public: false,
            kind: None,
            unit: None,
            assignee_id: None,
            accepted_on: None,
            accept_due: None,
            resolve_due: None,
            paused_since: None,
            complex: None,
            extensions_used: None,
            publish: None,
            answered: false,
            closed: false,
            reopened: false,
            answer: None,
            due_date_event: false,
            outgoing: Default::default(),
            protect: false,
            concern: None,
            seen: None,
            audit: None,
            steps: vec![],
        }
    }
}

/// The inbox's counters (see `case_counters`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseCounters {
    pub received: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub paused: i64,
    pub to_approve: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CaseStats {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub satisfaction: Option<f64>,
    pub ratings: i64,
    /// (received on, answered at) of recent answered cases, for the median.
    pub answered_dates: Vec<(NaiveDate, DateTime<Utc>)>,
}

/// An open case whose due date has come near.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueCase {
    pub id: i64,
    pub code: String,
    pub unit_path: String,
    pub due: NaiveDate,
    /// Whom it concerns (a denunciation): they are never told of it.
    pub concerned_unit_id: Option<i64>,
    pub concerned_account_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub case_id: i64,
    pub code: String,
    pub title: String,
    #[sqlx(try_from = "crate::Name<DueStatus>")]
    pub kind: DueStatus,
    pub created_at: DateTime<Utc>,
}

/// A generated or migrated case with its whole state, for bulk loading.
#[derive(Debug, Clone)]
pub struct BulkCase {
    pub new: NewCase,
    pub status: CaseStatus,
    pub accepted_on: Option<NaiveDate>,
    pub resolve_due: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<i64>,
}

/// The ORDER BY of a listing; the id breaks ties so that pages never overlap.
/// Binds the case filter's six fixed parameters ($1–$6 of `case_filter_sql`) to a query, in order.
macro_rules! bind_filter {
    ($q:expr, $within:expr, $f:expr) => {
        $q.bind($within)
            .bind($f.kind.map(|k| k.as_str()))
            .bind($f.category_id)
            .bind($f.channel.map(|c| c.as_str()))
            .bind($f.received_from)
            .bind($f.received_to)
    };
}
use bind_filter;

fn order_sql(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::DueDate => "COALESCE(c.resolve_due, c.accept_due) IS NULL, COALESCE(c.resolve_due, c.accept_due), c.id",
        CaseSort::Newest => "c.received_at DESC, c.id DESC",
        CaseSort::Id => "c.id",
    }
}
