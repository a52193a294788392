//! «Из одного источника по несостоявшимся закупкам» (spec 000-C §1.7): the draft's failed
//! procurement and invited supplier, the creator's manual opening and the invited supplier's
//! refusal. The review, protocols, acts and changes are the shared mutations.

use async_graphql::{Context, Enum, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::method::single_source::{SingleSourceTerms, SourceFailure};

use super::drafting::Method;
use super::{CommandOutcome, announce, bin};

/// Why the failed procurement did not take place (spec 000-C §3.6).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::lot::FailureReason",
    rename_items = "snake_case"
)]
pub enum FailureReason {
    NoApplications,
    OneApplication,
    NoAdmitted,
    FewerThanTwoAdmitted,
}

#[derive(Default)]
pub struct SingleSourceMutation;

#[Object]
impl SingleSourceMutation {
    /// «Способ несостоявшейся закупки», its failure reason and the invited supplier of a single
    /// source's draft (organizer).
    async fn set_single_source_terms(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        failed_method: Method,
        failure_reason: FailureReason,
        invited_supplier_bin: String,
    ) -> Result<CommandOutcome> {
        let terms = SingleSourceTerms {
            source: SourceFailure {
                failed_method: failed_method.into(),
                failure_reason: failure_reason.into(),
            },
            invited_supplier_bin: bin(&invited_supplier_bin)?,
        };
        announce(
            ctx,
            command_id,
            announcement_id,
            C::SetSingleSourceTerms { terms },
        )
        .await
    }

    /// «Вскрыть закупку» before the end of acceptance (the creator).
    async fn open_applications(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::OpenApplications).await
    }

    /// «Отказ от участия» of the invited supplier.
    async fn refuse_participation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::RefuseParticipation).await
    }
}
