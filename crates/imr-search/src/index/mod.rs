//! The search index on disk. A directory holds generations (`gen-000001/`, each a
//! tantivy index), a pointer file `imr-index.json` naming the live generation, its
//! schema version and its input roots, and a lock file that one writer holds at a
//! time. A rebuild writes a new generation beside the live one and swaps the pointer
//! with an atomic rename, so searches see the old index or the new, never half of
//! one, and a failed rebuild leaves the old one serving.

pub mod codes;
pub mod documents;
pub mod pairs;
pub mod schema;
mod stem;
pub mod synonyms;
pub mod writer;

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use schema::{Fields, IndexSchema};
pub use synonyms::Synonyms;

/// The pointer file's name.
const POINTER: &str = "imr-index.json";
/// The lock file's name.
const LOCK: &str = "imr-index.lock";
/// Prefix of generation directories.
const GENERATION_PREFIX: &str = "gen-";

/// What can go wrong with an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: build one with `imr index --index {0} INPUT...`")]
    Missing(PathBuf),
    #[error("the index at {path} was built with schema {found}, and this imr uses schema {expected}: run `imr index --rebuild --index {path}`")]
    SchemaMismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error(
        "another `imr index` is updating {0} (its lock file is held); wait for it, or pass --wait"
    )]
    Busy(PathBuf),
    #[error("no inputs: name files or directories, or index them once so that the index remembers its roots")]
    NoInputs,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("index schema: {0}")]
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

/// The pointer file: what the live generation is and how it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pointer {
    pub schema_version: String,
    pub generation: String,
    /// The input roots, absolute.
    pub roots: Vec<PathBuf>,
    /// What the codes of the coded facets mean; a facet missing here is counted
    /// from its facet column.
    #[serde(default, skip_serializing_if = "codes::CodeTables::is_empty")]
    pub facet_codes: codes::CodeTables,
}

/// An index directory.
#[derive(Debug, Clone)]
pub struct IndexHome {
    root: PathBuf,
}

/// The writer lock; released when dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl IndexHome {
    /// The index at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> IndexHome {
        IndexHome { root: root.into() }
    }

    /// The index directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The pointer, if an index was ever committed here.
    pub fn read_pointer(&self) -> Result<Option<Pointer>, IndexError> {
        let path = self.root.join(POINTER);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                IndexError::io(
                    &path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(IndexError::io(&path, e)),
        }
    }

    /// Replaces the pointer atomically: written beside, synced, renamed over.
    fn write_pointer(&self, pointer: &Pointer) -> Result<(), IndexError> {
        let path = self.root.join(POINTER);
        let temporary = self.root.join(format!("{POINTER}.tmp"));
        let text = serde_json::to_string_pretty(pointer).expect("pointers serialise");
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&temporary)?;
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)?;
            File::open(&self.root)?.sync_all()
        };
        write().map_err(|e| IndexError::io(&path, e))
    }

    /// Takes the writer lock, failing at once when another writer holds it (or
    /// waiting for it, with `wait`).
    pub fn lock(&self, wait: bool) -> Result<WriterLock, IndexError> {
        std::fs::create_dir_all(&self.root).map_err(|e| IndexError::io(&self.root, e))?;
        let path = self.root.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| IndexError::io(&path, e))?;
        if wait {
            file.lock().map_err(|e| IndexError::io(&path, e))?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(IndexError::Busy(self.root.clone()))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(IndexError::io(&path, e)),
            }
        }
        Ok(WriterLock { _file: file })
    }

    fn generation_dir(&self, generation: &str) -> PathBuf {
        self.root.join(generation)
    }

    /// The generation after every one in the directory.
    fn next_generation(&self) -> Result<String, IndexError> {
        let highest = self
            .generations()?
            .iter()
            .filter_map(|g| g.strip_prefix(GENERATION_PREFIX)?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{GENERATION_PREFIX}{:06}", highest + 1))
    }

    fn generations(&self) -> Result<Vec<String>, IndexError> {
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(IndexError::io(&self.root, e)),
        };
        Ok(entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.starts_with(GENERATION_PREFIX))
            .collect())
    }

    /// Removes generations other than `keep`: those a rebuild replaced, and those a
    /// killed rebuild left half-built. Only a lock holder calls this.
    pub(crate) fn remove_generations_except(&self, keep: &str) -> Result<(), IndexError> {
        for generation in self.generations()? {
            if generation != keep {
                let dir = self.generation_dir(&generation);
                tracing::info!(dir = %dir.display(), "removing an old generation");
                std::fs::remove_dir_all(&dir).map_err(|e| IndexError::io(&dir, e))?;
            }
        }
        Ok(())
    }

    /// Opens the live generation for searching. A rebuild may swap generations
    /// between reading the pointer and opening its directory; then the pointer is
    /// read again.
    pub fn open(
        &self,
        schema: &IndexSchema,
    ) -> Result<(tantivy::Index, tantivy::IndexReader, Pointer), IndexError> {
        const ATTEMPTS: usize = 5;
        let mut last_error = None;
        for _ in 0..ATTEMPTS {
            let pointer = self
                .read_pointer()?
                .ok_or_else(|| IndexError::Missing(self.root.clone()))?;
            if pointer.schema_version != schema.version {
                return Err(IndexError::SchemaMismatch {
                    path: self.root.clone(),
                    found: pointer.schema_version,
                    expected: schema.version.clone(),
                });
            }
            // The reader maps every segment file: once it exists, a rebuild may
            // remove this generation without harm.
            let opened = tantivy::Index::open_in_dir(self.generation_dir(&pointer.generation))
                .and_then(|mut index| {
                    schema::register_tokenizers(&index);
                    // Segments are searched in parallel, one thread per core.
                    index.set_default_multithread_executor()?;
                    let reader = index.reader()?;
                    Ok((index, reader))
                });
            match opened {
                Ok((index, reader)) => return Ok((index, reader, pointer)),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.map_or_else(|| IndexError::Missing(self.root.clone()), IndexError::from))
    }
}
