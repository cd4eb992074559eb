-- Photos sent with a case and files attached to its answer. The bytes live on disk under the
-- uploads directory (`storage_key` is the path relative to it); the database holds what is needed
-- to serve and check them. A reference sent by an Open311 client (`media_url`) is kept as text
-- and never fetched, so it has no file.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('photo', 'answer', 'media_url')),
    position INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    storage_key TEXT,
    thumb_key TEXT,
    external_url TEXT,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    sha256 TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, purpose, position);
