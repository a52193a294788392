//! The camera-control rules: every command is checked against the state, the context and the
//! announcement facts, and either refused or turned into events.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::command::AvailableAction;
use super::event::*;
use super::facts::{AnnouncementFacts, LotFacts, Stage};
use super::notice::{EXECUTION_WORKING_DAYS, OBJECTION_WORKING_DAYS};
use super::objection::ObjectionStatus;
use super::refusal;
use super::{
    CameraControl, CameraControlCommand, CameraControlEvent, Conclusion, Direction, ExecutionRoute,
    Notice, NoticeId, NoticeStatus, Objection, ObjectionId, Remedy,
};
use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::Iin;
use crate::plan_item::PlanItemId;

type Decision = Result<Vec<CameraControlEvent>, DomainError>;

/// Direction 1 (b) and direction 2 count calendar days from the day after the start (L10882,
/// L10892; docs/decisions/0303-direction-windows.md).
const SENDING_CALENDAR_DAYS: i64 = 10;
/// Direction 2: "но не более 5 рабочих дней" (L10894).
const DIRECTION_TWO_WORKING_DAYS: u32 = 5;
/// Direction 3: "в течение трех рабочих дней с момента размещения ППД" (L10900–10902).
const DIRECTION_THREE_WORKING_DAYS: u32 = 3;

const CANCELLATION_BY_CAMERA_CONTROL: &str = "Отмена по результатам камерального контроля";
const CANCELLATION_BY_ELECTRONIC_NOTICES: &str = "Отмена на основании электронных уведомлений";

