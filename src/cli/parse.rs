//! `imr parse PATH...`: letters to records, as a short summary or as NDJSON.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use imr_search::input::{files_under, letter_bytes, read_file, PdfOptions};
use imr_search::model::{CitedBy, Letter};
use imr_search::text::{clean, decode};
use imr_search::Parser;

use super::common::PdfArgs;
use super::Cli;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every path was read (letters or not); 2 a path could not be read (named on stderr; the others are still parsed) or a usage error."
)]
pub struct ParseArgs {
    /// Letter files, or directories to walk.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// One JSON record per letter and line (NDJSON).
    #[arg(long)]
    pub json: bool,

    /// Print the text the parser reads (after PDF extraction and cleanup:
    /// page furniture gone, a blank line between paragraphs, a marked line
    /// between pages) instead of the record.
    #[arg(long, conflicts_with = "json")]
    pub text: bool,

    /// Largest file read, in MB; larger files are reported and skipped.
    #[arg(long, default_value_t = 16, value_name = "MB")]
    pub max_file_size: u64,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// Bytes of output gathered before they are written.
const OUTPUT_BUFFER_BYTES: usize = 256 * 1024;

/// Parses every file under the paths, printing each record as it is read.
pub fn run(cli: &Cli, args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let parser = Parser::new(cli.vocabulary()?);
    let pdf = args.pdf.options()?;
    let stdout = std::io::stdout();
    // Records are a few kilobytes each: a large buffer writes many at once (one
    // write per record was a sixth of the run's system calls).
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, stdout.lock());
    let mut unreadable = 0usize;
    let mut line = Vec::new();
    for file in files_under(&args.paths) {
        let bytes = match file.and_then(|path| {
            read_file(&path, args.max_file_size.saturating_mul(1_000_000))
                .map(|bytes| (path, bytes))
        }) {
            Ok(read) => read,
            Err(error) => {
                eprintln!("imr: cannot read {error}");
                unreadable += 1;
                continue;
            }
        };
        let (path, bytes) = bytes;
        let source = path.to_string_lossy();
        if args.text {
            write_text(&mut out, &source, &bytes, &pdf).context("writing output")?;
            continue;
        }
        let letter = match letter_bytes(&bytes, &pdf) {
            Ok(text) => parser.parse_bytes(&source, &text),
            Err(reason) => Letter::not_a_letter(&source, &reason.to_string()),
        };
        tracing::debug!(path = %path.display(), items = letter.items.len(), "parsed");
        if args.json {
            line.clear();
            letter.write_json_line(&mut line);
            out.write_all(&line).context("writing output")?;
        } else {
            write_summary(&mut out, &letter).context("writing output")?;
        }
    }
    out.flush().context("writing output")?;
    Ok(if unreadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The text the parser reads of one file, under its name.
fn write_text(
    out: &mut impl Write,
    source: &str,
    bytes: &[u8],
    pdf: &PdfOptions,
) -> std::io::Result<()> {
    writeln!(out, "==> {source} <==")?;
    let text = match letter_bytes(bytes, pdf) {
        Ok(text) => decode(&text).map_err(|reason| reason.to_string()),
        Err(reason) => Err(reason.to_string()),
    };
    let text = match text {
        Ok(text) => text,
        Err(reason) => return writeln!(out, "(no text: {reason})"),
    };
    for line in clean(&text).lines {
        if line.page_break_before {
            writeln!(out, "\n---- page break ----")?;
        } else if line.break_before {
            writeln!(out)?;
        }
        writeln!(out, "{}", line.text)?;
    }
    Ok(())
}

/// The short human summary of one letter.
fn write_summary(out: &mut impl Write, letter: &Letter) -> std::io::Result<()> {
    writeln!(out, "{}", letter.source)?;
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    writeln!(
        out,
        "  {}  case {}  decided {}  reviewer {}",
        letter.family.slug(),
        dash(letter.case_number.as_deref()),
        dash(letter.dates.decision.as_deref()),
        dash(letter.reviewer.specialty.as_deref()),
    )?;
    for item in &letter.items {
        let outcome = item.decision.map_or("(no outcome)", |d| d.slug());
        let category = match &item.drug_class {
            Some(class) => format!("{}/{}", item.category, class),
            None => item.category.clone(),
        };
        writeln!(
            out,
            "  [{}] {:<10} {:<34} {}",
            item.index, outcome, category, item.treatment
        )?;
        let cited: Vec<&str> = item
            .guidelines
            .iter()
            .filter(|c| c.cited_by == CitedBy::Reviewer)
            .map(|c| c.facet.as_str())
            .collect();
        if !cited.is_empty() {
            writeln!(out, "      cites {}", cited.join("; "))?;
        }
    }
    for warning in &letter.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    Ok(())
}
