//! Whole-word, case-insensitive matching of many phrases at once, two ways.
//!
//! For short texts (treatment names, headings, citations) a table of the phrases:
//! a phrase can only start where a word does, so it looks only there; two bitmaps
//! (8 KB each, which stay in the processor's first cache), of the phrases' first
//! three bytes (hashed) and of the two-byte phrases, turn most words away at once,
//! and the few that pass are compared with the phrases sharing their first two
//! bytes, longest first. It builds in microseconds: the Aho-Corasick automata it
//! replaced there took 4 ms of every `imr` process's start.
//!
//! For whole letters, an Aho-Corasick DFA, which takes milliseconds to build but
//! scans 1.5 times faster than the table (it does not stop at each word start).
//! `tests/term_matcher.rs` holds the two to the same answers.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind, StartKind};

/// A phrase found in a text: which group it belongs to and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    /// Index of the group (region, category, class...) the phrase belongs to.
    pub group: usize,
    /// Byte offset where the term starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
}

/// Finds phrases of several groups in a text, each as a whole word, ignoring ASCII
/// case; where phrases overlap the leftmost, then longest, wins, so "upper back"
/// is not also "back".
#[derive(Debug, Clone)]
pub struct TermMatcher {
    search: Search,
}

#[derive(Debug, Clone)]
enum Search {
    Table(PhraseTable),
    Automaton(Automaton),
}

/// The phrases by their first bytes.
#[derive(Debug, Clone)]
struct PhraseTable {
    /// The phrases, ASCII-lowercased, ordered by their first two bytes and, among
    /// those, longest first (the first listed first among equals).
    phrases: Vec<Phrase>,
    /// The first two bytes of each run of `phrases` sharing them, and where the run
    /// starts; sorted, for a binary search.
    runs: Vec<(u16, usize)>,
    /// One bit per hash of the first three bytes of a phrase of three or more.
    leading_triples: Box<Bits>,
    /// One bit per phrase of two bytes.
    pairs: Box<Bits>,
    /// For each byte, the phrase of that one byte, if any.
    single: Box<[Option<usize>; 256]>,
    /// For each byte, whether a phrase starts with it (in either case).
    starts: Box<[bool; 256]>,
}

#[derive(Debug, Clone)]
struct Phrase {
    text: Box<[u8]>,
    group: usize,
    digit_start: bool,
    digit_end: bool,
}

impl TermMatcher {
    /// Builds a matcher over `groups`, each a list of phrases, for short texts:
    /// quick to build. Phrases are trimmed; empty ones are ignored. A phrase listed
    /// in two groups belongs to the first.
    pub fn new<S: AsRef<str>>(groups: &[Vec<S>]) -> TermMatcher {
        TermMatcher {
            search: Search::Table(PhraseTable::new(groups)),
        }
    }

    /// Builds a matcher over `groups` for scanning whole letters: a DFA, which
    /// takes longer to build and more memory but scans faster.
    pub fn for_long_texts<S: AsRef<str>>(
        groups: &[Vec<S>],
    ) -> Result<TermMatcher, aho_corasick::BuildError> {
        Ok(TermMatcher {
            search: Search::Automaton(Automaton::new(groups)?),
        })
    }

    /// All non-overlapping whole-word matches in `text`, left to right. A phrase
    /// found inside a longer word ("medical transport" in "medical transportation")
    /// does not hide a whole word that starts after it; nor does a shorter phrase
    /// count where the longest one starting there does not stand alone ("nerve
    /// conduction" is not found in "nerve conduction studiesX" when "nerve
    /// conduction studies" is a phrase too).
    pub fn find_all(&self, text: &str) -> Vec<TermMatch> {
        match &self.search {
            Search::Table(table) => table.find_all(text),
            Search::Automaton(automaton) => automaton.find_all(text),
        }
    }

    /// The longest phrase that starts `text` as a whole word, if any. Looks no
    /// further than that phrase, however long the text.
    pub fn find_at_start(&self, text: &str) -> Option<TermMatch> {
        match &self.search {
            Search::Table(table) => table.find_at_start(text),
            Search::Automaton(automaton) => automaton.find_at_start(text),
        }
    }

