//! The files a command is pointed at: paths given, directories walked in name order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A path that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct InputError {
    /// The path, as reached.
    pub path: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

impl InputError {
    fn new(path: &Path, reason: impl std::fmt::Display) -> Self {
        InputError {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}

/// Every file under `roots` (a root that is a file is itself), each directory's
/// entries in name order, symbolic links followed. What cannot be walked is an
/// error in the list, in place, so the rest is still read.
pub fn files_under(roots: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut files = Vec::new();
    walk(roots, |entry| match entry {
        Ok(entry) if entry.is_file => files.push(Ok(entry.path)),
        Ok(_) => {}
        Err(error) => files.push(Err(error)),
    });
    files
}

/// A file found by a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// The path as walked, through the root as given.
    pub path: PathBuf,
    /// The path with every symbolic link resolved, absolute.
    pub real: PathBuf,
}

/// Every file under `roots`, as [`files_under`] finds them, with its real path.
/// Only a file reached through a symbolic link below its root is resolved component
/// by component: the others' real path is their root's with the rest of the walked
/// path.
pub fn real_files_under(roots: &[PathBuf]) -> Vec<Result<WalkedFile, InputError>> {
    let mut files = Vec::new();
    for root in roots {
        let real_root = std::fs::canonicalize(root).ok();
        // The depth of the linked directory (or file) the walk is inside, if any.
        let mut link_depth: Option<usize> = None;
        walk(std::slice::from_ref(root), |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => return files.push(Err(error)),
            };
            if link_depth.is_some_and(|depth| entry.depth <= depth) {
                link_depth = None;
            }
            // The root's own link is resolved with the root.
            if entry.is_link && entry.depth > 0 && link_depth.is_none() {
                link_depth = Some(entry.depth);
            }
            if !entry.is_file {
                return;
            }
            let shortcut = real_root
                .as_deref()
                .filter(|_| link_depth.is_none())
                .and_then(|real_root| under_real_root(&entry.path, root, real_root));
            files.push(match shortcut {
                Some(real) => Ok(WalkedFile {
                    path: entry.path,
                    real,
                }),
                None => match std::fs::canonicalize(&entry.path) {
                    Ok(real) => Ok(WalkedFile {
                        path: entry.path,
                        real,
                    }),
                    Err(e) => Err(InputError::new(&entry.path, e)),
                },
            });
        });
    }
    files
}

/// The real path of `path`, walked from `root` through no symbolic link: the
/// root's real path with the rest of `path`.
fn under_real_root(path: &Path, root: &Path, real_root: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix(root).ok()?;
    // A root that is a file is its own real path: joining an empty rest would add
    // a separator.
    Some(if rest.as_os_str().is_empty() {
        real_root.to_path_buf()
    } else {
        real_root.join(rest)
    })
}

/// One entry of a walk: a file, or a directory (which the caller may need to
/// track links through).
struct Entry {
    path: PathBuf,
    depth: usize,
    is_link: bool,
    is_file: bool,
}

/// The files that mark a folder as an imr index: its manifest and its lock
/// (`index::MANIFEST` and the lock beside it).
pub const INDEX_MARKERS: [&str; 2] = ["imr-index.json", "imr-index.lock"];

/// Whether `dir` is an imr index: its files are segments, not letters.
pub fn is_index_folder(dir: &Path) -> bool {
    INDEX_MARKERS
        .iter()
        .any(|marker| dir.join(marker).is_file())
}

