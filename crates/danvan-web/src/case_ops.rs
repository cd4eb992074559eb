//! Operations on cases shared by the pages (and later the API and Open311): intake with routing
//! and due dates, transitions through the domain's state machine, the citizen's own actions.

use crate::ctx::Ctx;
use crate::error::{WebError, WebResult};
use crate::AppState;
use chrono::{NaiveDate, Utc};
use danvan_domain::calendar::{vietnam_offset, WorkCalendar};
use danvan_domain::case::{self, CaseAction, CaseFacts, CaseInput, CaseKind, CaseStatus, Clock, DeadlinePolicy, RejectReason};
use danvan_domain::settings::Settings;
use danvan_domain::{Action, FieldErrors, Resource, UnitKind};
use danvan_store::cases::{CaseChange, CaseRow, CaseSupport, Category, NewCase};
use danvan_store::{AuditCtx, Unit};

pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vietnam_offset()).date_naive()
}

/// The kind's time limits (the administrators' settings), with the category's own figures for
/// feedback and petitions.
pub fn policy(settings: &Settings, kind: CaseKind, category: Option<&Category>) -> DeadlinePolicy {
    let mut p = settings.policy(kind);
    if matches!(kind, CaseKind::Feedback | CaseKind::Petition) {
        if let Some(c) = category {
            if let Some(a) = c.accept_days.filter(|d| *d > 0) {
                p.accept_days = a as u32;
            }
            if let Some(r) = c.resolve_days.filter(|d| *d > 0) {
                (p.resolve_days, p.resolve_days_complex, p.resolve_days_remote, p.resolve_days_remote_complex) =
                    (r as u32, r as u32, r as u32, r as u32);
            }
        }
    }
    p
}

fn is_local_territory(kind: &str) -> bool {
    matches!(UnitKind::parse(kind), Some(UnitKind::Ward | UnitKind::Commune | UnitKind::SpecialZone))
}

/// The ward, commune or special zone a place belongs to (itself, or its nearest such ancestor).
pub async fn territory_of(state: &AppState, place: &Unit) -> WebResult<Unit> {
    if is_local_territory(&place.kind) {
        return Ok(place.clone());
    }
    let anc = place.ancestry();
    let mut ancestors = state.store.get_units(&anc).await?;
    ancestors.sort_by_key(|u| std::cmp::Reverse(u.depth));
    Ok(ancestors.into_iter().find(|u| is_local_territory(&u.kind)).unwrap_or_else(|| place.clone()))
}

