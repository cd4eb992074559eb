//! Officers' and leaders' actions on a case through the domain's state machine, the citizen's own
//! actions, and bulk assignment.

use super::access::{authorize_case, authorize_case_internal};
use super::routing::{clock_of, policy, today};
use crate::{App, AppError, AppResult, Caller};
use chrono::{NaiveDate, Utc};
use danvan_domain::calendar::{vietnam_offset, WorkCalendar};
use danvan_domain::cases::denunciation;
use danvan_domain::cases::{self as case, CaseAction, CaseFacts, CaseKind, CaseStatus, Clock, RejectReason};
use danvan_domain::{Action, FieldErrors};
use danvan_store::cases::{AnswerChange, CaseChange, CaseRow};
use danvan_store::AuditCtx;

/// An officer's or leader's action on a case.
#[derive(Debug, Clone, Default)]
pub struct ActRequest {
    pub action: String,
    pub note: String,
    pub reason: String,
    pub assignee: String,
    pub unit_code: String,
    pub kind: String,
    pub complex: bool,
    pub answer: String,
    /// Whom the case concerns, when it is reclassified as a denunciation.
    pub concern: danvan_domain::cases::denunciation::ConcernInput,
}

fn parse_action(r: &ActRequest) -> Result<CaseAction, FieldErrors> {
    Ok(match r.action.as_str() {
        "accept" => CaseAction::Accept,
        "reject" => CaseAction::Reject {
            reason: RejectReason::parse(&r.reason).ok_or_else(|| FieldErrors::one("reason", "error.required"))?,
        },
        "assign" => CaseAction::Assign,
        "start" => CaseAction::Start,
        "pause" => CaseAction::Pause,
        "resume" => CaseAction::Resume,
        "draft_answer" => CaseAction::DraftAnswer,
        "return_draft" => CaseAction::ReturnDraft,
        "approve_answer" => CaseAction::ApproveAnswer,
        "send_answer" => CaseAction::SendAnswer,
        "close" => CaseAction::Close,
        "reopen" => CaseAction::Reopen,
        "extend" => CaseAction::Extend,
        "withdraw" => CaseAction::Withdraw,
        "transfer_out" => CaseAction::TransferOut,
        "transfer" => CaseAction::Transfer,
        "reclassify" => CaseAction::Reclassify,
        _ => return Err(FieldErrors::one("action", "error.invalid")),
    })
}

pub(super) async fn due(
    app: &App,
    c: &CaseRow,
    kind: CaseKind,
    accepted_on: Option<NaiveDate>,
    complex: bool,
    extensions: i64,
    cal: &WorkCalendar,
) -> AppResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let category = match c.category_id {
        Some(id) => Some(app.store.category(id).await?),
        None => None,
    };
    let remote = app.store.get_unit(c.unit_id).await?.remote_area;
    let pauses = app.store.case_pauses(c.id).await?;
    let mut clock = clock_of(c, remote, &pauses);
    clock.accepted_on = accepted_on;
    clock.complex = complex;
    clock.extensions_used = extensions.max(0) as u32;
    Ok(case::due_dates(&policy(&*app.store.settings().await?, kind, category.as_ref()), &clock, cal))
}

/// What decides a case's next step: its status, its facts and its kind's time limits. The case
/// page and the citizen's page offer the actions it allows; `act` applies one through it.
pub struct Transitions {
    status: CaseStatus,
    facts: CaseFacts,
    policy: case::DeadlinePolicy,
}

impl Transitions {
    /// Where `action` would take the case, or why it may not.
    pub fn next(&self, action: CaseAction) -> Result<CaseStatus, case::TransitionError> {
        case::transition(self.status, action, self.facts, &self.policy)
    }

    pub fn allows(&self, action: CaseAction) -> bool {
        self.next(action).is_ok()
    }

    /// Where `action` would take the case from `status` (the later steps of a shortcut).
    pub fn next_from(&self, status: CaseStatus, action: CaseAction) -> Result<CaseStatus, case::TransitionError> {
        case::transition(status, action, self.facts, &self.policy)
    }

    /// The time limits of the case's kind (and category).
    pub fn policy(&self) -> &case::DeadlinePolicy {
        &self.policy
    }
}