    /// The distinct groups matched in `text`, in order of first appearance.
    pub fn groups_in(&self, text: &str) -> Vec<usize> {
        let mut groups = Vec::new();
        for m in self.find_all(text) {
            if !groups.contains(&m.group) {
                groups.push(m.group);
            }
        }
        groups
    }
}

impl PhraseTable {
    fn new<S: AsRef<str>>(groups: &[Vec<S>]) -> PhraseTable {
        let mut phrases = phrases_of(groups);
        // Stable: of two identical phrases, the first listed stays first.
        phrases.sort_by(|a, b| {
            lead(&a.text)
                .cmp(&lead(&b.text))
                .then(b.text.len().cmp(&a.text.len()))
        });
        let mut runs: Vec<(u16, usize)> = Vec::new();
        let mut leading_triples = Box::new([0u64; 1024]);
        let mut pairs = Box::new([0u64; 1024]);
        let mut single = Box::new([None; 256]);
        let mut starts = Box::new([false; 256]);
        for (index, phrase) in phrases.iter().enumerate() {
            starts[usize::from(phrase.text[0])] = true;
            starts[usize::from(phrase.text[0].to_ascii_uppercase())] = true;
            match phrase.text[..] {
                [only] => {
                    single[usize::from(only)].get_or_insert(index);
                }
                [first, second, ..] => {
                    let key = pair(first, second);
                    match phrase.text.get(2) {
                        Some(&third) => set_bit(&mut leading_triples, triple(key, third)),
                        None => set_bit(&mut pairs, key),
                    }
                    if runs.last().is_none_or(|&(last, _)| last != key) {
                        runs.push((key, index));
                    }
                }
                [] => unreachable!("phrases_of drops empty phrases"),
            }
        }
        PhraseTable {
            phrases,
            runs,
            leading_triples,
            pairs,
            single,
            starts,
        }
    }

    fn find_all(&self, text: &str) -> Vec<TermMatch> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        // Whether the byte before `at` continues a word, so nothing starts at `at`.
        let mut in_word = false;
        while let Some(&byte) = bytes.get(at) {
            if !in_word && self.starts[usize::from(byte)] && self.may_start_phrase(bytes, at) {
                if let Some(found_here) = self.whole_word_at(bytes, at) {
                    found.push(found_here);
                    at = found_here.end;
                    in_word = continues_word(bytes[at - 1]);
                    continue;
                }
            }
            in_word = continues_word(byte);
            at += 1;
        }
        found
    }

    fn find_at_start(&self, text: &str) -> Option<TermMatch> {
        (!text.is_empty())
            .then(|| self.whole_word_at(text.as_bytes(), 0))
            .flatten()
    }

    /// The longest phrase starting at `at` (within `bytes`), as a term match, if it
    /// stands there as a whole word. A shorter phrase there does not count when the
    /// longest does not stand alone: "nerve conduction" is not found in "nerve
    /// conduction studiesX" when "nerve conduction studies" is a phrase too.
    fn whole_word_at(&self, bytes: &[u8], at: usize) -> Option<TermMatch> {
        let first = bytes[at].to_ascii_lowercase();
        let second = bytes.get(at + 1).map_or(0, u8::to_ascii_lowercase);
        let index = self.longest_at(bytes, at, pair(first, second))?;
        let phrase = &self.phrases[index];
        let end = at + phrase.text.len();
        (is_boundary(bytes, at.checked_sub(1), phrase.digit_start)
            && is_boundary(bytes, Some(end), phrase.digit_end))
        .then_some(TermMatch {
            group: phrase.group,
            start: at,
            end,
        })
    }

    /// Whether some phrase may start at `at`, by its first bytes: a quick test
    /// that most words fail.
    #[inline]
    fn may_start_phrase(&self, bytes: &[u8], at: usize) -> bool {
        let lower = |i: usize| bytes.get(i).map_or(0, u8::to_ascii_lowercase);
        let key = pair(lower(at), lower(at + 1));
        has_bit(&self.leading_triples, triple(key, lower(at + 2)))
            || has_bit(&self.pairs, key)
            || self.single[usize::from(lower(at))].is_some()
    }

    /// The index of the longest phrase that `bytes` holds at `at`, ignoring ASCII
    /// case, given the pair of bytes there.
    fn longest_at(&self, bytes: &[u8], at: usize, key: u16) -> Option<usize> {
        let rest = &bytes[at..];
        if let Ok(run) = self.runs.binary_search_by_key(&key, |&(k, _)| k) {
            let start = self.runs[run].1;
            let end = self.runs.get(run + 1).map_or(self.phrases.len(), |r| r.1);
            let longest = (start..end).find(|&i| {
                let text = &self.phrases[i].text;
                rest.len() >= text.len() && rest[..text.len()].eq_ignore_ascii_case(text)
            });
            if longest.is_some() {
                return longest;
            }
        }
        self.single[usize::from(rest[0].to_ascii_lowercase())]
    }
}

