-- Wake-ups leave the append transaction. `pg_notify` inside it queued the notification at commit
-- under a database-wide lock held until the commit record was flushed, so appending transactions
-- committed one at a time (docs/benchmarks.md, workloads 1 and 2). `PgStore` now wakes its own
-- subscribers after the commit and tells other processes with a NOTIFY of its own, outside the
-- append (`PgStore::committed`); subscribers still poll, so a lost wake-up costs latency only.
DROP TRIGGER IF EXISTS es_events_notify ON es_events;
DROP FUNCTION IF EXISTS es_notify();
