-- Issue 12 (performance): two partial indexes for the indicators' reads.
--
-- The answered cases whose working days to answer are not stored yet: Store::fill_answer_days
-- looks for them at start and every hour, and finds none once they are filled; with this index
-- that is one probe instead of a walk of every answered case. Its WHERE is the query's.
CREATE INDEX cases_answer_days_missing ON cases(id) WHERE answered_at IS NOT NULL AND answer_work_days IS NULL;

-- The open, not paused cases of a subtree, with everything Store::overdue_holders reads: it
-- counts who holds the overdue cases of a subtree from this index alone (covering; the case's id
-- is the rowid), never the table. A subtree is a range of unit_path, so no later column could
-- narrow the range: they are ordered for the query's GROUP BY (path, unit, assignee), which then
-- needs no sort, and they are plain columns (the due date expression COALESCE(resolve_due,
-- accept_due) as an indexed expression did not make the planner see the index as covering, and
-- it preferred cases_status_inbox and the table). Its status list is the query's, written the
-- same way: SQLite uses a partial index only when the query's WHERE implies the index's.
CREATE INDEX cases_overdue ON cases(unit_path, unit_id, assignee_id, status, resolve_due, accept_due)
    WHERE status IN ('received','accepted','assigned','in_progress','answer_drafted','answer_approved');
