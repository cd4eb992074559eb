//! What the indicator catalogue reads (`danvan_domain::indicators`): the monthly counts the
//! triggers of migration 33 keep with every case change (`counts.rs`), and, for a period that is
//! not whole months, one fact per case handled in a unit's subtree and received in the period.
//! The domain computes the indicators from either.

mod counts;

pub use counts::*;

use crate::{Result, Store};
use chrono::NaiveDate;
use danvan_domain::indicators::CaseFact;

impl Store {
    /// One fact per case whose handling unit lies in the subtree at `path` ('/1/5/') and whose
    /// `received_on` is in `[from, to]`: the day it was received, the Vietnamese day of its
    /// answer and the working days it took, its resolution due date, its rating and whether it
    /// was ever reopened or transferred.
    pub async fn case_facts(&self, path: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<CaseFact>> {
        let answered_day = self.vn_date_sql("c.answered_at");
        let sql = format!(
            "SELECT c.received_on, CASE WHEN c.answered_at IS NULL THEN NULL ELSE {answered_day} END, c.answer_work_days, c.resolve_due, c.rating,
                    c.reopened, c.transferred
             FROM cases c WHERE c.unit_path >= $1 AND c.unit_path < ($1 || '~') AND c.received_on >= $2 AND c.received_on <= $3"
        );
        type Row = (NaiveDate, Option<NaiveDate>, Option<i64>, Option<NaiveDate>, Option<i64>, bool, bool);
        let rows: Vec<Row> =
            on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql).bind(path).bind(from).bind(to).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(received_on, answered_on, answer_days, resolve_due, rating, reopened, transferred)| CaseFact {
                received_on,
                answered_on,
                answer_days: answered_on.map(|_| answer_days.unwrap_or(0)),
                resolve_due,
                rating: rating.and_then(|r| u8::try_from(r).ok()),
                reopened,
                transferred,
            })
            .collect())
    }
}
