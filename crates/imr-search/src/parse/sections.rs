//! Anchors shared by the letter families: section headings and the labels inside an
//! item (whose guideline, whose rationale).

use std::cell::Cell;
use std::ops::Range;

use crate::text::Document;
use crate::vocab::{label_kind as kind, HeadingForm, LabelWords};

/// A heading found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundHeading {
    /// Index into the specs searched for.
    pub spec: usize,
    /// First line of the heading.
    pub line: usize,
    /// First line after the heading.
    pub next_line: usize,
    /// Text on the heading's line after its colon.
    pub rest: String,
}

/// The headings of some forms, ready to be looked for in letters: built once per
/// parser, since a letter is searched for several sets of them.
#[derive(Debug, Clone)]
pub struct HeadingSet {
    in_order: Vec<HeadingKey>,
    /// The keys sorted by their first two letters, stably.
    by_start: Vec<HeadingKey>,
    /// Where the keys of each two first letters are in `by_start`, by
    /// [`start_slot`]; none where a key is shorter than two letters or starts with
    /// other than ASCII letters and digits.
    starts: Option<Vec<Range<u16>>>,
}

/// A heading key of a [`HeadingSet`].
#[derive(Debug, Clone)]
struct HeadingKey {
    /// Its form's place among the forms.
    spec: usize,
    letters: String,
    open_ended: bool,
}

impl HeadingSet {
    /// The headings of `forms`; a found heading's `spec` is its form's place in
    /// `forms`.
    pub fn new(forms: &[&HeadingForm]) -> HeadingSet {
        let mut in_order: Vec<HeadingKey> = Vec::new();
        for (spec, form) in forms.iter().enumerate() {
            for key in &form.keys {
                // Variants written apart ("DECISION(S)", "DECISIONS") may be one key.
                if !in_order.iter().any(|k| k.spec == spec && k.letters == *key) {
                    in_order.push(HeadingKey {
                        spec,
                        letters: key.clone(),
                        open_ended: form.open_ended,
                    });
                }
            }
        }
        let mut by_start = in_order.clone();
        by_start.sort_by_key(|key| start_of(&key.letters));
        let mut starts = vec![0..0; START_SLOTS];
        let mut every_key_has_a_slot = true;
        for (at, key) in by_start.iter().enumerate() {
            match start_of(&key.letters).and_then(start_slot) {
                Some(slot) => {
                    let at = at as u16;
                    let range = &mut starts[slot];
                    if range.start == range.end {
                        *range = at..at;
                    }
                    range.end = at + 1;
                }
                None => every_key_has_a_slot = false,
            }
        }
        HeadingSet {
            in_order,
            by_start,
            starts: every_key_has_a_slot.then_some(starts),
        }
    }

    /// Every heading of the set in `doc`, in document order.
    pub fn find(&self, doc: &Document) -> Vec<FoundHeading> {
        let mut found = Vec::new();
        for (index, line) in doc.lines.iter().enumerate() {
            let text = line.text.as_ref();
            let capital = match text.as_bytes().first() {
                Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                _ => text.chars().next().is_some_and(char::is_uppercase),
            };
            if !capital {
                continue;
            }
            let matched = self.candidates(text).iter().find_map(|key| {
                match_heading(doc, index, &key.letters, key.open_ended).map(|h| (key.spec, h))
            });
            if let Some((spec, heading)) = matched {
                found.push(FoundHeading { spec, ..heading });
            }
        }
        found
    }

    /// The keys `line` may start with, in the forms' order: most lines start as
    /// none does.
    fn candidates(&self, line: &str) -> &[HeadingKey] {
        match (&self.starts, line_start(line).and_then(start_slot)) {
            (Some(starts), Some(slot)) => {
                let range = &starts[slot];
                &self.by_start[usize::from(range.start)..usize::from(range.end)]
            }
            _ => &self.in_order,
        }
    }
}

/// A key's first two bytes, if it has two.
fn start_of(key: &str) -> Option<[u8; 2]> {
    match key.as_bytes() {
        [a, b, ..] => Some([*a, *b]),
        _ => None,
    }
}

/// Two first letters or digits, ASCII and lowercase.
const START_SLOTS: usize = 36 * 36;

/// The place of two first letters in a table of [`START_SLOTS`].
fn start_slot([a, b]: [u8; 2]) -> Option<usize> {
    let place = |c: u8| match c {
        b'0'..=b'9' => Some(usize::from(c - b'0')),
        b'a'..=b'z' => Some(usize::from(c - b'a') + 10),
        _ => None,
    };
    Some(place(a)? * 36 + place(b)?)
}