/// The phrases of `groups`, in their order: trimmed, ASCII-lowercased, empty
/// ones left out, each with its group and whether a digit starts or ends it.
fn phrases_of<S: AsRef<str>>(groups: &[Vec<S>]) -> Vec<Phrase> {
    groups
        .iter()
        .enumerate()
        .flat_map(|(group, terms)| terms.iter().map(move |term| (group, term.as_ref())))
        .filter_map(|(group, term)| {
            let text = term.trim().to_ascii_lowercase().into_bytes();
            let (first, last) = (*text.first()?, *text.last()?);
            Some(Phrase {
                digit_start: first.is_ascii_digit(),
                digit_end: last.is_ascii_digit(),
                text: text.into_boxed_slice(),
                group,
            })
        })
        .collect()
}

/// The first two bytes of a phrase of at least two.
fn lead(text: &[u8]) -> u16 {
    match text {
        [first, second, ..] => pair(*first, *second),
        [only] => pair(*only, 0),
        [] => 0,
    }
}

fn pair(first: u8, second: u8) -> u16 {
    u16::from(first) << 8 | u16::from(second)
}

/// A 16-bit hash of a phrase's first three bytes: its pair of leading bytes and
/// the third.
fn triple(pair: u16, third: u8) -> u16 {
    let key = u32::from(pair) << 8 | u32::from(third);
    (key.wrapping_mul(0x9E37_79B1) >> 16) as u16
}

/// 65,536 bits.
type Bits = [u64; 1024];

fn set_bit(bits: &mut Bits, key: u16) {
    bits[usize::from(key >> 6)] |= 1 << (key & 63);
}

fn has_bit(bits: &Bits, key: u16) -> bool {
    bits[usize::from(key >> 6)] & (1 << (key & 63)) != 0
}

/// Whether `byte` continues a word, so that no phrase starts after it: a letter,
/// or part of a non-ASCII character. (A digit before a phrase is checked against
/// the phrase: see [`is_boundary`].)
fn continues_word(byte: u8) -> bool {
    byte >= 0x80 || byte.is_ascii_alphabetic()
}

/// Phrases compiled into an Aho-Corasick DFA, searched in an ASCII-lowercased copy
/// of the text.
#[derive(Debug, Clone)]
struct Automaton {
    automaton: AhoCorasick,
    group_of_pattern: Vec<usize>,
    edges: Vec<(bool, bool)>,
    /// Length in bytes of the longest phrase.
    longest: usize,
}

impl Automaton {
    fn new<S: AsRef<str>>(groups: &[Vec<S>]) -> Result<Automaton, aho_corasick::BuildError> {
        let phrases = phrases_of(groups);
        let patterns: Vec<&[u8]> = phrases.iter().map(|p| &p.text[..]).collect();
        // Patterns and texts are lowercased rather than matched ignoring case: the
        // automaton then has half the transitions and builds twice as fast, and
        // ASCII lowercasing keeps every byte offset.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(StartKind::Unanchored)
            .build(&patterns)?;
        Ok(Automaton {
            automaton,
            group_of_pattern: phrases.iter().map(|p| p.group).collect(),
            edges: phrases
                .iter()
                .map(|p| (p.digit_start, p.digit_end))
                .collect(),
            longest: patterns.iter().map(|p| p.len()).max().unwrap_or(0),
        })
    }

