//! The parser's patterns (built in, and the outcome patterns of the vocabulary):
//! regular expressions with the few methods the parser uses.
//!
//! Decoded text holds no white space but ASCII and the letters' words are ASCII, so
//! patterns get ASCII semantics (`\b`, `\s`, `\d`, case folding), which compile
//! several times smaller and search faster (the lazy DFA gives up on Unicode word
//! boundaries). A part that must match any character says so with `(?u:...)`, as in
//! `(?u:.)` or `(?u:[^)])`.
//!
//! Most patterns read a line, a citation or a paragraph, where a literal prefilter
//! saves nothing; building one was half of compiling the parser's patterns (6.5 of
//! 12.6 ms), paid by every process. So [`Pattern::new`] builds none, and
//! [`Pattern::scanning`], for patterns that look through whole letters or case
//! summaries for a rare word, keeps it: there it makes the search several times
//! faster.

use std::borrow::Cow;
use std::ops::{Index, Range};

use regex_automata::meta;
use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::syntax;

/// A compiled built-in pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: meta::Regex,
}

/// Where a pattern (or one of its groups) matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

/// The groups of one match.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    slots: Slots,
}

impl Pattern {
    /// Compiles a pattern for short texts: no literal prefilter.
    ///
    /// # Panics
    /// If the pattern is invalid: built-in patterns are tested.
    pub fn new(pattern: &str) -> Pattern {
        Pattern::build(pattern, false)
    }

    /// Compiles a pattern that searches long texts for a rare literal, with a
    /// prefilter that skips to the places the literal occurs.
    ///
    /// # Panics
    /// If the pattern is invalid: built-in patterns are tested.
    pub fn scanning(pattern: &str) -> Pattern {
        Pattern::build(pattern, true)
    }

    /// Compiles a pattern of a vocabulary file, matched ignoring case, without a
    /// prefilter (as [`Pattern::new`]); ASCII semantics unless the pattern needs
    /// Unicode (say, a negated class that could otherwise match inside a
    /// character).
    pub fn from_vocabulary(pattern: &str) -> Result<Pattern, Box<meta::BuildError>> {
        let ignoring_case = format!("(?i){pattern}");
        Pattern::try_build(&ignoring_case, false, false)
            .or_else(|_| Pattern::try_build(&ignoring_case, false, true))
    }

    fn build(pattern: &str, prefilter: bool) -> Pattern {
        Pattern::try_build(pattern, prefilter, false)
            .unwrap_or_else(|e| panic!("built-in pattern {pattern:?} is invalid: {e}"))
    }

    /// No full DFA either: the lazy one searches these texts as fast, and building
    /// full DFAs for the small patterns cost 1.2% of parsing 1,000 letters.
    fn try_build(
        pattern: &str,
        prefilter: bool,
        unicode: bool,
    ) -> Result<Pattern, Box<meta::BuildError>> {
        let regex = meta::Builder::new()
            .syntax(syntax::Config::new().unicode(unicode))
            .configure(meta::Config::new().auto_prefilter(prefilter).dfa(false))
            .build(pattern)
            .map_err(Box::new)?;
        Ok(Pattern { regex })
    }

    /// Whether the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.regex.is_match(haystack)
    }

    /// The leftmost match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.regex
            .find(haystack)
            .map(|m| Match::new(haystack, m.range()))
    }

    /// Every non-overlapping match in `haystack`, left to right.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.regex
            .find_iter(haystack)
            .map(move |m| Match::new(haystack, m.range()))
    }

    /// The groups of the leftmost match in `haystack`.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let mut slots = self.regex.create_captures();
        self.regex.captures(haystack, &mut slots);
        slots.is_match().then_some(Captures { haystack, slots })
    }

    /// The groups of every non-overlapping match in `haystack`, left to right.
    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.regex
            .captures_iter(haystack)
            .map(move |slots| Captures { haystack, slots })
    }

    /// `haystack` with its leftmost match replaced by `with`; borrowed when
    /// nothing matched.
    pub fn replace<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        replaced(haystack, self.regex.find_iter(haystack).take(1), with)
    }

    /// `haystack` with every match replaced by `with`; borrowed when nothing
    /// matched.
    pub fn replace_all<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        replaced(haystack, self.regex.find_iter(haystack), with)
    }
}

