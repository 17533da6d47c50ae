//! PDF input, side by side: `imr index` reading the PDFs itself (built-in
//! extractor, and poppler's through `--pdf-engine poppler`) against the pipeline a
//! user would script without it, `pdftotext -layout` on every file (two at a time,
//! one per core) and then `imr index` on the text. The PDF corpora are generated
//! once (letters drawn a word at a time, justified, as word processors write them)
//! and kept in the work directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::measure::{disk_size, run, ProcessCost};
use crate::{letter_folders, sibling, warm_file_cache};

/// The figures of one corpus.
#[derive(Debug, Serialize)]
pub struct PdfReport {
    letters: u64,
    pdf_bytes: u64,
    pages: u64,
    builtin: Timed,
    poppler_engine: Timed,
    pdftotext_seconds: f64,
    pipeline_index: Timed,
}

/// A build's wall time, peak memory and items.
#[derive(Debug, Serialize)]
struct Timed {
    seconds: f64,
    peak_rss: u64,
    items: u64,
}

impl Timed {
    fn of(cost: &ProcessCost) -> anyhow::Result<Timed> {
        let summary: serde_json::Value = serde_json::from_slice(&cost.stdout)?;
        Ok(Timed {
            seconds: cost.wall.as_secs_f64(),
            peak_rss: cost.peak_rss,
            items: summary["items"].as_u64().unwrap_or(0),
        })
    }
}

/// Benchmarks each corpus size, and writes the figures as a section of `out`.
pub fn bench(work: &Path, seed: u64, sizes: &[u64], out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(work)?;
    let mut reports = Vec::new();
    for &letters in sizes {
        eprintln!("imr-bench pdf: {letters} letters");
        let report = bench_corpus(work, seed, letters)?;
        eprintln!("  {}", serde_json::to_string(&report)?);
        reports.push(report);
        write_section(out, &markdown(&reports))?;
    }
    Ok(())
}

fn bench_corpus(work: &Path, seed: u64, letters: u64) -> anyhow::Result<PdfReport> {
    let corpus = work.join(format!("pdf-corpus-{letters}"));
    let pdfs = pdf_files(&corpus);
    if pdfs.len() != letters as usize {
        let _ = std::fs::remove_dir_all(&corpus);
        eprintln!("  generating {letters} PDF letters");
        run(
            Command::new(sibling("imr-synth")?)
                .args(["--letters", &letters.to_string()])
                .args(["--seed", &seed.to_string(), "--pdf", "words", "--out"])
                .arg(&corpus),
            &[0],
        )?;
    }
    let pdfs = pdf_files(&corpus);
    let pdf_bytes = disk_size(&corpus) - disk_size(&corpus.join("truth.ndjson"));
    let pages = count_pages(&pdfs);
    warm_file_cache(&corpus);
    let imr = sibling("imr")?;
    let folders = letter_folders(&corpus)?;

    eprintln!("  imr index, built-in extractor");
    let builtin = Timed::of(&index(&imr, work, "pdf-builtin", &folders, "builtin")?)?;
    eprintln!("  imr index, --pdf-engine poppler");
    let poppler_engine = Timed::of(&index(&imr, work, "pdf-poppler", &folders, "poppler")?)?;

    eprintln!("  pdftotext -layout on every file, then imr index");
    let text = work.join(format!("pdf-text-{letters}"));
    let _ = std::fs::remove_dir_all(&text);
    let pdftotext_seconds = pdftotext_all(&corpus, &pdfs, &text)?.as_secs_f64();
    let pipeline_index = Timed::of(&index(
        &imr,
        work,
        "pdf-text",
        &letter_folders(&text)?,
        "builtin",
    )?)?;
    Ok(PdfReport {
        letters,
        pdf_bytes,
        pages,
        builtin,
        poppler_engine,
        pdftotext_seconds,
        pipeline_index,
    })
}

