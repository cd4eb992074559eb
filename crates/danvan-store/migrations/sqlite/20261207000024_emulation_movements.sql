-- Emulation movements and campaigns (issue 11 items 1–2): a movement launched by a unit for a
-- period, its target units, its criteria (measured by an indicator of the catalogue, or scored
-- by reviewers), an optional emulation cluster with its signed pacts, the registrations of units
-- and people with their targets, their reported achievements, and the assessments (the unit's
-- own beside the reviewers' score).

CREATE TABLE emulation_clusters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the unit that set the cluster up (the launching unit of its movements)
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE emulation_cluster_units (
    cluster_id INTEGER NOT NULL REFERENCES emulation_clusters(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (cluster_id, unit_id)
);

CREATE TABLE emulation_movements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    -- annual | multi_year | thematic
    period_kind TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    cluster_id INTEGER REFERENCES emulation_clusters(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX emulation_movements_unit ON emulation_movements(unit_id);

CREATE TABLE emulation_movement_units (
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (movement_id, unit_id)
);

CREATE TABLE emulation_criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id),
    name TEXT NOT NULL,
    -- measured (bound to an indicator) | reviewed (scored by reviewers)
    kind TEXT NOT NULL,
    -- the indicator's key (danvan_domain::indicators), for a measured criterion
    indicator TEXT,
    -- the target value in the indicator's unit, for a measured criterion
    target DOUBLE PRECISION,
    weight INTEGER NOT NULL
);
CREATE INDEX emulation_criteria_movement ON emulation_criteria(movement_id);

-- A cluster's pact (giao ước thi đua) for a movement: one signed commitment per member unit.
CREATE TABLE emulation_pacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    commitment TEXT NOT NULL,
    signed_on DATE NOT NULL,
    UNIQUE (movement_id, unit_id)
);

CREATE TABLE emulation_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_id INTEGER NOT NULL REFERENCES emulation_movements(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    -- '' for the unit itself, else the person who registers (in that unit)
    person TEXT NOT NULL DEFAULT '',
    registered_at TIMESTAMP NOT NULL,
    UNIQUE (movement_id, unit_id, person)
);

-- What a registration commits to per criterion (chỉ tiêu đăng ký), and its assessments: the
-- unit's self-assessment and the reviewers' score for a reviewed criterion (0–100 points).
CREATE TABLE emulation_registration_criteria (
    registration_id INTEGER NOT NULL REFERENCES emulation_registrations(id),
    criterion_id INTEGER NOT NULL REFERENCES emulation_criteria(id),
    target TEXT NOT NULL DEFAULT '',
    self_points INTEGER,
    self_note TEXT NOT NULL DEFAULT '',
    review_points INTEGER,
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by INTEGER REFERENCES accounts(id),
    PRIMARY KEY (registration_id, criterion_id)
);

CREATE TABLE emulation_achievements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES emulation_registrations(id),
    criterion_id INTEGER REFERENCES emulation_criteria(id),
    reported_on DATE NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX emulation_achievements_registration ON emulation_achievements(registration_id);
