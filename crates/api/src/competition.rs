//! The PPP competition's read side (spec 002-003 part B, decisions 0910, 0915): one competition
//! with its tabs (general, lot, initiators, regulation, discussion, conclusions, contract),
//! folded from its stream with the domain's `evolve` (so as of any version or instant for the
//! auditors, and never behind a write); «Менің конкурстарым (ұйымдастырушы)» and the chat's
//! notifications from the `competitions` read model; and the live chat as a subscription.
//!
//! What it shows: a draft only to its organizer's organisation (null to everyone else); a
//! published competition to everyone, anonymous visitors included (the open discussion is public,
//! L440). Personal data stay with the organizer: the initiators' ИИН, contacts and users, the state
//! partner's representative. A chat message names its author's organisation only.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;
use zakup_domain::competition::{
    self as domain, CompetitionEvent, CompetitionStatus, ConclusionKind as DomainKind,
};
use zakup_domain::ident::ParticipantId;
use zakup_domain::kernel::Decider;
use zakup_domain::kernel::file::FileRef;
use zakup_engine::Engine;
use zakup_store::StreamRange;

use crate::audit::AsOf;
use crate::command::{ConclusionKind, PppMethod};
use crate::page::{actor, app, connection, reach, viewer_org};
use crate::refusal;

/// The warning shown before a message is sent (§9.7, L443–445), verbatim.
pub const WARNING_KK: &str = "Назар аударыңыз! Хабарлама жібермес бұрын, енгізілген мәтінді екі рет тексеруді сұраймыз, өйткені сәтті жіберілгеннен кейін Жүйе жіберілген хабарламаны өңдеуге және жоюға мүмкіндік бермейді";
pub const WARNING_RU: &str = "Внимание! Перед отправкой сообщения просим дважды проверить введённый текст, так как после успешной отправки Система не позволяет редактировать и удалять отправленное сообщение";

/// A status: its snake_case id and the seed's Kazakh term, with a Russian rendering.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionStatusTerm {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
}

fn status_term(s: CompetitionStatus) -> CompetitionStatusTerm {
    CompetitionStatusTerm {
        id: s.id().into(),
        name_kk: s.name_kk().into(),
        name_ru: s.name_ru().into(),
    }
}

#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionFile {
    pub file_id: String,
    pub name: String,
}

fn file(f: &FileRef) -> CompetitionFile {
    CompetitionFile {
        file_id: f.file_id.clone(),
        name: f.name.clone(),
    }
}

/// The tab «Жалпы ақпарат».
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionGeneral {
    pub method: PppMethod,
    pub method_name_kk: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub organizer_bin: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// The state partner; its representative's ИИН only for the organizer.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionStatePartner {
    pub bin: String,
    pub responsible_contact: String,
    pub representative_iin: Option<String>,
    pub representative_confirmed: bool,
}

/// The tab «Лот»: the project and the state partner.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionLot {
    pub status: CompetitionStatusTerm,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub short_description: String,
    pub goals_and_tasks: String,
    pub main_tech_economic_params: String,
    pub main_efficiency_criteria: String,
    pub planned_implementation_terms: String,
    pub state_partner: Option<CompetitionStatePartner>,
}

/// An initiator; the personal fields only for the organizer.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionInitiator {
    pub initiator_id: Uuid,
    /// A БИН for everyone; an individual's ИИН only for the organizer.
    pub private_partner: Option<String>,
    pub user_iin: Option<String>,
    pub representative: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionRegulation {
    pub regulation_id: Uuid,
    pub name_ru: String,
    pub name_kk: String,
    pub file: Option<CompetitionFile>,
}

/// A chat message, immutable.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionMessage {
    pub message_id: Uuid,
    pub competition_id: Uuid,
    pub text: String,
    pub author_bin: String,
    pub sent_at: DateTime<Utc>,
}

fn message(competition_id: Uuid, m: &domain::CompetitionChatMessagePosted) -> CompetitionMessage {
    CompetitionMessage {
        message_id: m.message_id,
        competition_id,
        text: m.text.clone(),
        author_bin: m.author_bin.to_string(),
        sent_at: m.sent_at,
    }
}

