-- What the announcement's screens show beyond the searchable header (issue 24, decision 0641):
-- documents, acts, the discussion's requests and answers, the commission's review, the
-- conditional discounts and the supplement period, as one document per announcement
-- (`zakup_projections::views::ScreenView`). Read by id only, never filtered on.
CREATE TABLE announcement_screens (
    announcement_id  uuid  PRIMARY KEY,
    screen           jsonb NOT NULL
);
-- Lot and application statuses now mirror the announcement where the spec names none
-- (decision 0640): this migration also rebuilds `lots` and `applications` with them.
