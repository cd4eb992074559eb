-- Supporting units (đơn vị phối hợp) of a case: the lead (handling) unit stays cases.unit_id;
-- these contribute to its work. Their officers read the case (never the sender's contacts) and
-- add internal notes; who added or removed one is in the case's history.
CREATE TABLE case_supports (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    added_at TIMESTAMPTZ NOT NULL,
    added_by BIGINT REFERENCES accounts(id),
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_supports_unit ON case_supports(unit_id);
