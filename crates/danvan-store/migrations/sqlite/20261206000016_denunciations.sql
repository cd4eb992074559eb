-- Denunciations (tố cáo): the denouncer's identity stays protected for the case's whole life, and
-- the case records whom it concerns, who must never read or handle it (Luật Tố cáo 2018, Điều 8,
-- Điều 56). identity_protected is set at intake or when a case becomes a denunciation, and never
-- cleared: reclassifying, transferring, merging or importing a case keeps it.
ALTER TABLE cases ADD COLUMN identity_protected BOOLEAN NOT NULL DEFAULT FALSE;
-- The unit denounced (or where the person denounced works), the person's name and, when they are
-- an official, their account. Set for denunciations only.
ALTER TABLE cases ADD COLUMN concerned_unit_id INTEGER REFERENCES units(id);
ALTER TABLE cases ADD COLUMN concerned_name TEXT;
ALTER TABLE cases ADD COLUMN concerned_account_id INTEGER REFERENCES accounts(id);

-- Cases that are denunciations, or ever were one: a reclassification's history note reads
-- "<from> → <to>[: reason]". Whom older ones concern was never recorded (left empty).
UPDATE cases SET identity_protected = TRUE
 WHERE kind = 'denunciation'
    OR EXISTS (SELECT 1 FROM case_events e
                WHERE e.case_id = cases.id AND e.action = 'reclassify' AND e.note LIKE '%denunciation%');
-- A protected case is never public (a reclassified one was unpublished when it became a
-- denunciation; this only makes sure).
UPDATE cases SET publish = FALSE WHERE identity_protected AND publish;
