//! An index directory: its generations, its manifest and its writer lock.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::lock_patience::patiently;
use super::manifest::Manifest;
use super::schema::{self, IndexSchema};
use super::IndexError;

/// The lock file's name.
const LOCK: &str = "imr-index.lock";
/// Prefix of generation directories.
const GENERATION_PREFIX: &str = "gen-";

/// An index directory.
#[derive(Debug, Clone)]
pub struct IndexDir {
    root: PathBuf,
}

/// The writer lock; released when dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl IndexDir {
    /// The index at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> IndexDir {
        IndexDir { root: root.into() }
    }

    /// The index directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The manifest, if an index was ever committed here.
    pub fn read_manifest(&self) -> Result<Option<Manifest>, IndexError> {
        Manifest::read(&self.root)
    }

    /// Takes the writer lock, failing when another writer holds it for longer than a
    /// moment (or waiting for it, with `wait`).
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
            let taken = patiently(
                || file.try_lock(),
                |error| matches!(error, std::fs::TryLockError::WouldBlock),
            );
            match taken {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(IndexError::Busy(self.root.clone()))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(IndexError::io(&path, e)),
            }
        }
        Ok(WriterLock { _file: file })
    }

    pub(crate) fn generation_dir(&self, generation: &str) -> PathBuf {
        self.root.join(generation)
    }

    /// The generation after every one in the directory.
    pub(crate) fn next_generation(&self) -> Result<String, IndexError> {
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

    /// Why there is no index here: nothing at all, or a folder of other files.
    fn missing(&self) -> IndexError {
        let holds_files = std::fs::read_dir(&self.root)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(false);
        if holds_files {
            IndexError::NotAnIndex(self.root.clone())
        } else {
            IndexError::Missing(self.root.clone())
        }
    }

    /// Opens the live generation for searching. A rebuild may swap generations
    /// between reading the manifest and opening its directory; then the manifest is
    /// read again.
    pub fn open(
        &self,
        schema: &IndexSchema,
    ) -> Result<(tantivy::Index, tantivy::IndexReader, Manifest), IndexError> {
        const ATTEMPTS: usize = 5;
        let mut last_error = None;
        for _ in 0..ATTEMPTS {
            let manifest = self.read_manifest()?.ok_or_else(|| self.missing())?;
            if manifest.schema_version != schema.version {
                return Err(IndexError::SchemaMismatch {
                    path: self.root.clone(),
                    found: manifest.schema_version,
                    expected: schema.version.clone(),
                });
            }
            // The reader maps every segment file: once it exists, a rebuild may
            // remove this generation without harm.
            let opened = tantivy::Index::open_in_dir(self.generation_dir(&manifest.generation))
                .and_then(|mut index| {
                    schema::register_tokenizers(&index, &schema.pair_words(&manifest.common_words));
                    // Segments are searched in parallel, one thread per core.
                    index.set_default_multithread_executor()?;
                    let reader = index.reader()?;
                    Ok((index, reader))
                });
            match opened {
                Ok((index, reader)) => return Ok((index, reader, manifest)),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.map_or_else(|| IndexError::Missing(self.root.clone()), IndexError::from))
    }
}
