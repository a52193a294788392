//! The announcements a scheduler (or the single-source runner) follows, folded from the global
//! log, and the index of their pending deadlines.
//!
//! Memory must not grow with the announcements the portal has finished (issue 25, W7 of the
//! issue, the bench's workload 9): an announcement whose status is settled (completed, cancelled,
//! superseded by a copy) and that its follower does not `want` is dropped after each read. An
//! event on a dropped announcement later (a revision of results reopens a completed one) folds
//! its stream anew, up to that event, so what is kept is always the fold of the log as read.
//! A tick reads the deadlines index up to its instant: its time grows with the deadlines due, not
//! with every announcement followed.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, Deadline};
use zakup_domain::competition::{Competition, CompetitionStatus};
use zakup_domain::status::AnnouncementStatus;
use zakup_store::{Filter, Position, StreamRange};

use crate::{Decider, Engine, EngineError, decode};

/// One followed announcement: its fold, the version folded to, and the instants it has in the
/// deadlines index (to take them out when it changes).
struct Tracked {
    version: u64,
    state: Announcement,
    indexed: Vec<DateTime<Utc>>,
}

pub(crate) struct Folded {
    pub(crate) after: Option<Position>,
    announcements: HashMap<Uuid, Tracked>,
    /// Every followed announcement's pending deadlines, by instant.
    deadlines: BTreeSet<(DateTime<Utc>, Uuid)>,
    /// Whether a settled announcement still matters to the follower (is kept).
    want: fn(&Announcement) -> bool,
    /// The PPP competitions (decision 0910) until their one timed transition, the discussion's
    /// start (C3): a competition past it is dropped, as a settled announcement is.
    competitions: HashMap<Uuid, Competition>,
    /// The competitions past that start: they never return to it, so their later events (the
    /// chat's messages) are skipped unread. Few, and an id each.
    past: HashSet<Uuid>,
}

impl Folded {
    pub(crate) fn new(want: fn(&Announcement) -> bool) -> Self {
        Folded {
            after: None,
            announcements: HashMap::new(),
            deadlines: BTreeSet::new(),
            want,
            competitions: HashMap::new(),
            past: HashSet::new(),
        }
    }

