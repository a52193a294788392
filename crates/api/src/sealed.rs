//! Versions as a viewer may know them (decision 0670): before opening, another organisation's
//! application events neither wake an `announcementChanged` subscriber nor step the versions it
//! is told, the replay shows or a command answers, so neither their number nor their timing
//! shows; the author hears and counts its own. After opening every event counts, and the
//! versions are the stream's.

use async_graphql::{Context, Result};
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_engine::{EngineError, Loaded};
use zakup_projections::views::visibility::{self, Shown, Viewer};
use zakup_store::{RecordedEvent, StreamRange};

use crate::AppState;
use crate::page::app;
use crate::refusal;
use crate::task::AnnouncementChange;

/// One subscriber's place in the announcement's stream.
pub struct Sealing {
    id: Uuid,
    org: Option<String>,
    /// The last version seen: events up to it are not news.
    last: Option<i64>,
    /// How many events seen so far are sealed from the viewer.
    hidden: i64,
}

impl Sealing {
    /// Where the read model stands when the subscription starts, or again after it missed
    /// batches: its version, and the sealed events of other organisations up to it.
    /// Without it the versions told would count the sealed events: the subscription fails.
    pub async fn start(state: &AppState, id: Uuid, org: Option<String>) -> Result<Sealing> {
        let row: Option<(i64, serde_json::Value)> = sqlx::query_as(
            "SELECT version, sealed FROM rm.announcements WHERE announcement_id = $1",
        )
        .bind(id)
        .fetch_optional(&state.pool)
        .await
        .map_err(refusal::read_models)?;
        let (last, hidden) = match row {
            Some((version, sealed)) => {
                let others = sealed.as_array().map_or(0, |all| {
                    all.iter()
                        .filter(|e| org.is_none() || e["org"].as_str() != org.as_deref())
                        .count()
                });
                (Some(version), others as i64)
            }
            None => (None, 0),
        };
        Ok(Sealing {
            id,
            org,
            last,
            hidden,
        })
    }

    /// The changes of `events` (the batch's events of this stream, in order) the viewer may
    /// hear of, on an announcement whose applications are `opened` as the read model says now.
    pub fn told(&mut self, events: &[&RecordedEvent], opened: bool) -> Vec<AnnouncementChange> {
        let viewer = Viewer {
            org: self.org.as_deref(),
            oversees: false,
        };
        let mut told = Vec::new();
        for e in events {
            let version = e.version as i64;
            if self.last.is_some_and(|last| version <= last) {
                continue;
            }
            self.last = Some(version);
            let shown = visibility::shown(&e.event_type, &e.metadata.actor.org_bin, opened, viewer);
            if shown == Shown::Hidden {
                self.hidden += 1;
                continue;
            }
            if opened {
                // Opened: every event is public, the versions are the stream's.
                self.hidden = 0;
            }
            told.push(AnnouncementChange {
                announcement_id: self.id,
                version: version - self.hidden,
                event_type: e.event_type.clone(),
                position: e.position.to_string(),
                occurred_at: e.metadata.occurred_at,
            });
        }
        told
    }
}

/// One event of the auditors' replay as a viewer sees it.
pub struct Replayed<'e> {
    pub event: &'e RecordedEvent,
    pub shown: Shown,
    /// The version the viewer may know: the stream's, less the events sealed from it before.
    pub version: i64,
    /// The event just before it is sealed from the viewer: its hash, which chains to that
    /// event, would show the gap.
    pub follows_sealed: bool,
}

/// The replayed `events` `who` may see, on an announcement `opened` or not at the end of the
/// replay, and how many were sealed from it.
pub fn replayed<'e>(
    events: &'e [RecordedEvent],
    opened: bool,
    who: Viewer<'_>,
) -> (Vec<Replayed<'e>>, i64) {
    let mut hidden = 0;
    let mut follows_sealed = false;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let shown = visibility::shown(&e.event_type, &e.metadata.actor.org_bin, opened, who);
        if shown == Shown::Hidden {
            hidden += 1;
            follows_sealed = true;
            continue;
        }
        out.push(Replayed {
            event: e,
            shown,
            version: e.version as i64 - hidden,
            follows_sealed,
        });
        follows_sealed = false;
    }
    (out, hidden)
}

/// The version `version` of the announcement's stream as the signed-in viewer may know it.
pub async fn public_version(ctx: &Context<'_>, id: Uuid, version: i64) -> Result<i64> {
    let org = crate::page::viewer_org(ctx)?;
    let loaded = app(ctx)
        .engine
        .load::<Announcement>(&id.to_string(), StreamRange::up_to_version(version as u64))
        .await
        .map_err(|e| refusal::engine(&e))?;
    let opened = zakup_projections::views::opened(&loaded.state);
    let who = Viewer {
        org: org.as_deref(),
        oversees: false,
    };
    Ok(version - replayed(&loaded.events, opened, who).1)
}

/// The announcement replayed up to the version `version` as the viewer of `org` numbers it
/// (decision 0670): before opening its numbers skip the events sealed from it, so the stream's
/// version is `version` plus those before. Each read finds the sealed events of a longer prefix;
/// it stops at a visible event, at the stream's end, or past the opening, where the numbers are
/// the stream's again.
pub async fn up_to_public_version(
    state: &AppState,
    id: Uuid,
    version: i64,
    org: Option<&str>,
) -> Result<Loaded<Announcement>, EngineError> {
    let who = Viewer {
        org,
        oversees: false,
    };
    let mut cut = version;
    loop {
        let loaded = state
            .engine
            .load::<Announcement>(&id.to_string(), StreamRange::up_to_version(cut as u64))
            .await?;
        let opened = zakup_projections::views::opened(&loaded.state);
        let (_, hidden) = replayed(&loaded.events, opened, who);
        let ended = loaded.version.is_none_or(|last| (last as i64) < cut);
        if hidden == 0 || ended || version + hidden <= cut {
            return Ok(loaded);
        }
        cut = version + hidden;
    }
}
