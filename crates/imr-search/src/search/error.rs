//! What can go wrong answering a question.

use super::query::QueryError;
use crate::index::IndexError;

/// What can go wrong answering a question.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text could not be read.
    #[error("query {query:?}: {error}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong, and where.
        error: QueryError,
    },
    /// A facet name that the index does not have.
    #[error("unknown facet {name:?}; facets are: {known}")]
    UnknownFacet {
        /// The name as given.
        name: String,
        /// The facets there are, comma-separated.
        known: String,
    },
    /// A facet value the index does not hold, with the nearest it does.
    #[error("no {facet} {value:?} in the index; {hint}")]
    UnknownValue {
        /// The facet.
        facet: String,
        /// The value as given.
        value: String,
        /// The nearest values, or the facet's values.
        hint: String,
    },
    /// A filter value that cannot be used, with what is wrong.
    #[error("{0}")]
    BadValue(String),
    /// No item, letter, case or file is what was asked for.
    #[error(
        "no item, letter, case number or file {0:?} in the index (ids are as search prints them)"
    )]
    NotFound(String),
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// tantivy failed to answer.
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
