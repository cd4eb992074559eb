-- Issue 12 (search): a case's search text reads its address too, so a visitor finds a case by
-- typing where it is, without diacritics. Folding needs Rust (danvan_domain::text::fold): rows
-- written before carry search_version 1 and the background job rewrites them
-- (Store::refresh_case_search); rows written now get 2 by default.
ALTER TABLE cases ADD COLUMN search_version INTEGER NOT NULL DEFAULT 2;
UPDATE cases SET search_version = 1;
CREATE INDEX cases_search_stale ON cases(id) WHERE search_version < 2;
