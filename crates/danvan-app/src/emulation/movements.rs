//! Use cases on movements (issue 11 item 1): list and read them, launch one with its target
//! units, add criteria, set up an emulation cluster and sign its pacts. The launching unit's
//! emulation officers and leaders keep a movement (`Resource::EmulationWork`, Handle); officials
//! over the launching unit or over a target unit read it (View).

use crate::input::parse_date;
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use danvan_domain::emulation::{CriterionKind, PeriodKind, MAX_WEIGHT};
use danvan_domain::indicators::Indicator;
use danvan_domain::{Action, FieldErrors, Resource};
use danvan_store::Unit;
use serde::Deserialize;

pub use danvan_store::emulation::{
    AchievementRow, ClusterRow, CriterionRow, MovementFile, MovementRow, PactRow, RegCriterionRow, RegistrationRow, UnitLine,
};

pub(crate) fn clean(s: &str, field: &str, max: usize, required: bool, e: &mut FieldErrors) -> String {
    let t = danvan_domain::text::clean(s);
    if t.is_empty() && required {
        e.add(field, "error.required");
    } else if t.chars().count() > max {
        e.add(field, "error.too_long");
    }
    t
}

/// A figure as typed ("95", "4,5", "4.5"): finite, from 0 to 10^9.
pub(crate) fn figure(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite() && (0.0..=1e9).contains(v))
}

pub(crate) fn day(s: &str, field: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let d = parse_date(s).and_then(|d| crate::input::bounded_date(d, field, danvan_domain::calendar::DateRange::Planning, e));
    if d.is_none() && e.get(field).is_none() {
        e.add(field, if s.trim().is_empty() { "error.required" } else { "error.date" });
    }
    d
}

/// Unit codes separated by commas, spaces or lines, each a unit inside `within` (the launching
/// unit's subtree); an unknown or outside code is a field error on `field`.
async fn units_within(app: &App, codes: &str, within: &Unit, field: &str, e: &mut FieldErrors) -> AppResult<Vec<i64>> {
    let mut ids = vec![];
    let codes: Vec<&str> = codes.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|c| !c.is_empty()).collect();
    if codes.len() > MAX_UNITS {
        e.add(field, "emulation.error.too_many_units");
        return Ok(ids);
    }
    for code in codes {
        match app.store.get_unit_by_code_or_name(code).await? {
            Some(u) if u.path.starts_with(&within.path) => {
                if !ids.contains(&u.id) {
                    ids.push(u.id)
                }
            }
            Some(_) => e.add(field, "emulation.error.outside"),
            None => e.add(field, "error.unit_unknown"),
        }
    }
    Ok(ids)
}

pub(crate) fn authorize_on(caller: &Caller, unit_path: &str, action: Action) -> AppResult<()> {
    let anc = danvan_store::org::units::path_ids(unit_path);
    caller.authorize(action, Resource::EmulationWork { unit_ancestry: &anc })
}

/// A unit whose movements the caller keeps, with its live sub-units as (code, name): the ticks
/// of the target-unit and cluster-member fields. A movement usually aims at the launching unit's
/// sub-units; a deeper unit is still given by code.
#[derive(Debug, Clone)]
pub struct SubUnits {
    pub code: String,
    pub name: String,
    pub children: Vec<(String, String)>,
    /// The clusters of the unit and of the units under it as (id, name, its unit's name): the
    /// choices of a movement's cluster (a movement takes a cluster of its launching unit).
    pub clusters: Vec<(i64, String, String)>,
}

/// At most this many units in one list of targets or members (a province has about a hundred
/// wards, and its departments): as many as are offered to tick.
pub const MAX_UNITS: usize = 400;

/// The units the caller may launch movements from or set clusters up in (Handle on their
/// emulation work), each with its sub-units; none for whoever keeps no unit's movements.
pub async fn sub_unit_choices(app: &App, caller: &Caller) -> AppResult<Vec<SubUnits>> {
    let mut out: Vec<SubUnits> = vec![];
    for m in caller.memberships.iter() {
        if authorize_on(caller, &m.unit_path, Action::Handle).is_err() || out.iter().any(|s| s.code == m.unit_code) {
            continue;
        }
        let children = app.store.child_units(m.unit_id, false).await?;
        let clusters = app.store.emulation_clusters_within(&m.unit_path).await?;
        out.push(SubUnits {
            code: m.unit_code.clone(),
            name: m.unit_name.clone(),
            children: children.into_iter().take(MAX_UNITS).map(|u| (u.code, u.name)).collect(),
            clusters,
        });
    }
    Ok(out)
}

