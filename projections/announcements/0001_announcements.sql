-- The announcement read models. One projector folds each touched announcement with the domain's
-- own `apply` and rewrites its rows, so statuses, voting control and protocol validity are the
-- domain's, never re-derived in SQL.

-- Private to the projector (not exposed in `rm`): the events already seen, so a batch can fold
-- an announcement from its first event without asking the event store.
CREATE TABLE announcement_history (
    stream_id       text    NOT NULL,
    version         bigint  NOT NULL,
    event_type      text    NOT NULL,
    schema_version  int     NOT NULL,
    payload         jsonb   NOT NULL,
    PRIMARY KEY (stream_id, version)
);

-- The search of spec 000-A §2.2: customer БИН, lot name, method, status, dates.
CREATE TABLE announcements (
    announcement_id         uuid        PRIMARY KEY,
    number                  text        NOT NULL,
    index                   int         NOT NULL,
    source_announcement_id  uuid,
    method                  text        NOT NULL,
    procurement_type        text        NOT NULL,
    subject_type            text        NOT NULL,
    name_ru                 text        NOT NULL,
    name_kk                 text        NOT NULL,
    organizer_bin           text        NOT NULL,
    status                  text        NOT NULL,
    deleted                 boolean     NOT NULL,
    customer_bins           text[]      NOT NULL,
    -- every lot name, Russian and Kazakh, lower-cased: the «наименование лота» filter
    lot_names               text        NOT NULL,
    total_amount            numeric     NOT NULL,
    drafted_at              timestamptz NOT NULL,
    published_at            timestamptz,
    discussion_end          timestamptz,
    acceptance_start        timestamptz,
    acceptance_end          timestamptz,
    updated_at              timestamptz NOT NULL,
    version                 bigint      NOT NULL,
    position_major          bigint      NOT NULL,
    position_minor          bigint      NOT NULL
);
CREATE INDEX announcements_by_status ON announcements (status, published_at);
CREATE INDEX announcements_by_organizer ON announcements (organizer_bin);
CREATE INDEX announcements_by_customer ON announcements USING gin (customer_bins);

CREATE TABLE lots (
    announcement_id        uuid        NOT NULL,
    plan_item_id           text        NOT NULL,
    lot_number             text        NOT NULL,
    customer_bin           text        NOT NULL,
    name_ru                text        NOT NULL,
    name_kk                text        NOT NULL,
    amount                 numeric     NOT NULL,
    -- spec §3.2; null where the spec names no lot status (draft, completed)
    status                 text,
    cancelled_at           timestamptz,
    outcome                text,
    winner_application_id  uuid,
    PRIMARY KEY (announcement_id, plan_item_id)
);
CREATE INDEX lots_by_plan_item ON lots (plan_item_id);

CREATE TABLE applications (
    announcement_id   uuid        NOT NULL,
    application_id    uuid        NOT NULL,
    supplier_bin      text        NOT NULL,
    submitted_at      timestamptz NOT NULL,
    status            text,
    -- applications are sealed until opening: before it only their supplier may read them
    opened            boolean     NOT NULL,
    PRIMARY KEY (announcement_id, application_id)
);
CREATE INDEX applications_by_supplier ON applications (supplier_bin);

CREATE TABLE application_offers (
    announcement_id   uuid    NOT NULL,
    application_id    uuid    NOT NULL,
    plan_item_id      text    NOT NULL,
    price             numeric NOT NULL,
    -- the final decision of the commission, once voting is completed
    decision          text,
    supplemented      boolean NOT NULL,
    PRIMARY KEY (announcement_id, application_id, plan_item_id)
);

CREATE TABLE commission_members (
    announcement_id  uuid    NOT NULL,
    iin              text    NOT NULL,
    full_name        text    NOT NULL,
    function         text    NOT NULL CHECK (function IN ('chairman', 'member', 'secretary')),
    -- excluded by a change of commission: may not vote again
    active           boolean NOT NULL,
    PRIMARY KEY (announcement_id, iin)
);
CREATE INDEX commission_members_by_iin ON commission_members (iin);

-- Who voted what, per member × application × lot (spec §7).
CREATE TABLE votes (
    announcement_id  uuid NOT NULL,
    application_id   uuid NOT NULL,
    member_iin       text NOT NULL,
    plan_item_id     text NOT NULL,
    decision         text NOT NULL,
    PRIMARY KEY (announcement_id, application_id, member_iin, plan_item_id)
);

-- «Контроль голосования»: per lot under review, quorum and counters per application.
CREATE TABLE voting_control (
    announcement_id  uuid NOT NULL,
    plan_item_id     text NOT NULL,
    status           text NOT NULL,
    application_id   uuid NOT NULL,
    admitted         int  NOT NULL,
    not_admitted     int  NOT NULL,
    not_voted        int  NOT NULL,
    PRIMARY KEY (announcement_id, plan_item_id, application_id)
);

-- Every version of every protocol with its validity (spec §3.7, §6).
CREATE TABLE protocols (
    announcement_id  uuid        NOT NULL,
    kind             text        NOT NULL,
    version          int         NOT NULL,
    validity         text        NOT NULL,
    automatic        boolean     NOT NULL,
    content_sha256   text        NOT NULL,
    formed_at        timestamptz NOT NULL,
    published_at     timestamptz,
    signer_iins      text[]      NOT NULL,
    content          jsonb       NOT NULL,
    PRIMARY KEY (announcement_id, kind, version)
);