/// The rules of `c`'s next step, read once.
pub async fn transitions(app: &App, c: &CaseRow) -> AppResult<Transitions> {
    let category = match c.category_id {
        Some(cid) => Some(app.store.category(cid).await?),
        None => None,
    };
    let settings = app.store.settings().await?;
    Ok(Transitions {
        status: c.status,
        facts: CaseFacts {
            kind: c.kind,
            extensions_used: c.extensions_used.max(0) as u32,
            days_since_answer: days_since(c.answered_at),
        },
        policy: policy(&settings, c.kind, category.as_ref()),
    })
}

/// Days since an answer was sent (the dispute window counts them).
pub fn days_since(t: Option<chrono::DateTime<Utc>>) -> Option<i64> {
    t.map(|t| (today() - t.with_timezone(&vietnam_offset()).date_naive()).num_days())
}

/// Applies an action through the state machine; an invalid one is refused (409) with why. The
/// domain decides, this builds the whole change (history, answer, register number, messages to
/// the citizens, audit entry) and the store applies it in one transaction.
pub async fn act(app: &App, caller: &Caller, id: i64, r: &ActRequest) -> AppResult<CaseRow> {
    let c = app.store.get_case(id).await?;
    let action = parse_action(r).map_err(AppError::Invalid)?;
    authorize_case(caller, &c, action_needs(&c, action))?;
    transition_case(app, &caller.audit(), &c, action, r, caller).await
}

/// What `act` asks of the caller for `action` on `c` (the case page offers only what passes).
pub fn action_needs(c: &CaseRow, action: CaseAction) -> Action {
    match action {
        CaseAction::ApproveAnswer | CaseAction::ReturnDraft => Action::Approve,
        // Who reads a protected sender is a leader's decision, never an officer's own choice.
        CaseAction::Assign => denunciation::assign_needs(c.identity_protected),
        _ => Action::Handle,
    }
}

/// Whether the caller may take `action` on `c` (the state machine aside).
pub fn may_act(caller: &Caller, c: &CaseRow, action: CaseAction) -> bool {
    authorize_case(caller, c, action_needs(c, action)).is_ok()
}