/// The unit whose boundary contains the point (the smallest, when areas nest), if boundaries
/// were supplied and the unit still exists; a dissolved unit's successor takes its place.
pub async fn place_of_point(state: &AppState, lat: f64, lon: f64) -> WebResult<Option<Unit>> {
    let settings = state.store.settings().await?;
    let Some(area) = danvan_domain::geo::locate(&settings.boundaries, lat, lon) else { return Ok(None) };
    let Some(unit) = state.store.get_unit_by_code(&area.unit_code).await? else { return Ok(None) };
    // A successor may itself have been dissolved later (a merger, then another): follow the chain
    // breadth-first to the first live unit, a few levels at most.
    const MAX_HOPS: usize = 8;
    let mut level = vec![unit];
    let mut seen = std::collections::HashSet::new();
    for _ in 0..=MAX_HOPS {
        if let Some(live) = level.iter().find(|u| !u.dissolved()) {
            return Ok(Some(live.clone()));
        }
        let mut next = vec![];
        for u in &level {
            if seen.insert(u.id) {
                next.extend(state.store.successors(u.id).await?);
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    Ok(None)
}

/// Routing: the category names the kind of unit responsible; the place decides which one (the
/// body of that kind on the place's ward or commune). Without one, the ward itself handles it.
pub async fn suggest_unit(state: &AppState, category: Option<&Category>, place: &Unit) -> WebResult<Unit> {
    let territory = territory_of(state, place).await?;
    if let Some(c) = category {
        let bodies = state.store.units_on_territory(territory.id).await?;
        if let Some(b) = bodies.into_iter().find(|b| b.kind == c.unit_kind) {
            return Ok(b);
        }
    }
    Ok(territory)
}

fn clock_of(c: &CaseRow, remote: bool, pauses: &[(NaiveDate, Option<NaiveDate>)]) -> Clock {
    Clock {
        received_on: c.received_on,
        accepted_on: c.accepted_on,
        complex: c.complex,
        remote,
        extensions_used: c.extensions_used.max(0) as u32,
        // An open pause counts up to today.
        pauses: pauses.iter().map(|(a, b)| (*a, b.unwrap_or_else(today))).collect(),
    }
}

/// Officials record cases about places within their reach: the place, its ward or commune, or
/// a body (people's committee, Front…) of that ward that they work for.
pub async fn authorize_intake(state: &AppState, ctx: &Ctx, place: &Unit) -> WebResult<()> {
    let handles = |u: &Unit| ctx.authorize(Action::Handle, Resource::Unit { ancestry: &u.ancestry() }).is_ok();
    if handles(place) {
        return Ok(());
    }
    let territory = territory_of(state, place).await?;
    if handles(&territory) || state.store.units_on_territory(territory.id).await?.iter().any(handles) {
        return Ok(());
    }
    Err(if ctx.account.is_some() { WebError::Forbidden } else { WebError::SignIn })
}

pub struct Submission {
    pub input: CaseInput,
    pub category_code: String,
    pub place_unit_id: Option<i64>,
    pub channel: case::Channel,
    pub received_on: Option<NaiveDate>,
    pub idempotency_key: Option<String>,
    pub source: Option<(String, String)>,
    /// An officer may choose another handling unit than the suggested one (with a reason).
    pub unit_override: Option<(i64, String)>,
    /// Internal notes recorded with the case (e.g. `attributes_note`).
    pub notes: Vec<String>,
    /// Who the history names as having recorded it, when not the signed-in official or
    /// "citizen" (e.g. an Open311 client).
    pub actor_label: Option<String>,
}

/// Records a case from any channel: validates it for its kind, routes it, computes the date by
/// which it must be accepted, and returns it with the secret of the citizen's private link.
pub async fn submit(state: &AppState, ctx: &Ctx, s: Submission) -> WebResult<(CaseRow, Option<String>)> {
    submit_with(state, ctx, s, &[]).await
}

/// `submit` with the case's photos, recorded in the same commit as the case.
pub async fn submit_with(
    state: &AppState,
    ctx: &Ctx,
    s: Submission,
    attachments: &[danvan_store::attachments::NewAttachment],
) -> WebResult<(CaseRow, Option<String>)> {
    let mut errors = FieldErrors::new();
    let draft = case::validate_case(&s.input).map_err(|e| errors.0.extend(e.0)).ok();
    let category = match s.category_code.trim() {
        "" => {
            errors.add("category", "error.required");
            None
        }
        code => match state.store.category_by_code(code).await? {
            Some(c) if c.active => Some(c),
            _ => {
                errors.add("category", "error.invalid");
                None
            }
        },
    };
    let place = match s.place_unit_id {
        Some(id) => match state.store.get_unit(id).await {
            Ok(u) if !u.dissolved() => Some(u),
            Ok(_) => {
                errors.add("place", "error.unit_dissolved");
                None
            }
            Err(danvan_store::StoreError::NotFound) => {
                errors.add("place", "error.unit_unknown");
                None
            }
            Err(e) => return Err(e.into()),
        },
        // No ward or group chosen: the boundaries, when supplied, place the point.
        None => match draft.as_ref().and_then(|d| d.point) {
            Some((lat, lon)) => match place_of_point(state, lat, lon).await? {
                Some(u) => Some(u),
                None => {
                    errors.add("place", "case.error.place_unit_required");
                    None
                }
            },
            None => {
                errors.add("place", "case.error.place_unit_required");
                None
            }
        },
    };
    let (Some(draft), Some(place), true) = (draft, place, errors.is_empty()) else {
        return Err(WebError::Invalid(errors));
    };
    let mut unit = suggest_unit(state, category.as_ref(), &place).await?;
    let mut notes = s.notes;
    if let Some((other, reason)) = &s.unit_override {
        if *other != unit.id {
            let chosen = state
                .store
                .get_unit(*other)
                .await
                .map_err(|_| WebError::Invalid(FieldErrors::one("unit", "error.unit_unknown")))?;
            ctx.authorize(Action::Handle, Resource::Unit { ancestry: &chosen.ancestry() })
                .or_else(|_| ctx.authorize(Action::Handle, Resource::Unit { ancestry: &unit.ancestry() }))?;
            if danvan_domain::text::clean(reason).is_empty() {
                return Err(WebError::Invalid(FieldErrors::one("unit_reason", "error.required")));
            }
            notes.push(format!("Chọn đơn vị xử lý khác đơn vị gợi ý: {}", danvan_domain::text::clean(reason)));
            unit = chosen;
        }
    }
    let received_at = Utc::now();
    let received_on = s.received_on.unwrap_or_else(today);
    let cal = state.store.work_calendar().await?;
    let p = policy(&*state.store.settings().await?, draft.kind, category.as_ref());
    let clock =
        Clock { received_on, accepted_on: None, complex: false, remote: unit.remote_area, extensions_used: 0, pauses: vec![] };
    let (accept_due, _) = case::due_dates(&p, &clock, &cal);
    let new = NewCase {
        draft,
        channel: s.channel.as_str().into(),
        category_id: category.as_ref().map(|c| c.id),
        place_unit_id: Some(place.id),
        unit_id: unit.id,
        received_at,
        received_on,
        accept_due,
        source: s.source,
        idempotency_key: s.idempotency_key,
        notes,
    };
    let mut audit = ctx.audit();
    if let Some(label) = s.actor_label {
        audit.actor_label = label;
    } else if let Some((system, _)) = &new.source {
        audit.actor_label = format!("import ({system})");
    } else if ctx.memberships.is_empty() {
        // A signed-in citizen is "citizen" in the history too: officials reading it (a supporting
        // unit's, a viewer) must not learn a sender's name from it — a denouncer's least of all.
        audit.actor_label = "citizen".into();
        audit.actor_id = None;
    }
    Ok(state.store.create_case_with(&audit, &new, attachments).await?)
}

/// The category's extra information, kept as a note in the case's history (officers read it
/// there; it is the sender's description of the problem, not personal data).
pub fn attributes_note(values: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = values.iter().map(|(k, v)| format!("{k}: {}", v.join(", "))).collect();
    format!("Thông tin bổ sung — {}", parts.join("; "))
}

pub fn is_public(c: &CaseRow) -> bool {
    c.publish && CaseKind::parse(&c.kind).is_some_and(|k| k.may_be_published()) && c.merged_into.is_none()
}

/// Authorises `action` on a case for the request's actor.
pub fn authorize_case(ctx: &Ctx, c: &CaseRow, action: Action) -> WebResult<()> {
    let anc = c.unit_ancestry();
    ctx.authorize(
        action,
        Resource::Case {
            unit_ancestry: &anc,
            denunciation: c.kind == "denunciation",
            public: is_public(c),
            assignee: c.assignee_id,
        },
    )
}

/// The officer's view of a case (history with internal notes, actors): its handling subtree
/// only, whether or not the case is public.
pub fn authorize_case_internal(ctx: &Ctx, c: &CaseRow) -> WebResult<()> {
    let anc = c.unit_ancestry();
    ctx.authorize(
        Action::View,
        Resource::Case { unit_ancestry: &anc, denunciation: c.kind == "denunciation", public: false, assignee: c.assignee_id },
    )
}

/// The case's file for its lead unit's subtree or one of its supporting units (đơn vị phối
/// hợp): `View` to read it (history with internal notes; contacts stay with the lead unit),
/// `Contribute` to add notes.
pub async fn authorize_case_file(state: &AppState, ctx: &Ctx, c: &CaseRow, action: Action) -> WebResult<()> {
    let lead = authorize_case_lead_file(ctx, c, action);
    if lead.is_ok() || ctx.account.is_none() {
        return lead;
    }
    authorize_case_file_with(ctx, c, &state.store.case_supports(c.id).await?, action)
}

/// `authorize_case_file` with the case's supporting units already read.
pub fn authorize_case_file_with(ctx: &Ctx, c: &CaseRow, supports: &[CaseSupport], action: Action) -> WebResult<()> {
    let lead = authorize_case_lead_file(ctx, c, action);
    if lead.is_ok() || supports.is_empty() {
        return lead;
    }
    let ancestries: Vec<Vec<danvan_domain::UnitId>> = supports.iter().map(|s| danvan_store::units::path_ids(&s.path)).collect();
    ctx.authorize(action, Resource::CaseSupport { support_ancestries: &ancestries })
}

fn authorize_case_lead_file(ctx: &Ctx, c: &CaseRow, action: Action) -> WebResult<()> {
    match action {
        Action::View => authorize_case_internal(ctx, c),
        _ => authorize_case(ctx, c, action),
    }
}

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

async fn due(
    state: &AppState,
    c: &CaseRow,
    kind: CaseKind,
    accepted_on: Option<NaiveDate>,
    complex: bool,
    extensions: i64,
    cal: &WorkCalendar,
) -> WebResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let category = match c.category_id {
        Some(id) => Some(state.store.category(id).await?),
        None => None,
    };
    let remote = state.store.get_unit(c.unit_id).await?.remote_area;
    let pauses = state.store.case_pauses(c.id).await?;
    let mut clock = clock_of(c, remote, &pauses);
    clock.accepted_on = accepted_on;
    clock.complex = complex;
    clock.extensions_used = extensions.max(0) as u32;
    Ok(case::due_dates(&policy(&*state.store.settings().await?, kind, category.as_ref()), &clock, cal))
}

/// Days since an answer was sent (the dispute window counts them).
pub fn days_since(t: Option<chrono::DateTime<Utc>>) -> Option<i64> {
    t.map(|t| (today() - t.with_timezone(&vietnam_offset()).date_naive()).num_days())
}

/// Applies an action through the state machine; an invalid one is refused (409) with why.
pub async fn act(state: &AppState, ctx: &Ctx, id: i64, r: &ActRequest) -> WebResult<CaseRow> {
    let c = state.store.get_case(id).await?;
    let action = parse_action(r).map_err(WebError::Invalid)?;
    let needs = match action {
        CaseAction::ApproveAnswer | CaseAction::ReturnDraft => Action::Approve,
        _ => Action::Handle,
    };
    authorize_case(ctx, &c, needs)?;
    transition_case(state, &ctx.audit(), &c, action, r, ctx).await
}

async fn transition_case(
    state: &AppState,
    audit: &AuditCtx,
    c: &CaseRow,
    action: CaseAction,
    r: &ActRequest,
    ctx: &Ctx,
) -> WebResult<CaseRow> {
    let kind = CaseKind::parse(&c.kind).unwrap_or(CaseKind::Feedback);
    let status = CaseStatus::parse(&c.status).ok_or_else(|| WebError::Internal(format!("unknown status {}", c.status)))?;
    let category = match c.category_id {
        Some(cid) => Some(state.store.category(cid).await?),
        None => None,
    };
    let settings = state.store.settings().await?;
    let pol = policy(&settings, kind, category.as_ref());
    let facts =
        CaseFacts { kind, extensions_used: c.extensions_used.max(0) as u32, days_since_answer: days_since(c.answered_at) };
    let next =
        case::transition(status, action, facts, &pol).map_err(|e| WebError::Conflict(FieldErrors::one("action", e.key())))?;
    let note = danvan_domain::text::clean_multiline(&r.note);
    let mut ch = CaseChange {
        action: action.name().into(),
        from_status: status.as_str().into(),
        to_status: next.as_str().into(),
        note: note.clone(),
        public: !matches!(
            action,
            CaseAction::Assign | CaseAction::DraftAnswer | CaseAction::ReturnDraft | CaseAction::ApproveAnswer
        ),
        ..Default::default()
    };
    let cal = state.store.work_calendar().await?;
    let t = today();
    match action {
        CaseAction::Accept => {
            // Whether the case is complex is decided when it is accepted (thụ lý): it sets the
            // longer statutory period where the law has one (complaints: 45/60 days).
            let complex = r.complex || c.complex;
            let (_, resolve) = due(state, c, kind, Some(t), complex, c.extensions_used, &cal).await?;
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
                ctx.require_account()?.clone()
            } else {
                state
                    .store
                    .get_account_by_username(who)
                    .await?
                    .ok_or_else(|| WebError::Invalid(FieldErrors::one("assignee", "case.error.assignee")))?
            };
            // The assignee must be able to handle the case.
            let memberships = state.store.memberships_of(account.id).await?;
            let anc = c.unit_ancestry();
            let can = memberships.iter().any(|m| (m.role == "officer" || m.role == "leader") && anc.contains(&m.unit_id));
            if !can {
                return Err(WebError::Invalid(FieldErrors::one("assignee", "case.error.assignee")));
            }
            ch.assignee_id = Some(Some(account.id));
            // Both who was assigned and the officer's note (the bulk form's note goes here too).
            ch.note = if note.is_empty() { account.full_name.clone() } else { format!("{}: {note}", account.full_name) };
        }
        CaseAction::Pause => ch.paused_since = Some(Some(t)),
        CaseAction::Resume => ch.paused_since = Some(None),
        CaseAction::DraftAnswer => state.store.save_answer_draft(audit, c.id, &r.answer, Utc::now()).await?,
        CaseAction::ApproveAnswer => {
            let unit = state.store.get_unit(c.unit_id).await?;
            let no = state.store.approve_answer(audit, c.id, unit.id, &unit.code, Utc::now()).await?;
            ch.note = no;
        }
        CaseAction::SendAnswer => {
            state.store.mark_answer_sent(c.id, Utc::now()).await?;
            ch.answered = true;
        }
        CaseAction::Close => ch.closed = true,
        CaseAction::Reopen => {
            ch.reopened = true;
            if note.is_empty() {
                return Err(WebError::Invalid(FieldErrors::one("note", "error.required")));
            }
        }
        CaseAction::Extend => {
            let ext = c.extensions_used + 1;
            let (_, resolve) = due(state, c, kind, c.accepted_on, r.complex || c.complex, ext, &cal).await?;
            ch.extensions_used = Some(ext);
            ch.complex = Some(r.complex || c.complex);
            ch.resolve_due = Some(resolve);
        }
        CaseAction::Withdraw | CaseAction::TransferOut => {
            if note.is_empty() {
                return Err(WebError::Invalid(FieldErrors::one("note", "error.required")));
            }
        }
        CaseAction::Transfer => {
            let to = state
                .store
                .get_unit_by_code(&r.unit_code)
                .await?
                .ok_or_else(|| WebError::Invalid(FieldErrors::one("unit_code", "error.unit_unknown")))?;
            if to.dissolved() || to.id == c.unit_id {
                return Err(WebError::Invalid(FieldErrors::one("unit_code", "error.invalid")));
            }
            if note.is_empty() {
                return Err(WebError::Invalid(FieldErrors::one("note", "error.required")));
            }
            // The receiving unit has its own time to accept, from the day it receives the case.
            let (accept, _) = case::due_dates(
                &pol,
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
                CaseKind::parse(&r.kind).ok_or_else(|| WebError::Invalid(FieldErrors::one("kind", "error.invalid")))?;
            // The same tracking code; the law of the new kind sets the dates.
            let p = policy(&settings, new_kind, category.as_ref());
            let remote = state.store.get_unit(c.unit_id).await?.remote_area;
            let pauses = state.store.case_pauses(c.id).await?;
            let clock = clock_of(c, remote, &pauses);
            let (accept, resolve) = case::due_dates(&p, &clock, &cal);
            ch.kind = Some(new_kind.as_str().into());
            ch.accept_due = Some(accept);
            ch.resolve_due = Some(resolve);
            if !new_kind.may_be_published() {
                ch.publish = Some(false);
            }
            ch.note = format!("{} → {}", c.kind, new_kind.as_str());
            ch.public = false;
        }
        CaseAction::Start | CaseAction::ReturnDraft => {}
        // Merging names a second case: `delivery::merge` does it, with both authorised.
        CaseAction::Merge => return Err(WebError::Conflict(FieldErrors::one("action", "case.error.not_now"))),
    }
    if matches!(action, CaseAction::Resume) {
        // Close the pause first so the new due date counts it.
        let updated = state.store.apply_case_change(audit, c.id, &ch).await?;
        let (_, resolve) =
            due(state, &updated, kind, updated.accepted_on, updated.complex, updated.extensions_used, &cal).await?;
        let fix = CaseChange {
            action: "due_date".into(),
            from_status: updated.status.clone(),
            to_status: updated.status.clone(),
            resolve_due: Some(resolve),
            ..Default::default()
        };
        return Ok(state.store.apply_case_change(audit, c.id, &fix).await?);
    }
    let updated = state.store.apply_case_change(audit, c.id, &ch).await?;
    if matches!(action, CaseAction::SendAnswer) {
        // The answer goes to the citizen, and to those of the cases merged into this one.
        crate::delivery::on_answer_sent(state, &updated).await?;
    }
    Ok(updated)
}

/// The citizen's own actions through the private link: rate, dispute (reopen), withdraw.
pub async fn citizen_act(
    state: &AppState,
    ctx: &Ctx,
    c: &CaseRow,
    action: &str,
    note: &str,
    rating: Option<i64>,
) -> WebResult<CaseRow> {
    let audit = AuditCtx { actor_id: None, actor_label: "citizen".into(), ip: ctx.ip.clone() };
    match action {
        "rate" => {
            if !matches!(c.status.as_str(), "answered" | "closed") {
                return Err(WebError::Conflict(FieldErrors::one("action", "case.error.not_now")));
            }
            let r = case::validate_rating(rating.unwrap_or(0)).map_err(WebError::Invalid)?;
            state.store.rate_case(c.id, r, note, Utc::now()).await?;
            Ok(state.store.get_case(c.id).await?)
        }
        "reopen" | "withdraw" => {
            let r = ActRequest { action: action.into(), note: note.into(), ..Default::default() };
            let a = parse_action(&r).map_err(WebError::Invalid)?;
            transition_case(state, &audit, c, a, &r, ctx).await
        }
        _ => Err(WebError::BadRequest("error.bad_request")),
    }
}

/// One case received by another system (the national public-service portal, a city app, a
/// hotline log), as a CSV row or JSON object.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ImportRow {
    /// The other system's reference: a case is never imported twice.
    pub source_ref: String,
    /// YYYY-MM-DD or an RFC 3339 instant.
    pub received_at: String,
    pub kind: String,
    pub category: String,
    pub title: String,
    pub description: String,
    /// Unit code of the ward, commune or residential group.
    pub place: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: String,
    pub sender_address: String,
    pub publish: Option<bool>,
    /// Where the row is in its file, for error messages: the CSV line (the header is line 1) or
    /// the JSON array's item, counted from 1.
    #[serde(skip)]
    pub line: usize,
}

/// Reads rows from CSV (with a header) or JSON (an array), by the file's first character.
pub fn parse_import(bytes: &[u8]) -> Result<Vec<ImportRow>, FieldErrors> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| FieldErrors::one("file", "error.csv"))?;
    if text.trim_start().starts_with('[') {
        let mut rows: Vec<ImportRow> = serde_json::from_str(text).map_err(|_| FieldErrors::one("file", "error.json"))?;
        rows.iter_mut().enumerate().for_each(|(i, r)| r.line = i + 1);
        return Ok(rows);
    }
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let mut rows = vec![];
    for (i, r) in rdr.deserialize::<ImportRow>().enumerate() {
        let mut r = r.map_err(|_| FieldErrors::one(&format!("row {}", i + 2), "error.csv"))?;
        r.line = i + 2;
        rows.push(r);
    }
    Ok(rows)
}

