//! The portal messages read model (spec 000-D §9.1, 000-A §9.3): one row per (message,
//! recipient), written when an announcement event is one of the catalog's triggers.
//!
//! Each batch folds every announcement it touches with the domain's own `apply` (see
//! [`history`](crate::history)), then replays the batch's events from the fold before it to find
//! the messages each event triggers, with the recipients named by the announcement's state at
//! that event (commission, representatives, suppliers who applied or took part in the
//! discussion, the inspectors). A message's id is
//! `UUIDv5(event_id, kind)` and rows are inserted `ON CONFLICT DO NOTHING`, so an event replayed
//! never writes a message twice. The catalog and what it leaves out: docs/decisions/0350.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::announcement::header::Method;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::camera_control::CameraControlEvent;
use zakup_domain::commission::Person;
use zakup_domain::guarantee::{Guarantee, GuaranteeEvent};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::method::Reviewer;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::AdmissionDecision;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{AnnouncementFold, AnnouncementFolds, Folds, announcement_folds};
use crate::projection::{Projection, ProjectionError};

pub struct Messages {
    folds: AnnouncementFolds,
    /// The guarantees, whose requests and the bank's answers are messages too (spec §9.1).
    guarantees: Folds<Guarantee>,
}

impl Messages {
    /// With a cache of its own.
    pub fn new() -> Self {
        Self::sharing(announcement_folds())
    }

    /// With the cache the other announcement projectors use.
    pub fn sharing(folds: AnnouncementFolds) -> Self {
        Messages {
            folds,
            guarantees: Folds::new(crate::guarantees::step),
        }
    }
}

impl Default for Messages {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[
    include_str!("../../../projections/messages/0001_messages.sql"),
    include_str!("../../../projections/messages/0002_read.sql"),
    include_str!("../../../projections/messages/0003_no_history.sql"),
];

/// Who receives a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recipient {
    /// A natural person, by ИИН.
    Person(Iin),
    /// Every employee of an organisation, by БИН.
    Organisation(Bin),
}

impl Recipient {
    pub fn kind(&self) -> &'static str {
        match self {
            Recipient::Person(_) => "person",
            Recipient::Organisation(_) => "organisation",
        }
    }

    pub fn id(&self) -> String {
        match self {
            Recipient::Person(iin) => iin.to_string(),
            Recipient::Organisation(bin) => bin.to_string(),
        }
    }
}

/// One message of the catalog, as triggered by one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub text: String,
    pub source: &'static str,
    pub occurred_at: DateTime<Utc>,
    /// The notice a `notice_delivered` message carries: its «Ознакомлен» reads the message.
    pub notice_id: Option<Uuid>,
    /// Each recipient once, with the first reason found (a member who is also a representative
    /// gets one message).
    pub recipients: Vec<(Recipient, &'static str)>,
}

impl Projection for Messages {
    fn name(&self) -> &'static str {
        "messages"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["announcement", "guarantee"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["messages"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let (guarantees, events): (Vec<&RecordedEvent>, Vec<&RecordedEvent>) = events
                .iter()
                .partition(|e| e.stream_id.as_str().starts_with("guarantee-"));
            let folds = self.folds.fold(store, &events).await?;
            let mut rows = Rows::default();
            for change in self.guarantees.fold(store, &guarantees).await?.values() {
                let mut fold = Guarantee::clone(&change.before);
                let stream = change.last.stream_id.as_str();
                for e in guarantees.iter().filter(|e| e.stream_id.as_str() == stream) {
                    let event =
                        GuaranteeEvent::from_stored(&e.event_type, e.schema_version, &e.payload)
                            .map_err(|why| ProjectionError::Event {
                                event_type: e.event_type.clone(),
                                why: why.to_string(),
                            })?;
                    if let (Some(m), Some(issued)) = (
                        crate::guarantee_messages::triggered(&fold, &event),
                        &fold.issued,
                    ) {
                        rows.push(e, issued.announcement_id, &issued.announcement_number, &m);
                    }
                    fold.apply(&event);
                }
            }
            let mut reads = Vec::new();
            for (stream, change) in &folds {
                let Some(id) = change.after.state.id else {
                    continue;
                };
                // The batch's events again, one at a time: a message names the recipients of
                // the state at its event.
                let mut fold = AnnouncementFold::clone(&change.before);
                for e in events.iter().filter(|e| e.stream_id.as_str() == stream) {
                    let event =
                        AnnouncementFold::decode(&e.event_type, e.schema_version, &e.payload)?;
                    let publishing_without_execution = fold.publishing_without_execution;
                    fold.apply(&event);
                    if let Some(m) = triggered(&fold.state, publishing_without_execution, &event) {
                        rows.push(e, id, &fold.state.number, &m);
                    }
                    // «Ознакомлен» pressed on a notice reads its message (docs/decisions/0351).
                    if let AnnouncementEvent::CameraControl(
                        CameraControlEvent::NoticeAcknowledged(a),
                    ) = &event
                    {
                        reads.push((a.notice_id.0, a.acknowledged_at));
                    }
                }
            }
            rows.insert(tx).await?;
            // After the inserts: a notice delivered and acknowledged in one batch is read too.
            read(tx, reads).await
        })
    }
}

