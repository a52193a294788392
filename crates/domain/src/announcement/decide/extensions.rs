//! Deadlines moved by a failure, a maintenance window or force majeure (spec 001-004 §4.2, §4.4;
//! decision 0871): the announcement names its open deadlines, the component computes the rule's.

use super::Decision;
use crate::actor::Context;
use crate::announcement::{Announcement, AnnouncementEvent};
use crate::method::Step;
use crate::procedure::extensions::{ExtensionCause, OpenDeadlines};

impl Announcement {
    pub(super) fn extend_deadlines(&self, cause: &ExtensionCause, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        let (extended, applied) =
            self.extensions
                .decide(cause, &self.open_deadlines(), &ctx.calendar, ctx.now)?;
        Ok(extended
            .into_iter()
            .map(AnnouncementEvent::DeadlineExtended)
            .chain([AnnouncementEvent::DeadlineMeasuresApplied(applied)])
            .collect())
    }

    /// The deadlines a failure or a window may still move: the end of acceptance from
    /// publication until acceptance ends, and the supplement period's while it runs. A suspended
    /// procedure's timers are frozen (decision 0204) and move with its resumption instead.
    pub fn open_deadlines(&self) -> OpenDeadlines {
        let accepting = self.allows(Step::StartAcceptance) || self.allows(Step::Acceptance);
        let supplementing = self.allows(Step::Supplements);
        OpenDeadlines {
            acceptance: self.acceptance.filter(|_| accepting),
            supplement: self.offers.supplement.filter(|_| supplementing),
        }
    }
}
