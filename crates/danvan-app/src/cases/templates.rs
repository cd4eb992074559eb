//! Response templates: texts an officer starts an answer from, per unit and category.

use crate::{App, AppResult, Caller};
use danvan_domain::UnitId;

pub use danvan_domain::inbox::TemplateDraft;
pub use danvan_store::inbox::ResponseTemplate;

pub async fn templates_within(app: &App, paths: Option<&[String]>) -> AppResult<Vec<ResponseTemplate>> {
    Ok(app.store.templates_within(paths).await?)
}

pub async fn templates_for_case(app: &App, ancestry: &[UnitId], category_id: Option<i64>) -> AppResult<Vec<ResponseTemplate>> {
    Ok(app.store.templates_for_case(ancestry, category_id).await?)
}

pub async fn get_template(app: &App, id: i64) -> AppResult<ResponseTemplate> {
    Ok(app.store.get_template(id).await?)
}

pub async fn create_template(
    app: &App,
    caller: &Caller,
    unit_id: i64,
    category_id: Option<i64>,
    d: &TemplateDraft,
) -> AppResult<i64> {
    Ok(app.store.create_template(&caller.audit(), unit_id, category_id, d).await?)
}

pub async fn update_template(
    app: &App,
    caller: &Caller,
    id: i64,
    unit_id: i64,
    category_id: Option<i64>,
    d: &TemplateDraft,
) -> AppResult<()> {
    Ok(app.store.update_template(&caller.audit(), id, unit_id, category_id, d).await?)
}

pub async fn delete_template(app: &App, caller: &Caller, id: i64) -> AppResult<()> {
    Ok(app.store.delete_template(&caller.audit(), id).await?)
}