async fn transition_case(
    app: &App,
    audit: &AuditCtx,
    c: &CaseRow,
    action: CaseAction,
    r: &ActRequest,
    caller: &Caller,
) -> AppResult<CaseRow> {
    let (kind, status) = (c.kind, c.status);
    let rules = transitions(app, c).await?;
    let next = rules.next(action).map_err(|e| AppError::Conflict(FieldErrors::one("action", e.key())))?;
    let note = danvan_domain::cases::check_text(&r.note, danvan_domain::cases::MAX_NOTE)
        .map_err(|k| AppError::Invalid(FieldErrors::one("note", k)))?;
    let mut ch = CaseChange {
        note: note.clone(),
        public: !matches!(
            action,
            CaseAction::Assign | CaseAction::DraftAnswer | CaseAction::ReturnDraft | CaseAction::ApproveAnswer
        ),
        // The decision below (and the caller's authorisation) rests on this row: the write
        // applies only if the case is still so in its commit.
        seen: Some(c.seen()),
        ..CaseChange::new(action.name(), status, next)
    };
    let cal = app.store.work_calendar().await?;
    let t = today();
    match action {
        CaseAction::Accept => {
            // Whether the case is complex is decided when it is accepted (thụ lý): it sets the
            // longer statutory period where the law has one (complaints: 45/60 days).
            let complex = r.complex || c.complex;
            let (_, resolve) = due(app, c, kind, Some(t), complex, c.extensions_used, &cal).await?;
            ch.accepted_on = Some(Some(t));
            ch.resolve_due = Some(resolve);
            ch.complex = Some(complex);
        }
        CaseAction::Reject { reason } => {
            ch.note = format!("{}{}{}", reason.as_str(), if note.is_empty() { "" } else { ": " }, note);
            // Spam and duplicates leave the public pages.
            if matches!(reason, RejectReason::Spam | RejectReason::Duplicate) {
                ch.publish = Some(false);
            }
        }
        CaseAction::Assign => {
            let who = r.assignee.trim();
            let account = if who.is_empty() {
                caller.require_account()?.clone()
            } else {
                app.store
                    .get_account_by_username(who)
                    .await?
                    .ok_or_else(|| AppError::Invalid(FieldErrors::one("assignee", "case.error.assignee")))?
            };
            // The assignee must be able to handle the case: over its unit, and neither the person
            // a denunciation concerns nor anyone working in the unit concerned.
            let memberships = app.store.memberships_of(account.id).await?;
            let assignee = Caller::account(account.clone(), memberships, String::new());
            // A protected case goes only to someone who would then read its sender: an officer
            // or leader over its unit (never through an administrator's system role).
            let may_hold = if c.identity_protected {
                let held = CaseRow { assignee_id: Some(account.id), ..c.clone() };
                authorize_case(&assignee, &held, Action::ViewContacts).is_ok()
            } else {
                authorize_case(&assignee, c, Action::Handle).is_ok()
            };
            if !may_hold {
                return Err(AppError::Invalid(FieldErrors::one("assignee", "case.error.assignee")));
            }
            ch.assignee_id = Some(Some(account.id));
            // Both who was assigned and the officer's note (the bulk form's note goes here too).
            ch.note = if note.is_empty() { account.full_name.clone() } else { format!("{}: {note}", account.full_name) };
        }
        CaseAction::Pause => ch.paused_since = Some(Some(t)),
        CaseAction::Resume => {
            // The pause ends today, and the resolution date moves by it: the open pause counted
            // up to today is the pause as the commit closes it.
            let (_, resolve) = due(app, c, kind, c.accepted_on, c.complex, c.extensions_used, &cal).await?;
            ch.paused_since = Some(None);
            ch.resolve_due = Some(resolve);
            ch.due_date_event = true;
        }
        CaseAction::DraftAnswer => {
            let body = danvan_domain::cases::check_text(&r.answer, danvan_domain::cases::MAX_ANSWER)
                .map_err(|k| AppError::Invalid(FieldErrors::one("answer", k)))?;
            ch.answer = Some(AnswerChange::Draft { body })
        }
        CaseAction::ApproveAnswer => {
            // The register number is taken in the commit (the event's note and the audit entry).
            let unit = app.store.get_unit(c.unit_id).await?;
            let symbol = app.store.answer_symbol(&unit).await?;
            ch.answer = Some(AnswerChange::Approve { unit_id: unit.id, symbol, kind: unit.kind });
            ch.audit = Some((danvan_store::cases::AUDIT_ANSWER_APPROVE, danvan_store::Changes::new().set("unit", &unit.code)));
        }
        CaseAction::SendAnswer => {
            // The answer goes to the citizen, and to those of the cases merged into this one,
            // queued in the same commit as the case is answered.
            let answer = app
                .store
                .answer(c.id)
                .await?
                .ok_or_else(|| AppError::Conflict(FieldErrors::one("action", "case.error.not_now")))?;
            let mut recipients = vec![c.clone()];
            recipients.extend(app.store.merged_cases(c.id).await?);
            ch.outgoing = super::delivery::answer_outgoing(app, c, &answer, &recipients).await?;
            ch.answer = Some(AnswerChange::Sent { merged: recipients.len() - 1 });
            ch.answered = true;
        }
        CaseAction::Close => ch.closed = true,
        CaseAction::Reopen => {
            ch.reopened = true;
            if note.is_empty() {
                return Err(AppError::Invalid(FieldErrors::one("note", "error.required")));
            }
        }
        CaseAction::Extend => {
            let ext = c.extensions_used + 1;
            let (_, resolve) = due(app, c, kind, c.accepted_on, r.complex || c.complex, ext, &cal).await?;
            ch.extensions_used = Some(ext);
            ch.complex = Some(r.complex || c.complex);
            ch.resolve_due = Some(resolve);
        }
        CaseAction::Withdraw | CaseAction::TransferOut => {
            if note.is_empty() {
                return Err(AppError::Invalid(FieldErrors::one("note", "error.required")));
            }
        }
        CaseAction::Transfer => {
            let to = app
                .store
                .get_unit_by_code(&r.unit_code)
                .await?
                .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit_code", "error.unit_unknown")))?;
            if to.dissolved() {
                return Err(AppError::Invalid(FieldErrors::one("unit_code", "case.error.unit_dissolved")));
            }
            if to.id == c.unit_id {
                return Err(AppError::Invalid(FieldErrors::one("unit_code", "error.invalid")));
            }
            let avoid = super::routing::avoided_units(app, &c.concerned()).await?;
            if let Some(key) = denunciation::transfer_refusal(&avoid, &to.ancestry()) {
                return Err(AppError::Invalid(FieldErrors::one("unit_code", key)));
            }
            if note.is_empty() {
                return Err(AppError::Invalid(FieldErrors::one("note", "error.required")));
            }
            // The receiving unit has its own time to accept, from the day it receives the case.
            let (accept, _) = case::due_dates(
                rules.policy(),
                &Clock {
                    received_on: t,
                    accepted_on: None,
                    complex: false,
                    remote: to.remote_area,
                    extensions_used: 0,
                    pauses: vec![],
                },
                &cal,
            );
            ch.note = format!("→ {}: {note}", to.name);
            ch.unit = Some((to.id, to.path.clone()));
            ch.assignee_id = Some(None);
            ch.accepted_on = Some(None);
            ch.accept_due = Some(accept);
            ch.resolve_due = Some(None);
        }
        CaseAction::Reclassify => {
            let new_kind =
                CaseKind::parse(&r.kind).ok_or_else(|| AppError::Invalid(FieldErrors::one("kind", "error.invalid")))?;
            // Leaving a denunciation is recorded with why; its sender stays protected.
            if let Some(key) = denunciation::reclassify_refusal(kind, new_kind, &note) {
                return Err(AppError::Invalid(FieldErrors::one("note", key)));
            }
            ch.protect = denunciation::stays_protected(c.identity_protected, new_kind);
            // The new kind's law says what the sender must have given (RULES.md §2), however the
            // kind is reached: an anonymous feedback cannot become a complaint or a denunciation.
            let contact = app.store.case_contact(c.id).await?;
            let sender = case::SenderDetails {
                name: contact.name.as_deref(),
                address: contact.address.as_deref(),
                // A Zalo number is a way to reach the sender too.
                phone: contact.phone.as_deref().or(contact.zalo.as_deref()),
                email: contact.email.as_deref(),
            };
            let missing = case::check_sender(new_kind, &sender);
            if !missing.is_empty() {
                let mut e = FieldErrors::one("kind", "case.error.reclassify_sender");
                // Each missing detail, on the same field: the form has none of the sender's.
                missing.0.into_iter().for_each(|m| e.add("kind", &m.key));
                return Err(AppError::Invalid(e));
            }
            // Whom it concerns, once recorded, stays for the case's whole life: a concern given
            // again must be the same one, or going through another kind and back would free the
            // first unit and person concerned (RULES.md §2; Luật Tố cáo 2018, Điều 56).
            let recorded = c.concerned();
            let recorded_any = recorded.unit.is_some() || recorded.account.is_some();
            let concern_given = [&r.concern.unit, &r.concern.name, &r.concern.account].iter().any(|v| !v.trim().is_empty());
            if new_kind == CaseKind::Denunciation && recorded_any && concern_given {
                let mut e = FieldErrors::new();
                let same = match denunciation::validate_concern(new_kind, &r.concern) {
                    Ok(Some(d)) => super::intake::concern_of(app, d, true, &mut e)
                        .await?
                        .is_some_and(|(g, _)| recorded.unit == Some(g.unit_id) && recorded.account == g.account_id),
                    _ => false,
                };
                if !same {
                    return Err(AppError::Invalid(FieldErrors::one("concerned_unit", "case.error.concern_recorded")));
                }
            }
            // Becoming one, it must say whom it concerns, and not be handled there.
            if new_kind == CaseKind::Denunciation && kind != CaseKind::Denunciation && !recorded_any {
                let mut e = FieldErrors::new();
                let concern = match denunciation::validate_concern(new_kind, &r.concern) {
                    Ok(Some(d)) => super::intake::concern_of(app, d, true, &mut e).await?,
                    Ok(None) => None,
                    Err(v) => {
                        e.merge(v);
                        None
                    }
                };
                let (Some((concern, _)), true) = (concern, e.is_empty()) else { return Err(AppError::Invalid(e)) };
                let concerned = denunciation::Concerned { unit: Some(concern.unit_id), account: concern.account_id };
                let avoid = super::routing::avoided_units(app, &concerned).await?;
                if denunciation::transfer_refusal(&avoid, &c.unit_ancestry()).is_some() {
                    return Err(AppError::Invalid(FieldErrors::one("concerned_unit", "case.error.handling_concerned")));
                }
                ch.concern = Some(concern);
            }
            // The same tracking code; the law of the new kind sets the dates.
            let category = match c.category_id {
                Some(cid) => Some(app.store.category(cid).await?),
                None => None,
            };
            let p = policy(&*app.store.settings().await?, new_kind, category.as_ref());
            let remote = app.store.get_unit(c.unit_id).await?.remote_area;
            let pauses = app.store.case_pauses(c.id).await?;
            let clock = clock_of(c, remote, &pauses);
            let (accept, resolve) = case::due_dates(&p, &clock, &cal);
            ch.kind = Some(new_kind);
            ch.accept_due = Some(accept);
            ch.resolve_due = Some(resolve);
            if !new_kind.may_be_published() {
                ch.publish = Some(false);
            }
            ch.note = if note.is_empty() {
                format!("{} → {}", c.kind, new_kind.as_str())
            } else {
                format!("{} → {}: {note}", c.kind, new_kind.as_str())
            };
            ch.public = false;
        }
        CaseAction::Start | CaseAction::ReturnDraft => {}
        // Merging names a second case: `delivery::merge` does it, with both authorised.
        CaseAction::Merge => return Err(AppError::Conflict(FieldErrors::one("action", "case.error.not_now"))),
    }
    Ok(app.store.apply_case_change(audit, c.id, &ch).await?)
}

