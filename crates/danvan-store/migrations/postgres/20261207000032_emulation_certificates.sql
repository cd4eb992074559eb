-- Each certificate's number in its issuer's register for the year ("Số sổ", issue 11 item 8),
-- taken when the decision is issued; empty for awards handed without a sheet and for decisions
-- issued before the register counted certificates.
ALTER TABLE emulation_decision_awards ADD COLUMN certificate_no BIGINT;

-- A unit's calibration for printing its certificates on pre-printed blanks: the shift in
-- millimetres of the page and of each field, as JSON (danvan_domain::emulation::Calibration).
CREATE TABLE emulation_certificate_calibrations (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    calibration TEXT NOT NULL
);
