//! Changes of the commission, the creator and the representatives (L618–680, L1960–1992).

use super::{Decision, non_empty};
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use chrono::{DateTime, Utc};

use crate::commission::Person;
use crate::method::{Reviewer, Step};
use crate::protocol::{ProtocolKind, Protocols};
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_changes(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::ChangeCommission {
                commission,
                decision,
            } => {
                self.require_commission_method()?;
                let current = self.commission().ok_or_else(refusal::commission_missing)?;
                let iin = &ctx.actor.iin;
                if !current.is_secretary(iin) && !current.is_chairman(iin) {
                    return Err(refusal::not_secretary());
                }
                // The secretary is the organizer's employee; the chairman may come from another
                // organisation (seed 000 L13066–13068, decision 0674).
                if !current.is_chairman(iin) {
                    self.require_own_organization(ctx)?;
                }
                // Only the chairman can change the secretary (L1974–1976).
                if commission.secretary.iin != current.secretary.iin && !current.is_chairman(iin) {
                    return Err(refusal::only_chairman_changes_secretary());
                }
                let allowed = self.allows(Step::ChangeCommission)
                    || self.allows(Step::ChangeCommissionWhileVoting) && !self.voting().completed;
                if !allowed {
                    return Err(refusal::commission_change_not_allowed());
                }
                decision.validate()?;
                commission.validate(self.header()?.single_organizer)?;
                Ok(vec![AnnouncementEvent::CommissionChanged(
                    CommissionChanged {
                        commission,
                        decision,
                        changed_by: *iin,
                        changed_at: now,
                    },
                )])
            }
            C::ChangeCreator {
                new_creator_iin,
                creator_blocked,
                new_creator_active,
            } => {
                self.require_role(ctx, Role::OrgAdmin)?;
                self.require_own_organization(ctx)?;
                self.require_step(Step::ChangeCreator)
                    .map_err(|_| refusal::creator_change_not_allowed())?;
                if !creator_blocked {
                    return Err(refusal::creator_not_blocked());
                }
                if !new_creator_active {
                    return Err(refusal::new_creator_blocked());
                }
                let previous = self
                    .creator_iin
                    .ok_or_else(refusal::announcement_not_found)?;
                if previous == new_creator_iin {
                    return Err(refusal::creator_unchanged());
                }
                Ok(vec![AnnouncementEvent::CreatorChanged(CreatorChanged {
                    previous_creator_iin: previous,
                    new_creator_iin,
                    changed_at: now,
                })])
            }
            C::ChangeRepresentatives {
                organizer_representative,
                customer_representative,
            } => {
                self.require_role(ctx, Role::Organizer)?;
                let iin = &ctx.actor.iin;
                if !self.is_secretary(iin) && self.creator_iin.as_ref() != Some(iin) {
                    return Err(refusal::not_secretary());
                }
                // Also where none were set: a ЗЦП is published without them (decision 0602).
                self.require_step(Step::ChangeRepresentatives)
                    .map_err(|_| refusal::representatives_change_not_allowed())?;
                non_empty(
                    "organizer_representative",
                    &organizer_representative.full_name,
                )?;
                non_empty(
                    "customer_representative",
                    &customer_representative.full_name,
                )?;
                let mut events = self.reviewer_replaced(&organizer_representative, now)?;
                events.push(AnnouncementEvent::RepresentativesChanged(
                    RepresentativesChanged {
                        organizer_representative,
                        customer_representative,
                        changed_at: now,
                    },
                ));
                Ok(events)
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// A new organizer representative who reviews alone, while the results protocol is formed:
    /// the protocol is deleted and the review reopened, back to «Рассмотрение заявок» (spec
    /// 000-B H19b, L6820–6830). His predecessor's decisions go with the change itself.
    fn reviewer_replaced(&self, new: &Person, now: DateTime<Utc>) -> Decision {
        let replaced = self.reviewer() == Reviewer::OrganizerRepresentative
            && self
                .procedure
                .review_panel()
                .is_some_and(|panel| panel.chairman.iin != new.iin);
        if !replaced || self.status != Some(S::FormingResultsProtocol) {
            return Ok(Vec::new());
        }
        let protocol = self.protocols.deletable(ProtocolKind::Results)?;
        Ok(vec![
            AnnouncementEvent::ProtocolDeleted(Protocols::delete(protocol, now)),
            AnnouncementEvent::VotingReopened(self.voting().reopen(now)?),
        ])
    }
}
