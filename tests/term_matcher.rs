//! The two ways of matching a vocabulary's phrases (a table of phrases for short
//! texts, an Aho-Corasick DFA for whole letters) give the same matches: the parser
//! and the indexer rely on a phrase being found, or not, whichever way a text is
//! searched.

use imr_search::vocab::{TermMatcher, Vocabulary};
use proptest::prelude::*;

/// Bytes that make phrases overlap, nest, start inside words, touch digits and
/// stand next to non-ASCII letters.
const TEXT_PIECES: &[&str] = &[
    "a", "b", "ab", "A", "B", "1", "2", " ", "-", ".", "é", "low", "back", "LOW BACK", "l4-5",
];

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(&["a", "b", "A", "1", "-", " ", "ab"][..]),
        1..5,
    )
    .prop_map(|parts| parts.concat())
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEXT_PIECES), 0..30).prop_map(|parts| parts.concat())
}

fn groups() -> impl Strategy<Value = Vec<Vec<String>>> {
    prop::collection::vec(prop::collection::vec(phrase(), 1..4), 1..5)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_table_and_the_automaton_agree(groups in groups(), text in text()) {
        let table = TermMatcher::new(&groups);
        let automaton = TermMatcher::for_long_texts(&groups).unwrap();
        prop_assert_eq!(table.find_all(&text), automaton.find_all(&text));
        prop_assert_eq!(table.find_at_start(&text), automaton.find_at_start(&text));
    }
}

/// The real vocabularies, over the fixture letters' text.
#[test]
fn the_two_agree_on_the_vocabularies_over_the_fixture_letters() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters");
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned()
        })
        .collect();
    assert!(texts.len() > 10);
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let mut checked = 0;
    for (file, key, terms) in [
        ("regions.json", "regions", "terms"),
        ("categories.json", "categories", "terms"),
        ("drug_classes.json", "classes", "terms"),
        ("specialties.json", "specialties", "aliases"),
    ] {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(schema.join(file)).unwrap()).unwrap();
        let groups: Vec<Vec<String>> = json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|group| {
                group[terms]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect()
            })
            .collect();
        let table = TermMatcher::new(&groups);
        let automaton = TermMatcher::for_long_texts(&groups).unwrap();
        for text in &texts {
            let found = table.find_all(text);
            assert_eq!(found, automaton.find_all(text), "{file}");
            checked += found.len();
            for line in text.lines() {
                assert_eq!(
                    table.find_at_start(line),
                    automaton.find_at_start(line),
                    "{file}: {line}"
                );
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} matches: the test would not see a difference"
    );
    // The vocabulary built from the same files finds regions in the same letters.
    let vocabulary = Vocabulary::embedded();
    assert!(texts.iter().any(|t| !vocabulary.regions_in(t).is_empty()));
}
