//! Case-summary letters (2013 to about 2019): `CLINICAL CASE SUMMARY`, then under
//! `IMR ISSUES, DECISIONS AND RATIONALES` one block per item, opened by
//! `<item name>:  Upheld` (or `Overturned`) and labelled `Claims Administrator
//! guideline:`, `MAXIMUS guideline:` and `Decision rationale:`. The headings' and
//! labels' wordings, the separators and outcome words are those of
//! `schema/letter_forms.json`. An item whose line states no outcome is found by
//! its labels, and its outcome is its rationale's conclusion.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::Pattern;

use super::outcome::concluded_outcome_at_end;
use super::sections::{split_labelled, HeadingSet, ItemLabel, LineLabels};
use super::{lines_outside, section_text, tidy_treatment, FamilyParse, RawItem};
use crate::model::Decision;
use crate::text::{join_lines, Document};
use crate::vocab::{LetterForms, SectionRole, Vocabulary};

const HOW_MADE: usize = 0;
const SUMMARY: usize = 1;
const ISSUES: usize = 2;

pub(super) const ROLES: [SectionRole; 4] = [
    SectionRole::HowMade,
    SectionRole::ClinicalSummary,
    SectionRole::CaseSummaryIssues,
    SectionRole::DocumentsReviewed,
];

/// The boilerplate that opens the case summary.
static SUMMARY_INTRO: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^the\s+expert\s+reviewer\s+developed\s+the\s+following\s+clinical\s+case\s+summary[\x00-\x39\x3B-\x7F]{0,120}:\s*",
    )
});

/// How many lines above its outcome line an item name may start.
const MAX_NAME_LINES: usize = 3;

/// Where an item starts and what its heading says.
#[derive(Debug)]
struct ItemHeading {
    first_line: usize,
    next_line: usize,
    name: String,
    /// The outcome word of the item's line; none where the line has none.
    decision: Option<Decision>,
}

/// Whether any line reads like `<item>: Upheld`, for letters whose headings are lost.
pub(super) fn has_outcome_lines(doc: &Document, forms: &LetterForms) -> bool {
    let labels = LineLabels::new(doc, &forms.labels);
    !outcome_line_headings(doc, 0..doc.lines.len(), forms, &labels).is_empty()
}

/// Cuts a case-summary letter into its parts.
pub(super) fn parse(doc: &Document, headings: &HeadingSet, vocab: &Vocabulary) -> FamilyParse {
    let forms = &vocab.forms;
    let mut parsed = FamilyParse::default();
    let headings = headings.find(doc);
    let labels = LineLabels::new(doc, &forms.labels);
    let end = doc.lines.len();
    let position = |spec: usize| headings.iter().position(|h| h.spec == spec);

    let items_start = match position(ISSUES) {
        Some(i) => headings[i].next_line,
        None => {
            parsed.warnings.push(
                "heading 'IMR ISSUES, DECISIONS AND RATIONALES' not found: items were read from their outcome lines".to_string(),
            );
            item_headings(doc, 0..end, forms, &labels)
                .first()
                .map_or(end, |h| h.first_line)
        }
    };
    let items = item_headings(doc, items_start..end, forms, &labels);
    let items_begin = items.first().map_or(end, |h| h.first_line);

    let mut taken: Vec<Range<usize>> = Vec::new();
    if let Some(i) = position(SUMMARY) {
        let summary_end = headings
            .get(i + 1)
            .map_or(items_begin, |h| h.line)
            .min(items_begin)
            .max(headings[i].next_line);
        let text = section_text(doc, &headings[i..=i], 0, summary_end);
        parsed.summary = SUMMARY_INTRO.replace(&text, "").into_owned();
        taken.push(headings[i].line..summary_end);
    } else {
        parsed.warnings.push(
            "heading 'CLINICAL CASE SUMMARY' not found: the letter has no summary".to_string(),
        );
    }
    if let Some(i) = position(HOW_MADE) {
        parsed.qualifications = section_text(doc, &headings, i, end);
    }
    if items.is_empty() {
        parsed.warnings.push(
            "no '<item>: Upheld' or '<item>: Overturned' line found: the letter has no items"
                .to_string(),
        );
    }
    for (k, heading) in items.iter().enumerate() {
        let block_end = items.get(k + 1).map_or(end, |h| h.first_line);
        parsed.items.push(read_item(
            &labels,
            heading,
            block_end,
            vocab,
            &mut parsed.warnings,
            k,
        ));
    }
    taken.push(items_begin..end);
    taken.sort_by_key(|r| r.start);
    parsed.rest = lines_outside(doc, &taken);
    parsed
}

