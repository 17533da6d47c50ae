//! poppler's `pdftotext`, run as a process for each file: the file's bytes on its
//! standard input, the text on its standard output. The process's memory is
//! capped and it is killed when the file's time is up.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use super::layout::collapse_word_gaps;
use super::process::{find_on_path, run_with_deadline};
use super::{PdfError, PdfLimits, PdfText};

/// The program.
const PDFTOTEXT: &str = "pdftotext";

/// Where `pdftotext` is on the PATH, looked up once.
fn program() -> Option<&'static PathBuf> {
    static PROGRAM: OnceLock<Option<PathBuf>> = OnceLock::new();
    PROGRAM.get_or_init(|| find_on_path(PDFTOTEXT)).as_ref()
}

/// Whether `pdftotext` is installed.
pub(super) fn is_installed() -> bool {
    program().is_some()
}

/// Reads the text of `bytes`, a PDF, with `pdftotext`.
pub(super) fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    let program = program().ok_or(PdfError::PopplerMissing)?;
    let mut command = Command::new(program);
    command
        .args(["-layout", "-enc", "UTF-8", "-eol", "unix", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = run_with_deadline(command, bytes, limits)
        .map_err(|e| e.for_program("pdftotext", limits))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(match output.status.code() {
            _ if said.contains("Incorrect password") => PdfError::Encrypted,
            Some(1) => PdfError::Unreadable(format!(
                "pdftotext could not open it ({})",
                said.lines().last().unwrap_or("no reason given").trim()
            )),
            Some(3) => PdfError::Encrypted,
            _ => PdfError::Program(format!("pdftotext failed: {}", output.status)),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    // pdftotext ends every page with a form feed. Its layout mode spaces words as
    // far apart as they stand, justified gaps too: they are read as the built-in
    // extractor reads them.
    let mut pages: Vec<String> = text
        .split('\x0c')
        .map(|page| {
            let lines: Vec<String> = page.lines().map(collapse_word_gaps).collect();
            lines.join("\n")
        })
        .collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    if pages.len() > limits.max_pages {
        return Err(PdfError::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pages,
        });
    }
    Ok(PdfText { pages })
}
