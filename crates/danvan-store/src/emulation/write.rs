//! Writing emulation records: a new recipient, entries on a record, and an imported file, each
//! in one transaction with its audit entries (an import is all or nothing).

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{NaiveDate, Utc};
use danvan_domain::emulation::{Award, DisciplineLevel, Rating, Reach, RecipientKind};
use danvan_domain::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub kind: RecipientKind,
    pub name: String,
    pub unit_id: i64,
    pub woman: bool,
    pub account_id: Option<i64>,
}

/// One fact on a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The year's rating (replaces an earlier one for the year).
    Rating {
        year: i32,
        rating: Rating,
        in_emulation: bool,
    },
    /// A title or form received for the year's achievements (replaces the same award's entry).
    Title {
        award: Award,
        year: i32,
        decision_no: String,
        decided_on: NaiveDate,
        issuer: String,
    },
    Discipline {
        level: DisciplineLevel,
        from: NaiveDate,
        to: Option<NaiveDate>,
        decision_no: String,
    },
    Initiative {
        name: String,
        year: i32,
        reach: Reach,
        used_for: Option<Award>,
    },
    /// `maternity` or `other` leave, or an `investigation`.
    Period {
        kind: String,
        from: NaiveDate,
        to: Option<NaiveDate>,
    },
    /// A member of this collective in `year`.
    Member {
        member_id: i64,
        year: i32,
    },
}

impl Entry {
    pub fn action(&self) -> &'static str {
        match self {
            Entry::Rating { .. } => "emulation.rating",
            Entry::Title { .. } => "emulation.title",
            Entry::Discipline { .. } => "emulation.discipline",
            Entry::Initiative { .. } => "emulation.initiative",
            Entry::Period { .. } => "emulation.period",
            Entry::Member { .. } => "emulation.member",
        }
    }
    fn summary(&self) -> String {
        match self {
            Entry::Rating { year, rating, .. } => format!("{year}: {rating}"),
            Entry::Title { award, year, decision_no, .. } => format!("{year}: {award} ({decision_no})"),
            Entry::Discipline { level, from, .. } => format!("{level} {from}"),
            Entry::Initiative { name, year, reach, .. } => format!("{year}: {name} ({reach})"),
            Entry::Period { kind, from, .. } => format!("{kind} {from}"),
            Entry::Member { member_id, year } => format!("{year}: {member_id}"),
        }
    }
}

/// A recipient of an imported file (found by unit, kind and name, or created) and its entries.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub recipient: NewRecipient,
    pub entries: Vec<Entry>,
}

