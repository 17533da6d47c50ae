//! The integration tests, one binary (as ripgrep's are), so the suite links the
//! library and tantivy once. Each module tests one capability; `util` holds what
//! they share.

mod cli_parse;
mod cli_search;
mod cli_usability;
mod crash;
mod facet_codes;
mod fixture_records;
mod guideline_facets;
mod hostile;
mod letter_text;
mod parser_variants;
mod pdf_hostile;
mod pdf_input;
mod properties;
mod query_fuzz;
mod segments;
mod serve_api;
mod serve_browser;
mod synth_accuracy;
mod term_matcher;
mod util;
mod word_pairs;
