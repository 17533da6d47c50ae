//! The text of a PDF letter, as DWC publishes them. A file is a PDF by its content
//! (`%PDF-` near its start), whatever its name.
//!
//! Two engines read them: the built-in one ([`builtin`], lopdf and pdf-extract
//! with a layout step of our own), which needs nothing installed, and poppler's
//! `pdftotext` ([`poppler`]) where it is installed. Either way the text is
//! normalised (NFKC: ligatures such as "ﬁ" become "fi") and pages are separated by
//! form feeds, which the text cleanup reads as page breaks, so a PDF and its text
//! give the same record.
//!
//! Every file is read within limits ([`PdfLimits`]): a time budget, a page count,
//! and what its compressed streams may inflate to; a file past one ends with a
//! reason, and the other files of a run go on. A scan (pages of images, no text)
//! is refused with a reason, unless OCR is asked for and `tesseract` is installed
//! ([`ocr`]).

mod builtin;
mod guard;
pub mod layout;
mod ocr;
mod poppler;
mod process;

use std::time::Duration;

use unicode_normalization::UnicodeNormalization;

/// How far into a file `%PDF-` may start: some producers put bytes before it.
const MAGIC_WITHIN: usize = 1024;

/// Which extractor reads PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfEngine {
    /// The built-in extractor, and poppler's `pdftotext`, where it is installed,
    /// for a file the built-in one cannot read.
    #[default]
    Auto,
    /// The built-in extractor: nothing to install.
    Builtin,
    /// poppler's `pdftotext` (Debian's poppler-utils); an error where it is missing.
    Poppler,
}

/// What reading one PDF may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    /// Time to read one file (with OCR, one page image).
    pub time: Duration,
    /// Most pages a letter may have.
    pub max_pages: usize,
    /// Most bytes one compressed stream may inflate to.
    pub max_stream_bytes: u64,
    /// Most bytes all of a file's streams may inflate to.
    pub max_inflated_bytes: u64,
    /// Most memory the external extractor's process may map.
    pub max_process_bytes: u64,
}

impl Default for PdfLimits {
    /// 10 seconds, 500 pages, 64 MB a stream and 256 MB a file inflated, and 1 GB
    /// for `pdftotext`. A letter is a few pages and a few hundred kilobytes; these
    /// are far above any letter and far below what would hurt a run.
    fn default() -> Self {
        PdfLimits {
            time: Duration::from_secs(10),
            max_pages: 500,
            max_stream_bytes: 64_000_000,
            max_inflated_bytes: 256_000_000,
            max_process_bytes: 1_000_000_000,
        }
    }
}

/// How PDFs are read.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The extractor.
    pub engine: PdfEngine,
    /// Read pages without a text layer with `tesseract`.
    pub ocr: bool,
    /// What one file may cost.
    pub limits: PdfLimits,
}

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    /// Pages without text: a scan.
    #[error("PDF has no text layer (scanned image?); {hint}")]
    NoTextLayer {
        /// What would read it.
        hint: String,
    },
    /// Encrypted with a user password, which a viewer would ask for.
    #[error("PDF is encrypted with a password")]
    Encrypted,
    /// More pages than a letter has.
    #[error("PDF has {pages} pages, more than the {limit} a letter may have")]
    TooManyPages {
        /// Pages in the file.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// A stream inflates past the limit.
    #[error("PDF stream inflates past {limit_mb} MB (a compression bomb?)")]
    Bomb {
        /// The limit, in MB.
        limit_mb: u64,
    },
    /// Reading took longer than the time budget.
    #[error("PDF took longer than {seconds} s to read")]
    TimedOut {
        /// The budget.
        seconds: f64,
    },
    /// The file is damaged or not a PDF after all.
    #[error("not a readable PDF: {0}")]
    Unreadable(String),
    /// The extractor failed on the file.
    #[error("the PDF reader failed on this file: {0}")]
    Crashed(String),
    /// `--pdf-engine poppler` without `pdftotext`.
    #[error("pdftotext is not installed (Debian: apt-get install poppler-utils); --pdf-engine builtin needs nothing")]
    PopplerMissing,
    /// A helper program (`pdftotext`, `tesseract`) failed.
    #[error("{0}")]
    Program(String),
}

impl PdfError {
    /// Whether another extractor may read the file: this one failed on it, where
    /// a limit or the file's own state (encrypted, too long) would stop any.
    fn another_reader_may_read(&self) -> bool {
        matches!(self, PdfError::Unreadable(_) | PdfError::Crashed(_))
    }
}

/// A PDF's text, page by page.
#[derive(Debug, Clone, Default)]
pub(crate) struct PdfText {
    pub pages: Vec<String>,
}

impl PdfText {
    fn has_text(&self) -> bool {
        self.pages.iter().any(|page| !page.trim().is_empty())
    }

    /// The pages as one text, a form feed between pages, normalised.
    fn joined(&self) -> String {
        let mut text = String::new();
        for (n, page) in self.pages.iter().enumerate() {
            if n > 0 {
                text.push('\x0c');
            }
            text.extend(page.nfkc());
        }
        text
    }
}

/// Whether `bytes` are a PDF: `%PDF-` within their first kilobyte.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(MAGIC_WITHIN)];
    memchr::memmem::find(head, b"%PDF-").is_some()
}

/// The text of `bytes`, a PDF, pages separated by form feeds.
pub fn extract_text(bytes: &[u8], options: &PdfOptions) -> Result<String, PdfError> {
    let limits = &options.limits;
    guard::check_inflation(bytes, limits.max_stream_bytes, limits.max_inflated_bytes)?;
    let text = match options.engine {
        PdfEngine::Builtin => builtin::extract(bytes, limits)?,
        PdfEngine::Poppler => poppler::extract(bytes, limits)?,
        PdfEngine::Auto => match builtin::extract(bytes, limits) {
            Err(error) if error.another_reader_may_read() && poppler::is_installed() => {
                tracing::debug!(%error, "the built-in extractor failed; trying pdftotext");
                poppler::extract(bytes, limits)?
            }
            read => read?,
        },
    };
    if text.has_text() {
        return Ok(text.joined());
    }
    if !options.ocr {
        return Err(PdfError::NoTextLayer { hint: ocr::hint() });
    }
    ocr::read(bytes, limits)
}
