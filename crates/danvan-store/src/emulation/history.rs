//! History across the 2025 reform (issue 11 item 9): the collectives of dissolved units, whose
//! records continue in their successors'. Nothing is copied: a successor's history is read
//! through `unit_successors` (the dissolution's own record), up the chain of predecessors, and
//! each title shows the names its recipient and unit carried when it was recorded.

use std::future::Future;
use std::pin::Pin;

use super::RecipientRow;
use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::emulation::{Award, Predecessor, RecipientKind};
use danvan_domain::UnitId;

/// How far up a chain of mergers a history is read (a unit dissolved into one dissolved later…).
const MAX_GENERATIONS: u8 = 6;

/// A title of a dissolved unit's collective, read in the history of `successor_id`.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct InheritedTitle {
    /// The unit whose history shows it (the one asked about).
    pub successor_id: i64,
    pub successor_name: String,
    /// The dissolved unit and the day it ended.
    pub unit_id: i64,
    pub dissolved_on: NaiveDate,
    pub recipient_id: i64,
    /// The collective's and its unit's names when the title was recorded.
    pub recipient_name: String,
    pub unit_name: String,
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    pub year: i64,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub issuer: String,
}

const INHERITED: &str = "SELECT v.id AS successor_id, v.name AS successor_name, u.id AS unit_id, u.effective_to AS dissolved_on,
    r.id AS recipient_id, t.recipient_name, t.unit_name, t.award, t.year, t.decision_no, t.decided_on, t.issuer
    FROM units v JOIN units u ON u.id = $1 JOIN emulation_recipients r ON r.unit_id = u.id AND r.kind = 'collective'
    JOIN emulation_titles t ON t.recipient_id = r.id
    WHERE v.id = $2 AND u.effective_to IS NOT NULL ORDER BY t.year, t.id";

impl Store {
    /// The dissolved units whose successor is `unit`.
    async fn dissolved_predecessors(&self, unit: UnitId) -> Result<Vec<(UnitId, NaiveDate)>> {
        Ok(self.predecessors(unit).await?.into_iter().filter_map(|u| u.effective_to.map(|on| (u.id, on))).collect())
    }

    /// The titles of the collectives of every unit `unit` succeeds, directly or through earlier
    /// mergers, oldest year first: the "from predecessors" part of its history.
    pub async fn emulation_inherited_titles(&self, unit: UnitId) -> Result<Vec<InheritedTitle>> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut frontier = vec![unit];
        for _ in 0..MAX_GENERATIONS {
            let mut next = Vec::new();
            for u in frontier {
                for (p, _) in self.dissolved_predecessors(u).await? {
                    if !seen.insert(p) {
                        continue;
                    }
                    let rows: Vec<InheritedTitle> = on_pool!(self, read, |pool| sqlx::query_as::<_, InheritedTitle>(INHERITED)
                        .bind(p)
                        .bind(unit)
                        .fetch_all(pool)
                        .await?);
                    out.extend(rows);
                    next.push(p);
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        out.sort_by_key(|t| (t.year, t.decided_on, t.recipient_id));
        Ok(out)
    }

    /// The units in the subtrees `paths` that succeed a dissolved unit.
    pub async fn successor_units_in(&self, paths: &[String]) -> Result<Vec<UnitId>> {
        let mut ids = Vec::new();
        for path in paths {
            let like = format!("{path}%");
            let found: Vec<(i64,)> = on_pool!(self, read, |p| sqlx::query_as(
                "SELECT DISTINCT s.successor_id FROM unit_successors s JOIN units v ON v.id = s.successor_id
                 WHERE v.path LIKE $1 ORDER BY s.successor_id LIMIT 1000"
            )
            .bind(&like)
            .fetch_all(p)
            .await?);
            ids.extend(found.into_iter().map(|(id,)| id));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The collectives of a unit.
    async fn collectives_of(&self, unit: UnitId) -> Result<Vec<RecipientRow>> {
        let sql = format!("{} WHERE r.unit_id = $1 AND r.kind = $2 ORDER BY r.id", super::RECIPIENT);
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RecipientRow>(&sql)
            .bind(unit)
            .bind(RecipientKind::Collective.as_str())
            .fetch_all(p)
            .await?))
    }

    /// The records a collective of `unit` continues: each collective of each dissolved unit
    /// `unit` succeeds, with its own predecessors in turn (the engine reads them through
    /// `Record::continued`).
    pub(super) fn emulation_predecessors<'a>(
        &'a self,
        unit: UnitId,
        generation: u8,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Predecessor>>> + Send + 'a>> {
        Box::pin(async move {
            let mut out = Vec::new();
            if generation >= MAX_GENERATIONS {
                return Ok(out);
            }
            for (p, dissolved_on) in self.dissolved_predecessors(unit).await? {
                for c in self.collectives_of(p).await? {
                    let mut record = self.emulation_record_rows(c.id).await?.to_record(c.kind, c.woman);
                    record.predecessors = self.emulation_predecessors(p, generation + 1).await?;
                    out.push(Predecessor { name: c.name, dissolved_on, record });
                }
            }
            Ok(out)
        })
    }
}
