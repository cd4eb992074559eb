//! Units: create, update, delete, dissolve, import and export the tree.

use crate::{App, AppError, AppResult, Caller};
use chrono::Utc;
use danvan_domain::org::unit::{self, DissolutionRequest, UnitCsvRow, UnitInput};
use danvan_domain::{Action, FieldErrors, Resource, UnitId};
use danvan_store::{StoreError, Unit};

/// A unit's ancestry, or a field error when the id names no unit.
pub(crate) async fn ancestry_of(app: &App, id: UnitId, field: &str) -> AppResult<Vec<UnitId>> {
    match app.store.get_unit(id).await {
        Ok(u) => Ok(u.ancestry()),
        Err(StoreError::NotFound) => Err(AppError::Invalid(FieldErrors::one(field, "error.unit_unknown"))),
        Err(e) => Err(e.into()),
    }
}

/// Creating a top-level unit is a system change; creating a child needs rights over the parent.
async fn authorize_placement(app: &App, caller: &Caller, parent: Option<UnitId>) -> AppResult<()> {
    match parent {
        Some(pid) => {
            let anc = ancestry_of(app, pid, "parent_id").await?;
            caller.authorize(Action::CreateChild, Resource::Unit { ancestry: &anc })
        }
        None => caller.authorize(Action::Update, Resource::System),
    }
}

/// A unit's fields, its first day bounded like every date a user gives (`unit::check_period`).
fn validate(input: &UnitInput) -> Result<unit::UnitDraft, FieldErrors> {
    let mut errors = unit::check_period(input.effective_from, None, crate::cases::today());
    match unit::validate_unit(input) {
        Ok(draft) if errors.is_empty() => Ok(draft),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.merge(e);
            Err(errors)
        }
    }
}

pub async fn create_unit(app: &App, caller: &Caller, input: &UnitInput) -> AppResult<Unit> {
    // Authorise before validating, so a refused user learns nothing about the data.
    authorize_placement(app, caller, input.parent_id).await.or_else(|e| match e {
        AppError::Invalid(_) => Ok(()),
        e => Err(e),
    })?;
    let draft = validate(input)?;
    Ok(app.store.create_unit(&caller.audit(), &draft).await?)
}

pub async fn update_unit(app: &App, caller: &Caller, id: UnitId, input: &UnitInput) -> AppResult<Unit> {
    let current = app.store.get_unit(id).await?;
    caller.authorize(Action::Update, Resource::Unit { ancestry: &current.ancestry() })?;
    if input.parent_id != current.parent_id {
        authorize_placement(app, caller, input.parent_id).await.or_else(|e| match e {
            AppError::Invalid(_) => Ok(()),
            e => Err(e),
        })?;
    }
    let draft = validate(input)?;
    Ok(app.store.update_unit(&caller.audit(), id, &draft).await?)
}

/// The unit's own symbol for its answers' numbers ("UBND-TL"), or back to the default with an
/// empty one: whoever may update the unit.
pub async fn set_answer_symbol(app: &App, caller: &Caller, id: UnitId, raw: &str) -> AppResult<()> {
    let unit = app.store.get_unit(id).await?;
    caller.authorize(Action::Update, Resource::Unit { ancestry: &unit.ancestry() })?;
    let symbol = danvan_domain::cases::answer_number::parse_answer_symbol(raw)?;
    Ok(app.store.set_answer_symbol(&caller.audit(), &unit, symbol.as_deref()).await?)
}

/// The symbol the unit writes (its own or the default) and whether it is its own.
pub async fn answer_symbol(app: &App, caller: &Caller, id: UnitId) -> AppResult<(String, bool)> {
    let unit = app.store.get_unit(id).await?;
    caller.authorize(Action::Update, Resource::Unit { ancestry: &unit.ancestry() })?;
    let own = app.store.own_answer_symbol(id).await?;
    let default = danvan_domain::cases::answer_number::default_answer_symbol(unit.kind);
    Ok((own.clone().unwrap_or(default), own.is_some()))
}

