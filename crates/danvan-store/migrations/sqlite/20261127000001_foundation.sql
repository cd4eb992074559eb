-- Foundation: units, accounts, memberships, sessions, API tokens, login throttling, audit log.
-- Timestamps are UTC; names carry a Vietnamese sort key and a folded search text computed in Rust.

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    search_text TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    territory_id INTEGER REFERENCES units(id),
    -- '/1/5/23/': the ids from the root to this unit, for subtree queries on both databases
    path TEXT NOT NULL,
    depth INTEGER NOT NULL,
    effective_from DATE,
    effective_to DATE,
    remote_area BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units(parent_id, name_sort);
CREATE INDEX units_path ON units(path);
CREATE INDEX units_name_sort ON units(name_sort);

CREATE TABLE unit_successors (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    successor_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (unit_id, successor_id)
);
CREATE INDEX unit_successors_successor ON unit_successors(successor_id);

-- Names a unit carried before a rename, so history shows them as they were.
CREATE TABLE unit_names (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    valid_until TIMESTAMP NOT NULL
);
CREATE INDEX unit_names_unit ON unit_names(unit_id);

-- Work of a dissolved unit that no rule could place: waits for an administrator.
CREATE TABLE pending_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    item_type TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    item_label TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_to INTEGER REFERENCES units(id)
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    search_text TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX accounts_name_sort ON accounts(name_sort);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, unit_id, role)
);
CREATE INDEX memberships_unit ON memberships(unit_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(scope, key, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id INTEGER,
    target_label TEXT NOT NULL,
    changes TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);

-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
