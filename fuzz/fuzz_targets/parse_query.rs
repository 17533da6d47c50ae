//! Any text through the query language and the date filters.
#![no_main]

use libfuzzer_sys::fuzz_target;

const SCOPES: &[&str] = &[
    "treatment", "rationale", "summary", "guideline", "letter", "case", "decision", "region",
    "category", "claims_guideline", "specialty", "family", "year",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = imr_search::search::query::parse(text, SCOPES) {
        assert!(error.position >= 1 && !error.message.is_empty());
    }
    let _ = imr_search::parse::parse_date(text);
    let _ = imr_search::index::documents::timestamp(text);
});
