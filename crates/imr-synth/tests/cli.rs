//! The `imr-synth` command: letters in folders of 1,000, their truth beside them,
//! and a corpus that later runs continue.

use imr_search::{Letter, Parser};

#[test]
fn imr_synth_writes_letters_in_folders_and_their_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_imr-synth"))
        .args(["--letters", "1200", "--seed", "9", "--out"])
        .arg(&out)
        .assert()
        .success();
    let truth: Vec<Letter> = std::fs::read_to_string(out.join("truth.ndjson"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(truth.len(), 1200);
    assert_eq!(std::fs::read_dir(out.join("0000")).unwrap().count(), 1000);
    assert_eq!(std::fs::read_dir(out.join("0001")).unwrap().count(), 200);
    let mut files: Vec<_> = std::fs::read_dir(out.join("0001"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let parser = Parser::default();
    let parsed: Vec<Letter> = files
        .iter()
        .map(|path| parser.parse_bytes(&path.display().to_string(), &std::fs::read(path).unwrap()))
        .collect();
    assert_eq!(parsed.len(), 200);
    for (got, want) in parsed.iter().zip(&truth[1000..]) {
        assert!(
            got.source.ends_with(&want.source),
            "{} {}",
            got.source,
            want.source
        );
        assert_eq!(got.items.len(), want.items.len(), "{}", want.source);
        for (g, w) in got.items.iter().zip(&want.items) {
            assert_eq!(g.decision, w.decision, "{}", want.source);
        }
    }
    // Letters added later continue the corpus and its truth.
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_imr-synth"))
        .args(["--letters", "10", "--first", "1200", "--seed", "9", "--out"])
        .arg(&out)
        .assert()
        .success();
    let lines = std::fs::read_to_string(out.join("truth.ndjson"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(lines, 1210);
}