fn read_item(
    labels: &LineLabels,
    heading: &ItemHeading,
    block_end: usize,
    vocab: &Vocabulary,
    warnings: &mut Vec<String>,
    index: usize,
) -> RawItem {
    let texts = split_labelled(labels, heading.next_line..block_end);
    let rationale = if texts.rationale.is_empty() {
        warnings.push(format!(
            "item {index} ({}): no 'Decision rationale:' label; the text under the item is taken as its rationale",
            heading.name
        ));
        texts.preamble
    } else {
        texts.rationale
    };
    let concluded = concluded_outcome_at_end(&rationale, vocab);
    let decision = match (heading.decision, concluded) {
        (Some(stated), Some(concluded)) if stated != concluded => {
            warnings.push(format!(
                "item {index} ({}): its line says {}, but its rationale concludes {}; the line's outcome is kept",
                heading.name,
                stated.slug(),
                concluded.slug()
            ));
            Some(stated)
        }
        (stated, concluded) => stated.or(concluded),
    };
    RawItem {
        treatment: heading.name.clone(),
        decision,
        claims_citations: texts.claims_citations,
        reviewer_citations: texts.reviewer_citations,
        rationale,
    }
}

/// Every item heading of `region`: the lines that state an outcome, and the items
/// whose line states none, found by the labels under them.
fn item_headings(
    doc: &Document,
    region: Range<usize>,
    forms: &LetterForms,
    labels: &LineLabels,
) -> Vec<ItemHeading> {
    let mut headings = outcome_line_headings(doc, region.clone(), forms, labels);
    let unworded = unworded_headings(doc, region, &headings, forms, labels);
    if !unworded.is_empty() {
        headings.extend(unworded);
        headings.sort_by_key(|h| h.first_line);
    }
    headings
}

/// The items of `region` whose line has no outcome word ("2. Shockwave therapy, 3
/// sessions"): a claims administrator's label that opens a new set of labels (the
/// first of the region before any outcome line, or one after a rationale) under a
/// name of its own, a numbered line or a paragraph that is no label.
fn unworded_headings(
    doc: &Document,
    region: Range<usize>,
    worded: &[ItemHeading],
    forms: &LetterForms,
    labels: &LineLabels,
) -> Vec<ItemHeading> {
    let mut found: Vec<ItemHeading> = Vec::new();
    let mut last_label: Option<ItemLabel> = None;
    let mut under_worded = false;
    for index in region.clone() {
        if worded.iter().any(|h| h.next_line == index + 1) {
            last_label = None;
            under_worded = true;
            continue;
        }
        let Some(label) = labels.label(index) else {
            continue;
        };
        let previous = last_label.replace(label);
        let opens = label == ItemLabel::ClaimsGuideline
            && match previous {
                Some(previous) => previous == ItemLabel::Rationale,
                None => !under_worded,
            };
        if !opens {
            continue;
        }
        let floor = found
            .last()
            .map(|h| h.next_line)
            .into_iter()
            .chain(worded.iter().map(|h| h.next_line).filter(|n| *n <= index))
            .max()
            .unwrap_or(region.start);
        if let Some(heading) = name_above(doc, index, floor, forms, labels) {
            found.push(heading);
            under_worded = false;
        }
    }
    found
}

/// The item name that ends on the line above `label_line`: that line, and the
/// lines above it it continues (a name wraps, even across a page break), at most
/// `MAX_NAME_LINES`; not a label, not a sentence.
fn name_above(
    doc: &Document,
    label_line: usize,
    floor: usize,
    forms: &LetterForms,
    labels: &LineLabels,
) -> Option<ItemHeading> {
    let last = label_line.checked_sub(1).filter(|l| *l >= floor)?;
    if labels.label(last).is_some() {
        return None;
    }
    let mut first = last;
    while first > floor
        && last - first + 1 < MAX_NAME_LINES
        && forms.numbering(&doc.lines[first].text).is_none()
        && continues_into(doc, first - 1, first, forms, labels)
    {
        first -= 1;
    }
    let lines: Vec<&str> = doc.lines[first..=last]
        .iter()
        .map(|l| l.text.as_ref())
        .collect();
    let name = tidy_treatment(&join_lines(lines), forms);
    let prose = name.ends_with(['.', '!', '?']) || name.split_whitespace().count() > 30;
    (!name.is_empty() && !prose).then_some(ItemHeading {
        first_line: first,
        next_line: label_line,
        name,
        decision: None,
    })
}

/// The items whose line states an outcome (`<name>:  Upheld`).
fn outcome_line_headings(
    doc: &Document,
    region: Range<usize>,
    forms: &LetterForms,
    labels: &LineLabels,
) -> Vec<ItemHeading> {
    let mut headings: Vec<ItemHeading> = Vec::new();
    for index in region.clone() {
        let text = doc.lines[index].text.as_ref();
        let Some((name, decision)) = read_outcome_line(text, forms) else {
            continue;
        };
        let floor = headings.last().map_or(region.start, |h| h.next_line);
        let (mut first_line, name_part) = match name {
            OutcomeName::Before(name) if name.trim().is_empty() => continue,
            OutcomeName::Before(name) => (index, name),
            OutcomeName::OnLineAbove => {
                let Some(previous) = index.checked_sub(1).filter(|p| *p >= floor) else {
                    continue;
                };
                let previous_text = doc.lines[previous].text.as_ref();
                if !previous_text.ends_with(':') || labels.label(previous).is_some() {
                    continue;
                }
                (previous, previous_text)
            }
        };
        let mut name_lines = vec![name_part];
        while first_line > floor
            && name_lines.len() < MAX_NAME_LINES
            && continues_into(doc, first_line - 1, first_line, forms, labels)
        {
            first_line -= 1;
            name_lines.insert(0, doc.lines[first_line].text.as_ref());
        }
        headings.push(ItemHeading {
            first_line,
            next_line: index + 1,
            name: tidy_treatment(&join_lines(name_lines), forms),
            decision: Some(decision),
        });
    }
    headings
}

