-- Customer requests («Заявка заказчика»): plan items a customer asked its organizer to procure,
-- returned ones with their reason, and which announcement holds each now.

-- Private to the projector: the plan-item events already seen, to fold with the domain's `apply`.
CREATE TABLE plan_item_history (
    stream_id       text    NOT NULL,
    version         bigint  NOT NULL,
    event_type      text    NOT NULL,
    schema_version  int     NOT NULL,
    payload         jsonb   NOT NULL,
    PRIMARY KEY (stream_id, version)
);

CREATE TABLE customer_requests (
    plan_item_id      text        PRIMARY KEY,
    customer_bin      text        NOT NULL,
    organizer_bin     text        NOT NULL,
    subject_type      text        NOT NULL,
    name_ru           text        NOT NULL,
    amount            numeric     NOT NULL,
    requested_at      timestamptz NOT NULL,
    -- requested | returned | reserved | procurement_held | procurement_failed
    state             text        NOT NULL,
    return_reason     text,
    returned_at       timestamptz,
    announcement_id   uuid,
    lot_number        text,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL
);
CREATE INDEX customer_requests_by_customer ON customer_requests (customer_bin, requested_at);
CREATE INDEX customer_requests_by_organizer ON customer_requests (organizer_bin, state);
