//! Outcomes stated in prose: "... is not medically necessary" upholds the denial,
//! "... is medically necessary" overturns it. The patterns are data
//! (`schema/outcomes.json`); this module decides which statement counts: the last
//! one the reviewer makes, not one that reports another's finding ("The prior
//! reviewer found the surgery not medically necessary", which
//! `schema/letter_forms.json` tells by its words).

use crate::model::Decision;
use crate::text::{sentence_start, Pattern};
use crate::vocab::Vocabulary;

/// How much of a rationale's end [`concluded_outcome_at_end`] reads: its last
/// sentences, where reviewers state their conclusion.
const CONCLUSION_REACH: usize = 400;

/// The outcome the last conclusion in `text` states, if any. Where an upholding and
/// an overturning statement end at the same place, the upholding one (the longer
/// match, with its negation) wins. A statement in a sentence that reports someone
/// else's finding does not count.
///
/// Reviewers conclude at the end, so the sentences are read from the last one
/// back, and the first that states an outcome decides: most texts are read no
/// further than their last sentence or two.
pub fn concluded_outcome(text: &str, vocab: &Vocabulary) -> Option<Decision> {
    let mut end = text.len();
    while end > 0 {
        let start = sentence_start(text, end);
        if let Some(decision) = stated_outcome(&text[start..end], vocab) {
            return Some(decision);
        }
        end = start.saturating_sub(1);
    }
    None
}

/// The outcome the last statement of one sentence states, unless the sentence
/// reports another's finding.
fn stated_outcome(sentence: &str, vocab: &Vocabulary) -> Option<Decision> {
    let last_end = |pattern: &Pattern| pattern.find_iter(sentence).last().map(|m| m.end());
    let upheld = last_end(vocab.upheld_pattern());
    let overturned = last_end(vocab.overturned_pattern());
    if (upheld.is_none() && overturned.is_none()) || vocab.forms.reports_another(sentence) {
        return None;
    }
    match (upheld, overturned) {
        (Some(u), Some(o)) if o > u => Some(Decision::Overturned),
        (Some(_), _) => Some(Decision::Upheld),
        (None, found) => found.map(|_| Decision::Overturned),
    }
}

/// The conclusion of a rationale's last sentences: what the reviewer says at the
/// end, for checking an outcome stated elsewhere.
pub fn concluded_outcome_at_end(text: &str, vocab: &Vocabulary) -> Option<Decision> {
    let mut start = text.len().saturating_sub(CONCLUSION_REACH);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    concluded_outcome(&text[start..], vocab)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(text: &str) -> Option<Decision> {
        concluded_outcome(text, &Vocabulary::embedded())
    }

    #[test]
    fn negation_decides() {
        assert_eq!(
            outcome("Therefore, this request is not medically necessary."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            outcome("The request for MRI is medically necessary and appropriate."),
            Some(Decision::Overturned)
        );
        assert_eq!(
            outcome("The request is not considered medically necessary."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            outcome("Medical necessity has not been established."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            outcome("Medical necessity has been established."),
            Some(Decision::Overturned)
        );
        assert_eq!(
            outcome("Medical necessity for the requested lumbar MRI has not been established."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            outcome("Medical necessity for the requested treatment has been established."),
            Some(Decision::Overturned)
        );
        assert_eq!(outcome("The patient is doing well."), None);
    }

    #[test]
    fn the_last_statement_counts() {
        assert_eq!(
            outcome(
                "UR found it not medically necessary. However, the request is medically necessary."
            ),
            Some(Decision::Overturned)
        );
    }

    #[test]
    fn a_reported_finding_does_not_decide() {
        assert_eq!(
            outcome("The prior reviewer found the surgery not medically necessary. However, the guideline criteria are met."),
            None
        );
        assert_eq!(
            outcome("The criteria are met. Utilization review found the request not medically necessary because no trial was documented."),
            None
        );
        assert_eq!(
            outcome("Although utilization review found the screen not medically necessary, testing is supported. The request is medically necessary and appropriate."),
            Some(Decision::Overturned)
        );
        assert_eq!(
            outcome("The request is not medically necessary. The treating physician states that it is medically necessary."),
            Some(Decision::Upheld)
        );
    }

    #[test]
    fn the_end_of_a_long_rationale_is_read() {
        let long = format!(
            "{} Therefore, the request is medically necessary.",
            "The records were reviewed in full. ".repeat(40)
        );
        assert_eq!(
            concluded_outcome_at_end(&long, &Vocabulary::embedded()),
            Some(Decision::Overturned)
        );
        assert_eq!(
            concluded_outcome_at_end(
                "\u{e9}t\u{e9} not medically necessary",
                &Vocabulary::embedded()
            ),
            Some(Decision::Upheld)
        );
    }
}
