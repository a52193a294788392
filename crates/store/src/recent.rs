//! What a process remembers of the streams it used lately, keyed by stream and version: the
//! heads the PostgreSQL store chains new events onto, the aggregates the engine folded.
//!
//! A stream's history never changes once committed, so a value known "as of version v" stays
//! true; only newer versions can exist. A reader therefore uses an entry as a starting point and
//! reads what lies after it, and an entry is never wrong, only behind.
//!
//! Bounded with two generations instead of an LRU list: new entries go to the young map; when it
//! is full it becomes the old map and the previous old map is dropped; a hit in the old map moves
//! back to the young one. Streams used within the last `per_generation` insertions survive,
//! every operation is O(1), and at most `2 × per_generation` entries are held.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

pub struct RecentStreams<V> {
    per_generation: usize,
    maps: Mutex<Generations<V>>,
}

struct Generations<V> {
    young: HashMap<String, (u64, V)>,
    old: HashMap<String, (u64, V)>,
}

impl<V: Clone> RecentStreams<V> {
    pub fn new(per_generation: usize) -> Self {
        RecentStreams {
            per_generation: per_generation.max(1),
            maps: Mutex::new(Generations {
                young: HashMap::new(),
                old: HashMap::new(),
            }),
        }
    }

    /// The newest version remembered for `stream`, with its value.
    pub fn get(&self, stream: &str) -> Option<(u64, V)> {
        let mut maps = self.lock();
        if let Some(entry) = maps.young.get(stream) {
            return Some(entry.clone());
        }
        let entry = maps.old.remove(stream)?;
        self.insert_young(&mut maps, stream, entry.clone());
        Some(entry)
    }

    /// Remembers `value` as `stream` at `version`, unless a newer version is already known
    /// (two tasks may finish out of order).
    pub fn put(&self, stream: &str, version: u64, value: V) {
        let mut maps = self.lock();
        let known = maps
            .young
            .get(stream)
            .or_else(|| maps.old.get(stream))
            .map(|(v, _)| *v);
        if known.is_some_and(|v| v > version) {
            return;
        }
        maps.old.remove(stream);
        self.insert_young(&mut maps, stream, (version, value));
    }

    pub fn forget(&self, stream: &str) {
        let mut maps = self.lock();
        maps.young.remove(stream);
        maps.old.remove(stream);
    }

    fn insert_young(&self, maps: &mut Generations<V>, stream: &str, entry: (u64, V)) {
        if maps.young.len() >= self.per_generation && !maps.young.contains_key(stream) {
            maps.old = std::mem::take(&mut maps.young);
        }
        maps.young.insert(stream.to_owned(), entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations<V>> {
        // The maps are consistent after every statement, so a panic elsewhere leaves them usable.
        self.maps.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::RecentStreams;

    #[test]
    fn keeps_the_newest_version() {
        let recent = RecentStreams::new(8);
        recent.put("s-1", 3, "three");
        recent.put("s-1", 2, "two");
        assert_eq!(recent.get("s-1"), Some((3, "three")));
        recent.put("s-1", 4, "four");
        assert_eq!(recent.get("s-1"), Some((4, "four")));
        recent.forget("s-1");
        assert_eq!(recent.get("s-1"), None);
    }

    #[test]
    fn holds_at_most_two_generations_and_keeps_what_is_used() {
        let recent = RecentStreams::new(2);
        recent.put("a", 0, 'a');
        recent.put("b", 0, 'b');
        recent.put("c", 0, 'c'); // a and b become old
        assert_eq!(recent.get("a"), Some((0, 'a'))); // a comes back: young is c, a
        recent.put("d", 0, 'd'); // c and a become old, b is dropped
        assert_eq!(recent.get("b"), None);
        assert_eq!(recent.get("a"), Some((0, 'a')));
        assert_eq!(recent.get("c"), Some((0, 'c')));
        assert_eq!(recent.get("d"), Some((0, 'd')));
    }
}
