-- The command record moves into the event row (issue 25, docs/decisions/0930): a command's last
-- event carries its id and how many events it appended, so an append writes one row per event
-- and no es_commands row (W1's profile: three rows per append). The unique index makes command
-- ids global: an id recorded on one stream is refused on every other (issue 26, decision 0632's
-- "not done"). Only last events carry an id, so the index stays as small as es_commands was.
ALTER TABLE es_events ADD COLUMN IF NOT EXISTS command_id uuid,
                      ADD COLUMN IF NOT EXISTS command_events int;

-- The records written before move onto their command's last event. The old schema let one id be
-- recorded on several streams: its first record moves, the later ones stay in es_commands and
-- still answer a retry on their own stream; no new command can take the id.
WITH first AS (
    SELECT DISTINCT ON (command_id) stream_id, command_id, first_version, last_version
      FROM es_commands
     ORDER BY command_id, tx_id, position)
UPDATE es_events e
   SET command_id = first.command_id,
       command_events = (first.last_version - first.first_version + 1)::int
  FROM first
 WHERE e.stream_id = first.stream_id AND e.version = first.last_version;

DELETE FROM es_commands c
 USING es_events e
 WHERE e.command_id = c.command_id AND e.stream_id = c.stream_id;

CREATE UNIQUE INDEX IF NOT EXISTS es_events_command_id ON es_events (command_id)
 WHERE command_id IS NOT NULL;
