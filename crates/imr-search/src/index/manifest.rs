//! The manifest `imr-index.json`: which generation is live, the schema version it
//! was built with, its input roots, and what its facet codes mean. Replaced only
//! by an atomic rename, so a reader sees the old manifest or the new.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::codes::CodeTables;
use super::IndexError;

/// The manifest's file name in an index directory.
pub const MANIFEST: &str = "imr-index.json";

/// What the live generation is and how it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The version of the index definition the generation was built with.
    pub schema_version: String,
    /// The live generation's directory name (`gen-000001`).
    pub generation: String,
    /// The input roots, absolute.
    pub roots: Vec<PathBuf>,
    /// What the codes of the coded facets mean; a facet missing here is counted
    /// from its facet column.
    #[serde(default, skip_serializing_if = "CodeTables::is_empty")]
    pub facet_codes: CodeTables,
    /// The stems whose pairs a `"common"` pairs field holds, chosen from the
    /// corpus when the generation was created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_words: Vec<String>,
}

impl Manifest {
    /// The manifest of the index at `root`, if an index was ever committed there.
    pub fn read(root: &Path) -> Result<Option<Manifest>, IndexError> {
        let path = root.join(MANIFEST);
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

    /// Replaces the manifest of the index at `root` atomically: written beside,
    /// synced, renamed over.
    pub(crate) fn write(&self, root: &Path) -> Result<(), IndexError> {
        let path = root.join(MANIFEST);
        let temporary = root.join(format!("{MANIFEST}.tmp"));
        let text = serde_json::to_string_pretty(self).expect("manifests serialise");
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&temporary)?;
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)?;
            File::open(root)?.sync_all()
        };
        write().map_err(|e| IndexError::io(&path, e))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_walk_knows_an_index_by_its_manifest() {
        assert!(crate::input::INDEX_MARKERS.contains(&super::MANIFEST));
    }
}
