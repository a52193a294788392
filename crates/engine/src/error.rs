use zakup_domain::error::DomainError;
use zakup_store::StoreError;

/// Why a command did not go through. Every variant has a stable `code` for API clients.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The rules refuse it: the domain's own code and messages.
    Refused(DomainError),
    /// Other writers kept changing the stream; the command was re-decided and still lost the
    /// race every time.
    Contended {
        stream: String,
        attempts: u32,
    },
    /// A stored event cannot be read back (unknown type or version): the history is intact, the
    /// code that reads it is too old or broken.
    Unreadable {
        stream: String,
        version: u64,
        why: String,
    },
    Store(StoreError),
}

impl EngineError {
    pub fn code(&self) -> &str {
        match self {
            EngineError::Refused(e) => e.code,
            EngineError::Contended { .. } => "concurrency_conflict",
            EngineError::Unreadable { .. } => "unreadable_history",
            EngineError::Store(StoreError::InvalidEvent(_)) => "invalid_event",
            EngineError::Store(_) => "event_store_unavailable",
        }
    }

    pub fn message_ru(&self) -> String {
        match self {
            EngineError::Refused(e) => e.message_ru.clone(),
            EngineError::Contended { .. } => {
                "Объявление одновременно изменяется другими пользователями, повторите действие"
                    .into()
            }
            EngineError::Unreadable { .. } => "История объявления не может быть прочитана".into(),
            EngineError::Store(StoreError::InvalidEvent(_)) => {
                "Данные не могут быть сохранены (например, символ NUL в тексте)".into()
            }
            EngineError::Store(_) => "Хранилище событий недоступно".into(),
        }
    }
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Refused(e) => write!(f, "{}: {}", e.code, e.message_en),
            EngineError::Contended { stream, attempts } => {
                write!(
                    f,
                    "{stream} kept changing; gave up after {attempts} attempts"
                )
            }
            EngineError::Unreadable {
                stream,
                version,
                why,
            } => write!(f, "cannot read {stream} version {version}: {why}"),
            EngineError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<StoreError> for EngineError {
    /// A command id recorded on another stream is the client's mistake, not the store's: it is
    /// refused as the same id re-used for another command is (docs/decisions/0930).
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::CommandIdReused(_) => EngineError::Refused(command_id_reused()),
            e => EngineError::Store(e),
        }
    }
}

/// A command id already used for another command, or on another stream (decisions 0632, 0930).
pub fn command_id_reused() -> DomainError {
    DomainError::new(
        "command_id_reused",
        "Идентификатор команды уже использован для другой команды",
        "this command id was already used for another command",
    )
}

impl From<DomainError> for EngineError {
    fn from(e: DomainError) -> Self {
        EngineError::Refused(e)
    }
}
