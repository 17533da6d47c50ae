//! The benchmark harness: generates corpora, builds this project's index and its
//! peers' (SQLite FTS5, bare tantivy) from the same files, runs the query mix on
//! each, also against ripgrep, and writes BENCHMARKS.md.

mod accuracy;
mod load;
mod measure;
mod pdf;
mod peers;
mod queries;
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};

use imr_search::index::IndexDir;
use imr_search::search::{Engine, SearchRequest};

use measure::{disk_size, latency, run};
use queries::{BenchQuery, Kind};
use report::{Build, CorpusReport, QueryFigures};

// The allocator `imr` uses, so bare tantivy, built in this process, is measured on
// the same footing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Benchmarks imr against SQLite FTS5, bare tantivy and ripgrep on generated corpora.
#[derive(Parser)]
#[command(name = "imr-bench", version)]
struct Args {
    /// Corpus sizes, in letters, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000")]
    letters: Vec<u64>,
    /// Where corpora and indexes go (kept, so a rerun reuses the corpora).
    #[arg(long, default_value = "target/bench-work")]
    work: PathBuf,
    /// The report written.
    #[arg(long, default_value = "BENCHMARKS.md")]
    out: PathBuf,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds each peer (FTS5, ripgrep) may spend on the query mix; queries are
    /// taken in turn from each kind, so a cut-short run still covers every kind.
    #[arg(long, default_value_t = 600)]
    peer_budget: u64,
    /// Seconds one FTS5 query may take before SQLite is told to stop it; a query
    /// stopped so counts as taking this long (a lower bound on FTS5's time).
    #[arg(long, default_value_t = 30)]
    fts_query_cap: u64,
    #[command(subcommand)]
    internal: Option<Internal>,
}

/// Builds run in a process of their own, so each one's memory is its own.
#[derive(Subcommand)]
enum Internal {
    #[command(hide = true)]
    BareTantivy { corpus: PathBuf, out: PathBuf },
    #[command(hide = true)]
    Fts5 { corpus: PathBuf, db: PathBuf },
    /// Prints where a tantivy index's bytes go, per segment component and field (JSON).
    Space { tantivy_dir: PathBuf },
    /// Benchmarks one corpus size and prints its report as JSON.
    #[command(hide = true)]
    Corpus { letters: u64 },
    /// Times each query of the mix on a built index, served, and prints one JSON
    /// line per query, slowest first: what the latency table's tail is made of.
    Queries { index: PathBuf },
    /// Benchmarks PDF input (generated PDF corpora of --letters) against
    /// pdftotext-then-index, and writes its section of the report.
    Pdf,
    /// Prints the parser's accuracy per field on corpora with known records
    /// (folders written by imr-synth, or fixture folders of letters/ and
    /// expected/) as a markdown table.
    Accuracy {
        /// The corpora.
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// The imr binary that parses them (this one's sibling by default).
        #[arg(long)]
        imr: Option<PathBuf>,
    },
    /// Loads `imr serve` of a built index with clients asking the query mix over
    /// HTTP, beside an indexing run or none; prints its figures as JSON.
    Load {
        /// The index served.
        index: PathBuf,
        /// Clients asking at once.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// How long they ask.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// What runs beside them.
        #[arg(long, value_enum, default_value_t = load::During::Idle)]
        during: load::During,
        /// The folder of letters an incremental run adds.
        #[arg(long)]
        letters: Option<PathBuf>,
    },
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match &args.internal {
        Some(Internal::BareTantivy { corpus, out }) => {
            return peers::build_bare_tantivy(corpus, out)
        }
        Some(Internal::Fts5 { corpus, db }) => return peers::build_fts5(corpus, db),
        Some(Internal::Space { tantivy_dir }) => return space(tantivy_dir),
        Some(Internal::Queries { index }) => return time_queries(index),
        Some(Internal::Accuracy { corpora, imr }) => {
            let imr = match imr {
                Some(imr) => imr.clone(),
                None => sibling("imr")?,
            };
            return accuracy::run(&imr, corpora);
        }
        Some(Internal::Pdf) => return pdf::bench(&args.work, args.seed, &args.letters, &args.out),
        Some(Internal::Load {
            index,
            clients,
            seconds,
            during,
            letters,
        }) => {
            let report = load::run(index, *clients, *seconds, *during, letters.as_deref())?;
            println!("{}", serde_json::to_string(&report)?);
            return Ok(());
        }
        Some(Internal::Corpus { letters }) => {
            let report = bench_corpus(&args, *letters)?;
            println!("{}", serde_json::to_string(&report)?);
            return Ok(());
        }
        None => {}
    }
    std::fs::create_dir_all(&args.work)?;
    let mut reports = Vec::new();
    for &letters in &args.letters {
        eprintln!("imr-bench: {letters} letters");
        // A process per corpus: a child's peak memory counts its parent's at the
        // fork, so the parent must not carry the last corpus's indexes.
        let me = std::env::current_exe()?;
        let output = Command::new(me)
            .arg("--work")
            .arg(&args.work)
            .args(["--seed", &args.seed.to_string()])
            .args(["--peer-budget", &args.peer_budget.to_string()])
            .args(["--fts-query-cap", &args.fts_query_cap.to_string()])
            .args(["corpus", &letters.to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()?;
        anyhow::ensure!(
            output.status.success(),
            "benchmarking {letters} letters failed"
        );
        reports.push(serde_json::from_slice(&output.stdout)?);
        // Written after every corpus, so a long run that is stopped keeps the
        // figures of the corpora it finished; the hand-written analysis at the end
        // of the last report is kept.
        let previous = std::fs::read_to_string(&args.out).unwrap_or_default();
        let markdown = report::markdown(&reports) + report::analysis(&previous);
        std::fs::write(&args.out, &markdown).with_context(|| format!("{}", args.out.display()))?;
        eprintln!("imr-bench: wrote {}", args.out.display());
    }
    Ok(())
}

/// A sibling executable of this one (`imr`, `imr-synth`).
fn sibling(name: &str) -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let path = me.with_file_name(name);
    anyhow::ensure!(
        path.exists(),
        "{} not found: build it first (cargo build --release --workspace)",
        path.display()
    );
    Ok(path)
}

fn synth(out: &Path, first: u64, letters: u64, seed: u64) -> anyhow::Result<Duration> {
    let started = Instant::now();
    run(
        Command::new(sibling("imr-synth")?)
            .args([
                "--letters",
                &letters.to_string(),
                "--first",
                &first.to_string(),
            ])
            .args(["--seed", &seed.to_string(), "--out"])
            .arg(out),
        &[0],
    )?;
    Ok(started.elapsed())
}

/// The folders of a corpus's letters, in name order: what the tools are given,
/// rather than the corpus, whose truth file (as large as the letters) is no letter.
fn letter_folders(corpus: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(corpus).with_context(|| corpus.display().to_string())? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            folders.push(entry.path());
        }
    }
    folders.sort();
    Ok(folders)
}

