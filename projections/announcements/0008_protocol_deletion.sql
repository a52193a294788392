-- A deleted protocol version stays in the history, «Не действительный» with when it was deleted
-- (decision 0605). Streams written before it may hold a deleted version and a re-formed one of
-- the same number, so a version row is keyed by its place in the order of formation.
ALTER TABLE protocols
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN formation int NOT NULL,
    DROP CONSTRAINT protocols_pkey,
    ADD PRIMARY KEY (announcement_id, formation);
