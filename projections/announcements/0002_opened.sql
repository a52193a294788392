-- Whether the applications have been opened: until then, who applied is sealed (the timeline
-- hides other suppliers' application events).
ALTER TABLE announcements ADD COLUMN opened boolean NOT NULL DEFAULT false;
