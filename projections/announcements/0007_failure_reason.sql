-- Why a failed lot did not take place (`one_application`, …), for the single source that a
-- failed ЗЦП starts (spec 000-C L6866–6874, docs/decisions/0601).
ALTER TABLE lots ADD COLUMN failure_reason text;
