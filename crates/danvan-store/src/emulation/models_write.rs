//! Writing "Dân vận khéo" models: registration and edits (until the decision), an appraiser's
//! scores, the steering committee's decision, replications, photos and the field teams, each in
//! one transaction with its audit entry. A decided model is not edited nor scored again: the
//! guard is in the same statement or transaction as the write, so a race cannot slip past it.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{NaiveDate, Utc};
use danvan_domain::emulation::models::{Criterion, ModelField, ModelKind, Recognition};
use danvan_domain::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewModel {
    pub kind: ModelKind,
    pub name: String,
    pub place: String,
    pub field: ModelField,
    pub owner_unit_id: i64,
    pub owner_name: String,
    pub recipient_id: Option<i64>,
    pub registered_unit_id: i64,
    pub year: i32,
    pub description: String,
    pub people_mobilised: i64,
    pub results: String,
}

impl NewModel {
    /// What the search matches: the folded name, place, owner and description.
    fn search_text(&self, owner_unit: &str) -> String {
        let all = [self.name.as_str(), &self.place, &self.owner_name, owner_unit, &self.description];
        danvan_domain::text::fold(&all.join(" "))
    }
}

/// A photo processed and staged by the app, to be recorded with its model.
#[derive(Debug, Clone)]
pub struct NewModelPhoto {
    pub file_name: String,
    pub storage_key: String,
    pub thumb_key: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    pub sha256: String,
}

fn decided() -> StoreError {
    StoreError::Invalid(FieldErrors::one("decision", "model.error.decided"))
}

