//! Electronic bank guarantees on the read side (spec 000-D §4.2): the search «Электронные
//! банковские гарантии» with its filters (L10536–10576) and result columns (L10620–10646), a
//! guarantee as of any instant and its history (every step, with the statuses after it), and the
//! bank's queue of requests waiting for it.
//!
//! Who sees a guarantee is the search's role links (L10586–10618): the bank's employees those of
//! their bank, the customer, the organizer and the supplier those issued in their favour or for
//! them. A guarantee the caller may not see answers as absent.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::guarantee::{
    Guarantee, GuaranteeEvent, GuaranteeIssued, GuaranteeKind, GuaranteeLotStatus, GuaranteeStatus,
    RequestCause, RequestKind,
};
use zakup_engine::Engine;
use zakup_store::StreamRange;

use crate::page::{actor, app, connection, reach};
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone)]
pub struct GuaranteeLot {
    pub plan_item_id: String,
    /// «Лот».
    pub lot_number: String,
    pub status: Term,
}

/// A request signed and waiting for the bank.
#[derive(SimpleObject, Debug, Clone)]
pub struct PendingRequest {
    /// `hold` | `return`.
    pub request: Term,
    /// `manual`, or the procurement's outcome that started it (decision 0853).
    pub cause: Term,
    pub grounds: String,
    pub plan_item_ids: Vec<String>,
    pub since: Option<DateTime<Utc>>,
}

/// One guarantee, with the search's columns.
#[derive(SimpleObject, Debug, Clone)]
pub struct BankGuarantee {
    pub id: Uuid,
    /// «Номер ЭБГ».
    pub number: String,
    /// «Тип БГ».
    pub kind: Term,
    /// «Статус БГ».
    pub status: Term,
    pub bank_bin: String,
    pub bank_name: String,
    pub supplier_bin: String,
    pub customer_bin: String,
    pub organizer_bin: String,
    /// «Организатор/Заказчик»: in whose favour it was issued (L10628–10632).
    pub beneficiary_bin: String,
    /// «Сумма», tenge, a decimal string.
    pub amount: String,
    pub issued_on: NaiveDate,
    /// «Срок действия».
    pub valid_until: NaiveDate,
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub contract_number: Option<String>,
    pub lots: Vec<GuaranteeLot>,
    pub pending: Option<PendingRequest>,
}

/// One step of a guarantee's history and where it left the guarantee.
#[derive(SimpleObject, Debug, Clone)]
pub struct GuaranteeStep {
    pub version: i64,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// The acting user's ИИН and role.
    pub actor_iin: String,
    pub actor_role: String,
    /// The grounds of a form, or the bank's reason for a refusal.
    pub text: Option<String>,
    pub guarantee: BankGuarantee,
}

/// The search's filters (L10536–10576): each an exact match; `issuedFrom`/`issuedTo` a period.
#[derive(InputObject, Debug, Default)]
pub struct GuaranteeFilter {
    pub number: Option<String>,
    pub bank_bin: Option<String>,
    pub supplier_bin: Option<String>,
    pub customer_bin: Option<String>,
    pub organizer_bin: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
    pub announcement_number: Option<String>,
    pub lot_number: Option<String>,
    pub contract_number: Option<String>,
}

