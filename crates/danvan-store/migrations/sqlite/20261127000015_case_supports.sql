-- Supporting units (đơn vị phối hợp) of a case: the lead (handling) unit stays cases.unit_id;
-- these contribute to its work. Their officers read the case (never the sender's contacts) and
-- add internal notes; who added or removed one is in the case's history.
CREATE TABLE case_supports (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    added_at TIMESTAMP NOT NULL,
    added_by INTEGER REFERENCES accounts(id),
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_supports_unit ON case_supports(unit_id);
