-- Issue 12: the case indicators' monthly counts, kept by triggers in the same transaction as every
-- change to a case (intake, transfer, reclassification, answer, reopening, rating, merge, import,
-- or any later path), so dashboards and reports read a few rows per unit and month instead of
-- every case: their cost follows months × units, not the history's length.
--
-- A case counts in the month of its receipt (received_on) and in its handling unit's subtree
-- (unit_path), as the catalogue's cohort definitions say (danvan_domain::indicators). Each case
-- adds to four rows of case_month_counts: dim 'all' (value ''), 'kind', 'category' (its id, ''
-- when none) and 'channel', and to a fifth, 'public', unless its sender's identity is protected
-- (public figures never count those); once answered, to one bucket of case_month_answer_days
-- (the working days it took: the median and 90th percentile are read from that histogram), for
-- 'all' and, unless protected, 'public'.
--
-- answer_work_days is set by the application when the answer is sent (the working calendar,
-- with lunar holidays and overrides, is Rust's); reopened and transferred are set by the history
-- triggers below. `danvan indicators rebuild` recomputes all of it from the cases.
ALTER TABLE cases ADD COLUMN answer_work_days BIGINT;
ALTER TABLE cases ADD COLUMN reopened BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN transferred BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE cases SET reopened = TRUE WHERE id IN (SELECT case_id FROM case_events WHERE action = 'reopen');
UPDATE cases SET transferred = TRUE WHERE id IN (SELECT case_id FROM case_events WHERE action = 'transfer');

-- The open cases by unit and due date: what is overdue now, and who holds it, read without
-- walking a subtree's closed history (the inbox index leads with the unit path, then the status).
CREATE INDEX cases_open_due ON cases(unit_path, resolve_due)
    WHERE status IN ('received','accepted','assigned','in_progress','paused','answer_drafted','answer_approved');

CREATE TABLE case_month_counts (
    -- 'all', 'kind', 'category', 'channel'
    dim TEXT NOT NULL,
    -- yyyymm of received_on
    month INTEGER NOT NULL,
    -- byte order (PostgreSQL: COLLATE "C", as units.path): subtrees are read as a range
    unit_path TEXT NOT NULL,
    value TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    on_time BIGINT NOT NULL DEFAULT 0,
    rated BIGINT NOT NULL DEFAULT 0,
    rating_sum BIGINT NOT NULL DEFAULT 0,
    reopened BIGINT NOT NULL DEFAULT 0,
    transferred BIGINT NOT NULL DEFAULT 0,
    answer_days_sum BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, month, unit_path, value)
) WITHOUT ROWID;

CREATE TABLE case_month_answer_days (
    -- 'all' or 'public'
    dim TEXT NOT NULL,
    month INTEGER NOT NULL,
    unit_path TEXT NOT NULL,
    days BIGINT NOT NULL,
    answered BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, month, unit_path, days)
) WITHOUT ROWID;

-- The counts of the cases already recorded (their answer days are filled at start-up, through
-- the update trigger).
INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'all', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, '', SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND date(c.answered_at, '+7 hours') <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'kind', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, c.kind, SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND date(c.answered_at, '+7 hours') <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, c.kind;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'category', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(CAST(c.category_id AS TEXT), ''), SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND date(c.answered_at, '+7 hours') <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(CAST(c.category_id AS TEXT), '');

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'channel', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, c.channel, SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND date(c.answered_at, '+7 hours') <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, c.channel;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'public', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, '', SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND date(c.answered_at, '+7 hours') <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c WHERE NOT c.identity_protected GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path;

INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
SELECT 'all', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0), COUNT(*)
FROM cases c WHERE c.answered_at IS NOT NULL GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0);

INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
SELECT 'public', CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0), COUNT(*)
FROM cases c WHERE c.answered_at IS NOT NULL AND NOT c.identity_protected GROUP BY CAST(substr(c.received_on, 1, 4) || substr(c.received_on, 6, 2) AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0);

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
    SELECT d.dim, CAST(substr(NEW.received_on, 1, 4) || substr(NEW.received_on, 6, 2) AS INTEGER), NEW.unit_path, d.value, 1 AS received, CASE WHEN NEW.answered_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN NEW.answered_at IS NOT NULL AND NEW.resolve_due IS NOT NULL AND date(NEW.answered_at, '+7 hours') <= NEW.resolve_due THEN 1 ELSE 0 END, CASE WHEN NEW.rating IS NOT NULL THEN 1 ELSE 0 END, 1 * COALESCE(NEW.rating, 0), CASE WHEN NEW.reopened THEN 1 ELSE 0 END, CASE WHEN NEW.transferred THEN 1 ELSE 0 END, CASE WHEN NEW.answered_at IS NOT NULL THEN 1 * COALESCE(NEW.answer_work_days, 0) ELSE 0 END
    FROM (SELECT 'all' AS dim, '' AS value UNION ALL SELECT 'kind', NEW.kind UNION ALL SELECT 'category', COALESCE(CAST(NEW.category_id AS TEXT), '') UNION ALL SELECT 'channel', NEW.channel UNION ALL SELECT 'public', '' WHERE NOT NEW.identity_protected) AS d WHERE TRUE
    ON CONFLICT (dim, month, unit_path, value) DO UPDATE SET received = case_month_counts.received + excluded.received, answered = case_month_counts.answered + excluded.answered, on_time = case_month_counts.on_time + excluded.on_time, rated = case_month_counts.rated + excluded.rated, rating_sum = case_month_counts.rating_sum + excluded.rating_sum, reopened = case_month_counts.reopened + excluded.reopened, transferred = case_month_counts.transferred + excluded.transferred, answer_days_sum = case_month_counts.answer_days_sum + excluded.answer_days_sum;
    INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
    SELECT h.dim, CAST(substr(NEW.received_on, 1, 4) || substr(NEW.received_on, 6, 2) AS INTEGER), NEW.unit_path, COALESCE(NEW.answer_work_days, 0), 1
    FROM (SELECT 'all' AS dim UNION ALL SELECT 'public' WHERE NOT NEW.identity_protected) AS h WHERE NEW.answered_at IS NOT NULL
    ON CONFLICT (dim, month, unit_path, days) DO UPDATE SET answered = case_month_answer_days.answered + excluded.answered;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
    SELECT d.dim, CAST(substr(OLD.received_on, 1, 4) || substr(OLD.received_on, 6, 2) AS INTEGER), OLD.unit_path, d.value, -1 AS received, CASE WHEN OLD.answered_at IS NOT NULL THEN -1 ELSE 0 END, CASE WHEN OLD.answered_at IS NOT NULL AND OLD.resolve_due IS NOT NULL AND date(OLD.answered_at, '+7 hours') <= OLD.resolve_due THEN -1 ELSE 0 END, CASE WHEN OLD.rating IS NOT NULL THEN -1 ELSE 0 END, -1 * COALESCE(OLD.rating, 0), CASE WHEN OLD.reopened THEN -1 ELSE 0 END, CASE WHEN OLD.transferred THEN -1 ELSE 0 END, CASE WHEN OLD.answered_at IS NOT NULL THEN -1 * COALESCE(OLD.answer_work_days, 0) ELSE 0 END
    FROM (SELECT 'all' AS dim, '' AS value UNION ALL SELECT 'kind', OLD.kind UNION ALL SELECT 'category', COALESCE(CAST(OLD.category_id AS TEXT), '') UNION ALL SELECT 'channel', OLD.channel UNION ALL SELECT 'public', '' WHERE NOT OLD.identity_protected) AS d WHERE TRUE
    ON CONFLICT (dim, month, unit_path, value) DO UPDATE SET received = case_month_counts.received + excluded.received, answered = case_month_counts.answered + excluded.answered, on_time = case_month_counts.on_time + excluded.on_time, rated = case_month_counts.rated + excluded.rated, rating_sum = case_month_counts.rating_sum + excluded.rating_sum, reopened = case_month_counts.reopened + excluded.reopened, transferred = case_month_counts.transferred + excluded.transferred, answer_days_sum = case_month_counts.answer_days_sum + excluded.answer_days_sum;
    INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
    SELECT h.dim, CAST(substr(OLD.received_on, 1, 4) || substr(OLD.received_on, 6, 2) AS INTEGER), OLD.unit_path, COALESCE(OLD.answer_work_days, 0), -1
    FROM (SELECT 'all' AS dim UNION ALL SELECT 'public' WHERE NOT OLD.identity_protected) AS h WHERE OLD.answered_at IS NOT NULL
    ON CONFLICT (dim, month, unit_path, days) DO UPDATE SET answered = case_month_answer_days.answered + excluded.answered;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF unit_path, received_on, kind, category_id, channel, answered_at, answer_work_days, resolve_due, rating, reopened, transferred, identity_protected ON cases
