-- Folds read a stream's older events back from the event store itself (history.rs): the
-- projector no longer keeps its own copy of every event it sees.
DROP TABLE announcement_history;