/// A row of `rm.guarantees`, read whole as JSON.
#[derive(Deserialize)]
struct Row {
    guarantee_id: Uuid,
    number: String,
    kind: String,
    status: String,
    bank_bin: String,
    bank_name: String,
    supplier_bin: String,
    customer_bin: String,
    organizer_bin: String,
    amount: String,
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    announcement_id: Uuid,
    announcement_number: String,
    contract_number: Option<String>,
    lots: Vec<RowLot>,
    pending_request: Option<String>,
    pending_cause: Option<String>,
    pending_grounds: Option<String>,
    pending_lots: Option<Vec<String>>,
    pending_since: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct RowLot {
    plan_item_id: String,
    lot_number: String,
    status: String,
}

impl Row {
    fn into_view(self) -> BankGuarantee {
        let beneficiary_bin = match self.kind.as_str() {
            "contract_security" => self.customer_bin.clone(),
            _ => self.organizer_bin.clone(),
        };
        let pending = self.pending_request.map(|request| PendingRequest {
            request: Term::stored::<RequestKind>(&request),
            cause: Term::stored::<RequestCause>(self.pending_cause.as_deref().unwrap_or("")),
            grounds: self.pending_grounds.unwrap_or_default(),
            plan_item_ids: self.pending_lots.unwrap_or_default(),
            since: self.pending_since,
        });
        BankGuarantee {
            id: self.guarantee_id,
            number: self.number,
            kind: Term::stored::<GuaranteeKind>(&self.kind),
            status: Term::stored::<GuaranteeStatus>(&self.status),
            bank_bin: self.bank_bin,
            bank_name: self.bank_name,
            supplier_bin: self.supplier_bin,
            customer_bin: self.customer_bin,
            organizer_bin: self.organizer_bin,
            beneficiary_bin,
            amount: self.amount,
            issued_on: self.issued_on,
            valid_until: self.valid_until,
            announcement_id: self.announcement_id,
            announcement_number: self.announcement_number,
            contract_number: self.contract_number,
            lots: self
                .lots
                .into_iter()
                .map(|l| GuaranteeLot {
                    plan_item_id: l.plan_item_id,
                    lot_number: l.lot_number,
                    status: Term::stored::<GuaranteeLotStatus>(&l.status),
                })
                .collect(),
            pending,
        }
    }
}

/// The guarantee as the aggregate folds it (the as-of view and the history).
fn view(g: &Guarantee) -> Option<BankGuarantee> {
    let issued = g.issued.as_ref()?;
    let pending = g.request.as_ref().and_then(|r| {
        let signed = r.signed.as_ref()?;
        Some(PendingRequest {
            request: Term::of(r.form.request),
            cause: Term::of(r.form.cause),
            grounds: r.form.grounds.clone(),
            plan_item_ids: r.form.plan_item_ids.iter().map(|p| p.0.clone()).collect(),
            since: Some(signed.signed_at),
        })
    });
    Some(BankGuarantee {
        id: issued.guarantee_id,
        number: issued.number.clone(),
        kind: Term::of(issued.kind),
        status: Term::of(g.status()?),
        bank_bin: issued.bank_bin.to_string(),
        bank_name: issued.bank_name.clone(),
        supplier_bin: issued.supplier_bin.to_string(),
        customer_bin: issued.customer_bin.to_string(),
        organizer_bin: issued.organizer_bin.to_string(),
        beneficiary_bin: beneficiary(issued).to_string(),
        amount: issued.amount.amount().to_string(),
        issued_on: issued.issued_on,
        valid_until: issued.valid_until,
        announcement_id: issued.announcement_id,
        announcement_number: issued.announcement_number.clone(),
        contract_number: issued.contract_number.clone(),
        lots: issued
            .lots
            .iter()
            .map(|l| GuaranteeLot {
                plan_item_id: l.plan_item_id.0.clone(),
                lot_number: l.lot_number.clone(),
                status: Term::of(g.lots[&l.plan_item_id]),
            })
            .collect(),
        pending,
    })
}

fn beneficiary(issued: &GuaranteeIssued) -> zakup_domain::ident::Bin {
    match issued.kind {
        GuaranteeKind::ApplicationSecurity => issued.organizer_bin,
        GuaranteeKind::ContractSecurity => issued.customer_bin,
    }
}

/// The role links of the search (L10586–10618): whether `who` sees the guarantee.
fn visible(issued: &GuaranteeIssued, who: &Actor) -> bool {
    [
        (Role::Bank, issued.bank_bin),
        (Role::Customer, issued.customer_bin),
        (Role::Organizer, issued.organizer_bin),
        (Role::Supplier, issued.supplier_bin),
    ]
    .into_iter()
    .any(|(role, bin)| who.has_role(role) && who.org == bin)
}

/// A row whole as JSON, the amount as its decimal string (a JSON number would pass through a
/// float).
const ROW: &str = "to_jsonb(g) || jsonb_build_object('amount', g.amount::text)";

/// The same rule in SQL, on `rm.guarantees` (parameters $1 the БИН, $2–$5 the roles).
const VISIBLE: &str = "((bank_bin = $1 AND $2) OR (customer_bin = $1 AND $3)
        OR (organizer_bin = $1 AND $4) OR (supplier_bin = $1 AND $5))";

/// The guarantee's stream folded, up to `as_of` when given; none when the caller may not see it.
async fn folded(
    ctx: &Context<'_>,
    id: Uuid,
) -> Result<Option<(Vec<zakup_store::RecordedEvent>, Actor)>> {
    let who = actor(ctx)?;
    let stream = Engine::stream::<Guarantee>(&id.to_string())
        .map_err(|e| refusal::invalid_input("id", e))?;
    let events = app(ctx)
        .store
        .read_stream(&stream, StreamRange::all())
        .await
        .map_err(|e| refusal::engine(&e.into()))?;
    let first = events.first().map(decode).transpose()?;
    match first {
        Some(GuaranteeEvent::Issued(issued)) if visible(&issued, &who) => Ok(Some((events, who))),
        _ => Ok(None),
    }
}

fn decode(e: &zakup_store::RecordedEvent) -> Result<GuaranteeEvent> {
    zakup_engine::decode::<Guarantee>(e).map_err(|e| refusal::engine(&e))
}

#[derive(Default)]
pub struct GuaranteeQuery;

