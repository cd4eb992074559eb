//! Emulation records (issue 11 item 4): emulation recipients (a person, a collective or a
//! household, in a unit, optionally linked to the person's account), their yearly ratings, the
//! titles and forms awarded (decision number, date, issuer), disciplinary actions, initiatives,
//! leave and investigations, and a collective's members by year. `engine_record` builds the
//! eligibility engine's `Record` from these rows (`danvan_domain::emulation`).
//!
//! - `mod.rs`: the rows and the reads;
//! - `write.rs`: entries (one or an imported file) in one transaction with their audit entries;
//! - `models.rs`, `models_write.rs`: "Dân vận khéo" model practices and exemplars (item 3);
//! - `council.rs`: nomination lists, councils, the secret ballot and its count;
//! - `decisions.rs`: the award catalogue, decisions, their numbering register and issuing;
//! - `certificates.rs`: a unit's calibration for printing on pre-printed blanks (item 8);
//! - `settings.rs`: the settings over time (item 5);
//! - `history.rs`: a successor's history of its dissolved predecessors' collectives (item 9);
//! - `statistics.rs`: the facts the annual statistical forms count (item 7);
//! - `movements.rs`, `movement_write.rs`: movements, criteria, clusters and pacts,
//!   registrations, achievements and assessments (items 1–2).

mod certificates;
mod council;
mod decisions;
mod history;
mod models;
mod models_write;
mod movement_write;
mod movements;
mod settings;
mod statistics;
mod write;

pub use council::{CouncilRow, ItemCount, ItemRow, NewCouncil, NominationRow};
pub use decisions::{CatalogueRow, DecisionAwardRow, DecisionHeader, DecisionRow, NewDecision};
pub use history::InheritedTitle;
pub use models::{AppraiserRow, ModelFilter, ModelRow, PhotoRow, ReplicationRow, ScoreRow};
pub use models_write::{NewModel, NewModelPhoto};
pub use settings::KEY_EMULATION;
pub use statistics::{AwardFact, MovementFact};

pub use movement_write::{Assessment, NewCriterion, NewMovement};
pub use movements::*;

pub use write::{Entry, ImportItem, NewRecipient};

use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::emulation::{
    Award, AwardKind, AwardLevel, BallotMode, CouncilStatus, DecisionStatus, Discipline, DisciplineLevel, Held, Initiative,
    Leave, LeaveKind, NominationStatus, Period, Rating, Reach, RecipientKind, Record,
};
use danvan_domain::UnitId;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RecipientRow {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<RecipientKind>")]
    pub kind: RecipientKind,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    /// The unit's path ('/1/5/23/'), for authorisation.
    #[serde(skip)]
    pub unit_path: String,
    pub woman: bool,
    pub account_id: Option<i64>,
}