/// The first two letters or digits of `line`, lowercase, if they are ASCII.
fn line_start(line: &str) -> Option<[u8; 2]> {
    let mut letters = line
        .bytes()
        .filter(|b| !b.is_ascii() || b.is_ascii_alphanumeric());
    let mut next = || {
        letters
            .next()
            .filter(u8::is_ascii)
            .map(|b| b.to_ascii_lowercase())
    };
    Some([next()?, next()?])
}

fn match_heading(
    doc: &Document,
    index: usize,
    key: &str,
    open_ended: bool,
) -> Option<FoundHeading> {
    let text = doc.lines[index].text.as_ref();
    let after_key = consume_key(text, key)?;
    let heading_part = &text[..after_key];
    let shouting = heading_part == heading_part.to_uppercase();
    let remainder = &text[after_key..];
    let closing = remainder.trim_start_matches(|c: char| !c.is_alphanumeric() && c != ':');
    let found = |rest: &str, next_line: usize| FoundHeading {
        spec: 0,
        line: index,
        next_line,
        rest: rest.trim().to_string(),
    };
    if closing.is_empty() {
        return Some(found("", index + 1));
    }
    if let Some(rest) = closing.strip_prefix(':') {
        return (shouting || rest.trim().is_empty()).then(|| found(rest, index + 1));
    }
    if !(open_ended && shouting) {
        return None;
    }
    if let Some((_, rest)) = remainder.split_once(':') {
        return Some(found(rest, index + 1));
    }
    // The heading wraps: its colon is on the next line, also in capitals.
    let next = doc.lines.get(index + 1)?.text.as_ref();
    let (head, rest) = next.split_once(':')?;
    (head == head.to_uppercase()).then(|| found(rest, index + 2))
}

/// If `text` starts with the letters and digits of `key` (ignoring case and anything
/// else between them), the byte offset just past the last of them.
fn consume_key(text: &str, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Byte offsets into `key` and `text`: headings are ASCII, read a byte at a time.
    let mut wanted = 0;
    let mut at = 0;
    while at < bytes.len() {
        if wanted == key.len() {
            return Some(at);
        }
        let byte = bytes[at];
        if byte.is_ascii() {
            at += 1;
            if !byte.is_ascii_alphanumeric() {
                continue;
            }
            if key.as_bytes()[wanted] != byte.to_ascii_lowercase() {
                return None;
            }
            wanted += 1;
        } else {
            let c = text[at..].chars().next()?;
            at += c.len_utf8();
            if !c.is_alphanumeric() {
                continue;
            }
            let expected = key[wanted..].chars().next()?;
            if !c.to_lowercase().eq(std::iter::once(expected)) {
                return None;
            }
            wanted += expected.len_utf8();
        }
    }
    (wanted == key.len()).then_some(text.len())
}

/// What a label inside an item introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemLabel {
    ClaimsGuideline,
    ReviewerGuideline,
    Rationale,
}

/// The item label `line` starts with, and the text after it. Labels vary by letter
/// ("MAXIMUS guideline:", "Medical Treatment Guideline(s) Used by the Expert
/// Reviewer:", "The Expert Reviewer's decision rationale:"), so a label is a short
/// capitalised phrase before a colon, classified by its words (`words`).
pub fn item_label<'a>(line: &'a str, words: &LabelWords) -> Option<(ItemLabel, &'a str)> {
    let colon = memchr::memchr(b':', line.as_bytes())?;
    let (label, rest) = (&line[..colon], &line[colon + 1..]);
    // The cheap tests first: most lines with a colon are prose, and their first word
    // is not one a label starts with.
    if label.len() > words.max_bytes || !label.as_bytes().first()?.is_ascii_uppercase() {
        return None;
    }
    let mut lead = first_word(label);
    if words.skip.iter().any(|w| lead.eq_ignore_ascii_case(w)) {
        // "The Expert Reviewer's decision rationale:" is a label, "The Expert
        // Reviewer based his/her decision on the ODG:" a sentence: a label led by
        // an article ends in a word of labels.
        let last = label.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
        if !words.ends.iter().any(|w| last.contains(w.as_str())) {
            return None;
        }
        lead = first_word(label[lead.len()..].trim_start());
    }
    if !words.leads.iter().any(|l| lead.eq_ignore_ascii_case(l))
        || label.split_ascii_whitespace().count() > words.max_words
        || label.contains(". ")
    {
        return None;
    }
    let lead_is = |w: &String| {
        lead.len() >= w.len() && lead.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
    };
    let kinds = words.kinds_in(label);
    let has = |bit: u8| kinds & bit != 0;
    let kind = if words.rationale_leads.iter().any(lead_is) || has(kind::RATIONALE) {
        ItemLabel::Rationale
    } else if has(kind::CLAIMS) && has(kind::CITATION) {
        ItemLabel::ClaimsGuideline
    } else if has(kind::REVIEWER) && has(kind::CITATION) {
        ItemLabel::ReviewerGuideline
    } else {
        return None;
    };
    Some((kind, rest.trim_start()))
}

