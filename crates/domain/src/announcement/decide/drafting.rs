//! The draft: header, people, documents, dates, publication, deletion (L734–1525).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Decision;
use crate::actor::{Context, Role};
use crate::announcement::deadline::end_of_working_days;
use crate::announcement::event::*;
use crate::announcement::header::{Header, ProcurementType};
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::camera_control::CameraControl;
use crate::error::DomainError;
use crate::method::AcceptanceDates;
use crate::method::procedure::MethodProcedure;
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_drafting(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::UpdateHeader { header } => {
                self.require_drafting(ctx)?;
                header.validate()?;
                let current = self.header()?;
                if self.index > 1 && !frozen_header_fields_equal(current, &header) {
                    return Err(refusal::not_editable_in_copy());
                }
                let lots_depend =
                    header.method != current.method || header.subject_type != current.subject_type;
                if lots_depend && !self.lots.is_empty() {
                    return Err(refusal::remove_lots_first());
                }
                Ok(vec![AnnouncementEvent::AnnouncementHeaderUpdated(
                    AnnouncementHeaderUpdated {
                        header,
                        updated_at: now,
                    },
                )])
            }
            C::SetRepresentatives { representatives } => {
                self.require_drafting(ctx)?;
                if !self.rules()?.representatives_step() {
                    return Err(refusal::not_applicable_to_method());
                }
                representatives.validate()?;
                Ok(vec![AnnouncementEvent::RepresentativesSet(
                    RepresentativesSet {
                        representatives,
                        set_at: now,
                    },
                )])
            }
            C::SetCommission { commission } => {
                self.require_drafting(ctx)?;
                self.require_commission_method()?;
                commission.validate(self.header()?.single_organizer)?;
                Ok(vec![AnnouncementEvent::CommissionSet(CommissionSet {
                    commission,
                    set_at: now,
                })])
            }
            // §2.20: a procurement run off the portal says where its paper goes.
            C::SetPublicationPlaces { places } => {
                self.require_drafting(ctx)?;
                if self.procedure.entered_data().is_none() {
                    return Err(refusal::not_applicable_to_method());
                }
                places.validate()?;
                Ok(vec![AnnouncementEvent::PublicationPlacesSet(
                    PublicationPlacesSet {
                        places,
                        set_at: now,
                    },
                )])
            }
            C::SignTenderDocumentation { documentation } => {
                self.require_drafting(ctx)?;
                self.require_commission_method()?;
                documentation.validate()?;
                Ok(vec![AnnouncementEvent::TenderDocumentationSigned(
                    TenderDocumentationSigned {
                        documentation,
                        signed_by: ctx.actor.iin,
                        signed_at: now,
                    },
                )])
            }
            C::ApproveContractDraft { contract_draft } => {
                self.require_drafting(ctx)?;
                // An approved draft must be revoked before it is edited (L369–371, L1480–1482).
                if self.contract_draft.is_some() {
                    return Err(refusal::contract_draft_already_approved());
                }
                contract_draft.validate()?;
                Ok(vec![AnnouncementEvent::ContractDraftApproved(
                    ContractDraftApproved {
                        contract_draft,
                        approved_at: now,
                    },
                )])
            }
            C::RevokeContractDraft => {
                self.require_drafting(ctx)?;
                if self.contract_draft.is_none() {
                    return Err(refusal::contract_draft_missing());
                }
                Ok(vec![AnnouncementEvent::ContractDraftRevoked(
                    ContractDraftRevoked { revoked_at: now },
                )])
            }
            C::SetSingleSourceTerms { terms } => {
                self.require_drafting(ctx)?;
                if !matches!(self.procedure, MethodProcedure::SingleSource(_)) {
                    return Err(refusal::not_applicable_to_method());
                }
                terms.source.validate()?;
                Ok(vec![AnnouncementEvent::SingleSourceTermsSet(
                    SingleSourceTermsSet { terms, set_at: now },
                )])
            }
            C::SetAcceptanceDates { start, end } => {
                self.require_drafting(ctx)?;
                let start = if self.index > 1 { now } else { start };
                self.validate_dates(start, end, ctx)?;
                Ok(vec![AnnouncementEvent::AcceptanceDatesSet(
                    AcceptanceDatesSet {
                        start,
                        end,
                        set_at: now,
                    },
                )])
            }
            C::Publish => self.publish(ctx),
            C::DeleteDraft => {
                self.require_drafting(ctx)?;
                Ok(vec![AnnouncementEvent::DraftDeleted(DraftDeleted {
                    plan_item_ids: self.lots.keys().cloned().collect(),
                    deleted_at: now,
                })])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    pub(in crate::announcement) fn create_draft(
        &self,
        announcement_id: Uuid,
        number: String,
        header: Header,
        ctx: &Context,
    ) -> Decision {
        if self.status.is_some() {
            return Err(refusal::announcement_exists());
        }
        self.require_role(ctx, Role::Organizer)?;
        crate::kernel::text::number("number", &number)?;
        header.validate()?;
        Ok(vec![
            AnnouncementEvent::AnnouncementDrafted(AnnouncementDrafted {
                announcement_id,
                number,
                header,
                organizer_bin: ctx.actor.org,
                creator_iin: ctx.actor.iin,
                drafted_at: ctx.now,
            }),
            regime_in_force(ctx)?,
        ])
    }

    pub(in crate::announcement) fn create_index_copy(
        &self,
        announcement_id: Uuid,
        number: String,
        source: &Announcement,
        ctx: &Context,
    ) -> Decision {
        if self.status.is_some() {
            return Err(refusal::announcement_exists());
        }
        if source.status != Some(S::DocumentationChanged)
            || source.copy_announcement_id != Some(announcement_id)
        {
            return Err(refusal::not_a_documentation_change_copy());
        }
        source.require_role(ctx, Role::Organizer)?;
        source.require_own_organization(ctx)?;
        crate::kernel::text::number("number", &number)?;
        let source_id = source.id.ok_or_else(refusal::announcement_not_found)?;
        let notices = source
            .camera_control
            .handed_over
            .as_ref()
            .filter(|h| h.copy_announcement_id == announcement_id)
            .map(|h| AnnouncementEvent::CameraControl(CameraControl::taken_over(source_id, h)));
        let created = AnnouncementEvent::AnnouncementCopyCreated(AnnouncementCopyCreated {
            announcement_id,
            number,
            source_announcement_id: source_id,
            index: source.index + 1,
            header: source.header()?.clone(),
            organizer_bin: source
                .organizer_bin
                .ok_or_else(refusal::announcement_not_found)?,
            creator_iin: source
                .creator_iin
                .ok_or_else(refusal::announcement_not_found)?,
            lots: source.active_lots().cloned().collect(),
            representatives: source.representatives.clone(),
            commission: source.commission().cloned(),
            tender_documentation: source.tender_documentation().cloned(),
            contract_draft: source.contract_draft.clone(),
            acceptance_end: source.acceptance.map(|w| w.end),
            created_at: ctx.now,
        });
        // The copy continues the same procurement: it keeps the source's regime.
        let regime = AnnouncementEvent::LegalRegimePinned(LegalRegimePinned {
            regime: (source.regime.clone()).unwrap_or_else(|| ctx.rules.default_ref()),
        });
        Ok([created, regime].into_iter().chain(notices).collect())
    }

    /// The method's deadlines for the acceptance window.
    pub(in crate::announcement) fn validate_dates(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        let dates = AcceptanceDates {
            start,
            end,
            index: self.index,
            repeat: self
                .header()
                .is_ok_and(|h| h.procurement_type == ProcurementType::Repeat),
            source_failure: self.procedure.single_source_terms().map(|t| t.source),
        };
        self.rules()?.validate_dates(dates, ctx)
    }

    pub(in crate::announcement) fn publish(&self, ctx: &Context) -> Decision {
        self.require_drafting(ctx)?;
        let header = self.header()?;
        let now = ctx.now;
        if self.lots.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        // Paper and non-GZ drafts prepare no documents on the portal (spec 000-C §2.18–2.20).
        let documents = self.rules()?.documents_on_portal();
        for lot in self.lots.values() {
            let terms = lot.terms.as_ref().ok_or_else(refusal::lot_data_missing)?;
            terms.validate(header.subject_type)?;
            // Not required for «Работа с ТЭО и ПСД» lots (L1293–1303).
            if documents
                && lot.technical_specification.is_none()
                && !lot.is_work_with_feasibility_and_design()
            {
                return Err(refusal::technical_specification_missing());
            }
        }
        if documents && self.contract_draft.is_none() {
            return Err(refusal::contract_draft_missing());
        }
        // A method with a commission publishes with its representatives, as does an ИОИ
        // (L1293–1303, spec 000-C L7234–7274).
        let single_source = match &self.procedure {
            MethodProcedure::SingleSource(parts) => Some(parts),
            _ => None,
        };
        // The automatic ИОИ's representative is the failed ЗЦП's creator (L6910–6916).
        let drafted_by_hand = single_source.is_some_and(|p| p.failed_announcement_id.is_none());
        if self.procedure.open_tender().is_some() || drafted_by_hand {
            self.representatives
                .as_ref()
                .ok_or_else(refusal::representatives_missing)?
                .validate()?;
        }
        // ... and with its commission and tender documentation (L1480–1490).
        if let Some(parts) = self.procedure.open_tender() {
            parts
                .commission
                .as_ref()
                .ok_or_else(refusal::commission_missing)?
                .validate(header.single_organizer)?;
            if parts.tender_documentation.is_none() {
                return Err(refusal::tender_documentation_missing());
            }
        }
        // An ИОИ publishes with its invited supplier (spec 000-C L7161–7207).
        if single_source.is_some_and(|parts| parts.terms.is_none()) {
            return Err(refusal::single_source_terms_missing());
        }
        // The places of the publication form are required (spec 000-C §2.20, L8938–8946).
        if self
            .procedure
            .entered_data()
            .is_some_and(|data| data.places.is_none())
        {
            return Err(refusal::publication_places_missing());
        }
        // The representative reviewing alone must be named (spec 000-B H3, L6006–6130).
        if self.reviewer() == crate::method::Reviewer::OrganizerRepresentative {
            self.representatives
                .as_ref()
                .ok_or_else(refusal::representatives_missing)?
                .validate()?;
        }
        let acceptance = self
            .acceptance
            .ok_or_else(refusal::acceptance_dates_missing)?;
        if self.index > 1 {
            // The copy's acceptance starts at publication (L1856–1860) and has no discussion.
            self.validate_dates(now, acceptance.end, ctx)?;
            return Ok(vec![
                AnnouncementEvent::AnnouncementPublished(AnnouncementPublished {
                    published_at: now,
                    acceptance_start: now,
                    acceptance_end: acceptance.end,
                    discussion_end: None,
                }),
                AnnouncementEvent::AcceptanceStarted(AcceptanceStarted { started_at: now }),
            ]
            .into_iter()
            // The changed documentation is published: executed, pending the inspector
            // (spec 000-D L11038–11048, docs/decisions/0304).
            .chain(
                self.camera_control
                    .on_copy_published(now)
                    .into_iter()
                    .map(AnnouncementEvent::CameraControl),
            )
            .collect());
        }
        self.validate_dates(acceptance.start, acceptance.end, ctx)?;
        let discussion_end = match self.has_discussion() {
            true => self
                .rules()?
                .discussion_days()
                .map(|days| end_of_working_days(ctx, now, days))
                .transpose()?,
            false => None,
        };
        Ok(vec![AnnouncementEvent::AnnouncementPublished(
            AnnouncementPublished {
                published_at: now,
                acceptance_start: acceptance.start,
                acceptance_end: acceptance.end,
                discussion_end,
            },
        )])
    }
}

/// Frozen in the index-2 copy: method, subject type, disability attribute, names (L1798–1804).
fn frozen_header_fields_equal(a: &Header, b: &Header) -> bool {
    a.method == b.method
        && a.subject_type == b.subject_type
        && a.among_disabled_organizations == b.among_disabled_organizations
        && a.name_kk == b.name_kk
        && a.name_ru == b.name_ru
}

/// The rule set in force on the Astana date of drafting (decision 0891).
pub(in crate::announcement) fn regime_in_force(
    ctx: &Context,
) -> Result<AnnouncementEvent, DomainError> {
    Ok(AnnouncementEvent::LegalRegimePinned(LegalRegimePinned {
        regime: ctx.rules.pin(ctx.today()?),
    }))
}
