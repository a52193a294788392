-- Projection generations: each build of a read model lives in its own schema
-- (rm_<projection>_g<generation>) with its own checkpoint. Queries read the stable views in the
-- schema `rm`, which point at the live generation; a rebuild fills a new generation beside the
-- live one and swaps the views in one transaction once it has caught up.
CREATE SCHEMA IF NOT EXISTS rm;

CREATE TABLE IF NOT EXISTS projection_generations (
    projection      text        NOT NULL,
    generation      int         NOT NULL,
    schema_name     text        NOT NULL UNIQUE,
    -- how many of the projection's migrations built this generation's tables
    schema_version  int         NOT NULL,
    state           text        NOT NULL CHECK (state IN ('building', 'live', 'retired')),
    -- the checkpoint: the global position of the last event applied ((0,0): none yet), written
    -- in the same transaction as the read-model rows
    position_major  bigint      NOT NULL DEFAULT 0,
    position_minor  bigint      NOT NULL DEFAULT 0,
    events_applied  bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    switched_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, generation)
);

CREATE UNIQUE INDEX IF NOT EXISTS projection_generations_one_live
    ON projection_generations (projection) WHERE state = 'live';
