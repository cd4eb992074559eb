//! "Dân vận khéo" model practices and exemplars (issue 11 item 3, RULES.md §7): registration and
//! edits, appraisal by the field teams, the steering committee's decision, replications and
//! photos. The public gallery and the field teams are in `gallery.rs`.
//!
//! Who (`Resource::EmulationWork` on the units, `Resource::Appraisal` for the scores):
//! - registering and editing: `Handle` on the owner unit or on the unit it is registered with
//!   (their emulation officers and leaders), until the decision;
//! - reading: `View` on either unit, or an appraiser of the model's field team there;
//! - scoring: an appraiser named on the team of the model's field at the unit it is registered
//!   with, until the decision;
//! - recognising: `Approve` on the unit it is registered with (its leaders).

use super::records::parse_year;
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::emulation::models::{self as m, Appraisal, Criterion, ModelField, ModelKind, Recognition};
use danvan_domain::{Action, FieldErrors, Resource};
use serde::Deserialize;

pub use danvan_store::emulation::{AppraiserRow, ModelFilter, ModelRow, PhotoRow, ReplicationRow, ScoreRow};

/// Longest name, place or owner; longest description or results.
const SHORT: usize = 200;
const LONG: usize = 4000;
/// Most people a model can claim to mobilise (a province's population is below this).
const MAX_PEOPLE: i64 = 100_000_000;

pub(crate) fn text(s: &str, field: &str, max: usize, required: bool, e: &mut FieldErrors) -> String {
    let t = if max > SHORT { danvan_domain::text::clean_multiline(s) } else { danvan_domain::text::clean(s) };
    if t.is_empty() && required {
        e.add(field, "error.required");
    } else if t.chars().count() > max {
        e.add(field, "error.too_long");
    }
    t
}

