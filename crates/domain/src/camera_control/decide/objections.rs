//! The organizer's objections to a notice: drafted, approved, signed (which sends them and stops the
//! countdown) and concluded by the Committee (spec 000-D §4.4).

use chrono::NaiveDate;

use super::Decision;
use crate::actor::{Context, Role};
use crate::camera_control::event::*;
use crate::camera_control::facts::AnnouncementFacts;
use crate::camera_control::objection::ObjectionStatus;
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Conclusion, Notice, NoticeStatus,
    Objection, ObjectionId, refusal,
};
use crate::error::DomainError;

impl CameraControl {
    /// The objection's draft: saved, deleted, sent for approval.
    pub(super) fn decide_objection_drafts(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
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
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    /// Approval, signing (which sends the objection) and the Committee's conclusion.
    pub(super) fn decide_objection_review(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::RejectObjection {
                objection_id,
                reason,
            } => {
                self.require_approver(&objection_id, ctx, facts)?;
                if reason.trim().is_empty() {
                    return Err(refusal::objection_reject_reason_required());
                }
                crate::kernel::text::text("reason", &reason)?;
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
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    /// An objection needs an acknowledged notice not selected for execution, within the 5-day
    /// window (L11154–11158, L11965–11973).
    pub(super) fn check_objectionable(
        &self,
        notice: &Notice,
        ctx: &Context,
    ) -> Result<(), DomainError> {
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
