//! Recording a case from any channel: the public form, officers, the JSON API, Open311, imports.

use super::routing::{place_of_point, policy, suggest_unit, territory_of, today};
use crate::{App, AppError, AppResult, Caller};
use chrono::{NaiveDate, Utc};
use danvan_domain::cases::denunciation::{self, ConcernInput, Concerned};
use danvan_domain::cases::{self as case, CaseInput, Clock};
use danvan_domain::{Action, FieldErrors, Resource};
use danvan_store::cases::{CaseRow, Concern, NewCase};
use danvan_store::Unit;

/// Officials record cases about places within their reach: the place, its ward or commune, or
/// a body (people's committee, Front…) of that ward that they work for.
pub async fn authorize_intake(app: &App, caller: &Caller, place: &Unit) -> AppResult<()> {
    let handles = |u: &Unit| caller.authorize(Action::Handle, Resource::Unit { ancestry: &u.ancestry() }).is_ok();
    if handles(place) {
        return Ok(());
    }
    let territory = territory_of(app, place).await?;
    if handles(&territory) || app.store.units_on_territory(territory.id).await?.iter().any(handles) {
        return Ok(());
    }
    Err(if caller.account.is_some() { AppError::Forbidden } else { AppError::SignIn })
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
    /// The intake forms' "also by Zalo" box: the answer goes to the sender's phone on Zalo too.
    pub notify_zalo: bool,
    /// Who the history names as having recorded it, when not the signed-in official or
    /// "citizen" (e.g. an Open311 client).
    pub actor_label: Option<String>,
    /// Whom a denunciation concerns (required for one; ignored for other kinds).
    pub concern: ConcernInput,
}

/// Records a case from any channel: validates it for its kind, routes it, computes the date by
/// which it must be accepted, and returns it with the secret of the citizen's private link.
pub async fn submit(app: &App, caller: &Caller, s: Submission) -> AppResult<(CaseRow, Option<String>)> {
    submit_with(app, caller, s, &[]).await
}

/// `submit` with the case's photos, recorded in the same commit as the case.
async fn submit_with(
    app: &App,
    caller: &Caller,
    s: Submission,
    attachments: &[danvan_store::cases::attachments::NewAttachment],
) -> AppResult<(CaseRow, Option<String>)> {
    let checked = check(app, caller, &s).await?.map_err(AppError::Invalid)?;
    record(app, caller, s, attachments, checked).await
}

/// `submit` with the photos as received (the public form, officers' intake, Open311), in this
/// order whatever the way in: the submission is checked first, together with `earlier` (what the
/// way in found reading its own fields), and the photos are decoded only when nothing is wrong,
/// so a form bound to be refused costs no decoding. The photos take their place on disk only once
/// the case has committed.
pub async fn submit_with_files(
    app: &App,
    caller: &Caller,
    s: Submission,
    files: Vec<super::files::Incoming>,
    earlier: FieldErrors,
) -> AppResult<(CaseRow, Option<String>)> {
    submit_keeping_files(app, caller, s, files, earlier).await.map_err(|(e, _)| e)
}

/// `submit_with_files`, giving the photos back (not decoded) when the submission is refused
/// before they were looked at, so the form shown again can keep them (`pending`).
pub async fn submit_keeping_files(
    app: &App,
    caller: &Caller,
    s: Submission,
    files: Vec<super::files::Incoming>,
    earlier: FieldErrors,
) -> Result<(CaseRow, Option<String>), (AppError, Vec<super::files::Incoming>)> {
    let mut errors = earlier;
    let checked = match check(app, caller, &s).await {
        Err(e) => return Err((e, files)),
        Ok(Ok(c)) if errors.is_empty() => c,
        Ok(Ok(_)) => return Err((AppError::Invalid(errors), files)),
        Ok(Err(found)) => {
            // One message per field: the way in's own reading of a field comes first.
            let new: Vec<_> = found.0.into_iter().filter(|x| !errors.0.iter().any(|y| y.field == x.field)).collect();
            errors.0.extend(new);
            return Err((AppError::Invalid(errors), files));
        }
    };
    let (atts, staged) = super::files::prepare_photos(&app.uploads, files).await.map_err(|e| (AppError::Invalid(e), vec![]))?;
    let result = record(app, caller, s, &atts, checked).await;
    match &result {
        // A new case: its rows committed with it.
        Ok((_, Some(_))) => app.uploads.promote(staged).await,
        // A resubmission of a recorded case, or a failure: the photos were not recorded.
        _ => app.uploads.discard(staged).await,
    }
    result.map_err(|e| (e, vec![]))
}

