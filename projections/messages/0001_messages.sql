-- Portal messages («Уведомления» in «Профиль участника», spec 000-D §9.1, 000-A §9.3): what the
-- portal sends to users when procurement events happen. One row per (message, recipient); a
-- message is identified by the event that triggered it and its kind, so replaying an event never
-- writes it twice. Recipients are resolved from the announcement's folded state at that event.

-- Private to the projector (not exposed in `rm`): the events already seen, so a batch can fold
-- an announcement from its first event without asking the event store.
CREATE TABLE message_history (
    stream_id       text    NOT NULL,
    version         bigint  NOT NULL,
    event_type      text    NOT NULL,
    schema_version  int     NOT NULL,
    payload         jsonb   NOT NULL,
    PRIMARY KEY (stream_id, version)
);

CREATE TABLE messages (
    -- UUIDv5(event_id, kind): the same for every recipient of the message
    message_id           uuid        NOT NULL,
    event_id             uuid        NOT NULL,
    stream_id            text        NOT NULL,
    stream_version       bigint      NOT NULL,
    announcement_id      uuid        NOT NULL,
    announcement_number  text        NOT NULL,
    -- snake_case id of the trigger, e.g. `ppd_revision_started` (docs/decisions/0350)
    kind                 text        NOT NULL,
    text                 text        NOT NULL,
    -- the seed lines the trigger comes from, e.g. `L12508–12512`
    source               text        NOT NULL,
    occurred_at          timestamptz NOT NULL,
    -- `person` (recipient is an ИИН) or `organisation` (recipient is a БИН: all its employees)
    recipient_kind       text        NOT NULL CHECK (recipient_kind IN ('person', 'organisation')),
    recipient            text        NOT NULL,
    -- why they receive it: secretary, organizer_representative, commission_member, supplier, …
    recipient_role       text        NOT NULL,
    position_major       bigint      NOT NULL,
    position_minor       bigint      NOT NULL,
    PRIMARY KEY (message_id, recipient_kind, recipient)
);
CREATE INDEX messages_by_recipient ON messages (recipient, position_major DESC, position_minor DESC);
CREATE INDEX messages_by_event ON messages (event_id);
