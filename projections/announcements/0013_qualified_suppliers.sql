-- The Registry of qualified suppliers (spec 000-C §9.4, decision 0802): one row per supplier a
-- completed qualification selection admitted, with the qualification data confirmed for it.
CREATE TABLE qualified_suppliers (
    announcement_id      uuid        NOT NULL,
    application_id       uuid        NOT NULL,
    supplier_bin         text        NOT NULL,
    announcement_number  text        NOT NULL,
    plan_item_ids        text[]      NOT NULL,
    confirmed            jsonb       NOT NULL,
    included_at          timestamptz NOT NULL,
    PRIMARY KEY (announcement_id, application_id)
);
CREATE INDEX qualified_suppliers_by_supplier ON qualified_suppliers (supplier_bin, included_at);
