-- Read state (docs/decisions/0351): the catalog's only message the seed reads or leaves unread is
-- the camera-control notice («не прочитанное уведомление», L10934–10944), read once any employee
-- of the organizer presses «Ознакомлен» (NoticeAcknowledged). Kept from the events like every
-- other column, so a rebuild gives it back.

-- The notice a `notice_delivered` message carries; null for the other kinds.
ALTER TABLE messages ADD COLUMN notice_id uuid;
-- When the notice was acknowledged; null while unread and for the kinds without read state.
ALTER TABLE messages ADD COLUMN read_at timestamptz;
CREATE INDEX messages_by_notice ON messages (notice_id) WHERE notice_id IS NOT NULL;
