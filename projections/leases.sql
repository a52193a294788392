-- Leases (decision 0760): which node runs the work that must run once across the nodes sharing
-- this database (the projections, the timers). A lease is held while its holder renews it before
-- `expires_at`; any node may take it once that instant has passed. Instants are the database's
-- clock, so the nodes' clocks need not agree.
CREATE TABLE IF NOT EXISTS node_leases (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
