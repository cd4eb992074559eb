//! Decisions on commendation: drafted from a council's result (or as the amendment of an issued
//! decision), then issued with a number taken from the register of the issuing unit for the year,
//! inside the same transaction that writes the awards on the records (`emulation_titles`). An
//! issued decision is never updated: every write below is guarded by `status = 'draft'`.

use crate::audit::{AuditCtx, Changes};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use danvan_domain::emulation::{decision_number, Award, AwardKind, AwardLevel, DecisionStatus, Numbered, RecipientKind};
use danvan_domain::{FieldErrors, UnitKind};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DecisionRow {
    pub id: i64,
    pub issuer_id: i64,
    pub issuer_name: String,
    #[sqlx(try_from = "crate::Name<UnitKind>")]
    pub issuer_kind: UnitKind,
    #[serde(skip)]
    pub issuer_path: String,
    pub nomination_id: Option<i64>,
    pub amends_id: Option<i64>,
    #[sqlx(try_from = "crate::Name<DecisionStatus>")]
    pub status: DecisionStatus,
    pub year: Option<i64>,
    pub number: Option<i64>,
    pub number_text: Option<String>,
    pub decided_on: NaiveDate,
    pub place: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
    pub award_year: i64,
    pub issued_at: Option<DateTime<Utc>>,
}

