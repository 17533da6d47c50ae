//! An index updated by many small runs stays quick to search: each run's commit
//! leaves small segments, and those are merged, so their number stays bounded.

use imr_search::index::IndexDir;
use imr_search::search::{Engine, SearchRequest};

#[test]
fn the_small_segments_of_many_runs_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    let home = IndexDir::new(dir.path().join("index"));
    let runs = 12;
    for run in 0..runs {
        crate::util::write_letters(&letters, run * 3, 3);
        crate::util::index_in_process(&home, vec![letters.clone()]);
    }
    let engine = Engine::open(&home).unwrap();
    let searcher = engine.searcher();
    let segments = searcher.segment_readers().len();
    assert!(
        segments <= 4,
        "{segments} segments after {runs} runs of one segment each"
    );
    let every_item = engine
        .search(&SearchRequest {
            limit: 0,
            ..SearchRequest::default()
        })
        .unwrap();
    let parsed: usize = imr_search::input::files_under(std::slice::from_ref(&letters))
        .into_iter()
        .map(|file| {
            let path = file.unwrap();
            let bytes = std::fs::read(&path).unwrap();
            imr_search::Parser::default()
                .parse_bytes(&path.display().to_string(), &bytes)
                .items
                .len()
        })
        .sum();
    assert_eq!(
        every_item.total, parsed,
        "every letter's items survive the merges"
    );
}

/// A lock file's handle is copied into every process another thread starts, until
/// that process execs: runs that follow one another, while other threads start
/// processes, must not find the lock their predecessor released still busy.
#[test]
fn runs_beside_processes_started_by_other_threads_never_find_the_lock_busy() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let stop = Arc::new(AtomicBool::new(false));
    let starters: Vec<_> = (0..3)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _ = std::process::Command::new("true").status();
                }
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    let home = IndexDir::new(dir.path().join("index"));
    let runs = std::panic::catch_unwind(|| {
        for run in 0..20 {
            crate::util::write_letters(&letters, run * 2, 2);
            crate::util::index_in_process(&home, vec![letters.clone()]);
        }
    });
    stop.store(true, Ordering::Relaxed);
    for starter in starters {
        starter.join().unwrap();
    }
    assert!(runs.is_ok(), "a run failed; its message is above");
}
