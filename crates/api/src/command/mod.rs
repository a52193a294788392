//! Mutations: one per command a user (or the portal's timer) may send. Each takes a client
//! command id, so a retry is answered from the record instead of acting twice, and returns the
//! stream's new version and the global position to pass as `minPosition` to read the write.
//!
//! The API only turns input into domain values; whether the actor may do it (role,
//! organisation, commission membership, secretary) is decided by the aggregate. Compound values
//! travel as JSON in the shape of the event schemas (`schemas/events/`), read with the domain's
//! own serde rules, so a bad БИН or a negative amount is refused with the domain's code before
//! anything is written.
//!
//! Not exposed: `CreateIndexCopy` and the camera-control hooks (`RecordCameraControlNotice`,
//! `ResolveCameraControlNotice`), which the engine derives itself, and the plan-item commands `Reserve`, `Release`, `Transfer`,
//! `MarkProcurementHeld`/`Failed`: the engine issues them itself as steps of the lot-pool
//! process (docs/decisions/0201), and a client sending them would break its invariant.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::SubjectType;
use zakup_domain::application::{ApplicationId, DiscountForm, LotOffer};
use zakup_domain::camera_control::CameraControlCommand;
use zakup_domain::camera_control::notice::{Direction, NoticeId, Remedy};
use zakup_domain::camera_control::objection::{Conclusion, ObjectionId};
use zakup_domain::certificate::{Certificate, CertificateCommand};
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::ident::{Bin, IdKind, Iin};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId};
use zakup_domain::protocol::ProtocolKind;
use zakup_engine::{CommandMeta, Outcome};

use crate::notice;
use crate::page::{actor, app};
use crate::refusal;
use crate::term::{self, PortalTerm};

type Value = Json<serde_json::Value>;

/// What a command left behind.
#[derive(SimpleObject, Debug, Clone)]
pub struct CommandOutcome {
    pub stream_id: String,
    /// The stream's version after the command (null: the stream is still empty).
    pub version: Option<i64>,
    /// Global position `major:minor` of the command's last event: pass it as `minPosition`.
    pub position: Option<String>,
    /// Events appended by this call (0 for a retry, or a command with nothing to record).
    pub appended: i64,
    /// True when this command id had already been executed: the original outcome is returned.
    pub duplicate: bool,
}

impl From<Outcome> for CommandOutcome {
    fn from(o: Outcome) -> Self {
        CommandOutcome {
            stream_id: o.stream_id,
            version: o.version.map(|v| v as i64),
            position: o.position.map(|p| p.to_string()),
            appended: o.appended as i64,
            duplicate: o.duplicate,
        }
    }
}

/// One lot of an application: the plan item and the price offered, tenge as a decimal string.
#[derive(InputObject, Debug)]
pub struct OfferInput {
    pub plan_item_id: String,
    pub price: String,
}

/// Conditional discounts for one application on a lot (spec §8.1).
#[derive(InputObject, Debug)]
pub struct DiscountEntryInput {
    pub application_id: Uuid,
    /// `DiscountForm`: `experience_years`, `experience_months`, `experience_pct`, `qms_pct`, …
    pub form: Value,
}

fn json<T: DeserializeOwned>(field: &str, value: Value) -> Result<T> {
    serde_json::from_value(value.0).map_err(|e| refusal::invalid_input(field, e))
}

fn plan_item(raw: &str) -> Result<PlanItemId> {
    PlanItemId::parse(raw).map_err(|e| refusal::domain(&e))
}

fn plan_items(raw: &[String]) -> Result<Vec<PlanItemId>> {
    raw.iter().map(|r| plan_item(r)).collect()
}

fn iin(raw: &str) -> Result<Iin> {
    raw.parse()
        .map_err(|e: zakup_domain::ident::IdError| refusal::domain(&e.into_domain(IdKind::Iin)))
}

fn bin(raw: &str) -> Result<Bin> {
    raw.parse()
        .map_err(|e: zakup_domain::ident::IdError| refusal::domain(&e.into_domain(IdKind::Bin)))
}