/// The lines of a corpus's truth file, counted without holding the file: a child's
/// peak memory, as Linux reports it, counts this process's peak at the fork, so this
/// process must stay small until the builds are measured.
fn truth_lines(corpus: &Path) -> usize {
    let mut lines = 0;
    let mut buffer = vec![0u8; 1 << 20];
    read_through(&corpus.join("truth.ndjson"), &mut buffer, |bytes| {
        lines += memchr::memchr_iter(b'\n', bytes).count();
    });
    lines
}

/// Reads every letter of `corpus` once, so that the first build, like the others,
/// finds the letters in the file cache (a larger corpus or database built before may
/// have taken it). Walked, not listed: this process must stay small (see
/// `truth_lines`).
fn warm_file_cache(corpus: &Path) {
    eprintln!("  reading the letters into the file cache");
    let mut buffer = vec![0u8; 1 << 20];
    let letters = walkdir::WalkDir::new(corpus)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file() && entry.file_name() != "truth.ndjson");
    for entry in letters {
        read_through(entry.path(), &mut buffer, |_| {});
    }
}

/// Reads the file at `path`, if it can, a `buffer` at a time.
fn read_through(path: &Path, buffer: &mut [u8], mut each: impl FnMut(&[u8])) {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return;
    };
    while let Ok(read @ 1..) = file.read(buffer) {
        each(&buffer[..read]);
    }
}

