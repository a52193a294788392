-- The event store (§5.3 of the design research): per-stream optimistic concurrency, a gap-free
-- global order by (xid8, global_position), commit-order instants, idempotent commands.

CREATE TABLE IF NOT EXISTS es_streams (
    stream_id   text        PRIMARY KEY,
    category    text        NOT NULL,
    version     bigint      NOT NULL,          -- last event's version, 0-based
    last_hash   text        NOT NULL,          -- head of the hash chain
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE IF NOT EXISTS es_events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Assigned at the transaction's first write, which is always the es_streams row: a later
    -- writer of the same stream can only see the earlier version once it committed, so its xid
    -- is newer and (tx_id, global_position) keeps every stream's order.
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL REFERENCES es_streams (stream_id),
    category        text        NOT NULL,
    version         bigint      NOT NULL,
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  int         NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    -- clock_timestamp(), not now(): now() is the transaction's start and is not monotonic per
    -- stream; auditors' "as of an instant" needs commit order.
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    hash            text        NOT NULL,
    UNIQUE (stream_id, version)
);

CREATE INDEX IF NOT EXISTS es_events_global_order ON es_events (tx_id, global_position);

CREATE TABLE IF NOT EXISTS es_commands (
    stream_id     text   NOT NULL,
    command_id    uuid   NOT NULL,
    first_version bigint NOT NULL,
    last_version  bigint NOT NULL,
    tx_id         xid8   NOT NULL,
    position      bigint NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (stream_id, command_id)
);

-- Wake-ups for subscribers; delivered at commit. Subscribers also poll, so a lost notification
-- costs latency, never an event.
CREATE OR REPLACE FUNCTION es_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('zakup_events', '');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS es_events_notify ON es_events;
CREATE TRIGGER es_events_notify AFTER INSERT ON es_events
    FOR EACH STATEMENT EXECUTE FUNCTION es_notify();