/// The tab «Талқылау».
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionDiscussion {
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Whether «Хабарлама жіберу» is open at the instant shown.
    pub open: bool,
    pub warning_kk: String,
    pub warning_ru: String,
    pub messages: Vec<CompetitionMessage>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionConclusion {
    pub conclusion_id: Uuid,
    pub kind: ConclusionKind,
    pub justification: String,
    pub attachment: CompetitionFile,
    pub initiated_at: DateTime<Utc>,
}

/// «Қорытындылар туралы хаттама» (L524–527).
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionResultsProtocol {
    pub protocol_id: Uuid,
    pub justification: String,
    pub attachment: CompetitionFile,
    pub completed_at: DateTime<Utc>,
    pub negative_conclusions: i32,
    pub positive_conclusion: bool,
    pub contract_agreed: bool,
}

/// The tab «Шарт»: the agreement and the 90-calendar-day counter (C8).
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionContract {
    pub info: String,
    pub agreed_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    /// Whole calendar days left at the instant shown, rounded up, never below zero.
    pub days_left: i64,
}

/// One competition, as of an instant.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionView {
    pub id: Uuid,
    pub status: CompetitionStatusTerm,
    /// The stream version shown (0-based).
    pub version: i64,
    /// The instant the counters and the chat's openness are computed at.
    pub at: DateTime<Utc>,
    pub general: CompetitionGeneral,
    pub lot: Option<CompetitionLot>,
    pub initiators: Vec<CompetitionInitiator>,
    pub regulations: Vec<CompetitionRegulation>,
    pub discussion: CompetitionDiscussion,
    pub conclusions: Vec<CompetitionConclusion>,
    pub results_protocol: Option<CompetitionResultsProtocol>,
    pub contract: Option<CompetitionContract>,
}

/// A row of «Менің конкурстарым (ұйымдастырушы)».
#[derive(SimpleObject, Debug, Clone)]
pub struct MyCompetition {
    pub id: Uuid,
    pub status: CompetitionStatusTerm,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A chat message notified to the caller (C4).
#[derive(SimpleObject, Debug, Clone)]
pub struct CompetitionNotification {
    pub message_id: Uuid,
    pub competition_id: Uuid,
    /// `organizer`, `initiator`, `state_partner` or `chat_participant`.
    pub recipient_role: String,
    pub text: String,
    pub author_bin: String,
    pub sent_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct CompetitionQuery;

#[Object]
impl CompetitionQuery {
    /// One competition replayed from its stream, now or as of a version or an instant. Null when
    /// it did not exist (then), was deleted, or is a draft of another organisation.
    async fn competition(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        as_of: Option<AsOf>,
    ) -> Result<Option<CompetitionView>> {
        let engine = &app(ctx).engine;
        let (range, at) = match as_of {
            None => (StreamRange::all(), None),
            Some(AsOf::Version(v)) if v < 0 => {
                return Err(refusal::invalid_input("asOf.version", "must be ≥ 0"));
            }
            Some(AsOf::Version(v)) => (StreamRange::up_to_version(v as u64), None),
            Some(AsOf::Instant(t)) => (StreamRange::up_to_instant(t), Some(t)),
        };
        let loaded = engine
            .load::<domain::Competition>(&id.to_string(), range)
            .await
            .map_err(|e| refusal::engine(&e))?;
        let (Some(version), Some(last)) = (loaded.version, loaded.events.last()) else {
            return Ok(None);
        };
        // As of a version, the instant of its last event; now, the engine's clock.
        let at = at.unwrap_or(match as_of {
            Some(AsOf::Version(_)) => last.metadata.occurred_at,
            _ => engine.now(),
        });
        Ok(view(
            &loaded.state,
            version,
            at,
            viewer_org(ctx)?.as_deref(),
        ))
    }