fn bench_corpus(args: &Args, letters: u64) -> anyhow::Result<CorpusReport> {
    let corpus = args.work.join(format!("corpus-{letters}"));
    let mut generation = None;
    if truth_lines(&corpus) != letters as usize {
        let _ = std::fs::remove_dir_all(&corpus);
        generation = Some(synth(&corpus, 0, letters, args.seed)?);
    }
    let raw_bytes = disk_size(&corpus) - disk_size(&corpus.join("truth.ndjson"));
    warm_file_cache(&corpus);
    let imr = sibling("imr")?;
    let me = std::env::current_exe()?;

    eprintln!("  imr index");
    let index = args.work.join(format!("imr-{letters}"));
    let built = run(
        Command::new(&imr)
            .args(["index", "--rebuild", "--json", "--index"])
            .arg(&index)
            .args(letter_folders(&corpus)?),
        &[0, 3],
    )?;
    let summary: serde_json::Value = serde_json::from_slice(&built.stdout)?;
    let items = summary["items"].as_u64().unwrap_or(0);
    let imr_build = Build::new("imr index", &built, disk_size(&index), raw_bytes);
    imr_build.log();

    eprintln!("  bare tantivy");
    let bare_dir = args.work.join(format!("bare-{letters}"));
    let _ = std::fs::remove_dir_all(&bare_dir);
    let bare = run(
        Command::new(&me)
            .arg("bare-tantivy")
            .arg(&corpus)
            .arg(&bare_dir),
        &[0],
    )?;
    let bare_build = Build::new(
        "bare tantivy (raw text, one field)",
        &bare,
        disk_size(&bare_dir),
        raw_bytes,
    );
    bare_build.log();

    eprintln!("  SQLite FTS5");
    let db = args.work.join(format!("fts5-{letters}.db"));
    let fts = run(Command::new(&me).arg("fts5").arg(&corpus).arg(&db), &[0])?;
    let fts_build = Build::new(
        "SQLite FTS5 (porter, same item rows)",
        &fts,
        disk_size(&db),
        raw_bytes,
    );
    fts_build.log();

    eprintln!("  queries");
    let engine = Engine::open(&IndexDir::new(&index))?;
    let mix = full_mix(&engine)?;
    let served = serve_imr(&engine, &mix)?;
    eprintln!("    imr served: {}", latency(&served));
    let connection = rusqlite::Connection::open(&db)?;
    let budget = Duration::from_secs(args.peer_budget);
    let cap = Duration::from_secs(args.fts_query_cap);
    let mut fts_times = Vec::new();
    let mut fts_cut = 0;
    let mut imr_on_fts = Vec::new();
    let started = Instant::now();
    for i in interleaved(&mix, |q| q.fts.is_some()) {
        if started.elapsed() > budget {
            break;
        }
        if let Some(fts) = &mix[i].fts {
            // A warm-up run, then the measured one; a stopped warm-up is not retried.
            let time = match fts.run(&connection, cap)? {
                Some(_) => fts.run(&connection, cap)?,
                None => None,
            };
            fts_cut += usize::from(time.is_none());
            fts_times.push(time.unwrap_or(cap));
            imr_on_fts.push(served[i]);
        }
    }
    eprintln!(
        "    FTS5: {} ({fts_cut} stopped at {} s)",
        latency(&fts_times),
        cap.as_secs()
    );
    let mut process_times = Vec::new();
    for q in &mix {
        let mut cli = q.cli_args();
        cli.splice(1..1, ["--index".to_string(), index.display().to_string()]);
        let started = Instant::now();
        run(Command::new(&imr).args(&cli), &[0]).with_context(|| format!("{cli:?}"))?;
        process_times.push(started.elapsed());
    }
    eprintln!("    imr processes: {}", latency(&process_times));
    let mut rg_times = Vec::new();
    let mut imr_on_rg = Vec::new();
    let mut imr_process_on_rg = Vec::new();
    let mut started = Instant::now();
    for (n, i) in interleaved(&mix, |q| q.rg.is_some())
        .into_iter()
        .enumerate()
    {
        if started.elapsed() > budget {
            break;
        }
        if let Some((pattern, word)) = &mix[i].rg {
            if n == 0 {
                // Once to bring the files into the cache, as the indexes are. The
                // budget starts after it: read from disk, it can take most of it.
                peers::ripgrep(&corpus, pattern, *word)?;
                started = Instant::now();
            }
            if let Some((time, _)) = peers::ripgrep(&corpus, pattern, *word)? {
                rg_times.push(time);
                imr_on_rg.push(served[i]);
                imr_process_on_rg.push(process_times[i]);
            }
        }
    }
    eprintln!("    ripgrep: {}", latency(&rg_times));
    let mut by_kind: Vec<(Kind, Vec<Duration>)> = Vec::new();
    for (q, time) in mix.iter().zip(&served) {
        match by_kind.iter_mut().find(|(k, _)| *k == q.kind) {
            Some((_, times)) => times.push(*time),
            None => by_kind.push((q.kind, vec![*time])),
        }
    }

    eprintln!("  incremental add of 1,000 letters");
    let extra = args.work.join(format!("extra-{letters}"));
    let _ = std::fs::remove_dir_all(&extra);
    synth(&extra, letters, 1000, args.seed)?;
    let incremental = run(
        Command::new(&imr)
            .args(["index", "--json", "--index"])
            .arg(&index)
            .args(letter_folders(&corpus)?)
            .args(letter_folders(&extra)?),
        &[0, 3],
    )?;
    eprintln!("    incremental: {:.2} s", incremental.wall.as_secs_f64());

    Ok(CorpusReport {
        letters,
        items,
        raw_bytes,
        generation,
        builds: vec![imr_build, bare_build, fts_build],
        incremental: incremental.wall,
        queries: QueryFigures {
            served: latency(&served),
            process: latency(&process_times),
            by_kind: by_kind
                .into_iter()
                .map(|(k, t)| (k.name().to_string(), latency(&t)))
                .collect(),
            fts: latency(&fts_times),
            fts_cut,
            fts_query_cap: cap,
            imr_on_fts: latency(&imr_on_fts),
            rg: latency(&rg_times),
            imr_on_rg: latency(&imr_on_rg),
            imr_process_on_rg: latency(&imr_process_on_rg),
            rg_installed: peers::ripgrep_version(),
            fts_possible: mix.iter().filter(|q| q.fts.is_some()).count(),
            rg_possible: mix.iter().filter(|q| q.rg.is_some()).count(),
            peer_budget: budget,
        },
    })
}

