//! «Доступные действия»: what the acting user may do now on the announcement, decided by the very
//! rules that decide the commands (issue 24 item 2, docs/decisions/0653). Each action is probed
//! by building the command it stands for from the state and the actor (the first unanswered
//! request, the valid protocol version and its hash, the actor's own application) and asking
//! `decide`: the method's guard table, the component rules, the role, the instant and the
//! portal-wide block of an unread notice (L11082–11088) all answer, and nothing is restated here.
//! An action whose command needs the user's own input (a ballot, prices, documents) is probed with
//! an input the rules accept (admitting on every point, the lot's own amount, one file), so it is
//! listed when the state, the role and the instant allow it; what the user then sends is theirs
//! (docs/decisions/0655). Actions on one lot are `LotAction`s, probed per lot.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Announcement, AnnouncementCommand as C};
use crate::actor::Context;
use crate::commission::Person;
use crate::discussion::{DiscussionDecision, DiscussionRequestId};
use crate::kernel::file::FileRef;
use crate::kernel::term::portal_terms;
use crate::plan_item::PlanItemId;
use crate::procedure::application::LotOffer;
use crate::procedure::entered_results::{EnteredFailureReason, EnteredResults};
use crate::procedure::voting::{
    Article6Verdict, Ballot, DocumentationVerdict, LotBallot, QualificationVerdict,
};
use crate::protocol::{ProtocolKind, SignatureProof};

portal_terms! {
    /// The actions of «Доступные действия» that the rules can offer (spec 000-A §4.2–§8).
    Action {
        Publish => "publish", "Опубликовать";
        DeleteDraft => "delete_draft", "Удалить";
        /// D1 (L1580–1598).
        SubmitDiscussionRequest => "submit_discussion_request", "Направить запрос о разъяснении";
        /// D4 (L1606–1640): an unanswered request waits for its answer.
        AnswerDiscussionRequest => "answer_discussion_request", "Предоставить ответ";
        /// D6 (L1664–1676).
        CompleteDiscussion => "complete_discussion", "Завершить обсуждение документации";
        FormDiscussionProtocol => "form_discussion_protocol", "Сформировать протокол обсуждения";
        DeleteDiscussionProtocol => "delete_discussion_protocol", "Удалить протокол обсуждения";
        SignDiscussionProtocol => "sign_discussion_protocol", "Подписать протокол обсуждения";
        PublishDiscussionProtocol => "publish_discussion_protocol", "Опубликовать протокол обсуждения";
        WithdrawApplication => "withdraw_application", "Отозвать заявку";
        /// §7: an application the member may vote on now (a ballot is the member's input).
        CastVote => "cast_vote", "Проголосовать";
        /// Once the votes reach the quorum (§7).
        CompleteVoting => "complete_voting", "Завершить голосования";
        ReopenVoting => "reopen_voting", "Возобновить голосование";
        FormPreliminaryAdmissionProtocol => "form_preliminary_admission_protocol", "Сформировать протокол предварительного допуска";
        SignPreliminaryAdmissionProtocol => "sign_preliminary_admission_protocol", "Подписать протокол предварительного допуска";
        PublishPreliminaryAdmissionProtocol => "publish_preliminary_admission_protocol", "Опубликовать протокол предварительного допуска";
        FormResultsProtocol => "form_results_protocol", "Сформировать протокол итогов";
        DeleteResultsProtocol => "delete_results_protocol", "Удалить протокол итогов";
        SignResultsProtocol => "sign_results_protocol", "Подписать протокол итогов";
        PublishResultsProtocol => "publish_results_protocol", "Опубликовать протокол итогов";
        /// Spec 000-C B5–B7 (L8997–9001, L9225–9227): a procurement run off the portal, its
        /// acceptance over, until the protocol is formed.
        EnterResultsData => "enter_results_data", "Внести данные";
        /// §8.1: the conditional discounts are all filled.
        CompleteConditionalDiscounts => "complete_conditional_discounts", "Завершить заполнение условных скидок";
        /// Spec 000-C Q8 (L10042–10046): an admitted supplier's data «Требуется заполнение».
        FillQualificationInfo => "fill_qualification_info", "Заполнить сведения о квалификации";
    }
}