impl RecipientRow {
    /// Ids from the root to the recipient's unit, itself last.
    pub fn unit_ancestry(&self) -> Vec<UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RatingRow {
    pub year: i64,
    #[sqlx(try_from = "crate::Name<Rating>")]
    pub rating: Rating,
    pub in_emulation: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TitleRow {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    pub year: i64,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub issuer: String,
    /// The recipient's and its unit's names when the title was recorded (history keeps them).
    pub recipient_name: String,
    pub unit_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DisciplineRow {
    pub id: i64,
    #[sqlx(try_from = "crate::Name<DisciplineLevel>")]
    pub level: DisciplineLevel,
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
    pub decision_no: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct InitiativeRow {
    pub id: i64,
    pub name: String,
    pub year: i64,
    #[sqlx(try_from = "crate::Name<Reach>")]
    pub reach: Reach,
    #[sqlx(try_from = "crate::NullableName<Award>")]
    pub used_for: Option<Award>,
}

/// Leave (`maternity`, `other`) or an investigation (`investigation`).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PeriodRow {
    pub id: i64,
    pub kind: String,
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
}

/// Everything stored about one recipient.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordRows {
    pub ratings: Vec<RatingRow>,
    pub titles: Vec<TitleRow>,
    pub disciplines: Vec<DisciplineRow>,
    pub initiatives: Vec<InitiativeRow>,
    pub periods: Vec<PeriodRow>,
}

impl RecordRows {
    /// The engine's record of a recipient of `kind`, without members.
    pub fn to_record(&self, kind: RecipientKind, woman: bool) -> Record {
        let mut r = Record::new(kind);
        r.woman = woman;
        for x in &self.ratings {
            let year = x.year as i32;
            r.ratings.insert(year, x.rating);
            if x.in_emulation {
                r.emulation_years.insert(year);
            }
        }
        r.titles = self.titles.iter().map(|t| Held { award: t.award, year: t.year as i32 }).collect();
        r.disciplines =
            self.disciplines.iter().map(|d| Discipline { level: d.level, period: Period::new(d.from_day, d.to_day) }).collect();
        r.initiatives = self
            .initiatives
            .iter()
            .map(|i| Initiative { name: i.name.clone(), year: i.year as i32, reach: i.reach, used_for: i.used_for })
            .collect();
        for p in &self.periods {
            let period = Period::new(p.from_day, p.to_day);
            match LeaveKind::parse(&p.kind) {
                Some(kind) => r.leaves.push(Leave { kind, period }),
                None => r.investigations.push(period),
            }
        }
        r
    }
}

/// Stored names decoded into the engine's enums (as `names!` does at the crate root).
macro_rules! stored_names {
    ($($t:ty),+) => {$(
        impl From<crate::Name<$t>> for $t {
            fn from(n: crate::Name<$t>) -> $t {
                n.0
            }
        }
        impl From<crate::NullableName<$t>> for Option<$t> {
            fn from(n: crate::NullableName<$t>) -> Option<$t> {
                n.0
            }
        }
    )+};
}
stored_names!(RecipientKind, Rating, Award, DisciplineLevel, Reach);
stored_names!(
    danvan_domain::emulation::models::ModelField,
    danvan_domain::emulation::models::ModelKind,
    danvan_domain::emulation::models::Criterion,
    danvan_domain::emulation::models::Recognition
);
stored_names!(NominationStatus, CouncilStatus, BallotMode, DecisionStatus, AwardKind, AwardLevel);

pub(crate) const RECIPIENT: &str =
    "SELECT r.id, r.kind, r.name, r.unit_id, u.name AS unit_name, u.code AS unit_code, u.path AS unit_path,
    r.woman, r.account_id FROM emulation_recipients r JOIN units u ON u.id = r.unit_id";

impl Store {
    pub async fn emulation_recipient(&self, id: i64) -> Result<Option<RecipientRow>> {
        let sql = format!("{RECIPIENT} WHERE r.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RecipientRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The recipients of the units whose paths start with one of `paths` (a unit's subtree), and
    /// those linked to `account`, by unit then name.
    pub async fn emulation_recipients(&self, paths: &[String], account: Option<i64>) -> Result<Vec<RecipientRow>> {
        let mut rows = Vec::new();
        for path in paths {
            let sql = format!("{RECIPIENT} WHERE u.path LIKE $1 ORDER BY u.name_sort, r.name LIMIT 1000");
            let like = format!("{path}%");
            let found: Vec<RecipientRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, RecipientRow>(&sql).bind(&like).fetch_all(p).await?);
            rows.extend(found);
        }
        if let Some(a) = account {
            let sql = format!("{RECIPIENT} WHERE r.account_id = $1");
            let own: Vec<RecipientRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, RecipientRow>(&sql).bind(a).fetch_all(p).await?);
            rows.extend(own);
        }
        let mut seen = std::collections::HashSet::new();
        rows.retain(|r| seen.insert(r.id));
        Ok(rows)
    }

    /// The recipient of this kind and name in a unit.
    pub async fn emulation_recipient_named(&self, unit_id: i64, kind: RecipientKind, name: &str) -> Result<Option<RecipientRow>> {
        let sql = format!("{RECIPIENT} WHERE r.unit_id = $1 AND r.kind = $2 AND r.name = $3");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RecipientRow>(&sql)
            .bind(unit_id)
            .bind(kind.as_str())
            .bind(name)
            .fetch_optional(p)
            .await?))
    }

    pub async fn emulation_record_rows(&self, id: i64) -> Result<RecordRows> {
        on_pool!(self, read, |p| {
            let ratings = sqlx::query_as::<_, RatingRow>(
                "SELECT year, rating, in_emulation FROM emulation_ratings WHERE recipient_id = $1 ORDER BY year",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let titles = sqlx::query_as::<_, TitleRow>(
                "SELECT id, award, year, decision_no, decided_on, issuer, recipient_name, unit_name FROM emulation_titles WHERE recipient_id = $1
                 ORDER BY year, id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let disciplines = sqlx::query_as::<_, DisciplineRow>(
                "SELECT id, level, from_day, to_day, decision_no FROM emulation_disciplines WHERE recipient_id = $1
                 ORDER BY from_day, id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let initiatives = sqlx::query_as::<_, InitiativeRow>(
                "SELECT id, name, year, reach, used_for FROM emulation_initiatives WHERE recipient_id = $1 ORDER BY year, id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let periods = sqlx::query_as::<_, PeriodRow>(
                "SELECT id, kind, from_day, to_day FROM emulation_periods WHERE recipient_id = $1 ORDER BY from_day, id",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            Ok(RecordRows { ratings, titles, disciplines, initiatives, periods })
        })
    }

    /// The members of a collective in `year`.
    pub async fn emulation_members(&self, collective: i64, year: i32) -> Result<Vec<RecipientRow>> {
        let sql = format!(
            "{RECIPIENT} JOIN emulation_members m ON m.member_id = r.id WHERE m.collective_id = $1 AND m.year = $2 ORDER BY r.name"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, RecipientRow>(&sql)
            .bind(collective)
            .bind(i64::from(year))
            .fetch_all(p)
            .await?))
    }

    /// The engine's record of a recipient, judged for `year`: a collective's record carries its
    /// members of that year, each with their own record, and the records of the collectives of
    /// the dissolved units its unit succeeds (`Record::predecessors`; the engine continues from
    /// them, `Record::continued`). A person keeps their own record through a dissolution: it
    /// stays theirs, under the unit they had, and is not merged into anyone's.
    pub async fn emulation_engine_record(&self, recipient: &RecipientRow, year: i32) -> Result<Record> {
        let mut record = self.emulation_record_rows(recipient.id).await?.to_record(recipient.kind, recipient.woman);
        if recipient.kind == RecipientKind::Collective {
            for m in self.emulation_members(recipient.id, year).await? {
                record.members.push(self.emulation_record_rows(m.id).await?.to_record(m.kind, m.woman));
            }
            record.predecessors = self.emulation_predecessors(recipient.unit_id, 0).await?;
        }
        Ok(record)
    }
}