impl DecisionRow {
    pub fn issuer_ancestry(&self) -> Vec<danvan_domain::UnitId> {
        crate::org::units::path_ids(&self.issuer_path)
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DecisionAwardRow {
    pub recipient_id: i64,
    pub recipient_name: String,
    #[sqlx(try_from = "crate::Name<RecipientKind>")]
    pub recipient_kind: RecipientKind,
    pub unit_name: String,
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    pub amount: Option<i64>,
    /// The certificate's number in the issuer's register for the year, once issued.
    pub certificate_no: Option<i64>,
}

/// One row of the award catalogue.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CatalogueRow {
    #[sqlx(try_from = "crate::Name<Award>")]
    pub award: Award,
    #[sqlx(try_from = "crate::Name<AwardKind>")]
    pub kind: AwardKind,
    #[sqlx(try_from = "crate::Name<AwardLevel>")]
    pub level: AwardLevel,
    /// Comma-separated recipient kinds.
    pub recipients: String,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

/// The header of a decision as drafted or corrected while a draft.
#[derive(Debug, Clone)]
pub struct DecisionHeader {
    pub decided_on: NaiveDate,
    pub place: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
}

#[derive(Debug, Clone)]
pub struct NewDecision {
    pub issuer_id: i64,
    pub nomination_id: Option<i64>,
    pub amends_id: Option<i64>,
    pub award_year: i32,
    pub header: DecisionHeader,
    /// (recipient, award, amount in đồng)
    pub awards: Vec<(i64, Award, Option<i64>)>,
}

const DECISION: &str = "SELECT d.id, d.issuer_id, u.name AS issuer_name, u.kind AS issuer_kind, u.path AS issuer_path,
    d.nomination_id, d.amends_id, d.status, d.year, d.number, d.number_text, d.decided_on, d.place, d.subject,
    d.signer_name, d.signer_title, d.award_year, d.issued_at FROM emulation_decisions d JOIN units u ON u.id = d.issuer_id";

fn issued() -> StoreError {
    StoreError::Invalid(FieldErrors::one("status", "emulation.decision.error.issued"))
}

/// The next number of an issuer's register for the year (decisions or certificates), taken in the
/// transaction `tx`, so two documents never share one. A macro: the transaction's type is each
/// backend's.
macro_rules! next_number {
    ($tx:ident, $issuer:expr, $year:expr, $numbered:expr) => {{
        let (n,): (i64,) = sqlx::query_as(
            "INSERT INTO emulation_number_register (issuer_id, year, numbered, last_no) VALUES ($1, $2, $3, 1)
             ON CONFLICT (issuer_id, year, numbered) DO UPDATE SET last_no = emulation_number_register.last_no + 1
             RETURNING last_no",
        )
        .bind($issuer)
        .bind($year)
        .bind($numbered.as_str())
        .fetch_one(&mut *$tx)
        .await?;
        n
    }};
}

impl Store {
    pub async fn award_catalogue(&self) -> Result<Vec<CatalogueRow>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CatalogueRow>(
            "SELECT award, kind, level, recipients, effective_from, effective_to FROM emulation_award_catalogue ORDER BY award"
        )
        .fetch_all(p)
        .await?))
    }

    pub async fn create_decision(&self, ctx: &AuditCtx, d: &NewDecision) -> Result<i64> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let h = &d.header;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO emulation_decisions (issuer_id, nomination_id, amends_id, status, decided_on, place, subject,
                    signer_name, signer_title, award_year, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(d.issuer_id)
            .bind(d.nomination_id)
            .bind(d.amends_id)
            .bind(DecisionStatus::Draft.as_str())
            .bind(h.decided_on)
            .bind(&h.place)
            .bind(&h.subject)
            .bind(&h.signer_name)
            .bind(&h.signer_title)
            .bind(i64::from(d.award_year))
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            for (recipient, award, amount) in &d.awards {
                sqlx::query(
                    "INSERT INTO emulation_decision_awards (decision_id, recipient_id, award, amount) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(*recipient)
                .bind(award.as_str())
                .bind(*amount)
                .execute(&mut *tx)
                .await?;
            }
            let changes = Changes::new()
                .field("nomination_id", None, d.nomination_id)
                .field("amends_id", None, d.amends_id)
                .field("awards", None, Some(d.awards.len() as i64));
            audit!(tx, ctx, "emulation.decision.create", "emulation_decision", Some(id), &h.subject, changes);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Corrects a draft's header; an issued decision is refused (`status`).
    pub async fn update_decision_draft(&self, ctx: &AuditCtx, id: i64, h: &DecisionHeader) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE emulation_decisions SET decided_on = $1, place = $2, subject = $3, signer_name = $4, signer_title = $5
                 WHERE id = $6 AND status = $7",
            )
            .bind(h.decided_on)
            .bind(&h.place)
            .bind(&h.subject)
            .bind(&h.signer_name)
            .bind(&h.signer_title)
            .bind(id)
            .bind(DecisionStatus::Draft.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(issued());
            }
            let changes = Changes::new().field("subject", None, Some(&h.subject));
            audit!(tx, ctx, "emulation.decision.update", "emulation_decision", Some(id), &h.subject, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Issues a draft: takes the next number of the issuer's register for the year of its date,
    /// marks it issued, writes each award on its recipient's record (title, year, number, date,
    /// issuer) and the list as decided, all in one transaction. Returns the number as written.
    pub async fn issue_decision(&self, ctx: &AuditCtx, id: i64) -> Result<String> {
        let d = self.decision(id).await?.ok_or(StoreError::NotFound)?;
        let awards = self.decision_awards(id).await?;
        let year = i64::from(d.decided_on.year());
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let n = next_number!(tx, d.issuer_id, year, Numbered::Decision);
            let text = decision_number(n, d.issuer_kind);
            let done = sqlx::query(
                "UPDATE emulation_decisions SET status = $1, year = $2, number = $3, number_text = $4, issued_at = $5
                 WHERE id = $6 AND status = $7",
            )
            .bind(DecisionStatus::Issued.as_str())
            .bind(year)
            .bind(n)
            .bind(&text)
            .bind(Utc::now())
            .bind(id)
            .bind(DecisionStatus::Draft.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(issued());
            }
            // Each sheet gets the next number of the issuer's certificate register, in the
            // annex's order (the order they are printed in).
            let mut sheets: Vec<&DecisionAwardRow> = awards.iter().filter(|a| a.award.certificate().is_some()).collect();
            sheets.sort_by(|a, b| {
                (a.recipient_kind.annex_rank(), &a.recipient_name).cmp(&(b.recipient_kind.annex_rank(), &b.recipient_name))
            });
            for a in sheets {
                let n = next_number!(tx, d.issuer_id, year, Numbered::Certificate);
                sqlx::query("UPDATE emulation_decision_awards SET certificate_no = $1 WHERE decision_id = $2 AND recipient_id = $3 AND award = $4")
                    .bind(n)
                    .bind(id)
                    .bind(a.recipient_id)
                    .bind(a.award.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            for a in &awards {
                sqlx::query(
                    "INSERT INTO emulation_titles (recipient_id, award, year, decision_no, decided_on, issuer, recipient_name, unit_name)
                     VALUES ($1, $2, $3, $4, $5, $6, (SELECT name FROM emulation_recipients WHERE id = $1),
                        (SELECT u.name FROM emulation_recipients r JOIN units u ON u.id = r.unit_id WHERE r.id = $1))
                     ON CONFLICT (recipient_id, award, year) DO UPDATE SET decision_no = excluded.decision_no,
                        decided_on = excluded.decided_on, issuer = excluded.issuer",
                )
                .bind(a.recipient_id)
                .bind(a.award.as_str())
                .bind(d.award_year)
                .bind(&text)
                .bind(d.decided_on)
                .bind(&d.issuer_name)
                .execute(&mut *tx)
                .await?;
                let changes = Changes::new().field("entry", None, Some(format!("{}: {} ({text})", d.award_year, a.award)));
                audit!(tx, ctx, "emulation.title", "emulation_recipient", Some(a.recipient_id), &a.recipient_name, changes);
            }
            if let Some(n) = d.nomination_id {
                sqlx::query("UPDATE emulation_nominations SET status = 'decided' WHERE id = $1")
                    .bind(n)
                    .execute(&mut *tx)
                    .await?;
            }
            let changes = Changes::new().field("number", None, Some(&text));
            audit!(tx, ctx, "emulation.decision.issue", "emulation_decision", Some(id), &d.subject, changes);
            tx.commit().await?;
            Ok(text)
        })
    }

    pub async fn decision(&self, id: i64) -> Result<Option<DecisionRow>> {
        let sql = format!("{DECISION} WHERE d.id = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, DecisionRow>(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The decisions made on a list, and those amending them.
    pub async fn decisions_of(&self, nomination: i64) -> Result<Vec<DecisionRow>> {
        let sql = format!("{DECISION} WHERE d.nomination_id = $1 ORDER BY d.id");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, DecisionRow>(&sql).bind(nomination).fetch_all(p).await?))
    }

    /// The decisions of the units whose paths start with one of `paths`, newest first.
    pub async fn decisions(&self, paths: &[String]) -> Result<Vec<DecisionRow>> {
        let mut rows = Vec::new();
        for path in paths {
            let sql = format!("{DECISION} WHERE u.path LIKE $1 ORDER BY d.decided_on DESC, d.id DESC LIMIT 500");
            let like = format!("{path}%");
            let found: Vec<DecisionRow> =
                on_pool!(self, read, |p| sqlx::query_as::<_, DecisionRow>(&sql).bind(&like).fetch_all(p).await?);
            rows.extend(found);
        }
        let mut seen = std::collections::HashSet::new();
        rows.retain(|r| seen.insert(r.id));
        Ok(rows)
    }

    pub async fn decision_awards(&self, id: i64) -> Result<Vec<DecisionAwardRow>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, DecisionAwardRow>(
            "SELECT a.recipient_id, r.name AS recipient_name, r.kind AS recipient_kind, u.name AS unit_name, a.award, a.amount, a.certificate_no
             FROM emulation_decision_awards a JOIN emulation_recipients r ON r.id = a.recipient_id JOIN units u ON u.id = r.unit_id
             WHERE a.decision_id = $1 ORDER BY r.kind, r.name",
        )
        .bind(id)
        .fetch_all(p)
        .await?)
        })
    }
}
