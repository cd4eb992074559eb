-- At 10^6 cases: an inbox filtered by status reads (status, subtree, due date) as one index
-- range, where a status-only index led the planner to visit every case of that status; and text
-- search within a subtree reads the folded text from an index instead of the table.
DROP INDEX cases_status;
CREATE INDEX cases_status_inbox ON cases(status, unit_path, (COALESCE(resolve_due, accept_due)));
CREATE INDEX cases_search ON cases(unit_path, search_text);
