-- Electronic bank guarantees («Электронные банковские гарантии», spec 000-D §2.11, §4.2): one row
-- per guarantee with the search's fields (L10536–10646), its lots with their statuses, and the
-- request pending at the bank (the bank's queue).
CREATE TABLE guarantees (
    guarantee_id         uuid        PRIMARY KEY,
    number               text        NOT NULL,
    -- application_security | contract_security
    kind                 text        NOT NULL,
    -- active | hold_pending_bank | held | return_pending_bank | returned | executed
    status               text        NOT NULL,
    bank_bin             text        NOT NULL,
    bank_name            text        NOT NULL,
    supplier_bin         text        NOT NULL,
    customer_bin         text        NOT NULL,
    organizer_bin        text        NOT NULL,
    amount               numeric     NOT NULL,
    issued_on            date        NOT NULL,
    valid_until          date        NOT NULL,
    announcement_id      uuid        NOT NULL,
    announcement_number  text        NOT NULL,
    contract_number      text,
    -- [{plan_item_id, lot_number, status}]
    lots                 jsonb       NOT NULL,
    lot_numbers          text[]      NOT NULL,
    -- the request signed and waiting for the bank: hold | return
    pending_request      text,
    pending_cause        text,
    pending_grounds      text,
    pending_lots         text[],
    pending_since        timestamptz,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL
);
CREATE INDEX guarantees_by_bank ON guarantees (bank_bin, pending_since);
CREATE INDEX guarantees_by_supplier ON guarantees (supplier_bin);
CREATE INDEX guarantees_by_customer ON guarantees (customer_bin);
CREATE INDEX guarantees_by_organizer ON guarantees (organizer_bin);