/// The query mix with its `similar` queries, whose seeds are items of `engine`'s
/// index.
fn full_mix(engine: &Engine) -> anyhow::Result<Vec<BenchQuery>> {
    let mut mix = queries::mix();
    let seeds = engine.search(&SearchRequest {
        query: "therapy".into(),
        limit: 20,
        ..SearchRequest::default()
    })?;
    let ids: Vec<String> = seeds.hits.iter().map(|h| h.id.clone()).collect();
    mix.extend(queries::similar(&ids));
    Ok(mix)
}

fn time_queries(index: &Path) -> anyhow::Result<()> {
    let engine = Engine::open(&IndexDir::new(index))?;
    let mix = full_mix(&engine)?;
    let served = serve_imr(&engine, &mix)?;
    let mut timed: Vec<(&BenchQuery, Duration)> = mix.iter().zip(served).collect();
    timed.sort_by_key(|(_, time)| std::cmp::Reverse(*time));
    for (q, time) in timed {
        let line = serde_json::json!({
            "ms": time.as_secs_f64() * 1000.0,
            "kind": q.kind.name(),
            "command": q.cli_args(),
        });
        println!("{line}");
    }
    Ok(())
}

/// Indices of the queries `keep` accepts, one of each kind in turn.
fn interleaved(mix: &[BenchQuery], keep: impl Fn(&BenchQuery) -> bool) -> Vec<usize> {
    let mut kinds: Vec<(Kind, Vec<usize>)> = Vec::new();
    for (i, q) in mix.iter().enumerate().filter(|(_, q)| keep(q)) {
        match kinds.iter_mut().find(|(k, _)| *k == q.kind) {
            Some((_, list)) => list.push(i),
            None => kinds.push((q.kind, vec![i])),
        }
    }
    let longest = kinds.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|n| kinds.iter().filter_map(move |(_, l)| l.get(n).copied()))
        .collect()
}

/// Every query answered by one open index, as a server would: a warm-up pass, then
/// a measured one.
fn serve_imr(engine: &Engine, mix: &[BenchQuery]) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(mix.len());
    for pass in 0..2 {
        for q in mix {
            let started = Instant::now();
            answer(engine, q)?;
            if pass == 1 {
                times.push(started.elapsed());
            }
        }
    }
    Ok(times)
}

fn answer(engine: &Engine, q: &BenchQuery) -> anyhow::Result<()> {
    let request = SearchRequest {
        query: q.text.clone(),
        filters: q.filters.clone(),
        facets: vec!["decision".into(), "category".into(), "region".into()],
        limit: 10,
        ..SearchRequest::default()
    };
    match (q.kind, &q.similar_to, q.by) {
        (Kind::Similar, Some(id), _) => {
            std::hint::black_box(engine.similar(id, &request)?);
        }
        (_, _, Some(by)) => {
            std::hint::black_box(engine.stats(&q.text, &q.filters, by)?);
        }
        _ => {
            std::hint::black_box(engine.search(&request)?);
        }
    }
    Ok(())
}

fn space(dir: &Path) -> anyhow::Result<()> {
    let index = tantivy::Index::open_in_dir(dir)?;
    imr_search::index::schema::register_tokenizers(
        &index,
        &imr_search::index::pairs::CommonWords::all(),
    );
    let usage = index.reader()?.searcher().space_usage()?;
    println!("{}", serde_json::to_string_pretty(&usage)?);
    Ok(())
}