/// Runs inside a transaction `$tx`: writes `$e` on recipient `$id`, with its audit entry.
macro_rules! write_entry {
    ($tx:expr, $ctx:expr, $id:expr, $label:expr, $e:expr) => {{
        match $e {
            Entry::Rating { year, rating, in_emulation } => {
                sqlx::query(
                    "INSERT INTO emulation_ratings (recipient_id, year, rating, in_emulation) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (recipient_id, year) DO UPDATE SET rating = excluded.rating, in_emulation = excluded.in_emulation",
                )
                .bind($id)
                .bind(i64::from(*year))
                .bind(rating.as_str())
                .bind(*in_emulation)
                .execute(&mut *$tx)
                .await?;
            }
            Entry::Title { award, year, decision_no, decided_on, issuer } => {
                sqlx::query(
                    "INSERT INTO emulation_titles (recipient_id, award, year, decision_no, decided_on, issuer, recipient_name, unit_name)
                     VALUES ($1, $2, $3, $4, $5, $6, (SELECT name FROM emulation_recipients WHERE id = $1),
                        (SELECT u.name FROM emulation_recipients r JOIN units u ON u.id = r.unit_id WHERE r.id = $1))
                     ON CONFLICT (recipient_id, award, year) DO UPDATE SET decision_no = excluded.decision_no,
                        decided_on = excluded.decided_on, issuer = excluded.issuer",
                )
                .bind($id)
                .bind(award.as_str())
                .bind(i64::from(*year))
                .bind(decision_no)
                .bind(*decided_on)
                .bind(issuer)
                .execute(&mut *$tx)
                .await?;
            }
            Entry::Discipline { level, from, to, decision_no } => {
                sqlx::query(
                    "INSERT INTO emulation_disciplines (recipient_id, level, from_day, to_day, decision_no) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind($id)
                .bind(level.as_str())
                .bind(*from)
                .bind(*to)
                .bind(decision_no)
                .execute(&mut *$tx)
                .await?;
            }
            Entry::Initiative { name, year, reach, used_for } => {
                sqlx::query(
                    "INSERT INTO emulation_initiatives (recipient_id, name, year, reach, used_for) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind($id)
                .bind(name)
                .bind(i64::from(*year))
                .bind(reach.as_str())
                .bind(used_for.map(|a| a.as_str()))
                .execute(&mut *$tx)
                .await?;
            }
            Entry::Period { kind, from, to } => {
                sqlx::query("INSERT INTO emulation_periods (recipient_id, kind, from_day, to_day) VALUES ($1, $2, $3, $4)")
                    .bind($id)
                    .bind(kind)
                    .bind(*from)
                    .bind(*to)
                    .execute(&mut *$tx)
                    .await?;
            }
            Entry::Member { member_id, year } => {
                sqlx::query(
                    "INSERT INTO emulation_members (collective_id, member_id, year) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind($id)
                .bind(*member_id)
                .bind(i64::from(*year))
                .execute(&mut *$tx)
                .await?;
            }
        }
        let changes = Changes::new().field("entry", None, Some($e.summary()));
        audit!($tx, $ctx, $e.action(), "emulation_recipient", Some($id), $label, changes);
    }};
}

/// Runs inside a transaction `$tx`: the id of recipient `$r`, created if new.
macro_rules! find_or_create {
    ($tx:expr, $ctx:expr, $r:expr) => {{
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM emulation_recipients WHERE unit_id = $1 AND kind = $2 AND name = $3")
                .bind($r.unit_id)
                .bind($r.kind.as_str())
                .bind(&$r.name)
                .fetch_optional(&mut *$tx)
                .await?;
        match found {
            Some((id,)) => (id, false),
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO emulation_recipients (kind, name, unit_id, woman, account_id, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind($r.kind.as_str())
                .bind(&$r.name)
                .bind($r.unit_id)
                .bind($r.woman)
                .bind($r.account_id)
                .bind(Utc::now())
                .fetch_one(&mut *$tx)
                .await?;
                let changes = Changes::new().field("kind", None, Some($r.kind.as_str())).field("unit_id", None, Some($r.unit_id));
                audit!($tx, $ctx, "emulation.recipient.create", "emulation_recipient", Some(id), &$r.name, changes);
                (id, true)
            }
        }
    }};
}

impl Store {
    /// Creates a recipient; one of the same kind and name in the unit is refused (`name`).
    pub async fn create_emulation_recipient(&self, ctx: &AuditCtx, r: &NewRecipient) -> Result<i64> {
        if self.emulation_recipient_named(r.unit_id, r.kind, &r.name).await?.is_some() {
            return Err(StoreError::Invalid(FieldErrors::one("name", "emulation.error.duplicate")));
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (id, created) = find_or_create!(tx, ctx, r);
            if !created {
                return Err(StoreError::Invalid(FieldErrors::one("name", "emulation.error.duplicate")));
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Writes entries on one record, all or none.
    pub async fn add_emulation_entries(&self, ctx: &AuditCtx, recipient: i64, label: &str, entries: &[Entry]) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for e in entries {
                write_entry!(tx, ctx, recipient, label, e);
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Imports a file's items in one transaction: every recipient found or created, every entry
    /// written, or nothing. Returns (recipients created, entries written).
    pub async fn import_emulation(&self, ctx: &AuditCtx, items: &[ImportItem]) -> Result<(usize, usize)> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let (mut created, mut written) = (0, 0);
            for item in items {
                let (id, new) = find_or_create!(tx, ctx, item.recipient);
                created += usize::from(new);
                for e in &item.entries {
                    write_entry!(tx, ctx, id, &item.recipient.name, e);
                    written += 1;
                }
            }
            tx.commit().await?;
            Ok((created, written))
        })
    }
}
