//! Rewrites the search text of the cases written under an older recipe (migration 34: the
//! address joined the title and description), a batch at a time, from the background job.

use crate::{Result, Store};
use danvan_domain::cases::{search_text, SEARCH_VERSION};

impl Store {
    /// Rewrites up to `batch` stale rows' search text; returns how many (0: none left). The
    /// partial index of stale rows makes the check cheap once all are done.
    pub async fn refresh_case_search(&self, batch: i64) -> Result<u64> {
        let rows: Vec<(i64, String, String, String)> = on_pool!(self, read, |p| sqlx::query_as(
            "SELECT id, title, description, address FROM cases WHERE search_version < $1 ORDER BY id LIMIT $2"
        )
        .bind(SEARCH_VERSION)
        .bind(batch)
        .fetch_all(p)
        .await?);
        if rows.is_empty() {
            return Ok(0);
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for (id, title, description, address) in &rows {
                sqlx::query("UPDATE cases SET search_text = $1, search_version = $2 WHERE id = $3")
                    .bind(search_text(title, description, address))
                    .bind(SEARCH_VERSION)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(rows.len() as u64)
    }

    /// Sets a case's search text and recipe version as an older release wrote them (tests of the
    /// rewrite).
    #[doc(hidden)]
    pub async fn set_case_search_for_test(&self, id: i64, text: &str, version: i64) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE cases SET search_text = $1, search_version = $2 WHERE id = $3")
                .bind(text)
                .bind(version)
                .bind(id)
                .execute(p)
                .await?;
        });
        Ok(())
    }
}
