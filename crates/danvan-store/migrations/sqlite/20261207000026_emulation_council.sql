-- The council round (issue 11 items 6 and 8): the award catalogue, the numbering register per
-- issuer and year, nomination lists (hồ sơ đề nghị) with the engine's verdict beside each name,
-- the council (Hội đồng thi đua – khen thưởng) and its secret ballot, and numbered decisions whose
-- awards land on the records (emulation_titles).

-- One row per award the engine knows (danvan_domain::emulation::Award), with its kind, level,
-- recipients and the dates it is in force (Law 06/2022/QH15 from 2024-01-01).
CREATE TABLE emulation_award_catalogue (
    award TEXT PRIMARY KEY,
    -- title | form
    kind TEXT NOT NULL,
    -- grassroots | provincial | national
    level TEXT NOT NULL,
    -- comma-separated: individual, collective, household
    recipients TEXT NOT NULL,
    effective_from DATE NOT NULL,
    effective_to DATE
);
INSERT INTO emulation_award_catalogue (award, kind, level, recipients, effective_from) VALUES
    ('advanced_worker', 'title', 'grassroots', 'individual', '2024-01-01'),
    ('emulation_fighter_grassroots', 'title', 'grassroots', 'individual', '2024-01-01'),
    ('emulation_fighter_provincial', 'title', 'provincial', 'individual', '2024-01-01'),
    ('emulation_fighter_national', 'title', 'national', 'individual', '2024-01-01'),
    ('advanced_collective', 'title', 'grassroots', 'collective', '2024-01-01'),
    ('excellent_collective', 'title', 'grassroots', 'collective', '2024-01-01'),
    ('emulation_flag_provincial', 'title', 'provincial', 'collective', '2024-01-01'),
    ('emulation_flag_government', 'title', 'national', 'collective', '2024-01-01'),
    ('certificate_of_commendation_provincial', 'form', 'provincial', 'individual,collective,household', '2024-01-01'),
    ('certificate_of_commendation_prime_minister', 'form', 'national', 'individual,collective,household', '2024-01-01'),
    ('certificate_of_merit', 'form', 'grassroots', 'individual,collective,household', '2024-01-01');

-- The last number given per issuing unit, year and kind of document (decision | certificate);
-- taken inside the issuing transaction, so two documents never share a number.
CREATE TABLE emulation_number_register (
    issuer_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    numbered TEXT NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (issuer_id, year, numbered)
);

CREATE TABLE emulation_nominations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    -- draft | submitted | decided
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE emulation_nomination_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nomination_id INTEGER NOT NULL REFERENCES emulation_nominations(id),
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    award TEXT NOT NULL,
    -- the engine's verdict when the name was put on the list (the page checks again)
    eligible BOOLEAN NOT NULL,
    -- required when not eligible: flagged to the council
    justification TEXT,
    -- the council's count (secret ballot or paper), once closed
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    passed BOOLEAN,
    UNIQUE (nomination_id, recipient_id, award)
);

CREATE TABLE emulation_councils (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nomination_id INTEGER NOT NULL UNIQUE REFERENCES emulation_nominations(id),
    meeting_on DATE NOT NULL,
    quorum INTEGER NOT NULL,
    -- secret | paper
    mode TEXT NOT NULL,
    -- open | closed
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE emulation_council_members (
    council_id INTEGER NOT NULL REFERENCES emulation_councils(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (council_id, account_id)
);

-- Who has voted (no time, no choice) ...
CREATE TABLE emulation_council_voters (
    council_id INTEGER NOT NULL REFERENCES emulation_councils(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (council_id, account_id)
);

-- ... and the votes, under a random ballot key that is stored nowhere else: no voter, no time,
-- no sequence number.
CREATE TABLE emulation_council_votes (
    council_id INTEGER NOT NULL REFERENCES emulation_councils(id),
    ballot TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES emulation_nomination_items(id),
    -- for | against | abstain
    choice TEXT NOT NULL,
    PRIMARY KEY (council_id, ballot, item_id)
) WITHOUT ROWID;

CREATE TABLE emulation_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer_id INTEGER NOT NULL REFERENCES units(id),
    nomination_id INTEGER REFERENCES emulation_nominations(id),
    -- a correction amends an issued decision
    amends_id INTEGER REFERENCES emulation_decisions(id),
    -- draft | issued
    status TEXT NOT NULL,
    -- the year the number counts in (the year of decided_on), the number and its text
    year INTEGER,
    number INTEGER,
    number_text TEXT,
    decided_on DATE NOT NULL,
    place TEXT NOT NULL,
    subject TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    -- the year of the achievements commended
    award_year INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    issued_at TIMESTAMP,
    UNIQUE (issuer_id, year, number)
);

CREATE TABLE emulation_decision_awards (
    decision_id INTEGER NOT NULL REFERENCES emulation_decisions(id),
    recipient_id INTEGER NOT NULL REFERENCES emulation_recipients(id),
    award TEXT NOT NULL,
    -- đồng: coefficient × base salary, rounded up (danvan_domain::emulation::cash_award)
    amount BIGINT,
    PRIMARY KEY (decision_id, recipient_id, award)
);
