-- Whether the members' votes are fixed by a protocol published after the voting (decision 0672):
-- until then only the organizer's staff and the auditors read them.
ALTER TABLE announcements ADD COLUMN votes_fixed boolean NOT NULL DEFAULT false;
