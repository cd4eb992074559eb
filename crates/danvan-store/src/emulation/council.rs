//! Nomination lists (hồ sơ đề nghị) and the council (Hội đồng thi đua – khen thưởng): the names
//! with the engine's verdict, the council's members, its secret ballot and the count. Who has
//! voted and what was voted are two tables written in one transaction; the votes carry a random
//! ballot key stored nowhere else, so no vote can be linked to its voter.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::emulation::{Award, BallotMode, CouncilStatus, NominationStatus, RecipientKind, VoteChoice};
use danvan_domain::FieldErrors;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct NominationRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub year: i64,
    pub title: String,
    #[sqlx(try_from = "crate::Name<NominationStatus>")]
    pub status: NominationStatus,
    pub created_at: DateTime<Utc>,
}

impl NominationRow {
    pub fn unit_ancestry(&self) -> Vec<danvan_domain::UnitId> {
        crate::org::units::path_ids(&self.unit_path)
    }
}

/// One name on a list, with the council's count once closed.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ItemRow {
    pub id: i64,
    pub recipient_id: i64,
    pub recipient_name: String,
    #[sqlx(try_from = "crate::Name<RecipientKind>")]
    pub recipient_kind: RecipientKind,
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    pub eligible: bool,
    pub justification: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CouncilRow {
    pub id: i64,
    pub nomination_id: i64,
    pub meeting_on: NaiveDate,
    pub quorum: i64,
    #[sqlx(try_from = "crate::Name<BallotMode>")]
    pub mode: BallotMode,
    #[sqlx(try_from = "crate::Name<CouncilStatus>")]
    pub status: CouncilStatus,
}

/// A council as constituted: its meeting, quorum, how it votes and its members (accounts).
#[derive(Debug, Clone)]
pub struct NewCouncil {
    pub meeting_on: NaiveDate,
    pub quorum: i64,
    pub mode: BallotMode,
    pub members: Vec<i64>,
}

/// The council's count of one name.
#[derive(Debug, Clone, Copy)]
pub struct ItemCount {
    pub item_id: i64,
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
    pub passed: bool,
}

const NOMINATION: &str = "SELECT n.id, n.unit_id, u.name AS unit_name, u.path AS unit_path, n.year, n.title, n.status,
    n.created_at FROM emulation_nominations n JOIN units u ON u.id = n.unit_id";

fn conflict(key: &str) -> StoreError {
    StoreError::Invalid(FieldErrors::one("status", key))
}

impl Store {
    pub async fn create_nomination(&self, ctx: &AuditCtx, unit_id: i64, year: i32, title: &str) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_nominations (unit_id, year, title, status, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(unit_id)
            .bind(i64::from(year))
            .bind(title)
            .bind(NominationStatus::Draft.as_str())
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            let changes = Changes::new().field("year", None, Some(year)).field("unit_id", None, Some(unit_id));
            audit!(tx, ctx, "emulation.nomination.create", "emulation_nomination", Some(id), title, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn nomination(&self, id: i64) -> Result<Option<NominationRow>> {
        let sql = format!("{NOMINATION} WHERE n.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, NominationRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The lists of the units whose paths start with one of `paths`, newest first.
    pub async fn nominations(&self, paths: &[String]) -> Result<Vec<NominationRow>> {
        let mut rows = Vec::new();
        for path in paths {
            let sql = format!("{NOMINATION} WHERE u.path LIKE $1 ORDER BY n.year DESC, n.id DESC LIMIT 500");
            let like = format!("{path}%");
            let found: Vec<NominationRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, NominationRow>(&sql).bind(&like).fetch_all(p).await?);
            rows.extend(found);
        }
        let mut seen = std::collections::HashSet::new();
        rows.retain(|r| seen.insert(r.id));
        Ok(rows)
    }

    pub async fn nomination_items(&self, nomination: i64) -> Result<Vec<ItemRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, ItemRow>(
            "SELECT i.id, i.recipient_id, r.name AS recipient_name, r.kind AS recipient_kind, i.award, i.eligible,
                i.justification, i.votes_for, i.votes_against, i.votes_abstain, i.passed
             FROM emulation_nomination_items i JOIN emulation_recipients r ON r.id = i.recipient_id
             WHERE i.nomination_id = $1 ORDER BY r.kind, r.name, i.id",
        )
        .bind(nomination)
        .fetch_all(p)
        .await?))
    }

