-- One unfinished generation per report and person (issue 12): concurrent requests cannot both
-- start one; the second insert fails and is answered 409.
CREATE UNIQUE INDEX review_report_runs_one_at_a_time ON review_report_runs (report_id, requested_by)
    WHERE status IN ('queued', 'running');
