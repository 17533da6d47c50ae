//! Answering questions of the index: keyword queries with filters, facet counts,
//! snippets, outcome statistics, one item in full, and similar rationales.
//!
//! A question goes one way: a [`SearchRequest`] (its text parsed by [`query`]) is
//! compiled by the [`QueryCompiler`] into a tantivy query; the [`Engine`] runs it
//! in one pass over the matching items (`collect`), counting facets as it goes
//! (`facet_counts`, or `stats` for outcomes), and answers with a
//! [`SearchResponse`]. `letter_wide`, `prefix` and `word_alternatives` are the
//! tantivy queries the compiler builds beyond tantivy's own.

mod collect;
mod compiler;
mod engine;
mod error;
mod export;
mod facet_counts;
pub mod letter_wide;
pub mod prefix;
pub mod query;
mod request;
mod response;
mod stats;
mod values;
pub mod word_alternatives;

pub use compiler::QueryCompiler;
pub use engine::Engine;
pub use error::SearchError;
pub use export::{CsvHit, ExportedHit};
pub use query::{Node, QueryError};
pub use request::{Filters, SearchRequest, Sort};
pub use response::{
    FacetTable, GuidelineMatch, Hit, ItemRecord, LetterRecord, SearchResponse, ShownLetter,
    StatsResponse, StatsRow,
};
