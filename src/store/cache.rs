//! Read-through caches of hot rows, each entry tagged with the store generation it was read
//! at: any committed write makes every entry stale, so a cached answer is never older than
//! the last write. Read the generation *before* the database (as `get_or_load` does).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

pub struct GenerationCache<K, V> {
    entries: RwLock<HashMap<K, (u64, V)>>,
}

impl<K, V> Default for GenerationCache<K, V> {
    fn default() -> Self {
        GenerationCache {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> GenerationCache<K, V> {
    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let entries = self.entries.read().ok()?;
        let (g, v) = entries.get(key)?;
        (*g == generation).then(|| v.clone())
    }

    pub fn put(&self, key: K, generation: u64, value: V) {
        if let Ok(mut entries) = self.entries.write() {
            // Entries of older generations are dead; drop them rather than grow.
            if entries
                .values()
                .next()
                .is_some_and(|(g, _)| *g != generation)
            {
                entries.retain(|_, (g, _)| *g == generation);
            }
            entries.insert(key, (generation, value));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}
