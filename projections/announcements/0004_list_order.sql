-- «Поиск объявлений» and «Поиск лотов» list newest draft first (`ORDER BY drafted_at DESC,
-- announcement_id`): this index lets a page read its 20 rows in order and stop, instead of
-- sorting every visible announcement for each request.
CREATE INDEX announcements_by_drafted ON announcements (drafted_at DESC, announcement_id);
-- The organizer's own list in the same order (the organizer filter, an organizer's drafts);
-- it also answers every lookup by organizer the old single-column index served.
DROP INDEX announcements_by_organizer;
CREATE INDEX announcements_by_organizer ON announcements (organizer_bin, drafted_at DESC, announcement_id);
