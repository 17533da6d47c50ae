//! How letters are laid out (`schema/letter_forms.json`): the headings of their
//! sections by role, the labels inside an item, item numbering, the words that state
//! an item's outcome on its line, and what makes a statement of an outcome a report
//! of someone else's finding rather than the reviewer's conclusion. Letters written
//! by other reviewers in other years vary these; keeping them as data lets a new
//! variant be added without touching the parser.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::AhoCorasick;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Deserialize;

use super::{alternation, parse_json, VocabError};
use crate::model::Decision;
use crate::text::Pattern;

const FILE: &str = "letter_forms.json";

/// What a section heading opens. The parser asks for headings by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionRole {
    /// The items of a case-summary letter.
    CaseSummaryIssues,
    /// The title of a notice letter.
    NoticeTitle,
    /// The items of a notice letter.
    NoticeDecisions,
    /// The title of a medical professional review letter.
    ProfessionalReviewTitle,
    /// The paragraph on how the determination was made (the reviewer's
    /// qualifications).
    HowMade,
    /// The case summary of case-summary and notice letters.
    ClinicalSummary,
    /// The list of documents reviewed.
    DocumentsReviewed,
    /// A professional review's disputed item.
    IssueAtDispute,
    /// A professional review's case summary.
    ReviewSummary,
    /// A professional review's guideline citations.
    ReviewGuidelines,
    /// A professional review's rationale.
    ReviewRationale,
    /// A professional review's statement of the reviewer's qualifications.
    ReviewQualifications,
}

/// A section heading in its written variants.
#[derive(Debug, Clone)]
pub struct HeadingForm {
    /// What it opens.
    pub role: SectionRole,
    /// Each variant as its letters and digits only, lowercase.
    pub keys: Vec<String>,
    /// The heading goes on past its words to the first colon ("RATIONALE FOR WHY
    /// THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:").
    pub open_ended: bool,
}

/// The words item labels are made of; see `item_labels` in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelWords {
    /// Most words a label has.
    pub max_words: usize,
    /// Most bytes a label has.
    pub max_bytes: usize,
    /// Words before a label's first word ("The").
    pub skip: Vec<String>,
    /// Words a label can start with.
    pub leads: Vec<String>,
    /// First words that make a label a rationale's.
    pub rationale_leads: Vec<String>,
    /// Words anywhere in a label that make it a rationale's.
    pub rationale: Vec<String>,
    /// Phrases of the claims administrator's citation labels.
    pub claims: Vec<String>,
    /// Phrases of the reviewer's citation labels.
    pub reviewer: Vec<String>,
    /// Words that make a label one of citations.
    pub citation: Vec<String>,
    /// Words a label led by a `skip` word ends in.
    pub ends: Vec<String>,
    /// The `rationale`, `claims`, `reviewer` and `citation` words as one automaton,
    /// so that a label is read once for all of them.
    #[serde(skip)]
    kinds: KindWords,
}

/// Which lists of [`LabelWords`] a label's words are in, one bit each.
pub mod label_kind {
    /// A `rationale` word.
    pub const RATIONALE: u8 = 1;
    /// A `claims` phrase.
    pub const CLAIMS: u8 = 2;
    /// A `reviewer` phrase.
    pub const REVIEWER: u8 = 4;
    /// A `citation` word.
    pub const CITATION: u8 = 8;
}

/// An automaton over the words of several lists, and each word's list bits.
#[derive(Debug, Clone, Default)]
struct KindWords {
    automaton: Option<AhoCorasick>,
    bits: Vec<u8>,
    /// A number no other label words of this process have, for the memo.
    id: u64,
}

/// Label words' id and the hash of a label.
type KindsKey = (u64, u64);

/// How many labels each thread remembers.
const KINDS_MEMO_CAPACITY: usize = 1024;

thread_local! {
    /// The kinds of labels already read, by label words and label: letters repeat
    /// the same few dozen labels, and the automaton costs more than a lookup. The
    /// label is kept beside its kinds to tell a hash collision from a hit.
    static KINDS_MEMO: RefCell<FxHashMap<KindsKey, (Box<str>, u8)>> =
        RefCell::new(FxHashMap::default());
}

