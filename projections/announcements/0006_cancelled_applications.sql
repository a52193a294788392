-- An application shows «Отменено» (`cancelled`) with its cancelled announcement (spec 000-D §2.4,
-- L12131–12135; decision 0608). No column changes: a new migration rebuilds the read model, so
-- that the applications of announcements cancelled before are shown so too.
COMMENT ON COLUMN applications.status IS
    'spec 000-A §3.3 where it names a status, and cancelled with the announcement; null otherwise';