/// Whether line `above` is the start of an item name wrapped onto line `below`: no
/// paragraph break between them (a page break may fall anywhere), and `above`
/// neither ends a sentence nor is a label.
fn continues_into(
    doc: &Document,
    above: usize,
    below: usize,
    forms: &LetterForms,
    labels: &LineLabels,
) -> bool {
    let text = doc.lines[above].text.as_ref();
    let below = &doc.lines[below];
    // "... (DOS:" goes on in "3/4/14):  Upheld"; any other colon ends a label. A
    // numbering's parenthesis ("1)") opens nothing.
    let open_parenthesis = || {
        let name = &text[forms.numbering(text).map_or(0, |(_, after)| after)..];
        name.matches('(').count() > name.matches(')').count()
    };
    (!below.break_before || below.page_break_before)
        && !text.ends_with(['.', '!', '?', ';'])
        && (!text.ends_with(':') || open_parenthesis())
        && labels.label(above).is_none()
        && !text.chars().all(|c| !c.is_lowercase())
}

/// Where an outcome line's item name is.
#[derive(Debug, PartialEq, Eq)]
enum OutcomeName<'a> {
    /// Before the outcome word and its colon, on the same line.
    Before(&'a str),
    /// The word stands alone; its name ended the line above with a colon.
    OnLineAbove,
}

/// `<name>: Upheld` (the name may hold colons of its own; the separators are the
/// file's) or the outcome word alone, either followed by spaces and a full stop at
/// most; the outcome is the word's.
fn read_outcome_line<'a>(
    line: &'a str,
    forms: &LetterForms,
) -> Option<(OutcomeName<'a>, Decision)> {
    let (name, separated, decision) = forms.line_outcome(line)?;
    let name = if separated {
        OutcomeName::Before(name)
    } else {
        OutcomeName::OnLineAbove
    };
    Some((name, decision))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Pattern;

    fn read(line: &str) -> Option<(OutcomeName<'_>, Decision)> {
        read_outcome_line(line, &Vocabulary::embedded().forms)
    }

    /// What `read_outcome_line` reads, as two patterns say it.
    fn by_patterns(line: &str) -> Option<(OutcomeName<'_>, Decision)> {
        let named = Pattern::new(
            r"(?i)^(?P<name>(?u:.)*?)(?:\s*:|\s+(?:--|-|\x{2013}|\x{2014})|(?:--|-|\x{2013}|\x{2014})\s+)\s*(?P<outcome>upheld|overturned|uphold|overturn)\s*\.?$",
        );
        let alone = Pattern::new(r"(?i)^(?P<outcome>upheld|overturned|uphold|overturn)\s*\.?$");
        let decision = |word: &str| {
            if word.to_ascii_lowercase().starts_with("uph") {
                Decision::Upheld
            } else {
                Decision::Overturned
            }
        };
        if let Some(c) = named.captures(line) {
            let name = c.name("name").map_or("", |m| m.as_str());
            return Some((OutcomeName::Before(name), decision(&c["outcome"])));
        }
        alone
            .captures(line)
            .map(|c| (OutcomeName::OnLineAbove, decision(&c["outcome"])))
    }

    #[test]
    fn outcome_lines_of_every_form() {
        for line in [
            "Lumbar MRI:  Upheld",
            "EMG: bilateral lower: Overturned.",
            "Upheld",
            "overturned .",
            ": Upheld",
            "Name:: UPHOLD",
            "Nonupheld",
            "Upheld. ",
            "Upheld..",
            "Tramadol 50mg #60: overturn",
            "1. Custom orthotics -- UPHELD",
            "Knee MRI - left \u{2014} Overturned",
            "non-upheld",
            "Lumbar MRI -Upheld",
            "  Upheld",
        ] {
            assert_eq!(read(line), by_patterns(line), "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn outcome_lines_read_as_the_patterns_do(
            head in "[a-zé :.\t-]{0,12}",
            word in "(Upheld|upheld|OVERTURNED|Overturned|uphold|overturn|overturne|upheldx)",
            tail in "[ .\t]{0,3}",
        ) {
            let line = format!("{head}{word}{tail}");
            proptest::prop_assert_eq!(read(&line), by_patterns(&line));
        }
    }
}