#[Object]
impl GuaranteeQuery {
    /// «Поиск ЭБГ»: the guarantees the caller's roles see, matching every filter given, newest
    /// issue first.
    async fn bank_guarantees(
        &self,
        ctx: &Context<'_>,
        filter: Option<GuaranteeFilter>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, BankGuarantee>> {
        let who = actor(ctx)?;
        reach(ctx, "guarantee", min_position).await?;
        let f = filter.unwrap_or_default();
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows: Vec<(serde_json::Value,)> = sqlx::query_as(&format!(
                "SELECT {ROW} FROM rm.guarantees g
                  WHERE {VISIBLE}
                    AND ($6::text IS NULL OR number = $6)
                    AND ($7::text IS NULL OR bank_bin = $7)
                    AND ($8::text IS NULL OR supplier_bin = $8)
                    AND ($9::text IS NULL OR customer_bin = $9)
                    AND ($10::text IS NULL OR organizer_bin = $10)
                    AND ($11::text IS NULL OR status = $11)
                    AND ($12::text IS NULL OR kind = $12)
                    AND ($13::date IS NULL OR issued_on = $13)
                    AND ($14::date IS NULL OR issued_on >= $14)
                    AND ($15::date IS NULL OR issued_on <= $15)
                    AND ($16::text IS NULL OR announcement_number = $16)
                    AND ($17::text IS NULL OR $17 = ANY(lot_numbers))
                    AND ($18::text IS NULL OR contract_number = $18)
                  ORDER BY issued_on DESC, number, guarantee_id
                  OFFSET $19 LIMIT $20"
            ))
            .bind(who.org.to_string())
            .bind(who.has_role(Role::Bank))
            .bind(who.has_role(Role::Customer))
            .bind(who.has_role(Role::Organizer))
            .bind(who.has_role(Role::Supplier))
            .bind(f.number)
            .bind(f.bank_bin)
            .bind(f.supplier_bin)
            .bind(f.customer_bin)
            .bind(f.organizer_bin)
            .bind(f.status)
            .bind(f.kind)
            .bind(f.issued_on)
            .bind(f.issued_from)
            .bind(f.issued_to)
            .bind(f.announcement_number)
            .bind(f.lot_number)
            .bind(f.contract_number)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            rows.into_iter().map(|(json,)| row(json)).collect()
        })
        .await
    }

    /// The bank's queue: the requests signed and waiting for the caller's bank (role `bank`),
    /// oldest first.
    async fn bank_guarantee_queue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, BankGuarantee>> {
        let who = actor(ctx)?;
        who.require_role(Role::Bank)
            .map_err(|e| refusal::domain(&e))?;
        reach(ctx, "guarantee", min_position).await?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows: Vec<(serde_json::Value,)> = sqlx::query_as(&format!(
                "SELECT {ROW} FROM rm.guarantees g
                  WHERE bank_bin = $1 AND pending_request IS NOT NULL
                  ORDER BY pending_since, guarantee_id
                  OFFSET $2 LIMIT $3"
            ))
            .bind(who.org.to_string())
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            rows.into_iter().map(|(json,)| row(json)).collect()
        })
        .await
    }

    /// A guarantee as its stream says now, or as of `asOf` (the events that occurred by then):
    /// the auditors' replay. Null when absent or not the caller's to see.
    async fn bank_guarantee(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<BankGuarantee>> {
        let Some((events, _)) = folded(ctx, id).await? else {
            return Ok(None);
        };
        let mut g = Guarantee::default();
        for e in events
            .iter()
            .filter(|e| as_of.is_none_or(|at| e.metadata.occurred_at <= at))
        {
            g.apply(&decode(e)?);
        }
        Ok(view(&g))
    }

    /// Every step of the guarantee, oldest first, with the guarantee as it left it.
    async fn bank_guarantee_history(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<Vec<GuaranteeStep>> {
        let Some((events, _)) = folded(ctx, id).await? else {
            return Ok(Vec::new());
        };
        let mut g = Guarantee::default();
        let mut steps = Vec::with_capacity(events.len());
        for e in &events {
            let event = decode(e)?;
            let text = match &event {
                GuaranteeEvent::FormGenerated(f) => Some(f.grounds.clone()),
                GuaranteeEvent::Refused(r) => Some(r.reason.clone()),
                _ => None,
            };
            g.apply(&event);
            let Some(guarantee) = view(&g) else {
                continue;
            };
            steps.push(GuaranteeStep {
                version: e.version as i64,
                event_type: e.event_type.clone(),
                occurred_at: e.metadata.occurred_at,
                actor_iin: e.metadata.actor.iin.clone(),
                actor_role: e.metadata.actor.role.clone(),
                text,
                guarantee,
            });
        }
        Ok(steps)
    }
}

fn row(json: serde_json::Value) -> Result<BankGuarantee> {
    serde_json::from_value::<Row>(json)
        .map(Row::into_view)
        .map_err(|e| refusal::invalid_input("guarantees", e))
}
