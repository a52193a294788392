//! The portal's own status words (spec 000-A §3), each with a stable snake_case id (the serde
//! form) and the exact Russian term, so a frontend can show what the portal shows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) use crate::kernel::term::portal_terms;

portal_terms! {
    /// Announcement statuses, spec 000-A §3.1.
    AnnouncementStatus {
        Draft => "draft", "Проект";
        Published => "published", "Опубликовано";
        PublishedAcceptingPriceOffers => "published_accepting_price_offers", "Опубликовано (прием ценовых предложений)";
        DocumentationChanged => "documentation_changed", "Изменена документация";
        PublishedAcceptingApplications => "published_accepting_applications", "Опубликовано (прием заявок)";
        ReviewingApplications => "reviewing_applications", "Рассмотрение заявок";
        FormingPreliminaryAdmissionProtocol => "forming_preliminary_admission_protocol", "Формирование протокола преддопуска";
        PublishedSupplementingApplications => "published_supplementing_applications", "Опубликовано (дополнение заявок)";
        DecidingPpdRevision => "deciding_ppd_revision", "Принятие решения по пересмотру ППД";
        ReviewingSupplements => "reviewing_supplements", "Рассмотрение дополнений заявок";
        FormingResultsProtocol => "forming_results_protocol", "Формирование протокола итогов";
        Completed => "completed", "Завершено";
        Suspended => "suspended", "Приостановлен";
        /// Not named in this part (spec §3.1 AMBIGUOUS); the camera-control chapter's word, L12127–12135.
        Cancelled => "cancelled", "Отменено";
        /// Camera control, direction 3 (spec 000-D §3.1, L12518).
        PpdRevision => "ppd_revision", "Пересмотр ППД";
        /// Camera control, direction 4 (spec 000-D §3.1, L10380, L12779).
        ResultsRevision => "results_revision", "Пересмотр итогов";
        /// Camera control, direction 4 (spec 000-D §3.1, L12614–12616).
        DecidingNoticeExecution => "deciding_notice_execution", "Принятие решения по исполнению уведомления";
        /// The copy with the next index made when the documentation changes, until it is
        /// published (spec 000-D §3.1, L12039–12041; docs/decisions/0311).
        DraftDocumentationChange => "draft_documentation_change", "Проект. Изменение документации";
        /// Camera control, direction 3: the secretary continued without a ППД revision and no
        /// application was supplemented (spec 000-D §3.1, S21a; seed L12560–12574).
        FillingConditionalDiscounts => "filling_conditional_discounts", "Заполнение условных скидок";
        /// Auction: the admission protocol is published, bidding has not begun (spec 000-B §3.1,
        /// L5562–5564).
        PublishedAwaitingAuction => "published_awaiting_auction", "Опубликовано (ожидание проведения аукциона)";
        /// Auction: bidding is open (spec 000-B §3.1, L5572–5574).
        PublishedAuctionInProgress => "published_auction_in_progress", "Опубликовано (проведение аукциона)";
        /// Qualification selection: the voting completed with a supplier admitted, the
        /// secretary confirms their qualification data (spec 000-C §3.1, L10300–10304).
        FillingQualificationInfo => "filling_qualification_info", "Заполнение сведений о квалификации";
        /// Qualification selection: the protocol is formed, signed and published (spec 000-C
        /// §3.1, L10268–10272).
        FormingQualificationProtocol => "forming_qualification_protocol", "Формирование протокола квалификационного отбора";
    }
}

impl AnnouncementStatus {
    /// Not yet published: an original draft or the documentation-change copy. Only the
    /// organizer's organisation sees it, and it is edited like a draft.
    pub fn is_draft(self) -> bool {
        matches!(self, Self::Draft | Self::DraftDocumentationChange)
    }
}

portal_terms! {
    /// Lot statuses, spec 000-A §3.2. Where the spec names none the lot mirrors the announcement.
    LotStatus {
        Published => "published", "Опубликован";
        Cancelled => "cancelled", "Отменен";
        /// Not named in §3.2: the lot mirrors its announcement (docs/decisions/0640).
        Draft => "draft", "Проект";
        /// Not named in §3.2: the lot mirrors its announcement, L448, L622, L3159
        /// (docs/decisions/0640); its outcome says whether it took place.
        Completed => "completed", "Завершено";
        /// A paper or non-GZ draft's lot (spec 000-C §3.2, L8864–8866, L9375–9377).
        LotDraft => "lot_draft", "Проект лота";
        FormingPreliminaryAdmissionProtocol => "forming_preliminary_admission_protocol", "Формирование протокола преддопуска";
        PublishedSupplementingApplications => "published_supplementing_applications", "Опубликовано (дополнение заявок)";
        DecidingPpdRevision => "deciding_ppd_revision", "Принятие решения по пересмотру ППД";
        FormingResultsProtocol => "forming_results_protocol", "Формирование протокола итогов";
        Suspended => "suspended", "Приостановлен";
        /// Camera control (spec 000-D §3.2): the lots follow the announcement.
        PpdRevision => "ppd_revision", "Пересмотр ППД";
        ResultsRevision => "results_revision", "Пересмотр итогов";
        /// Only the lots with a direction-4 notice (L12614–12616).
        DecidingNoticeExecution => "deciding_notice_execution", "Принятие решения по исполнению уведомления";
        /// The documentation change (spec 000-D §3.2, L12039–12045): the original's lots and the
        /// copy's, until the copy is published.
        DocumentationChanged => "documentation_changed", "Изменена документация";
        DraftDocumentationChange => "draft_documentation_change", "Проект. Изменение документации";
        /// Spec 000-D §3.2, seed L12570: the lots follow the announcement.
        FillingConditionalDiscounts => "filling_conditional_discounts", "Заполнение условных скидок";
        /// Qualification selection: the lots mirror the announcement (docs/decisions/0640).
        FillingQualificationInfo => "filling_qualification_info", "Заполнение сведений о квалификации";
        FormingQualificationProtocol => "forming_qualification_protocol", "Формирование протокола квалификационного отбора";
    }
}