portal_terms! {
    /// «Доступные действия» on one lot (spec 000-A §4.2.4, §4.3, §3): the lot's row of the portal.
    LotAction {
        /// §4.2.4: an offer on this lot (the price is the supplier's input).
        SubmitApplication => "submit_application", "Подать заявку";
        /// L2685–2707: the right to supplement this lot (the documents are the supplier's).
        SupplementApplication => "supplement_application", "Дополнить заявку";
        RemoveLot => "remove_lot", "Удалить лот";
        RemoveTechnicalSpecification => "remove_technical_specification", "Удалить техническую спецификацию";
    }
}

impl Announcement {
    /// The actions `ctx`'s actor may take now, in `Action::ALL`'s order: exactly those whose
    /// probe `decide` accepts.
    pub fn available_actions(&self, ctx: &Context) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| {
                self.probe(*a, ctx)
                    .is_some_and(|command| self.decide(command, ctx).is_ok())
            })
            .collect()
    }

    /// The command `action` stands for, for `ctx`'s actor in this state; `None` when there is
    /// nothing to take it on (no unanswered request, no protocol to sign, no own application).
    pub fn probe(&self, action: Action, ctx: &Context) -> Option<C> {
        use Action as A;
        Some(match action {
            A::Publish => C::Publish,
            A::DeleteDraft => C::DeleteDraft,
            A::SubmitDiscussionRequest => C::SubmitDiscussionRequest {
                // A fresh id: the actor's request would be a new one.
                request_id: DiscussionRequestId(Uuid::new_v5(
                    &self.id?,
                    ctx.actor.user_id.as_bytes(),
                )),
                subject: "?".into(),
                text: "?".into(),
            },
            A::AnswerDiscussionRequest => C::AnswerDiscussionRequest {
                request_id: self
                    .discussion_requests()
                    .values()
                    .find(|r| r.answer.is_none())?
                    .id,
                decision: DiscussionDecision::Clarify,
                text: Some("?".into()),
            },
            A::CompleteDiscussion => C::CompleteDiscussion {
                signers: vec![Person {
                    iin: ctx.actor.iin,
                    full_name: "?".into(),
                }],
            },
            A::FormDiscussionProtocol => C::FormDiscussionProtocol,
            A::DeleteDiscussionProtocol => C::DeleteDiscussionProtocol,
            A::SignDiscussionProtocol => self.sign(ProtocolKind::Discussion, ctx)?,
            A::PublishDiscussionProtocol => C::PublishProtocol {
                kind: ProtocolKind::Discussion,
            },
            A::WithdrawApplication => C::WithdrawApplication {
                application_id: self
                    .applications()
                    .values()
                    .find(|a| a.supplier_bin == ctx.actor.org)?
                    .id,
            },
            A::CastVote => self.vote_probe(ctx)?,
            A::CompleteVoting => C::CompleteVoting,
            A::ReopenVoting => C::ReopenVoting,
            A::FormPreliminaryAdmissionProtocol => C::FormPreliminaryAdmissionProtocol,
            A::SignPreliminaryAdmissionProtocol => {
                self.sign(ProtocolKind::PreliminaryAdmission, ctx)?
            }
            A::PublishPreliminaryAdmissionProtocol => C::PublishProtocol {
                kind: ProtocolKind::PreliminaryAdmission,
            },
            A::FormResultsProtocol => C::FormResultsProtocol,
            A::DeleteResultsProtocol => C::DeleteResultsProtocol,
            A::SignResultsProtocol => self.sign(ProtocolKind::Results, ctx)?,
            A::PublishResultsProtocol => C::PublishProtocol {
                kind: ProtocolKind::Results,
            },
            // Any data the creator may save probes it: the outcome is his to say.
            A::EnterResultsData => C::EnterResultsData {
                results: EnteredResults::Failed {
                    reason: EnteredFailureReason::Other,
                    other_reason: Some("?".into()),
                    suppliers: Vec::new(),
                },
            },
            A::CompleteConditionalDiscounts => C::CompleteConditionalDiscounts,
            A::FillQualificationInfo => self.qualification_probe()?,
        })
    }

    /// The first admitted supplier whose qualification data are still to fill, with one row
    /// decided (the rows are the secretary's input).
    fn qualification_probe(&self) -> Option<C> {
        use crate::method::qualification_selection::QualificationSection;
        use crate::method::qualification_selection::info::QualificationRowInput;
        let parts = self.procedure.qualification_selection()?;
        let application_id = self
            .admitted_applications()
            .find(|id| !parts.qualification.contains_key(id))?;
        Some(C::FillQualificationInfo {
            application_id,
            rows: vec![QualificationRowInput {
                section: QualificationSection::WorkExperience,
                description: "—".into(),
                decision: Some(
                    crate::method::qualification_selection::QualificationRowDecision::Confirmed,
                ),
            }],
        })
    }

    /// A ballot admitting on every point of an application's lots: of the first application the
    /// member may vote on now, or of the first application, to be refused.
    fn vote_probe(&self, ctx: &Context) -> Option<C> {
        let bankruptcy = self
            .voting_rules()
            .bankruptcy_category()
            .then_some(crate::voting::BankruptcyVerdict::Admitted);
        let mut ballots = self.applications().values().map(|a| C::CastVote {
            application_id: a.id,
            ballot: Ballot {
                common_article6: Article6Verdict::Admitted,
                lots: a
                    .lots()
                    .map(|lot| LotBallot {
                        plan_item_id: lot.clone(),
                        documentation: DocumentationVerdict::Admitted,
                        qualification: QualificationVerdict::Admitted,
                        article6: Article6Verdict::Admitted,
                        bankruptcy: bankruptcy.clone(),
                        file: None,
                    })
                    .collect(),
            },
        });
        let first = ballots.next()?;
        if self.decide(first.clone(), ctx).is_ok() {
            return Some(first);
        }
        Some(
            ballots
                .find(|b| self.decide(b.clone(), ctx).is_ok())
                .unwrap_or(first),
        )
    }

    /// The lot actions `ctx`'s actor may take now on lot `lot`, in `LotAction::ALL`'s order:
    /// exactly those whose probe `decide` accepts.
    pub fn available_lot_actions(&self, lot: &PlanItemId, ctx: &Context) -> Vec<LotAction> {
        LotAction::ALL
            .iter()
            .copied()
            .filter(|a| {
                self.probe_lot(*a, lot, ctx)
                    .is_some_and(|command| self.decide(command, ctx).is_ok())
            })
            .collect()
    }

    /// The command `action` on lot `lot` stands for; `None` when there is no such lot or nothing
    /// to take the action on (no own application to supplement).
    pub fn probe_lot(&self, action: LotAction, lot: &PlanItemId, ctx: &Context) -> Option<C> {
        let amount = self.lots.get(lot)?.source.amount;
        let own = || {
            self.applications()
                .values()
                .find(|a| a.supplier_bin == ctx.actor.org)
        };
        Some(match action {
            LotAction::SubmitApplication => C::SubmitApplication {
                // A fresh id, as for a discussion request: the actor's application would be new.
                application_id: crate::procedure::application::ApplicationId(Uuid::new_v5(
                    &self.id?,
                    ctx.actor.org.to_string().as_bytes(),
                )),
                offers: vec![LotOffer {
                    plan_item_id: lot.clone(),
                    price: amount,
                }],
            },
            LotAction::SupplementApplication => C::SupplementApplication {
                application_id: own()?.id,
                plan_item_ids: vec![lot.clone()],
                documents: vec![FileRef {
                    file_id: "?".into(),
                    name: "?".into(),
                }],
            },
            LotAction::RemoveLot => C::RemoveLots {
                plan_item_ids: vec![lot.clone()],
            },
            LotAction::RemoveTechnicalSpecification => C::RemoveTechnicalSpecification {
                plan_item_id: lot.clone(),
            },
        })
    }

    /// The actor's signature of the valid version of `kind`, on its own content hash.
    fn sign(&self, kind: ProtocolKind, ctx: &Context) -> Option<C> {
        let protocol = self.valid_protocol(kind)?;
        Some(C::SignProtocol {
            kind,
            version: protocol.version(),
            signer_iin: ctx.actor.iin,
            content_sha256: protocol.content_sha256.clone(),
            dissent: None,
            // The engine checks the signature itself; the trial decides the rules only.
            proof: Some(SignatureProof {
                key_id: "?".into(),
                signature_hex: "?".into(),
            }),
        })
    }
}