/// Collects recipients, each once.
#[derive(Default)]
struct To(Vec<(Recipient, &'static str)>, BTreeSet<Recipient>);

impl To {
    fn person(mut self, iin: Iin, role: &'static str) -> Self {
        if self.1.insert(Recipient::Person(iin)) {
            self.0.push((Recipient::Person(iin), role));
        }
        self
    }

    fn people<'p>(self, people: impl IntoIterator<Item = &'p Person>, role: &'static str) -> Self {
        people
            .into_iter()
            .fold(self, |to, p| to.person(p.iin, role))
    }

    fn organisation(mut self, bin: Bin, role: &'static str) -> Self {
        if self.1.insert(Recipient::Organisation(bin)) {
            self.0.push((Recipient::Organisation(bin), role));
        }
        self
    }

    fn organisations(self, bins: impl IntoIterator<Item = Bin>, role: &'static str) -> Self {
        bins.into_iter()
            .fold(self, |to, b| to.organisation(b, role))
    }

    /// The organizer's and the customer's representatives.
    fn representatives(self, a: &Announcement) -> Self {
        match a.representative_persons() {
            Some((organizer, customer)) => self
                .person(organizer.iin, "organizer_representative")
                .person(customer.iin, "customer_representative"),
            None => self,
        }
    }

    /// «Члены комиссии»: the chairman and the members (who vote and sign).
    fn commission_members(self, a: &Announcement) -> Self {
        match a.commission() {
            Some(c) => self.people(c.voters(), "commission_member"),
            None => self,
        }
    }

    fn secretary(self, a: &Announcement) -> Self {
        match secretary(a) {
            Some(iin) => self.person(iin, "secretary"),
            None => self,
        }
    }
}

/// The Secretary: the commission's, or the creator of a request for price quotations (which has
/// no commission), as the domain's `is_secretary` reads it.
fn secretary(a: &Announcement) -> Option<Iin> {
    match a.commission() {
        Some(c) => Some(c.secretary.iin),
        None => a.creator_iin,
    }
}

/// The suppliers whose applications (price offers) are on the announcement, optionally only
/// those on one of `lots`.
fn applicants(a: &Announcement, lots: Option<&[PlanItemId]>) -> Vec<Bin> {
    a.applications()
        .values()
        .filter(|app| lots.is_none_or(|lots| lots.iter().any(|l| app.applies_to(l))))
        .map(|app| app.supplier_bin)
        .collect()
}

/// The suppliers the ППД rejected on a lot still in the procurement with the right to supplement
/// («Отклонен», not «без права переподачи»): those who may add documents (L5192–5196).
fn invited_to_supplement(a: &Announcement) -> Vec<Bin> {
    let decisions = &a.voting().decisions;
    a.applications()
        .values()
        .filter(|app| {
            a.active_lots().any(|lot| {
                decisions.get(&(app.id, lot.plan_item_id().clone()))
                    == Some(&AdmissionDecision::Rejected)
            })
        })
        .map(|app| app.supplier_bin)
        .collect()
}

fn message(
    kind: &'static str,
    text: String,
    source: &'static str,
    occurred_at: DateTime<Utc>,
    to: To,
) -> Option<Message> {
    (!to.0.is_empty()).then_some(Message {
        kind,
        text,
        source,
        occurred_at,
        notice_id: None,
        recipients: to.0,
    })
}

/// The catalog: the message `event` triggers, with its recipients as the announcement (already
/// folded with `event`) names them. `publishing_without_execution` is the fold's flag before
/// `event`.
fn triggered(
    a: &Announcement,
    publishing_without_execution: bool,
    event: &AnnouncementEvent,
) -> Option<Message> {
    use AnnouncementEvent as E;
    use CameraControlEvent as CC;
    let n = &a.number;
    match event {
        // 000-A L1594–1596: requests reach the Secretary and both representatives.
        E::DiscussionRequestSubmitted(e) => message(
            "discussion_request_received",
            format!(
                "По объявлению № {n} поступил запрос поставщика в рамках обсуждения положений \
                 документации. Для просмотра пройдите во вкладку «Обсуждение положений \
                 документации»."
            ),
            "L1594–1596",
            e.submitted_at,
            To::default().secretary(a).representatives(a),
        ),
        // L12017–12021, L12235–12239 (000-A L1716–1720): each added signer must sign.
        E::ProtocolFormed(e) if e.content.kind == ProtocolKind::Discussion && !e.automatic => {
            message(
                "discussion_protocol_signing_required",
                format!("Необходимо подписать протокол обсуждения по объявлению № {n}."),
                "L12017–12021, L12235–12239",
                e.content.formed_at,
                To::default().people(a.discussion_signers().into_iter().flatten(), "signer"),
            )
        }
        // 000-B L6346–6350: the housing results protocol formed, the organizer's representative,
        // who signs it alone, must sign.
        E::ProtocolFormed(e)
            if e.content.kind == ProtocolKind::Results
                && a.reviewer() == Reviewer::OrganizerRepresentative =>
        {
            message(
                "results_protocol_signing_required",
                format!("Необходимо подписать протокол итогов по объявлению № {n}."),
                "000-B L6346–6350",
                e.content.formed_at,
                To::default().people(
                    a.representative_persons().map(|(organizer, _)| organizer),
                    "organizer_representative",
                ),
            )
        }
        // L12035–12037, L12259–12261, L12287–12289: once every added signer has signed.
        E::ProtocolSigned(e) if e.kind == ProtocolKind::Discussion => {
            let signers = a.discussion_signers().unwrap_or_default();
            let protocol = a
                .protocols
                .iter()
                .find(|p| p.kind() == ProtocolKind::Discussion && p.version() == e.version)?;
            let completes = signers.iter().any(|p| p.iin == e.signature.signer_iin)
                && signers.iter().all(|p| protocol.is_signed_by(&p.iin));
            if !completes {
                return None;
            }
            message(
                "discussion_protocol_signed",
                format!("Протокол обсуждения по объявлению № {n} подписан."),
                "L12035–12037, L12259–12261, L12287–12289",
                e.signature.signed_at,
                To::default().secretary(a),
            )
        }
        // L12307–12311: published without executing the notices → acceptance starts.
        E::ProtocolPublished(e)
            if e.kind == ProtocolKind::Discussion && publishing_without_execution =>
        {
            message(
                "acceptance_started_after_discussion_protocol",
                format!("По объявлению № {n} опубликован протокол обсуждения, начат прием заявок."),
                "L12307–12311",
                e.published_at,
                To::default().representatives(a).organisations(
                    a.discussion_requests().values().map(|r| r.supplier_bin),
                    "discussion_participant",
                ),
            )
        }
        // 000-A L2004–2008: the commission must review the applications.
        E::AcceptanceEnded(e) if !a.applications().is_empty() => message(
            "applications_review_required",
            format!(
                "По объявлению № {n} истек срок приема заявок. Необходимо рассмотреть заявки \
                 поставщиков."
            ),
            "L2004–2008",
            e.ended_at,
            To::default().commission_members(a),
        ),
        // 000-A L2577–2581: once the Secretary has signed the ППД, the members must sign it.
        E::ProtocolSigned(e)
            if e.kind == ProtocolKind::PreliminaryAdmission
                && a.commission()
                    .is_some_and(|c| c.is_secretary(&e.signature.signer_iin)) =>
        {
            message(
                "ppd_signing_required",
                format!(
                    "Необходимо подписать протокол предварительного допуска по объявлению № {n}."
                ),
                "L2577–2581",
                e.signature.signed_at,
                To::default().commission_members(a),
            )
        }
        // 000-B L5192–5196: the auction's ППД published, the suppliers it did not admit are
        // invited to add the missing documents; its supplement period starts with the
        // publication (docs/decisions/0718).
        E::SupplementPeriodStarted(e) if a.method() == Some(Method::Auction) => message(
            "supplement_invitation",
            format!(
                "По объявлению № {n} опубликован протокол предварительного допуска. Вы можете \
                 добавить недостающие документы к заявке до окончания срока дополнения заявок."
            ),
            "000-B L5192–5196",
            e.start,
            To::default().organisations(invited_to_supplement(a), "not_admitted"),
        ),
        // 000-B L5522–5526: once the Secretary has signed the admission protocol, the chairman
        // and the members must sign it.
        E::ProtocolSigned(e)
            if e.kind == ProtocolKind::Admission
                && a.commission()
                    .is_some_and(|c| c.is_secretary(&e.signature.signer_iin)) =>
        {
            message(
                "admission_protocol_signing_required",
                format!("Необходимо подписать протокол допуска по объявлению № {n}."),
                "000-B L5522–5526",
                e.signature.signed_at,
                To::default().commission_members(a),
            )
        }
        // 000-A L2685–2689: the commission must review the supplemented applications.
        E::SupplementPeriodEnded(e) => message(
            "supplements_review_required",
            format!(
                "По объявлению № {n} истек срок приема дополнений заявок. Необходимо \
                 рассмотреть заявки."
            ),
            "L2685–2689",
            e.ended_at,
            To::default().commission_members(a),
        ),
        E::CameraControl(cc) => match cc {
            // L10928–10932: the notice is shown to the organizer's organisation.
            CC::NoticeDelivered(e) => message(
                "notice_delivered",
                format!(
                    "Уведомление об устранении нарушений, выявленных по результатам камерального \
                     контроля, по объявлению № {n}: {}",
                    e.text
                ),
                "L10928–10932",
                e.delivered_at,
                To::default().organisation(e.organizer_bin, "organizer"),
            )
            .map(|m| Message {
                notice_id: Some(e.notice_id.0),
                ..m
            }),
            // L11240–11242: the objection goes to the approver named in «Согласующий».
            CC::ObjectionSubmittedForApproval(e) => {
                let number = a
                    .camera_control
                    .objections
                    .get(&e.objection_id)
                    .map(|o| format!(" № {}", o.number))
                    .unwrap_or_default();
                message(
                    "objection_approval_required",
                    format!(
                        "Возражение{number} на уведомление камерального контроля по объявлению \
                         № {n} направлено Вам на согласование."
                    ),
                    "L11240–11242",
                    e.submitted_at,
                    To::default().person(e.approver_iin, "approver"),
                )
            }
            // L12143–12149, L12163–12171: full or partial cancellation by notices.
            CC::LotsCancelledByNotices(e) => {
                let text = if e.whole_announcement {
                    format!(
                        "Закупка по объявлению № {n} отменена по электронным уведомлениям \
                         камерального контроля."
                    )
                } else {
                    let lots = e
                        .plan_item_ids
                        .iter()
                        .filter_map(|id| a.lots.get(id))
                        .map(|l| l.source.lot_number.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!(
                        "По объявлению № {n} отменена закупка по лотам № {lots} по электронным \
                         уведомлениям камерального контроля."
                    )
                };
                let to = To::default()
                    .representatives(a)
                    .commission_members(a)
                    .organisations(
                        applicants(a, (!e.whole_announcement).then_some(&e.plan_item_ids[..])),
                        "applicant",
                    );
                let to = e
                    .inspector_iins
                    .iter()
                    .fold(to, |to, iin| to.person(*iin, "inspector"));
                message(
                    "cancelled_by_notices",
                    text,
                    "L12143–12149, L12163–12171",
                    e.cancelled_at,
                    to,
                )
            }
            // L12508–12512.
            CC::PpdRevisionStarted(e) => message(
                "ppd_revision_started",
                format!("По объявлению № {n} начат пересмотр протокола предварительного допуска."),
                "L12508–12512",
                e.started_at,
                revision_recipients(a),
            ),
            // L12769–12773.
            CC::ResultsRevisionStarted(e) => message(
                "results_revision_started",
                format!("По объявлению № {n} начат пересмотр протокола итогов."),
                "L12769–12773",
                e.started_at,
                revision_recipients(a),
            ),
            _ => None,
        },
        _ => None,
    }
}

/// «представителю организатора, представителю заказчика, членам комиссии, всем сотрудникам
/// поставщиков, которые подавали заявки» (L12508–12512, L12769–12773).
fn revision_recipients(a: &Announcement) -> To {
    To::default()
        .representatives(a)
        .commission_members(a)
        .organisations(applicants(a, None), "applicant")
}

/// The batch's rows, column by column.
#[derive(Default)]
struct Rows {
    message_id: Vec<Uuid>,
    event_id: Vec<Uuid>,
    stream_id: Vec<String>,
    stream_version: Vec<i64>,
    announcement_id: Vec<Uuid>,
    announcement_number: Vec<String>,
    kind: Vec<&'static str>,
    text: Vec<String>,
    source: Vec<&'static str>,
    occurred_at: Vec<DateTime<Utc>>,
    notice_id: Vec<Option<Uuid>>,
    recipient_kind: Vec<&'static str>,
    recipient: Vec<String>,
    recipient_role: Vec<&'static str>,
    position_major: Vec<i64>,
    position_minor: Vec<i64>,
}

impl Rows {
    fn push(&mut self, e: &RecordedEvent, announcement: Uuid, number: &str, m: &Message) {
        let id = message_id(e.event_id, m.kind);
        for (to, role) in &m.recipients {
            self.message_id.push(id);
            self.event_id.push(e.event_id);
            self.stream_id.push(e.stream_id.to_string());
            self.stream_version.push(e.version as i64);
            self.announcement_id.push(announcement);
            self.announcement_number.push(number.to_owned());
            self.kind.push(m.kind);
            self.text.push(m.text.clone());
            self.source.push(m.source);
            self.occurred_at.push(m.occurred_at);
            self.notice_id.push(m.notice_id);
            self.recipient_kind.push(to.kind());
            self.recipient.push(to.id());
            self.recipient_role.push(role);
            self.position_major.push(e.position.major as i64);
            self.position_minor.push(e.position.minor as i64);
        }
    }

    async fn insert(self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        if self.message_id.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO messages (message_id, event_id, stream_id, stream_version,
                 announcement_id, announcement_number, kind, text, source, occurred_at,
                 recipient_kind, recipient, recipient_role, position_major, position_minor,
                 notice_id)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::uuid[],
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::text[],
                 $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::uuid[])
             ON CONFLICT DO NOTHING",
        )
        .bind(self.message_id)
        .bind(self.event_id)
        .bind(self.stream_id)
        .bind(self.stream_version)
        .bind(self.announcement_id)
        .bind(self.announcement_number)
        .bind(self.kind)
        .bind(self.text)
        .bind(self.source)
        .bind(self.occurred_at)
        .bind(self.recipient_kind)
        .bind(self.recipient)
        .bind(self.recipient_role)
        .bind(self.position_major)
        .bind(self.position_minor)
        .bind(self.notice_id)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}

/// Marks the messages of acknowledged notices read (a notice's id is unique, the announcement is
/// not needed). Only an unread row is written, so a replay keeps the instant it first recorded.
async fn read(
    tx: &mut PgConnection,
    reads: Vec<(Uuid, DateTime<Utc>)>,
) -> Result<(), ProjectionError> {
    if reads.is_empty() {
        return Ok(());
    }
    let (notices, at): (Vec<Uuid>, Vec<DateTime<Utc>>) = reads.into_iter().unzip();
    sqlx::query(
        "UPDATE messages m SET read_at = r.at
           FROM unnest($1::uuid[], $2::timestamptz[]) AS r(notice_id, at)
          WHERE m.kind = 'notice_delivered' AND m.notice_id = r.notice_id AND m.read_at IS NULL",
    )
    .bind(notices)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The same for every recipient of one message, and the same on every replay and rebuild.
pub fn message_id(event_id: Uuid, kind: &str) -> Uuid {
    Uuid::new_v5(&event_id, kind.as_bytes())
}
