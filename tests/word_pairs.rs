//! A text field with word pairs (`"pairs"` in `schema/index.json`: every pair, or
//! pairs of the corpus's common words, the default for the rationales) answers its
//! two-word phrases from one term of the pairs where it has it: the same items,
//! facet counts and totals as reading positions gives.

use std::collections::BTreeSet;

use imr_search::index::{IndexDir, IndexSchema};
use imr_search::search::{Engine, SearchRequest, SearchResponse};
use tantivy::Term;

const INDEX_JSON: &str = include_str!("../schema/index.json");
const SYNONYMS_JSON: &str = include_str!("../schema/synonyms.json");

/// The compiled-in schema with the rationales' `pairs` set to `mode`.
fn schema_with_rationale_pairs(mode: &str) -> IndexSchema {
    let rationale = r#"{"name": "rationale", "type": "text", "pairs": "common","#;
    assert!(INDEX_JSON.contains(rationale), "schema/index.json changed");
    let changed = INDEX_JSON.replace(
        rationale,
        &format!(r#"{{"name": "rationale", "type": "text", "pairs": {mode},"#),
    );
    IndexSchema::from_json(&changed, SYNONYMS_JSON).unwrap()
}

fn search(engine: &Engine, query: &str) -> SearchResponse {
    engine
        .search(&SearchRequest {
            query: query.to_string(),
            facets: vec!["decision".into(), "category".into(), "region".into()],
            limit: 100_000,
            ..SearchRequest::default()
        })
        .unwrap()
}

fn ids(response: &SearchResponse) -> BTreeSet<String> {
    response.hits.iter().map(|hit| hit.id.clone()).collect()
}

#[test]
fn two_word_phrases_match_the_same_items_with_pairs_as_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    crate::util::write_letters(&letters, 0, 150);
    let inputs = vec![letters, crate::util::fixtures()];
    let plain_home = IndexDir::new(dir.path().join("plain"));
    let pairs_home = IndexDir::new(dir.path().join("pairs"));
    let common_home = IndexDir::new(dir.path().join("common"));
    let plain_schema = schema_with_rationale_pairs("false");
    crate::util::index_with_schema(&plain_home, inputs.clone(), 1, &plain_schema);
    let pairs_schema = schema_with_rationale_pairs("true");
    crate::util::index_with_schema(&pairs_home, inputs.clone(), 1, &pairs_schema);
    crate::util::index_with_threads(&common_home, inputs, 1);
    let plain = Engine::open_with_schema(&plain_home, plain_schema).unwrap();
    let pairs = Engine::open_with_schema(&pairs_home, pairs_schema).unwrap();
    let common = Engine::open(&common_home).unwrap();

    // The common words were chosen from the letters, and only their pairs indexed.
    let common_field = common
        .schema()
        .pairs_of(common.schema().fields.rationale)
        .unwrap();
    let common_searcher = common.searcher();
    let count = |term: &str| {
        common_searcher
            .doc_freq(&Term::from_field_text(common_field, term))
            .unwrap()
    };
    assert!(
        count("medic necessari") > 0,
        "a pair of common words is indexed"
    );
    assert_eq!(count("axial pain"), 0, "a pair with a rare word is not");

    // The pairs are in the index: the phrase's pair term has documents.
    let pairs_field = pairs
        .schema()
        .pairs_of(pairs.schema().fields.rationale)
        .unwrap();
    let searcher = pairs.searcher();
    let pair_docs = searcher
        .doc_freq(&Term::from_field_text(pairs_field, "medic necessari"))
        .unwrap();
    assert!(
        pair_docs > 0,
        "no item's rationale pairs \"medically necessary\""
    );
    let all_count = |term: &str| {
        searcher
            .doc_freq(&Term::from_field_text(pairs_field, term))
            .unwrap()
    };
    assert!(
        all_count("axial pain") > 0,
        "every pair is indexed where pairs is true"
    );
    assert!(plain
        .schema()
        .pairs_of(plain.schema().fields.rationale)
        .is_none());

    let queries = [
        // Two words: answered by a pair term in the rationales.
        "\"medically necessary\"",
        "rationale:\"medically necessary\"",
        "\"functional improvement\"",
        "\"physical therapy\"",
        "\"muscle spasm\"",
        "\"low back\"",
        "\"nerve conduction\"",
        "\"axial pain\"",
        "\"necessary medically\"",
        "L4-5",
        "decision:overturned AND \"physical therapy\"",
        "\"medically necessary\" -\"physical therapy\"",
        // Three words, or words near: positions, as without pairs.
        "\"range of motion\"",
        "\"not medically necessary\"",
        "\"medically necessary\"~2",
    ];
    let mut matched_somewhere = 0;
    for query in queries {
        let expected = search(&plain, query);
        for (found, how) in [
            (search(&pairs, query), "all pairs"),
            (search(&common, query), "common pairs"),
        ] {
            assert_eq!(found.total, expected.total, "{query} with {how}: total");
            assert_eq!(ids(&found), ids(&expected), "{query} with {how}: items");
            assert_eq!(
                found.facets, expected.facets,
                "{query} with {how}: facet counts"
            );
        }
        matched_somewhere += usize::from(expected.total > 0);
    }
    assert!(
        matched_somewhere >= 10,
        "only {matched_somewhere} of the queries match anything: the comparison says little"
    );
}
