//! The PPP competition by direct negotiations (spec 002-003 part B, seed 003 in Kazakh): its own
//! aggregate on the stream `competition-<id>` (docs/decisions/0910). No lots from a plan, no
//! commission and no vote: a wizard (W1–W13), a publication (C1–C2), a discussion opened at its
//! start instant (C3, a timed command the portal sends), an immutable chat (C4–C5), conclusions
//! (C6–C7), the draft contract's agreement with its 90-calendar-day counter (C8) and the
//! completion with its results protocol (C9–C10).
//!
//! It reuses the kernel only: БИН/ИИН, files, text limits, the context's clock.

mod command;
mod decide;
pub mod event;
pub mod refusal;

use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::Context;
use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::kernel::Decider;
use crate::kernel::file::FileRef;

pub use command::CompetitionCommand;
pub use decide::{PROJECT_FIELD_MAX_CHARS, require_state_partner_head};
pub use event::*;

/// The stream category: `competition-<uuid>`.
pub const CATEGORY: &str = "competition";

/// The counter for concluding the contract: 90 calendar days from its agreement (L490–491, §8.4).
pub const CONTRACT_COUNTER_DAYS: i64 = 90;

/// «Жеке серіктесті анықтау әдісі» (L35–41): the guide covers direct negotiations only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PppMethod {
    /// «Тікелей келіссөздер».
    DirectNegotiations,
}

impl PppMethod {
    pub const ALL: [PppMethod; 1] = [PppMethod::DirectNegotiations];

    pub fn id(self) -> &'static str {
        match self {
            PppMethod::DirectNegotiations => "direct_negotiations",
        }
    }

    pub fn name_kk(self) -> &'static str {
        match self {
            PppMethod::DirectNegotiations => "Тікелей келіссөздер",
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            PppMethod::DirectNegotiations => "Прямые переговоры",
        }
    }

    /// The discussion's shortest length: "shown per the chosen method" (L390), the value is not
    /// in the seed; one day (docs/decisions/0912).
    pub fn min_discussion(self) -> TimeDelta {
        match self {
            PppMethod::DirectNegotiations => TimeDelta::days(1),
        }
    }
}

/// The competition's statuses with their original Kazakh terms (spec §3.B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompetitionStatus {
    /// «Жоба» (L22–24).
    Draft,
    /// «Жарияланды» (L404–406).
    Published,
    /// «Жарияланды (Талқылау)» (L413–414).
    PublishedDiscussion,
    /// «УО шартының жобасын келісу» (L486–488).
    DraftContractApproval,
    /// «Аяқталды» (L524–525).
    Completed,
}

impl CompetitionStatus {
    pub const ALL: [CompetitionStatus; 5] = [
        CompetitionStatus::Draft,
        CompetitionStatus::Published,
        CompetitionStatus::PublishedDiscussion,
        CompetitionStatus::DraftContractApproval,
        CompetitionStatus::Completed,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CompetitionStatus::Draft => "draft",
            CompetitionStatus::Published => "published",
            CompetitionStatus::PublishedDiscussion => "published_discussion",
            CompetitionStatus::DraftContractApproval => "draft_contract_approval",
            CompetitionStatus::Completed => "completed",
        }
    }

    /// The seed's own words.
    pub fn name_kk(self) -> &'static str {
        match self {
            CompetitionStatus::Draft => "Жоба",
            CompetitionStatus::Published => "Жарияланды",
            CompetitionStatus::PublishedDiscussion => "Жарияланды (Талқылау)",
            CompetitionStatus::DraftContractApproval => "УО шартының жобасын келісу",
            CompetitionStatus::Completed => "Аяқталды",
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            CompetitionStatus::Draft => "Проект",
            CompetitionStatus::Published => "Опубликован",
            CompetitionStatus::PublishedDiscussion => "Опубликован (Обсуждение)",
            CompetitionStatus::DraftContractApproval => "Согласование проекта договора с УО",
            CompetitionStatus::Completed => "Завершён",
        }
    }
}

/// A conclusion's mark in the «Қорытынды» tab (L480–482).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConclusionKind {
    /// «Оң қорытынды».
    Positive,
    /// «Теріс қорытынды».
    Negative,
}

