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
    unit_path TEXT COLLATE "C" NOT NULL,
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
);

CREATE TABLE case_month_answer_days (
    -- 'all' or 'public'
    dim TEXT NOT NULL,
    month INTEGER NOT NULL,
    unit_path TEXT COLLATE "C" NOT NULL,
    days BIGINT NOT NULL,
    answered BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, month, unit_path, days)
);

-- The counts of the cases already recorded (their answer days are filled at start-up, through
-- the update trigger).
INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'all', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, '', SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'kind', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, c.kind, SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, c.kind;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'category', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(CAST(c.category_id AS TEXT), ''), SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(CAST(c.category_id AS TEXT), '');

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'channel', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, c.channel, SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, c.channel;

INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
SELECT 'public', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, '', SUM(1), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN 1 ELSE 0 END), SUM(CASE WHEN c.rating IS NOT NULL THEN 1 ELSE 0 END), SUM(1 * COALESCE(c.rating, 0)), SUM(CASE WHEN c.reopened THEN 1 ELSE 0 END), SUM(CASE WHEN c.transferred THEN 1 ELSE 0 END), SUM(CASE WHEN c.answered_at IS NOT NULL THEN 1 * COALESCE(c.answer_work_days, 0) ELSE 0 END)
FROM cases c WHERE NOT c.identity_protected GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path;

INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
SELECT 'all', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0), COUNT(*)
FROM cases c WHERE c.answered_at IS NOT NULL GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0);

INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
SELECT 'public', CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0), COUNT(*)
FROM cases c WHERE c.answered_at IS NOT NULL AND NOT c.identity_protected GROUP BY CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0);

CREATE FUNCTION case_counts_apply(c cases, s BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_month_counts (dim, month, unit_path, value, received, answered, on_time, rated, rating_sum, reopened, transferred, answer_days_sum)
    SELECT d.dim, CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, d.value, s AS received, CASE WHEN c.answered_at IS NOT NULL THEN s ELSE 0 END, CASE WHEN c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND CAST((c.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE) <= c.resolve_due THEN s ELSE 0 END, CASE WHEN c.rating IS NOT NULL THEN s ELSE 0 END, s * COALESCE(c.rating, 0), CASE WHEN c.reopened THEN s ELSE 0 END, CASE WHEN c.transferred THEN s ELSE 0 END, CASE WHEN c.answered_at IS NOT NULL THEN s * COALESCE(c.answer_work_days, 0) ELSE 0 END
    FROM (SELECT 'all' AS dim, '' AS value UNION ALL SELECT 'kind', c.kind UNION ALL SELECT 'category', COALESCE(CAST(c.category_id AS TEXT), '') UNION ALL SELECT 'channel', c.channel UNION ALL SELECT 'public', '' WHERE NOT c.identity_protected) AS d WHERE TRUE
    ON CONFLICT (dim, month, unit_path, value) DO UPDATE SET received = case_month_counts.received + excluded.received, answered = case_month_counts.answered + excluded.answered, on_time = case_month_counts.on_time + excluded.on_time, rated = case_month_counts.rated + excluded.rated, rating_sum = case_month_counts.rating_sum + excluded.rating_sum, reopened = case_month_counts.reopened + excluded.reopened, transferred = case_month_counts.transferred + excluded.transferred, answer_days_sum = case_month_counts.answer_days_sum + excluded.answer_days_sum;
    INSERT INTO case_month_answer_days (dim, month, unit_path, days, answered)
    SELECT h.dim, CAST(to_char(c.received_on, 'YYYYMM') AS INTEGER), c.unit_path, COALESCE(c.answer_work_days, 0), s
    FROM (SELECT 'all' AS dim UNION ALL SELECT 'public' WHERE NOT c.identity_protected) AS h WHERE c.answered_at IS NOT NULL
    ON CONFLICT (dim, month, unit_path, days) DO UPDATE SET answered = case_month_answer_days.answered + excluded.answered;
$$;

CREATE FUNCTION case_counts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_counts_apply(OLD, -1); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM case_counts_apply(NEW, 1); END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER case_counts_insert_delete AFTER INSERT OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_counts_trigger();
CREATE TRIGGER case_counts_update AFTER UPDATE OF unit_path, received_on, kind, category_id, channel, answered_at, answer_work_days, resolve_due, rating, reopened, transferred, identity_protected ON cases FOR EACH ROW
WHEN (OLD.unit_path IS DISTINCT FROM NEW.unit_path OR OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.answered_at IS DISTINCT FROM NEW.answered_at OR OLD.answer_work_days IS DISTINCT FROM NEW.answer_work_days OR OLD.resolve_due IS DISTINCT FROM NEW.resolve_due OR OLD.rating IS DISTINCT FROM NEW.rating OR OLD.reopened IS DISTINCT FROM NEW.reopened OR OLD.transferred IS DISTINCT FROM NEW.transferred OR OLD.identity_protected IS DISTINCT FROM NEW.identity_protected)
EXECUTE FUNCTION case_counts_trigger();

CREATE FUNCTION case_events_flags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'reopen' THEN UPDATE cases SET reopened = TRUE WHERE id = NEW.case_id AND NOT reopened; END IF;
    IF NEW.action = 'transfer' THEN UPDATE cases SET transferred = TRUE WHERE id = NEW.case_id AND NOT transferred; END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_events_flags AFTER INSERT ON case_events FOR EACH ROW WHEN (NEW.action IN ('reopen', 'transfer'))
EXECUTE FUNCTION case_events_flags();