/// What `check` found in a submission: its draft, category, place and concern.
struct Checked {
    draft: case::CaseDraft,
    category: Option<danvan_store::cases::Category>,
    place: Unit,
    concern: Option<(Concern, Unit)>,
}

/// Every check of a submission that costs no more than a few lookups — its fields for its kind,
/// the day received, its category, its place, whom a denunciation concerns — with all their
/// field errors at once. Made before anything costly (decoding photos) and again by `submit_with`.
async fn check(app: &App, caller: &Caller, s: &Submission) -> AppResult<Result<Checked, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let draft = case::validate_case(&s.input).map_err(|e| errors.0.extend(e.0)).ok();
    // A case is received between 1945 and today in Viet Nam, whichever way it comes in.
    if let Some(d) = s.received_on {
        crate::input::bounded_date(d, "received_on", danvan_domain::calendar::DateRange::Past, &mut errors);
    }
    let category = match s.category_code.trim() {
        "" => {
            errors.add("category", "error.required");
            None
        }
        code => match app.store.category_by_code(code).await? {
            Some(c) if c.active => Some(c),
            _ => {
                errors.add("category", "error.invalid");
                None
            }
        },
    };
    let place = match s.place_unit_id {
        Some(id) => match app.store.get_unit(id).await {
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
            Some((lat, lon)) => match place_of_point(app, lat, lon).await? {
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
    let concern = match case::CaseKind::parse(&s.input.kind) {
        Some(kind) => match denunciation::validate_concern(kind, &s.concern) {
            Ok(Some(c)) => concern_of(app, c, !caller.memberships.is_empty(), &mut errors).await?,
            Ok(None) => None,
            Err(e) => {
                errors.merge(e);
                None
            }
        },
        None => None,
    };
    match (draft, place, errors.is_empty()) {
        (Some(draft), Some(place), true) => Ok(Ok(Checked { draft, category, place, concern })),
        _ => Ok(Err(errors)),
    }
}

/// Records a checked submission: routes it, computes its first deadline, saves it.
async fn record(
    app: &App,
    caller: &Caller,
    s: Submission,
    attachments: &[danvan_store::cases::attachments::NewAttachment],
    checked: Checked,
) -> AppResult<(CaseRow, Option<String>)> {
    let Checked { draft, category, place, concern } = checked;
    let avoid = match &concern {
        Some((c, _)) => super::routing::avoided_units(app, &Concerned { unit: Some(c.unit_id), account: c.account_id }).await?,
        None => vec![],
    };
    let mut unit = suggest_unit(app, category.as_ref(), &place).await?;
    let mut notes = s.notes;
    if let Some((other, reason)) = &s.unit_override {
        if *other != unit.id {
            let chosen = app
                .store
                .get_unit(*other)
                .await
                .map_err(|_| AppError::Invalid(FieldErrors::one("unit", "error.unit_unknown")))?;
            // Its work has passed to its successors: no open case is recorded there.
            if chosen.dissolved() {
                return Err(AppError::Invalid(FieldErrors::one("unit", "case.error.unit_dissolved")));
            }
            caller
                .authorize(Action::Handle, Resource::Unit { ancestry: &chosen.ancestry() })
                .or_else(|_| caller.authorize(Action::Handle, Resource::Unit { ancestry: &unit.ancestry() }))?;
            if danvan_domain::text::clean(reason).is_empty() {
                return Err(AppError::Invalid(FieldErrors::one("unit_reason", "error.required")));
            }
            notes.push(format!("Chọn đơn vị xử lý khác đơn vị gợi ý: {}", danvan_domain::text::clean(reason)));
            if avoid.iter().any(|u| chosen.ancestry().contains(u)) {
                return Err(AppError::Invalid(FieldErrors::one("unit", "case.error.handling_concerned")));
            }
            unit = chosen;
        }
    }
    // Never handled by the unit it concerns nor where the person concerned works: routed there,
    // it goes to the unit above.
    if concern.is_some() {
        match denunciation::route_around(&avoid, &unit.ancestry()) {
            Ok(Some(above)) => {
                let above = app.store.get_unit(above).await?;
                unit = super::routing::competent_above(app, above, concern.as_ref().map(|(c, _)| c.unit_id), &avoid).await?;
            }
            Ok(None) => {}
            Err(key) => return Err(AppError::Invalid(FieldErrors::one("concerned_unit", key))),
        }
    }
    let received_at = Utc::now();
    let received_on = s.received_on.unwrap_or_else(today);
    let cal = app.store.work_calendar().await?;
    let p = policy(&*app.store.settings().await?, draft.kind, category.as_ref());
    let clock =
        Clock { received_on, accepted_on: None, complex: false, remote: unit.remote_area, extensions_used: 0, pauses: vec![] };
    let (accept_due, _) = case::due_dates(&p, &clock, &cal);
    let new = NewCase {
        draft,
        channel: s.channel,
        category_id: category.as_ref().map(|c| c.id),
        place_unit_id: Some(place.id),
        unit_id: unit.id,
        received_at,
        received_on,
        accept_due,
        source: s.source,
        idempotency_key: s.idempotency_key,
        notes,
        zalo: s.notify_zalo,
        concern: concern.map(|(c, _)| c),
    };
    let mut audit = caller.audit();
    if let Some(label) = s.actor_label {
        audit.actor_label = label;
    } else if let Some((system, _)) = &new.source {
        audit.actor_label = format!("import ({system})");
    } else if caller.memberships.is_empty() {
        // A signed-in citizen is "citizen" in the history too: officials reading it (a supporting
        // unit's, a viewer) must not learn a sender's name from it — a denouncer's least of all.
        audit.actor_label = "citizen".into();
        audit.actor_id = None;
    }
    Ok(app.store.create_case_with(&audit, &new, attachments).await?)
}

/// Looks up whom a denunciation concerns: the unit by its code, the official by username. Only
/// for an official (`by_official`): a public form does not look usernames up, so that it cannot be
/// used to learn which accounts exist; the name concerned is recorded all the same.
pub(crate) async fn concern_of(
    app: &App,
    c: denunciation::ConcernDraft,
    by_official: bool,
    errors: &mut FieldErrors,
) -> AppResult<Option<(Concern, Unit)>> {
    let unit = app.store.get_unit_by_code(&c.unit_code).await?;
    if unit.is_none() {
        errors.add("concerned_unit", "error.unit_unknown");
    }
    let account_id = match c.account.as_ref().filter(|_| by_official) {
        Some(username) => match app.store.get_account_by_username(username).await? {
            Some(a) => Some(a.id),
            None => {
                errors.add("concerned_account", "case.error.concerned_account");
                return Ok(None);
            }
        },
        None => None,
    };
    Ok(unit.map(|u| (Concern { unit_id: u.id, name: c.name, account_id }, u)))
}

/// The category's extra information, kept as a note in the case's history (officers read it
/// there; it is the sender's description of the problem, not personal data).
pub fn attributes_note(values: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = values.iter().map(|(k, v)| format!("{k}: {}", v.join(", "))).collect();
    format!("Thông tin bổ sung — {}", parts.join("; "))
}
