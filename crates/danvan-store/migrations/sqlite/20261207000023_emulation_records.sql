-- Emulation records (issue 11 item 4): the people and collectives who may be commended
-- (emulation recipients), their yearly ratings, the titles and forms they received, their
-- disciplinary actions, initiatives, leave and investigations, and a collective's members by year.
-- The eligibility engine (danvan_domain::emulation) reads a Record built from these rows.

CREATE TABLE emulation_recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- individual | collective | household
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- the unit the person works in, or the collective's own unit
    unit_id INTEGER NOT NULL REFERENCES units(id),
    woman BOOLEAN NOT NULL DEFAULT FALSE,
    -- the person's own account, when they have one (they see their record)
    account_id INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, kind, name)
);
CREATE INDEX emulation_recipients_account ON emulation_recipients(account_id);

CREATE TABLE emulation_ratings (
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    year INTEGER NOT NULL,
    -- excellent | good | complete | incomplete
    rating TEXT NOT NULL,
    -- registered for and took part in that year's emulation movement
    in_emulation BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (recipient_id, year)
);

CREATE TABLE emulation_titles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    award TEXT NOT NULL,
    -- the year of the achievement
    year INTEGER NOT NULL,
    decision_no TEXT NOT NULL,
    decided_on DATE NOT NULL,
    issuer TEXT NOT NULL,
    UNIQUE (recipient_id, award, year)
);

CREATE TABLE emulation_disciplines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    level TEXT NOT NULL,
    from_day DATE NOT NULL,
    to_day DATE,
    decision_no TEXT NOT NULL DEFAULT ''
);

CREATE TABLE emulation_initiatives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    -- unit | province | national
    reach TEXT NOT NULL,
    -- the award it already served, if any
    used_for TEXT
);

-- Leave (maternity | other) and investigations (investigation): periods the engine looks at.
CREATE TABLE emulation_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    kind TEXT NOT NULL,
    from_day DATE NOT NULL,
    to_day DATE
);

-- A collective's members in a year (R8, R9).
CREATE TABLE emulation_members (
    collective_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    member_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    year INTEGER NOT NULL,
    PRIMARY KEY (collective_id, member_id, year)
);