    /// «Менің конкурстарым (ұйымдастырушы)»: the competitions of the caller's organisation,
    /// newest first.
    async fn my_competitions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, MyCompetition>> {
        let org = actor(ctx)?.org.to_string();
        reach(ctx, domain::CATEGORY, min_position).await?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            type Row = (
                Uuid,
                String,
                String,
                String,
                Option<String>,
                DateTime<Utc>,
                DateTime<Utc>,
            );
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT competition_id, status, name_kk, name_ru, name_en, created_at, updated_at
                   FROM rm.competitions WHERE organizer_bin = $1
                  ORDER BY created_at DESC, competition_id OFFSET $2 LIMIT $3",
            )
            .bind(&org)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            Ok(rows
                .into_iter()
                .map(|r| MyCompetition {
                    id: r.0,
                    status: CompetitionStatus::ALL
                        .into_iter()
                        .find(|s| s.id() == r.1)
                        .map_or_else(
                            || CompetitionStatusTerm {
                                id: r.1.clone(),
                                name_kk: r.1.clone(),
                                name_ru: r.1.clone(),
                            },
                            status_term,
                        ),
                    name_kk: r.2,
                    name_ru: r.3,
                    name_en: r.4,
                    created_at: r.5,
                    updated_at: r.6,
                })
                .collect())
        })
        .await
    }

    /// The chat messages notified to the caller (their ИИН, or their organisation as organizer),
    /// newest first.
    async fn my_competition_notifications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, CompetitionNotification>> {
        let who = actor(ctx)?;
        let (iin, bin) = (who.iin.to_string(), who.org.to_string());
        reach(ctx, domain::CATEGORY, min_position).await?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            type Row = (Uuid, Uuid, String, String, String, DateTime<Utc>);
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT DISTINCT ON (position_major, position_minor, message_id)
                        message_id, competition_id, recipient_role, text, author_bin, sent_at
                   FROM rm.competition_notifications
                  WHERE (recipient_kind = 'person' AND recipient = $1)
                     OR (recipient_kind = 'organisation' AND recipient = $2)
                  ORDER BY position_major DESC, position_minor DESC, message_id,
                           recipient_kind DESC
                  OFFSET $3 LIMIT $4",
            )
            .bind(&iin)
            .bind(&bin)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            Ok(rows
                .into_iter()
                .map(|r| CompetitionNotification {
                    message_id: r.0,
                    competition_id: r.1,
                    recipient_role: r.2,
                    text: r.3,
                    author_bin: r.4,
                    sent_at: r.5,
                })
                .collect())
        })
        .await
    }
}

/// What `viewer_org` may see of `c` at `at`.
fn view(
    c: &domain::Competition,
    version: u64,
    at: DateTime<Utc>,
    viewer_org: Option<&str>,
) -> Option<CompetitionView> {
    let (Some(id), Some(created), Some(general), Some(status)) =
        (c.id, c.created.as_ref(), c.general(), c.status)
    else {
        return None;
    };
    let organizer = viewer_org == Some(created.organizer_bin.to_string().as_str());
    if c.deleted || (status == CompetitionStatus::Draft && !organizer) {
        return None;
    }
    let lot = c.project.as_ref().map(|p| CompetitionLot {
        status: status_term(c.lot_status().unwrap_or(CompetitionStatus::Draft)),
        name_kk: p.name_kk.clone(),
        name_ru: p.name_ru.clone(),
        name_en: p.name_en.clone(),
        short_description: p.short_description.clone(),
        goals_and_tasks: p.goals_and_tasks.clone(),
        main_tech_economic_params: p.main_tech_economic_params.clone(),
        main_efficiency_criteria: p.main_efficiency_criteria.clone(),
        planned_implementation_terms: p.planned_implementation_terms.clone(),
        state_partner: c.state_partner.as_ref().map(|s| CompetitionStatePartner {
            bin: s.bin.to_string(),
            responsible_contact: s.responsible_contact.clone(),
            representative_iin: organizer.then(|| s.representative_iin.to_string()),
            representative_confirmed: s.confirmed_at.is_some(),
        }),
    });
    let initiators = c
        .initiators
        .iter()
        .map(|i| {
            let mine = |v: &Option<String>| v.clone().filter(|_| organizer);
            CompetitionInitiator {
                initiator_id: i.initiator_id,
                private_partner: match i.private_partner {
                    ParticipantId::Bin(b) => Some(b.to_string()),
                    ParticipantId::Iin(n) => organizer.then(|| n.to_string()),
                },
                user_iin: i.user_iin.filter(|_| organizer).map(|n| n.to_string()),
                representative: mine(&i.representative),
                position: mine(&i.position),
                phone: mine(&i.phone),
                email: mine(&i.email),
            }
        })
        .collect();
    Some(CompetitionView {
        id,
        status: status_term(status),
        version: version as i64,
        at,
        general: CompetitionGeneral {
            method: general.method.into(),
            method_name_kk: general.method.name_kk().into(),
            name_kk: general.name_kk,
            name_ru: general.name_ru,
            name_en: general.name_en,
            organizer_bin: created.organizer_bin.to_string(),
            created_at: created.created_at,
            published_at: c.published_at,
        },
        lot,
        initiators,
        regulations: c
            .regulations
            .iter()
            .map(|r| CompetitionRegulation {
                regulation_id: r.regulation_id,
                name_ru: r.name_ru.clone(),
                name_kk: r.name_kk.clone(),
                file: r.file.as_ref().map(file),
            })
            .collect(),
        discussion: CompetitionDiscussion {
            start: c.discussion.map(|d| d.start),
            end: c.discussion.map(|d| d.end),
            open: c.chat_open(at),
            warning_kk: WARNING_KK.into(),
            warning_ru: WARNING_RU.into(),
            messages: c.chat.iter().map(|m| message(id, m)).collect(),
        },
        conclusions: c
            .conclusions
            .iter()
            .map(|k| CompetitionConclusion {
                conclusion_id: k.conclusion_id,
                kind: k.kind.into(),
                justification: k.justification.clone(),
                attachment: file(&k.attachment),
                initiated_at: k.initiated_at,
            })
            .collect(),
        results_protocol: c
            .completion
            .as_ref()
            .map(|done| CompetitionResultsProtocol {
                protocol_id: done.protocol_id,
                justification: done.justification.clone(),
                attachment: file(&done.attachment),
                completed_at: done.completed_at,
                negative_conclusions: c
                    .conclusions
                    .iter()
                    .filter(|k| k.kind == DomainKind::Negative)
                    .count() as i32,
                positive_conclusion: c.positive().is_some(),
                contract_agreed: c.contract.is_some(),
            }),
        contract: c.contract.as_ref().map(|k| CompetitionContract {
            info: k.info.clone(),
            agreed_at: k.agreed_at,
            deadline: k.deadline,
            days_left: c.contract_days_left(at).unwrap_or(0),
        }),
    })
}

