//! The competition's refusals: a stable snake_case code with Kazakh, Russian and English messages
//! (seed 003 is Kazakh; spec 002-003 §4.B.2 proposes the codes, written here in snake_case,
//! docs/decisions/0918). Codes are an API contract: never rename one.

use crate::error::DomainError;

macro_rules! ppp_refusals {
    ($($name:ident => $kk:literal, $ru:literal, $en:literal;)+) => {
        $(
            pub fn $name() -> DomainError {
                DomainError::new(stringify!($name), $ru, $en).with_kk($kk)
            }
        )+

        /// Every fixed refusal code of the competition.
        pub const CODES: &[&str] = &[$(stringify!($name)),+];
    };
}

ppp_refusals! {
    not_organizer =>
        "Әрекет тек конкурсты ұйымдастырушыға қолжетімді",
        "Действие доступно только организатору конкурса",
        "only the competition's organizer may do this";
    competition_not_found =>
        "Конкурс табылмады",
        "Конкурс не найден",
        "no such competition";
    competition_exists =>
        "Конкурс бұрын құрылған",
        "Конкурс уже создан",
        "the competition already exists";
    draft_only =>
        "Әрекет тек «Жоба» мәртебесіндегі конкурсқа қолжетімді",
        "Действие доступно только для конкурса в статусе «Жоба»",
        "only a competition in «Жоба» (draft) may be edited or deleted";
    regulation_file_required =>
        "Міндетті құжатты (регламент файлын) қосыңыз",
        "Приложите обязательный документ (файл регламента)",
        "every regulation needs its mandatory file";
    discussion_interval_too_short =>
        "Талқылау мерзімі әдіс үшін белгіленген ең аз мерзімнен қысқа",
        "Период обсуждения короче минимального для выбранного метода",
        "the discussion is shorter than the method's minimum";
    publish_check_failed =>
        "Конкурс деректері толық емес: жариялау мүмкін емес",
        "Данные конкурса не заполнены: публикация невозможна",
        "the competition's data are incomplete: it cannot be published";
    discussion_not_started =>
        "Талқылау әлі басталған жоқ",
        "Обсуждение ещё не началось",
        "the discussion has not started";
    discussion_ended =>
        "Талқылау аяқталды: хабарлама жіберу мүмкін емес",
        "Обсуждение завершено: отправка сообщений недоступна",
        "the discussion has ended: no more messages";
    message_immutable =>
        "Жүйе жіберілген хабарламаны өңдеуге және жоюға мүмкіндік бермейді",
        "Система не позволяет редактировать и удалять отправленные сообщения",
        "sent messages cannot be edited or deleted";
    chat_warning_not_acknowledged =>
        "Назар аударыңыз! Хабарлама жібермес бұрын, енгізілген мәтінді екі рет тексеруді сұраймыз, өйткені сәтті жіберілгеннен кейін Жүйе жіберілген хабарламаны өңдеуге және жоюға мүмкіндік бермейді",
        "Внимание! Перед отправкой проверьте текст дважды: после успешной отправки Система не позволяет редактировать и удалять сообщение",
        "the warning of spec §9.7 must be acknowledged before sending";
    positive_before_discussion_end =>
        "Оң қорытынды талқылау аяқталғаннан кейін ғана қолжетімді",
        "Положительное заключение доступно только после окончания обсуждения",
        "a positive conclusion is possible only from the discussion's end";
    conclusion_after_positive =>
        "Оң қорытындыдан немесе конкурс аяқталғаннан кейін қорытынды бастау мүмкін емес",
        "После положительного заключения или завершения конкурса заключение невозможно",
        "no conclusion after a positive one or after completion";
    conclusion_not_allowed =>
        "Қорытынды тек «Жарияланды (Талқылау)» мәртебесінде қолжетімді",
        "Заключение доступно только в статусе «Жарияланды (Талқылау)»",
        "a conclusion is possible only in «Жарияланды (Талқылау)»";
    justification_and_attachment_required =>
        "Негіздемені толтырып, қосымшаны тіркеңіз",
        "Заполните обоснование и приложите файл",
        "a justification and an attachment are required";
    complete_not_allowed =>
        "Конкурсты аяқтау бұл мәртебеде мүмкін емес",
        "Завершение конкурса в этом статусе невозможно",
        "the competition cannot be completed in this status";
    contract_agreement_not_allowed =>
        "Шарт жобасын келісу тек «УО шартының жобасын келісу» мәртебесінде бір рет қолжетімді",
        "Согласование проекта договора доступно один раз в статусе «УО шартының жобасын келісу»",
        "the draft contract is agreed once, in «УО шартының жобасын келісу»";
    not_state_partner_head =>
        "Мемлекеттік әріптес өкілі мемлекеттік серіктес ұйымының «Басшы» рөліндегі қызметкері болуы тиіс",
        "Представитель государственного партнёра должен быть сотрудником его организации с ролью «Басшы»",
        "the state partner's representative must be its employee with the role «Басшы»";
    initiator_not_found =>
        "Бастамашы табылмады",
        "Инициатор не найден",
        "no such initiator";
    regulation_not_found =>
        "Регламент табылмады",
        "Регламент не найден",
        "no such regulation";
    discussion_not_due =>
        "Талқылаудың басталу уақыты әлі келген жоқ",
        "Время начала обсуждения ещё не наступило",
        "the discussion's start has not come, or it has started already";
    not_portal =>
        "Әрекетті тек Жүйе орындайды",
        "Действие выполняет только Система",
        "only the portal itself sends this timed transition";
}

/// A kernel refusal (a missing or too long field, a bad БИН) with its Kazakh message, so that every
/// refusal of the competition reads in both of the portal's languages.
pub fn in_kazakh(e: DomainError) -> DomainError {
    if e.message_kk.is_some() {
        return e;
    }
    let kk = match e.code {
        "missing_field" => "Міндетті өрісті толтырыңыз (*)".to_owned(),
        "text_too_long" => "Өріс рұқсат етілген таңбалар санынан ұзын".to_owned(),
        "forbidden_characters" => "Өрісте басқару таңбалары бар".to_owned(),
        "invalid_bin" | "invalid_iin" | "invalid_iin_bin" => "ЖСН/БСН дұрыс емес".to_owned(),
        "forbidden_role" => "Әрекет сіздің рөліңізге қолжетімді емес".to_owned(),
        "unread_notice_block" => "Оқылмаған хабарлама бар: «Танысым» батырмасын басыңыз".to_owned(),
        _ => format!("Әрекет орындалмады ({})", e.code),
    };
    e.with_kk(kk)
}
