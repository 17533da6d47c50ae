//! `imr index`: build or refresh the search index.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use imr_search::index::writer::{run, IndexOptions, IndexSummary, DEFAULT_MEMORY_MB};
use imr_search::index::{IndexSchema, Synonyms};
use imr_search::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::common::{print_json, IndexArg, PdfArgs};
use super::output::{wrap, Paged, Ui};
use super::Cli;

/// Exit code of a run that finished but skipped files.
pub const EXIT_SKIPPED: u8 = 3;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 done, every file indexed as a letter; 3 done, but some files are unreadable or not letters (listed in the summary on every run while they remain; files of unknown layout are still searchable by their text with --include-unparsed), or the inputs hold no file at all; 2 usage error, unreadable index, index locked by another run, an index inside its own inputs (without --force), or an index built with another schema (run with --rebuild)."
)]
pub struct IndexArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// Letter files or directories; none: the roots the index remembers.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Build a fresh index beside the live one and swap it in when complete.
    #[arg(long)]
    pub rebuild: bool,

    /// Wait for another `imr index` on the same index instead of failing.
    #[arg(long)]
    pub wait: bool,

    /// Indexing threads (0: as many as tantivy likes).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,

    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = DEFAULT_MEMORY_MB, value_name = "MB")]
    pub memory: usize,

    /// Largest file read, in MB; larger files are reported and skipped.
    #[arg(long, default_value_t = 16, value_name = "MB")]
    pub max_file_size: u64,

    /// Read and hash every file, even one whose size and modification time are
    /// those already indexed (which are otherwise taken as unchanged).
    #[arg(long)]
    pub checksum: bool,

    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Write the index even inside one of its input folders (whose walks then
    /// pass over it).
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

pub fn run_index(cli: &Cli, ui: &Ui, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let parser = Parser::new(cli.vocabulary()?);
    let schema = IndexSchema::embedded();
    let synonyms = Synonyms::embedded();
    let bar = progress_bar();
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let options = IndexOptions {
        inputs: args.inputs.clone(),
        rebuild: args.rebuild,
        wait: args.wait,
        threads: args.threads,
        heap_bytes: args.memory.max(50) * 1_000_000,
        max_file_bytes: args.max_file_size.saturating_mul(1_000_000),
        checksum: args.checksum,
        pdf: args.pdf.options()?,
        force: args.force,
    };
    let summary = run(
        &args.index.index_dir(),
        &schema,
        &parser,
        &synonyms,
        &options,
        &progress,
    );
    bar.finish_and_clear();
    let summary = summary?;
    if summary.files_seen == 0 {
        eprintln!(
            "{}",
            wrap(
                "imr: warning: the inputs hold no files: nothing was indexed (a wrong or empty folder?)",
                ui.width,
                "",
                "  "
            )
        );
    }
    if args.json {
        print_json(&summary)?;
    } else {
        print_summary(ui, &summary)?;
    }
    Ok(if summary.skipped.is_empty() && summary.files_seen > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn print_summary(ui: &Ui, summary: &IndexSummary) -> anyhow::Result<()> {
    let width = ui.width;
    let mut page = Paged::default();
    let head = format!(
        "{} {} ({}): {} files seen; {} letters, {} items parsed",
        if summary.rebuild { "built" } else { "updated" },
        summary.index,
        summary.generation,
        summary.files_seen,
        summary.letters,
        summary.items
    );
    page.line(wrap(&head, width, "", "  "));
    let changes = format!(
        "added {}, updated {}, removed {}, unchanged {}",
        summary.added, summary.updated, summary.removed, summary.unchanged
    );
    page.line(wrap(&changes, width, "  ", "  "));
    let others = summary.total_documents.saturating_sub(summary.total_items);
    let without_items = others.saturating_sub(summary.total_unparsed);
    let mut parts = vec![format!("{} items", summary.total_items)];
    if summary.total_unparsed > 0 {
        parts.push(format!(
            "{} files that are not letters (searchable with --include-unparsed)",
            summary.total_unparsed
        ));
    }
    if without_items > 0 {
        parts.push(format!("{without_items} letters without items"));
    }
    let held = if others == 0 {
        format!("{} items in the index", summary.total_items)
    } else {
        format!(
            "{} documents in the index: {}",
            summary.total_documents,
            parts.join(", ")
        )
    };
    page.line(wrap(&held, width, "  ", "    "));
    let read = format!(
        "{:.1} MB read in {:.2} s ({:.1} MB/s)",
        summary.bytes_read as f64 / 1e6,
        summary.seconds,
        summary.mb_per_second
    );
    page.line(wrap(&read, width, "  ", "  "));
    if !summary.skipped.is_empty() {
        page.line(format!(
            "  not indexed as letters ({}):",
            summary.skipped.len()
        ));
        for skipped in &summary.skipped {
            page.line(wrap(&skipped.path, width, "    ", "      "));
            page.line(wrap(&skipped.reason, width, "      ", "      "));
        }
    }
    if !summary.warnings.is_empty() {
        page.line(format!(
            "  indexed with warnings ({}):",
            summary.warnings.len()
        ));
        for warned in &summary.warnings {
            page.line(wrap(&warned.path, width, "    ", "      "));
            for warning in &warned.warnings {
                page.line(wrap(warning, width, "      ", "        "));
            }
        }
    }
    page.show(false)?;
    Ok(())
}