    fn find_all(&self, text: &str) -> Vec<TermMatch> {
        let lowered = ascii_lowercase(text);
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut from = 0;
        while from < bytes.len() {
            let input = Input::new(lowered.as_ref()).span(from..bytes.len());
            let Some(m) = self.automaton.find(input) else {
                break;
            };
            match self.whole_word(bytes, m) {
                Some(found_here) => {
                    found.push(found_here);
                    from = m.end();
                }
                None => from = m.start() + 1,
            }
        }
        found
    }

    fn find_at_start(&self, text: &str) -> Option<TermMatch> {
        let mut end = text.len().min(self.longest);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let lowered = ascii_lowercase(&text[..end]);
        // Leftmost-longest: when a phrase starts the text, the first match is the
        // longest one there, as an anchored search would find it. Automata built
        // for unanchored searches only are smaller and quicker to build (a tenth
        // fewer instructions for the vocabularies' matchers).
        let m = self
            .automaton
            .find(lowered.as_ref())
            .filter(|m| m.start() == 0)?;
        // Lowercasing keeps offsets, and the word's end is checked in the whole text.
        self.whole_word(text.as_bytes(), m)
    }

    /// `m` as a term match, if it stands as a whole word in `bytes`.
    fn whole_word(&self, bytes: &[u8], m: aho_corasick::Match) -> Option<TermMatch> {
        let (digit_start, digit_end) = self.edges[m.pattern().as_usize()];
        (is_boundary(bytes, m.start().checked_sub(1), digit_start)
            && is_boundary(bytes, Some(m.end()), digit_end))
        .then(|| TermMatch {
            group: self.group_of_pattern[m.pattern().as_usize()],
            start: m.start(),
            end: m.end(),
        })
    }
}

/// `text` with ASCII letters lowercased, borrowed when it has no capitals.
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether the byte at `index` (none: the text's edge) ends a word. A letter always
/// continues a word; a digit continues it only where the phrase's own edge is a
/// digit, so "mg" stands alone in "50mg" but "L4-5" does not in "L4-56".
fn is_boundary(bytes: &[u8], index: Option<usize>, edge_is_digit: bool) -> bool {
    match index.and_then(|i| bytes.get(i)) {
        None => true,
        Some(b) if b.is_ascii_alphabetic() => false,
        Some(b) if b.is_ascii_digit() => !edge_is_digit,
        Some(b) => *b < 0x80,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> TermMatcher {
        TermMatcher::new(&[
            vec!["back", "low back"],
            vec!["upper back"],
            vec!["mg", "L4-5"],
        ])
    }

    #[test]
    fn longest_leftmost_wins_over_contained_phrase() {
        assert_eq!(matcher().groups_in("pain in the Upper Back"), vec![1]);
        assert_eq!(matcher().groups_in("low back and upper back"), vec![0, 1]);
    }

    #[test]
    fn whole_words_only() {
        assert!(matcher().groups_in("backs and feedback").is_empty());
        assert_eq!(matcher().groups_in("Tramadol 50mg"), vec![2]);
        assert!(matcher().groups_in("L4-56").is_empty());
        assert_eq!(matcher().groups_in("at L4-5."), vec![2]);
    }

    #[test]
    fn a_phrase_at_the_start_only() {
        assert_eq!(
            matcher().find_at_start("Upper back pain, low back"),
            Some(TermMatch {
                group: 1,
                start: 0,
                end: 10
            })
        );
        assert_eq!(matcher().find_at_start("pain of the back"), None);
        assert_eq!(matcher().find_at_start("backs"), None);
    }

    #[test]
    fn a_phrase_at_the_start_ends_where_the_whole_text_says() {
        let matcher = TermMatcher::new(&[vec!["back"], vec!["caf"]]);
        assert_eq!(matcher.find_at_start("backs and more"), None);
        assert_eq!(
            matcher.find_at_start("BACK, and more").map(|m| m.end),
            Some(4)
        );
        assert_eq!(matcher.find_at_start("café"), None);
        assert_eq!(matcher.find_at_start("bäck"), None);
    }

    #[test]
    fn a_phrase_inside_a_longer_word_hides_nothing() {
        let matcher = TermMatcher::new(&[vec!["medical transport"], vec!["transportation"]]);
        assert_eq!(matcher.groups_in("Medical transportation x4"), vec![1]);
    }
}