fn replaced<'h>(
    haystack: &'h str,
    matches: impl Iterator<Item = regex_automata::Match>,
    with: &str,
) -> Cow<'h, str> {
    let mut matches = matches.peekable();
    if matches.peek().is_none() {
        return Cow::Borrowed(haystack);
    }
    let mut out = String::with_capacity(haystack.len());
    let mut copied = 0;
    for m in matches {
        out.push_str(&haystack[copied..m.start()]);
        out.push_str(with);
        copied = m.end();
    }
    out.push_str(&haystack[copied..]);
    Cow::Owned(out)
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, range: Range<usize>) -> Match<'h> {
        Match {
            haystack,
            start: range.start,
            end: range.end,
        }
    }

    /// Byte offset of the match's start.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset just past the match.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The byte range of the match.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether the match is empty.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The matched text. Patterns match whole UTF-8 sequences (their syntax
    /// requires it), so the range lies on character boundaries.
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

impl<'h> Captures<'h> {
    /// Group `index` (0: the whole match), if it took part in the match.
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.slots
            .get_group(index)
            .map(|span| Match::new(self.haystack, span.range()))
    }

    /// The group named `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.slots
            .get_group_by_name(name)
            .map(|span| Match::new(self.haystack, span.range()))
    }
}

/// Group `index`'s text; indexing a group that did not take part is a bug, as
/// with the `regex` crate.
impl<'h> Index<usize> for Captures<'h> {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        self.get(index)
            .unwrap_or_else(|| panic!("group {index} did not take part in the match"))
            .as_str()
    }
}

/// The named group's text; indexing a group that did not take part is a bug.
impl<'h> Index<&str> for Captures<'h> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name)
            .unwrap_or_else(|| panic!("group {name:?} did not take part in the match"))
            .as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_number_and_name() {
        let p = Pattern::new(r"(?i)(?P<word>[a-z]+)-([0-9]+)");
        let c = p.captures("see ABC-12 here").expect("matches");
        assert_eq!(c.get(0).map(|m| m.as_str()), Some("ABC-12"));
        assert_eq!(c.name("word").map(|m| m.range()), Some(4..7));
        assert_eq!(c.get(2).map(|m| m.as_str()), Some("12"));
        assert!(p.captures("nothing").is_none());
    }

    #[test]
    fn both_compilations_match_alike() {
        let text = "Page 2 of 5 ... page 3 of 5; pages 4-5";
        for p in [
            Pattern::new(r"(?i)\bpages?\s+([0-9]+)"),
            Pattern::scanning(r"(?i)\bpages?\s+([0-9]+)"),
        ] {
            let found: Vec<_> = p.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(found, ["Page 2", "page 3", "pages 4"]);
            let groups: Vec<_> = p
                .captures_iter(text)
                .filter_map(|c| c.get(1).map(|m| m.as_str()))
                .collect();
            assert_eq!(groups, ["2", "3", "4"]);
        }
    }

    #[test]
    fn replace_all_borrows_when_nothing_matches() {
        let p = Pattern::new(r"\s*\([0-9]{4}\)");
        assert!(matches!(p.replace_all("MTUS", " "), Cow::Borrowed("MTUS")));
        assert_eq!(p.replace_all("ODG (2014) and (2015)!", " "), "ODG  and !");
    }

    #[test]
    fn vocabulary_patterns_ignore_case_and_get_unicode_when_they_need_it() {
        let p = Pattern::from_vocabulary(r"\bmedically [^ ]+").expect("valid");
        let found = p.find("It is MEDICALLY nécessaire.").map(|m| m.as_str());
        assert_eq!(found, Some("MEDICALLY nécessaire."));
        assert!(Pattern::from_vocabulary("(unclosed").is_err());
    }

    #[test]
    fn unicode_parts_match_whole_characters() {
        let p = Pattern::new(r"^(?P<name>(?u:.)+?)\s*:");
        let c = p.captures("Café Médical: upheld").expect("matches");
        assert_eq!(c.name("name").map(|m| m.as_str()), Some("Café Médical"));
    }
}