impl Store {
    pub async fn create_emulation_model(&self, ctx: &AuditCtx, m: &NewModel) -> Result<i64> {
        let owner = self.get_unit(m.owner_unit_id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let now = Utc::now();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_models (kind, name, search_text, place, field, owner_unit_id, owner_name, recipient_id,
                    registered_unit_id, year, description, people_mobilised, results, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
            )
            .bind(m.kind.as_str())
            .bind(&m.name)
            .bind(m.search_text(&owner.name))
            .bind(&m.place)
            .bind(m.field.as_str())
            .bind(m.owner_unit_id)
            .bind(&m.owner_name)
            .bind(m.recipient_id)
            .bind(m.registered_unit_id)
            .bind(i64::from(m.year))
            .bind(&m.description)
            .bind(m.people_mobilised)
            .bind(&m.results)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let changes = Changes::new().field("field", None, Some(m.field.as_str())).field("year", None, Some(m.year)).field(
                "registered_unit_id",
                None,
                Some(m.registered_unit_id),
            );
            audit!(tx, ctx, "emulation.model.register", "emulation_model", Some(id), &m.name, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes a model's registration; refused once the steering committee has decided.
    pub async fn update_emulation_model(&self, ctx: &AuditCtx, id: i64, m: &NewModel) -> Result<()> {
        let owner = self.get_unit(m.owner_unit_id).await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE emulation_models SET kind = $1, name = $2, search_text = $3, place = $4, field = $5, owner_unit_id = $6,
                    owner_name = $7, recipient_id = $8, registered_unit_id = $9, year = $10, description = $11,
                    people_mobilised = $12, results = $13, updated_at = $14
                 WHERE id = $15 AND decision IS NULL",
            )
            .bind(m.kind.as_str())
            .bind(&m.name)
            .bind(m.search_text(&owner.name))
            .bind(&m.place)
            .bind(m.field.as_str())
            .bind(m.owner_unit_id)
            .bind(&m.owner_name)
            .bind(m.recipient_id)
            .bind(m.registered_unit_id)
            .bind(i64::from(m.year))
            .bind(&m.description)
            .bind(m.people_mobilised)
            .bind(&m.results)
            .bind(Utc::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(decided());
            }
            let changes = Changes::new().field("field", None, Some(m.field.as_str())).field("year", None, Some(m.year));
            audit!(tx, ctx, "emulation.model.update", "emulation_model", Some(id), &m.name, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records an appraiser's scores on a model (replacing their earlier ones), while it is
    /// undecided.
    pub async fn score_emulation_model(
        &self,
        ctx: &AuditCtx,
        id: i64,
        label: &str,
        appraiser: i64,
        scores: &[(Criterion, i32)],
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            serialize!(self, tx, crate::lock_key(&format!("emulation_model:{id}")));
            let open: Option<(i64,)> = sqlx::query_as("SELECT id FROM emulation_models WHERE id = $1 AND decision IS NULL")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_none() {
                return Err(decided());
            }
            let now = Utc::now();
            let mut total = 0;
            for (criterion, points) in scores {
                total += points;
                sqlx::query(
                    "INSERT INTO emulation_model_scores (model_id, appraiser_id, criterion, points, scored_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (model_id, appraiser_id, criterion) DO UPDATE SET points = excluded.points,
                        scored_at = excluded.scored_at",
                )
                .bind(id)
                .bind(appraiser)
                .bind(criterion.as_str())
                .bind(i64::from(*points))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let changes = Changes::new().field("total", None, Some(total));
            audit!(tx, ctx, "emulation.model.score", "emulation_model", Some(id), label, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The steering committee's decision; taken once (a decided model refuses another).
    pub async fn decide_emulation_model(
        &self,
        ctx: &AuditCtx,
        id: i64,
        label: &str,
        decision: Recognition,
        on: NaiveDate,
        reference: &str,
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            serialize!(self, tx, crate::lock_key(&format!("emulation_model:{id}")));
            let done = sqlx::query(
                "UPDATE emulation_models SET decision = $1, decided_on = $2, decision_ref = $3, decided_by = $4, updated_at = $5
                 WHERE id = $6 AND decision IS NULL",
            )
            .bind(decision.as_str())
            .bind(on)
            .bind(reference)
            .bind(ctx.actor_id)
            .bind(Utc::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(decided());
            }
            let changes = Changes::new().field("decision", None, Some(decision.as_str())).field("ref", None, Some(reference));
            audit!(tx, ctx, "emulation.model.decide", "emulation_model", Some(id), label, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn add_emulation_model_replication(
        &self,
        ctx: &AuditCtx,
        id: i64,
        label: &str,
        unit: i64,
        year: i32,
        note: &str,
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO emulation_model_replications (model_id, unit_id, year, note, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(unit)
            .bind(i64::from(year))
            .bind(note)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            let changes = Changes::new().field("unit_id", None, Some(unit)).field("year", None, Some(year));
            audit!(tx, ctx, "emulation.model.replicate", "emulation_model", Some(id), label, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records photos with a model, refusing more than `max` in all (counted in the transaction).
    pub async fn add_emulation_model_photos(
        &self,
        ctx: &AuditCtx,
        id: i64,
        label: &str,
        photos: &[NewModelPhoto],
        max: usize,
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            serialize!(self, tx, crate::lock_key(&format!("emulation_model:{id}")));
            let (had,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM emulation_model_photos WHERE model_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            if usize::try_from(had).unwrap_or(usize::MAX).saturating_add(photos.len()) > max {
                return Err(StoreError::Invalid(FieldErrors::one("photos", "photo.error.too_many")));
            }
            for ph in photos {
                sqlx::query(
                    "INSERT INTO emulation_model_photos (model_id, file_name, storage_key, thumb_key, bytes, width, height, sha256,
                        created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id)
                .bind(&ph.file_name)
                .bind(&ph.storage_key)
                .bind(&ph.thumb_key)
                .bind(ph.bytes)
                .bind(ph.width)
                .bind(ph.height)
                .bind(&ph.sha256)
                .bind(ctx.actor_id)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            }
            let changes = Changes::new().field("photos", None, Some(photos.len()));
            audit!(tx, ctx, "emulation.model.photos", "emulation_model", Some(id), label, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Names an account on a field's team at a unit (again: no change), or takes them off.
    pub async fn set_emulation_appraiser(
        &self,
        ctx: &AuditCtx,
        unit: i64,
        field: ModelField,
        account: i64,
        on_team: bool,
    ) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let sql = if on_team {
                "INSERT INTO emulation_appraisers (unit_id, field, account_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM emulation_appraisers WHERE unit_id = $1 AND field = $2 AND account_id = $3"
            };
            sqlx::query(sql).bind(unit).bind(field.as_str()).bind(account).execute(&mut *tx).await?;
            let action = if on_team { "emulation.appraiser.add" } else { "emulation.appraiser.remove" };
            let changes = Changes::new().field("field", None, Some(field.as_str())).field("account_id", None, Some(account));
            audit!(tx, ctx, action, "unit", Some(unit), field.as_str(), changes);
            tx.commit().await?;
            Ok(())
        })
    }
}