/// The movements the caller may read: launched by, or aimed at, a unit over which they are an
/// official.
pub async fn movements(app: &App, caller: &Caller) -> AppResult<Vec<MovementRow>> {
    caller.require_account()?;
    let paths: Vec<String> = caller
        .memberships
        .iter()
        .filter(|m| caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &m.unit_ancestry() }).is_ok())
        .map(|m| format!("/{}/", m.unit_ancestry().iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")))
        .collect();
    Ok(app.store.emulation_movements(&paths).await?)
}

/// Whether the caller may read the movement: an official over its launching unit or over one of
/// its target units.
fn may_read(caller: &Caller, f: &MovementFile) -> bool {
    authorize_on(caller, &f.movement.unit_path, Action::View).is_ok()
        || f.targets.iter().any(|t| authorize_on(caller, &t.path, Action::View).is_ok())
}

/// A movement with its criteria, targets, cluster, pacts and registrations.
pub async fn movement(app: &App, caller: &Caller, id: i64) -> AppResult<MovementFile> {
    caller.require_account()?;
    let m = app.store.emulation_movement(id).await?.ok_or(AppError::NotFound)?;
    let f = app.store.emulation_movement_file(m).await?;
    if !may_read(caller, &f) {
        caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &f.movement.unit_ancestry() })?;
    }
    Ok(f)
}

/// Whether the caller keeps the movement (adds criteria, scores reviewed criteria).
pub fn may_keep(caller: &Caller, m: &MovementRow) -> bool {
    authorize_on(caller, &m.unit_path, Action::Handle).is_ok()
}

/// A movement as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MovementInput {
    /// The launching unit's code.
    pub unit: String,
    pub name: String,
    pub purpose: String,
    /// annual, multi_year or thematic
    pub period_kind: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Target units' codes, separated by commas or spaces (inside the launching unit).
    pub targets: String,
    /// A cluster of the launching unit (its id), optional.
    pub cluster: String,
}