fn money(raw: &str) -> Result<Money> {
    raw.parse::<Money>()
        .map_err(|e| refusal::domain(&zakup_domain::error::DomainError::from(e)))
}

fn portal<T: PortalTerm>(field: &str, raw: &str) -> Result<T> {
    term::parse::<T>(raw).ok_or_else(|| {
        refusal::invalid_input(field, format!("{raw:?} is not one of {}", term::ids::<T>()))
    })
}

/// The command's envelope, with the actor's organisation's unread notices for the portal-wide
/// block (docs/decisions/0310). Without the read model the command is refused rather than let
/// through: the block must not lapse when the database is unreachable.
async fn meta(ctx: &Context<'_>, command_id: Uuid) -> Result<CommandMeta> {
    let actor = actor(ctx)?;
    let unread_notices = notice::unread_announcements(&app(ctx).pool, actor.org)
        .await
        .map_err(refusal::read_models)?;
    Ok(CommandMeta {
        command_id,
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices,
    })
}

async fn announce(
    ctx: &Context<'_>,
    command_id: Uuid,
    announcement_id: Uuid,
    command: C,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .announcement(announcement_id, &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}

#[derive(Default)]
pub struct AnnouncementMutation;

#[Object]
impl AnnouncementMutation {
    /// «Создать объявление»: a draft with its header (`Header`: method, procurement_type,
    /// subject_type, name_kk, name_ru, among_disabled_organizations, single_organizer).
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        number: String,
        header: Value,
    ) -> Result<CommandOutcome> {
        let header = json("header", header)?;
        let command = C::CreateDraft {
            announcement_id,
            number,
            header,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn update_header(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        header: Value,
    ) -> Result<CommandOutcome> {
        let header = json("header", header)?;
        announce(ctx, command_id, announcement_id, C::UpdateHeader { header }).await
    }

    /// Lots from the customers' plan items (`[LotSource]`: plan_item_id, lot_number,
    /// customer_bin, name_ru, name_kk, amount). The engine reserves each plan item first.
    async fn add_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        lots: Value,
    ) -> Result<CommandOutcome> {
        let lots = json("lots", lots)?;
        announce(ctx, command_id, announcement_id, C::AddLots { lots }).await
    }

    async fn remove_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let plan_item_ids = plan_items(&plan_item_ids)?;
        announce(
            ctx,
            command_id,
            announcement_id,
            C::RemoveLots { plan_item_ids },
        )
        .await
    }

    /// `LotTerms`, tagged by `subject`: goods, work or service.
    async fn set_lot_terms(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        terms: Value,
    ) -> Result<CommandOutcome> {
        let command = C::SetLotTerms {
            plan_item_id: plan_item(&plan_item_id)?,
            terms: json("terms", terms)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `TechnicalSpecification`, tagged by `form`: template or files.
    async fn attach_technical_specification(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        specification: Value,
    ) -> Result<CommandOutcome> {
        let command = C::AttachTechnicalSpecification {
            plan_item_id: plan_item(&plan_item_id)?,
            specification: json("specification", specification)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn remove_technical_specification(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
    ) -> Result<CommandOutcome> {
        let command = C::RemoveTechnicalSpecification {
            plan_item_id: plan_item(&plan_item_id)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `Representatives` (§2.5).
    async fn set_representatives(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        representatives: Value,
    ) -> Result<CommandOutcome> {
        let representatives = json("representatives", representatives)?;
        let command = C::SetRepresentatives { representatives };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `Commission`: chairman, members, secretary (each `{iin, full_name}`).
    async fn set_commission(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        commission: Value,
    ) -> Result<CommandOutcome> {
        let commission = json("commission", commission)?;
        announce(
            ctx,
            command_id,
            announcement_id,
            C::SetCommission { commission },
        )
        .await
    }

    /// `TenderDocumentation` (§2.7), signed.
    async fn sign_tender_documentation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        documentation: Value,
    ) -> Result<CommandOutcome> {
        let documentation = json("documentation", documentation)?;
        let command = C::SignTenderDocumentation { documentation };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `ContractDraft` (§2.10): template, added_clauses, signed_document.
    async fn approve_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        contract_draft: Value,
    ) -> Result<CommandOutcome> {
        let contract_draft = json("contractDraft", contract_draft)?;
        let command = C::ApproveContractDraft { contract_draft };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn revoke_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::RevokeContractDraft).await
    }

    /// «Предварительный просмотр»: the acceptance window.
    async fn set_acceptance_dates(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<CommandOutcome> {
        announce(
            ctx,
            command_id,
            announcement_id,
            C::SetAcceptanceDates { start, end },
        )
        .await
    }

    async fn publish(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::Publish).await
    }

    async fn delete_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::DeleteDraft).await
    }

    /// A supplier's remark on the draft documentation (§4.2.2).
    async fn submit_discussion_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        subject: String,
        text: String,
    ) -> Result<CommandOutcome> {
        let command = C::SubmitDiscussionRequest {
            request_id: DiscussionRequestId(request_id),
            subject,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `decision`: `amend_documentation`, `reject_remarks` or `clarify`.
    async fn answer_discussion_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        decision: String,
        text: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::AnswerDiscussionRequest {
            request_id: DiscussionRequestId(request_id),
            decision: portal::<DiscussionDecision>("decision", &decision)?,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn edit_discussion_answer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        decision: String,
        text: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::EditDiscussionAnswer {
            request_id: DiscussionRequestId(request_id),
            decision: portal::<DiscussionDecision>("decision", &decision)?,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Завершить обсуждение документации» with the signers (`[{iin, full_name}]`).
    async fn complete_discussion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        signers: Value,
    ) -> Result<CommandOutcome> {
        let signers = json("signers", signers)?;
        announce(
            ctx,
            command_id,
            announcement_id,
            C::CompleteDiscussion { signers },
        )
        .await
    }

    async fn form_discussion_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::FormDiscussionProtocol).await
    }

    async fn delete_discussion_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(
            ctx,
            command_id,
            announcement_id,
            C::DeleteDiscussionProtocol,
        )
        .await
    }

    /// Timed (role `system`): the portal's scheduler sends it when the discussion period ends.
    async fn end_discussion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndDiscussion).await
    }

    /// Timed (role `system`).
    async fn start_acceptance(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::StartAcceptance).await
    }

    /// Timed (role `system`).
    async fn end_acceptance(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndAcceptance).await
    }

    /// Timed (role `system`).
    async fn end_supplement_period(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndSupplementPeriod).await
    }

    /// An application (ОК) or price offer (ЗЦП) of the supplier's organisation.
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        offers: Vec<OfferInput>,
    ) -> Result<CommandOutcome> {
        let offers = offers
            .iter()
            .map(|o| {
                Ok(LotOffer {
                    plan_item_id: plan_item(&o.plan_item_id)?,
                    price: money(&o.price)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let command = C::SubmitApplication {
            application_id: ApplicationId(application_id),
            offers,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::WithdrawApplication {
            application_id: ApplicationId(application_id),
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// Supplements after the preliminary admission protocol (`documents`: `[FileRef]`).
    async fn supplement_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        plan_item_ids: Vec<String>,
        documents: Value,
    ) -> Result<CommandOutcome> {
        let command = C::SupplementApplication {
            application_id: ApplicationId(application_id),
            plan_item_ids: plan_items(&plan_item_ids)?,
            documents: json("documents", documents)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// A commission member's `Ballot`: `common_article6` and per-lot verdicts.
    async fn cast_vote(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        ballot: Value,
    ) -> Result<CommandOutcome> {
        let command = C::CastVote {
            application_id: ApplicationId(application_id),
            ballot: json("ballot", ballot)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn withdraw_vote(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::WithdrawVote {
            application_id: ApplicationId(application_id),
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn complete_voting(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::CompleteVoting).await
    }

    async fn reopen_voting(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::ReopenVoting).await
    }

    async fn form_preliminary_admission_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(
            ctx,
            command_id,
            announcement_id,
            C::FormPreliminaryAdmissionProtocol,
        )
        .await
    }

    async fn form_results_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::FormResultsProtocol).await
    }

    /// «Пересмотр итогов»: the secretary deletes the revision's new results protocol before its
    /// publication, even signed; the one it was to replace is valid again (L10500–10512).
    async fn delete_results_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::DeleteResultsProtocol).await
    }

    /// Signs the protocol version whose content hash is quoted (`Protocol.contentSha256`):
    /// `signature` is the Ed25519 signature (hex) of that ASCII hash by the signer's key
    /// registered with `registerSigningKey`. `kind`: `discussion`, `preliminary_admission` or
    /// `results`; `dissent`: optional `FileRef`.
    #[allow(clippy::too_many_arguments)]
    async fn sign_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        version: i32,
        signer_iin: String,
        content_sha256: String,
        signature: String,
        dissent: Option<Value>,
    ) -> Result<CommandOutcome> {
        let command = C::SignProtocol {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            version: protocol_version(version)?,
            signer_iin: iin(&signer_iin)?,
            content_sha256,
            dissent: dissent.map(|d| json("dissent", d)).transpose()?,
        };
        let meta = meta(ctx, command_id).await?;
        app(ctx)
            .engine
            .sign_protocol(announcement_id, &meta, command, &signature)
            .await
            .map(CommandOutcome::from)
            .map_err(|e| refusal::engine(&e))
    }

    /// «Причина отсутствия подписи» for an absent member (`file`: `FileRef`).
    #[allow(clippy::too_many_arguments)]
    async fn record_signature_absence(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        version: i32,
        member_iin: String,
        file: Value,
    ) -> Result<CommandOutcome> {
        let command = C::RecordSignatureAbsence {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            version: protocol_version(version)?,
            member_iin: iin(&member_iin)?,
            file: json("file", file)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn attach_expert_opinion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        file: Value,
    ) -> Result<CommandOutcome> {
        let command = C::AttachExpertOpinion {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            file: json("file", file)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn publish_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
    ) -> Result<CommandOutcome> {
        let command = C::PublishProtocol {
            kind: portal::<ProtocolKind>("kind", &kind)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn fill_conditional_discounts(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        entries: Vec<DiscountEntryInput>,
    ) -> Result<CommandOutcome> {
        let entries = entries
            .into_iter()
            .map(|e| {
                let form: DiscountForm = json("form", e.form)?;
                Ok((ApplicationId(e.application_id), form))
            })
            .collect::<Result<Vec<_>>>()?;
        let command = C::FillConditionalDiscounts {
            plan_item_id: plan_item(&plan_item_id)?,
            entries,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn complete_conditional_discounts(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(
            ctx,
            command_id,
            announcement_id,
            C::CompleteConditionalDiscounts,
        )
        .await
    }

    /// Suspension on a `GroundingAct` (body, body_name, act_type, number, date, file).
    async fn suspend(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        act: Value,
    ) -> Result<CommandOutcome> {
        let act = json("act", act)?;
        announce(ctx, command_id, announcement_id, C::Suspend { act }).await
    }

    async fn resume(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        act: Value,
    ) -> Result<CommandOutcome> {
        let act = json("act", act)?;
        announce(ctx, command_id, announcement_id, C::Resume { act }).await
    }

    /// Cancels lots on a `GroundingAct`; cancelling every lot cancels the announcement.
    async fn cancel_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
        act: Value,
    ) -> Result<CommandOutcome> {
        let command = C::CancelLots {
            plan_item_ids: plan_items(&plan_item_ids)?,
            act: json("act", act)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Отказ от закупки» by the customer for its own lots, with the grounding `document`
    /// (`FileRef`).
    async fn refuse_procurement(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
        reason: String,
        document: Value,
    ) -> Result<CommandOutcome> {
        let command = C::RefuseProcurement {
            plan_item_ids: plan_items(&plan_item_ids)?,
            reason,
            document: json("document", document)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Продолжить закупку без пересмотра ППД».
    async fn continue_without_ppd_revision(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(
            ctx,
            command_id,
            announcement_id,
            C::ContinueWithoutPpdRevision,
        )
        .await
    }

    /// A commission's query for information on a lot (`CommissionQuery`: plan_item_id,
    /// recipient, info_kk, info_ru, sent_on, answer_kk, answer_ru).
    async fn record_commission_query(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        query: Value,
    ) -> Result<CommandOutcome> {
        let query = json("query", query)?;
        announce(
            ctx,
            command_id,
            announcement_id,
            C::RecordCommissionQuery { query },
        )
        .await
    }

    /// `Commission` and the `ChangeDecision` (number, date, file) behind it.
    async fn change_commission(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        commission: Value,
        decision: Value,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeCommission {
            commission: json("commission", commission)?,
            decision: json("decision", decision)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn change_creator(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        new_creator_iin: String,
        creator_blocked: bool,
        new_creator_blocked: bool,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeCreator {
            new_creator_iin: iin(&new_creator_iin)?,
            creator_blocked,
            new_creator_blocked,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// Each representative is `{iin, full_name}`.
    async fn change_representatives(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        organizer_representative: Value,
        customer_representative: Value,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeRepresentatives {
            organizer_representative: json("organizerRepresentative", organizer_representative)?,
            customer_representative: json("customerRepresentative", customer_representative)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// The contract process reports a contract draft on a lot (it blocks cancellation).
    async fn record_lot_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        contract_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::RecordLotContractDraft {
            plan_item_id: plan_item(&plan_item_id)?,
            contract_id,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn record_lot_contract_deleted(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
    ) -> Result<CommandOutcome> {
        let command = C::RecordLotContractDeleted {
            plan_item_id: plan_item(&plan_item_id)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}

fn protocol_version(version: i32) -> Result<u32> {
    u32::try_from(version).map_err(|_| refusal::invalid_input("version", "versions start at 1"))
}

/// Camera control by the internal state audit (spec 000-D §4): the inspector's notices, the
/// organizer's objections and actions, the Committee's conclusions.
#[derive(Default)]
pub struct CameraControlMutation;

async fn camera(
    ctx: &Context<'_>,
    command_id: Uuid,
    announcement_id: Uuid,
    command: CameraControlCommand,
) -> Result<CommandOutcome> {
    announce(ctx, command_id, announcement_id, C::CameraControl(command)).await
}

#[Object]
impl CameraControlMutation {
    /// The inspector's notice on one lot. `direction` and `remedy` are ids of the portal's
    /// terms; `file` an optional `FileRef`.
    #[allow(clippy::too_many_arguments)]
    async fn deliver_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
        plan_item_id: String,
        direction: String,
        remedy: String,
        text: String,
        file: Option<Value>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::DeliverNotice {
            notice_id: NoticeId(notice_id),
            plan_item_id: plan_item(&plan_item_id)?,
            direction: portal::<Direction>("direction", &direction)?,
            remedy: portal::<Remedy>("remedy", &remedy)?,
            text,
            file: file.map(|f| json("file", f)).transpose()?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// Timed (role `system`): notices whose countdown ended become «Не исполнено».
    async fn expire_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        camera(
            ctx,
            command_id,
            announcement_id,
            CameraControlCommand::ExpireNotices,
        )
        .await
    }

    /// «Ознакомлен».
    async fn acknowledge_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::AcknowledgeNotice {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Возражение» → «Сохранить»: creates the draft objection or edits it.
    #[allow(clippy::too_many_arguments)]
    async fn save_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        notice_id: Uuid,
        description_ru: Option<String>,
        description_kz: Option<String>,
        approver_iin: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SaveObjection {
            objection_id: ObjectionId(objection_id),
            notice_id: NoticeId(notice_id),
            description_ru,
            description_kz,
            approver_iin: approver_iin.as_deref().map(iin).transpose()?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn delete_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::DeleteObjection {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Отправить на согласование».
    async fn submit_objection_for_approval(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SubmitObjectionForApproval {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn reject_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        reason: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::RejectObjection {
            objection_id: ObjectionId(objection_id),
            reason,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Утвердить и отправить».
    async fn approve_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        approver_position: String,
        approver_full_name: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ApproveObjection {
            objection_id: ObjectionId(objection_id),
            approver_position,
            approver_full_name,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Подписать»: the objection goes to the Committee.
    async fn sign_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SignObjection {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The Committee's conclusion: `positive` or `negative`.
    async fn conclude_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        conclusion: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ConcludeObjection {
            objection_id: ObjectionId(objection_id),
            conclusion: portal::<Conclusion>("conclusion", &conclusion)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Внести изменения в документацию» for the lots named in notices.
    async fn change_documentation_by_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ChangeDocumentationByNotices {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Отменить закупку» by notices: the lots to cancel, before `cancelByNotices`.
    async fn select_lots_for_cancellation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SelectLotsForCancellation {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn cancel_by_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        camera(
            ctx,
            command_id,
            announcement_id,
            CameraControlCommand::CancelByNotices,
        )
        .await
    }

    async fn publish_discussion_protocol_without_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::PublishDiscussionProtocolWithoutExecution;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Пересмотр ППД» for the lots named.
    async fn start_ppd_revision(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::StartPpdRevision {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Продолжить закупку без пересмотра ППД» after a notice.
    async fn continue_without_ppd_revision_by_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ContinueWithoutPpdRevision;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Пересмотр итогов» for the lots named.
    async fn start_results_revision(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::StartResultsRevision {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn continue_without_notice_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ContinueWithoutNoticeExecution;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The inspector confirms the execution of a notice.
    async fn confirm_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ConfirmExecution {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The inspector does not confirm the execution of a notice.
    async fn reject_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::RejectExecution {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }
}

#[derive(Default)]
pub struct PlanItemMutation;

#[Object]
impl PlanItemMutation {
    /// «Заявка заказчика»: the customer asks its organizer to procure a plan item. `amount` is
    /// tenge as a decimal string; `subjectType`: `goods`, `work` or `service`.
    #[allow(clippy::too_many_arguments)]
    async fn request_procurement(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        plan_item_id: String,
        organizer_bin: String,
        subject_type: String,
        name_ru: String,
        amount: String,
    ) -> Result<CommandOutcome> {
        let id = plan_item(&plan_item_id)?;
        let command = PlanItemCommand::RequestProcurement {
            plan_item_id: id.clone(),
            organizer_bin: bin(&organizer_bin)?,
            subject_type: portal::<SubjectType>("subjectType", &subject_type)?,
            name_ru,
            amount: money(&amount)?,
        };
        plan(ctx, command_id, &id, command).await
    }

    /// «Вернуть заказчику» with a reason.
    async fn return_to_customer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        plan_item_id: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let id = plan_item(&plan_item_id)?;
        plan(
            ctx,
            command_id,
            &id,
            PlanItemCommand::ReturnToCustomer { reason },
        )
        .await
    }
}

#[derive(Default)]
pub struct CertificateMutation;

#[Object]
impl CertificateMutation {
    /// Registers (or replaces) the Ed25519 signing key of the user `iin` (the user, or an
    /// administrator of the organisation): 32 bytes as 64 hex digits.
    async fn register_signing_key(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        public_key_hex: String,
    ) -> Result<CommandOutcome> {
        let owner = self::iin(&iin)?;
        let command = CertificateCommand::Register {
            iin: owner,
            public_key_hex,
        };
        certificate(ctx, command_id, owner, command).await
    }

    async fn revoke_signing_key(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let owner = self::iin(&iin)?;
        certificate(
            ctx,
            command_id,
            owner,
            CertificateCommand::Revoke { reason },
        )
        .await
    }
}

async fn certificate(
    ctx: &Context<'_>,
    command_id: Uuid,
    owner: Iin,
    command: CertificateCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<Certificate>(&owner.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}

async fn plan(
    ctx: &Context<'_>,
    command_id: Uuid,
    id: &PlanItemId,
    command: PlanItemCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .plan_item(id, &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
