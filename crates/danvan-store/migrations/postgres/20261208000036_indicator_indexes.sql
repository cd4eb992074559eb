-- Issue 12 (performance): two partial indexes for the indicators' reads.
--
-- The answered cases whose working days to answer are not stored yet: Store::fill_answer_days
-- looks for them at start and every hour, and finds none once they are filled; with this index
-- that is one probe instead of a walk of every answered case. Its WHERE is the query's.
CREATE INDEX cases_answer_days_missing ON cases(id) WHERE answered_at IS NOT NULL AND answer_work_days IS NULL;

-- The open, not paused cases of a subtree, with everything Store::overdue_holders reads, so that
-- it can be an index-only scan (the case's id included for the cases a reader may not count). A
-- subtree is a range of unit_path, so no later column could narrow the range: they are ordered
-- for the query's GROUP BY (path, unit, assignee). Its status list is the query's, written the
-- same way. The same columns as SQLite's.
CREATE INDEX cases_overdue ON cases(unit_path, unit_id, assignee_id, status, resolve_due, accept_due)
    INCLUDE (id)
    WHERE status IN ('received','accepted','assigned','in_progress','answer_drafted','answer_approved');