/// Launches a movement; returns its id.
pub async fn create_movement(app: &App, caller: &Caller, i: &MovementInput) -> AppResult<i64> {
    caller.require_account()?;
    let mut e = FieldErrors::new();
    let unit = app.store.get_unit_by_code_or_name(i.unit.trim()).await?;
    let Some(unit) = unit else {
        e.add("unit", if i.unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
        return Err(AppError::Invalid(e));
    };
    authorize_on(caller, &unit.path, Action::Handle)?;
    let name = clean(&i.name, "name", 200, true, &mut e);
    let purpose = clean(&i.purpose, "purpose", 2000, false, &mut e);
    let kind = PeriodKind::parse(&i.period_kind);
    if kind.is_none() {
        e.add("period_kind", if i.period_kind.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    let starts = day(&i.starts_on, "starts_on", &mut e);
    let ends = day(&i.ends_on, "ends_on", &mut e);
    if let (Some(s), Some(t)) = (starts, ends) {
        if t < s {
            e.add("ends_on", "emulation.error.period");
        }
    }
    let targets = units_within(app, &i.targets, &unit, "targets", &mut e).await?;
    if targets.is_empty() && e.get("targets").is_none() {
        e.add("targets", "error.required");
    }
    let cluster_id = match crate::input::optional_id(&i.cluster, "cluster", &mut e) {
        Some(c) if app.store.emulation_clusters(unit.id).await?.iter().any(|k| k.id == c) => Some(c),
        Some(_) => {
            e.add("cluster", "error.invalid");
            None
        }
        None => None,
    };
    let (Some(period_kind), Some(starts_on), Some(ends_on), true) = (kind, starts, ends, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let new = danvan_store::emulation::NewMovement {
        unit_id: unit.id,
        name,
        purpose,
        period_kind,
        starts_on,
        ends_on,
        cluster_id,
        target_unit_ids: targets,
    };
    Ok(app.store.create_emulation_movement(&caller.audit(), &new).await?)
}

/// A criterion as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CriterionInput {
    pub name: String,
    /// measured or reviewed
    pub kind: String,
    /// For a measured criterion: the indicator's key.
    pub indicator: String,
    /// For a measured criterion: the target, in the indicator's unit.
    pub target: String,
    /// 1–100
    pub weight: String,
}

/// Adds a criterion to a movement (its keepers); returns its id.
pub async fn add_criterion(app: &App, caller: &Caller, movement_id: i64, i: &CriterionInput) -> AppResult<i64> {
    caller.require_account()?;
    let m = app.store.emulation_movement(movement_id).await?.ok_or(AppError::NotFound)?;
    authorize_on(caller, &m.unit_path, Action::Handle)?;
    let mut e = FieldErrors::new();
    let name = clean(&i.name, "name", 200, true, &mut e);
    let kind = CriterionKind::parse(&i.kind);
    if kind.is_none() {
        e.add("kind", if i.kind.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    let weight = i.weight.trim().parse::<i64>().ok().filter(|w| (1..=MAX_WEIGHT).contains(w));
    if weight.is_none() {
        e.add("weight", if i.weight.trim().is_empty() { "error.required" } else { "emulation.error.weight" });
    }
    let (mut indicator, mut target) = (None, None);
    if kind == Some(CriterionKind::Measured) {
        indicator = Indicator::parse(&i.indicator).filter(|i| i.measures_a_period());
        if indicator.is_none() {
            e.add("indicator", if i.indicator.trim().is_empty() { "error.required" } else { "error.invalid" });
        }
        target = figure(&i.target);
        if target.is_none() {
            e.add("target", if i.target.trim().is_empty() { "error.required" } else { "error.number" });
        }
    }
    let (Some(kind), Some(weight), true) = (kind, weight, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let c = danvan_store::emulation::NewCriterion { name, kind, indicator, target, weight };
    Ok(app.store.add_emulation_criterion(&caller.audit(), movement_id, &c).await?)
}

/// A cluster as typed: the unit that sets it up, its name, its members' codes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClusterInput {
    pub unit: String,
    pub name: String,
    pub members: String,
}

/// Sets up an emulation cluster (cụm, khối thi đua) of units inside the caller's unit.
pub async fn create_cluster(app: &App, caller: &Caller, i: &ClusterInput) -> AppResult<i64> {
    caller.require_account()?;
    let mut e = FieldErrors::new();
    let Some(unit) = app.store.get_unit_by_code_or_name(i.unit.trim()).await? else {
        e.add("unit", if i.unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
        return Err(AppError::Invalid(e));
    };
    authorize_on(caller, &unit.path, Action::Handle)?;
    let name = clean(&i.name, "name", 200, true, &mut e);
    let members = units_within(app, &i.members, &unit, "members", &mut e).await?;
    if members.len() < 2 && e.get("members").is_none() {
        e.add("members", "emulation.error.cluster_size");
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(app.store.create_emulation_cluster(&caller.audit(), unit.id, &name, &members).await?)
}

/// The clusters a unit set up (for the movement form), for those who may keep its movements.
pub async fn clusters(app: &App, caller: &Caller, unit: &Unit) -> AppResult<Vec<ClusterRow>> {
    authorize_on(caller, &unit.path, Action::Handle)?;
    Ok(app.store.emulation_clusters(unit.id).await?)
}

/// A pact as typed: the signing member unit, the commitment, the day it was signed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PactInput {
    pub unit: String,
    pub commitment: String,
    pub signed_on: String,
}

/// A cluster member signs the movement's pact (giao ước thi đua): its own keepers sign.
pub async fn sign_pact(app: &App, caller: &Caller, movement_id: i64, i: &PactInput) -> AppResult<i64> {
    caller.require_account()?;
    let f = movement(app, caller, movement_id).await?;
    let mut e = FieldErrors::new();
    let Some(member) = f.cluster_units.iter().find(|u| u.code == i.unit.trim()) else {
        e.add("unit", if f.movement.cluster_id.is_none() { "emulation.error.no_cluster" } else { "emulation.error.not_member" });
        return Err(AppError::Invalid(e));
    };
    authorize_on(caller, &member.path, Action::Handle)?;
    let commitment = clean(&i.commitment, "commitment", 2000, true, &mut e);
    let signed_on = day(&i.signed_on, "signed_on", &mut e);
    let (Some(signed_on), true) = (signed_on, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    Ok(app.store.sign_emulation_pact(&caller.audit(), movement_id, member.id, &commitment, signed_on).await?)
}
