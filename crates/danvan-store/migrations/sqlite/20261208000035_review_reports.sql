-- Review reports (sơ kết, tổng kết; issue 12 item 3): a unit's draft, each saved version of it,
-- and each generation of its figures (a job: queued, running with its progress, done or failed).

CREATE TABLE review_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    -- interim | final, the subject and the months (yyyymm) of the latest version, for lists
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    from_month INTEGER NOT NULL,
    to_month INTEGER NOT NULL,
    -- the latest version's number: a save names the version it edits, so two editors never
    -- overwrite each other silently
    version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX review_reports_unit ON review_reports (unit_id);

CREATE TABLE review_report_versions (
    report_id INTEGER NOT NULL REFERENCES review_reports(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- danvan_domain::review::ReportContent as JSON
    content TEXT NOT NULL,
    saved_by INTEGER NOT NULL REFERENCES accounts(id),
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, version)
);

CREATE TABLE review_report_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES review_reports(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- queued | running | done | failed
    status TEXT NOT NULL,
    -- 0–100, and what is being counted
    progress INTEGER NOT NULL DEFAULT 0,
    step TEXT NOT NULL DEFAULT '',
    -- the figures as generated (JSON), what the documents are rendered from
    figures TEXT,
    -- the cases left out for the one who asked (those that concern them), as a JSON list of ids
    excluded TEXT NOT NULL DEFAULT '[]',
    requested_by INTEGER NOT NULL REFERENCES accounts(id),
    requested_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    error TEXT
);
CREATE INDEX review_report_runs_report ON review_report_runs (report_id, id);
CREATE INDEX review_report_runs_unfinished ON review_report_runs (status) WHERE status IN ('queued', 'running');
