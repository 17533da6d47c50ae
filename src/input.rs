//! The files a command is pointed at: paths given, directories walked in name order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A path that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct InputError {
    pub path: PathBuf,
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
    for root in roots {
        if let Err(e) = std::fs::metadata(root) {
            files.push(Err(InputError::new(root, e)));
            continue;
        }
        for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_file() => files.push(Ok(entry.into_path())),
                Ok(entry) if entry.file_type().is_dir() => {}
                // A pipe, socket or device: reading it could block, and it holds no letter.
                Ok(entry) => files.push(Err(InputError::new(
                    entry.path(),
                    "not a regular file (a pipe, socket or device)",
                ))),
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let reason = match e.io_error() {
                        Some(io) => io.to_string(),
                        None => e.to_string(),
                    };
                    files.push(Err(InputError { path, reason }));
                }
            }
        }
    }
    files
}

/// The default largest file read, in bytes: letters are a few kilobytes, so this
/// bounds memory, not what is found.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a whole file of at most `max_bytes`. A larger one (even one that grew while
/// being read) is an error naming the limit.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| InputError::new(path, e))?;
    // Sized from the file's length so a letter is read in one call, without the
    // probing reads and regrowth of an empty buffer; the length is only a hint.
    let hint = file.metadata().map_or(0, |m| m.len()).min(max_bytes) as usize;
    let mut bytes = Vec::with_capacity(hint + 1);
    file.take(max_bytes + 1)
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
