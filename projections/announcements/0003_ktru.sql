-- The plan item's КТРУ code, for the public search by classifier (spec 000-A §2.2, L65).
ALTER TABLE lots ADD COLUMN ktru text;
CREATE INDEX lots_by_ktru ON lots (ktru text_pattern_ops);
