-- A case whose sender is protected (it is or once was a denunciation) has no supporting units
-- (issue 10, finding 14). Migration 20261206000016 set identity_protected on older cases that had
-- been denunciations and were reclassified, but left the supporting units such a case had been
-- given after it stopped being one: their officials still found it in their "supported" lists and
-- exports (its description can tell who sent it, Luật Tố cáo 2018, Điều 51). Their support ends
-- here; the history keeps that they were added. The reads refuse them as well
-- (`authorize_case_file_with`, `CaseFilter::supported_within`).
DELETE FROM case_supports WHERE case_id IN (SELECT id FROM cases WHERE identity_protected);
