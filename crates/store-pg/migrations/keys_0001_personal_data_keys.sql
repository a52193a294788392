-- The persons' data keys (issue 18 item 5, decision 0840), outside the event log. Personal values
-- in events are sealed with their holder's key; forgetting a person deletes the row, after which
-- those values read as erased. `subject` is the person's ИИН: the row is the only place it stays
-- in clear, and it goes with the key.
CREATE TABLE IF NOT EXISTS pd_keys (
    key_id     uuid        PRIMARY KEY,
    subject    text        NOT NULL UNIQUE,
    secret     bytea       NOT NULL CHECK (length(secret) = 32),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
