//! Parsed query documents, kept by their text. A portal sends the same few query texts over and
//! over with different variables; parsing one (async-graphql's pest grammar) cost about a fifth
//! of a `castVote` request's CPU in the server (callgrind, docs/benchmarks.md, workload 2).
//! Validation still runs on every request: it depends on the schema and the variables.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;

/// Distinct query texts kept; past it the cache starts over, so a client sending ever new texts
/// costs memory only up to this bound.
const KEPT: usize = 512;
/// Longer texts are parsed every time: they are rare, and would make the bound a large one.
const LONGEST: usize = 16 * 1024;

#[derive(Clone, Default)]
pub struct Documents {
    parsed: Arc<Mutex<HashMap<String, ExecutableDocument>>>,
}

impl Documents {
    /// Gives `request` its parsed document: the one kept for its text, or a new parse, kept. A
    /// text that does not parse is left for the schema to refuse with its usual error.
    pub fn prepare(&self, request: &mut Request) {
        if request.query.len() > LONGEST {
            return;
        }
        let kept = self.lock().get(&request.query).cloned();
        match kept {
            Some(document) => request.set_parsed_query(document),
            None => {
                if let Ok(document) = request.parsed_query() {
                    let document = document.clone();
                    let mut parsed = self.lock();
                    if parsed.len() >= KEPT {
                        parsed.clear();
                    }
                    parsed.insert(request.query.clone(), document);
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ExecutableDocument>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.parsed.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_document_is_the_one_a_fresh_parse_gives() {
        let documents = Documents::default();
        let text = "query($id: UUID!) { announcement(id: $id) { number } }";
        let mut first = Request::new(text);
        documents.prepare(&mut first);
        let mut second = Request::new(text);
        documents.prepare(&mut second);
        let fresh = async_graphql::parser::parse_query(text).unwrap();
        assert_eq!(
            format!("{:?}", second.parsed_query().unwrap()),
            format!("{fresh:?}")
        );
        assert_eq!(documents.lock().len(), 1);
    }

    #[test]
    fn a_text_that_does_not_parse_is_not_kept_and_still_fails() {
        let documents = Documents::default();
        let mut request = Request::new("{ announcement(");
        documents.prepare(&mut request);
        assert!(documents.lock().is_empty());
        assert!(request.parsed_query().is_err());
    }

    #[test]
    fn the_cache_starts_over_at_its_bound() {
        let documents = Documents::default();
        for n in 0..=KEPT {
            documents.prepare(&mut Request::new(format!("{{ a{n}: __typename }}")));
        }
        assert_eq!(documents.lock().len(), 1);
    }
}
