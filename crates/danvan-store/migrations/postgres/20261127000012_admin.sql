-- Administration: categories get an English name and their Open311 attribute definitions
-- (a JSON array, see danvan_domain::category::AttributeDef). Settings live in `settings`.
ALTER TABLE categories ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';
