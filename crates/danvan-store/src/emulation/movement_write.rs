//! Writing movements: a movement with its target units, a criterion, a cluster with its members,
//! a pact, a registration with its targets, an achievement and an assessment; each in one
//! transaction with its audit entry.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{NaiveDate, Utc};
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_domain::indicators::Indicator;
use danvan_domain::FieldErrors;

#[derive(Debug, Clone)]
pub struct NewMovement {
    pub unit_id: i64,
    pub name: String,
    pub purpose: String,
    pub period_kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cluster_id: Option<i64>,
    pub target_unit_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct NewCriterion {
    pub name: String,
    pub kind: CriterionKind,
    pub indicator: Option<Indicator>,
    pub target: Option<f64>,
    pub weight: i64,
}

/// A self-assessment (the registered unit) or a reviewers' score (the launching unit).
#[derive(Debug, Clone)]
pub enum Assessment {
    SelfAssessed { points: i64, note: String },
    Reviewed { points: i64, note: String, by: Option<i64> },
}

fn duplicate(field: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::one(field, "movement.error.duplicate"))
}

impl Store {
    pub async fn create_emulation_movement(&self, ctx: &AuditCtx, m: &NewMovement) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_movements (unit_id, name, purpose, period_kind, starts_on, ends_on, cluster_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(m.unit_id)
            .bind(&m.name)
            .bind(&m.purpose)
            .bind(m.period_kind.as_str())
            .bind(m.starts_on)
            .bind(m.ends_on)
            .bind(m.cluster_id)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            for u in &m.target_unit_ids {
                sqlx::query("INSERT INTO emulation_movement_units (movement_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(*u)
                    .execute(&mut *tx)
                    .await?;
            }
            let changes = Changes::new()
                .field("unit_id", None, Some(m.unit_id))
                .field("period", None, Some(format!("{} {}–{}", m.period_kind, m.starts_on, m.ends_on)))
                .field("targets", None, Some(m.target_unit_ids.clone()));
            audit!(tx, ctx, "emulation.movement.create", "emulation_movement", Some(id), &m.name, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn add_emulation_criterion(&self, ctx: &AuditCtx, movement_id: i64, c: &NewCriterion) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_criteria (movement_id, name, kind, indicator, target, weight) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(movement_id)
            .bind(&c.name)
            .bind(c.kind.as_str())
            .bind(c.indicator.map(|i| i.as_str()))
            .bind(c.target)
            .bind(c.weight)
            .fetch_one(&mut *tx)
            .await?;
            let changes = Changes::new()
                .field("criterion", None, Some(c.name.clone()))
                .field("indicator", None, c.indicator.map(|i| i.as_str()))
                .field("target", None, c.target)
                .field("weight", None, Some(c.weight));
            audit!(tx, ctx, "emulation.criterion.create", "emulation_movement", Some(movement_id), &c.name, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A cluster of units that compete together, set up by `unit_id`.
    pub async fn create_emulation_cluster(&self, ctx: &AuditCtx, unit_id: i64, name: &str, members: &[i64]) -> Result<i64> {
        if self.emulation_clusters(unit_id).await?.iter().any(|c| c.name == name) {
            return Err(StoreError::Invalid(FieldErrors::one("name", "movement.error.cluster_duplicate")));
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO emulation_clusters (unit_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(unit_id)
                    .bind(name)
                    .bind(Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
            for u in members {
                sqlx::query("INSERT INTO emulation_cluster_units (cluster_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(*u)
                    .execute(&mut *tx)
                    .await?;
            }
            let changes = Changes::new().field("members", None, Some(members.to_vec()));
            audit!(tx, ctx, "emulation.cluster.create", "emulation_cluster", Some(id), name, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A member unit's signed pact for a movement (one per unit: signing again is refused).
    pub async fn sign_emulation_pact(
        &self,
        ctx: &AuditCtx,
        movement_id: i64,
        unit_id: i64,
        commitment: &str,
        signed_on: NaiveDate,
    ) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO emulation_pacts (movement_id, unit_id, commitment, signed_on) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (movement_id, unit_id) DO NOTHING RETURNING id",
            )
            .bind(movement_id)
            .bind(unit_id)
            .bind(commitment)
            .bind(signed_on)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else { return Err(duplicate("unit")) };
            let changes = Changes::new().field("unit_id", None, Some(unit_id)).field("signed_on", None, Some(signed_on));
            audit!(tx, ctx, "emulation.pact.sign", "emulation_movement", Some(movement_id), commitment, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Registers a unit (or a person in it) with its targets per criterion.
    pub async fn register_for_emulation(
        &self,
        ctx: &AuditCtx,
        movement_id: i64,
        unit_id: i64,
        person: &str,
        targets: &[(i64, String)],
    ) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO emulation_registrations (movement_id, unit_id, person, registered_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (movement_id, unit_id, person) DO NOTHING RETURNING id",
            )
            .bind(movement_id)
            .bind(unit_id)
            .bind(person)
            .bind(Utc::now())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else { return Err(duplicate("person")) };
            for (criterion, target) in targets {
                sqlx::query(
                    "INSERT INTO emulation_registration_criteria (registration_id, criterion_id, target) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(*criterion)
                .bind(target)
                .execute(&mut *tx)
                .await?;
            }
            let changes = Changes::new().field("unit_id", None, Some(unit_id)).field("person", None, Some(person));
            audit!(tx, ctx, "emulation.register", "emulation_movement", Some(movement_id), person, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn report_emulation_achievement(
        &self,
        ctx: &AuditCtx,
        registration_id: i64,
        criterion_id: Option<i64>,
        reported_on: NaiveDate,
        body: &str,
        link: &str,
    ) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_achievements (registration_id, criterion_id, reported_on, body, link, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(registration_id)
            .bind(criterion_id)
            .bind(reported_on)
            .bind(body)
            .bind(link)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            let changes = Changes::new().field("criterion_id", None, criterion_id).field("reported_on", None, Some(reported_on));
            audit!(tx, ctx, "emulation.achievement", "emulation_registration", Some(registration_id), body, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Records an assessment of a registration on a criterion (replacing the earlier one of the
    /// same side; the other side is kept).
    pub async fn assess_emulation(&self, ctx: &AuditCtx, registration_id: i64, criterion_id: i64, a: &Assessment) -> Result<()> {
        let (sql, action, points, note, by) = match a {
            Assessment::SelfAssessed { points, note } => (
                "INSERT INTO emulation_registration_criteria (registration_id, criterion_id, self_points, self_note) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (registration_id, criterion_id) DO UPDATE SET self_points = excluded.self_points, self_note = excluded.self_note",
                "emulation.self_assess",
                *points,
                note,
                None,
            ),
            Assessment::Reviewed { points, note, by } => (
                "INSERT INTO emulation_registration_criteria (registration_id, criterion_id, review_points, review_note, reviewed_by)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (registration_id, criterion_id) DO UPDATE SET review_points = excluded.review_points,
                    review_note = excluded.review_note, reviewed_by = excluded.reviewed_by",
                "emulation.review",
                *points,
                note,
                *by,
            ),
        };
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let mut q = sqlx::query(sql).bind(registration_id).bind(criterion_id).bind(points).bind(note);
            if matches!(a, Assessment::Reviewed { .. }) {
                q = q.bind(by);
            }
            q.execute(&mut *tx).await?;
            let changes = Changes::new().field("criterion_id", None, Some(criterion_id)).field("points", None, Some(points));
            audit!(tx, ctx, action, "emulation_registration", Some(registration_id), note, changes);
            tx.commit().await?;
            Ok(())
        })
    }
}
