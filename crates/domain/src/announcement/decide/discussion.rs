//! The discussion of the documentation (§4.2, L1519–1926).

use chrono::{DateTime, Duration, Utc};

use super::{Decision, RESCHEDULE_GAP_MINUTES, non_empty, require_reached};
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::camera_control::Direction;
use crate::discussion::Discussion;
use crate::error::DomainError;
use crate::method::{AcceptanceDates, Step};
use crate::protocol::{ProtocolKind, Protocols};

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_discussion(
        &self,
        command: AnnouncementCommand,
        ctx: &Context,
    ) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::SubmitDiscussionRequest {
                request_id,
                subject,
                text,
            } => {
                self.require_role(ctx, Role::Supplier)?;
                self.require_step(Step::Discussion)?;
                let submitted = self.open_discussion()?.submit(
                    request_id,
                    ctx.actor.org,
                    subject,
                    text,
                    self.has_discussion(),
                    now,
                )?;
                Ok(vec![AnnouncementEvent::DiscussionRequestSubmitted(
                    submitted,
                )])
            }
            C::AnswerDiscussionRequest {
                request_id,
                decision,
                text,
            } => {
                self.require_step(Step::Discussion)?;
                self.require_discussion_responder(ctx)?;
                let iin = &ctx.actor.iin;
                self.open_discussion()?.require_ended(now)?;
                let answered = self.open_discussion()?.answer(
                    request_id,
                    decision,
                    text,
                    *iin,
                    self.require_no_discussion_protocol(),
                    now,
                )?;
                Ok(vec![AnnouncementEvent::DiscussionRequestAnswered(answered)])
            }
            C::EditDiscussionAnswer {
                request_id,
                decision,
                text,
            } => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                let edited = self.open_discussion()?.edit(
                    request_id,
                    decision,
                    text,
                    ctx.actor.iin,
                    self.require_no_discussion_protocol(),
                    now,
                )?;
                Ok(vec![AnnouncementEvent::DiscussionAnswerEdited(edited)])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// Completes the discussion and its protocol.
    pub(super) fn decide_discussion_protocol(
        &self,
        command: AnnouncementCommand,
        ctx: &Context,
    ) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::CompleteDiscussion { signers } => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                self.open_discussion()?.require_ended(now)?;
                // With a first-direction notice the camera-control flow takes over (L1656–1662);
                // its documentation change goes through this signed protocol, requests or not
                // (spec 000-D L11983–12059).
                let change_by_notices = self.documentation_change_by_notices();
                if self
                    .camera_control
                    .holding(Direction::First)
                    .next()
                    .is_some()
                    && !change_by_notices
                {
                    return Err(refusal::camera_control_notice_open());
                }
                // «Публикация протокола обсуждения без исполнения уведомления» goes through this
                // signed protocol too, requests or not (000-D S17, L12195–12211).
                let without_execution = self.camera_control.without_execution.is_some();
                if self.discussion_requests().is_empty() && !change_by_notices && !without_execution
                {
                    return Err(refusal::no_discussion_requests());
                }
                if self
                    .discussion_requests()
                    .values()
                    .any(|r| r.answer.is_none())
                {
                    return Err(refusal::discussion_requests_unanswered());
                }
                self.require_no_discussion_protocol()?;
                if signers.is_empty() {
                    return Err(refusal::discussion_signers_required());
                }
                signers
                    .iter()
                    .try_for_each(|p| non_empty("full_name", &p.full_name))?;
                Ok(vec![AnnouncementEvent::DiscussionCompleted(
                    DiscussionCompleted {
                        signers,
                        completed_at: now,
                    },
                )])
            }
            C::FormDiscussionProtocol => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                if self.discussion_signers().is_none() {
                    return Err(refusal::discussion_not_completed());
                }
                self.require_no_discussion_protocol()?;
                Ok(vec![AnnouncementEvent::ProtocolFormed(self.form_protocol(
                    ProtocolKind::Discussion,
                    false,
                    now,
                    None,
                ))])
            }
            C::DeleteDiscussionProtocol => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                let protocol = self.protocols.deletable(ProtocolKind::Discussion)?;
                if !protocol.signatures.is_empty() {
                    return Err(refusal::protocol_already_signed());
                }
                Ok(vec![AnnouncementEvent::ProtocolDeleted(Protocols::delete(
                    protocol, now,
                ))])
            }
            C::EnterAcceptanceEnd { end } => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                if !self.acceptance_end_required() {
                    return Err(refusal::acceptance_end_not_required());
                }
                // The field becomes active once the protocol is signed (L12273–12277); its
                // publication starts acceptance, which closes the discussion step.
                let protocol = self
                    .valid_protocol(ProtocolKind::Discussion)
                    .ok_or_else(refusal::protocol_not_found)?;
                self.signer_policy(ProtocolKind::Discussion)
                    .complete(protocol)?;
                self.require_acceptance_end(end, ctx)?;
                Ok(vec![AnnouncementEvent::AcceptanceEndEntered(
                    AcceptanceEndEntered {
                        end,
                        entered_by: ctx.actor.iin,
                        entered_at: now,
                    },
                )])
            }
            C::EndDiscussion => self.end_discussion(ctx),
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// The secretary or the organizer's representative, of the organizer's organisation, or
    /// the customer's representative, of a lot's customer, answers (L1614–1616); the ИИН alone
    /// is not enough (decision 0674).
    fn require_discussion_responder(&self, ctx: &Context) -> Result<(), DomainError> {
        let iin = &ctx.actor.iin;
        let org = &ctx.actor.org;
        let organizer = self.organizer_bin.as_ref() == Some(org);
        let customer = self.lots.values().any(|l| &l.source.customer_bin == org);
        let reps = self.representatives.as_ref();
        let organizer_rep = reps.is_some_and(|r| &r.organizer_representative.iin == iin);
        let customer_rep = reps.is_some_and(|r| &r.customer_representative.iin == iin);
        if !self.is_secretary(iin) && !organizer_rep && !customer_rep {
            return Err(refusal::not_a_discussion_responder());
        }
        let acts_for_organizer = (self.is_secretary(iin) || organizer_rep) && organizer;
        if acts_for_organizer || customer_rep && customer {
            Ok(())
        } else {
            Err(refusal::foreign_organization())
        }
    }

    /// The discussion, once the guard let a discussion step through: a method without one
    /// never gets here.
    fn open_discussion(&self) -> Result<&Discussion, DomainError> {
        self.discussion()
            .ok_or_else(refusal::discussion_not_available)
    }

    pub(in crate::announcement) fn end_discussion(&self, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        self.require_step(Step::Discussion)?;
        let now = ctx.now;
        let end = self
            .discussion_end()
            .filter(|_| self.has_discussion())
            .ok_or_else(refusal::discussion_not_available)?;
        let mut events = Vec::new();
        if !self.discussion().is_some_and(|d| d.ended) {
            require_reached(now, end)?;
            events.push(AnnouncementEvent::DiscussionEnded(DiscussionEnded {
                ended_at: now,
            }));
        } else if !self.discussion_requests().is_empty()
            || self.valid_protocol(ProtocolKind::Discussion).is_some()
        {
            return Err(refusal::discussion_period_over());
        }
        if self.discussion_requests().is_empty() {
            // A first-direction notice holds the automatic protocol back until it is closed
            // (L1574–1578); it is formed then, by this same command. Published without
            // executing it, the protocol is the secretary's signed one (000-D S17, L12195–12211).
            if self
                .camera_control
                .holding(Direction::First)
                .next()
                .is_some()
                || self.camera_control.without_execution.is_some()
            {
                return if events.is_empty() {
                    Err(refusal::camera_control_notice_open())
                } else {
                    Ok(events)
                };
            }
            // No requests: the protocol is formed and published by the system without
            // signatures, and an acceptance start later than that moves to 30 minutes after it,
            // keeping the entered duration (L1884–1926).
            let formed = self.form_protocol(ProtocolKind::Discussion, true, now, None);
            let published = Protocols::publish_automatic(&formed, now);
            events.push(AnnouncementEvent::ProtocolFormed(formed));
            events.push(AnnouncementEvent::ProtocolPublished(published));
            let acceptance = self.acceptance_window()?;
            if acceptance.start > now {
                let start = now + Duration::minutes(RESCHEDULE_GAP_MINUTES);
                let end = start + (acceptance.end - acceptance.start);
                events.push(AnnouncementEvent::AcceptanceRescheduled(
                    AcceptanceRescheduled {
                        start,
                        end,
                        rescheduled_at: now,
                    },
                ));
            }
        }
        Ok(events)
    }

    /// The entered end of acceptance, with acceptance starting at the protocol's publication:
    /// the method's minimum period counts from that instant, as for an index-2 copy whose
    /// acceptance starts at its publication (L1856–1860, docs/decisions/0606).
    fn require_acceptance_end(&self, end: DateTime<Utc>, ctx: &Context) -> Result<(), DomainError> {
        let dates = AcceptanceDates {
            start: ctx.now,
            end,
            index: self.index.max(2),
            // The entered end counts from the publication, with no interval to exempt.
            repeat: false,
            source_failure: self.procedure.single_source_terms().map(|t| t.source),
        };
        self.rules()?.validate_dates(dates, ctx)
    }

    /// What publishing the protocol published without executing a notice adds: acceptance from
    /// now to the entered end, «Опубликовано (прием заявок)» (L12299–12313).
    pub(in crate::announcement) fn start_acceptance_on_publication(
        &self,
        ctx: &Context,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        let end = self
            .discussion()
            .and_then(|d| d.acceptance_end)
            .ok_or_else(refusal::acceptance_end_required)?;
        self.require_acceptance_end(end, ctx)?;
        let now = ctx.now;
        Ok(vec![
            AnnouncementEvent::AcceptanceRescheduled(AcceptanceRescheduled {
                start: now,
                end,
                rescheduled_at: now,
            }),
            AnnouncementEvent::AcceptanceStarted(AcceptanceStarted { started_at: now }),
        ])
    }

    pub(in crate::announcement) fn discussion_protocol_published(&self) -> bool {
        self.valid_protocol(ProtocolKind::Discussion)
            .is_some_and(|p| p.published_at.is_some())
    }

    pub(in crate::announcement) fn require_no_discussion_protocol(
        &self,
    ) -> Result<(), DomainError> {
        if self.valid_protocol(ProtocolKind::Discussion).is_some() {
            return Err(refusal::protocol_already_formed());
        }
        Ok(())
    }
}