impl CameraControl {
    pub fn decide(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        if !facts.under_camera_control {
            return Err(refusal::camera_control_not_applicable());
        }
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::DeliverNotice {
                notice_id,
                plan_item_id,
                direction,
                remedy,
                text,
                file,
            } => {
                ctx.actor.require_role(Role::Inspector)?;
                if self.notices.contains_key(&notice_id) {
                    return Err(refusal::notice_exists());
                }
                if text.trim().is_empty() {
                    return Err(refusal::notice_text_required());
                }
                let lot = facts
                    .lot(&plan_item_id)
                    .ok_or_else(refusal::lot_not_in_announcement)?;
                if lot.cancelled {
                    return Err(refusal::lot_cancelled());
                }
                if self
                    .notice_on(&plan_item_id)
                    .is_some_and(|n| !n.status.is_final())
                {
                    return Err(refusal::lot_has_open_notice());
                }
                check_direction(direction, remedy, lot, facts, ctx)?;
                let today = ctx.today()?;
                let execution_deadline = ctx
                    .calendar
                    .add_working_days(today, EXECUTION_WORKING_DAYS)?;
                Ok(vec![CameraControlEvent::NoticeDelivered(NoticeDelivered {
                    notice_id,
                    plan_item_id,
                    direction,
                    remedy,
                    text,
                    file,
                    inspector_iin: by,
                    organizer_bin: facts.organizer_bin,
                    announcement_status_at_delivery: facts
                        .stage
                        .delivery_status_id()
                        .unwrap_or_default()
                        .to_owned(),
                    delivered_at: now,
                    execution_deadline,
                    expires_at: ctx.calendar.end_of_local_day(execution_deadline)?,
                    objection_deadline: ctx
                        .calendar
                        .add_working_days(today, OBJECTION_WORKING_DAYS)?,
                })])
            }
            C::AcknowledgeNotice { notice_id } => {
                require_employee(ctx, facts)?;
                let notice = self.find_notice(&notice_id)?;
                if !notice.status.is_unread() {
                    return Err(refusal::notice_already_acknowledged());
                }
                Ok(vec![CameraControlEvent::NoticeAcknowledged(
                    NoticeAcknowledged {
                        notice_id,
                        acknowledged_by: by,
                        acknowledged_at: now,
                    },
                )])
            }
            C::ExpireNotices => {
                ctx.actor.require_role(Role::System)?;
                let mut events = Vec::new();
                for notice in self.notices.values().filter(|n| n.status.countdown_runs()) {
                    if now >= notice.expires_at {
                        let status = if notice.status == NoticeStatus::Delivered {
                            NoticeStatus::NotExecutedNotAcknowledged
                        } else {
                            NoticeStatus::NotExecutedAcknowledged
                        };
                        events.push(CameraControlEvent::NoticeExpired(NoticeExpired {
                            notice_id: notice.id,
                            status,
                            expired_at: now,
                        }));
                    }
                }
                Ok(events)
            }
            C::SaveObjection {
                objection_id,
                notice_id,
                description_ru,
                description_kz,
                approver_iin,
            } => {
                self.require_unblocked_employee(ctx, facts)?;
                let description_ru = description_ru.filter(|d| !d.trim().is_empty());
                let description_kz = description_kz.filter(|d| !d.trim().is_empty());
                if description_ru.is_none() && description_kz.is_none() {
                    return Err(refusal::objection_description_required());
                }
                let approver_iin = approver_iin.ok_or_else(refusal::objection_approver_required)?;
                let (number, creator_iin) = match self.objections.get(&objection_id) {
                    Some(existing) => {
                        let editable = matches!(
                            existing.status,
                            ObjectionStatus::Draft | ObjectionStatus::Rejected
                        );
                        if !editable
                            || existing.creator_iin != by
                            || existing.notice_id != notice_id
                        {
                            return Err(refusal::objection_not_editable());
                        }
                        (existing.number, existing.creator_iin)
                    }
                    None => {
                        self.check_objectionable(self.find_notice(&notice_id)?, ctx)?;
                        if self.objection_on(&notice_id).is_some() {
                            return Err(refusal::objection_exists());
                        }
                        (self.last_objection_number + 1, by)
                    }
                };
                Ok(vec![CameraControlEvent::ObjectionSaved(ObjectionSaved {
                    objection_id,
                    notice_id,
                    number,
                    creator_iin,
                    description_ru,
                    description_kz,
                    approver_iin,
                    saved_by: by,
                    saved_at: now,
                })])
            }
            C::DeleteObjection { objection_id } => {
                self.require_unblocked_employee(ctx, facts)?;
                let objection = self
                    .objections
                    .get(&objection_id)
                    .ok_or_else(refusal::objection_not_found)?;
                // A draft may be deleted by any employee of the creator's organization, a rejected
                // one by its creator only (L11392–11396, L11321–11325).
                let allowed = match objection.status {
                    ObjectionStatus::Draft => true,
                    ObjectionStatus::Rejected => objection.creator_iin == by,
                    _ => false,
                };
                if !allowed {
                    return Err(refusal::objection_not_editable());
                }
                Ok(vec![CameraControlEvent::ObjectionDeleted(
                    ObjectionDeleted {
                        objection_id,
                        deleted_by: by,
                        deleted_at: now,
                    },
                )])
            }
            C::SubmitObjectionForApproval { objection_id } => {
                self.require_unblocked_employee(ctx, facts)?;
                let objection = self
                    .objections
                    .get(&objection_id)
                    .ok_or_else(refusal::objection_not_found)?;
                let submittable = matches!(
                    objection.status,
                    ObjectionStatus::Draft | ObjectionStatus::Rejected
                );
                if !submittable || objection.creator_iin != by {
                    return Err(refusal::objection_not_editable());
                }
                Ok(vec![CameraControlEvent::ObjectionSubmittedForApproval(
                    ObjectionSubmittedForApproval {
                        objection_id,
                        approver_iin: objection.approver_iin,
                        submitted_at: now,
                    },
                )])
            }
            C::RejectObjection {
                objection_id,
                reason,
            } => {
                self.require_approver(&objection_id, ctx, facts)?;
                if reason.trim().is_empty() {
                    return Err(refusal::objection_reject_reason_required());
                }
                Ok(vec![CameraControlEvent::ObjectionApprovalRejected(
                    ObjectionApprovalRejected {
                        objection_id,
                        reason,
                        rejected_by: by,
                        rejected_at: now,
                    },
                )])
            }
            C::ApproveObjection {
                objection_id,
                approver_position,
                approver_full_name,
            } => {
                self.require_approver(&objection_id, ctx, facts)?;
                Ok(vec![CameraControlEvent::ObjectionApproved(
                    ObjectionApproved {
                        objection_id,
                        approver_iin: by,
                        approver_position,
                        approver_full_name,
                        approved_at: now,
                    },
                )])
            }
            C::SignObjection { objection_id } => {
                let objection = self.require_approver(&objection_id, ctx, facts)?;
                if objection.approval.is_none() {
                    return Err(refusal::objection_not_approved());
                }
                let notice = self.find_notice(&objection.notice_id)?;
                // The window and the notice are checked again: signing is what sends (spec §4.4).
                self.check_objectionable(notice, ctx)?;
                let today = ctx.today()?;
                Ok(vec![CameraControlEvent::ObjectionSigned(ObjectionSigned {
                    objection_id,
                    notice_id: notice.id,
                    signed_by: by,
                    delivered_at: now,
                    countdown_stopped_on: today,
                    remaining_working_days: remaining_working_days(notice, today, ctx)?,
                })])
            }
            C::ConcludeObjection {
                objection_id,
                conclusion,
            } => {
                ctx.actor.require_role(Role::AuditCommittee)?;
                let objection = self
                    .objections
                    .get(&objection_id)
                    .ok_or_else(refusal::objection_not_found)?;
                if objection.status != ObjectionStatus::Delivered {
                    return Err(refusal::objection_not_delivered());
                }
                let notice = self.find_notice(&objection.notice_id)?;
                let resumed_deadline = match conclusion {
                    Conclusion::Positive => None,
                    Conclusion::Negative => Some(resume(notice, ctx)?),
                };
                Ok(vec![CameraControlEvent::ObjectionConcluded(
                    ObjectionConcluded {
                        objection_id,
                        notice_id: notice.id,
                        conclusion,
                        resumed_deadline,
                        resumed_expires_at: resumed_deadline
                            .map(|d| ctx.calendar.end_of_local_day(d))
                            .transpose()?,
                        concluded_at: now,
                    },
                )])
            }
            C::ChangeDocumentationByNotices { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::DocumentationChange, facts)?;
                self.check_documentation_change_open(facts)?;
                let editable_lots = if facts.documentation_change_decided_on_requests {
                    EditableLots::All
                } else {
                    let with_notices: BTreeSet<_> = self
                        .notices
                        .values()
                        .map(|n| n.plan_item_id.clone())
                        .collect();
                    EditableLots::Only(
                        facts
                            .active_lots()
                            .map(|l| l.plan_item_id.clone())
                            .filter(|id| with_notices.contains(id))
                            .collect(),
                    )
                };
                Ok(vec![
                    CameraControlEvent::DocumentationChangeByNoticesStarted(
                        DocumentationChangeByNoticesStarted {
                            notice_ids,
                            plan_item_ids,
                            editable_lots,
                            started_by: by,
                            started_at: now,
                        },
                    ),
                ])
            }
            C::SelectLotsForCancellation { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::Cancellation, facts)?;
                check_cancellation_open(facts)?;
                Ok(vec![CameraControlEvent::NoticesSelectedForCancellation(
                    NoticesSelectedForCancellation {
                        notice_ids,
                        plan_item_ids,
                        selected_by: by,
                        selected_at: now,
                    },
                )])
            }
            C::CancelByNotices => {
                self.require_secretary(ctx, facts)?;
                let selected: Vec<&Notice> = self
                    .notices
                    .values()
                    .filter(|n| {
                        n.status == NoticeStatus::InExecution
                            && n.route == Some(ExecutionRoute::Cancellation)
                    })
                    .collect();
                if selected.is_empty() {
                    return Err(refusal::no_lots_added_for_cancellation());
                }
                let plan_item_ids: Vec<PlanItemId> =
                    selected.iter().map(|n| n.plan_item_id.clone()).collect();
                let whole_announcement = facts
                    .active_lots()
                    .all(|l| plan_item_ids.contains(&l.plan_item_id));
                // Direction 4: once no notice is left to decide on, the announcement is
                // «Завершено» again (docs/decisions/0307).
                let back_to_completed = !whole_announcement
                    && facts.stage == Stage::DecidingNoticeExecution
                    && self.open_notices(Direction::Fourth).all(|n| {
                        plan_item_ids.contains(&n.plan_item_id)
                            || facts.lot(&n.plan_item_id).is_none_or(|l| l.cancelled)
                    });
                // Direction 1 names its hyperlink «Отмена по результатам камерального контроля»
                // (L12093), directions 2 and 4 «Отмена на основании электронных уведомлений» (L12347, L12644).
                let reason_ru = if selected.iter().any(|n| n.direction == Direction::First) {
                    CANCELLATION_BY_CAMERA_CONTROL
                } else {
                    CANCELLATION_BY_ELECTRONIC_NOTICES
                };
                let inspector_iins: BTreeSet<Iin> =
                    selected.iter().map(|n| n.inspector_iin).collect();
                Ok(vec![CameraControlEvent::LotsCancelledByNotices(
                    LotsCancelledByNotices {
                        notice_ids: selected.iter().map(|n| n.id).collect(),
                        plan_item_ids,
                        whole_announcement,
                        back_to_completed,
                        reason_ru: reason_ru.to_owned(),
                        inspector_iins: inspector_iins.into_iter().collect(),
                        cancelled_by: by,
                        cancelled_at: now,
                    },
                )])
            }
            C::PublishDiscussionProtocolWithoutExecution => {
                self.require_secretary(ctx, facts)?;
                self.check_publish_without_execution_open(facts)?;
                let outcome = if facts.documentation_change_decided_on_requests {
                    DiscussionOutcome::CopyWithAllLotsEditable
                } else {
                    DiscussionOutcome::AcceptanceEndDateRequired
                };
                Ok(vec![
                    CameraControlEvent::DiscussionProtocolWithoutExecutionChosen(
                        DiscussionProtocolWithoutExecutionChosen {
                            restricted_notice_ids: self.unexecuted(Direction::First),
                            outcome,
                            chosen_by: by,
                            chosen_at: now,
                        },
                    ),
                ])
            }
            C::StartPpdRevision { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::PpdRevision, facts)?;
                self.check_ppd_revision_open(facts)?;
                Ok(vec![CameraControlEvent::PpdRevisionStarted(
                    PpdRevisionStarted {
                        notice_ids,
                        plan_item_ids,
                        started_by: by,
                        started_at: now,
                    },
                )])
            }
            C::ContinueWithoutPpdRevision => {
                self.require_secretary(ctx, facts)?;
                require_stage(facts, Stage::DecidingPpdRevision)?;
                let next = if !facts.supplemented_application_ids.is_empty() {
                    PpdContinuation::ReviewingSupplements {
                        application_ids: facts.supplemented_application_ids.clone(),
                    }
                } else if facts.discounts_without_supplements {
                    PpdContinuation::FillingConditionalDiscounts {
                        plan_item_ids: facts
                            .active_lots()
                            .filter(|l| l.application_count > 1)
                            .map(|l| l.plan_item_id.clone())
                            .collect(),
                    }
                } else {
                    PpdContinuation::AdmissionProtocolFormation
                };
                Ok(vec![CameraControlEvent::ContinuedWithoutPpdRevision(
                    ContinuedWithoutPpdRevision {
                        restricted_notice_ids: self.unexecuted(Direction::Third),
                        next,
                        continued_by: by,
                        continued_at: now,
                    },
                )])
            }
            C::StartResultsRevision { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::ResultsRevision, facts)?;
                require_stage(facts, Stage::DecidingNoticeExecution)?;
                Ok(vec![CameraControlEvent::ResultsRevisionStarted(
                    ResultsRevisionStarted {
                        notice_ids,
                        plan_item_ids,
                        started_by: by,
                        started_at: now,
                    },
                )])
            }
            C::ContinueWithoutNoticeExecution => {
                self.require_secretary(ctx, facts)?;
                self.check_continue_without_notice_execution_open(facts)?;
                let deciding: Vec<&Notice> = self.open_notices(Direction::Fourth).collect();
                let lots: BTreeSet<PlanItemId> = deciding
                    .iter()
                    .map(|n| n.plan_item_id.clone())
                    .filter(|id| facts.lot(id).is_some_and(|l| !l.cancelled))
                    .collect();
                Ok(vec![CameraControlEvent::ContinuedWithoutNoticeExecution(
                    ContinuedWithoutNoticeExecution {
                        restricted_notice_ids: self.unexecuted(Direction::Fourth),
                        plan_item_ids: lots.into_iter().collect(),
                        continued_by: by,
                        continued_at: now,
                    },
                )])
            }
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

    /// The documentation-change copy was created: every notice follows its lot into it
    /// (L12077–12085, spec §9.3). The copy's stream starts with [`CameraControl::taken_over`].
    pub fn hand_over_to_copy(
        &self,
        copy_announcement_id: Uuid,
        at: DateTime<Utc>,
    ) -> Vec<CameraControlEvent> {
        if self.notices.is_empty() {
            return Vec::new();
        }
        vec![CameraControlEvent::NoticesHandedOverToCopy(
            NoticesHandedOverToCopy {
                copy_announcement_id,
                notices: self.notices.values().cloned().collect(),
                objections: self.objections.values().cloned().collect(),
                editable_lots: self.documentation_change.clone(),
                handed_over_at: at,
            },
        )]
    }

    /// The copy's side of [`CameraControl::hand_over_to_copy`].
    pub fn taken_over(
        source_announcement_id: Uuid,
        handed: &NoticesHandedOverToCopy,
    ) -> CameraControlEvent {
        CameraControlEvent::NoticesTakenOverFromSource(NoticesTakenOverFromSource {
            source_announcement_id,
            notices: handed.notices.clone(),
            objections: handed.objections.clone(),
            editable_lots: handed.editable_lots.clone(),
            taken_over_at: handed.handed_over_at,
        })
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

    /// The camera-control items of «Доступные действия» (spec §4.5.1 tables T1 and T2, §4.6–4.8):
    /// none while an unread notice blocks the organization.
    pub fn available_actions(&self, facts: &AnnouncementFacts) -> Vec<AvailableAction> {
        if self.is_blocking() || !facts.under_camera_control {
            return Vec::new();
        }
        let executable = |route| {
            self.notices.values().any(|n| {
                check_executable(n, route).is_ok()
                    && facts.lot(&n.plan_item_id).is_some_and(|l| !l.cancelled)
            })
        };
        let selected_for_cancellation = self.notices.values().any(|n| {
            n.status == NoticeStatus::InExecution && n.route == Some(ExecutionRoute::Cancellation)
        });
        let candidates = [
            (
                AvailableAction::ChangeDocumentation,
                self.check_documentation_change_open(facts).is_ok()
                    && executable(ExecutionRoute::DocumentationChange),
            ),
            (
                AvailableAction::PublishDiscussionProtocolWithoutExecution,
                self.check_publish_without_execution_open(facts).is_ok(),
            ),
            (
                AvailableAction::CancelByNotices,
                check_cancellation_open(facts).is_ok()
                    && (executable(ExecutionRoute::Cancellation) || selected_for_cancellation),
            ),
            (
                AvailableAction::RevisePpd,
                self.check_ppd_revision_open(facts).is_ok()
                    && executable(ExecutionRoute::PpdRevision),
            ),
            (
                AvailableAction::ContinueWithoutPpdRevision,
                facts.stage == Stage::DecidingPpdRevision,
            ),
            (
                AvailableAction::ReviseResults,
                facts.stage == Stage::DecidingNoticeExecution
                    && executable(ExecutionRoute::ResultsRevision),
            ),
            (
                AvailableAction::ContinueWithoutNoticeExecution,
                self.check_continue_without_notice_execution_open(facts)
                    .is_ok(),
            ),
        ];
        candidates
            .into_iter()
            .filter(|(_, available)| *available)
            .map(|(action, _)| action)
            .collect()
    }

    /// Direction-1 notices not executed replace the normal «Завершить обсуждение документации»
    /// with the actions of tables T1/T2 (L10984–10996, L11504–11510).
    pub fn replaces_discussion_completion(&self) -> bool {
        self.open_notices(Direction::First).next().is_some()
    }

    fn check_documentation_change_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_stage(facts, Stage::Published)?;
        require_discussion_completed(facts)?;
        self.require_no_documentation_change()
    }

    fn check_publish_without_execution_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        self.check_documentation_change_open(facts)?;
        if !self.replaces_discussion_completion() {
            return Err(refusal::no_direction_one_notice());
        }
        Ok(())
    }

    fn check_ppd_revision_open(&self, facts: &AnnouncementFacts) -> Result<(), DomainError> {
        if facts.stage == Stage::SupplementingApplications {
            return Err(refusal::supplement_period_not_ended());
        }
        require_stage(facts, Stage::DecidingPpdRevision)?;
        if self.ppd_revision_started {
            return Err(refusal::ppd_revision_already_started());
        }
        Ok(())
    }

    fn check_continue_without_notice_execution_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_stage(facts, Stage::DecidingNoticeExecution)?;
        if self.open_notices(Direction::Fourth).next().is_none() {
            return Err(refusal::no_direction_four_notice());
        }
        Ok(())
    }

    fn find_notice(&self, id: &NoticeId) -> Result<&Notice, DomainError> {
        self.notices.get(id).ok_or_else(refusal::notice_not_found)
    }

    /// The notices of a direction no route has taken up: those a «continue without» restricts.
    fn unexecuted(&self, direction: Direction) -> Vec<NoticeId> {
        self.open_notices(direction)
            .filter(|n| n.route.is_none())
            .map(|n| n.id)
            .collect()
    }

    /// An objection needs an acknowledged notice not selected for execution, within the 5-day
    /// window (L11154–11158, L11965–11973).
    fn check_objectionable(&self, notice: &Notice, ctx: &Context) -> Result<(), DomainError> {
        if notice.route.is_some() {
            return Err(refusal::notice_selected_for_execution());
        }
        if notice.status != NoticeStatus::Acknowledged {
            return Err(refusal::notice_not_acknowledged());
        }
        if !notice.objection_window_open(ctx.now, &ctx.calendar)? {
            return Err(refusal::objection_window_expired());
        }
        Ok(())
    }

    /// The lots of an execution form: each must carry a notice this route may execute. Checked
    /// before the announcement's state: a notice's own refusal (e.g. cancellation only) holds in
    /// any status and tells the organizer more.
    fn select(
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

    fn require_no_documentation_change(&self) -> Result<(), DomainError> {
        let started = self
            .notices
            .values()
            .any(|n| n.route == Some(ExecutionRoute::DocumentationChange));
        if started {
            Err(refusal::documentation_change_in_progress())
        } else {
            Ok(())
        }
    }

    fn require_unblocked(&self) -> Result<(), DomainError> {
        if self.is_blocking() {
            Err(refusal::unread_notice_block())
        } else {
            Ok(())
        }
    }

    fn require_unblocked_employee(
        &self,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_employee(ctx, facts)?;
        self.require_unblocked()
    }

    /// The notice-execution buttons are the secretary's (L11945, spec §1.2 best reading).
    fn require_secretary(
        &self,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_employee(ctx, facts)?;
        ctx.actor.require_role(Role::Organizer)?;
        if facts.secretary_iin.is_some_and(|s| s != ctx.actor.iin) {
            return Err(refusal::not_secretary());
        }
        self.require_unblocked()
    }

    /// The user the objection was sent to, while it is «На согласовании» (L11290–11340).
    fn require_approver(
        &self,
        objection_id: &ObjectionId,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Result<&Objection, DomainError> {
        self.require_unblocked_employee(ctx, facts)?;
        let objection = self
            .objections
            .get(objection_id)
            .ok_or_else(refusal::objection_not_found)?;
        if objection.status != ObjectionStatus::PendingApproval {
            return Err(refusal::objection_not_pending_approval());
        }
        if objection.approver_iin != ctx.actor.iin {
            return Err(refusal::not_the_approver());
        }
        Ok(objection)
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

/// Any employee of the organizer's organization, never an auditor: the inspector and the
/// Committee do not act on the procurement itself.
fn require_employee(ctx: &Context, facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if ctx.actor.has_role(Role::Inspector) || ctx.actor.has_role(Role::AuditCommittee) {
        return Err(refusal::auditor_cannot_act_on_procurement());
    }
    if ctx.actor.org != facts.organizer_bin {
        return Err(refusal::foreign_organization());
    }
    Ok(())
}

/// Cancellation by notices is available from delivery on (L10956–10958), on a published
/// announcement: not in a draft copy before its publication (L12081–12085), nor after the end.
fn check_cancellation_open(facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if matches!(facts.stage, Stage::Unpublished | Stage::Ended) {
        Err(refusal::wrong_announcement_status())
    } else {
        Ok(())
    }
}

fn require_stage(facts: &AnnouncementFacts, stage: Stage) -> Result<(), DomainError> {
    if facts.stage == stage {
        Ok(())
    } else {
        Err(refusal::wrong_announcement_status())
    }
}

/// A documentation change needs the discussion over and every supplier request answered
/// (L11915–11921).
fn require_discussion_completed(facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if facts.discussion_ended && !facts.unanswered_discussion_requests {
        Ok(())
    } else {
        Err(refusal::discussion_not_completed())
    }
}

/// Which statuses and remedies let a route execute a notice (spec §4.3 "Statuses in which a
/// notice may be executed"; docs/decisions/0302-expired-notice-execution.md).
fn check_executable(notice: &Notice, route: ExecutionRoute) -> Result<(), DomainError> {
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

/// The sending windows and remedies of the four directions (L10864–10914, spec §4.3).
fn check_direction(
    direction: Direction,
    remedy: Remedy,
    lot: &LotFacts,
    facts: &AnnouncementFacts,
    ctx: &Context,
) -> Result<(), DomainError> {
    use Remedy as R;
    let today = ctx.today()?;
    let local_date = |at: Option<DateTime<Utc>>| -> Result<Option<NaiveDate>, DomainError> {
        at.map(|t| ctx.calendar.to_local_date(t))
            .transpose()
            .map_err(DomainError::from)
    };
    let discussed = lot.subject_to_discussion && !facts.repeat_procurement;
    let (open, remedies): (bool, &[Remedy]) = match direction {
        Direction::First if discussed => (
            facts.stage == Stage::Published && !facts.discussion_ended,
            &[R::ChangeDocumentation, R::CancelProcurement],
        ),
        Direction::First => {
            let in_status =
                facts.stage == Stage::Published || facts.stage == Stage::AcceptingApplications;
            let within = local_date(facts.published_at)?
                .is_some_and(|p| today <= p + Duration::days(SENDING_CALENDAR_DAYS));
            (in_status && within, &[R::CancelProcurement])
        }
        Direction::Second => {
            let within = match local_date(facts.acceptance_started_at)? {
                Some(start) => {
                    let by_working = ctx
                        .calendar
                        .add_working_days(start, DIRECTION_TWO_WORKING_DAYS)?;
                    today <= by_working.min(start + Duration::days(SENDING_CALENDAR_DAYS))
                }
                None => false,
            };
            (
                discussed && facts.stage == Stage::AcceptingApplications && within,
                &[R::CancelProcurement],
            )
        }
        Direction::Third => {
            let within = match local_date(facts.ppd_published_at)? {
                Some(posted) => {
                    today
                        <= ctx
                            .calendar
                            .add_working_days(posted, DIRECTION_THREE_WORKING_DAYS)?
                }
                None => false,
            };
            (
                facts.stage == Stage::SupplementingApplications && within,
                &[R::RevisePpd],
            )
        }
        Direction::Fourth => {
            let within = facts.complaint_period_end.is_some_and(|end| ctx.now < end);
            (
                facts.stage == Stage::Completed && within,
                &[R::ReviseResults, R::CancelProcurement],
            )
        }
    };
    if !open {
        return Err(refusal::direction_window_closed());
    }
    if !remedies.contains(&remedy) {
        return Err(refusal::remedy_not_allowed_for_direction());
    }
    Ok(())
}

/// The working days of the countdown left after `today`: the day the objection is delivered
/// counts as used (docs/decisions/0301-objection-countdown.md).
fn remaining_working_days(
    notice: &Notice,
    today: NaiveDate,
    ctx: &Context,
) -> Result<u32, DomainError> {
    if today >= notice.execution_deadline {
        return Ok(0);
    }
    Ok(ctx
        .calendar
        .working_days_between(today, notice.execution_deadline)?)
}

/// After a negative conclusion the remaining working days run again from the day after the
/// conclusion (docs/decisions/0301-objection-countdown.md).
fn resume(notice: &Notice, ctx: &Context) -> Result<NaiveDate, DomainError> {
    let remaining = notice.stopped.map_or(0, |s| s.remaining_working_days);
    Ok(ctx.calendar.add_working_days(ctx.today()?, remaining)?)
}