/// Imports cases from another system: every row is checked first (nothing is written when one
/// is wrong), then rows already imported (same system and reference) are skipped.
/// Returns (created, skipped).
pub async fn import_cases(state: &AppState, source: &str, rows: Vec<ImportRow>) -> WebResult<(usize, usize)> {
    let source = danvan_domain::text::clean(source);
    if source.is_empty() {
        return Err(WebError::Invalid(FieldErrors::one("source", "error.required")));
    }
    let mut errors = FieldErrors::new();
    let mut prepared = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.into_iter().enumerate() {
        let line = format!("row {}", if r.line > 0 { r.line } else { i + 2 });
        if r.source_ref.trim().is_empty() || !seen.insert(r.source_ref.trim().to_string()) {
            errors.add(&line, if r.source_ref.trim().is_empty() { "error.required" } else { "error.code_duplicate" });
            continue;
        }
        let received = chrono::DateTime::parse_from_rfc3339(r.received_at.trim())
            .map(|d| d.with_timezone(&vietnam_offset()).date_naive())
            .or_else(|_| NaiveDate::parse_from_str(r.received_at.trim(), "%Y-%m-%d"));
        let Ok(received_on) = received else {
            errors.add(&line, "error.date");
            continue;
        };
        if received_on > today() {
            errors.add(&line, "error.date");
            continue;
        }
        let input = CaseInput {
            kind: if r.kind.trim().is_empty() { "feedback".into() } else { r.kind.clone() },
            category: r.category.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            address: r.address.clone(),
            latitude: r.latitude,
            longitude: r.longitude,
            sender_name: r.sender_name.clone(),
            sender_phone: r.sender_phone.clone(),
            sender_email: r.sender_email.clone(),
            sender_address: r.sender_address.clone(),
            publish: r.publish.unwrap_or(false),
        };
        if let Err(e) = case::validate_case(&input) {
            for fe in e.0 {
                errors.add(&line, &fe.key);
            }
            continue;
        }
        if !state.store.category_by_code(&r.category).await?.is_some_and(|c| c.active) {
            errors.add(&line, "error.invalid");
            continue;
        }
        match state.store.get_unit_by_code(&r.place).await? {
            Some(u) if !u.dissolved() => prepared.push((r, input, received_on, u.id)),
            Some(_) => errors.add(&line, "error.unit_dissolved"),
            None => errors.add(&line, "error.unit_unknown"),
        }
    }
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    let ctx = Ctx::system();
    let (mut created, mut skipped) = (0, 0);
    for (r, input, received_on, place) in prepared {
        let s = Submission {
            input,
            category_code: r.category.clone(),
            place_unit_id: Some(place),
            channel: case::Channel::Import,
            received_on: Some(received_on),
            idempotency_key: None,
            source: Some((source.clone(), r.source_ref.trim().to_string())),
            unit_override: None,
            notes: vec![],
            actor_label: None,
        };
        match submit(state, &ctx, s).await? {
            (_, Some(_)) => created += 1,
            (_, None) => skipped += 1,
        }
    }
    Ok((created, skipped))
}

