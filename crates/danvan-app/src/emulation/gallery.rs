//! The public showcase of "Dân vận khéo" (the festival's page): recognised models only, by field
//! and year, with a diacritic-insensitive search; their photos. And the field teams of
//! appraisers, kept by each unit's emulation officers and leaders.

use super::models::{choice, ModelFilter, ModelRow, PhotoRow, ReplicationRow};
use crate::{App, AppError, AppResult, Caller};
use danvan_domain::emulation::models::{self as m, Appraisal, ModelField, ModelKind};
use danvan_domain::{Action, FieldErrors, Resource};

/// The subtrees ('/1/5/') of the caller's units where `action` on their emulation work is allowed.
pub(crate) fn paths_where(caller: &Caller, action: Action) -> Vec<String> {
    caller
        .memberships
        .iter()
        .filter(|mb| caller.authorize(action, Resource::EmulationWork { unit_ancestry: &mb.unit_ancestry() }).is_ok())
        .map(|mb| format!("/{}/", mb.unit_ancestry().iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")))
        .collect()
}

/// Models per gallery page.
pub const GALLERY_PAGE: i64 = 24;

/// The gallery's choice, as typed in its query; unknown values are field errors.
#[derive(Debug, Clone, Default)]
pub struct GalleryQuery {
    pub field: String,
    pub kind: String,
    pub year: String,
    pub q: String,
    pub page: i64,
}

/// Recognised models matching the query, and how many there are. Nobody need be signed in.
pub async fn gallery(app: &App, q: &GalleryQuery) -> AppResult<(Vec<ModelRow>, i64)> {
    fn opt(s: &str) -> Option<&str> {
        if s.trim().is_empty() {
            None
        } else {
            Some(s)
        }
    }
    let mut e = FieldErrors::new();
    let field = match opt(&q.field) {
        Some(s) => choice(ModelField::parse(s), s, "field", &mut e),
        None => None,
    };
    let kind = match opt(&q.kind) {
        Some(s) => choice(ModelKind::parse(s), s, "kind", &mut e),
        None => None,
    };
    let year = match opt(&q.year) {
        Some(s) => super::parse_year(s, "year", &mut e),
        None => None,
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let f = ModelFilter {
        recognised_only: true,
        field,
        kind,
        year,
        q: q.q.clone(),
        limit: GALLERY_PAGE,
        offset: (q.page.max(1) - 1) * GALLERY_PAGE,
        ..Default::default()
    };
    Ok(app.store.emulation_models(&f).await?)
}

/// The years that have recognised models.
pub async fn gallery_years(app: &App) -> AppResult<Vec<i64>> {
    Ok(app.store.emulation_model_years().await?)
}

/// A recognised model as the public sees it: no appraiser's name, no personal record.
pub struct PublicModel {
    pub model: ModelRow,
    pub appraisal: Option<Appraisal>,
    pub replications: Vec<ReplicationRow>,
    pub photos: Vec<PhotoRow>,
}

/// A recognised model; any other is not found.
pub async fn public_model(app: &App, id: i64) -> AppResult<PublicModel> {
    let model = app.store.emulation_model(id).await?.filter(is_public).ok_or(AppError::NotFound)?;
    let scores = app.store.emulation_model_scores(id).await?;
    Ok(PublicModel {
        appraisal: m::appraise(&scores.iter().map(|s| s.score()).collect::<Vec<_>>()),
        replications: app.store.emulation_model_replications(id).await?,
        photos: app.store.emulation_model_photos(id).await?,
        model,
    })
}

/// Only recognised models are public.
pub fn is_public(r: &ModelRow) -> bool {
    r.decision == Some(m::Recognition::Recognised)
}

/// A model's photo, with whether it is public (its model recognised). Others see it only if they
/// may read the model; to everyone else it does not exist.
pub async fn model_photo(app: &App, caller: &Caller, id: i64) -> AppResult<(PhotoRow, bool)> {
    let photo = app.store.emulation_model_photo(id).await?.ok_or(AppError::NotFound)?;
    let model = app.store.emulation_model(photo.model_id).await?.ok_or(AppError::NotFound)?;
    if is_public(&model) {
        return Ok((photo, true));
    }
    if super::models::access(app, caller, &model).await?.view {
        Ok((photo, false))
    } else {
        Err(AppError::NotFound)
    }
}

/// The field teams the caller keeps (at units where they handle emulation work) or sits on.
pub async fn appraisers(app: &App, caller: &Caller) -> AppResult<Vec<super::models::AppraiserRow>> {
    let me = caller.require_account()?;
    Ok(app.store.emulation_appraisers(&paths_where(caller, Action::Handle), Some(me.id)).await?)
}

/// Names an account (by username) on the team of a field at a unit (by code), or takes them off.
pub async fn set_appraiser(app: &App, caller: &Caller, unit: &str, field: &str, username: &str, on_team: bool) -> AppResult<()> {
    caller.require_account()?;
    let mut e = FieldErrors::new();
    let u = match unit.trim() {
        "" => None,
        c => app.store.get_unit_by_code_or_name(c).await?,
    };
    if u.is_none() {
        e.add("unit", if unit.trim().is_empty() { "error.required" } else { "error.unit_unknown" });
    }
    let f = choice(ModelField::parse(field), field, "field", &mut e);
    let acc = match username.trim() {
        "" => None,
        n => app.store.get_account_by_username(n).await?,
    };
    if acc.is_none() {
        e.add("account", if username.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    if let Some(u) = &u {
        caller.authorize(Action::Handle, Resource::EmulationWork { unit_ancestry: &u.ancestry() })?;
    }
    match (u, f, acc) {
        (Some(u), Some(f), Some(a)) if e.is_empty() => {
            Ok(app.store.set_emulation_appraiser(&caller.audit(), u.id, f, a.id, on_team).await?)
        }
        _ => Err(AppError::Invalid(e)),
    }
}
