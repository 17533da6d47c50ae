//! Outcomes stated in prose: "... is not medically necessary" upholds the denial,
//! "... is medically necessary" overturns it. The patterns are data
//! (`schema/outcomes.json`); this module decides which statement counts.

use crate::model::Decision;
use crate::text::Pattern;
use crate::vocab::Vocabulary;

/// The outcome the last conclusion in `text` states, if any. Where an upholding and
/// an overturning pattern end at the same place, the upholding one (the longer
/// match, with its negation) wins.
pub fn concluded_outcome(text: &str, vocab: &Vocabulary) -> Option<Decision> {
    let last_end = |pattern: &Pattern| pattern.find_iter(text).map(|m| m.end()).last();
    match (
        last_end(vocab.upheld_pattern()),
        last_end(vocab.overturned_pattern()),
    ) {
        (None, None) => None,
        (Some(_), None) => Some(Decision::Upheld),
        (None, Some(_)) => Some(Decision::Overturned),
        (Some(upheld), Some(overturned)) if upheld >= overturned => Some(Decision::Upheld),
        _ => Some(Decision::Overturned),
    }
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
}
