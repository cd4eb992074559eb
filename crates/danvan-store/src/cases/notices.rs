//! The escalation job's work list and the notices it gives.

use super::*;

impl Store {
    /// Open cases due on or before `by` (the escalation job's work list).
    pub async fn cases_due_by(&self, by: NaiveDate) -> Result<Vec<DueCase>> {
        let sql = format!(
            "SELECT id, code, unit_path, COALESCE(resolve_due, accept_due) AS due, concerned_unit_id, concerned_account_id FROM cases
             WHERE status IN {OPEN_STATUSES} AND COALESCE(resolve_due, accept_due) <= $1 AND status <> 'paused'"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, DueCase>(&sql).bind(by).fetch_all(p).await?))
    }

    /// Leaders (those who approve a unit's work) holding their role directly on one of `units`.
    pub async fn leaders_of(&self, units: &[UnitId]) -> Result<Vec<i64>> {
        if units.is_empty() {
            return Ok(vec![]);
        }
        let list: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        let sql = format!(
            "SELECT DISTINCT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.role IN ({}) AND a.active AND m.unit_id IN ({})",
            danvan_domain::authz::sql_role_list(danvan_domain::Action::Approve),
            list.join(",")
        );
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_all(p).await?))
    }

    /// Records notices; a notice already given is not given again. Returns how many are new.
    pub async fn notify(&self, accounts: &[i64], case_id: i64, kind: DueStatus) -> Result<u64> {
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut n = 0;
            for a in accounts {
                n += sqlx::query("INSERT INTO notifications (account_id, case_id, kind, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                    .bind(*a)
                    .bind(case_id)
                    .bind(kind.as_str())
                    .bind(now)
                    .execute(p)
                    .await?
                    .rows_affected();
            }
            Ok(n)
        })
    }

    pub async fn unread_notifications(&self, account: i64, limit: i64) -> Result<Vec<Notification>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Notification>(
            "SELECT n.id, n.case_id, c.code, c.title, n.kind, n.created_at FROM notifications n JOIN cases c ON c.id = n.case_id
             WHERE n.account_id = $1 AND n.read_at IS NULL ORDER BY n.id DESC LIMIT $2"
        )
        .bind(account)
        .bind(limit)
        .fetch_all(p)
        .await?))
    }

    pub async fn mark_notifications_read(&self, account: i64) -> Result<()> {
        on_pool!(self, write, |p| {
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(Utc::now())
                .bind(account)
                .execute(p)
                .await?;
            Ok(())
        })
    }
}
