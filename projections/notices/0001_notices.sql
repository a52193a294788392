-- Camera control (spec 000-D §4): «Журнал уведомлений» and «Журнал возражений». One projector
-- folds each touched announcement with the domain's own `apply` and rewrites its notices and
-- objections, so statuses, countdowns and restrictions are the domain's, never re-derived in SQL.

-- Private to the projector (not exposed in `rm`): the events already seen, so a batch can fold
-- an announcement from its first event without asking the event store.
CREATE TABLE notice_history (
    stream_id       text    NOT NULL,
    version         bigint  NOT NULL,
    event_type      text    NOT NULL,
    schema_version  int     NOT NULL,
    payload         jsonb   NOT NULL,
    PRIMARY KEY (stream_id, version)
);

-- One notice on one lot. A notice handed over to a documentation-change copy moves with its lot:
-- it leaves the original's rows and appears under the copy.
CREATE TABLE notices (
    announcement_id          uuid        NOT NULL,
    notice_id                uuid        NOT NULL,
    announcement_number      text        NOT NULL,
    announcement_status      text        NOT NULL,
    plan_item_id             text        NOT NULL,
    lot_number               text,
    lot_name_ru              text,
    direction                text        NOT NULL,
    remedy                   text        NOT NULL,
    status                   text        NOT NULL,
    organizer_bin            text        NOT NULL,
    inspector_iin            text        NOT NULL,
    text                     text        NOT NULL,
    delivered_at             timestamptz NOT NULL,
    acknowledged_at          timestamptz,
    -- «Срок окончания исполнения уведомления»: the last Astana day, and the instant it ends
    execution_deadline       date        NOT NULL,
    expires_at               timestamptz NOT NULL,
    objection_deadline       date        NOT NULL,
    -- frozen by a delivered objection: the Astana day it stopped and the working days then left
    stopped_on               date,
    stopped_remaining_days   int,
    -- documentation_change, cancellation, ppd_revision, results_revision: the route taken
    route                    text,
    cancellation_only        boolean     NOT NULL,
    -- the domain's notice as folded: the API asks it for the days left at the moment of the query
    notice                   jsonb       NOT NULL,
    version                  bigint      NOT NULL,
    PRIMARY KEY (announcement_id, notice_id)
);
CREATE INDEX notices_by_organizer ON notices (organizer_bin, delivered_at);
CREATE INDEX notices_by_status ON notices (status);

CREATE TABLE objections (
    announcement_id     uuid        NOT NULL,
    objection_id        uuid        NOT NULL,
    notice_id           uuid        NOT NULL,
    number              int         NOT NULL,
    status              text        NOT NULL,
    creator_iin         text        NOT NULL,
    approver_iin        text        NOT NULL,
    description_ru      text,
    description_kz      text,
    rejection_reason    text,
    approved_at         timestamptz,
    -- «Дата отправки»: delivered to the Committee on signing
    sent_at             timestamptz,
    conclusion          text,
    PRIMARY KEY (announcement_id, objection_id)
);
CREATE INDEX objections_by_notice ON objections (notice_id);
