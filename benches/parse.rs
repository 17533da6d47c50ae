//! Parser throughput, in process and as a whole `imr parse --json` process, over a
//! directory of 1,000 letters made from the fixture letters (each copy with a case
//! number of its own). Run with `cargo bench --bench parse`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imr_search::Parser;

// The allocator `imr` runs with, so the in-process figure is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LETTERS: usize = 1_000;

/// The fixture letters, but for the ones that are not letters.
fn fixture_letters() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture letters exist")
        .map(|e| e.expect("fixture entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("fixture is readable"))
        .filter(|bytes| bytes.len() > 1_000)
        .collect()
}

/// Writes `LETTERS` letters into `dir`, 1,000 to a folder; returns their bytes.
fn write_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let templates = fixture_letters();
    let mut corpus = Vec::with_capacity(LETTERS);
    for n in 0..LETTERS {
        let template = String::from_utf8_lossy(&templates[n % templates.len()]).into_owned();
        let case = format!("CM{:02}-{:07}", 13 + n % 7, 100_000 + n);
        let letter = template
            .replace("CM14-0123457", &case)
            .replace("CM13-0012345", &case)
            .replace("CM17-0456789", &case)
            .replace("CM15-0098765", &case)
            .into_bytes();
        let folder = dir.join(format!("{:03}", n / 1_000));
        std::fs::create_dir_all(&folder).expect("corpus folder is writable");
        std::fs::write(folder.join(format!("{n:06}.txt")), &letter).expect("letter is writable");
        corpus.push(letter);
    }
    corpus
}

fn parse_benchmarks(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let corpus = write_corpus(dir.path());
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    eprintln!("corpus: {LETTERS} letters, {bytes} bytes");
    let parser = Parser::default();

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("library, 1000 letters", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|letter| parser.parse_bytes("bench", letter).items.len())
                .sum::<usize>()
        })
    });
    group.bench_function("imr parse --json process, 1000 letters", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_imr"))
                .args(["parse", "--json"])
                .arg(dir.path())
                .stdout(Stdio::null())
                .status()
                .expect("imr runs");
            assert!(status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, parse_benchmarks);
criterion_main!(benches);
