//! `imr parse PATH...`: letters to records, as a short summary or as NDJSON.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use imr_search::input::{files_under, letter_bytes, read_file, PdfOptions};
use imr_search::model::{CitedBy, Letter};
use imr_search::text::{clean, decode};
use imr_search::Parser;

use super::common::PdfArgs;
use super::output::{wrap, Paged, Ui};
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
pub fn run(cli: &Cli, ui: &Ui, args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let parser = Parser::new(cli.vocabulary()?);
    let pdf = args.pdf.options()?;
    // Human output on a terminal goes through the pager when long: it is gathered
    // first. Records and piped output are written as they come.
    let paged = !args.json && ui.pager && std::io::stdout().is_terminal();
    let mut gathered = Vec::new();
    let stdout = std::io::stdout();
    // Records are a few kilobytes each: a large buffer writes many at once (one
    // write per record was a sixth of the run's system calls).
    let mut out: Box<dyn Write> = if paged {
        Box::new(&mut gathered)
    } else {
        Box::new(BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, stdout.lock()))
    };
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
            write_text(&mut out, ui, &source, &bytes, &pdf).context("writing output")?;
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
            write_summary(&mut out, ui, &letter).context("writing output")?;
        }
    }
    out.flush().context("writing output")?;
    drop(out);
    if paged {
        let mut page = Paged::default();
        page.push_str(&String::from_utf8_lossy(&gathered));
        page.show(true)?;
    }
    Ok(if unreadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The text the parser reads of one file, under its name.
fn write_text(
    out: &mut impl Write,
    ui: &Ui,
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
        writeln!(out, "{}", wrap(&line.text, ui.width, "", ""))?;
    }
    Ok(())
}

/// The short human summary of one letter, wrapped to the width.
fn write_summary(out: &mut impl Write, ui: &Ui, letter: &Letter) -> std::io::Result<()> {
    let width = ui.width;
    writeln!(
        out,
        "{}",
        wrap(&ui.style.bold(&letter.source), width, "", "  ")
    )?;
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let about = format!(
        "{}  case {}  decided {}  reviewer {}",
        letter.family.slug(),
        dash(letter.case_number.as_deref()),
        dash(letter.dates.decision.as_deref()),
        dash(letter.reviewer.specialty.as_deref()),
    );
    writeln!(out, "{}", wrap(&about, width, "  ", "  "))?;
    for item in &letter.items {
        let outcome = item.decision.map_or("(no outcome)", |d| d.slug());
        let category = match &item.drug_class {
            Some(class) => format!("{}/{}", item.category, class),
            None => item.category.clone(),
        };
        let line = format!(
            "[{}] {} {}: {}",
            item.index,
            ui.style.outcome(outcome),
            category,
            item.treatment
        );
        writeln!(out, "{}", wrap(&line, width, "  ", "      "))?;
        let cited: Vec<&str> = item
            .guidelines
            .iter()
            .filter(|c| c.cited_by == CitedBy::Reviewer)
            .map(|c| c.facet.as_str())
            .collect();
        if !cited.is_empty() {
            writeln!(
                out,
                "{}",
                wrap(&cited.join("; "), width, "      cites ", "        ")
            )?;
        }
    }
    for warning in &letter.warnings {
        writeln!(out, "{}", wrap(warning, width, "  warning: ", "    "))?;
    }
    Ok(())
}
