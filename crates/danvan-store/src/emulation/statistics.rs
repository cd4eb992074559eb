//! The facts the annual statistical forms on emulation and commendation (0601–0605, issue 11
//! item 7) are counted from, for a unit's subtree and a report period: one row per movement
//! launched and per award made. The counting itself, and which
//! cell each fact goes to, is the app's (`danvan_app::emulation::statistics`).

use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::emulation::{Award, PeriodKind, RecipientKind};

/// A movement launched by a unit of the subtree.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MovementFact {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<PeriodKind>")]
    pub period_kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The launching unit's path.
    pub unit_path: String,
    /// Whether it is a movement of an emulation cluster (cụm, khối thi đua).
    pub in_cluster: bool,
}

/// An award on the record of a recipient of the subtree (`emulation_titles`: every issued
/// decision writes there, and so do the titles recorded by hand or imported).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AwardFact {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    #[sqlx(try_from = "crate::Name<RecipientKind>")]
    pub recipient_kind: RecipientKind,
}

impl Store {
    /// Movements launched by a unit whose path starts with `path` and starting between `from`
    /// and `to` (inclusive).
    pub async fn statistics_movements(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<MovementFact>> {
        let sql =
            "SELECT m.id, m.period_kind, m.starts_on, m.ends_on, u.path AS unit_path, m.cluster_id IS NOT NULL AS in_cluster
            FROM emulation_movements m JOIN units u ON u.id = m.unit_id
            WHERE u.path >= $1 AND u.path < ($1 || '~') AND m.starts_on >= $2 AND m.starts_on <= $3 ORDER BY m.id";
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, MovementFact>(sql).bind(path).bind(from).bind(to).fetch_all(p).await?))
    }

    /// The awards decided between `from` and `to` (the decision's date) to recipients of the
    /// units whose path starts with `path`.
    pub async fn statistics_awards(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<AwardFact>> {
        let sql = "SELECT t.id, t.award, r.kind AS recipient_kind
            FROM emulation_titles t
            JOIN emulation_recipients r ON r.id = t.recipient_id
            JOIN units u ON u.id = r.unit_id
            WHERE u.path >= $1 AND u.path < ($1 || '~') AND t.decided_on >= $2 AND t.decided_on <= $3
            ORDER BY t.id";
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, AwardFact>(sql).bind(path).bind(from).bind(to).fetch_all(p).await?))
    }
}
