//! Case categories: the list citizens choose from, and their administration.

use crate::{App, AppError, AppResult, Caller};
use danvan_domain::cases::category::parse_attributes;
use danvan_domain::{Action, FieldErrors, Resource};

pub use danvan_store::cases::{Category, CategoryFields};

pub async fn categories(app: &App, include_inactive: bool) -> AppResult<Vec<Category>> {
    Ok(app.store.categories(include_inactive).await?)
}

pub async fn category(app: &App, id: i64) -> AppResult<Category> {
    Ok(app.store.category(id).await?)
}

pub async fn category_by_code(app: &App, code: &str) -> AppResult<Option<Category>> {
    Ok(app.store.category_by_code(code).await?)
}

/// An active category by its code (what citizens and clients may choose).
pub async fn active_category(app: &App, code: &str) -> AppResult<Option<Category>> {
    Ok(app.store.category_by_code(code).await?.filter(|c| c.active))
}

/// A category's fields as typed in a form (`get`): the days as whole numbers (or empty), the
/// extra attributes one per line.
fn category_fields(get: &(dyn Fn(&str) -> String + Sync)) -> Result<CategoryFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let days = |k: &str, e: &mut FieldErrors| -> Option<i64> {
        let v = get(k);
        if v.trim().is_empty() {
            return None;
        }
        match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add(k, "error.number");
                None
            }
        }
    };
    let accept_days = days("accept_days", &mut e);
    let resolve_days = days("resolve_days", &mut e);
    let attributes = parse_attributes(&get("attributes")).map_err(|a| e.0.extend(a.0)).unwrap_or_default();
    e.into_result()?;
    Ok(CategoryFields {
        code: get("code"),
        name: get("name"),
        name_en: get("name_en"),
        group: get("group"),
        description: get("description"),
        keywords: get("keywords"),
        unit_kind: get("unit_kind"),
        accept_days,
        resolve_days,
        attributes,
    })
}

fn admin(caller: &Caller) -> AppResult<()> {
    caller.authorize(Action::Update, Resource::System)
}

/// Creates a category from a form's fields (administrators); returns its id.
pub async fn create_category(app: &App, caller: &Caller, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<i64> {
    admin(caller)?;
    let f = category_fields(get).map_err(AppError::Invalid)?;
    Ok(app.store.create_category_with(&caller.audit(), &f).await?)
}

/// Changes a category from a form's fields (administrators).
pub async fn update_category(app: &App, caller: &Caller, id: i64, get: &(dyn Fn(&str) -> String + Sync)) -> AppResult<()> {
    admin(caller)?;
    let f = category_fields(get).map_err(AppError::Invalid)?;
    Ok(app.store.update_category(&caller.audit(), id, &f).await?)
}

/// Offers a category to citizens again, or stops offering it (administrators).
pub async fn set_category_active(app: &App, caller: &Caller, id: i64, active: bool) -> AppResult<()> {
    admin(caller)?;
    Ok(app.store.set_category_active(&caller.audit(), id, active).await?)
}
