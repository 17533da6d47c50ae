//! Medical professional review letters: one item, in sections `ISSUE AT DISPUTE:`,
//! `CASE SUMMARY:`, `MEDICAL TREATMENT GUIDELINE(S) RELIED UPON ...:`, `RATIONALE
//! FOR WHY ... NOT MEDICALLY NECESSARY:` and `MEDICAL REVIEWER QUALIFICATIONS:`.
//! The rationale heading always says "not medically necessary"; the outcome is the
//! reviewer's conclusion in the rationale itself.

use std::sync::LazyLock;

use crate::text::Pattern;

use super::sections::HeadingSet;
use super::{concluded_outcome, section_text, tidy_treatment, FamilyParse, RawItem};
use crate::text::Document;
use crate::vocab::{LetterForms, SectionRole, Vocabulary};

const TITLE: usize = 0;
const ISSUE: usize = 1;
const SUMMARY: usize = 2;
const DOCUMENTS: usize = 3;
const GUIDELINES: usize = 4;
const RATIONALE: usize = 5;
const QUALIFICATIONS: usize = 6;

pub(super) const ROLES: [SectionRole; 7] = [
    SectionRole::ProfessionalReviewTitle,
    SectionRole::IssueAtDispute,
    SectionRole::ReviewSummary,
    SectionRole::DocumentsReviewed,
    SectionRole::ReviewGuidelines,
    SectionRole::ReviewRationale,
    SectionRole::ReviewQualifications,
];

/// The question form of an issue: "Is the requested lumbar MRI medically necessary?"
static QUESTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^(?:whether\s+|(?:is|was|are|were)\s+)(?:the\s+|an?\s+)?(?:(?:requested|proposed)\s+|requests?\s+for\s+(?:an?\s+|the\s+)?)?(?P<name>(?u:.)+?)(?:\s+(?:is|was|are|were))?(?:\s+medically\s+(?:necessary|reasonable)(?:\s+and\s+appropriate)?)?\s*\??$",
    )
});

/// Cuts a professional review letter into its parts.
pub(super) fn parse(doc: &Document, headings: &HeadingSet, vocab: &Vocabulary) -> FamilyParse {
    let mut parsed = FamilyParse::default();
    let headings = headings.find(doc);
    let end = doc.lines.len();
    let text_of = |spec: usize| {
        headings
            .iter()
            .position(|h| h.spec == spec)
            .map(|i| section_text(doc, &headings, i, end))
    };
    let mut rest_parts: Vec<String> = Vec::new();
    if let Some(first) = headings.first() {
        rest_parts.push(doc.text_of(0..first.line));
    }
    for spec in [TITLE, DOCUMENTS] {
        rest_parts.extend(text_of(spec));
    }

    parsed.summary = text_of(SUMMARY).unwrap_or_else(|| {
        parsed
            .warnings
            .push("heading 'CASE SUMMARY:' not found: the letter has no summary".to_string());
        String::new()
    });
    parsed.qualifications = text_of(QUALIFICATIONS).unwrap_or_default();
    rest_parts.push(parsed.qualifications.clone());

    let Some(issue) = text_of(ISSUE).filter(|t| !t.is_empty()) else {
        parsed.warnings.push(
            "heading 'ISSUE AT DISPUTE:' not found or empty: the letter has no item".to_string(),
        );
        parsed.rest = join_nonempty(&rest_parts);
        return parsed;
    };
    let rationale = text_of(RATIONALE).unwrap_or_else(|| {
        parsed.warnings.push(
            "heading 'RATIONALE FOR WHY ...:' not found: the item has no rationale".to_string(),
        );
        String::new()
    });
    parsed.items.push(RawItem {
        treatment: treatment_of_issue(&issue, &vocab.forms),
        decision: concluded_outcome(&rationale, vocab),
        claims_citations: String::new(),
        reviewer_citations: text_of(GUIDELINES).unwrap_or_default(),
        rationale,
    });
    parsed.rest = join_nonempty(&rest_parts);
    parsed
}

fn treatment_of_issue(issue: &str, forms: &LetterForms) -> String {
    let name = tidy_treatment(issue, forms);
    match QUESTION.captures(&name) {
        Some(c) => c["name"].trim().to_string(),
        None => name.trim_end_matches('?').trim().to_string(),
    }
}

fn join_nonempty(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn treatment_of_issue(issue: &str) -> String {
        super::treatment_of_issue(issue, &Vocabulary::embedded().forms)
    }

    #[test]
    fn issue_questions_become_treatment_names() {
        assert_eq!(
            treatment_of_issue("Is the requested MRI of the lumbar spine medically necessary?"),
            "MRI of the lumbar spine"
        );
        assert_eq!(
            treatment_of_issue(
                "Whether a request for 12 sessions of physical therapy is medically necessary"
            ),
            "12 sessions of physical therapy"
        );
        assert_eq!(
            treatment_of_issue("Lumbar epidural steroid injection at L4-5"),
            "Lumbar epidural steroid injection at L4-5"
        );
    }
}
