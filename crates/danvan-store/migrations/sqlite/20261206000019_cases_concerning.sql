-- The cases that concern an account (Store::cases_concerning), read on every list an official
-- opens: few rows, so partial indexes over the denunciations that name someone.
CREATE INDEX cases_concerned_unit ON cases (concerned_unit_id) WHERE concerned_unit_id IS NOT NULL;
CREATE INDEX cases_concerned_account ON cases (concerned_account_id) WHERE concerned_account_id IS NOT NULL;
