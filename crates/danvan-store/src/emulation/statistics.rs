//! The facts the annual statistical forms on emulation and commendation (0601–0605, issue 11
//! item 7) are counted from, for a unit's subtree and a report year: one row per movement
//! launched, per award made and per nomination list resolved. The counting itself, and which
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
    pub woman: bool,
    /// The issuing unit's path, when the award came from a decision issued in danvan.
    pub decision_issuer: Option<String>,
    /// Else the path of the one unit whose name is the recorded issuer ("UBND" read as "Ủy ban
    /// nhân dân"), if exactly one is.
    pub named_issuer: Option<String>,
}

impl AwardFact {
    /// The path of the body that made the award, when danvan knows it.
    pub fn issuer_path(&self) -> Option<&str> {
        self.decision_issuer.as_deref().or(self.named_issuer.as_deref())
    }
}

/// A nomination list resolved by a decision issued by a unit of the subtree.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ResolvedFact {
    pub nomination_id: i64,
    /// The path of the unit that issued the (first) decision on it.
    pub issuer_path: String,
}

impl Store {
    /// Movements launched by a unit whose path starts with `path` and starting between `from`
    /// and `to` (inclusive).
    pub async fn statistics_movements(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<MovementFact>> {
        let sql = "SELECT m.id, m.period_kind, m.starts_on, m.ends_on, u.path AS unit_path
            FROM emulation_movements m JOIN units u ON u.id = m.unit_id
            WHERE u.path >= $1 AND u.path < ($1 || '~') AND m.starts_on >= $2 AND m.starts_on <= $3 ORDER BY m.id";
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, MovementFact>(sql).bind(path).bind(from).bind(to).fetch_all(p).await?))
    }

    /// The awards decided between `from` and `to` (the decision's date) to recipients of the
    /// units whose path starts with `path`, with the body that made each when danvan knows it.
    pub async fn statistics_awards(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<AwardFact>> {
        let sql = "SELECT t.id, t.award, r.kind AS recipient_kind, r.woman,
                (SELECT iu.path FROM emulation_decisions d
                   JOIN emulation_decision_awards a ON a.decision_id = d.id
                   JOIN units iu ON iu.id = d.issuer_id
                 WHERE d.status = 'issued' AND d.number_text = t.decision_no AND d.decided_on = t.decided_on
                   AND a.recipient_id = t.recipient_id AND a.award = t.award
                 ORDER BY d.id DESC LIMIT 1) AS decision_issuer,
                (SELECT CASE WHEN COUNT(*) = 1 THEN MIN(nu.path) END FROM units nu
                 WHERE nu.name = t.issuer OR nu.name = REPLACE(t.issuer, 'UBND ', 'Ủy ban nhân dân ')) AS named_issuer
            FROM emulation_titles t
            JOIN emulation_recipients r ON r.id = t.recipient_id
            JOIN units u ON u.id = r.unit_id
            WHERE u.path >= $1 AND u.path < ($1 || '~') AND t.decided_on >= $2 AND t.decided_on <= $3
            ORDER BY t.id";
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, AwardFact>(sql).bind(path).bind(from).bind(to).fetch_all(p).await?))
    }

    /// The nomination lists on which a unit whose path starts with `path` issued a decision
    /// (not an amendment) dated between `from` and `to`; one row per list, with the issuer of
    /// the first such decision.
    pub async fn statistics_resolved(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<ResolvedFact>> {
        let sql = "SELECT d.nomination_id, u.path AS issuer_path
            FROM emulation_decisions d JOIN units u ON u.id = d.issuer_id
            WHERE d.status = 'issued' AND d.amends_id IS NULL AND d.nomination_id IS NOT NULL
              AND u.path >= $1 AND u.path < ($1 || '~') AND d.decided_on >= $2 AND d.decided_on <= $3
              AND d.id = (SELECT MIN(d2.id) FROM emulation_decisions d2
                          WHERE d2.nomination_id = d.nomination_id AND d2.status = 'issued' AND d2.amends_id IS NULL)
            ORDER BY d.nomination_id";
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, ResolvedFact>(sql).bind(path).bind(from).bind(to).fetch_all(p).await?))
    }
}