    /// The announcements followed, as folded.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Uuid, &Announcement)> {
        self.announcements.iter().map(|(id, t)| (*id, &t.state))
    }

    /// The auctions in bidding, and those cancelled after their start, as the fold stands.
    pub(crate) fn in_bidding(&self) -> Vec<Uuid> {
        self.iter()
            .filter(|(_, a)| super::in_bidding(a))
            .map(|(id, _)| id)
            .collect()
    }

    /// How many announcements are held in memory (the bench's workload 9).
    pub(crate) fn len(&self) -> usize {
        self.announcements.len()
    }

    /// The deadlines at or before `until`, with their announcements, in (instant, id) order.
    pub(crate) fn due(&self, until: DateTime<Utc>) -> Vec<(Uuid, Deadline)> {
        let mut ids: Vec<Uuid> = self
            .deadlines
            .range(..=(until, Uuid::max()))
            .map(|(_, id)| *id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut due: Vec<(Uuid, Deadline)> = ids
            .into_iter()
            .filter_map(|id| self.announcements.get(&id).map(|t| (id, &t.state)))
            .flat_map(|(id, a)| a.deadlines().into_iter().map(move |d| (id, d)))
            .filter(|(_, d)| d.at <= until)
            .collect();
        due.sort_by_key(|(id, d)| (d.at, *id));
        due
    }

    /// The competitions whose discussion start is at or before `until`, in (instant, id) order.
    pub(crate) fn competitions_due(&self, until: DateTime<Utc>) -> Vec<(Uuid, DateTime<Utc>)> {
        let mut due: Vec<_> = self
            .competitions
            .iter()
            .filter_map(|(id, c)| c.discussion_start_due().map(|at| (*id, at)))
            .filter(|(_, at)| *at <= until)
            .collect();
        due.sort_by_key(|(id, at)| (*at, *id));
        due
    }

    /// Folds the announcements' events after where it last read. It keeps how far the log was
    /// searched, past the last announcement event, so that `Scheduler::caught_up_to` can wait
    /// for a position of another stream (a sandbox clock's move).
    pub(crate) async fn catch_up(&mut self, engine: &Engine) -> Result<(), EngineError> {
        let filter = Filter::categories([Announcement::CATEGORY, Competition::CATEGORY]);
        loop {
            let page = engine
                .store()
                .read_all_through(self.after, &filter, 1000)
                .await?;
            let mut touched = Vec::new();
            for recorded in &page.events {
                let stream = recorded.stream_id.as_str();
                if let Some(id) = stream
                    .strip_prefix("competition-")
                    .and_then(|id| Uuid::parse_str(id).ok())
                {
                    self.fold_competition(engine, id, recorded).await?;
                    continue;
                }
                let Some(id) = stream
                    .strip_prefix("announcement-")
                    .and_then(|id| Uuid::parse_str(id).ok())
                else {
                    continue;
                };
                match self.announcements.get_mut(&id) {
                    // Folded already, from its stream, when it came back after being dropped.
                    Some(t) if recorded.version <= t.version => continue,
                    Some(t) => {
                        t.state.apply(&decode::<Announcement>(recorded)?);
                        t.version = recorded.version;
                    }
                    None => {
                        let state = refold(engine, id, recorded.version, recorded).await?;
                        let tracked = Tracked {
                            version: recorded.version,
                            state,
                            indexed: Vec::new(),
                        };
                        self.announcements.insert(id, tracked);
                    }
                }
                touched.push(id);
            }
            touched.sort_unstable();
            touched.dedup();
            for id in touched {
                self.reindex(id);
            }
            let through = page.through.or(page.events.last().map(|e| e.position));
            if let Some(through) = through {
                self.after = Some(self.after.map_or(through, |a| a.max(through)));
            }
            if page.events.is_empty() {
                return Ok(());
            }
        }
    }

    /// Folds a competition's event; keeps the competition only while its discussion has not
    /// started (a draft may still be published). One first seen past version 0 (the follower
    /// started reading mid-log) is folded from its stream.
    async fn fold_competition(
        &mut self,
        engine: &Engine,
        id: Uuid,
        recorded: &zakup_store::RecordedEvent,
    ) -> Result<(), EngineError> {
        if self.past.contains(&id) {
            return Ok(());
        }
        let state = match self.competitions.remove(&id) {
            Some(mut state) => {
                state.evolve(&decode::<Competition>(recorded)?);
                state
            }
            None if recorded.version == 0 => {
                let mut state = Competition::default();
                state.evolve(&decode::<Competition>(recorded)?);
                state
            }
            None => {
                engine
                    .load::<Competition>(
                        &id.to_string(),
                        StreamRange::up_to_version(recorded.version),
                    )
                    .await?
                    .state
            }
        };
        let pending = matches!(
            state.status,
            None | Some(CompetitionStatus::Draft | CompetitionStatus::Published)
        ) && !state.deleted;
        if pending {
            self.competitions.insert(id, state);
        } else {
            self.past.insert(id);
        }
        Ok(())
    }

    /// Puts `id`'s deadlines in the index anew, or drops it if it is settled and not wanted.
    fn reindex(&mut self, id: Uuid) {
        let Some(t) = self.announcements.get_mut(&id) else {
            return;
        };
        for at in t.indexed.drain(..) {
            self.deadlines.remove(&(at, id));
        }
        let deadlines = t.state.deadlines();
        if deadlines.is_empty() && settled(&t.state) && !(self.want)(&t.state) {
            self.announcements.remove(&id);
            return;
        }
        for d in deadlines {
            self.deadlines.insert((d.at, id));
            t.indexed.push(d.at);
        }
    }
}

/// Whether an announcement has reached a status it leaves only by a rare act (a revision of
/// results, a cancellation's review): what a follower can drop and fold again if it moves.
fn settled(a: &Announcement) -> bool {
    matches!(
        a.status,
        Some(
            AnnouncementStatus::Completed
                | AnnouncementStatus::Cancelled
                | AnnouncementStatus::DocumentationChanged
        )
    )
}

/// The fold of announcement `id` up to `version`, whose event `recorded` is: the event alone for
/// a new stream, its stream read up to it for one that was dropped (or began before the read).
async fn refold(
    engine: &Engine,
    id: Uuid,
    version: u64,
    recorded: &zakup_store::RecordedEvent,
) -> Result<Announcement, EngineError> {
    if version == 0 {
        let mut state = Announcement::default();
        state.apply(&decode::<Announcement>(recorded)?);
        return Ok(state);
    }
    let loaded = engine
        .load::<Announcement>(&id.to_string(), StreamRange::up_to_version(version))
        .await?;
    Ok(loaded.state)
}
