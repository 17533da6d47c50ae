//! Notice letters (early 2013): `Notice of Independent Medical Review Determination`,
//! and under `IMR DECISION(S) AND RATIONALE(S)` numbered items ("1) Regarding the
//! request for ...", "Item 2: ..."; the numberings of `schema/letter_forms.json`).
//! No outcome word: each item's outcome is its reviewer's conclusion ("... is not
//! medically necessary and appropriate"), else the letter's whole determination
//! ("Final Determination: UPHOLD"), which is checked against the items'.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::Pattern;

use super::sections::{item_label, split_labelled, HeadingSet, LineLabels};
use super::{concluded_outcome, lines_outside, section_text, tidy_treatment, FamilyParse, RawItem};
use crate::model::Decision;
use crate::text::{join_lines, Document};
use crate::vocab::{Determination, LetterForms, SectionRole, Vocabulary};

const HOW_MADE: usize = 0;
const SUMMARY: usize = 1;
const DECISIONS: usize = 2;

pub(super) const ROLES: [SectionRole; 4] = [
    SectionRole::HowMade,
    SectionRole::ClinicalSummary,
    SectionRole::NoticeDecisions,
    SectionRole::DocumentsReviewed,
];

static REGARDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^regarding\s+(?:the\s+)?(?:(?:requests?|treatments?|services?)\s+for\s+)?(?:an?\s+)?",
    )
});

/// How many lines an item name may take.
const MAX_NAME_LINES: usize = 3;

/// Cuts a notice letter into its parts.
pub(super) fn parse(doc: &Document, headings: &HeadingSet, vocab: &Vocabulary) -> FamilyParse {
    let mut parsed = FamilyParse::default();
    let forms = &vocab.forms;
    let headings = headings.find(doc);
    let end = doc.lines.len();
    let position = |spec: usize| headings.iter().position(|h| h.spec == spec);
    let mut taken: Vec<Range<usize>> = Vec::new();

    if let Some(i) = position(SUMMARY) {
        parsed.summary = section_text(doc, &headings, i, end);
        let stop = headings.get(i + 1).map_or(end, |h| h.line);
        taken.push(headings[i].line..stop.max(headings[i].next_line));
    } else {
        parsed.warnings.push(
            "heading 'CLINICAL CASE SUMMARY' not found: the letter has no summary".to_string(),
        );
    }
    if let Some(i) = position(HOW_MADE) {
        parsed.qualifications = section_text(doc, &headings, i, end);
    }
    let Some(i) = position(DECISIONS) else {
        parsed.warnings.push(
            "heading 'IMR DECISION(S) AND RATIONALE(S)' not found: the letter has no items"
                .to_string(),
        );
        parsed.rest = lines_outside(doc, &taken);
        return parsed;
    };
    let region = headings[i].next_line..headings.get(i + 1).map_or(end, |h| h.line);
    let starts = item_starts(doc, region.clone(), forms);
    let labels = LineLabels::new(doc, &forms.labels);
    if starts.is_empty() {
        parsed.warnings.push(
            "no numbered item ('1) Regarding ...') found under 'IMR DECISION(S) AND RATIONALE(S)'"
                .to_string(),
        );
    }
    for (k, &(first, name_end, ref name)) in starts.iter().enumerate() {
        let block_end = starts.get(k + 1).map_or(region.end, |s| s.0);
        // A name that never found its colon may have run into the next item.
        let texts = split_labelled(&labels, name_end.min(block_end)..block_end);
        let rationale = if texts.rationale.is_empty() {
            texts.preamble.clone()
        } else {
            texts.rationale.clone()
        };
        let decision = concluded_outcome(&rationale, vocab)
            .or_else(|| concluded_outcome(&doc.text_of(first..block_end), vocab));
        parsed.items.push(RawItem {
            treatment: name.clone(),
            decision,
            claims_citations: texts.claims_citations,
            reviewer_citations: texts.reviewer_citations,
            rationale,
        });
    }
    let before_items = doc.text_of(0..starts.first().map_or(region.start, |s| s.0));
    apply_determination(&mut parsed, forms.determination(&before_items));
    let items_begin = starts.first().map_or(region.end, |s| s.0);
    taken.push(items_begin..region.end);
    taken.sort_by_key(|r| r.start);
    parsed.rest = lines_outside(doc, &taken);
    parsed
}

fn parentheses_closed(lines: &[&str]) -> bool {
    let count = |c: char| lines.iter().map(|l| l.matches(c).count()).sum::<usize>();
    count('(') <= count(')')
}

/// Decides the items no conclusion decided by the letter's whole determination,
/// when it is not partial, and says where the two disagree.
fn apply_determination(parsed: &mut FamilyParse, determination: Option<Determination>) {
    let whole = match determination {
        Some(Determination::Upheld) => Decision::Upheld,
        Some(Determination::Overturned) => Decision::Overturned,
        Some(Determination::Partial) | None => return,
    };
    for (index, item) in parsed.items.iter_mut().enumerate() {
        match item.decision {
            None => item.decision = Some(whole),
            Some(concluded) if concluded != whole => parsed.warnings.push(format!(
                "item {index} ({}): its rationale concludes {}, but the letter's determination is {}; the rationale's conclusion is kept",
                item.treatment,
                concluded.slug(),
                whole.slug()
            )),
            Some(_) => {}
        }
    }
}

/// Each item's first line, the line after its name, and its name.
fn item_starts(
    doc: &Document,
    region: Range<usize>,
    forms: &LetterForms,
) -> Vec<(usize, usize, String)> {
    let mut starts = Vec::new();
    let mut expected = 1u32;
    for index in region.clone() {
        let line = doc.lines[index].text.as_ref();
        let Some((number, name_at)) = forms.numbering(line) else {
            continue;
        };
        let first_text = line[name_at..].trim_end();
        if first_text.is_empty() {
            continue;
        }
        let regarding = REGARDING.is_match(first_text);
        if number != expected && !regarding {
            continue;
        }
        // The name ends at its colon, even across a page break, but not at one
        // inside parentheses ("(DOS:" at a line's end).
        let mut name_lines = vec![first_text];
        let mut next = index + 1;
        while !(name_lines
            .last()
            .is_some_and(|l| l.trim_end().ends_with(':'))
            && parentheses_closed(&name_lines))
            && name_lines.len() < MAX_NAME_LINES
            && next < region.end
            && item_label(&doc.lines[next].text, &forms.labels).is_none()
        {
            name_lines.push(&doc.lines[next].text);
            next += 1;
        }
        if !regarding
            && next < region.end
            && item_label(&doc.lines[next].text, &forms.labels).is_none()
        {
            continue;
        }
        let name = join_lines(name_lines);
        let name = REGARDING.replace(&name, "");
        starts.push((index, next, tidy_treatment(&name, forms)));
        expected = number + 1;
    }
    starts
}
