-- The inbox and its counters read the subtree, the status and the due date: one index answers
-- them without visiting the table (the due date is the resolution date once known, else the
-- acceptance date; queries use this very expression).
DROP INDEX cases_inbox;
CREATE INDEX cases_inbox ON cases(unit_path, status, (COALESCE(resolve_due, accept_due)));