/// The state partner as the wizard left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatePartner {
    pub responsible_contact: String,
    pub bin: Bin,
    pub representative_iin: Iin,
    /// When the representative confirmed being the partner's «Басшы» (docs/decisions/0911).
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A regulation and its mandatory file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regulation {
    pub regulation_id: Uuid,
    pub name_ru: String,
    pub name_kk: String,
    pub file: Option<FileRef>,
}

/// The discussion's dates (W13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscussionPeriod {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Who a chat message notifies (C4, L420–445): the organizer's organisation, the initiators'
/// users, the state partner's representative and every earlier author, never the author.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChatRecipient {
    /// Every employee of the organizer (its secretary among them).
    Organizer(Bin),
    Initiator(Iin),
    StatePartner(Iin),
    Participant(Iin),
}

/// A competition folded from its stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Competition {
    pub id: Option<Uuid>,
    pub created: Option<CompetitionDraftCreated>,
    pub general: Option<CompetitionGeneralEdited>,
    pub status: Option<CompetitionStatus>,
    pub deleted: bool,
    pub project: Option<Project>,
    pub state_partner: Option<StatePartner>,
    pub lot_saved: bool,
    pub initiators: Vec<Initiator>,
    pub regulations: Vec<Regulation>,
    pub discussion: Option<DiscussionPeriod>,
    pub published_at: Option<DateTime<Utc>>,
    pub chat: Vec<CompetitionChatMessagePosted>,
    pub conclusions: Vec<CompetitionConclusionInitiated>,
    pub contract: Option<CompetitionContractAgreed>,
    pub completion: Option<CompetitionCompleted>,
}

impl Competition {
    /// The organizer's organisation.
    pub fn organizer_bin(&self) -> Option<Bin> {
        self.created.as_ref().map(|c| c.organizer_bin)
    }

    /// The general data as last saved: method and names.
    pub fn general(&self) -> Option<CompetitionGeneralEdited> {
        self.general.clone().or_else(|| {
            self.created.as_ref().map(|c| CompetitionGeneralEdited {
                method: c.method,
                name_kk: c.name_kk.clone(),
                name_ru: c.name_ru.clone(),
                name_en: c.name_en.clone(),
            })
        })
    }

    /// The lot mirrors the competition: «Жоба» until published, then «Жарияланды» (spec §3.B,
    /// docs/decisions/0910).
    pub fn lot_status(&self) -> Option<CompetitionStatus> {
        if !self.lot_saved && self.project.is_none() {
            return None;
        }
        Some(match self.status {
            None | Some(CompetitionStatus::Draft) => CompetitionStatus::Draft,
            Some(_) => CompetitionStatus::Published,
        })
    }

    /// Whether the chat takes a message at `now`: from the start to the end, and not completed.
    pub fn chat_open(&self, now: DateTime<Utc>) -> bool {
        matches!(
            self.status,
            Some(CompetitionStatus::Published | CompetitionStatus::PublishedDiscussion)
        ) && self
            .discussion
            .is_some_and(|d| d.start <= now && now < d.end)
    }

    /// The positive conclusion, if initiated.
    pub fn positive(&self) -> Option<&CompetitionConclusionInitiated> {
        self.conclusions
            .iter()
            .find(|c| c.kind == ConclusionKind::Positive)
    }

    /// The counter's days left at `now`: whole calendar days, rounded up, never below zero
    /// (C8, §8.4).
    pub fn contract_days_left(&self, now: DateTime<Utc>) -> Option<i64> {
        let contract = self.contract.as_ref()?;
        let left = (contract.deadline - now).num_seconds().max(0);
        Some((left + 86_399) / 86_400)
    }

    /// The timed transition due, if any: the discussion's start of a competition still
    /// «Жарияланды» (C3).
    pub fn discussion_start_due(&self) -> Option<DateTime<Utc>> {
        match self.status {
            Some(CompetitionStatus::Published) => self.discussion.map(|d| d.start),
            _ => None,
        }
    }

