//! Response templates: texts an officer starts an answer from, per unit and category. They are the
//! unit's standard answers: whoever signs off the unit's answers (its leaders, and administrators)
//! manages them (`Action::ManageTemplates` on the unit).

use crate::{App, AppError, AppResult, Caller};
use danvan_domain::cases::inbox::{validate_template, TemplateInput};
use danvan_domain::{Action, FieldErrors, Resource, UnitId};

pub use danvan_domain::cases::inbox::TemplateDraft;
pub use danvan_store::cases::templates::ResponseTemplate;

/// The templates offered on a case of this unit (its own and its ancestors') and category.
pub async fn templates_for_case(app: &App, ancestry: &[UnitId], category_id: Option<i64>) -> AppResult<Vec<ResponseTemplate>> {
    Ok(app.store.templates_for_case(ancestry, category_id).await?)
}

/// The subtrees whose templates the caller manages: `None` for administrators (all of them);
/// refused to those who manage none.
pub fn managed_paths(caller: &Caller) -> AppResult<Option<Vec<String>>> {
    caller.require_account()?;
    if caller.is_admin() {
        return Ok(None);
    }
    let paths: Vec<String> = caller.units_where(Action::ManageTemplates).map(|m| m.unit_path.clone()).collect();
    if paths.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(paths))
}

/// The templates the caller manages.
pub async fn managed_templates(app: &App, caller: &Caller) -> AppResult<Vec<ResponseTemplate>> {
    let paths = managed_paths(caller)?;
    Ok(app.store.templates_within(paths.as_deref()).await?)
}

/// One template, for a caller who manages its unit's templates.
pub async fn managed_template(app: &App, caller: &Caller, id: i64) -> AppResult<ResponseTemplate> {
    caller.require_account()?;
    let t = app.store.get_template(id).await?;
    caller.authorize(Action::ManageTemplates, Resource::Unit { ancestry: &t.unit_ancestry() })?;
    Ok(t)
}

/// Reads and checks a template form (`get`): the owning unit by its code (which the caller must
/// manage), the category by its code (or all), title and body.
async fn read_form(
    app: &App,
    caller: &Caller,
    get: &(dyn Fn(&str) -> String + Sync),
) -> AppResult<(UnitId, Option<i64>, TemplateDraft)> {
    let mut errors = FieldErrors::new();
    let unit = match get("unit_code").trim() {
        "" => {
            errors.add("unit_code", "error.required");
            None
        }
        code => match app.store.get_unit_by_code(code).await? {
            Some(u) if !u.dissolved() => {
                caller.authorize(Action::ManageTemplates, Resource::Unit { ancestry: &u.ancestry() })?;
                Some(u.id)
            }
            Some(_) => {
                errors.add("unit_code", "error.unit_dissolved");
                None
            }
            None => {
                errors.add("unit_code", "error.unit_unknown");
                None
            }
        },
    };
    let category = match get("category").trim() {
        "" => None,
        code => match app.store.category_by_code(code).await? {
            Some(c) => Some(c.id),
            None => {
                errors.add("category", "error.invalid");
                None
            }
        },
    };
    let draft =
        validate_template(&TemplateInput { title: get("title"), body: get("body") }).map_err(|e| errors.0.extend(e.0)).ok();
    match (unit, draft, errors.is_empty()) {
        (Some(u), Some(d), true) => Ok((u, category, d)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Creates a template from a form's fields; returns its id.
pub async fn create_template(app: &App, caller: &Caller, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<i64> {
    managed_paths(caller)?;
    let (unit, category, draft) = read_form(app, caller, get).await?;
    Ok(app.store.create_template(&caller.audit(), unit, category, &draft).await?)
}

/// Changes a template the caller manages (possibly moving it to another unit they manage).
pub async fn update_template(app: &App, caller: &Caller, id: i64, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<()> {
    managed_template(app, caller, id).await?;
    let (unit, category, draft) = read_form(app, caller, get).await?;
    Ok(app.store.update_template(&caller.audit(), id, unit, category, &draft).await?)
}

/// Deletes a template the caller manages.
pub async fn delete_template(app: &App, caller: &Caller, id: i64) -> AppResult<()> {
    managed_template(app, caller, id).await?;
    Ok(app.store.delete_template(&caller.audit(), id).await?)
}
