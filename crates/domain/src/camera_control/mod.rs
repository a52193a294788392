//! Camera control (камеральный контроль, spec 000-D §4): the internal state audit's notices on the
//! lots of one announcement, the organizer's objections to them, and the four directions of their
//! execution.
//!
//! [`CameraControl`] holds every notice and objection of one announcement. `decide` checks a
//! command against that state, the [`Context`](crate::actor::Context) and the
//! [`AnnouncementFacts`] the caller reads from the announcement, and returns facts; `apply` folds a
//! fact and never fails. The notice side of every rule is complete here; the announcement side is
//! data in the events ([`CameraControlEvent::announcement_effect`]).
//!
//! Commands are intentions of a person (the inspector, the Committee, the organizer's employees)
//! or of the scheduler. What follows from an announcement action the announcement has already
//! accepted (publishing the documentation-change copy, «Завершить голосование» in a revision,
//! creating the copy) is a reaction: a method returning the facts, with no authorization of its
//! own.

pub mod command;
mod decide;
pub mod event;
pub mod facts;
pub mod notice;
pub mod objection;
pub mod refusal;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use command::{AvailableAction, CameraControlCommand};
pub use event::{AnnouncementEffect, CameraControlEvent};
use event::{DiscussionOutcome, EditableLots, NoticesHandedOverToCopy};
pub use facts::{AnnouncementFacts, LotFacts};
pub use notice::{
    Direction, ExecutionRoute, Notice, NoticeId, NoticeStatus, RemainingDays, Remedy,
};
pub use objection::{Conclusion, Objection, ObjectionId, ObjectionStatus};

use crate::calendar::{Calendar, CalendarError};
use crate::plan_item::PlanItemId;

/// The notices and objections of one announcement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CameraControl {
    pub notices: BTreeMap<NoticeId, Notice>,
    pub objections: BTreeMap<ObjectionId, Objection>,
    /// The last «№ возражения» given; deleted drafts keep their number used.
    pub last_objection_number: u32,
    /// The ППД is revised once for all notice lots together (L12439–12447).
    pub ppd_revision_started: bool,
    /// The lots editable in the documentation-change copy, once that change has started.
    pub documentation_change: Option<EditableLots>,
    /// The notices as they moved with their lots into the documentation-change copy: what the
    /// copy takes over ([`CameraControl::taken_over`]).
    pub handed_over: Option<NoticesHandedOverToCopy>,
    /// «Публикация протокола обсуждения без исполнения уведомления» was chosen: what signing
    /// the discussion protocol leads to (L12251–12313).
    pub without_execution: Option<DiscussionOutcome>,
}

/// When the scheduler must send [`CameraControlCommand::ExpireNotices`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeExpiry {
    pub notice_id: NoticeId,
    pub at: DateTime<Utc>,
}

