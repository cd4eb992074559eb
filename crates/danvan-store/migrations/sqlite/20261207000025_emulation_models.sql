-- "Dân vận khéo" model practices and exemplars (issue 11 item 3, RULES.md §7): registration,
-- the field teams' appraisers and their scores per criterion, the steering committee's decision,
-- where else a model was adopted, and its photos (files under the uploads directory, processed
-- like a case's photos). Only recognised models are public; no contact data is kept.

CREATE TABLE emulation_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- model | exemplar
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- folded name, place, owner and description (diacritic-insensitive search)
    search_text TEXT NOT NULL,
    place TEXT NOT NULL,
    -- economy | culture_society | defence_security | political_system
    field TEXT NOT NULL,
    -- the unit that builds the model (or the exemplar's unit)
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    -- a person or collective who owns it, when not the unit itself (a name, never contacts)
    owner_name TEXT NOT NULL DEFAULT '',
    -- an exemplar's emulation record, when there is one
    recipient_id INTEGER REFERENCES emulation_recipients(id),
    -- the unit it is registered with (the body that launched the movement)
    registered_unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    description TEXT NOT NULL,
    people_mobilised INTEGER NOT NULL,
    results TEXT NOT NULL,
    -- the steering committee's decision: recognised | not_recognised
    decision TEXT,
    decided_on DATE,
    decision_ref TEXT,
    decided_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX emulation_models_registered ON emulation_models(registered_unit_id, field);
CREATE INDEX emulation_models_owner ON emulation_models(owner_unit_id);
CREATE INDEX emulation_models_gallery ON emulation_models(decision, year, field);

-- The appraisers of a field's team at a unit.
CREATE TABLE emulation_appraisers (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    field TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (unit_id, field, account_id)
);

CREATE TABLE emulation_model_scores (
    model_id INTEGER NOT NULL REFERENCES emulation_models(id),
    appraiser_id INTEGER NOT NULL REFERENCES accounts(id),
    criterion TEXT NOT NULL,
    points INTEGER NOT NULL CHECK (points >= 0 AND points <= 20),
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (model_id, appraiser_id, criterion)
);

CREATE TABLE emulation_model_replications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id INTEGER NOT NULL REFERENCES emulation_models(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX emulation_model_replications_model ON emulation_model_replications(model_id);

CREATE TABLE emulation_model_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id INTEGER NOT NULL REFERENCES emulation_models(id),
    file_name TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX emulation_model_photos_model ON emulation_model_photos(model_id);
