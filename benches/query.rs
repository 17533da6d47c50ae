//! The query path, served from an open index: one benchmark per kind of query of
//! the `imr-bench` mix, each counting the decision, category and region facets over
//! every matching item, as the CLI does. The index holds 5,000 generated letters
//! (about 12,000 items), built once by the `imr` binary. Run with
//! `cargo bench --bench query`.

use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{criterion_group, criterion_main, Criterion};
use imr_search::index::IndexDir;
use imr_search::search::Filters;
use imr_search::search::{Engine, SearchRequest};
use imr_synth::{self as synth, SynthOptions};

const LETTERS: u64 = 5_000;

/// Writes the generated corpus under `dir`.
fn write_corpus(dir: &Path) {
    let options = SynthOptions::default();
    for n in 0..LETTERS {
        let letter = synth::letter(&options, n);
        let path = dir.join(&letter.path);
        std::fs::create_dir_all(path.parent().expect("a letter sits in a folder"))
            .expect("corpus folder is writable");
        std::fs::write(&path, &letter.bytes).expect("letter is writable");
    }
}

fn build_index(corpus: &Path, index: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["index", "--index"])
        .arg(index)
        .arg(corpus)
        .stdout(Stdio::null())
        .status()
        .expect("imr runs");
    assert!(status.success(), "imr index failed");
}

fn request(query: &str, filters: Filters) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        filters,
        facets: vec!["decision".into(), "category".into(), "region".into()],
        limit: 10,
        ..SearchRequest::default()
    }
}

fn query_benchmarks(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let corpus = dir.path().join("letters");
    let index = dir.path().join("index");
    write_corpus(&corpus);
    build_index(&corpus, &index);
    let engine = Engine::open(&IndexDir::new(&index)).expect("the index opens");

    let overturned_knee = Filters {
        decision: vec!["overturned".into()],
        region: vec!["knee".into()],
        ..Filters::default()
    };
    let searches = [
        ("keyword", request("radiculopathy", Filters::default())),
        ("two words", request("lumbar AND mri", Filters::default())),
        (
            "phrase",
            request("\"physical therapy\"", Filters::default()),
        ),
        ("prefix", request("opioid*", Filters::default())),
        ("fuzzy", request("acupunture~1", Filters::default())),
        (
            "keyword + filters",
            request("injection", overturned_knee.clone()),
        ),
        ("filters only", request("", overturned_knee)),
    ];
    let mut group = c.benchmark_group("query");
    for (name, search) in &searches {
        group.bench_function(*name, |b| {
            b.iter(|| engine.search(search).expect("the search runs").total)
        });
    }
    group.bench_function("stats --by category", |b| {
        b.iter(|| {
            engine
                .stats("therapy", &Filters::default(), "category")
                .expect("stats run")
        })
    });
    let seed = engine
        .search(&request("therapy", Filters::default()))
        .expect("the search runs");
    let id = seed
        .hits
        .first()
        .expect("something matches therapy")
        .id
        .clone();
    let similar = request("", Filters::default());
    group.bench_function("similar", |b| {
        b.iter(|| engine.similar(&id, &similar).expect("similar runs").total)
    });
    group.finish();
}

criterion_group!(benches, query_benchmarks);
criterion_main!(benches);
