-- The symbol a unit writes after an answer's register number ("46/UBND-TL"; Decree 30/2020
-- Annex I), when it has set its own; without a row, the default by the unit's kind.
CREATE TABLE unit_answer_symbols (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    symbol TEXT NOT NULL
);
