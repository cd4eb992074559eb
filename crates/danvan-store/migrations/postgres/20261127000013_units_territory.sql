-- Routing looks up the bodies on a ward's territory for every new case: without this index it
-- read the whole units table (3,400 rows) twice per creation.
CREATE INDEX units_territory ON units(territory_id, effective_to);
