//! Writes a corpus of synthetic IMR letters with their truth, for tests at volume
//! and benchmarks. Deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rayon::prelude::*;

use imr_synth::{self as synth, SynthOptions};

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
    /// Letter number to start at (to add letters to an existing corpus).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// Where to write the letters (1,000 per folder) and truth.ndjson.
    #[arg(long)]
    out: PathBuf,
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
    };
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
                let letter = synth::letter(&options, n);
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
