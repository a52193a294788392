-- The portal-wide block of an unread notice (docs/decisions/0310): before every command the API
-- asks for the announcements where the actor's organisation has a notice in an unread status.
CREATE INDEX notices_by_organizer_status ON notices (organizer_bin, status);
