//! What goes wrong serving, and how each is answered: a malformed query or an
//! unknown value is the client's (400, the command line's message), an unknown id
//! is 404, a search past its time budget 503.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use imr_search::index::IndexError;
use imr_search::search::SearchError;

/// Why the server could not answer, or could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The question cannot be answered as asked.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A parameter the API does not take, or out of its range.
    #[error("{0}")]
    BadParameter(String),
    /// The time budget was spent before an answer.
    #[error("the search took longer than {} s, or waited that long for a turn: narrow it (a filter, fewer facets) or try again", .0.as_secs_f64())]
    Busy(Duration),
    /// The address could not be listened on.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The server itself failed.
    #[error("{0}")]
    Io(std::io::Error),
}

impl From<IndexError> for ServeError {
    fn from(error: IndexError) -> Self {
        ServeError::Search(SearchError::Index(error))
    }
}

impl ServeError {
    /// The status an answer of this error carries.
    pub fn status(&self) -> StatusCode {
        match self {
            ServeError::Search(SearchError::NotFound(_)) => StatusCode::NOT_FOUND,
            ServeError::Search(SearchError::Index(_) | SearchError::Tantivy(_)) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ServeError::Search(_) | ServeError::BadParameter(_) => StatusCode::BAD_REQUEST,
            ServeError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServeError::Bind(..) | ServeError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Where in the query the problem is (1-based character), when it is in one.
    pub fn position(&self) -> Option<usize> {
        match self {
            ServeError::Search(SearchError::Query { error, .. }) => Some(error.position),
            _ => None,
        }
    }
}