pub(crate) fn choice<T>(v: Option<T>, s: &str, field: &str, e: &mut FieldErrors) -> Option<T> {
    if v.is_none() {
        e.add(field, if s.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    v
}

/// A model as typed (a form, a JSON body). Units are given by code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ModelInput {
    /// model or exemplar
    pub kind: String,
    pub name: String,
    pub place: String,
    /// economy, culture_society, defence_security or political_system
    pub field: String,
    pub owner_unit: String,
    pub owner_name: String,
    /// An exemplar's emulation record (its id), optional.
    pub recipient: String,
    pub registered_unit: String,
    pub year: String,
    pub description: String,
    pub people_mobilised: String,
    pub results: String,
}

/// What the caller may do with a model.
#[derive(Debug, Clone, Copy, Default)]
pub struct Access {
    pub view: bool,
    pub edit: bool,
    pub score: bool,
    pub decide: bool,
    pub replicate: bool,
}

async fn unit_field(app: &App, code: &str, field: &str, e: &mut FieldErrors) -> AppResult<Option<danvan_store::Unit>> {
    let u = match code.trim() {
        "" => None,
        c => app.store.get_unit_by_code_or_name(c).await?,
    };
    if u.is_none() {
        e.add(field, if code.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
    }
    Ok(u)
}

/// Whether the caller keeps the work of either unit (`Handle`).
fn may_handle(caller: &Caller, units: &[Vec<i64>]) -> bool {
    units.iter().any(|a| caller.authorize(Action::Handle, Resource::EmulationWork { unit_ancestry: a }).is_ok())
}

/// The input checked and its units found, authorised for `caller`; field errors otherwise.
async fn parse_model(app: &App, caller: &Caller, i: &ModelInput) -> AppResult<danvan_store::emulation::NewModel> {
    let mut e = FieldErrors::new();
    let kind = choice(ModelKind::parse(&i.kind), &i.kind, "kind", &mut e);
    let name = text(&i.name, "name", SHORT, true, &mut e);
    let place = text(&i.place, "place", SHORT, true, &mut e);
    let field = choice(ModelField::parse(&i.field), &i.field, "field", &mut e);
    let owner = unit_field(app, &i.owner_unit, "owner_unit", &mut e).await?;
    let owner_name = text(&i.owner_name, "owner_name", SHORT, false, &mut e);
    let registered = unit_field(app, &i.registered_unit, "registered_unit", &mut e).await?;
    let year = parse_year(&i.year, "year", &mut e);
    let description = text(&i.description, "description", LONG, true, &mut e);
    let results = text(&i.results, "results", LONG, true, &mut e);
    let people = match i.people_mobilised.trim() {
        "" => {
            e.add("people_mobilised", "error.required");
            None
        }
        s => match s.replace(['.', ','], "").parse::<i64>() {
            Ok(n) if (0..=MAX_PEOPLE).contains(&n) => Some(n),
            _ => {
                e.add("people_mobilised", "error.number");
                None
            }
        },
    };
    let recipient_id = crate::input::optional_id(&i.recipient, "recipient", &mut e);
    if let Some(r) = recipient_id {
        // A record the caller may read, or none.
        let readable = match app.store.emulation_recipient(r).await? {
            Some(row) => super::authorize_record(caller, &row, Action::View).is_ok(),
            None => false,
        };
        if !readable {
            e.add("recipient", "error.invalid");
        }
    }
    // Whoever keeps neither unit's emulation work is refused before being told what to fix.
    if let (Some(o), Some(r)) = (&owner, &registered) {
        if !may_handle(caller, &[o.ancestry(), r.ancestry()]) {
            caller.authorize(Action::Handle, Resource::EmulationWork { unit_ancestry: &o.ancestry() })?;
        }
    }
    match (kind, field, owner, registered, year, people) {
        (Some(kind), Some(field), Some(o), Some(r), Some(year), Some(people_mobilised)) if e.is_empty() => {
            Ok(danvan_store::emulation::NewModel {
                kind,
                name,
                place,
                field,
                owner_unit_id: o.id,
                owner_name,
                recipient_id,
                registered_unit_id: r.id,
                year,
                description,
                people_mobilised,
                results,
            })
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Registers a model with a unit; returns its id.
pub async fn register_model(app: &App, caller: &Caller, i: &ModelInput) -> AppResult<i64> {
    caller.require_account()?;
    let new = parse_model(app, caller, i).await?;
    Ok(app.store.create_emulation_model(&caller.audit(), &new).await?)
}

/// Changes a model's registration (its keepers, until the decision).
pub async fn update_model(app: &App, caller: &Caller, id: i64, i: &ModelInput) -> AppResult<()> {
    let (row, access) = model_for(app, caller, id).await?;
    if !may_handle(caller, &[row.owner_ancestry(), row.registered_ancestry()]) {
        return Err(AppError::Forbidden);
    }
    if !access.edit {
        return Err(AppError::Conflict(FieldErrors::one("decision", "model.error.decided")));
    }
    let new = parse_model(app, caller, i).await?;
    Ok(app.store.update_emulation_model(&caller.audit(), id, &new).await?)
}

/// The input a model's form starts from.
pub fn input_of(r: &ModelRow) -> ModelInput {
    ModelInput {
        kind: r.kind.as_str().into(),
        name: r.name.clone(),
        place: r.place.clone(),
        field: r.field.as_str().into(),
        owner_unit: r.owner_unit_code.clone(),
        owner_name: r.owner_name.clone(),
        recipient: r.recipient_id.map(|x| x.to_string()).unwrap_or_default(),
        registered_unit: r.registered_unit_code.clone(),
        year: r.year.to_string(),
        description: r.description.clone(),
        people_mobilised: r.people_mobilised.to_string(),
        results: r.results.clone(),
    }
}

/// What `caller` may do with `row`.
pub async fn access(app: &App, caller: &Caller, row: &ModelRow) -> AppResult<Access> {
    let (owner, reg) = (row.owner_ancestry(), row.registered_ancestry());
    let work = |action: Action, a: &[i64]| caller.authorize(action, Resource::EmulationWork { unit_ancestry: a }).is_ok();
    let member = match &caller.account {
        Some(acc) => app.store.is_emulation_appraiser(row.registered_unit_id, row.field, acc.id).await?,
        None => false,
    };
    let open = row.decision.is_none();
    let appraisal = |action| caller.authorize(action, Resource::Appraisal { member, open }).is_ok();
    let handle = work(Action::Handle, &owner) || work(Action::Handle, &reg);
    Ok(Access {
        view: work(Action::View, &owner) || work(Action::View, &reg) || appraisal(Action::View),
        edit: handle && open,
        score: appraisal(Action::Update),
        decide: work(Action::Approve, &reg) && open,
        replicate: handle,
    })
}

/// A model and what the caller may do with it, for whoever may read it (404 otherwise: a
/// model's existence says nothing to whom it does not concern).
pub async fn model_for(app: &App, caller: &Caller, id: i64) -> AppResult<(ModelRow, Access)> {
    let row = app.store.emulation_model(id).await?.ok_or(AppError::NotFound)?;
    let a = access(app, caller, &row).await?;
    if !a.view {
        caller.require_account()?;
        return Err(AppError::NotFound);
    }
    Ok((row, a))
}

/// Everything the model's page shows.
pub struct ModelDetail {
    pub model: ModelRow,
    pub access: Access,
    pub scores: Vec<ScoreRow>,
    pub appraisal: Option<Appraisal>,
    pub replications: Vec<ReplicationRow>,
    pub photos: Vec<PhotoRow>,
}

pub async fn model_detail(app: &App, caller: &Caller, id: i64) -> AppResult<ModelDetail> {
    let (model, access) = model_for(app, caller, id).await?;
    let scores = app.store.emulation_model_scores(id).await?;
    let appraisal = m::appraise(&scores.iter().map(ScoreRow::score).collect::<Vec<_>>());
    Ok(ModelDetail {
        access,
        scores,
        appraisal,
        replications: app.store.emulation_model_replications(id).await?,
        photos: app.store.emulation_model_photos(id).await?,
        model,
    })
}

/// The models the caller may read (their units' subtrees, and those they appraise).
pub async fn models(app: &App, caller: &Caller, page: i64) -> AppResult<(Vec<ModelRow>, i64)> {
    let me = caller.require_account()?;
    let paths = super::gallery::paths_where(caller, Action::View);
    let f = ModelFilter { paths, appraiser: Some(me.id), limit: 50, offset: (page.max(1) - 1) * 50, ..Default::default() };
    Ok(app.store.emulation_models(&f).await?)
}

/// Whether the caller registers models somewhere.
pub fn may_register(caller: &Caller) -> bool {
    !super::gallery::paths_where(caller, Action::Handle).is_empty()
}

/// An appraiser's scores, one per criterion, keyed by the criterion's name (0 to `MAX_POINTS`).
pub async fn score_model(app: &App, caller: &Caller, id: i64, get: impl Fn(&str) -> String) -> AppResult<Vec<(Criterion, i32)>> {
    let (row, a) = model_for(app, caller, id).await?;
    if !a.score {
        let member = app.store.is_emulation_appraiser(row.registered_unit_id, row.field, caller.require_account()?.id).await?;
        caller.authorize(Action::Update, Resource::Appraisal { member, open: row.decision.is_none() })?;
    }
    let mut e = FieldErrors::new();
    let mut scores = vec![];
    for c in Criterion::ALL {
        let s = get(c.as_str());
        match s.trim().parse::<i32>() {
            Ok(p) if m::points_allowed(p) => scores.push((*c, p)),
            _ => e.add(c.as_str(), if s.trim().is_empty() { "error.required" } else { "model.error.points" }),
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let me = caller.require_account()?.id;
    app.store.score_emulation_model(&caller.audit(), id, &row.name, me, &scores).await?;
    Ok(scores)
}

/// The steering committee's decision on a model: recognised (only once appraised) or not, with
/// its date and the decision's reference.
pub async fn decide_model(app: &App, caller: &Caller, id: i64, decision: &str, on: &str, reference: &str) -> AppResult<()> {
    let (row, _) = model_for(app, caller, id).await?;
    caller.authorize(Action::Approve, Resource::EmulationWork { unit_ancestry: &row.registered_ancestry() })?;
    let mut e = FieldErrors::new();
    let d = choice(Recognition::parse(decision), decision, "decision", &mut e);
    let date = match crate::input::parse_date(on) {
        Some(d) => crate::input::bounded_date(d, "decided_on", danvan_domain::calendar::DateRange::Past, &mut e),
        None => {
            e.add("decided_on", if on.trim().is_empty() { "error.required" } else { "error.date" });
            None
        }
    };
    let reference = text(reference, "decision_ref", 100, true, &mut e);
    if d == Some(Recognition::Recognised) && row.appraisers == 0 {
        e.add("decision", "model.error.not_appraised");
    }
    if row.decision.is_some() {
        return Err(AppError::Conflict(FieldErrors::one("decision", "model.error.decided")));
    }
    match (d, date) {
        (Some(d), Some(date)) if e.is_empty() => {
            Ok(app.store.decide_emulation_model(&caller.audit(), id, &row.name, d, date, &reference).await?)
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Where else the model was adopted: a unit (by code), a year and a note.
pub async fn add_replication(app: &App, caller: &Caller, id: i64, unit: &str, year: &str, note: &str) -> AppResult<()> {
    let (row, a) = model_for(app, caller, id).await?;
    if !a.replicate {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let u = unit_field(app, unit, "unit", &mut e).await?;
    if u.as_ref().is_some_and(|u| u.id == row.owner_unit_id) {
        e.add("unit", "model.error.same_unit");
    }
    let y = parse_year(year, "year", &mut e);
    if y.is_some_and(|y| i64::from(y) < row.year) {
        e.add("year", "model.error.before_model");
    }
    let note = text(note, "note", 500, false, &mut e);
    match (u, y) {
        (Some(u), Some(y)) if e.is_empty() => {
            Ok(app.store.add_emulation_model_replication(&caller.audit(), id, &row.name, u.id, y, &note).await?)
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Adds photos to a model (its keepers): checked, re-encoded without metadata and staged exactly
/// as a case's photos are (`cases::files::prepare_photos`), at most `MAX_PHOTOS` in all.
pub async fn add_photos(app: &App, caller: &Caller, id: i64, files: Vec<crate::cases::files::Incoming>) -> AppResult<()> {
    let (row, a) = model_for(app, caller, id).await?;
    if !a.replicate {
        return Err(AppError::Forbidden);
    }
    let max = danvan_domain::cases::attachment::MAX_PHOTOS;
    let n = files.iter().filter(|f| f.field == "photos").count();
    if n == 0 {
        return Err(AppError::Invalid(FieldErrors::one("photos", "error.required")));
    }
    if app.store.emulation_model_photos(id).await?.len() + n > max {
        return Err(AppError::Invalid(FieldErrors::one("photos", "photo.error.too_many")));
    }
    let (atts, staged) = crate::cases::files::prepare_photos(&app.uploads, files).await.map_err(AppError::Invalid)?;
    let photos: Vec<danvan_store::emulation::NewModelPhoto> = atts
        .into_iter()
        .map(|a| danvan_store::emulation::NewModelPhoto {
            file_name: a.file_name,
            storage_key: a.storage_key.unwrap_or_default(),
            thumb_key: a.thumb_key.unwrap_or_default(),
            bytes: a.bytes,
            width: a.width.unwrap_or(0),
            height: a.height.unwrap_or(0),
            sha256: a.sha256,
        })
        .collect();
    match app.store.add_emulation_model_photos(&caller.audit(), id, &row.name, &photos, max).await {
        Ok(()) => {
            app.uploads.promote(staged).await;
            Ok(())
        }
        Err(e) => {
            app.uploads.discard(staged).await;
            Err(e.into())
        }
    }
}

/// A decision's date as a default for the form: today in Viet Nam.
pub fn today() -> NaiveDate {
    crate::cases::today()
}
