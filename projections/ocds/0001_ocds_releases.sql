-- OCDS releases (issue 23, decisions 0780–0782): one row per command whose events changed what
-- the public sees of an announcement. The cursor of `GET /ocds/releases` is the position of the
-- command's first event, so it is the same in every generation.
CREATE TABLE ocds_releases (
    release_id      text        PRIMARY KEY,
    ocid            text        NOT NULL,
    announcement_id uuid        NOT NULL,
    command_id      uuid        NOT NULL,
    released_at     timestamptz NOT NULL,
    position_major  bigint      NOT NULL,
    position_minor  bigint      NOT NULL,
    release         jsonb       NOT NULL
);
CREATE INDEX ocds_releases_by_position ON ocds_releases (position_major, position_minor);
CREATE INDEX ocds_releases_by_ocid ON ocds_releases (ocid, released_at, position_major, position_minor);
CREATE INDEX ocds_releases_by_date ON ocds_releases (released_at);

-- Per stream, the last command the projector saw and where it began: a batch that ends inside
-- a command's events is continued by the next one from the fold before that command.
CREATE TABLE ocds_streams (
    stream_id     text   PRIMARY KEY,
    command_id    uuid   NOT NULL,
    start_version bigint NOT NULL
);