/// The citizen's own actions through the private link: rate, dispute (reopen), withdraw.
pub async fn citizen_act(
    app: &App,
    caller: &Caller,
    c: &CaseRow,
    action: &str,
    note: &str,
    rating: Option<i64>,
) -> AppResult<CaseRow> {
    let audit = AuditCtx { actor_id: None, actor_label: "citizen".into(), ip: caller.ip.clone() };
    match action {
        "rate" => {
            if !matches!(c.status, CaseStatus::Answered | CaseStatus::Closed) {
                return Err(AppError::Conflict(FieldErrors::one("action", "case.error.not_now")));
            }
            let r = case::validate_rating(rating.unwrap_or(0)).map_err(AppError::Invalid)?;
            app.store.rate_case(c.id, r, note, Utc::now()).await?;
            Ok(app.store.get_case(c.id).await?)
        }
        "reopen" | "withdraw" => {
            let r = ActRequest { action: action.into(), note: note.into(), ..Default::default() };
            let a = parse_action(&r).map_err(AppError::Invalid)?;
            transition_case(app, &audit, c, a, &r, caller).await
        }
        _ => Err(AppError::BadRequest("error.bad_request")),
    }
}

/// Why one case of a bulk action was refused, as a translation key.
fn refusal_key(e: &AppError) -> String {
    match e {
        AppError::Invalid(f) | AppError::Conflict(f) => {
            f.0.first().map(|e| e.key.clone()).unwrap_or_else(|| "error.summary".into())
        }
        AppError::Forbidden | AppError::SignIn => "error.forbidden".into(),
        AppError::NotFound => "error.not_found".into(),
        other => {
            tracing::error!(error = ?other, "bulk action on one case failed");
            other.key().into()
        }
    }
}

