-- Before opening, the application events sealed from everyone but their author (decision 0670):
-- `[{"org": БИН, "at": instant}]`, oldest first, emptied at opening; and the instant of the last
-- event everyone may know of. The announcement's version and instant are shown from them.
ALTER TABLE announcements
    ADD COLUMN sealed jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN public_updated_at timestamptz;
