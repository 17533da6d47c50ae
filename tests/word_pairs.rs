//! A text field with word pairs (`"pairs": true` in `schema/index.json`) answers
//! its two-word phrases from one term of the pairs: the same items, facet counts
//! and totals as reading positions gives.

use std::collections::BTreeSet;

use imr_search::index::{IndexDir, IndexSchema};
use imr_search::search::{Engine, SearchRequest, SearchResponse};
use tantivy::Term;

const INDEX_JSON: &str = include_str!("../schema/index.json");
const SYNONYMS_JSON: &str = include_str!("../schema/synonyms.json");

/// The compiled-in schema with word pairs for the rationales.
fn schema_with_rationale_pairs() -> IndexSchema {
    let rationale = r#"{"name": "rationale", "type": "text","#;
    assert!(INDEX_JSON.contains(rationale), "schema/index.json changed");
    let with_pairs = INDEX_JSON.replace(
        rationale,
        r#"{"name": "rationale", "type": "text", "pairs": true,"#,
    );
    IndexSchema::from_json(&with_pairs, SYNONYMS_JSON).unwrap()
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
    crate::util::index_with_threads(&plain_home, inputs.clone(), 1);
    let pairs_schema = schema_with_rationale_pairs();
    crate::util::index_with_schema(&pairs_home, inputs, 1, &pairs_schema);
    let plain = Engine::open(&plain_home).unwrap();
    let pairs = Engine::open_with_schema(&pairs_home, pairs_schema).unwrap();

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
        let (expected, found) = (search(&plain, query), search(&pairs, query));
        assert_eq!(found.total, expected.total, "{query}: total");
        assert_eq!(ids(&found), ids(&expected), "{query}: items");
        assert_eq!(found.facets, expected.facets, "{query}: facet counts");
        matched_somewhere += usize::from(expected.total > 0);
    }
    assert!(
        matched_somewhere >= 10,
        "only {matched_somewhere} of the queries match anything: the comparison says little"
    );
}
