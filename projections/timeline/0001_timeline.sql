-- Every event of every announcement: who did it, when, and the reason given. Auditors and
-- frontends read it per stream, newest or oldest first.
CREATE TABLE timeline (
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  int         NOT NULL,
    actor_user_id   text        NOT NULL,
    actor_iin       text        NOT NULL,
    actor_org_bin   text        NOT NULL,
    actor_role      text        NOT NULL,
    command_id      uuid        NOT NULL,
    correlation_id  uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    reason          text,
    position_major  bigint      NOT NULL,
    position_minor  bigint      NOT NULL,
    PRIMARY KEY (stream_id, version)
);
CREATE INDEX timeline_by_org ON timeline (actor_org_bin, recorded_at);