/// Why one case of a bulk action was refused, as a translation key.
fn refusal_key(e: &WebError) -> String {
    match e {
        WebError::Invalid(f) | WebError::Conflict(f) => {
            f.0.first().map(|e| e.key.clone()).unwrap_or_else(|| "error.summary".into())
        }
        WebError::Forbidden | WebError::SignIn => "error.forbidden".into(),
        WebError::NotFound => "error.not_found".into(),
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
    state: &AppState,
    ctx: &Ctx,
    ids: &[i64],
    assignee: &str,
    note: &str,
) -> WebResult<danvan_domain::inbox::BulkOutcome> {
    ctx.require_account()?;
    // Only officials who handle cases somewhere may try; each case is then checked on its own.
    if !ctx.is_admin() && !ctx.memberships.iter().any(|m| matches!(m.role.as_str(), "leader" | "officer")) {
        return Err(WebError::Forbidden);
    }
    let assignee = danvan_domain::text::clean(assignee);
    if assignee.is_empty() {
        return Err(WebError::Invalid(FieldErrors::one("assignee", "error.required")));
    }
    if state.store.get_account_by_username(&assignee).await?.is_none() {
        return Err(WebError::Invalid(FieldErrors::one("assignee", "case.error.assignee")));
    }
    let mut out = danvan_domain::inbox::BulkOutcome::default();
    let r = ActRequest { action: "assign".into(), assignee, note: note.into(), ..Default::default() };
    for &id in ids {
        let c = match state.store.get_case(id).await {
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
        let code = if authorize_case_internal(ctx, &c).is_ok() { c.code.clone() } else { String::new() };
        match act(state, ctx, id, &r).await {
            Ok(_) => out.done(id, &code),
            Err(e) => out.refuse(id, &code, &refusal_key(&e)),
        }
    }
    Ok(out)
}
