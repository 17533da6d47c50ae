//! Whole-word, case-insensitive matching of many phrases at once.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind, StartKind};

/// A phrase found in a text: which group it belongs to and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    /// Index of the group (region, category, class...) the phrase belongs to.
    pub group: usize,
    pub start: usize,
    pub end: usize,
}

/// Finds phrases of several groups in a text, each as a whole word, ignoring ASCII
/// case; where phrases overlap the leftmost, then longest, wins, so "upper back"
/// is not also "back".
#[derive(Debug, Clone)]
pub struct TermMatcher {
    automaton: AhoCorasick,
    group_of_pattern: Vec<usize>,
    edges: Vec<(bool, bool)>,
    /// Length in bytes of the longest phrase.
    longest: usize,
}

impl TermMatcher {
    /// Builds a matcher over `groups`, each a list of phrases, for short texts
    /// (names, headings): quick to build.
    pub fn new<S: AsRef<str>>(groups: &[Vec<S>]) -> Result<Self, aho_corasick::BuildError> {
        Self::build(groups, AhoCorasickKind::ContiguousNFA)
    }

    /// Builds a matcher over `groups` for scanning whole letters: a DFA, which
    /// takes longer to build and more memory but searches several times faster.
    pub fn for_long_texts<S: AsRef<str>>(
        groups: &[Vec<S>],
    ) -> Result<Self, aho_corasick::BuildError> {
        Self::build(groups, AhoCorasickKind::DFA)
    }

    fn build<S: AsRef<str>>(
        groups: &[Vec<S>],
        kind: AhoCorasickKind,
    ) -> Result<Self, aho_corasick::BuildError> {
        let mut patterns = Vec::new();
        let mut group_of_pattern = Vec::new();
        for (group, terms) in groups.iter().enumerate() {
            for term in terms {
                let term = term.as_ref().trim();
                if !term.is_empty() {
                    patterns.push(term.to_ascii_lowercase());
                    group_of_pattern.push(group);
                }
            }
        }
        // Patterns and texts are lowercased rather than matched ignoring case: the
        // automaton then has half the transitions and builds twice as fast, and
        // ASCII lowercasing keeps every byte offset.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .start_kind(StartKind::Unanchored)
            .build(&patterns)?;
        let edges = patterns
            .iter()
            .map(|p| {
                let bytes = p.as_bytes();
                (
                    bytes[0].is_ascii_digit(),
                    bytes[bytes.len() - 1].is_ascii_digit(),
                )
            })
            .collect();
        Ok(TermMatcher {
            automaton,
            group_of_pattern,
            edges,
            longest: patterns.iter().map(String::len).max().unwrap_or(0),
        })
    }

    /// All non-overlapping whole-word matches in `text`, left to right. A phrase
    /// found inside a longer word ("medical transport" in "medical transportation")
    /// does not hide a whole word that starts after it.
    pub fn find_all(&self, text: &str) -> Vec<TermMatch> {
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

    /// The longest phrase that starts `text` as a whole word, if any. Looks no
    /// further than that phrase, however long the text.
    pub fn find_at_start(&self, text: &str) -> Option<TermMatch> {
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
        .unwrap()
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
        let matcher = TermMatcher::new(&[vec!["back"], vec!["caf"]]).unwrap();
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
        let matcher =
            TermMatcher::new(&[vec!["medical transport"], vec!["transportation"]]).unwrap();
        assert_eq!(matcher.groups_in("Medical transportation x4"), vec![1]);
    }
}
