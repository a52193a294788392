//! What every execution route shares: which notices a route may take up, the notices it leaves
//! restricted, and the inspector's confirmation of the execution (spec 000-D §4.3, §4.5.2).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::Decision;
use crate::actor::{Context, Role};
use crate::camera_control::event::*;
use crate::camera_control::facts::AnnouncementFacts;
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, ExecutionRoute, Notice,
    NoticeId, NoticeStatus, Remedy, refusal,
};
use crate::error::DomainError;
use crate::plan_item::PlanItemId;

impl CameraControl {
    /// The inspector's confirmation of an executed notice.
    pub(super) fn decide_confirmation(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::ConfirmExecution { notice_id } => {
                self.require_pending_confirmation(&notice_id, ctx)?;
                Ok(vec![CameraControlEvent::NoticeExecutionConfirmed(
                    NoticeExecutionConfirmed {
                        notice_id,
                        inspector_iin: by,
                        confirmed_at: now,
                    },
                )])
            }
            C::RejectExecution { notice_id } => {
                self.require_pending_confirmation(&notice_id, ctx)?;
                Ok(vec![CameraControlEvent::NoticeExecutionNotConfirmed(
                    NoticeExecutionNotConfirmed {
                        notice_id,
                        inspector_iin: by,
                        rejected_at: now,
                    },
                )])
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    /// The changed copy was published: the documentation change is executed and awaits the
    /// inspector (L11038–11048; spec §4.5.2 AMBIGUOUS, docs/decisions/0304-execution-completion.md).
    pub fn on_copy_published(&self, at: DateTime<Utc>) -> Vec<CameraControlEvent> {
        self.submit_for_confirmation(&[ExecutionRoute::DocumentationChange], at)
    }

    /// «Завершить голосование» in «Пересмотр ППД» or «Пересмотр итогов»: the revising notices are
    /// executed and await the inspector, whether or not anything changed (L12522–12530, L12785–12793).
    pub fn on_revision_voting_completed(&self, at: DateTime<Utc>) -> Vec<CameraControlEvent> {
        self.submit_for_confirmation(
            &[ExecutionRoute::PpdRevision, ExecutionRoute::ResultsRevision],
            at,
        )
    }

    fn submit_for_confirmation(
        &self,
        routes: &[ExecutionRoute],
        at: DateTime<Utc>,
    ) -> Vec<CameraControlEvent> {
        routes
            .iter()
            .filter_map(|route| {
                let notice_ids: Vec<NoticeId> = self
                    .notices
                    .values()
                    .filter(|n| n.status == NoticeStatus::InExecution && n.route == Some(*route))
                    .map(|n| n.id)
                    .collect();
                (!notice_ids.is_empty()).then_some(
                    CameraControlEvent::NoticeExecutionSubmittedForConfirmation(
                        NoticeExecutionSubmittedForConfirmation {
                            notice_ids,
                            route: *route,
                            submitted_at: at,
                        },
                    ),
                )
            })
            .collect()
    }

    /// The notices of a direction no route has taken up: those a «continue without» restricts.
    pub(super) fn unexecuted(&self, direction: Direction) -> Vec<NoticeId> {
        self.open_notices(direction)
            .filter(|n| n.route.is_none())
            .map(|n| n.id)
            .collect()
    }

    /// The lots of an execution form: each must carry a notice this route may execute. Checked
    /// before the announcement's state: a notice's own refusal (e.g. cancellation only) holds in
    /// any status and tells the organizer more.
    pub(super) fn select(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        route: ExecutionRoute,
        facts: &AnnouncementFacts,
    ) -> Result<(Vec<NoticeId>, Vec<PlanItemId>), DomainError> {
        let lots: BTreeSet<PlanItemId> = plan_item_ids.into_iter().collect();
        if lots.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let mut notice_ids = Vec::with_capacity(lots.len());
        for lot in &lots {
            let lot_facts = facts
                .lot(lot)
                .ok_or_else(refusal::lot_not_in_announcement)?;
            if lot_facts.cancelled {
                return Err(refusal::lot_cancelled());
            }
            let notice = self.notice_on(lot).ok_or_else(refusal::lot_has_no_notice)?;
            check_executable(notice, route)?;
            notice_ids.push(notice.id);
        }
        Ok((notice_ids, lots.into_iter().collect()))
    }

    fn require_pending_confirmation(
        &self,
        notice_id: &NoticeId,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        ctx.actor.require_role(Role::Inspector)?;
        if self.find_notice(notice_id)?.status != NoticeStatus::ExecutedPendingConfirmation {
            return Err(refusal::execution_not_pending_confirmation());
        }
        Ok(())
    }
}

/// Which statuses and remedies let a route execute a notice (spec §4.3 "Statuses in which a
/// notice may be executed"; docs/decisions/0302-expired-notice-execution.md).
pub(super) fn check_executable(notice: &Notice, route: ExecutionRoute) -> Result<(), DomainError> {
    use NoticeStatus as S;
    match notice.status {
        S::Delivered | S::NotExecutedNotAcknowledged => {
            return Err(refusal::notice_not_acknowledged());
        }
        S::UnderObjection | S::ExecutedPositiveConclusion => {
            return Err(refusal::notice_execution_closed());
        }
        S::InExecution => return Err(refusal::notice_in_execution()),
        S::Executed | S::ExecutedPendingConfirmation | S::ExecutedNotConfirmed => {
            return Err(refusal::notice_already_executed());
        }
        S::Acknowledged | S::ToExecuteNegativeConclusion | S::NotExecutedAcknowledged => {}
    }
    if route == ExecutionRoute::Cancellation {
        return if notice.remedy == Remedy::CancelProcurement || notice.cancellation_only {
            Ok(())
        } else {
            Err(refusal::remedy_mismatch())
        };
    }
    if notice.cancellation_only {
        return Err(refusal::only_cancellation_allowed());
    }
    if notice.remedy != route.remedy() {
        return Err(refusal::remedy_mismatch());
    }
    Ok(())
}