    /// Whom the chat message `message_id` notifies (C4).
    pub fn chat_recipients(&self, message_id: Uuid) -> Vec<ChatRecipient> {
        let Some(at) = self.chat.iter().position(|m| m.message_id == message_id) else {
            return Vec::new();
        };
        let author = self.chat[at].author_iin;
        let mut to: Vec<ChatRecipient> = self
            .organizer_bin()
            .map(ChatRecipient::Organizer)
            .into_iter()
            .collect();
        to.extend(
            self.initiators
                .iter()
                .filter_map(|i| i.user_iin)
                .map(ChatRecipient::Initiator),
        );
        to.extend(
            self.state_partner
                .as_ref()
                .map(|p| ChatRecipient::StatePartner(p.representative_iin)),
        );
        to.extend(
            self.chat[..at]
                .iter()
                .map(|m| ChatRecipient::Participant(m.author_iin)),
        );
        to.retain(|r| match r {
            ChatRecipient::Organizer(_) => true,
            ChatRecipient::Initiator(i)
            | ChatRecipient::StatePartner(i)
            | ChatRecipient::Participant(i) => *i != author,
        });
        to.sort();
        to.dedup();
        to
    }
}

impl Decider for Competition {
    const CATEGORY: &'static str = CATEGORY;
    type Command = CompetitionCommand;
    type Event = CompetitionEvent;

    fn initial() -> Self {
        Self::default()
    }

    fn decide(
        &self,
        command: CompetitionCommand,
        ctx: &Context,
    ) -> Result<Vec<CompetitionEvent>, DomainError> {
        decide::decide(self, command, ctx).map_err(refusal::in_kazakh)
    }

    fn evolve(&mut self, event: &CompetitionEvent) {
        use CompetitionEvent as E;
        match event {
            E::DraftCreated(e) => {
                self.id = Some(e.competition_id);
                self.created = Some(e.clone());
                self.status = Some(CompetitionStatus::Draft);
            }
            E::GeneralEdited(e) => self.general = Some(e.clone()),
            E::DraftDeleted(_) => self.deleted = true,
            E::ProjectSaved(e) => self.project = Some(e.project.clone()),
            E::StatePartnerSet(e) => {
                self.state_partner = Some(StatePartner {
                    responsible_contact: e.responsible_contact.clone(),
                    bin: e.bin,
                    representative_iin: e.representative_iin,
                    confirmed_at: None,
                })
            }
            E::StatePartnerConfirmed(e) => {
                if let Some(p) = self.state_partner.as_mut() {
                    p.confirmed_at = Some(e.confirmed_at);
                }
            }
            E::LotSaved(_) => self.lot_saved = true,
            E::InitiatorSaved(e) => {
                let i = &e.initiator;
                match self
                    .initiators
                    .iter_mut()
                    .find(|x| x.initiator_id == i.initiator_id)
                {
                    Some(x) => *x = i.clone(),
                    None => self.initiators.push(i.clone()),
                }
            }
            E::InitiatorRemoved(e) => self.initiators.retain(|x| x.initiator_id != e.initiator_id),
            E::RegulationAdded(e) => self.regulations.push(Regulation {
                regulation_id: e.regulation_id,
                name_ru: e.name_ru.clone(),
                name_kk: e.name_kk.clone(),
                file: None,
            }),
            E::RegulationFileAttached(e) => {
                if let Some(r) = self
                    .regulations
                    .iter_mut()
                    .find(|r| r.regulation_id == e.regulation_id)
                {
                    r.file = Some(e.file.clone());
                }
            }
            E::RegulationRemoved(e) => self
                .regulations
                .retain(|r| r.regulation_id != e.regulation_id),
            E::DiscussionPeriodSet(e) => {
                self.discussion = Some(DiscussionPeriod {
                    start: e.start,
                    end: e.end,
                })
            }
            E::Published(e) => {
                self.published_at = Some(e.published_at);
                self.status = Some(if e.discussion_open {
                    CompetitionStatus::PublishedDiscussion
                } else {
                    CompetitionStatus::Published
                });
            }
            E::DiscussionStarted(_) => self.status = Some(CompetitionStatus::PublishedDiscussion),
            E::ChatMessagePosted(e) => self.chat.push(e.clone()),
            E::ConclusionInitiated(e) => {
                self.conclusions.push(e.clone());
                if e.kind == ConclusionKind::Positive {
                    self.status = Some(CompetitionStatus::DraftContractApproval);
                }
            }
            E::ContractAgreed(e) => self.contract = Some(e.clone()),
            E::Completed(e) => {
                self.completion = Some(e.clone());
                self.status = Some(CompetitionStatus::Completed);
            }
        }
    }
}