portal_terms! {
    /// Supplier application statuses, spec 000-A §3.3.
    ApplicationStatus {
        ReviewingSupplement => "reviewing_supplement", "Рассмотрение заявки (Дополнение)";
        FormingPreliminaryAdmissionProtocol => "forming_preliminary_admission_protocol", "Формирование протокола преддопуска";
        FormingResultsProtocol => "forming_results_protocol", "Формирование протокола итогов";
        /// With the announcement, when every lot is cancelled (spec 000-D §2.4, S15;
        /// L12131–12135, L12385, L12682; docs/decisions/0608).
        Cancelled => "cancelled", "Отменено";
        // Where §3.3 names no status the application mirrors its announcement, as a lot does
        // (§3.2's best reading; docs/decisions/0640).
        Published => "published", "Опубликовано";
        PublishedAcceptingPriceOffers => "published_accepting_price_offers", "Опубликовано (прием ценовых предложений)";
        PublishedAcceptingApplications => "published_accepting_applications", "Опубликовано (прием заявок)";
        DocumentationChanged => "documentation_changed", "Изменена документация";
        ReviewingApplications => "reviewing_applications", "Рассмотрение заявок";
        PublishedSupplementingApplications => "published_supplementing_applications", "Опубликовано (дополнение заявок)";
        DecidingPpdRevision => "deciding_ppd_revision", "Принятие решения по пересмотру ППД";
        ReviewingSupplements => "reviewing_supplements", "Рассмотрение дополнений заявок";
        Completed => "completed", "Завершено";
        Suspended => "suspended", "Приостановлен";
        PpdRevision => "ppd_revision", "Пересмотр ППД";
        ResultsRevision => "results_revision", "Пересмотр итогов";
        DecidingNoticeExecution => "deciding_notice_execution", "Принятие решения по исполнению уведомления";
        FillingConditionalDiscounts => "filling_conditional_discounts", "Заполнение условных скидок";
        PublishedAwaitingAuction => "published_awaiting_auction", "Опубликовано (ожидание проведения аукциона)";
        PublishedAuctionInProgress => "published_auction_in_progress", "Опубликовано (проведение аукциона)";
        /// Qualification selection: mirrors the announcement.
        FillingQualificationInfo => "filling_qualification_info", "Заполнение сведений о квалификации";
        /// Qualification selection: the applications with the announcement (spec 000-C §3.3,
        /// L10268–10272).
        FormingQualificationProtocol => "forming_qualification_protocol", "Формирование протокола квалификационного отбора";
    }
}

portal_terms! {
    /// Admission decision of a member and the final one per application × lot, spec 000-A §3.4.
    AdmissionDecision {
        Admitted => "admitted", "Допущен";
        Rejected => "rejected", "Отклонен";
        RejectedNoResubmission => "rejected_no_resubmission", "Отклонен без права переподачи";
        NotVoted => "not_voted", "Не голосовал";
    }
}

portal_terms! {
    /// «Статус лота в заявке» once the results are published (spec 000-B §3.3, L6390–6392).
    LotInApplication {
        Winner => "winner", "Победитель";
        SecondWinner => "second_winner", "Второй победитель";
        Admitted => "admitted", "Допущен";
        Rejected => "rejected", "Отклонен";
    }
}

portal_terms! {
    /// Voting control per lot, spec 000-A §3.5.
    VotingControlStatus {
        QuorumReached => "quorum_reached", "Кворум достигнут";
        NoQuorum => "no_quorum", "Нет кворума";
    }
}

portal_terms! {
    /// Conditional-discounts section, spec 000-A §3.6.
    DiscountsStatus {
        FillingRequired => "filling_required", "Требуется заполнение";
        Filled => "filled", "Заполнено";
    }
}

portal_terms! {
    /// Protocol validity, spec 000-A §3.7; derived by the fold, never stored in an event.
    ProtocolValidity {
        Valid => "valid", "Действительный";
        Invalid => "invalid", "Не действительный";
    }
}

portal_terms! {
    /// Plan item outcomes, spec 000-A §3.8.
    PlanItemStatus {
        ProcurementHeld => "procurement_held", "Закупка состоялась";
        ProcurementFailed => "procurement_failed", "Закупка не состоялась";
        UnderAppeal => "under_appeal", "На обжаловании";
        /// Its lot was cancelled; the item is back in the pool all the same (spec 000-D §2.3,
        /// §9.4; L12131–12135, L12151–12153, L12159; docs/decisions/0608).
        Cancelled => "cancelled", "Отменено";
    }
}

portal_terms! {
    /// Contract status that blocks cancellation, spec 000-A §3.8 (L598–600, L3341–3343).
    ContractStatus {
        ContractDraft => "contract_draft", "Проект договора";
    }
}

portal_terms! {
    /// Employee status relevant to the change of creator, spec 000-A §3.8 (L622–624).
    UserStatus {
        Blocked => "blocked", "Заблокирован";
    }
}
