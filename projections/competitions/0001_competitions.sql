-- PPP competitions (spec 002-003 part B, decision 0910): «Менің конкурстарым (ұйымдастырушы)»,
-- and the chat's notifications (C4, decision 0915).

CREATE TABLE competitions (
    competition_id  uuid        PRIMARY KEY,
    organizer_bin   text        NOT NULL,
    created_by      text        NOT NULL,
    -- draft | published | published_discussion | draft_contract_approval | completed
    status          text        NOT NULL,
    method          text        NOT NULL,
    name_kk         text        NOT NULL,
    name_ru         text        NOT NULL,
    name_en         text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL
);
CREATE INDEX competitions_by_organizer ON competitions (organizer_bin, created_at DESC);

-- One row per chat message and recipient: a person by ИИН, or every employee of the organizer
-- by БИН. The author's ИИН is never stored here.
CREATE TABLE competition_notifications (
    message_id      uuid        NOT NULL,
    event_id        uuid        NOT NULL,
    competition_id  uuid        NOT NULL,
    recipient_kind  text        NOT NULL,
    recipient       text        NOT NULL,
    -- organizer | initiator | state_partner | chat_participant
    recipient_role  text        NOT NULL,
    text            text        NOT NULL,
    author_bin      text        NOT NULL,
    sent_at         timestamptz NOT NULL,
    position_major  bigint      NOT NULL,
    position_minor  bigint      NOT NULL,
    PRIMARY KEY (message_id, recipient_kind, recipient)
);
CREATE INDEX competition_notifications_by_recipient
    ON competition_notifications (recipient, position_major DESC, position_minor DESC);
