//! Emulation movements (issue 11 items 1–2): the rows and the reads. A movement is launched by a
//! unit for a period, aims at target units, has criteria (measured by an indicator or reviewed),
//! may belong to an emulation cluster whose member units sign pacts, and is joined by
//! registrations (a unit, or a person in it) with targets, achievements and assessments.
//! Writes are in `movement_write.rs`.

use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::emulation::{CriterionKind, PeriodKind};
use danvan_domain::indicators::Indicator;
use danvan_domain::UnitId;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MovementRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub name: String,
    pub purpose: String,
    #[sqlx(try_from = "crate::Name<PeriodKind>")]
    pub period_kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cluster_id: Option<i64>,
    pub cluster_name: Option<String>,
}

impl MovementRow {
    /// Ids from the root to the launching unit, itself last.
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CriterionRow {
    pub id: i64,
    pub movement_id: i64,
    pub name: String,
    #[sqlx(try_from = "crate::Name<CriterionKind>")]
    pub kind: CriterionKind,
    #[sqlx(try_from = "crate::NullableName<Indicator>")]
    pub indicator: Option<Indicator>,
    pub target: Option<f64>,
    pub weight: i64,
}

/// A unit as a movement lists it (target, cluster member).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UnitLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[serde(skip)]
    pub path: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ClusterRow {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PactRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub commitment: String,
    pub signed_on: NaiveDate,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RegistrationRow {
    pub id: i64,
    pub movement_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    /// '' for the unit itself.
    pub person: String,
    pub registered_at: DateTime<Utc>,
}

impl RegistrationRow {
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

/// A registration's line for a criterion: its target, its self-assessment and the reviewers'
/// score.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RegCriterionRow {
    pub registration_id: i64,
    pub criterion_id: i64,
    pub target: String,
    pub self_points: Option<i64>,
    pub self_note: String,
    pub review_points: Option<i64>,
    pub review_note: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AchievementRow {
    pub id: i64,
    pub registration_id: i64,
    pub criterion_id: Option<i64>,
    pub reported_on: NaiveDate,
    pub body: String,
    pub link: String,
}

/// Everything a movement's page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MovementFile {
    pub movement: MovementRow,
    pub criteria: Vec<CriterionRow>,
    pub targets: Vec<UnitLine>,
    pub cluster_units: Vec<UnitLine>,
    pub pacts: Vec<PactRow>,
    pub registrations: Vec<RegistrationRow>,
}

// How the rows decode the movements' names (as `names!` in lib.rs does for the other areas).
impl From<crate::Name<PeriodKind>> for PeriodKind {
    fn from(n: crate::Name<PeriodKind>) -> PeriodKind {
        n.0
    }
}
impl From<crate::Name<CriterionKind>> for CriterionKind {
    fn from(n: crate::Name<CriterionKind>) -> CriterionKind {
        n.0
    }
}
impl From<crate::NullableName<Indicator>> for Option<Indicator> {
    fn from(n: crate::NullableName<Indicator>) -> Option<Indicator> {
        n.0
    }
}

const MOVEMENT_SQL: &str =
    "SELECT m.id, m.unit_id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, m.name, m.purpose,
        m.period_kind, m.starts_on, m.ends_on, m.cluster_id, k.name AS cluster_name
     FROM emulation_movements m JOIN units u ON u.id = m.unit_id LEFT JOIN emulation_clusters k ON k.id = m.cluster_id";

const REGISTRATION_SQL: &str =
    "SELECT r.id, r.movement_id, r.unit_id, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,
        r.person, r.registered_at FROM emulation_registrations r JOIN units u ON u.id = r.unit_id";

impl Store {
    pub async fn emulation_movement(&self, id: i64) -> Result<Option<MovementRow>> {
        let sql = format!("{MOVEMENT_SQL} WHERE m.id = $1");
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, MovementRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// Movements launched by a unit in one of the subtrees at `paths`, or aimed at a unit in them;
    /// newest first.
    pub async fn emulation_movements(&self, paths: &[String]) -> Result<Vec<MovementRow>> {
        let mut out: Vec<MovementRow> = vec![];
        for path in paths {
            let sql = format!(
                "{MOVEMENT_SQL} WHERE (u.path >= $1 AND u.path < ($1 || '~')) OR m.id IN (SELECT t.movement_id FROM emulation_movement_units t
                   JOIN units tu ON tu.id = t.unit_id WHERE tu.path >= $1 AND tu.path < ($1 || '~'))
                 ORDER BY m.starts_on DESC, m.id DESC LIMIT 500"
            );
            let rows = on_pool!(self, read, |p| sqlx::query_as::<_, MovementRow>(&sql).bind(path).fetch_all(p).await?);
            for r in rows {
                if !out.iter().any(|m| m.id == r.id) {
                    out.push(r);
                }
            }
        }
        out.sort_by(|a, b| b.starts_on.cmp(&a.starts_on).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    pub async fn emulation_movement_file(&self, m: MovementRow) -> Result<MovementFile> {
        let id = m.id;
        let units = "SELECT u.id, u.code, u.name, u.path FROM units u";
        let targets =
            format!("{units} JOIN emulation_movement_units t ON t.unit_id = u.id WHERE t.movement_id = $1 ORDER BY u.path");
        let cluster =
            format!("{units} JOIN emulation_cluster_units t ON t.unit_id = u.id WHERE t.cluster_id = $1 ORDER BY u.path");
        let regs = format!("{REGISTRATION_SQL} WHERE r.movement_id = $1 ORDER BY u.path, r.person");
        on_pool!(self, read, |p| {
            let criteria = sqlx::query_as::<_, CriterionRow>(
                "SELECT id, movement_id, name, kind, indicator, target, weight FROM emulation_criteria WHERE movement_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let targets = sqlx::query_as::<_, UnitLine>(&targets).bind(id).fetch_all(p).await?;
            let cluster_units = sqlx::query_as::<_, UnitLine>(&cluster).bind(m.cluster_id.unwrap_or(-1)).fetch_all(p).await?;
            let pacts = sqlx::query_as::<_, PactRow>(
                "SELECT a.id, a.unit_id, u.name AS unit_name, a.commitment, a.signed_on FROM emulation_pacts a JOIN units u ON u.id = a.unit_id
                 WHERE a.movement_id = $1 ORDER BY u.path",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let registrations = sqlx::query_as::<_, RegistrationRow>(&regs).bind(id).fetch_all(p).await?;
            Ok(MovementFile { movement: m, criteria, targets, cluster_units, pacts, registrations })
        })
    }

    pub async fn emulation_registration(&self, id: i64) -> Result<Option<RegistrationRow>> {
        let sql = format!("{REGISTRATION_SQL} WHERE r.id = $1");
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, RegistrationRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// A registration's lines per criterion and its achievements.
    pub async fn emulation_registration_detail(&self, id: i64) -> Result<(Vec<RegCriterionRow>, Vec<AchievementRow>)> {
        on_pool!(self, read, |p| {
            let lines = sqlx::query_as::<_, RegCriterionRow>(
                "SELECT registration_id, criterion_id, target, self_points, self_note, review_points, review_note
                 FROM emulation_registration_criteria WHERE registration_id = $1 ORDER BY criterion_id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let achievements = sqlx::query_as::<_, AchievementRow>(
                "SELECT id, registration_id, criterion_id, reported_on, body, link FROM emulation_achievements
                 WHERE registration_id = $1 ORDER BY reported_on, id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            Ok((lines, achievements))
        })
    }

    /// The clusters set up by a unit.
    /// The clusters set up by a unit of the subtree at `path`, with the unit's name, the
    /// shallowest units first; at most 500.
    pub async fn emulation_clusters_within(&self, path: &str) -> Result<Vec<(i64, String, String)>> {
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, (i64, String, String)>(
            "SELECT c.id, c.name, u.name FROM emulation_clusters c JOIN units u ON u.id = c.unit_id
             WHERE u.path >= $1 AND u.path < ($1 || '~') ORDER BY u.depth, u.name_sort, c.name LIMIT 500"
        )
        .bind(path)
        .fetch_all(p)
        .await?))
    }

    pub async fn emulation_clusters(&self, unit_id: i64) -> Result<Vec<ClusterRow>> {
        Ok(on_pool!(self, read, |p| sqlx::query_as::<_, ClusterRow>(
            "SELECT id, unit_id, name FROM emulation_clusters WHERE unit_id = $1 ORDER BY name"
        )
        .bind(unit_id)
        .fetch_all(p)
        .await?))
    }
}
