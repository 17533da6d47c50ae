//! Arguments and output shared by the commands.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use imr_search::index::IndexDir;
use imr_search::input::{PdfEngine, PdfLimits, PdfOptions};
use imr_search::search::Filters;

/// Where the index lives.
#[derive(Debug, Args)]
pub struct IndexArg {
    /// The index directory.
    #[arg(
        long,
        env = "IMR_INDEX",
        default_value = "imr-index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
}

impl IndexArg {
    pub fn index_dir(&self) -> IndexDir {
        IndexDir::new(&self.index)
    }
}

/// Filters of search, stats and similar; each may repeat (values of one flag are
/// alternatives, different flags must all hold).
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// upheld or overturned.
    #[arg(long, value_name = "OUTCOME")]
    pub decision: Vec<String>,
    /// A body region slug (low-back, knee...).
    #[arg(long, value_name = "SLUG")]
    pub region: Vec<String>,
    /// A category slug, optionally with a drug class: pharmaceutical/opioid.
    #[arg(long, value_name = "SLUG[/CLASS]")]
    pub category: Vec<String>,
    /// A reviewer's citation: a path prefix (/MTUS/ACOEM/Chapter 12) or loose words ("ACOEM 12", "ODG low back").
    #[arg(long, value_name = "PATH|WORDS")]
    pub guideline: Vec<String>,
    /// As --guideline, for the claims administrator's citations.
    #[arg(long, value_name = "PATH|WORDS")]
    pub claims_guideline: Vec<String>,
    /// The reviewer's specialty, e.g. "Family Medicine".
    #[arg(long, value_name = "NAME")]
    pub specialty: Vec<String>,
    /// The letter family: case-summary, notice, professional-review, unknown.
    #[arg(long, value_name = "FAMILY")]
    pub family: Vec<String>,
    /// Decided on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Decided on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// A case number.
    #[arg(long = "case", value_name = "CASE")]
    pub case: Vec<String>,
    /// Keep files that are not letters (family unknown), which are left out
    /// unless asked for (this, --family unknown, or family:unknown in the query).
    #[arg(long)]
    pub include_unparsed: bool,
}

impl FilterArgs {
    pub fn filters(&self) -> Filters {
        Filters {
            decision: self.decision.clone(),
            region: self.region.clone(),
            category: self.category.clone(),
            guideline: self.guideline.clone(),
            claims_guideline: self.claims_guideline.clone(),
            specialty: self.specialty.clone(),
            family: self.family.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            case: self.case.clone(),
            include_unparsed: self.include_unparsed,
        }
    }
}

/// Which extractor reads PDFs.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PdfEngineArg {
    /// The built-in extractor, and pdftotext (if installed) for files it cannot read.
    Auto,
    /// The built-in extractor: nothing to install.
    Builtin,
    /// poppler's pdftotext (Debian: apt-get install poppler-utils).
    Poppler,
}

/// How PDF letters are read, for parse and index.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// The PDF text extractor.
    #[arg(long, value_enum, default_value_t = PdfEngineArg::Auto, env = "IMR_PDF_ENGINE")]
    pub pdf_engine: PdfEngineArg,

    /// Read scanned PDFs (pages of images, no text layer) with tesseract, if installed.
    #[arg(long)]
    pub ocr: bool,

    /// Seconds one PDF may take to read (with --ocr, one page image); a slower one is
    /// reported and skipped.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub pdf_timeout: f64,

    /// Most pages a PDF letter may have; a longer one is reported and skipped.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub pdf_max_pages: usize,
}

impl PdfArgs {
    /// The options the library reads PDFs with.
    pub fn options(&self) -> anyhow::Result<PdfOptions> {
        anyhow::ensure!(
            self.pdf_timeout.is_finite() && self.pdf_timeout > 0.0,
            "--pdf-timeout must be a positive number of seconds, not {}",
            self.pdf_timeout
        );
        Ok(PdfOptions {
            engine: match self.pdf_engine {
                PdfEngineArg::Auto => PdfEngine::Auto,
                PdfEngineArg::Builtin => PdfEngine::Builtin,
                PdfEngineArg::Poppler => PdfEngine::Poppler,
            },
            ocr: self.ocr,
            limits: PdfLimits {
                time: std::time::Duration::from_secs_f64(self.pdf_timeout),
                max_pages: self.pdf_max_pages,
                ..PdfLimits::default()
            },
        })
    }
}

/// Terminal styling: bold, dim, outcome colours and highlights, or plain text.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Styling on or off.
    pub fn new(on: bool) -> Style {
        Style { on }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn outcome(&self, outcome: &str) -> String {
        match outcome {
            "overturned" => self.paint("32", outcome),
            "upheld" => self.paint("31", outcome),
            other => other.to_string(),
        }
    }

    /// `text` with the byte ranges `highlights` marked: in colour on a terminal,
    /// between `[` and `]` elsewhere.
    pub fn highlight(&self, text: &str, highlights: &[(usize, usize)]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for &(start, end) in highlights {
            if start < at
                || end > text.len()
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            out.push_str(&text[at..start]);
            if self.on {
                out.push_str(&self.paint("1;33", &text[start..end]));
            } else {
                out.push('[');
                out.push_str(&text[start..end]);
                out.push(']');
            }
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Prints a value as one line of JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
