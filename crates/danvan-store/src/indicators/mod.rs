//! The facts the indicator catalogue reads (`danvan_domain::indicators`): one row per case
//! handled in a unit's subtree and received in a period. The domain computes the indicators.

use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::indicators::CaseFact;

impl Store {
    /// One fact per case whose handling unit lies in the subtree at `path` ('/1/5/') and whose
    /// `received_on` is in `[from, to]`: the day it was received, the Vietnamese day of its
    /// answer, its resolution due date, its rating and whether it was ever reopened.
    pub async fn case_facts(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<CaseFact>> {
        let answered_day = self.vn_date_sql("c.answered_at");
        let sql = format!(
            "SELECT c.received_on, CASE WHEN c.answered_at IS NULL THEN NULL ELSE {answered_day} END, c.resolve_due, c.rating,
                    (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.action = 'reopen')
             FROM cases c WHERE c.unit_path >= $1 AND c.unit_path < ($1 || '~') AND c.received_on >= $2 AND c.received_on <= $3"
        );
        type Row = (NaiveDate, Option<NaiveDate>, Option<NaiveDate>, Option<i64>, i64);
        let rows: Vec<Row> =
            on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql).bind(path).bind(from).bind(to).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(received_on, answered_on, resolve_due, rating, reopens)| CaseFact {
                received_on,
                answered_on,
                resolve_due,
                rating: rating.and_then(|r| u8::try_from(r).ok()),
                reopened: reopens > 0,
            })
            .collect())
    }
}
