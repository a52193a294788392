//! A customer's plan item (пункт плана) and its request to the organizer to procure it: its own
//! stream `plan_item-<id>`, so that "a plan item is in at most one active announcement" holds by
//! optimistic concurrency on this stream alone (docs/decisions/0201-lot-pool-reservation.md).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::{Context, Role};
use crate::announcement::deadline::end_of_working_days;
use crate::announcement::header::{Method, ProcurementType, SubjectType};
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::money::Money;
use crate::status::PlanItemStatus;

/// After a failed OK, «Из одного источника по несостоявшимся закупкам» waits this long
/// (L3179–3199).
const SINGLE_SOURCE_BAN_WORKING_DAYS: u32 = 5;

/// The portal's plan item id; stream ids are `plan_item-<id>`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct PlanItemId(pub String);

impl PlanItemId {
    /// Letters, digits, `_` and `-`, at most 64: safe inside a stream id.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let valid = !raw.is_empty()
            && raw.len() <= 64
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if valid {
            Ok(PlanItemId(raw.to_owned()))
        } else {
            Err(refusal::invalid_plan_item_id())
        }
    }

    pub fn stream_id(&self) -> String {
        format!("plan_item-{}", self.0)
    }
}

impl std::fmt::Display for PlanItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a reservation ends without an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseReason {
    /// «Удалить отмеченные лоты» on a draft.
    RemovedFromDraft,
    DraftDeleted,
    /// Cancellation by a grounding act: the lot goes back to the pool (L596, L3339).
    LotCancelled,
    /// «Отказ от закупки» by the customer (L1928–1940).
    CustomerRefused,
    /// The engine reserved but could not append to the announcement: compensation.
    AppendFailed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanItemCommand {
    /// The customer asks its organizer to procure the item («Заявка заказчика», L5–49).
    RequestProcurement {
        plan_item_id: PlanItemId,
        organizer_bin: Bin,
        subject_type: SubjectType,
        name_ru: String,
        amount: Money,
    },
    /// «Вернуть заказчику» with a reason (L39–47).
    ReturnToCustomer {
        reason: String,
    },
    Reserve {
        announcement_id: Uuid,
        lot_number: String,
        method: Method,
        procurement_type: ProcurementType,
        /// The lot's customer and amount, as the announcement's lot states them: they must be
        /// the request's (docs/decisions/0634).
        customer_bin: Bin,
        amount: Money,
    },
    Release {
        announcement_id: Uuid,
        reason: ReleaseReason,
    },
    /// The index-2 copy takes over the lots of the original (L1746–1760).
    Transfer {
        from_announcement_id: Uuid,
        to_announcement_id: Uuid,
    },
    MarkProcurementHeld {
        announcement_id: Uuid,
    },
    MarkProcurementFailed {
        announcement_id: Uuid,
        /// The suppliers the failed procurement rejected under article 6 on this lot.
        article6_rejected_bins: Vec<Bin>,
    },
    /// A single source holding the item may invite `supplier_bin` only if the procurement that
    /// failed did not reject that supplier under article 6 (spec 000-C §2.4 rule 4, L6972–6982;
    /// docs/decisions/0726). A check: it records nothing.
    CheckInvitation {
        announcement_id: Uuid,
        supplier_bin: Bin,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemProcurementRequested {
    pub plan_item_id: PlanItemId,
    pub customer_bin: Bin,
    pub organizer_bin: Bin,
    pub subject_type: SubjectType,
    pub name_ru: String,
    pub amount: Money,
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemReturnedToCustomer {
    pub reason: String,
    pub returned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemReserved {
    pub announcement_id: Uuid,
    pub lot_number: String,
    pub method: Method,
    pub reserved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemReleased {
    pub announcement_id: Uuid,
    pub reason: ReleaseReason,
    pub released_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemTransferred {
    pub from_announcement_id: Uuid,
    pub to_announcement_id: Uuid,
    pub transferred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemProcurementHeld {
    pub announcement_id: Uuid,
    pub held_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemProcurementFailed {
    pub announcement_id: Uuid,
    pub method: Method,
    pub failed_at: DateTime<Utc>,
    /// «Из одного источника по несостоявшимся закупкам» is forbidden for 5 working days
    /// after a failed OK (L3179–3199).
    pub single_source_allowed_from: DateTime<Utc>,
    /// The suppliers it rejected under article 6 on this lot, whom no single source of the item
    /// invites (L6972–6982). Absent in events written before it was recorded: none known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article6_rejected_bins: Vec<Bin>,
}

/// The outcome a results revision published for the item's lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisedOutcome {
    ProcurementHeld,
    ProcurementFailed,
}

/// A results revision («Пересмотр итогов», spec 000-D §4.1, L10494–10510) published an outcome
/// other than the one the item shows for the same announcement: held → failed (the item goes
/// back to the pool) or failed → held (the announcement holds it again, a contract follows).
/// Docs/decisions/0603.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItemOutcomeRevised {
    pub announcement_id: Uuid,
    pub lot_number: String,
    pub method: Method,
    pub outcome: RevisedOutcome,
    pub revised_at: DateTime<Utc>,
    /// For a revised failure: «Из одного источника по несостоявшимся закупкам» waits 5 working
    /// days from the revision, as from a failure (L3179–3199).
    pub single_source_allowed_from: Option<DateTime<Utc>>,
}

event_set! {
    pub enum PlanItemEvent {
        ProcurementRequested(PlanItemProcurementRequested) = 1,
        ReturnedToCustomer(PlanItemReturnedToCustomer) = 1,
        Reserved(PlanItemReserved) = 1,
        Released(PlanItemReleased) = 1,
        Transferred(PlanItemTransferred) = 1,
        ProcurementHeld(PlanItemProcurementHeld) = 1,
        ProcurementFailed(PlanItemProcurementFailed) = 1,
        OutcomeRevised(PlanItemOutcomeRevised) = 1,
    }
}

/// Whose failed lots a repeat procurement of `method` takes: an auction's, an auction's
/// (spec 000-B §4.1.9, L5842–5848); any other method's, an open tender's (L3633–3635).
fn repeats_failures_of(method: Method) -> Method {
    match method {
        Method::Auction => Method::Auction,
        _ => Method::OpenTender,
    }
}

/// The announcement that currently holds the plan item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub announcement_id: Uuid,
    pub lot_number: String,
    pub method: Method,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanItem {
    pub request: Option<PlanItemProcurementRequested>,
    /// Set while an announcement holds the item, and after it was held (the contract follows).
    pub holder: Option<Holder>,
    pub status: Option<PlanItemStatus>,
    pub returned: Option<PlanItemReturnedToCustomer>,
    pub last_failure: Option<PlanItemProcurementFailed>,
    /// The announcements whose procurement of the item failed, as they held it: a results
    /// revision of one of them may find it held after all (docs/decisions/0603).
    pub failures: BTreeMap<Uuid, Holder>,
}

impl PlanItem {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a PlanItemEvent>) -> Self {
        let mut item = PlanItem::default();
        events.into_iter().for_each(|e| item.apply(e));
        item
    }

    /// Held by an announcement that is still running or produced a contract.
    pub fn is_reserved(&self) -> bool {
        self.holder.is_some()
    }

    pub fn decide(
        &self,
        command: PlanItemCommand,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        // The customer's request and the organizer's return are the users' own actions, blocked
        // by an unread notice to their organisation (L11082–11088). The other commands are steps
        // of the lot pool for an announcement command the announcement already allowed: refusing
        // one would leave that process half done (docs/decisions/0201).
        if matches!(
            command,
            PlanItemCommand::RequestProcurement { .. } | PlanItemCommand::ReturnToCustomer { .. }
        ) {
            ctx.require_portal_unblocked(None)?;
        }
        match command {
            PlanItemCommand::RequestProcurement {
                plan_item_id,
                organizer_bin,
                subject_type,
                name_ru,
                amount,
            } => self.request_procurement(
                PlanItemProcurementRequested {
                    plan_item_id,
                    customer_bin: ctx.actor.org,
                    organizer_bin,
                    subject_type,
                    name_ru,
                    amount,
                    requested_at: ctx.now,
                },
                ctx,
            ),
            command => self.decide_requested(command, ctx),
        }
    }

    /// «Заявка заказчика»: the customer's, once unless the item was returned (L5–49).
    fn request_procurement(
        &self,
        requested: PlanItemProcurementRequested,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        if !ctx.actor.has_role(Role::Customer) {
            return Err(refusal::forbidden_role());
        }
        crate::kernel::text::name("name_ru", &requested.name_ru)?;
        // The amount allotted to the purchase (выделенная сумма): a purchase of nothing is no
        // request; `Money` already refuses negatives, and -0.00 is zero (docs/decisions/0633).
        if requested.amount.is_zero() {
            return Err(DomainError::new(
                "amount_not_positive",
                "Сумма должна быть больше нуля",
                "the amount must be greater than zero",
            ));
        }
        // An id, once requested, is its customer's: another customer's request after a return
        // would take the item's history over (docs/decisions/0634).
        if self
            .request
            .as_ref()
            .is_some_and(|r| r.customer_bin != requested.customer_bin)
        {
            return Err(DomainError::new(
                "foreign_plan_item",
                "Пункт плана принадлежит другому заказчику",
                "the plan item belongs to another customer",
            ));
        }
        if self.request.is_some() && self.returned.is_none() {
            return Err(refusal::plan_item_already_requested());
        }
        if self.holder.is_some() {
            return Err(refusal::plan_item_reserved());
        }
        Ok(vec![PlanItemEvent::ProcurementRequested(requested)])
    }

    /// The commands on a requested item: the organizer's return and reservation here, the lot
    /// pool's later steps in [`PlanItem::decide_pool_step`].
    fn decide_requested(
        &self,
        command: PlanItemCommand,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        let now = ctx.now;
        let Some(request) = &self.request else {
            return Err(refusal::plan_item_not_requested());
        };
        match command {
            PlanItemCommand::RequestProcurement { .. } => unreachable!("decide handles it"),
            PlanItemCommand::ReturnToCustomer { reason } => {
                require_organizer(ctx, request)?;
                if self.returned.is_some() {
                    return Err(refusal::plan_item_not_requested());
                }
                if self.holder.is_some() {
                    return Err(refusal::plan_item_reserved());
                }
                crate::kernel::text::text("reason", &reason)?;
                Ok(vec![PlanItemEvent::ReturnedToCustomer(
                    PlanItemReturnedToCustomer {
                        reason,
                        returned_at: now,
                    },
                )])
            }
            PlanItemCommand::Reserve {
                announcement_id,
                lot_number,
                method,
                procurement_type,
                customer_bin,
                amount,
            } => {
                require_organizer(ctx, request)?;
                if self.returned.is_some() {
                    return Err(refusal::plan_item_not_requested());
                }
                // The lot is the plan item: one customer's, for the sum it allotted (a 1.00 ₸
                // request is no 999 999 999.00 ₸ lot, and no customer's id stands for another's).
                if customer_bin != request.customer_bin || amount != request.amount {
                    return Err(DomainError::new(
                        "lot_does_not_match_request",
                        "Заказчик и сумма лота должны совпадать с заявкой заказчика",
                        "the lot's customer and amount must be those of the customer's request",
                    ));
                }
                match &self.holder {
                    // A retried reservation by the same announcement changes nothing.
                    Some(h) if h.announcement_id == announcement_id && self.status.is_none() => {
                        return Ok(vec![]);
                    }
                    Some(_) if self.status == Some(PlanItemStatus::ProcurementHeld) => {
                        return Err(refusal::plan_item_already_procured());
                    }
                    Some(_) => return Err(refusal::plan_item_reserved()),
                    None => {}
                }
                // A repeat procurement lists only lots its method's failures left: a repeat
                // OK those of failed open tenders (L3633–3635), a repeat auction those of
                // failed auctions (L5842–5848).
                if procurement_type == ProcurementType::Repeat
                    && self.last_failure.as_ref().map(|f| f.method)
                        != Some(repeats_failures_of(method))
                {
                    return Err(refusal::plan_item_not_failed());
                }
                if method == Method::SingleSource {
                    self.require_single_source_allowed(now)?;
                }
                Ok(vec![PlanItemEvent::Reserved(PlanItemReserved {
                    announcement_id,
                    lot_number,
                    method,
                    reserved_at: now,
                })])
            }
            command => self.decide_pool_step(command, ctx),
        }
    }

    /// The lot pool's steps after the reservation: release, transfer to the index-2 copy and the
    /// procurement's outcome. Each is idempotent: the engine may retry it (docs/decisions/0503).
    fn decide_pool_step(
        &self,
        command: PlanItemCommand,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        let now = ctx.now;
        match command {
            PlanItemCommand::Release {
                announcement_id,
                reason,
            } => match &self.holder {
                Some(h) if h.announcement_id == announcement_id => {
                    Ok(vec![PlanItemEvent::Released(PlanItemReleased {
                        announcement_id,
                        reason,
                        released_at: now,
                    })])
                }
                // Another procurement took the lot after it failed here: cancel that one first
                // (L496–512, L3239–3255).
                Some(_) => Err(refusal::plan_item_in_other_procurement()),
                // Already back in the pool (released earlier or failed): nothing to do.
                None => Ok(vec![]),
            },
            PlanItemCommand::Transfer {
                from_announcement_id,
                to_announcement_id,
            } => match &self.holder {
                Some(h) if h.announcement_id == to_announcement_id => Ok(vec![]),
                Some(h) if h.announcement_id == from_announcement_id && self.status.is_none() => {
                    Ok(vec![PlanItemEvent::Transferred(PlanItemTransferred {
                        from_announcement_id,
                        to_announcement_id,
                        transferred_at: now,
                    })])
                }
                _ => Err(refusal::plan_item_not_held_by(from_announcement_id)),
            },
            PlanItemCommand::MarkProcurementHeld { announcement_id } => {
                self.mark_held(announcement_id, ctx)
            }
            PlanItemCommand::MarkProcurementFailed {
                announcement_id,
                article6_rejected_bins,
            } => self.mark_failed(announcement_id, article6_rejected_bins, ctx),
            PlanItemCommand::CheckInvitation {
                announcement_id,
                supplier_bin,
            } => {
                self.require_active_holder(announcement_id)?;
                let rejected = self
                    .last_failure
                    .as_ref()
                    .is_some_and(|f| f.article6_rejected_bins.contains(&supplier_bin));
                if rejected {
                    return Err(refusal::supplier_rejected_under_article6());
                }
                Ok(Vec::new())
            }
            PlanItemCommand::RequestProcurement { .. }
            | PlanItemCommand::ReturnToCustomer { .. }
            | PlanItemCommand::Reserve { .. } => unreachable!("decide_requested handles it"),
        }
    }

    /// The announcement's lot is held: first, again (a retried follow-up changes nothing), or
    /// by a results revision of a procurement that had failed (docs/decisions/0603).
    fn mark_held(
        &self,
        announcement_id: Uuid,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        if self.held_by(announcement_id) {
            return Ok(Vec::new());
        }
        if let Some(failed) = self.failures.get(&announcement_id) {
            // The revision takes the item back from the pool, unless another procurement took it
            // meanwhile: that one must let it go first (L496–512, L3239–3255).
            if self.holder.is_some() {
                return Err(refusal::plan_item_in_other_procurement());
            }
            return Ok(vec![PlanItemEvent::OutcomeRevised(
                PlanItemOutcomeRevised {
                    announcement_id,
                    lot_number: failed.lot_number.clone(),
                    method: failed.method,
                    outcome: RevisedOutcome::ProcurementHeld,
                    revised_at: ctx.now,
                    single_source_allowed_from: None,
                },
            )]);
        }
        self.require_active_holder(announcement_id)?;
        Ok(vec![PlanItemEvent::ProcurementHeld(
            PlanItemProcurementHeld {
                announcement_id,
                held_at: ctx.now,
            },
        )])
    }

    /// The announcement's lot failed: first, again (nothing changes, even if another procurement
    /// took the item since), or by a results revision of a held procurement (docs/decisions/0603).
    fn mark_failed(
        &self,
        announcement_id: Uuid,
        article6_rejected_bins: Vec<Bin>,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        let now = ctx.now;
        let holds = self
            .holder
            .as_ref()
            .is_some_and(|h| h.announcement_id == announcement_id);
        if !holds && self.failures.contains_key(&announcement_id) {
            return Ok(Vec::new());
        }
        let single_source_allowed_from =
            end_of_working_days(ctx, now, SINGLE_SOURCE_BAN_WORKING_DAYS)?;
        if let Some(holder) = self
            .holder
            .as_ref()
            .filter(|_| self.held_by(announcement_id))
        {
            return Ok(vec![PlanItemEvent::OutcomeRevised(
                PlanItemOutcomeRevised {
                    announcement_id,
                    lot_number: holder.lot_number.clone(),
                    method: holder.method,
                    outcome: RevisedOutcome::ProcurementFailed,
                    revised_at: now,
                    single_source_allowed_from: Some(single_source_allowed_from),
                },
            )]);
        }
        let holder = self.require_active_holder(announcement_id)?;
        Ok(vec![PlanItemEvent::ProcurementFailed(
            PlanItemProcurementFailed {
                announcement_id,
                method: holder.method,
                failed_at: now,
                single_source_allowed_from,
                article6_rejected_bins,
            },
        )])
    }

    /// A single source takes an item in «Закупка не состоялась» (spec 000-C L6960–6964), and
    /// after a failed open tender not before the ban of [`SINGLE_SOURCE_BAN_WORKING_DAYS`] ends
    /// (L3179–3199; docs/decisions/0722). An item «На обжаловании» is not failed.
    fn require_single_source_allowed(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        let failure = self
            .last_failure
            .as_ref()
            .filter(|_| self.status == Some(PlanItemStatus::ProcurementFailed))
            .ok_or_else(refusal::plan_item_not_failed_for_single_source)?;
        if failure.method == Method::OpenTender && now < failure.single_source_allowed_from {
            return Err(refusal::single_source_banned());
        }
        Ok(())
    }

    /// Whether the announcement's procurement of the item was held.
    fn held_by(&self, announcement_id: Uuid) -> bool {
        self.holder
            .as_ref()
            .is_some_and(|h| h.announcement_id == announcement_id)
            && self.status == Some(PlanItemStatus::ProcurementHeld)
    }

    fn require_active_holder(&self, announcement_id: Uuid) -> Result<&Holder, DomainError> {
        match &self.holder {
            Some(h) if h.announcement_id == announcement_id && self.status.is_none() => Ok(h),
            _ => Err(refusal::plan_item_not_held_by(announcement_id)),
        }
    }

    pub fn apply(&mut self, event: &PlanItemEvent) {
        match event {
            PlanItemEvent::ProcurementRequested(e) => {
                self.request = Some(e.clone());
                self.returned = None;
            }
            PlanItemEvent::ReturnedToCustomer(e) => self.returned = Some(e.clone()),
            PlanItemEvent::Reserved(e) => {
                self.holder = Some(Holder {
                    announcement_id: e.announcement_id,
                    lot_number: e.lot_number.clone(),
                    method: e.method,
                });
                self.status = None;
            }
            // A cancelled lot's plan item shows «Отменено» and is back in the pool all the same
            // (L12131–12135, L12151–12153; docs/decisions/0608): the next reservation clears it.
            PlanItemEvent::Released(e) => {
                self.holder = None;
                self.status =
                    (e.reason == ReleaseReason::LotCancelled).then_some(PlanItemStatus::Cancelled);
            }
            PlanItemEvent::Transferred(e) => {
                if let Some(h) = &mut self.holder {
                    h.announcement_id = e.to_announcement_id;
                }
            }
            PlanItemEvent::ProcurementHeld(_) => {
                self.status = Some(PlanItemStatus::ProcurementHeld)
            }
            PlanItemEvent::ProcurementFailed(e) => {
                if let Some(holder) = self.holder.take() {
                    self.failures.insert(e.announcement_id, holder);
                }
                self.status = Some(PlanItemStatus::ProcurementFailed);
                self.last_failure = Some(e.clone());
            }
            PlanItemEvent::OutcomeRevised(e) => self.outcome_revised(e),
        }
    }
}

impl PlanItem {
    fn outcome_revised(&mut self, e: &PlanItemOutcomeRevised) {
        let holder = Holder {
            announcement_id: e.announcement_id,
            lot_number: e.lot_number.clone(),
            method: e.method,
        };
        match e.outcome {
            RevisedOutcome::ProcurementHeld => {
                self.failures.remove(&e.announcement_id);
                if self
                    .last_failure
                    .as_ref()
                    .is_some_and(|f| f.announcement_id == e.announcement_id)
                {
                    self.last_failure = None;
                }
                self.holder = Some(holder);
                self.status = Some(PlanItemStatus::ProcurementHeld);
            }
            RevisedOutcome::ProcurementFailed => {
                self.holder = None;
                self.failures.insert(e.announcement_id, holder);
                self.status = Some(PlanItemStatus::ProcurementFailed);
                self.last_failure = Some(PlanItemProcurementFailed {
                    announcement_id: e.announcement_id,
                    method: e.method,
                    failed_at: e.revised_at,
                    single_source_allowed_from: e
                        .single_source_allowed_from
                        .unwrap_or(e.revised_at),
                    // A revision's outcome names no rejection (docs/decisions/0726).
                    article6_rejected_bins: Vec::new(),
                });
            }
        }
    }
}

impl Decider for PlanItem {
    const CATEGORY: &'static str = "plan_item";
    type Command = PlanItemCommand;
    type Event = PlanItemEvent;

    fn initial() -> Self {
        PlanItem::default()
    }

    fn decide(
        &self,
        command: PlanItemCommand,
        ctx: &Context,
    ) -> Result<Vec<PlanItemEvent>, DomainError> {
        PlanItem::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &PlanItemEvent) {
        self.apply(event);
    }
}

fn require_organizer(
    ctx: &Context,
    request: &PlanItemProcurementRequested,
) -> Result<(), DomainError> {
    if !ctx.actor.has_role(Role::Organizer) {
        return Err(refusal::forbidden_role());
    }
    if ctx.actor.org != request.organizer_bin {
        return Err(refusal::foreign_organization());
    }
    Ok(())
}
