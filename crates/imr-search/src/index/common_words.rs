//! Choosing a new generation's common words (see [`CommonWords`]) from the corpus's
//! own term statistics: the rationales of a sample of its letters, spread over the
//! whole file list, tokenized as the index tokenizes them; a stem that at least a
//! twentieth of the sampled items say is common.

use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::schema::en_stem_analyzer;
use crate::model::Letter;

/// Letters sampled.
const SAMPLE_LETTERS: usize = 2_000;
/// The share of sampled items a stem must be in to be common.
const COMMON_SHARE: f64 = 0.05;
/// Most common words kept, the most frequent first.
const MOST_COMMON: usize = 500;

/// The common stems of the rationales of the letters `read` makes of a sample of
/// `files`, most frequent first.
pub(crate) fn choose(
    files: &[PathBuf],
    read: impl Fn(&PathBuf) -> Option<Letter> + Sync,
) -> Vec<String> {
    let step = files.len().div_ceil(SAMPLE_LETTERS).max(1);
    let sample: Vec<&PathBuf> = files.iter().step_by(step).collect();
    let (items, frequencies) = sample
        .par_iter()
        .filter_map(|path| read(path))
        .map(|letter| item_stems(&letter))
        .reduce(
            || (0usize, FxHashMap::default()),
            |(items_a, mut counts_a), (items_b, counts_b)| {
                for (stem, count) in counts_b {
                    *counts_a.entry(stem).or_insert(0) += count;
                }
                (items_a + items_b, counts_a)
            },
        );
    let least = ((items as f64) * COMMON_SHARE).ceil().max(1.0) as usize;
    let mut common: Vec<(String, usize)> = frequencies
        .into_iter()
        .filter(|(_, count)| *count >= least)
        .collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    common.truncate(MOST_COMMON);
    common.into_iter().map(|(stem, _)| stem).collect()
}

/// How many items a letter has, and in how many of their rationales each stem is.
fn item_stems(letter: &Letter) -> (usize, FxHashMap<String, usize>) {
    let mut analyzer = en_stem_analyzer();
    let mut counts = FxHashMap::default();
    for item in &letter.items {
        let mut seen = FxHashSet::default();
        let mut stream = analyzer.token_stream(&item.rationale);
        while let Some(token) = stream.next() {
            if seen.insert(token.text.clone()) {
                *counts.entry(token.text.clone()).or_insert(0) += 1;
            }
        }
    }
    (letter.items.len(), counts)
}
