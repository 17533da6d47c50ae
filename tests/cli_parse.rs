//! `imr parse` as scripts use it: NDJSON records, messages and exit codes.

use crate::util::{fixture_letters, fixtures, parse_fixture};
use assert_cmd::Command;
use predicates::prelude::*;

fn imr() -> Command {
    let mut cmd = Command::cargo_bin("imr").expect("the imr binary is built");
    cmd.env_remove("IMR_SCHEMA_DIR")
        .env_remove("IMR_VOCAB_DIR")
        .env_remove("RUST_LOG");
    cmd
}

#[test]
fn json_prints_one_record_per_letter_and_line() {
    let output = imr()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["parse", "--json", "tests/fixtures/letters"])
        .output()
        .expect("imr runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON record"))
        .collect();
    let letters = fixture_letters();
    assert_eq!(records.len(), letters.len());
    for (record, path) in records.iter().zip(&letters) {
        let expected = serde_json::to_value(parse_fixture(path)).expect("records serialise");
        assert_eq!(record, &expected, "{}", path.display());
    }
}

#[test]
fn human_summary_names_family_items_and_citations() {
    imr()
        .env("COLUMNS", "120")
        .arg("parse")
        .arg(fixtures().join("seed_case_summary.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("case-summary"))
        .stdout(predicate::str::contains(
            "[0] upheld electrodiagnostic: Electromyography of lower extremities",
        ))
        .stdout(predicate::str::contains(
            "cites /MTUS/ACOEM/Chapter 12 Low Back Complaints; /ODG/Low Back/Electrodiagnostic studies (EDS)",
        ));
}

#[test]
fn an_unreadable_path_is_named_and_the_rest_still_parsed() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(fixtures().join("notice.txt"), dir.path().join("notice.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
        .unwrap();
    let missing = dir.path().join("no-such-file.txt");
    let assert = imr()
        .args(["parse", "--json"])
        .arg(dir.path())
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.txt"));
    #[cfg(unix)]
    let assert = assert.stderr(predicate::str::contains("dangling.txt"));
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("\"family\":\"notice\""));
}

#[test]
fn non_letters_are_read_without_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("binary.pdf"),
        [0u8, 1, 2, 3, 0x25, 0x50, 0x44, 0x46, 0, 0],
    )
    .unwrap();
    imr()
        .args(["parse", "--json"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"family\":\"unknown\""))
        .stdout(predicate::str::contains("binary content"));
}

#[test]
fn usage_errors_exit_2() {
    imr().arg("parse").assert().code(2);
    imr()
        .args(["parse", "--no-such-flag", "x"])
        .assert()
        .code(2);
}

#[test]
fn a_bad_vocabulary_directory_is_reported() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("regions.json"), "{ not json").unwrap();
    // --schema-dir is the older name of --vocab-dir.
    for flag in ["--vocab-dir", "--schema-dir"] {
        imr()
            .args(["parse", flag])
            .arg(dir.path())
            .arg(fixtures().join("notice.txt"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("regions.json"));
    }
}

#[test]
fn an_edited_vocabulary_changes_the_records() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("regions.json"),
        r#"{"regions": [{"slug": "knee-joint", "terms": ["knee"]}]}"#,
    )
    .unwrap();
    // IMR_SCHEMA_DIR is the older name of IMR_VOCAB_DIR.
    for variable in ["IMR_VOCAB_DIR", "IMR_SCHEMA_DIR"] {
        imr()
            .env(variable, dir.path())
            .args(["parse", "--json"])
            .arg(fixtures().join("notice.txt"))
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "\"body_regions\":[\"knee-joint\"]",
            ));
    }
}