    /// Puts a name on a draft list (refused once submitted, or twice for the same award).
    pub async fn add_nomination_item(
        &self,
        ctx: &AuditCtx,
        nomination: i64,
        recipient: i64,
        award: Award,
        eligible: bool,
        justification: Option<&str>,
    ) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let draft: Option<(i64,)> = sqlx::query_as("SELECT id FROM emulation_nominations WHERE id = $1 AND status = $2")
                .bind(nomination)
                .bind(NominationStatus::Draft.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if draft.is_none() {
                return Err(conflict("emulation.nomination.error.not_draft"));
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_nomination_items (nomination_id, recipient_id, award, eligible, justification)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (nomination_id, recipient_id, award) DO NOTHING RETURNING id",
            )
            .bind(nomination)
            .bind(recipient)
            .bind(award.as_str())
            .bind(eligible)
            .bind(justification)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Invalid(FieldErrors::one("recipient", "emulation.nomination.error.duplicate")))?;
            let changes = Changes::new()
                .field("recipient_id", None, Some(recipient))
                .field("award", None, Some(award.as_str()))
                .field("eligible", None, Some(eligible))
                .field("justification", None, justification);
            audit!(tx, ctx, "emulation.nomination.item", "emulation_nomination", Some(nomination), award.as_str(), changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Submits a draft list to a council constituted for it, in one transaction.
    pub async fn submit_to_council(&self, ctx: &AuditCtx, nomination: i64, c: &NewCouncil) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let done = sqlx::query("UPDATE emulation_nominations SET status = $1 WHERE id = $2 AND status = $3")
                .bind(NominationStatus::Submitted.as_str())
                .bind(nomination)
                .bind(NominationStatus::Draft.as_str())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(conflict("emulation.nomination.error.not_draft"));
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_councils (nomination_id, meeting_on, quorum, mode, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(nomination)
            .bind(c.meeting_on)
            .bind(c.quorum)
            .bind(c.mode.as_str())
            .bind(CouncilStatus::Open.as_str())
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            for m in &c.members {
                sqlx::query(
                    "INSERT INTO emulation_council_members (council_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(*m)
                .execute(&mut *tx)
                .await?;
            }
            let changes = Changes::new()
                .field("meeting_on", None, Some(c.meeting_on.to_string()))
                .field("quorum", None, Some(c.quorum))
                .field("members", None, Some(c.members.len() as i64))
                .field("mode", None, Some(c.mode.as_str()));
            audit!(tx, ctx, "emulation.council.create", "emulation_council", Some(id), &nomination.to_string(), changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn council(&self, id: i64) -> Result<Option<CouncilRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CouncilRow>(
            "SELECT id, nomination_id, meeting_on, quorum, mode, status FROM emulation_councils WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?))
    }

    pub async fn council_of(&self, nomination: i64) -> Result<Option<CouncilRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CouncilRow>(
            "SELECT id, nomination_id, meeting_on, quorum, mode, status FROM emulation_councils WHERE nomination_id = $1"
        )
        .bind(nomination)
        .fetch_optional(p)
        .await?))
    }

    /// The members (account id, full name) and whether each has voted.
    pub async fn council_members(&self, council: i64) -> Result<Vec<(i64, String, bool)>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, (i64, String, bool)>(
            "SELECT a.id, a.full_name, EXISTS (SELECT 1 FROM emulation_council_voters v
                 WHERE v.council_id = m.council_id AND v.account_id = m.account_id)
             FROM emulation_council_members m JOIN accounts a ON a.id = m.account_id
             WHERE m.council_id = $1 ORDER BY a.full_name"
        )
        .bind(council)
        .fetch_all(p)
        .await?))
    }

    /// Casts one member's secret ballot: the member is marked as having voted and the votes are
    /// stored under a fresh random key, in one transaction; a second ballot is refused.
    pub async fn cast_ballot(&self, ctx: &AuditCtx, council: i64, member: i64, votes: &[(i64, VoteChoice)]) -> Result<()> {
        let ballot = {
            use rand::RngCore;
            let mut b = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut b);
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        };
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let open: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM emulation_councils WHERE id = $1 AND status = $2 AND mode = $3")
                    .bind(council)
                    .bind(CouncilStatus::Open.as_str())
                    .bind(BallotMode::Secret.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if open.is_none() {
                return Err(conflict("emulation.council.error.closed"));
            }
            let first = sqlx::query(
                "INSERT INTO emulation_council_voters (council_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(council)
            .bind(member)
            .execute(&mut *tx)
            .await?;
            if first.rows_affected() == 0 {
                return Err(conflict("emulation.council.error.voted"));
            }
            for (item, choice) in votes {
                sqlx::query("INSERT INTO emulation_council_votes (council_id, ballot, item_id, choice) VALUES ($1, $2, $3, $4)")
                    .bind(council)
                    .bind(&ballot)
                    .bind(*item)
                    .bind(choice.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            // The audit entry says that a member voted, never how.
            audit!(tx, ctx, "emulation.council.vote", "emulation_council", Some(council), "", Changes::new());
            tx.commit().await?;
            Ok(())
        })
    }

    /// The secret ballot's votes per name: (item id, choice, count).
    pub async fn council_tally(&self, council: i64) -> Result<Vec<(i64, VoteChoice, i64)>> {
        let rows: Vec<(i64, String, i64)> = on_pool!(self, read, |p| sqlx::query_as(
            "SELECT item_id, choice, COUNT(*) FROM emulation_council_votes WHERE council_id = $1 GROUP BY item_id, choice"
        )
        .bind(council)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(|(i, c, n)| Ok((i, VoteChoice::try_from(c).map_err(StoreError::Corrupt)?, n))).collect()
    }

    /// The anonymous votes as stored: (ballot key, item id, choice) — nothing names a voter.
    pub async fn council_ballots(&self, council: i64) -> Result<Vec<(String, i64, VoteChoice)>> {
        let rows: Vec<(String, i64, String)> = on_pool!(self, read, |p| sqlx::query_as(
            "SELECT ballot, item_id, choice FROM emulation_council_votes WHERE council_id = $1 ORDER BY ballot, item_id"
        )
        .bind(council)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(|(b, i, c)| Ok((b, i, VoteChoice::try_from(c).map_err(StoreError::Corrupt)?))).collect()
    }

    /// Closes the ballot with the count of each name, in one transaction.
    pub async fn close_council(&self, ctx: &AuditCtx, council: i64, counts: &[ItemCount]) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let done = sqlx::query("UPDATE emulation_councils SET status = $1 WHERE id = $2 AND status = $3")
                .bind(CouncilStatus::Closed.as_str())
                .bind(council)
                .bind(CouncilStatus::Open.as_str())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(conflict("emulation.council.error.closed"));
            }
            for c in counts {
                sqlx::query(
                    "UPDATE emulation_nomination_items SET votes_for = $1, votes_against = $2, votes_abstain = $3, passed = $4
                     WHERE id = $5",
                )
                .bind(c.votes_for)
                .bind(c.against)
                .bind(c.abstain)
                .bind(c.passed)
                .bind(c.item_id)
                .execute(&mut *tx)
                .await?;
            }
            let passed = counts.iter().filter(|c| c.passed).count() as i64;
            let changes = Changes::new().field("passed", None, Some(passed)).field("names", None, Some(counts.len() as i64));
            audit!(tx, ctx, "emulation.council.close", "emulation_council", Some(council), "", changes);
            tx.commit().await?;
            Ok(())
        })
    }
}