#[derive(Default)]
pub struct CompetitionSubscription;

#[Subscription]
impl CompetitionSubscription {
    /// The live chat of a published competition: each new message once the read models have
    /// applied it. Open to everyone, like the discussion (L440); a draft, a deleted or an
    /// unknown competition is refused `competition_not_found`.
    async fn competition_chat(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<impl Stream<Item = Result<CompetitionMessage>> + use<>> {
        let engine: Engine = app(ctx).engine.clone();
        let loaded = engine
            .load::<domain::Competition>(&id.to_string(), StreamRange::all())
            .await
            .map_err(|e| refusal::engine(&e))?;
        let published = loaded
            .state
            .status
            .is_some_and(|s| s != CompetitionStatus::Draft);
        if !published || loaded.state.deleted {
            return Err(refusal::domain(&domain::refusal::competition_not_found()));
        }
        let slot = crate::feeds::feeds(ctx).admit(ctx, crate::page::viewer(ctx)?)?;
        let stream_id = format!("{}-{id}", domain::Competition::CATEGORY);
        let rx = app(ctx).daemon.subscribe();
        let messages = futures::stream::unfold(rx, move |mut rx| {
            let stream_id = stream_id.clone();
            async move {
                loop {
                    let applied = match rx.recv().await {
                        Ok(applied) => applied,
                        Err(RecvError::Lagged(missed)) => {
                            let missed = refusal::subscription_lagged(missed);
                            return Some((futures::stream::iter(vec![Err(missed)]), rx));
                        }
                        Err(RecvError::Closed) => return None,
                    };
                    if applied.projection != "competitions" {
                        continue;
                    }
                    let fresh: Vec<Result<CompetitionMessage>> = applied
                        .events
                        .iter()
                        .filter(|e| e.stream_id.as_str() == stream_id)
                        .filter_map(|e| {
                            match CompetitionEvent::from_stored(
                                &e.event_type,
                                e.schema_version,
                                &e.payload,
                            ) {
                                Ok(CompetitionEvent::ChatMessagePosted(m)) => {
                                    Some(Ok(message(id, &m)))
                                }
                                _ => None,
                            }
                        })
                        .collect();
                    if !fresh.is_empty() {
                        return Some((futures::stream::iter(fresh), rx));
                    }
                }
            }
        });
        Ok(crate::feeds::holding(messages.flatten(), slot))
    }
}