pub async fn delete_unit(app: &App, caller: &Caller, id: UnitId) -> AppResult<()> {
    let current = app.store.get_unit(id).await?;
    caller.authorize(Action::Delete, Resource::Unit { ancestry: &current.ancestry() })?;
    Ok(app.store.delete_unit(&caller.audit(), id).await?)
}

pub async fn dissolve_unit(app: &App, caller: &Caller, id: UnitId, req: &DissolutionRequest) -> AppResult<()> {
    let current = app.store.get_unit(id).await?;
    caller.authorize(Action::Dissolve, Resource::Unit { ancestry: &current.ancestry() })?;
    // "A, A" is one successor (so the single-successor rule still moves everything).
    let mut req = req.clone();
    let mut seen = std::collections::HashSet::new();
    req.successors.retain(|s| seen.insert(*s));
    let req = &req;
    // Successors receive sub-units and work: the actor needs the right to place them there.
    for s in &req.successors {
        if let Ok(u) = app.store.get_unit(*s).await {
            caller.authorize(Action::CreateChild, Resource::Unit { ancestry: &u.ancestry() })?;
        }
    }
    let mut errors = FieldErrors::new();
    // Bounded like every date a user gives, and not before the unit took effect.
    let on = match req.effective_on {
        Some(d) => match unit::check_dissolution_day(d, current.effective_from, crate::cases::today()) {
            Ok(d) => d,
            Err(key) => {
                errors.add("effective_on", key);
                d
            }
        },
        None => {
            errors.add("effective_on", "error.required");
            Utc::now().date_naive()
        }
    };
    let children: Vec<UnitId> = app.store.child_units(id, false).await?.iter().map(|c| c.id).collect();
    let plan = unit::plan_dissolution(id, &children, req).map_err(|e| {
        let mut all = errors.clone();
        all.0.extend(e.0);
        all
    });
    let plan = match plan {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(all) => return Err(AppError::Invalid(all)),
    };
    app.store.dissolve_unit(&caller.audit(), id, &req.successors, &plan, on).await?;
    Ok(())
}

/// Parses a units CSV (header `code,name,kind,parent_code[,effective_from,effective_to]`).
pub fn parse_units_csv(bytes: &[u8]) -> AppResult<Vec<UnitCsvRow>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::Invalid(FieldErrors::one("file", "error.csv")))?;
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let has_dates = rdr
        .headers()
        .map(|h| h.iter().any(|c| c == "effective_from" || c == "effective_to"))
        .map_err(|_| AppError::Invalid(FieldErrors::one("file", "error.csv")))?;
    let mut rows = vec![];
    for (i, r) in rdr.deserialize::<UnitCsvRow>().enumerate() {
        match r {
            Ok(row) => rows.push(UnitCsvRow { has_dates, ..row }),
            Err(_) => return Err(AppError::Invalid(FieldErrors::one(&format!("row {}", i + 2), "error.csv"))),
        }
    }
    if rows.is_empty() {
        return Err(AppError::Invalid(FieldErrors::one("file", "error.required")));
    }
    // The same bounds as the unit forms, for the API, the page and `danvan unit import` alike.
    unit::check_import_dates(&rows, crate::cases::today())?;
    Ok(rows)
}

pub async fn import_units(app: &App, caller: &Caller, bytes: &[u8]) -> AppResult<(usize, usize)> {
    caller.authorize(Action::Update, Resource::System)?;
    let rows = parse_units_csv(bytes)?;
    Ok(app.store.import_units(&caller.audit(), &rows, |_| {}).await?)
}

/// The whole tree as CSV, parents first, in the format `import` reads.
pub fn units_csv(units: &[Unit]) -> String {
    let by_id: std::collections::HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["code", "name", "kind", "parent_code", "effective_from", "effective_to"]);
    for u in units {
        let parent = u.parent_id.and_then(|p| by_id.get(&p)).map(|p| p.code.as_str()).unwrap_or("");
        let from = u.effective_from.map(|d| d.to_string()).unwrap_or_default();
        let to = u.effective_to.map(|d| d.to_string()).unwrap_or_default();
        let _ = w.write_record([u.code.as_str(), &u.name, u.kind.as_str(), parent, &from, &to]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
