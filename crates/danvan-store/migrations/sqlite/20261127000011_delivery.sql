-- Answers sent to citizens (outbox), extra tracking links carried by those messages, the Zalo
-- contact, and when a case's personal data was erased under the retention settings.

-- Messages to citizens, one per channel and recipient. A row is claimed by pushing
-- next_attempt_at forward (a lease), so a crashed sender's work is retried, never lost.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    answer_case_id INTEGER NOT NULL REFERENCES cases(id),
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_case ON outbox(case_id);

-- Further secret links to a case (the one in each answer message); only hashes are kept.
CREATE TABLE case_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_links_case ON case_links(case_id);

ALTER TABLE case_contacts ADD COLUMN zalo TEXT;
ALTER TABLE cases ADD COLUMN personal_data_erased_at TIMESTAMP;
-- Duplicate candidates: recent open cases of a ward subtree.
CREATE INDEX cases_dup ON cases(unit_path, received_at);