/// Assigns many cases to one official. Each case is authorised and goes through the state
/// machine exactly as a single assignment (`act`), with its own history entry; the outcome
/// says, case by case, what was done and why the rest was refused. A case the actor may not
/// see is reported without its code.
pub async fn bulk_assign(
    app: &App,
    caller: &Caller,
    ids: &[i64],
    assignee: &str,
    note: &str,
) -> AppResult<danvan_domain::cases::inbox::BulkOutcome> {
    super::authorize_case_work(caller)?;
    let assignee = danvan_domain::text::clean(assignee);
    if assignee.is_empty() {
        return Err(AppError::Invalid(FieldErrors::one("assignee", "error.required")));
    }
    if app.store.get_account_by_username(&assignee).await?.is_none() {
        return Err(AppError::Invalid(FieldErrors::one("assignee", "case.error.assignee")));
    }
    let mut out = danvan_domain::cases::inbox::BulkOutcome::default();
    let r = ActRequest { action: "assign".into(), assignee, note: note.into(), ..Default::default() };
    for &id in ids {
        let c = match app.store.get_case(id).await {
            Ok(c) => c,
            Err(danvan_store::StoreError::NotFound) => {
                out.refuse(id, "", "error.not_found");
                continue;
            }
            // Earlier cases are already committed: report this one and go on rather than answer
            // 500 with no word about what was done.
            Err(e) => {
                tracing::error!(case_id = id, error = %e, "bulk assign: reading the case failed");
                out.refuse(id, "", "error.internal");
                continue;
            }
        };
        let code = if authorize_case_internal(caller, &c).is_ok() { c.code.clone() } else { String::new() };
        match act(app, caller, id, &r).await {
            Ok(_) => out.done(id, &code),
            // A case the actor may not know of is "not found", as an unknown id is.
            Err(e) => out.refuse(id, &code, &refusal_key(&super::access::refusal(app, caller, &c, e).await)),
        }
    }
    Ok(out)
}
