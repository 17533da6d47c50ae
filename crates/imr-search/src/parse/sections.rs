//! Anchors shared by the letter families: section headings and the labels inside an
//! item (whose guideline, whose rationale).

use crate::text::Document;
use crate::vocab::{HeadingForm, LabelWords};

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

/// Finds every heading of `forms` in `doc`, in document order; a found heading's
/// `spec` is its form's place in `forms`.
pub fn find_headings(doc: &Document, forms: &[&HeadingForm]) -> Vec<FoundHeading> {
    let mut found = Vec::new();
    for (index, line) in doc.lines.iter().enumerate() {
        let text = line.text.as_ref();
        if !text.chars().next().is_some_and(|c| c.is_uppercase()) {
            continue;
        }
        // A key's first letter is most often the line's first: a cheap test first.
        let first = text
            .bytes()
            .next()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase());
        'forms: for (spec_index, form) in forms.iter().enumerate() {
            for key in &form.keys {
                if first.is_some_and(|b| key.as_bytes().first() != Some(&b)) {
                    continue;
                }
                if let Some(heading) = match_heading(doc, index, key, form.open_ended) {
                    found.push(FoundHeading {
                        spec: spec_index,
                        ..heading
                    });
                    break 'forms;
                }
            }
        }
    }
    found
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
    let mut wanted = key.chars().peekable();
    for (at, c) in text.char_indices() {
        if wanted.peek().is_none() {
            return Some(at);
        }
        if !c.is_alphanumeric() {
            continue;
        }
        let expected = wanted.next()?;
        let same = if c.is_ascii() {
            c.to_ascii_lowercase() == expected
        } else {
            c.to_lowercase().eq(std::iter::once(expected))
        };
        if !same {
            return None;
        }
    }
    wanted.peek().is_none().then_some(text.len())
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
    let mut lead_at = 0;
    if words.skip.iter().any(|w| lead.eq_ignore_ascii_case(w)) {
        // "The Expert Reviewer's decision rationale:" is a label, "The Expert
        // Reviewer based his/her decision on the ODG:" a sentence: a label led by
        // an article ends in a word of labels.
        let last = label.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
        if !words.ends.iter().any(|w| last.contains(w.as_str())) {
            return None;
        }
        lead_at = lead.len() + label[lead.len()..].len() - label[lead.len()..].trim_start().len();
        lead = first_word(&label[lead_at..]);
    }
    if !words.leads.iter().any(|l| lead.eq_ignore_ascii_case(l))
        || label.split_ascii_whitespace().count() > words.max_words
        || label.contains(". ")
    {
        return None;
    }
    // The words looked for are ASCII, so ASCII lowercasing finds them all.
    let lower = label.to_ascii_lowercase();
    let lead = &lower[lead_at..lead_at + lead.len()];
    let has = |list: &[String]| list.iter().any(|w| lower.contains(w.as_str()));
    let kind = if words
        .rationale_leads
        .iter()
        .any(|w| lead.starts_with(w.as_str()))
        || has(&words.rationale)
    {
        ItemLabel::Rationale
    } else if has(&words.claims) && has(&words.citation) {
        ItemLabel::ClaimsGuideline
    } else if has(&words.reviewer) && has(&words.citation) {
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

/// Splits the lines `range` of `doc` at item labels. A label seen twice (a page
/// repeated by the extractor) starts its text afresh, so each text stays one
/// passage of the letter.
pub fn split_labelled(
    doc: &Document,
    range: std::ops::Range<usize>,
    words: &LabelWords,
) -> LabelledTexts {
    let mut parts: [Vec<&str>; 4] = Default::default();
    let mut current = 3;
    for line in &doc.lines[range] {
        let text = line.text.as_ref();
        match item_label(text, words) {
            Some((label, rest)) => {
                current = label as usize;
                parts[current].clear();
                parts[current].push(rest);
            }
            None => parts[current].push(text),
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
        let found = find_headings(&doc, &forms);
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].spec, found[0].line), (0, 0));
        assert_eq!(found[1].rest, "Lumbar MRI");
        assert_eq!(
            (found[2].line, found[2].next_line, found[2].rest.as_str()),
            (2, 4, "It is.")
        );
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
