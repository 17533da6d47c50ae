//! Generated malformed and extreme queries and filters: each gets an answer or a
//! clear error, never a panic.

use std::sync::OnceLock;

use imr_search::index::IndexDir;
use imr_search::search::{Engine, Filters, SearchError, SearchRequest, Sort};
use proptest::prelude::*;

/// Pieces that stress the query language.
const PIECES: &[&str] = &[
    "\"",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "+",
    "-",
    "*",
    "~",
    "~9",
    "~2",
    ":",
    "treatment:",
    "rationale:",
    "case:",
    "decision:",
    "guideline:",
    "guideline:/",
    "guideline:/MTUS/ACOEM",
    "region:",
    "category:pharmaceutical/opioid",
    "bogus:",
    "year:2014",
    "specialty:\"Family Medicine\"",
    "emg",
    "EMG",
    "radicul*",
    "radiculopahty~",
    "\"nerve conduction\"~3",
    "L4-5",
    "/",
    "//",
    "\\",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{feff}",
    "\u{200b}",
    "é",
    "日本",
    "🙂",
    "&&",
    "||",
    "^2",
    "[",
    "]",
    "{",
    "}",
    "?",
    "!",
    "'",
    "`",
    "%",
    "$",
    "#",
    "@",
    "=",
    "<",
    ">",
    "|",
    ";",
    ",",
    ".",
    "  ",
    "\t",
    "\n",
    "\r",
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    let (_, engine) = ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let home = IndexDir::new(dir.path().join("index"));
        crate::util::index_in_process(&home, vec![crate::util::fixtures()]);
        let engine = Engine::open(&home).unwrap();
        (dir, engine)
    });
    engine
}

fn query_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
            .prop_map(|p| p.join(" ")),
        proptest::collection::vec(proptest::sample::select(PIECES), 0..24).prop_map(|p| p.concat()),
        ".{0,200}",
        proptest::collection::vec(any::<char>(), 0..64).prop_map(|c| c.into_iter().collect()),
        (1usize..3_000).prop_map(|n| "emg ".repeat(n)),
        (9_990usize..10_010).prop_map(|n| "e".repeat(n)),
        (1usize..2_000).prop_map(|n| "(".repeat(n)),
        (1usize..2_000).prop_map(|n| format!("{}emg{}", "(".repeat(n), ")".repeat(n))),
    ]
}

fn filter_value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(PIECES).prop_map(str::to_string),
        Just("upheld".to_string()),
        Just("/MTUS/ACOEM/Chapter 12".to_string()),
        Just("ACOEM 12".to_string()),
        Just("2014-02-30".to_string()),
        Just("99999-01-01".to_string()),
        ".{0,40}",
    ]
}

fn check(request: &SearchRequest) -> Result<(), TestCaseError> {
    match engine().search(request) {
        Ok(response) => prop_assert!(response.hits.len() <= request.limit),
        Err(SearchError::Query { error, .. }) => {
            prop_assert!(error.position >= 1 && !error.message.is_empty())
        }
        Err(other) => prop_assert!(!other.to_string().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn malformed_or_extreme_queries_never_panic(query in query_strategy(), date_sort in any::<bool>()) {
        check(&SearchRequest {
            query,
            facets: vec!["decision".into(), "guideline".into()],
            limit: 5,
            sort: if date_sort { Sort::Date } else { Sort::Relevance },
            ..SearchRequest::default()
        })?;
    }

    #[test]
    fn odd_filters_never_panic(
        values in proptest::collection::vec(filter_value(), 9),
        facet in filter_value(),
        group in any::<bool>(),
    ) {
        let filters = Filters {
            decision: vec![values[0].clone()],
            region: vec![values[1].clone()],
            category: vec![values[2].clone()],
            guideline: vec![values[3].clone()],
            claims_guideline: vec![values[4].clone()],
            specialty: vec![values[5].clone()],
            family: vec![values[6].clone()],
            since: Some(values[7].clone()),
            until: Some(values[8].clone()),
            include_unparsed: group,
            case: vec![values[0].clone()],
        };
        check(&SearchRequest { query: "emg".into(), filters, facets: vec![facet], limit: 3, group_by_letter: group, ..SearchRequest::default() })?;
    }
}
