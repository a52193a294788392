//! The legal regime an announcement is judged by (issue 20 item 3, docs/decisions/0891): the
//! rule set in force when it was drafted, pinned in its stream (`LegalRegimePinned`), its
//! periods looked up as data (`data/regimes.json`), never as constants. A replay years later
//! reads the announcement's own rule set; a stream recorded before regimes were pinned reads
//! the default (order No. 692 of 2015).

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const EMBEDDED: &str = include_str!("../../data/regimes.json");

/// What an announcement records of its rule set: enough to name it and its validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RegimeRef {
    pub id: String,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

/// The periods a rule set fixes. `None`: the rule set has no such rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Periods {
    /// The discussion of the draft tender documentation (spec 000-A, L1878).
    pub open_tender_discussion_working_days: u32,
    /// The least acceptance period of an open tender, in calendar days.
    pub open_tender_min_acceptance_days: i64,
    pub complaint_working_days: u32,
    pub supplement_working_days: u32,
    /// T9: the main-page notice of a medium failure (692: 30 min, 004 L577; proposed: 1 h,
    /// 004 L600).
    pub medium_failure_main_page_notice_minutes: i64,
    /// T13/T14: the least extension of contract signing, complaints, notices and objections
    /// caught by a failure (absent from 692; proposed: 1 calendar day, 004 L607–608, L725–726).
    pub failure_extension_min_calendar_days: Option<i64>,
    /// T27–T29, R26–R28: the restorative extensions (proposed only, 004 L843–858).
    pub restorative_extension_calendar_days: Option<i64>,
    /// T41: the operator's answer on an appealed incident (692: 2 working days, 004 L828;
    /// proposed: "within the established reaction times", no number, L829).
    pub operator_answer_working_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuleSet {
    pub id: String,
    pub title: String,
    /// `None`: not in force (a draft order); never pinned.
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub periods: Periods,
}

impl RuleSet {
    fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from.is_some_and(|from| from <= day)
            && self.effective_to.is_none_or(|to| day <= to)
    }
}

/// Every rule set known, and the one a stream with no pinned regime reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuleBook {
    default: String,
    rule_sets: Vec<RuleSet>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBookError(pub String);

impl std::fmt::Display for RuleBookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rule book: {}", self.0)
    }
}

impl std::error::Error for RuleBookError {}

impl RuleBook {
    /// The shipped rule book (`data/regimes.json`), parsed once.
    pub fn embedded() -> Arc<RuleBook> {
        static BOOK: OnceLock<Arc<RuleBook>> = OnceLock::new();
        BOOK.get_or_init(|| {
            Arc::new(RuleBook::from_json(EMBEDDED).expect("the shipped rule book is valid"))
        })
        .clone()
    }

    /// A rule book in the format of `data/regimes.json`: ids unique, the default among them
    /// and in force, and no two rule sets in force on the same day.
    pub fn from_json(json: &str) -> Result<RuleBook, RuleBookError> {
        let book: RuleBook =
            serde_json::from_str(json).map_err(|e| RuleBookError(e.to_string()))?;
        let mut dated: Vec<&RuleSet> = book
            .rule_sets
            .iter()
            .filter(|s| s.effective_from.is_some())
            .collect();
        dated.sort_by_key(|s| s.effective_from);
        for pair in dated.windows(2) {
            if pair[0]
                .effective_to
                .is_none_or(|to| to >= pair[1].effective_from.unwrap_or(to))
            {
                return Err(RuleBookError(format!(
                    "{} and {} are in force on the same day",
                    pair[0].id, pair[1].id
                )));
            }
        }
        let ids: std::collections::BTreeSet<&str> =
            book.rule_sets.iter().map(|s| s.id.as_str()).collect();
        if ids.len() != book.rule_sets.len() {
            return Err(RuleBookError("two rule sets share an id".into()));
        }
        if book
            .get(&book.default)
            .and_then(|s| s.effective_from)
            .is_none()
        {
            return Err(RuleBookError(format!(
                "the default {} is not in force",
                book.default
            )));
        }
        Ok(book)
    }

    pub fn get(&self, id: &str) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|s| s.id == id)
    }

    /// The rule set of a stream that pinned none (recorded before regimes were pinned).
    pub fn default_set(&self) -> &RuleSet {
        self.get(&self.default)
            .expect("from_json checked that the default exists")
    }

    /// The rule set in force on `day` (the Astana date of drafting); the default before any.
    pub fn in_force(&self, day: NaiveDate) -> &RuleSet {
        self.rule_sets
            .iter()
            .find(|s| s.in_force_on(day))
            .unwrap_or_else(|| self.default_set())
    }

    /// The rule set an announcement pinned; the default for none, or for an id this book no
    /// longer knows (the pinned dates stay in the stream).
    pub fn of(&self, pinned: Option<&RegimeRef>) -> &RuleSet {
        pinned
            .and_then(|r| self.get(&r.id))
            .unwrap_or_else(|| self.default_set())
    }
}

impl RuleBook {
    /// What an announcement drafted on `day` pins: the rule set in force then.
    pub fn pin(&self, day: NaiveDate) -> RegimeRef {
        let set = self.in_force(day);
        RegimeRef {
            id: set.id.clone(),
            // `in_force` answers a dated set: a dated one, or the default, checked dated.
            effective_from: set.effective_from.unwrap_or(day),
            effective_to: set.effective_to,
        }
    }

    /// What a stream with no pinned regime reads, as a reference.
    pub fn default_ref(&self) -> RegimeRef {
        let set = self.default_set();
        RegimeRef {
            id: set.id.clone(),
            effective_from: set.effective_from.unwrap_or(NaiveDate::MIN),
            effective_to: set.effective_to,
        }
    }
}