/// Walks `roots`, calling `visit` with every regular file and directory in order,
/// and with an error for each path that cannot be walked or is not a regular file.
/// An imr index met on the way is not entered, and said so once.
fn walk(roots: &[PathBuf], mut visit: impl FnMut(Result<Entry, InputError>)) {
    for root in roots {
        if let Err(e) = std::fs::metadata(root) {
            visit(Err(InputError::new(root, e)));
            continue;
        }
        let not_an_index = |entry: &walkdir::DirEntry| {
            let index = entry.file_type().is_dir() && is_index_folder(entry.path());
            if index {
                tracing::warn!(
                    "{} is an imr index, not letters: not read",
                    entry.path().display()
                );
            }
            !index
        };
        let entries = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(not_an_index);
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_type().is_file() || entry.file_type().is_dir() => {
                    visit(Ok(Entry {
                        depth: entry.depth(),
                        is_link: entry.path_is_symlink(),
                        is_file: entry.file_type().is_file(),
                        path: entry.into_path(),
                    }))
                }
                // A pipe, socket or device: reading it could block, and it holds no letter.
                Ok(entry) => visit(Err(InputError::new(
                    entry.path(),
                    "not a regular file (a pipe, socket or device)",
                ))),
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let reason = match e.io_error() {
                        Some(io) => io.to_string(),
                        None => e.to_string(),
                    };
                    visit(Err(InputError { path, reason }));
                }
            }
        }
    }
}

/// The default largest file read, in bytes: letters are a few kilobytes, so this
/// bounds memory, not what is found.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Bytes a file's buffer starts with: more than any letter's.
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// Reads a whole file of at most `max_bytes`. A larger one (even one that grew while
/// being read) is an error naming the limit.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| InputError::new(path, e))?;
    // Room for a whole letter, so one call reads it, without the probing reads and
    // regrowth of an empty buffer, and without asking the file's length first (a
    // sixth of the system calls of `imr parse`); a larger file grows the buffer.
    // One byte past the limit tells a file over it; saturating, so that the largest
    // limit is no limit rather than a read of nothing.
    let reach = max_bytes.saturating_add(1);
    let capacity = usize::try_from(reach).map_or(READ_BUFFER_BYTES, |r| r.min(READ_BUFFER_BYTES));
    let mut bytes = Vec::with_capacity(capacity);
    file.take(reach)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::new(
            path,
            format!(
                "larger than the limit of {} MB (raise it with --max-file-size)",
                max_bytes / 1_000_000
            ),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_limit_reads_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.txt");
        std::fs::write(&path, "a letter").unwrap();
        assert_eq!(read_file(&path, u64::MAX).unwrap(), b"a letter");
        assert_eq!(read_file(&path, 8).unwrap(), b"a letter");
        assert!(read_file(&path, 7).is_err());
    }

    #[test]
    fn real_paths_resolve_links_and_only_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("letters");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(root.join("a/one.txt"), "one").unwrap();
        std::fs::write(elsewhere.join("two.txt"), "two").unwrap();
        std::fs::write(elsewhere.join("three.txt"), "three").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("b-linked-dir")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("three.txt"), root.join("c-link.txt")).unwrap();
        std::fs::write(root.join("d.txt"), "four").unwrap();
        // Through a path that is not canonical itself.
        let given = dir.path().join("elsewhere/../letters");
        let walked: Vec<WalkedFile> = real_files_under(std::slice::from_ref(&given))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let as_walked: Vec<PathBuf> = walked.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            as_walked,
            files_under(&[given])
                .into_iter()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        );
        for file in &walked {
            assert_eq!(
                file.real,
                std::fs::canonicalize(&file.path).unwrap(),
                "{file:?}"
            );
        }
        assert_eq!(walked.len(), 5);
        // A root that is a file, and one that is a link to a file.
        for file in [root.join("d.txt"), root.join("c-link.txt")] {
            let walked = real_files_under(std::slice::from_ref(&file));
            let real = std::fs::canonicalize(&file).unwrap();
            assert_eq!(walked.len(), 1);
            assert_eq!(walked[0].as_ref().unwrap().real, real, "{file:?}");
        }
        // A root that is a link to a directory.
        let linked_root = root.join("b-linked-dir");
        let real: Vec<PathBuf> = real_files_under(std::slice::from_ref(&linked_root))
            .into_iter()
            .map(|f| f.unwrap().real)
            .collect();
        let elsewhere = std::fs::canonicalize(&elsewhere).unwrap();
        assert_eq!(
            real,
            [elsewhere.join("three.txt"), elsewhere.join("two.txt")]
        );
    }
}