/// `imr index --rebuild` of `inputs` into a work index named `name`.
fn index(
    imr: &Path,
    work: &Path,
    name: &str,
    inputs: &[PathBuf],
    engine: &str,
) -> anyhow::Result<ProcessCost> {
    run(
        Command::new(imr)
            .args([
                "index",
                "--rebuild",
                "--json",
                "--pdf-engine",
                engine,
                "--index",
            ])
            .arg(work.join(name))
            .args(inputs),
        &[0, 3],
    )
}

/// Every PDF under `corpus`, in name order.
fn pdf_files(corpus: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(corpus)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Pages of all the PDFs.
fn count_pages(pdfs: &[PathBuf]) -> u64 {
    pdfs.par_iter()
        .filter_map(|path| lopdf::Document::load(path).ok())
        .map(|document| document.get_pages().len() as u64)
        .sum()
}

/// Runs `pdftotext -layout` on every PDF, one process per core at a time, writing
/// the text under `text` in the corpus's folders; returns the wall time.
fn pdftotext_all(corpus: &Path, pdfs: &[PathBuf], text: &Path) -> anyhow::Result<Duration> {
    let started = Instant::now();
    pdfs.par_iter().try_for_each(|pdf| -> anyhow::Result<()> {
        let relative = pdf.strip_prefix(corpus)?;
        let out = text.join(relative).with_extension("txt");
        if let Some(folder) = out.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let status = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(pdf)
            .arg(&out)
            .status()
            .context("running pdftotext (Debian: apt-get install poppler-utils)")?;
        anyhow::ensure!(status.success(), "pdftotext failed on {}", pdf.display());
        Ok(())
    })?;
    Ok(started.elapsed())
}

/// The PDF section of BENCHMARKS.md.
fn markdown(reports: &[PdfReport]) -> String {
    let mut md = String::from(
        "| letters | PDFs | pages | `imr index` (built-in) | pages/s | MB/s | peak RSS | `imr index --pdf-engine poppler` | `pdftotext -layout` ×N, then `imr index` | pipeline / built-in |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for r in reports {
        let pipeline = r.pdftotext_seconds + r.pipeline_index.seconds;
        md.push_str(&format!(
            "| {} | {:.0} MB | {} | {:.1} s | {:.0} | {:.1} | {:.0} MB | {:.1} s | {:.1} + {:.1} = {:.1} s | {:.2}× |\n",
            r.letters,
            r.pdf_bytes as f64 / 1e6,
            r.pages,
            r.builtin.seconds,
            r.pages as f64 / r.builtin.seconds,
            r.pdf_bytes as f64 / 1e6 / r.builtin.seconds,
            r.builtin.peak_rss as f64 / 1e6,
            r.poppler_engine.seconds,
            r.pdftotext_seconds,
            r.pipeline_index.seconds,
            pipeline,
            pipeline / r.builtin.seconds,
        ));
    }
    md.push_str("\nItems indexed (built-in / poppler engine / pipeline): ");
    let items: Vec<String> = reports
        .iter()
        .map(|r| {
            format!(
                "{} letters: {} / {} / {}",
                r.letters, r.builtin.items, r.poppler_engine.items, r.pipeline_index.items
            )
        })
        .collect();
    md.push_str(&items.join("; "));
    md.push('\n');
    md
}

const BEGIN: &str = "<!-- pdf-bench -->";
const END: &str = "<!-- /pdf-bench -->";

/// Replaces the text between the PDF markers of `out` with `section` (or adds it
/// at the end, with its heading).
fn write_section(out: &Path, section: &str) -> anyhow::Result<()> {
    let previous = std::fs::read_to_string(out).unwrap_or_default();
    let block = format!("{BEGIN}\n{section}{END}");
    let updated = match (previous.find(BEGIN), previous.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!(
                "{}{block}{}",
                &previous[..start],
                &previous[end + END.len()..]
            )
        }
        _ => format!("{previous}\n## PDF input\n\n{block}\n"),
    };
    std::fs::write(out, updated).with_context(|| out.display().to_string())
}
