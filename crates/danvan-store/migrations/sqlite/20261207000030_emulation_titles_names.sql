-- History survives the 2025 reform (issue 11 item 9): each title keeps the names its recipient
-- and the recipient's unit carried when it was recorded, so an award given to a collective of a
-- unit later renamed or dissolved reads as it was given. Rows already there take today's names,
-- the best known.
ALTER TABLE emulation_titles ADD COLUMN recipient_name TEXT NOT NULL DEFAULT '';
ALTER TABLE emulation_titles ADD COLUMN unit_name TEXT NOT NULL DEFAULT '';
UPDATE emulation_titles SET
    recipient_name = (SELECT r.name FROM emulation_recipients r WHERE r.id = emulation_titles.recipient_id),
    unit_name = (SELECT u.name FROM emulation_recipients r JOIN units u ON u.id = r.unit_id
                 WHERE r.id = emulation_titles.recipient_id);
