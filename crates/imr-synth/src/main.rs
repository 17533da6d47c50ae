//! Writes a corpus of synthetic IMR letters with their truth, for tests at volume
//! and benchmarks. Deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rayon::prelude::*;

use imr_synth::pdf::{self, PdfLayout};
use imr_synth::{self as synth, Generated, SynthOptions};

/// Generate synthetic IMR letters (all three families, with extraction damage) and
/// `truth.ndjson`: one parse record per letter, in file order.
#[derive(Parser)]
#[command(name = "imr-synth", version)]
struct Args {
    /// How many letters.
    #[arg(long, default_value_t = 1000)]
    letters: u64,
    /// The seed: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Chance of each kind of extraction damage per letter, 0 to 1.
    #[arg(long, default_value_t = 0.3)]
    damage_rate: f64,
    /// Word letters as other reviewers and other years do: headings, labels, item
    /// numbering, date formats, specialties, citations and conclusions drawn from
    /// lists of variants (the truth is the same meaning).
    #[arg(long)]
    vary: bool,
    /// Letter number to start at (to add letters to an existing corpus).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// Where to write the letters (1,000 per folder) and truth.ndjson.
    #[arg(long)]
    out: PathBuf,
    /// Write each letter as a PDF drawn in this layout: lines, words,
    /// two-column-header, running-header or identity-h.
    #[arg(long, value_name = "LAYOUT", value_parser = parse_layout)]
    pdf: Option<PdfLayout>,
    /// Lines on a PDF page.
    #[arg(long, default_value_t = pdf::LINES_PER_LETTER_PAGE, value_name = "N")]
    pdf_lines_per_page: usize,
    /// Draw these text letters as PDFs (with --pdf) into --out, instead of
    /// generating letters.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "pdf")]
    render: Vec<PathBuf>,
}

fn parse_layout(name: &str) -> Result<PdfLayout, String> {
    PdfLayout::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = PdfLayout::ALL.iter().map(|l| l.name()).collect();
        format!("no layout {name:?}; layouts are: {}", names.join(", "))
    })
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.damage_rate),
        "--damage-rate must be between 0 and 1, not {}",
        args.damage_rate
    );
    let options = SynthOptions {
        seed: args.seed,
        damage_rate: args.damage_rate,
        vary: args.vary,
    };
    if let Some(layout) = args.pdf.filter(|_| !args.render.is_empty()) {
        return render_files(&args.render, layout, args.pdf_lines_per_page, &args.out);
    }
    let started = Instant::now();
    let end = args.first + args.letters;
    let folders: Vec<u64> = (args.first / 1000..end.div_ceil(1000)).collect();
    let written: Vec<(Vec<u8>, u64)> = folders
        .par_iter()
        .map(|folder| -> anyhow::Result<(Vec<u8>, u64)> {
            let mut truth = Vec::new();
            let mut bytes = 0;
            let range = (folder * 1000).max(args.first)..((folder + 1) * 1000).min(end);
            let dir = args.out.join(format!("{folder:04}"));
            std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
            for n in range {
                let mut letter = synth::letter(&options, n);
                if let Some(layout) = args.pdf {
                    as_pdf(&mut letter, layout, args.pdf_lines_per_page);
                }
                let path = args.out.join(&letter.path);
                std::fs::write(&path, &letter.bytes)
                    .with_context(|| format!("{}", path.display()))?;
                bytes += letter.bytes.len() as u64;
                serde_json::to_writer(&mut truth, &letter.truth)?;
                truth.push(b'\n');
            }
            Ok((truth, bytes))
        })
        .collect::<anyhow::Result<_>>()?;
    let truth_path = args.out.join("truth.ndjson");
    let mut truth = std::io::BufWriter::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(args.first > 0)
            .write(true)
            .truncate(args.first == 0)
            .open(&truth_path)
            .with_context(|| format!("{}", truth_path.display()))?,
    );
    let mut bytes = 0;
    for (lines, size) in &written {
        truth.write_all(lines)?;
        bytes += size;
    }
    truth.flush()?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "imr-synth: {} letters, {:.1} MB in {:.2} s ({:.1} MB/s) under {}",
        args.letters,
        bytes as f64 / 1e6,
        seconds,
        bytes as f64 / 1e6 / seconds,
        args.out.display()
    );
    Ok(())
}

/// The letter drawn as a PDF: its text decoded as the parser decodes it, its path
/// and its truth's source ending in `.pdf`.
fn as_pdf(letter: &mut Generated, layout: PdfLayout, lines_per_page: usize) {
    let text = imr_search::text::decode(&letter.bytes).unwrap_or_default();
    letter.bytes = pdf::render(&text, layout, lines_per_page);
    letter.path = std::path::Path::new(&letter.path)
        .with_extension("pdf")
        .display()
        .to_string();
    letter.truth.source = letter.path.clone();
}

/// Draws each text file of `files` as a PDF named like it under `out`.
fn render_files(
    files: &[PathBuf],
    layout: PdfLayout,
    lines_per_page: usize,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
        let text = imr_search::text::decode(&bytes)
            .map_err(|reason| anyhow::anyhow!("{}: {reason}", file.display()))?;
        let name = file.with_extension("pdf");
        let name = name.file_name().context("a file name")?;
        let path = out.join(name);
        std::fs::write(&path, pdf::render(&text, layout, lines_per_page))
            .with_context(|| format!("{}", path.display()))?;
    }
    Ok(())
}
