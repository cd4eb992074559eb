//! The monthly counts behind the case indicators (migration 33): read for a subtree and a range
//! of months, the working days to answer filled for the cases answered before they were stored,
//! and everything rebuilt from the cases (`danvan indicators rebuild`).

use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::calendar::WorkCalendar;
use danvan_domain::indicators::{CaseCounts, CaseFact, Dimension};

/// One row of the monthly counts: a unit's cases received in a month with one value of a
/// dimension ('' for `all`; a kind, a category's id or '' for none, a channel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCounts {
    /// yyyymm
    pub month: i32,
    pub unit_path: String,
    pub value: String,
    pub counts: CaseCounts,
}

/// How many answered cases of a unit, received in a month, took a number of working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthAnswerDays {
    pub month: i32,
    pub days: i64,
    pub answered: i64,
}

/// The open cases past due that a unit (and, when assigned, an officer) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueHolder {
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
    pub assignee: Option<String>,
    pub overdue: i64,
    /// The earliest due date among them.
    pub oldest_due: NaiveDate,
}

/// One case as the monthly counts hold it: the keys of its rows and its fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedCase {
    pub unit_path: String,
    pub kind: String,
    /// Its category's id, '' when none.
    pub category: String,
    pub channel: String,
    pub protected: bool,
    pub fact: CaseFact,
}

const MEASURES: &str = "received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum";

/// The measures summed in SQL (PostgreSQL's `SUM` of a `BIGINT` is a `NUMERIC`: cast back).
const SUMMED: &str = "CAST(SUM(received) AS BIGINT), CAST(SUM(answered) AS BIGINT), CAST(SUM(on_time) AS BIGINT), \
    CAST(SUM(rated) AS BIGINT), CAST(SUM(rating_sum) AS BIGINT), CAST(SUM(reopened) AS BIGINT), \
    CAST(SUM(transferred) AS BIGINT), CAST(SUM(answer_days_sum) AS BIGINT)";

/// The open statuses but `paused`: a paused case's clock is stopped, so it is never overdue. The
/// same list, in the same order, as the partial index `cases_overdue` (migration 36), which SQLite
/// uses only when the query's WHERE implies the index's.
const OPEN_NOT_PAUSED: &str = "('received','accepted','assigned','in_progress','answer_drafted','answer_approved')";

/// How the store sums the monthly counts of a range before returning them: the rows come back
/// as [`MonthCounts`] whose `month` is the yyyymm (by month), the year (by year and unit) or 0,
/// whose `unit_path` is '' unless grouped by unit, and whose `value` is '' unless grouped by
/// value. Tens of rows instead of months × units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountsBy {
    /// One row for the whole range (none when it has no case).
    Total,
    Month,
    /// By handling unit's path.
    Unit,
    /// By calendar year of receipt and handling unit's path.
    YearAndUnit,
    /// By the dimension's value.
    Value,
}

impl CountsBy {
    /// The SELECT's (period, unit path, value) and the GROUP BY's columns beside `dim`.
    fn keys(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            CountsBy::Total => ("0", "''", "''", ""),
            CountsBy::Month => ("month", "''", "''", ", month"),
            CountsBy::Unit => ("0", "unit_path", "''", ", unit_path"),
            CountsBy::YearAndUnit => ("month / 100", "unit_path", "''", ", month / 100, unit_path"),
            CountsBy::Value => ("0", "''", "value", ", value"),
        }
    }
}

