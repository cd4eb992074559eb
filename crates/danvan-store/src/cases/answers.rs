//! Answers: drafts, sign-off with the register number and sending as single steps (demo data,
//! tests; transitions do them in `apply_case_change`), the citizen's rating, the public figures.

use super::*;

impl Store {
    /// Saves the answer draft (replacing an earlier, unapproved one).
    pub async fn save_answer_draft(&self, ctx: &AuditCtx, case_id: i64, body: &str, at: DateTime<Utc>) -> Result<()> {
        let body = text::clean_multiline(body);
        if body.chars().count() < 10 {
            return Err(
                FieldErrors::one("answer", if body.is_empty() { "error.required" } else { "case.error.answer_short" }).into()
            );
        }
        crate::fault::point();
        on_pool!(self, write, |p| {
            sqlx::query(
                "INSERT INTO case_answers (case_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at,
                   register_no = NULL, approved_by = NULL, approved_at = NULL, sent_at = NULL",
            )
            .bind(case_id)
            .bind(&body)
            .bind(ctx.actor_id)
            .bind(at)
            .execute(p)
            .await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// ký duyệt: numbers the answer in the unit's register for the year ("12/UBND-TL").
    pub async fn approve_answer(&self, ctx: &AuditCtx, case_id: i64, unit: &crate::Unit, at: DateTime<Utc>) -> Result<String> {
        let symbol = self.answer_symbol(unit).await?;
        let unit_id = unit.id;
        let year = at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year() as i64;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let n: i64 = sqlx::query_scalar(
                "INSERT INTO answer_registers (unit_id, year, last) VALUES ($1, $2, 1) ON CONFLICT (unit_id, year) DO UPDATE SET last = answer_registers.last + 1 RETURNING last",
            )
            .bind(unit_id)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            crate::fault::point();
            let no = danvan_domain::cases::answer_number::answer_number(n, &symbol, unit.kind);
            sqlx::query("UPDATE case_answers SET register_no = $1, approved_by = $2, approved_at = $3 WHERE case_id = $4")
                .bind(&no)
                .bind(ctx.actor_id)
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            crate::fault::point();
            tx.commit().await?;
            crate::fault::point();
            Ok(no)
        })
    }

    pub async fn mark_answer_sent(&self, case_id: i64, at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE case_answers SET sent_at = $1 WHERE case_id = $2").bind(at).bind(case_id).execute(p).await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// The citizen's rating of the answer (1–5 and a comment); a later rating replaces it.
    pub async fn rate_case(&self, case_id: i64, rating: u8, comment: &str, at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE cases SET rating = $1, rating_comment = $2, updated_at = $3 WHERE id = $4")
                .bind(rating as i64)
                .bind(text::clean_multiline(comment))
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO case_events (case_id, at, actor_label, action, note, public) VALUES ($1, $2, 'citizen', 'rate', $3, TRUE)")
                .bind(case_id)
                .bind(at)
                .bind(format!("{rating}/5"))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Public figures of a unit's subtree: received, answered, answered on time, median working
    /// days is computed by the caller from `answer_days`; satisfaction average.
    pub async fn case_stats(&self, within: UnitId) -> Result<CaseStats> {
        let path = self.get_unit(within).await?.path;
        // "On time" compares the Vietnamese calendar day of the answer with the due date.
        let answered_day = self.vn_date_sql("answered_at");
        let sql = format!(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND resolve_due IS NOT NULL
                             AND {answered_day} <= resolve_due THEN 1 ELSE 0 END), 0),
                    AVG(CAST(rating AS DOUBLE PRECISION)),
                    COALESCE(SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END), 0)
             FROM cases WHERE unit_path >= $1 AND unit_path < ($1 || '~') AND NOT identity_protected"
        );
        on_pool!(self, read, |p| {
            let row: (i64, i64, i64, Option<f64>, i64) = sqlx::query_as(&sql).bind(&path).fetch_one(p).await?;
            let answered: Vec<(NaiveDate, DateTime<Utc>)> = sqlx::query_as(
                "SELECT received_on, answered_at FROM cases WHERE unit_path >= $1 AND unit_path < ($1 || '~') AND answered_at IS NOT NULL AND NOT identity_protected ORDER BY id DESC LIMIT 5000",
            )
            .bind(&path)
            .fetch_all(p)
            .await?;
            Ok(CaseStats {
                received: row.0,
                answered: row.1,
                on_time: row.2,
                satisfaction: row.3,
                ratings: row.4,
                answered_dates: answered,
            })
        })
    }

    /// The symbol the unit writes after an answer's number: its own, or the default by its kind.
    pub async fn answer_symbol(&self, unit: &crate::Unit) -> Result<String> {
        let own = self.own_answer_symbol(unit.id).await?;
        Ok(own.unwrap_or_else(|| danvan_domain::cases::answer_number::default_answer_symbol(unit.kind)))
    }

    /// The symbol the unit has set, if any.
    pub async fn own_answer_symbol(&self, unit_id: i64) -> Result<Option<String>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_scalar("SELECT symbol FROM unit_answer_symbols WHERE unit_id = $1")
                .bind(unit_id)
                .fetch_optional(p)
                .await?)
        })
    }

    /// Sets (or with `None` clears) the unit's symbol, with its audit entry, in one transaction.
    pub async fn set_answer_symbol(&self, ctx: &AuditCtx, unit: &crate::Unit, symbol: Option<&str>) -> Result<()> {
        let old = self.own_answer_symbol(unit.id).await?;
        let changes = crate::Changes::new().field("answer_symbol", old.as_deref(), symbol);
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM unit_answer_symbols WHERE unit_id = $1").bind(unit.id).execute(&mut *tx).await?;
            if let Some(s) = symbol {
                sqlx::query("INSERT INTO unit_answer_symbols (unit_id, symbol) VALUES ($1, $2)")
                    .bind(unit.id)
                    .bind(s)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, ctx, "unit.answer_symbol", "unit", Some(unit.id), &unit.name, changes);
            tx.commit().await?;
            Ok::<_, crate::StoreError>(())
        })?;
        Ok(())
    }
}