/// The first word of `text`: its leading letters and digits.
fn first_word(text: &str) -> &str {
    let ascii_end = text
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(text.len());
    // Where the ASCII run stops at another script's character, that may be a letter
    // that continues the word.
    let end = text[ascii_end..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(at, _)| ascii_end + at);
    &text[..end]
}

/// The three texts of an item block, split at its labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelledTexts {
    pub claims_citations: String,
    pub reviewer_citations: String,
    pub rationale: String,
    /// Text before the first label.
    pub preamble: String,
}

/// A line's label and where the text after it starts in the line; `None` for a
/// line that is no label.
type LineLabel = Option<(ItemLabel, usize)>;

/// The item label of each line of a letter, read once, when first asked for:
/// cutting items asks it of the same lines several times.
pub struct LineLabels<'d, 't> {
    doc: &'d Document<'t>,
    words: &'d LabelWords,
    /// Each line's label, once read.
    labels: Vec<Cell<Option<LineLabel>>>,
}

impl<'d, 't> LineLabels<'d, 't> {
    /// The labels of `doc`'s lines, in `words`.
    pub fn new(doc: &'d Document<'t>, words: &'d LabelWords) -> LineLabels<'d, 't> {
        LineLabels {
            doc,
            words,
            labels: vec![Cell::new(None); doc.lines.len()],
        }
    }

    /// The label line `line` starts with.
    pub fn label(&self, line: usize) -> Option<ItemLabel> {
        self.read(line).map(|(label, _)| label)
    }

    /// The label line `line` starts with, and its text after the label.
    pub fn labelled(&self, line: usize) -> Option<(ItemLabel, &'d str)> {
        let (label, rest) = self.read(line)?;
        Some((label, &self.doc.lines[line].text[rest..]))
    }

    fn read(&self, line: usize) -> Option<(ItemLabel, usize)> {
        let cell = &self.labels[line];
        if let Some(known) = cell.get() {
            return known;
        }
        let text = self.doc.lines[line].text.as_ref();
        let read =
            item_label(text, self.words).map(|(label, rest)| (label, text.len() - rest.len()));
        cell.set(Some(read));
        read
    }
}