impl Store {
    /// The monthly counts of `dim` for the units in the subtree at `path`, months in
    /// `[from_month, to_month]` (yyyymm). The key's order (dim, month, unit) makes the cost the
    /// months × the units counted, not the cases.
    pub async fn case_month_counts(
        &self,
        path: &str,
        dim: Dimension,
        from_month: i32,
        to_month: i32,
    ) -> Result<Vec<MonthCounts>> {
        let sql = format!(
            "SELECT month, unit_path, value, {MEASURES} FROM case_month_counts
             WHERE dim = $1 AND month >= $2 AND month <= $3 AND unit_path >= $4 AND unit_path < ($4 || '~') AND received <> 0"
        );
        type Row = (i32, String, String, i64, i64, i64, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql)
            .bind(dim.as_str())
            .bind(from_month)
            .bind(to_month)
            .bind(path)
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|r| MonthCounts {
                month: r.0,
                unit_path: r.1,
                value: r.2,
                counts: CaseCounts {
                    received: r.3,
                    answered: r.4,
                    on_time: r.5,
                    rated: r.6,
                    rating_sum: r.7,
                    reopened: r.8,
                    transferred: r.9,
                    answer_days_sum: r.10,
                },
            })
            .collect())
    }

    /// The histogram of working days to answer of the subtree's cases received in the months,
    /// by month and unit: of all of them (`Dimension::All`) or of those public figures count
    /// (`Dimension::Public`; any other dimension reads as `All`).
    pub async fn case_month_answer_days(
        &self,
        path: &str,
        dim: Dimension,
        from_month: i32,
        to_month: i32,
    ) -> Result<Vec<(String, MonthAnswerDays)>> {
        let sql = "SELECT month, unit_path, days, answered FROM case_month_answer_days
                   WHERE dim = $4 AND month >= $1 AND month <= $2 AND unit_path >= $3 AND unit_path < ($3 || '~') AND answered <> 0";
        let dim = if dim == Dimension::Public { Dimension::Public } else { Dimension::All };
        let rows: Vec<(i32, String, i64, i64)> = on_pool!(self, read, |p| sqlx::query_as(sql)
            .bind(from_month)
            .bind(to_month)
            .bind(path)
            .bind(dim.as_str())
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(month, path, days, answered)| (path, MonthAnswerDays { month, days, answered })).collect())
    }

    /// The monthly counts of `dim` for the subtree at `path`, months in `[from_month,
    /// to_month]`, summed in SQL and grouped as `by` says. The same rows as
    /// [`Store::case_month_counts`] (a row counts when it has cases), added up.
    pub async fn case_counts_summed(
        &self,
        path: &str,
        dim: Dimension,
        from_month: i32,
        to_month: i32,
        by: CountsBy,
    ) -> Result<Vec<MonthCounts>> {
        let (period, unit, value, group) = by.keys();
        // Grouping by `dim` (one value here) returns no row rather than NULL sums when none counts.
        let sql = format!(
            "SELECT {period}, {unit}, {value}, {SUMMED} FROM case_month_counts
             WHERE dim = $1 AND month >= $2 AND month <= $3 AND unit_path >= $4 AND unit_path < ($4 || '~') AND received <> 0
             GROUP BY dim{group}"
        );
        type Row = (i32, String, String, i64, i64, i64, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql)
            .bind(dim.as_str())
            .bind(from_month)
            .bind(to_month)
            .bind(path)
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .map(|r| MonthCounts {
                month: r.0,
                unit_path: r.1,
                value: r.2,
                counts: CaseCounts {
                    received: r.3,
                    answered: r.4,
                    on_time: r.5,
                    rated: r.6,
                    rating_sum: r.7,
                    reopened: r.8,
                    transferred: r.9,
                    answer_days_sum: r.10,
                },
            })
            .collect())
    }

    /// The histogram of working days to answer of the subtree's cases received in the months,
    /// summed in SQL by days and grouped as `by` says (`Value` reads as `Total`): the same rows
    /// as [`Store::case_month_answer_days`], added up; `month` as in [`CountsBy`].
    pub async fn case_answer_days_summed(
        &self,
        path: &str,
        dim: Dimension,
        from_month: i32,
        to_month: i32,
        by: CountsBy,
    ) -> Result<Vec<(String, MonthAnswerDays)>> {
        let (period, unit, _, group) = if by == CountsBy::Value { CountsBy::Total.keys() } else { by.keys() };
        let sql = format!(
            "SELECT {period}, {unit}, days, CAST(SUM(answered) AS BIGINT) FROM case_month_answer_days
             WHERE dim = $4 AND month >= $1 AND month <= $2 AND unit_path >= $3 AND unit_path < ($3 || '~') AND answered <> 0
             GROUP BY dim{group}, days"
        );
        let dim = if dim == Dimension::Public { Dimension::Public } else { Dimension::All };
        let rows: Vec<(i32, String, i64, i64)> = on_pool!(self, read, |p| sqlx::query_as(&sql)
            .bind(from_month)
            .bind(to_month)
            .bind(path)
            .bind(dim.as_str())
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(month, path, days, answered)| (path, MonthAnswerDays { month, days, answered })).collect())
    }

    /// Who holds the subtree's open cases past due today (not paused; the resolution due date,
    /// or the acceptance one before it is set), most overdue first. Read from the partial index
    /// `cases_overdue` alone (migration 36): the cost follows the subtree's open cases, not the
    /// history, and no case row is read. Counted by unit and assignee first, then named (the
    /// same groups as naming each case: the outer GROUP BY merges what the names do not tell
    /// apart).
    pub async fn overdue_holders(&self, path: &str, today: NaiveDate, excluded: &[i64]) -> Result<Vec<OverdueHolder>> {
        // Integers, never text: inlined like the inbox's id lists.
        let not_in = if excluded.is_empty() {
            String::new()
        } else {
            format!(" AND c.id NOT IN ({})", excluded.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","))
        };
        // The status list is the index's predicate, written the same way; grouped in the index's
        // order (path, unit, assignee), so the index is read once in order and nothing is sorted.
        let sql = format!(
            "SELECT o.unit_id, u.path, u.name, a.full_name, CAST(SUM(o.n) AS BIGINT), MIN(o.oldest)
             FROM (SELECT c.unit_id, c.assignee_id, COUNT(*) AS n, MIN(COALESCE(c.resolve_due, c.accept_due)) AS oldest
                   FROM cases c
                   WHERE c.status IN {OPEN_NOT_PAUSED} AND c.unit_path >= $1 AND c.unit_path < ($1 || '~')
                     AND COALESCE(c.resolve_due, c.accept_due) < $2{not_in}
                   GROUP BY c.unit_path, c.unit_id, c.assignee_id) o
             JOIN units u ON u.id = o.unit_id LEFT JOIN accounts a ON a.id = o.assignee_id
             GROUP BY o.unit_id, u.path, u.name, a.full_name ORDER BY SUM(o.n) DESC, u.path, a.full_name"
        );
        type Row = (i64, String, String, Option<String>, i64, NaiveDate);
        let rows: Vec<Row> = on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql).bind(path).bind(today).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(unit_id, unit_path, unit_name, assignee, overdue, oldest_due)| OverdueHolder {
                unit_id,
                unit_path,
                unit_name,
                assignee,
                overdue,
                oldest_due,
            })
            .collect())
    }

    /// What the monthly counts hold of each case in `ids` handled in the subtree at `path` (the
    /// cases a reader may not count, taken away again): its row keys and its fact.
    pub async fn counted_cases(&self, path: &str, ids: &[i64]) -> Result<Vec<CountedCase>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let answered_day = self.vn_date_sql("c.answered_at");
        let sql = format!(
            "SELECT c.unit_path, c.kind, COALESCE(CAST(c.category_id AS TEXT), ''), c.channel, c.identity_protected,
                    c.received_on, CASE WHEN c.answered_at IS NULL THEN NULL ELSE {answered_day} END, c.answer_work_days,
                    c.resolve_due, c.rating, c.reopened, c.transferred
             FROM cases c WHERE c.unit_path >= $1 AND c.unit_path < ($1 || '~') AND c.id IN ({})",
            ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        );
        type Row = (
            String,
            String,
            String,
            String,
            bool,
            NaiveDate,
            Option<NaiveDate>,
            Option<i64>,
            Option<NaiveDate>,
            Option<i64>,
            bool,
            bool,
        );
        let rows: Vec<Row> = on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql).bind(path).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|r| CountedCase {
                unit_path: r.0,
                kind: r.1,
                category: r.2,
                channel: r.3,
                protected: r.4,
                fact: CaseFact {
                    received_on: r.5,
                    answered_on: r.6,
                    answer_days: r.6.map(|_| r.7.unwrap_or(0)),
                    resolve_due: r.8,
                    rating: r.9.and_then(|v| u8::try_from(v).ok()),
                    reopened: r.10,
                    transferred: r.11,
                },
            })
            .collect())
    }

    /// Fills the working days to answer of answered cases that have none (answered before they
    /// were stored), a batch at a time; the update trigger moves their counts. Returns how many.
    /// The condition is the partial index `cases_answer_days_missing`'s (migration 36): when
    /// nothing is left, as every hour after the first, it is one probe of an empty index.
    pub async fn fill_answer_days(&self, cal: &WorkCalendar) -> Result<u64> {
        self.set_answer_days(cal, "c.answer_work_days IS NULL").await
    }

    /// Rebuilds the indicators' inputs from the cases: every answered case's working days on
    /// today's calendar (in batches), then, in one transaction, the reopened and transferred flags
    /// from the history and the monthly counts regrouped from scratch. For after a calendar correction, or to
    /// check the triggers: the counts must come out as they were.
    pub async fn rebuild_case_counts(&self, cal: &WorkCalendar) -> Result<u64> {
        let changed = self.set_answer_days(cal, "TRUE").await?;
        let m = self.month_sql("c.received_on");
        let measures = [
            "COUNT(*)".to_string(),
            "SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END)".into(),
            format!(
                "SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND {} <= c.resolve_due THEN 1 ELSE 0 END)",
                self.vn_date_sql("c.answered_at")
            ),
            "SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END)".into(),
            "SUM(COALESCE(c.rating, 0))".into(),
            "SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END)".into(),
            "SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END)".into(),
            "SUM(CASE WHEN c.answered_at IS NOT NULL THEN COALESCE(c.answer_work_days, 0) ELSE 0 END)".into(),
        ]
        .join(", ");
        let reopened = "(EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.action = 'reopen'))";
        let transferred = "(EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.action = 'transfer'))";
        let mut statements = vec![
            // PostgreSQL: no case is written while the counts are regrouped (SQLite's write lock
            // already holds them off).
            match self.backend {
                crate::Backend::Postgres(_) => "LOCK TABLE cases IN SHARE MODE".to_string(),
                crate::Backend::Sqlite { .. } => "SELECT 1".to_string(),
            },
            format!(
                "UPDATE cases SET reopened = {reopened}, transferred = {transferred}
                 WHERE reopened <> {reopened} OR transferred <> {transferred}"
            ),
            "DELETE FROM case_month_counts".into(),
            "DELETE FROM case_month_answer_days".into(),
        ];
        const PUBLIC: &str = " AND NOT c.identity_protected";
        for (dim, value, only) in [
            ("all", "''", ""),
            ("kind", "c.kind", ""),
            ("category", "COALESCE(CAST(c.category_id AS TEXT), '')", ""),
            ("channel", "c.channel", ""),
            ("public", "''", PUBLIC),
        ] {
            // PostgreSQL refuses a constant in GROUP BY: those rows group by month and unit.
            let group = if value == "''" { String::new() } else { format!(", {value}") };
            statements.push(format!(
                "INSERT INTO case_month_counts (dim, month, unit_path, value, {MEASURES})
                 SELECT '{dim}', {m}, c.unit_path, {value}, {measures} FROM cases c WHERE TRUE{only} GROUP BY {m}, c.unit_path{group}"
            ));
        }
        for (dim, only) in [("all", ""), ("public", PUBLIC)] {
            statements.push(format!(
                "INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
                 SELECT '{dim}', {m}, c.unit_path, COALESCE(c.answer_work_days, 0), COUNT(*) FROM cases c
                 WHERE c.answered_at IS NOT NULL{only} GROUP BY {m}, c.unit_path, COALESCE(c.answer_work_days, 0)"
            ));
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for s in &statements {
                sqlx::query(s).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(changed)
    }

    /// Sets `answer_work_days` where it differs from the calendar's count, for the answered
    /// cases matching `which`, in batches by id.
    async fn set_answer_days(&self, cal: &WorkCalendar, which: &str) -> Result<u64> {
        let sql = format!(
            "SELECT c.id, c.received_on, c.answered_at, c.answer_work_days FROM cases c
             WHERE c.id > $1 AND c.answered_at IS NOT NULL AND {which} ORDER BY c.id LIMIT 5000"
        );
        let (mut after, mut changed) = (0i64, 0u64);
        loop {
            type Row = (i64, NaiveDate, DateTime<Utc>, Option<i64>);
            let rows: Vec<Row> = on_pool!(self, read, |p| sqlx::query_as::<_, Row>(&sql).bind(after).fetch_all(p).await?);
            let Some(last) = rows.last() else { break };
            after = last.0;
            let updates: Vec<(i64, i64)> = rows
                .iter()
                .filter_map(|(id, received_on, answered_at, stored)| {
                    let days = answer_work_days(cal, *received_on, *answered_at);
                    (*stored != Some(days)).then_some((*id, days))
                })
                .collect();
            if updates.is_empty() {
                continue;
            }
            changed += updates.len() as u64;
            on_pool!(self, write, |p| {
                let mut tx = p.begin().await?;
                for (id, days) in &updates {
                    sqlx::query("UPDATE cases SET answer_work_days = $1 WHERE id = $2")
                        .bind(days)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            });
        }
        Ok(changed)
    }

    /// yyyymm of a date column, as the triggers compute it.
    fn month_sql(&self, col: &str) -> String {
        match self.backend {
            crate::Backend::Sqlite { .. } => format!("CAST(substr({col}, 1, 4) || substr({col}, 6, 2) AS INTEGER)"),
            crate::Backend::Postgres(_) => format!("CAST(to_char({col}, 'YYYYMM') AS INTEGER)"),
        }
    }
}

/// The working days from a case's receipt to its answer: from `received_on` to the Vietnamese
/// calendar day of `answered_at`.
pub fn answer_work_days(cal: &WorkCalendar, received_on: NaiveDate, answered_at: DateTime<Utc>) -> i64 {
    let answered_on = answered_at.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
    cal.working_days_between(received_on, answered_on)
}
