//! The search index on disk. A directory holds generations (`gen-000001/`, each a
//! tantivy index), a manifest `imr-index.json` naming the live generation, its
//! schema version and its input roots, and a lock file that one writer holds at a
//! time. A rebuild writes a new generation beside the live one and swaps the manifest
//! with an atomic rename, so searches see the old index or the new, never half of
//! one, and a failed rebuild leaves the old one serving.

pub mod codes;
mod common_words;
mod dir;
pub mod documents;
mod lock_patience;
mod manifest;
pub mod pairs;
pub mod schema;
mod stem;
pub mod synonyms;
pub mod writer;

use std::path::{Path, PathBuf};

pub use dir::{IndexDir, WriterLock};
pub use manifest::{Manifest, MANIFEST};
pub use schema::{Fields, IndexSchema};
pub use synonyms::Synonyms;

/// What can go wrong with an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: build one with `imr index --index {0} INPUT...`")]
    /// No index has been committed in the directory.
    Missing(PathBuf),
    /// The directory holds files, but no index: letters, most likely.
    #[error("{0} is not an imr index (it has no imr-index.json); if it holds letters, index them with `imr index --index imr-index {0}`")]
    NotAnIndex(PathBuf),
    #[error("the index at {path} was built with schema {found}, and this imr uses schema {expected}: run `imr index --rebuild --index {path}`")]
    /// The index was built with another version of the index definition.
    SchemaMismatch {
        /// The index directory.
        path: PathBuf,
        /// The version the index was built with.
        found: String,
        /// This program's version.
        expected: String,
    },
    #[error(
        "another `imr index` is updating {0} (its lock file is held); wait for it, or pass --wait"
    )]
    /// Another writer holds the index's lock.
    Busy(PathBuf),
    #[error("no inputs: name files or directories, or index them once so that the index remembers its roots")]
    /// Nothing to index: no inputs given, and no roots remembered.
    NoInputs,
    /// The index would be written inside one of its inputs.
    #[error("the index {index} is inside the input folder {input}: the next run would read the index's own files as letters; put it elsewhere (--index DIR), or pass --force")]
    InsideInputs {
        /// The index directory.
        index: PathBuf,
        /// The input folder holding it.
        input: PathBuf,
    },
    #[error("{path}: {source}")]
    /// A file of the index could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    #[error("index: {0}")]
    /// tantivy failed.
    Tantivy(#[from] tantivy::TantivyError),
    #[error("index schema: {0}")]
    /// The index definition (`index.json`) is not valid.
    Schema(String),
}

impl IndexError {
    fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
