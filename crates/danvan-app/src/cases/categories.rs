//! Case categories: the list citizens choose from, and their administration.

use crate::{App, AppResult, Caller};

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

pub async fn create_category(app: &App, caller: &Caller, f: &CategoryFields) -> AppResult<i64> {
    Ok(app.store.create_category_with(&caller.audit(), f).await?)
}

pub async fn update_category(app: &App, caller: &Caller, id: i64, f: &CategoryFields) -> AppResult<()> {
    Ok(app.store.update_category(&caller.audit(), id, f).await?)
}

pub async fn set_category_active(app: &App, caller: &Caller, id: i64, active: bool) -> AppResult<()> {
    Ok(app.store.set_category_active(&caller.audit(), id, active).await?)
}
