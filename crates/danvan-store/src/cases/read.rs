//! One case and what hangs on it: by id, code or private link; its contact, history, pauses and answer.

use super::*;

impl Store {
    pub async fn get_case(&self, id: i64) -> Result<CaseRow> {
        let sql = format!("SELECT {CASE_COLS} FROM cases WHERE id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, CaseRow>(&sql).bind(id).fetch_optional(p).await?.ok_or(StoreError::NotFound))
    }

    pub async fn get_case_by_code(&self, code: &str) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLS} FROM cases WHERE code = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(code.trim().to_uppercase())
            .fetch_optional(p)
            .await?))
    }

    /// The case a tracking link opens, when its secret matches: the link given at intake, or
    /// one carried by a message with the answer (`case_links`).
    pub async fn case_by_secret(&self, code: &str, secret: &str) -> Result<Option<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases WHERE code = $1
               AND (secret_hash = $2 OR id IN (SELECT case_id FROM case_links WHERE secret_hash = $2))"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(code.trim().to_uppercase())
            .bind(hash_token(secret.trim()))
            .fetch_optional(p)
            .await?))
    }

    /// The sender's personal data: only for callers that were authorised to see it.
    pub async fn case_contact(&self, id: i64) -> Result<Contact> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Contact>(
            "SELECT name, phone, email, address, zalo FROM case_contacts WHERE case_id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        .unwrap_or_default()))
    }

    pub async fn case_events(&self, id: i64, public_only: bool) -> Result<Vec<CaseEvent>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, CaseEvent>(
            "SELECT id, case_id, at, actor_label, action, from_status, to_status, note, public FROM case_events WHERE case_id = $1 AND (public OR NOT $2) ORDER BY id"
        )
        .bind(id)
        .bind(public_only)
        .fetch_all(p)
        .await?)
        })
    }

    pub async fn case_pauses(&self, id: i64) -> Result<Vec<(NaiveDate, Option<NaiveDate>)>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, (NaiveDate, Option<NaiveDate>)>(
            "SELECT from_on, to_on FROM case_pauses WHERE case_id = $1 ORDER BY id"
        )
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    pub async fn answer(&self, case_id: i64) -> Result<Option<Answer>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, Answer>(
            "SELECT case_id, body, register_no, drafted_at, approved_at, sent_at, approved_by FROM case_answers WHERE case_id = $1"
        )
        .bind(case_id)
        .fetch_optional(p)
        .await?)
        })
    }

    /// The cases that concern an account and that it must therefore never see listed: it is the
    /// person a denunciation concerns, or works (`units`: every unit on the paths of its
    /// memberships) in the unit concerned or below it. Few rows; read through partial indexes.
    pub async fn cases_concerning(&self, account: i64, units: &[UnitId]) -> Result<Vec<i64>> {
        // Unit ids are integers, inlined like the filters' id lists.
        let list =
            if units.is_empty() { "NULL".to_string() } else { units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(",") };
        let sql = format!(
            "SELECT id FROM cases WHERE concerned_account_id = $1 UNION SELECT id FROM cases WHERE concerned_unit_id IN ({list})"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(&sql).bind(account).fetch_all(p).await?))
    }

    /// The answers sent of the cases `ids` (the Excel export): case id → (body, register number).
    pub async fn sent_answers(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, (String, Option<String>)>> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql =
                format!("SELECT case_id, body, register_no FROM case_answers WHERE sent_at IS NOT NULL AND case_id IN ({list})");
            let rows = on_pool!(self, read, |p| sqlx::query_as::<_, (i64, String, Option<String>)>(&sql).fetch_all(p).await?);
            out.extend(rows.into_iter().map(|(id, body, no)| (id, (body, no))));
        }
        Ok(out)
    }
}
