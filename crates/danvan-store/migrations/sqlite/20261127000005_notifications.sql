-- Notices to officials (a case due soon or overdue). One per account, case and kind, so the
-- escalation job can run on several servers and repeat without duplicates.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    UNIQUE (account_id, case_id, kind)
);
CREATE INDEX notifications_account ON notifications(account_id, read_at);