impl LabelWords {
    /// The [`label_kind`] bits of the lists whose words `label` holds (ignoring
    /// ASCII case; a word may be part of a longer one, as "guideline" of
    /// "guidelines").
    pub fn kinds_in(&self, label: &str) -> u8 {
        let key = (self.kinds.id, FxBuildHasher.hash_one(label));
        let known = KINDS_MEMO.with(|memo| {
            memo.borrow()
                .get(&key)
                .filter(|(seen, _)| **seen == *label)
                .map(|(_, kinds)| *kinds)
        });
        if let Some(kinds) = known {
            return kinds;
        }
        let kinds = self.read_kinds(label);
        KINDS_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.len() >= KINDS_MEMO_CAPACITY {
                memo.clear();
            }
            memo.insert(key, (label.into(), kinds));
        });
        kinds
    }

    fn read_kinds(&self, label: &str) -> u8 {
        let Some(automaton) = &self.kinds.automaton else {
            return 0;
        };
        automaton
            .find_overlapping_iter(label)
            .fold(0, |bits, m| bits | self.kinds.bits[m.pattern().as_usize()])
    }

    fn with_kinds(mut self) -> Result<LabelWords, VocabError> {
        let lists = [
            (&self.rationale, label_kind::RATIONALE),
            (&self.claims, label_kind::CLAIMS),
            (&self.reviewer, label_kind::REVIEWER),
            (&self.citation, label_kind::CITATION),
        ];
        let mut words: Vec<&str> = Vec::new();
        let mut bits: Vec<u8> = Vec::new();
        for (list, bit) in lists {
            for word in list {
                match words.iter().position(|w| w == word) {
                    Some(at) => bits[at] |= bit,
                    None => {
                        words.push(word);
                        bits.push(bit);
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .map_err(|error| VocabError::Invalid {
                file: FILE.into(),
                message: format!("item label words: {error}"),
            })?;
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        self.kinds = KindWords {
            automaton: Some(automaton),
            bits,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        Ok(self)
    }
}

#[derive(Deserialize)]
struct SectionJson {
    role: SectionRole,
    #[serde(default)]
    open_ended: bool,
    headings: Vec<String>,
}

#[derive(Deserialize)]
struct NumberingJson {
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct ItemOutcomeJson {
    upheld: Vec<String>,
    overturned: Vec<String>,
    separators: Vec<String>,
}

#[derive(Deserialize)]
struct ConclusionsJson {
    reported: Vec<String>,
}

#[derive(Deserialize)]
struct DeterminationJson {
    upheld: Vec<String>,
    overturned: Vec<String>,
    partial: Vec<String>,
}

#[derive(Deserialize)]
struct FormsJson {
    sections: Vec<SectionJson>,
    item_labels: LabelWords,
    item_numbering: NumberingJson,
    item_outcome: ItemOutcomeJson,
    conclusions: ConclusionsJson,
    determination: DeterminationJson,
}

/// A notice letter's statement of its whole determination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Determination {
    /// Every item upheld.
    Upheld,
    /// Every item overturned.
    Overturned,
    /// Some items of each.
    Partial,
}

/// The layouts' anchors, loaded.
#[derive(Debug)]
pub struct LetterForms {
    sections: Vec<HeadingForm>,
    /// The words of item labels.
    pub labels: LabelWords,
    /// An item's numbering at a line's start, and the space after it.
    numbering: Pattern,
    /// Outcome words, lowercase, longest first.
    outcome_words: Vec<(String, Decision)>,
    /// The last byte of each outcome word, lowercase: most lines end in none.
    outcome_word_ends: Vec<u8>,
    /// What may stand between an item's name and its outcome word.
    outcome_separators: Vec<String>,
    reported: Pattern,
    determination: [(Pattern, Determination); 3],
}

impl LetterForms {
    /// Reads the file's text.
    pub(super) fn from_json(text: &str) -> Result<LetterForms, VocabError> {
        let json: FormsJson = parse_json(FILE, text)?;
        let sections = json
            .sections
            .into_iter()
            .map(|s| HeadingForm {
                role: s.role,
                keys: s.headings.iter().map(|h| heading_key(h)).collect(),
                open_ended: s.open_ended,
            })
            .collect();
        let numbering = anchored(&json.item_numbering.patterns)?;
        let mut outcome_words: Vec<(String, Decision)> = json
            .item_outcome
            .upheld
            .iter()
            .map(|w| (w.to_lowercase(), Decision::Upheld))
            .chain(
                json.item_outcome
                    .overturned
                    .iter()
                    .map(|w| (w.to_lowercase(), Decision::Overturned)),
            )
            .collect();
        outcome_words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut outcome_separators = json.item_outcome.separators;
        outcome_separators.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let forms = LetterForms {
            sections,
            labels: lowercase_words(json.item_labels).with_kinds()?,
            numbering,
            outcome_word_ends: outcome_word_ends(&outcome_words),
            outcome_words,
            outcome_separators,
            reported: alternation(FILE, &json.conclusions.reported)?,
            determination: [
                (
                    alternation(FILE, &json.determination.partial)?,
                    Determination::Partial,
                ),
                (
                    alternation(FILE, &json.determination.upheld)?,
                    Determination::Upheld,
                ),
                (
                    alternation(FILE, &json.determination.overturned)?,
                    Determination::Overturned,
                ),
            ],
        };
        forms.check()?;
        Ok(forms)
    }

    /// Every role the parser asks for has a heading.
    fn check(&self) -> Result<(), VocabError> {
        use SectionRole::*;
        for role in [
            CaseSummaryIssues,
            NoticeTitle,
            NoticeDecisions,
            ProfessionalReviewTitle,
            HowMade,
            ClinicalSummary,
            DocumentsReviewed,
            IssueAtDispute,
            ReviewSummary,
            ReviewGuidelines,
            ReviewRationale,
            ReviewQualifications,
        ] {
            let form = self.sections.iter().find(|s| s.role == role);
            if form.is_none_or(|f| f.keys.iter().all(String::is_empty)) {
                return Err(VocabError::Invalid {
                    file: FILE.into(),
                    message: format!("section role {role:?} has no heading"),
                });
            }
        }
        if self.outcome_words.is_empty() || self.outcome_separators.is_empty() {
            return Err(VocabError::Invalid {
                file: FILE.into(),
                message: "item_outcome needs words of both outcomes and a separator".into(),
            });
        }
        Ok(())
    }

    /// The heading forms of `roles`, in that order: a found heading's `spec` is
    /// its role's place in `roles`.
    pub fn headings(&self, roles: &[SectionRole]) -> Vec<&HeadingForm> {
        roles
            .iter()
            .filter_map(|role| self.sections.iter().find(|s| s.role == *role))
            .collect()
    }

    /// The numbering that starts `line` ("1)", "Item 2:", "(3)", "B."), as the
    /// item's place (1 for the first) and the byte offset of the name after it.
    pub fn numbering(&self, line: &str) -> Option<(u32, usize)> {
        let found = self.numbering.find(line)?;
        let mark = found.as_str();
        let place = match mark.bytes().position(|b| b.is_ascii_digit()) {
            Some(first) => {
                let digits: String = mark[first..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()?
            }
            None => {
                let letter = mark.bytes().find(u8::is_ascii_alphabetic)?;
                u32::from(letter.to_ascii_uppercase() - b'A') + 1
            }
        };
        Some((place, found.end()))
    }

    /// An item line's outcome: the outcome word that ends `line` (a full stop and
    /// spaces after it aside), the text before it, and whether a separator stood
    /// between them. `None` when the line does not end in an outcome word.
    pub fn line_outcome<'a>(&self, line: &'a str) -> Option<(&'a str, bool, Decision)> {
        let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
        let text = line
            .strip_suffix('.')
            .unwrap_or(line)
            .trim_end_matches(is_space);
        let last = text.as_bytes().last()?.to_ascii_lowercase();
        if !self.outcome_word_ends.contains(&last) {
            return None;
        }
        let (before, decision) = self.outcome_words.iter().find_map(|(word, decision)| {
            let start = text.len().checked_sub(word.len())?;
            (text.is_char_boundary(start) && text[start..].eq_ignore_ascii_case(word))
                .then(|| (&text[..start], *decision))
        })?;
        if before.is_empty() {
            return Some((before, false, decision));
        }
        // "Upheld" ending a word of prose ("Nonupheld") is no outcome: a separator
        // stands before the word.
        let spaced_after = before.ends_with(is_space);
        let before = before.trim_end_matches(is_space);
        let separator = self
            .outcome_separators
            .iter()
            .find(|s| before.ends_with(s.as_str()))?;
        let untrimmed = &before[..before.len() - separator.len()];
        let name = untrimmed.trim_end_matches(is_space);
        // A dash joins words ("non-upheld") unless a space stands beside it.
        let spaced = spaced_after || name.len() < untrimmed.len();
        (separator == ":" || spaced).then_some((name, true, decision))
    }

    /// Whether the sentence `sentence` reports someone else's finding (the
    /// utilization review's, a prior reviewer's) rather than concluding.
    pub fn reports_another(&self, sentence: &str) -> bool {
        self.reported.is_match(sentence)
    }

    /// The whole determination a notice letter states in `text`, if any.
    pub fn determination(&self, text: &str) -> Option<Determination> {
        self.determination
            .iter()
            .find(|(pattern, _)| pattern.is_match(text))
            .map(|(_, determination)| *determination)
    }
}

/// The distinct last bytes of `words`, lowercase.
fn outcome_word_ends(words: &[(String, Decision)]) -> Vec<u8> {
    let mut ends: Vec<u8> = words
        .iter()
        .filter_map(|(word, _)| word.as_bytes().last())
        .map(u8::to_ascii_lowercase)
        .collect();
    ends.sort_unstable();
    ends.dedup();
    ends
}

/// The numbering patterns as one, anchored at a line's start and followed by
/// space. Each is checked alone first, so that one cannot close another's group.
fn anchored(patterns: &[String]) -> Result<Pattern, VocabError> {
    alternation(FILE, patterns)?;
    let joined = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    let pattern = format!("^(?:{joined})\\s+");
    Pattern::from_vocabulary(&pattern).map_err(|source| VocabError::Pattern {
        file: FILE.into(),
        source,
        pattern,
    })
}

/// A heading as its letters and digits only, lowercase.
fn heading_key(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn lowercase_words(words: LabelWords) -> LabelWords {
    let lower = |list: Vec<String>| list.into_iter().map(|w| w.to_lowercase()).collect();
    LabelWords {
        skip: lower(words.skip),
        leads: lower(words.leads),
        rationale_leads: lower(words.rationale_leads),
        rationale: lower(words.rationale),
        claims: lower(words.claims),
        reviewer: lower(words.reviewer),
        citation: lower(words.citation),
        ends: lower(words.ends),
        ..words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label_words(rationale: &[&str]) -> LabelWords {
        let json = serde_json::json!({
            "max_words": 12, "max_bytes": 100, "skip": [], "leads": ["decision"],
            "rationale_leads": [], "rationale": rationale, "claims": ["claims administrator"],
            "reviewer": ["reviewer"], "citation": ["guideline"], "ends": []
        });
        let words: LabelWords = serde_json::from_value(json).expect("label words");
        lowercase_words(words).with_kinds().expect("an automaton")
    }

    /// The kinds a thread remembers are those of the label words asked: two sets of
    /// words never answer for each other, whichever is asked first.
    #[test]
    fn remembered_kinds_are_the_words_own() {
        let explained = label_words(&["explanation"]);
        let reasoned = label_words(&["reasoning"]);
        for _ in 0..2 {
            assert_eq!(
                explained.kinds_in("Decision Explanation"),
                label_kind::RATIONALE
            );
            assert_eq!(reasoned.kinds_in("Decision Explanation"), 0);
            assert_eq!(
                reasoned.kinds_in("Claims Administrator Guidelines"),
                label_kind::CLAIMS | label_kind::CITATION
            );
            assert_eq!(
                reasoned.kinds_in("Utilization REVIEWER"),
                label_kind::REVIEWER
            );
        }
    }
}