impl CameraControl {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a CameraControlEvent>) -> Self {
        let mut state = CameraControl::default();
        events.into_iter().for_each(|e| state.apply(e));
        state
    }

    /// Delivery blocks every action of the organizer's users on the announcement until each notice
    /// is acknowledged (L10934–10944, L11082–11088).
    pub fn is_blocking(&self) -> bool {
        self.notices.values().any(|n| n.status.is_unread())
    }

    pub fn notice(&self, id: &NoticeId) -> Option<&Notice> {
        self.notices.get(id)
    }

    pub fn objection(&self, id: &ObjectionId) -> Option<&Objection> {
        self.objections.get(id)
    }

    /// The notice a lot-selection form acts on: the lot's open one, else its latest.
    pub fn notice_on(&self, plan_item_id: &PlanItemId) -> Option<&Notice> {
        let on_lot = || {
            self.notices
                .values()
                .filter(move |n| &n.plan_item_id == plan_item_id)
        };
        on_lot()
            .find(|n| !n.status.is_final())
            .or_else(|| on_lot().max_by_key(|n| n.delivered_at))
    }

    /// Not executed yet, whatever the route: what the announcement checks before its normal flow
    /// (e.g. direction 3 notices decide «Принятие решения по пересмотру ППД», L12451–12455).
    pub fn open_notices(&self, direction: Direction) -> impl Iterator<Item = &Notice> {
        self.notices
            .values()
            .filter(move |n| n.direction == direction && !n.status.is_final())
    }

    /// Notices of a direction that hold back the announcement's normal flow while the organizer
    /// has not dealt with them: not executed, not restricted to cancellation, no route taken but
    /// the documentation change, which goes through the signed discussion protocol
    /// (docs/decisions/0211, 0308).
    pub fn holding(&self, direction: Direction) -> impl Iterator<Item = &Notice> {
        self.open_notices(direction).filter(|n| {
            !n.cancellation_only
                && n.route
                    .is_none_or(|r| r == notice::ExecutionRoute::DocumentationChange)
        })
    }

    /// The objection of a notice that has not been deleted: one per notice.
    pub fn objection_on(&self, notice_id: &NoticeId) -> Option<&Objection> {
        self.objections.values().find(|o| &o.notice_id == notice_id)
    }

    /// The journal's days left for a notice at `at` (see [`Notice::remaining_days`]).
    pub fn remaining_days(
        &self,
        notice_id: &NoticeId,
        at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> Result<Option<RemainingDays>, CalendarError> {
        self.notices
            .get(notice_id)
            .map_or(Ok(None), |n| n.remaining_days(at, calendar))
    }

    /// The instants at which running countdowns end, for the scheduler.
    pub fn expiries(&self) -> Vec<NoticeExpiry> {
        self.notices
            .values()
            .filter(|n| n.status.countdown_runs())
            .map(|n| NoticeExpiry {
                notice_id: n.id,
                at: n.expires_at,
            })
            .collect()
    }

    /// The earliest of [`CameraControl::expiries`].
    pub fn next_expiry(&self) -> Option<DateTime<Utc>> {
        self.expiries().into_iter().map(|e| e.at).min()
    }

    fn notices_mut<'a>(&'a mut self, ids: &'a [NoticeId]) -> impl Iterator<Item = &'a mut Notice> {
        self.notices.values_mut().filter(|n| ids.contains(&n.id))
    }

    fn start_execution(&mut self, ids: &[NoticeId], route: ExecutionRoute) {
        for notice in self.notices_mut(ids) {
            notice.status = NoticeStatus::InExecution;
            notice.route = Some(route);
        }
    }

    fn set_status(&mut self, ids: &[NoticeId], status: NoticeStatus) {
        self.notices_mut(ids).for_each(|n| n.status = status);
    }

    fn restrict_to_cancellation(&mut self, ids: &[NoticeId]) {
        self.notices_mut(ids)
            .for_each(|n| n.cancellation_only = true);
    }

    fn take_over(&mut self, notices: &[Notice], objections: &[Objection]) {
        self.notices
            .extend(notices.iter().map(|n| (n.id, n.clone())));
        self.objections
            .extend(objections.iter().map(|o| (o.id, o.clone())));
        self.last_objection_number = self
            .objections
            .values()
            .map(|o| o.number)
            .max()
            .unwrap_or(0);
    }

    pub fn apply(&mut self, event: &CameraControlEvent) {
        use CameraControlEvent as E;
        match event {
            E::NoticeDelivered(e) => {
                self.notices.insert(e.notice_id, Notice::delivered(e));
            }
            E::NoticeAcknowledged(e) => {
                if let Some(n) = self.notices.get_mut(&e.notice_id) {
                    n.acknowledged_at = Some(e.acknowledged_at);
                    n.status = match n.status {
                        NoticeStatus::NotExecutedNotAcknowledged => {
                            NoticeStatus::NotExecutedAcknowledged
                        }
                        _ => NoticeStatus::Acknowledged,
                    };
                }
            }
            E::NoticeExpired(e) => {
                if let Some(n) = self.notices.get_mut(&e.notice_id) {
                    n.status = e.status;
                    n.cancellation_only = true;
                }
            }
            E::ObjectionSaved(e) => self.objection_saved(e),
            E::ObjectionDeleted(e) => {
                self.objections.remove(&e.objection_id);
            }
            E::ObjectionSubmittedForApproval(e) => self.objection_submitted(e),
            E::ObjectionApprovalRejected(e) => self.objection_rejected(e),
            E::ObjectionApproved(e) => self.objection_approved(e),
            E::ObjectionSigned(e) => self.objection_signed(e),
            E::ObjectionConcluded(e) => self.objection_concluded(e),
            E::DocumentationChangeByNoticesStarted(e) => {
                self.documentation_change = Some(e.editable_lots.clone());
                self.start_execution(&e.notice_ids, ExecutionRoute::DocumentationChange)
            }
            E::NoticesSelectedForCancellation(e) => {
                self.start_execution(&e.notice_ids, ExecutionRoute::Cancellation)
            }
            E::LotsCancelledByNotices(e) => self.set_status(&e.notice_ids, NoticeStatus::Executed),
            E::DiscussionProtocolWithoutExecutionChosen(e) => {
                self.without_execution = Some(e.outcome);
                self.restrict_to_cancellation(&e.restricted_notice_ids)
            }
            E::PpdRevisionStarted(e) => {
                self.ppd_revision_started = true;
                self.start_execution(&e.notice_ids, ExecutionRoute::PpdRevision);
            }
            E::ContinuedWithoutPpdRevision(e) => {
                self.restrict_to_cancellation(&e.restricted_notice_ids)
            }
            E::ResultsRevisionStarted(e) => {
                self.start_execution(&e.notice_ids, ExecutionRoute::ResultsRevision)
            }
            E::ContinuedWithoutNoticeExecution(e) => {
                self.restrict_to_cancellation(&e.restricted_notice_ids)
            }
            E::NoticeExecutionSubmittedForConfirmation(e) => {
                self.set_status(&e.notice_ids, NoticeStatus::ExecutedPendingConfirmation)
            }
            E::NoticeExecutionConfirmed(e) => {
                self.set_status(&[e.notice_id], NoticeStatus::Executed)
            }
            E::NoticeExecutionNotConfirmed(e) => {
                self.set_status(&[e.notice_id], NoticeStatus::ExecutedNotConfirmed)
            }
            E::NoticesHandedOverToCopy(e) => {
                self.notices.clear();
                self.objections.clear();
                self.handed_over = Some(e.clone());
            }
            E::NoticesTakenOverFromSource(e) => {
                self.documentation_change = e.editable_lots.clone();
                self.take_over(&e.notices, &e.objections);
            }
        }
    }
}
