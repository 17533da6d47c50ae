//! A facet value as a person types it, checked against the values the index
//! holds: found ignoring case and how words are joined (`Low Back`, `low_back`,
//! `low-back`), or refused with the nearest known values, never searched for as
//! typed and answered with nothing.

use std::collections::BTreeSet;

use super::SearchError;

/// Most values a refusal suggests.
const SUGGESTIONS: usize = 3;
/// Least similarity (0 to 1) of a value suggested for a misspelling.
const SIMILAR_ENOUGH: f64 = 0.7;
/// Suggestions beside the nearest are at most this much less similar.
const NEAR_THE_BEST: f64 = 0.1;
/// A facet with at most this many values lists them all when nothing is close.
const LISTED_WHOLE: usize = 20;

/// The path (leading `/`) that `typed` names among the values of the index
/// (`in_index`: paths with their leading `/`, every depth) and those its
/// vocabulary allows (`also_valid`), or why none does. Suggestions come from the
/// index's values first.
pub(crate) fn resolve(
    facet: &str,
    typed: &str,
    in_index: &BTreeSet<String>,
    also_valid: &BTreeSet<String>,
) -> Result<String, SearchError> {
    let wanted = folded(typed);
    let found = in_index
        .iter()
        .chain(also_valid)
        .find(|path| folded(path) == wanted);
    if let Some(path) = found {
        return Ok(path.clone());
    }
    let hint = match nearest(&wanted, in_index) {
        Some(near) => near,
        None => nearest(&wanted, also_valid).unwrap_or_else(|| listing(facet, in_index)),
    };
    Err(SearchError::UnknownValue {
        facet: facet.to_string(),
        value: typed.to_string(),
        hint,
    })
}

/// A value as it is compared: lowercase, without the leading or trailing `/`, its
/// words joined by `-` however they were typed.
fn folded(value: &str) -> String {
    let trimmed = value.trim().trim_matches('/');
    trimmed
        .split('/')
        .map(|part| {
            part.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
                .filter(|word| !word.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// "did you mean" the values of `known` nearest `wanted`; none when none is near.
fn nearest(wanted: &str, known: &BTreeSet<String>) -> Option<String> {
    let mut scored: Vec<(f64, &String)> = known
        .iter()
        .map(|path| (similarity(wanted, &folded(path)), path))
        .filter(|(score, _)| *score >= SIMILAR_ENOUGH)
        .collect();
    if scored.is_empty() {
        return None;
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let best = scored[0].0;
    let near: Vec<&str> = scored
        .iter()
        .take_while(|(score, _)| best - score <= NEAR_THE_BEST)
        .take(SUGGESTIONS)
        .map(|(_, path)| path.trim_start_matches('/'))
        .collect();
    Some(format!("did you mean {}?", near.join(" or ")))
}

/// The facet's values, when they are few; where to find them, when many.
fn listing(facet: &str, known: &BTreeSet<String>) -> String {
    if known.is_empty() {
        return format!("the index has no {facet} values");
    }
    if known.len() <= LISTED_WHOLE {
        let all: Vec<&str> = known.iter().map(|p| p.trim_start_matches('/')).collect();
        return format!("{facet} values are: {}", all.join(", "));
    }
    format!("`imr stats --by {facet}` lists the {} values", known.len())
}

/// How alike two folded values are, 0 to 1: the better of the whole values
/// compared and the typed value against the known value's last part (`opioid`
/// for `pharmaceutical/opioid`).
fn similarity(wanted: &str, known: &str) -> f64 {
    let whole = strsim::normalized_damerau_levenshtein(wanted, known);
    let last = known.rsplit('/').next().unwrap_or(known);
    let tail = if wanted.contains('/') {
        0.0
    } else {
        strsim::normalized_damerau_levenshtein(wanted, last)
    };
    whole.max(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    fn message(facet: &str, typed: &str, paths: &[&str]) -> String {
        resolve(facet, typed, &known(paths), &BTreeSet::new())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_value_is_found_ignoring_case_and_word_joins() {
        let regions = known(&["/knee", "/low-back", "/neck"]);
        let none = BTreeSet::new();
        for typed in ["low-back", "Low Back", "LOW_BACK", "/low-back/"] {
            assert_eq!(
                resolve("region", typed, &regions, &none).unwrap(),
                "/low-back"
            );
        }
        let specialties = known(&["/Family Medicine", "/Internal Medicine"]);
        assert_eq!(
            resolve("specialty", "family medicine", &specialties, &none).unwrap(),
            "/Family Medicine"
        );
    }

    #[test]
    fn a_misspelt_value_is_refused_with_the_nearest() {
        assert_eq!(
            message("region", "lowback", &["/knee", "/low-back", "/neck"]),
            "no region \"lowback\" in the index; did you mean low-back?"
        );
        assert!(message(
            "category",
            "pharmaceutical/opiod",
            &["/pharmaceutical", "/pharmaceutical/opioid", "/surgery"]
        )
        .ends_with("did you mean pharmaceutical/opioid?"));
        assert!(message(
            "category",
            "opioid",
            &["/pharmaceutical", "/pharmaceutical/opioid", "/surgery"]
        )
        .contains("did you mean pharmaceutical/opioid"));
    }

    #[test]
    fn the_index_values_are_suggested_before_the_vocabulary_ones() {
        let in_index = known(&["/pharmaceutical", "/pharmaceutical/opioid", "/surgery"]);
        let vocabulary = known(&["/dme/opioid", "/surgery/opioid", "/pharmaceutical/opioid"]);
        let said = resolve("category", "opioid", &in_index, &vocabulary)
            .unwrap_err()
            .to_string();
        assert!(
            said.ends_with("did you mean pharmaceutical/opioid?"),
            "{said}"
        );
        assert_eq!(
            resolve("category", "dme/opioid", &in_index, &vocabulary).unwrap(),
            "/dme/opioid"
        );
    }

    #[test]
    fn a_value_like_none_lists_a_short_facet_whole() {
        assert_eq!(
            message("decision", "denied", &["/overturned", "/upheld"]),
            "no decision \"denied\" in the index; decision values are: overturned, upheld"
        );
        let many: Vec<String> = (0..50).map(|n| format!("/value{n:02}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(message("specialty", "zzzzzzzzzzzz", &many).contains("imr stats --by specialty"));
    }
}
