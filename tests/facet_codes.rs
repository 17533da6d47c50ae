//! Coded facets (one number per item) count exactly what tantivy's facet columns
//! count, for searches, filters and `stats` (also `stats` by an uncoded facet,
//! counted with the decision's code), after a build and after an incremental run.

use imr_search::index::IndexDir;
use imr_search::search::{Engine, Filters, SearchRequest};

const FACETS: [&str; 4] = ["decision", "category", "region", "guideline"];

/// Every question answered by the coded engine and by one counting facet columns.
/// The coded engine answers them all, so it reads the codes from their fast field
/// in its first search and from memory after (decoded once counted twice): both
/// ways are held to the facet columns' counts.
fn assert_same_counts(home: &IndexDir) {
    let coded = Engine::open(home).unwrap();
    for facet in ["decision", "category", "region"] {
        assert!(
            coded.compiler().facet_codes().contains_key(facet),
            "{facet} is not coded"
        );
    }
    let uncoded = Engine::open(home).unwrap().without_facet_codes();
    let filters = [
        Filters::default(),
        Filters {
            decision: vec!["overturned".into()],
            ..Filters::default()
        },
        Filters {
            category: vec!["pharmaceutical".into()],
            region: vec!["knee".into()],
            ..Filters::default()
        },
    ];
    for query in [
        "",
        "therapy",
        "mri",
        "opioid*",
        "\"physical therapy\"",
        "zzzz",
    ] {
        for filters in &filters {
            let request = SearchRequest {
                query: query.into(),
                filters: filters.clone(),
                facets: FACETS.map(String::from).to_vec(),
                limit: 3,
                ..SearchRequest::default()
            };
            let a = coded.search(&request).unwrap();
            let b = uncoded.search(&request).unwrap();
            assert_eq!(a.total, b.total, "{query:?} {filters:?}");
            assert_eq!(a.facets, b.facets, "{query:?} {filters:?}");
            // Coded facets are counted from their codes, the others in one pass
            // with the decision's code; the uncoded engine counts both with
            // tantivy's facet collectors, once per outcome.
            for by in ["category", "region", "decision", "guideline", "specialty"] {
                let a = coded.stats(query, filters, by).unwrap();
                let b = uncoded.stats(query, filters, by).unwrap();
                assert_eq!(a.rows, b.rows, "stats {query:?} --by {by}");
            }
        }
    }
    let all = coded
        .search(&SearchRequest {
            facets: vec!["category".into()],
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(all.facets["category"]["pharmaceutical"] > 0);
    assert!(all.facets["category"]
        .keys()
        .any(|k| k.starts_with("pharmaceutical/")));
}

#[test]
fn coded_counts_equal_facet_column_counts_before_and_after_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    crate::util::write_letters(&letters, 0, 300);
    let home = IndexDir::new(dir.path().join("index"));
    crate::util::index_in_process(&home, vec![letters.clone(), crate::util::fixtures()]);
    assert_same_counts(&home);

    let more = dir.path().join("more");
    crate::util::write_letters(&more, 300, 100);
    crate::util::index_in_process(&home, vec![more]);
    assert_same_counts(&home);
}
