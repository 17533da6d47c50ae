//! Killed runs and concurrent use never leave the index unusable: after `imr index`
//! is killed at any moment, the index answers with the old or the new generation,
//! and the next run completes and cleans up.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::util::imr;
use serde_json::Value;

/// Items and per-decision counts: what tells one generation from another.
fn state(index: &Path) -> (u64, Value) {
    let output = imr()
        .args(["search", "--json", "--facet", "decision", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the index must answer: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let response: Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        response["total"].as_u64().unwrap(),
        response["facets"]["decision"].clone(),
    )
}

/// Makes `dir` hold corpus A (the fixtures) or B (A changed: one letter gone, one
/// outcome flipped, two letters added).
fn set_corpus(dir: &Path, b: bool) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    for path in crate::util::fixture_letters() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if b && name == "notice.txt" {
            continue;
        }
        let mut text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        if b && name == "case_summary_variants.txt" {
            text = text.replace("management:  upheld", "management:  Overturned");
        }
        std::fs::write(dir.join(&name), text).unwrap();
    }
    if b {
        for n in 0..2 {
            std::fs::copy(
                crate::util::fixtures().join("professional_review.txt"),
                dir.join(format!("added_{n}.txt")),
            )
            .unwrap();
        }
    }
}

fn index_fully(index: &Path, letters: &Path, rebuild: bool) {
    let mut cmd = imr();
    cmd.args(["index", "--wait", "--index"])
        .arg(index)
        .arg(letters);
    if rebuild {
        cmd.arg("--rebuild");
    }
    let output = cmd.output().unwrap();
    // 3: this run read non-letters; 0: it read none (unchanged files are not re-read).
    assert!(
        matches!(output.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Kill points, deterministic, spread over a run's length.
fn delays(rounds: usize) -> Vec<Duration> {
    (0..rounds)
        .map(|n| Duration::from_millis(((n as u64 * 7919) % 29) * 25))
        .collect()
}

#[test]
fn killed_runs_leave_the_old_or_the_new_generation() {
    let dir = tempfile::tempdir().unwrap();
    let letters: PathBuf = dir.path().join("letters");
    let index = dir.path().join("index");
    let reference = dir.path().join("reference");
    set_corpus(&letters, true);
    index_fully(&reference, &letters, false);
    let state_b = state(&reference);
    set_corpus(&letters, false);
    index_fully(&index, &letters, false);
    let state_a = state(&index);
    assert_ne!(state_a, state_b);

    let mut to_b = true;
    for (round, delay) in delays(24).into_iter().enumerate() {
        let rebuild = round % 2 == 0;
        let (before, after) = if to_b {
            (&state_a, &state_b)
        } else {
            (&state_b, &state_a)
        };
        set_corpus(&letters, to_b);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("imr"))
            .args(["index", "--wait", "--index"])
            .arg(&index)
            .arg(&letters)
            .args(if rebuild { &["--rebuild"][..] } else { &[][..] })
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = state(&index);
        assert!(
            &now == before || &now == after,
            "round {round} (rebuild: {rebuild}, killed after {delay:?}): {now:?} is neither {before:?} nor {after:?}"
        );
        index_fully(&index, &letters, false);
        assert_eq!(
            &state(&index),
            after,
            "round {round}: the next run completes"
        );
        let generations = std::fs::read_dir(&index)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("gen-")
            })
            .count();
        assert_eq!(generations, 1, "round {round}: leftovers are cleaned up");
        to_b = !to_b;
    }
}

#[test]
fn searches_never_fail_during_incremental_runs_and_a_waiting_writer_waits() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    let index = dir.path().join("index");
    set_corpus(&letters, false);
    index_fully(&index, &letters, false);
    let state_a = state(&index);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searcher = {
        let index = index.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut searches = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                state(&index);
                searches += 1;
            }
            searches
        })
    };
    for round in 0..4 {
        set_corpus(&letters, round % 2 == 0);
        index_fully(&index, &letters, false);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(searcher.join().unwrap() > 0);
    assert_eq!(state(&index), state_a);

    // A second writer waits with --wait, and runs once the first lets go.
    let home = imr_search::index::IndexDir::new(&index);
    let lock = home.lock(false).unwrap();
    let waiting = {
        let index = index.clone();
        let letters = letters.clone();
        std::thread::spawn(move || {
            imr()
                .args(["index", "--wait", "--index"])
                .arg(&index)
                .arg(&letters)
                .output()
                .unwrap()
                .status
                .code()
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !waiting.is_finished(),
        "the second writer waits for the lock"
    );
    drop(lock);
    assert!(matches!(waiting.join().unwrap(), Some(0) | Some(3)));
}
