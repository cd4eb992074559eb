-- Citizens' feedback and petitions: categories, cases, personal data kept apart, history.

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- also the Open311 service_code
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    group_name TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    -- the kind of unit responsible (e.g. peoples_committee); the place decides which one
    unit_kind TEXT NOT NULL,
    -- per-category time limits for feedback and petitions (NULL: the kind's default)
    accept_days INTEGER,
    resolve_days INTEGER,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE case_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    search_text TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    -- the ward or residential group the case is about
    place_unit_id INTEGER REFERENCES units(id),
    -- the lead (handling) unit, and the path of the unit for subtree queries
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    assignee_id INTEGER REFERENCES accounts(id),
    publish BOOLEAN NOT NULL DEFAULT FALSE,
    complex BOOLEAN NOT NULL DEFAULT FALSE,
    extensions_used INTEGER NOT NULL DEFAULT 0,
    received_at TIMESTAMP NOT NULL,
    received_on DATE NOT NULL,
    accepted_on DATE,
    accept_due DATE,
    resolve_due DATE,
    paused_since DATE,
    answered_at TIMESTAMP,
    closed_at TIMESTAMP,
    rating INTEGER,
    rating_comment TEXT NOT NULL DEFAULT '',
    source_system TEXT,
    source_ref TEXT,
    idempotency_key TEXT UNIQUE,
    merged_into INTEGER REFERENCES cases(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source_system, source_ref)
);
CREATE INDEX cases_inbox ON cases(unit_path, status, resolve_due);
CREATE INDEX cases_unit_due ON cases(unit_id, resolve_due);
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_status ON cases(status);

-- Personal data lives apart from the case, so public views cannot select it by accident.
CREATE TABLE case_contacts (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    name TEXT,
    phone TEXT,
    email TEXT,
    address TEXT
);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at TIMESTAMP NOT NULL,
    actor_id INTEGER,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT '',
    -- shown on the citizen's tracking page and the public case page
    public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE case_pauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    from_on DATE NOT NULL,
    to_on DATE
);
CREATE INDEX case_pauses_case ON case_pauses(case_id);

CREATE TABLE case_answers (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    body TEXT NOT NULL,
    drafted_by INTEGER REFERENCES accounts(id),
    drafted_at TIMESTAMP NOT NULL,
    register_no TEXT,
    approved_by INTEGER REFERENCES accounts(id),
    approved_at TIMESTAMP,
    sent_at TIMESTAMP
);

-- The numbered register of answers of each unit, per year.
CREATE TABLE answer_registers (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);