/// Splits the lines `range` of a letter at their item labels (`labels`). A label
/// seen twice (a page repeated by the extractor) starts its text afresh, so each
/// text stays one passage of the letter.
pub fn split_labelled(labels: &LineLabels, range: std::ops::Range<usize>) -> LabelledTexts {
    let mut parts: [Vec<&str>; 4] = Default::default();
    let mut current = 3;
    for index in range {
        match labels.labelled(index) {
            Some((label, rest)) => {
                current = label as usize;
                parts[current].clear();
                parts[current].push(rest);
            }
            None => parts[current].push(labels.doc.lines[index].text.as_ref()),
        }
    }
    let [claims, reviewer, rationale, preamble] = parts.map(crate::text::join_lines);
    LabelledTexts {
        claims_citations: claims,
        reviewer_citations: reviewer,
        rationale,
        preamble,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::clean;

    use crate::vocab::{SectionRole, Vocabulary};

    fn words() -> LabelWords {
        Vocabulary::embedded().forms.labels.clone()
    }

    fn item_label(line: &str) -> Option<(ItemLabel, &str)> {
        super::item_label(line, &words())
    }

    #[test]
    fn headings_ignore_punctuation_and_take_their_rest() {
        let doc = clean("IMR DECISION(S) AND RATIONALE(S)\nISSUE AT DISPUTE: Lumbar MRI\nRATIONALE FOR WHY THE\nREQUESTED SERVICE IS NOT NECESSARY: It is.\nIssue at dispute was raised");
        let vocab = Vocabulary::embedded();
        let forms = vocab.forms.headings(&[
            SectionRole::NoticeDecisions,
            SectionRole::IssueAtDispute,
            SectionRole::ReviewRationale,
        ]);
        let found = HeadingSet::new(&forms).find(&doc);
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].spec, found[0].line), (0, 0));
        assert_eq!(found[1].rest, "Lumbar MRI");
        assert_eq!(
            (found[2].line, found[2].next_line, found[2].rest.as_str()),
            (2, 4, "It is.")
        );
    }

    /// A heading is compared with the keys that start as its line does, whatever
    /// stands between its letters, and the forms' order decides between two keys
    /// that both match; a line of another script is compared with every key.
    #[test]
    fn headings_are_found_by_their_first_letters_in_the_forms_order() {
        let form = |role, keys: &[&str]| HeadingForm {
            role,
            keys: keys.iter().map(|k| k.to_string()).collect(),
            open_ended: false,
        };
        let summary = form(SectionRole::ClinicalSummary, &["casesummary"]);
        let clinical = form(
            SectionRole::ReviewSummary,
            &["clinicalcasesummary", "casesummary"],
        );
        let accented = form(SectionRole::DocumentsReviewed, &["\u{e9}valuation"]);
        let doc = clean(
            "C.A.S.E  SUMMARY:\nClinical Case Summary\nCase summaries were read\nCASES\n\u{c9}VALUATION\ncase summary",
        );
        let found = |forms: &[&HeadingForm]| -> Vec<(usize, usize)> {
            let set = HeadingSet::new(forms);
            set.find(&doc).iter().map(|h| (h.line, h.spec)).collect()
        };
        // ASCII keys: looked up by their first two letters.
        assert_eq!(found(&[&summary, &clinical]), [(0, 0), (1, 1)]);
        // A key of another script: every line is compared with every key.
        assert_eq!(
            found(&[&summary, &clinical, &accented]),
            [(0, 0), (1, 1), (4, 2)]
        );
    }

    #[test]
    fn a_line_s_label_is_read_once_and_the_same_as_alone() {
        let doc = clean(
            "Decision rationale: It is.\nnot a label\nMAXIMUS guideline: ODG\nThe guideline states: no",
        );
        let words = words();
        let labels = LineLabels::new(&doc, &words);
        for line in 0..doc.lines.len() {
            let alone = super::item_label(&doc.lines[line].text, &words);
            assert_eq!(labels.labelled(line), alone);
            assert_eq!(labels.labelled(line), alone, "asked twice");
            assert_eq!(labels.label(line), alone.map(|(label, _)| label));
        }
        assert_eq!(labels.label(0), Some(ItemLabel::Rationale));
        assert_eq!(labels.label(3), None);
    }

    #[test]
    fn labels_of_both_families() {
        assert_eq!(
            item_label("MAXIMUS guideline: Decision based on MTUS"),
            Some((ItemLabel::ReviewerGuideline, "Decision based on MTUS"))
        );
        assert_eq!(
            item_label("Medical Treatment Guideline(s) Used by the Claims Administrator:"),
            Some((ItemLabel::ClaimsGuideline, ""))
        );
        assert_eq!(
            item_label("Rationale Used by the Expert Reviewer: The"),
            Some((ItemLabel::Rationale, "The"))
        );
        assert_eq!(
            item_label("Expert Reviewer's Guidelines Relied Upon: ODG"),
            Some((ItemLabel::ReviewerGuideline, "ODG"))
        );
        assert_eq!(
            item_label("Claims Administrator Guideline(s) Cited: none"),
            Some((ItemLabel::ClaimsGuideline, "none"))
        );
        assert_eq!(
            item_label("Reasons for the Decision: x"),
            Some((ItemLabel::Rationale, "x"))
        );
        assert_eq!(item_label("The guideline states: no"), None);
        assert_eq!(
            item_label("Decision based on MTUS ACOEM Page(s): 303"),
            None
        );
        assert_eq!(item_label("Medical records: the reviewer saw them"), None);
        assert_eq!(
            item_label("The Expert Reviewer's decision rationale: The ACOEM"),
            Some((ItemLabel::Rationale, "The ACOEM"))
        );
        assert_eq!(
            item_label("The Expert Reviewer based his/her decision on the ODG: x"),
            None
        );
    }

    #[test]
    fn a_label_starts_with_a_whole_word_of_any_script() {
        assert_eq!(
            item_label("Reviewer\u{2019}s guideline: ODG"),
            Some((ItemLabel::ReviewerGuideline, "ODG"))
        );
        assert_eq!(item_label("Reviewer\u{df} guideline: ODG"), None);
        assert_eq!(item_label("\u{c9}xpert reviewer guideline: ODG"), None);
    }
}