WHEN OLD.unit_path IS NOT NEW.unit_path OR OLD.received_on IS NOT NEW.received_on OR OLD.kind IS NOT NEW.kind OR OLD.category_id IS NOT NEW.category_id OR OLD.channel IS NOT NEW.channel OR OLD.answered_at IS NOT NEW.answered_at OR OLD.answer_work_days IS NOT NEW.answer_work_days OR OLD.resolve_due IS NOT NEW.resolve_due OR OLD.rating IS NOT NEW.rating OR OLD.reopened IS NOT NEW.reopened OR OLD.transferred IS NOT NEW.transferred OR OLD.identity_protected IS NOT NEW.identity_protected
BEGIN
    INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
    SELECT d.dim, CAST(substr(OLD.received_on, 1, 4) || substr(OLD.received_on, 6, 2) AS INTEGER), OLD.unit_path, d.value, -1 AS received, CASE WHEN OLD.answered_at IS NOT NULL THEN -1 ELSE 0 END, CASE WHEN OLD.answered_at IS NOT NULL AND OLD.resolve_due IS NOT NULL AND date(OLD.answered_at, '+7 hours') <= OLD.resolve_due THEN -1 ELSE 0 END, CASE WHEN OLD.rating IS NOT NULL THEN -1 ELSE 0 END, -1 * COALESCE(OLD.rating, 0), CASE WHEN OLD.reopened THEN -1 ELSE 0 END, CASE WHEN OLD.transferred THEN -1 ELSE 0 END, CASE WHEN OLD.answered_at IS NOT NULL THEN -1 * COALESCE(OLD.answer_work_days, 0) ELSE 0 END
    FROM (SELECT 'all' AS dim, '' AS value UNION ALL SELECT 'kind', OLD.kind UNION ALL SELECT 'category', COALESCE(CAST(OLD.category_id AS TEXT), '') UNION ALL SELECT 'channel', OLD.channel UNION ALL SELECT 'public', '' WHERE NOT OLD.identity_protected) AS d WHERE TRUE
    ON CONFLICT (dim, month, unit_path, value) DO UPDATE SET received = case_month_counts.received + excluded.received, answered = case_month_counts.answered + excluded.answered, on_time = case_month_counts.on_time + excluded.on_time, rated = case_month_counts.rated + excluded.rated, rating_sum = case_month_counts.rating_sum + excluded.rating_sum, reopened = case_month_counts.reopened + excluded.reopened, transferred = case_month_counts.transferred + excluded.transferred, answer_days_sum = case_month_counts.answer_days_sum + excluded.answer_days_sum;
    INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
    SELECT h.dim, CAST(substr(OLD.received_on, 1, 4) || substr(OLD.received_on, 6, 2) AS INTEGER), OLD.unit_path, COALESCE(OLD.answer_work_days, 0), -1
    FROM (SELECT 'all' AS dim UNION ALL SELECT 'public' WHERE NOT OLD.identity_protected) AS h WHERE OLD.answered_at IS NOT NULL
    ON CONFLICT (dim, month, unit_path, days) DO UPDATE SET answered = case_month_answer_days.answered + excluded.answered;
    INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
    SELECT d.dim, CAST(substr(NEW.received_on, 1, 4) || substr(NEW.received_on, 6, 2) AS INTEGER), NEW.unit_path, d.value, 1 AS received, CASE WHEN NEW.answered_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN NEW.answered_at IS NOT NULL AND NEW.resolve_due IS NOT NULL AND date(NEW.answered_at, '+7 hours') <= NEW.resolve_due THEN 1 ELSE 0 END, CASE WHEN NEW.rating IS NOT NULL THEN 1 ELSE 0 END, 1 * COALESCE(NEW.rating, 0), CASE WHEN NEW.reopened THEN 1 ELSE 0 END, CASE WHEN NEW.transferred THEN 1 ELSE 0 END, CASE WHEN NEW.answered_at IS NOT NULL THEN 1 * COALESCE(NEW.answer_work_days, 0) ELSE 0 END
    FROM (SELECT 'all' AS dim, '' AS value UNION ALL SELECT 'kind', NEW.kind UNION ALL SELECT 'category', COALESCE(CAST(NEW.category_id AS TEXT), '') UNION ALL SELECT 'channel', NEW.channel UNION ALL SELECT 'public', '' WHERE NOT NEW.identity_protected) AS d WHERE TRUE
    ON CONFLICT (dim, month, unit_path, value) DO UPDATE SET received = case_month_counts.received + excluded.received, answered = case_month_counts.answered + excluded.answered, on_time = case_month_counts.on_time + excluded.on_time, rated = case_month_counts.rated + excluded.rated, rating_sum = case_month_counts.rating_sum + excluded.rating_sum, reopened = case_month_counts.reopened + excluded.reopened, transferred = case_month_counts.transferred + excluded.transferred, answer_days_sum = case_month_counts.answer_days_sum + excluded.answer_days_sum;
    INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
    SELECT h.dim, CAST(substr(NEW.received_on, 1, 4) || substr(NEW.received_on, 6, 2) AS INTEGER), NEW.unit_path, COALESCE(NEW.answer_work_days, 0), 1
    FROM (SELECT 'all' AS dim UNION ALL SELECT 'public' WHERE NOT NEW.identity_protected) AS h WHERE NEW.answered_at IS NOT NULL
    ON CONFLICT (dim, month, unit_path, days) DO UPDATE SET answered = case_month_answer_days.answered + excluded.answered;
END;

CREATE TRIGGER case_events_flags AFTER INSERT ON case_events WHEN NEW.action IN ('reopen', 'transfer') BEGIN
    UPDATE cases SET reopened = TRUE WHERE id = NEW.case_id AND NEW.action = 'reopen' AND NOT reopened;
    UPDATE cases SET transferred = TRUE WHERE id = NEW.case_id AND NEW.action = 'transfer' AND NOT transferred;
END;
