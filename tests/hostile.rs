//! Hostile input, generated at test time: every readable letter ends up searchable,
//! every file that is not is reported with a reason, and nothing panics.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn imr() -> Command {
    let mut cmd = Command::cargo_bin("imr").expect("the imr binary is built");
    cmd.env_remove("IMR_SCHEMA_DIR")
        .env_remove("IMR_INDEX")
        .env_remove("RUST_LOG");
    cmd
}

/// The seed letter with a header naming `case`, so each copy can be found.
fn letter(case: &str) -> String {
    let seed = std::fs::read_to_string(common::fixtures().join("seed_case_summary.txt")).unwrap();
    format!(
        "Case Number:  {case}  Date Assigned:  06/02/2014\nDecision Date:  07/15/2014\n\n{seed}"
    )
}

/// A small deterministic byte generator.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let units = std::iter::once(0xfeff_u16)
        .filter(|_| bom)
        .chain(text.encode_utf16());
    for unit in units {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

/// What a hostile file should come to.
enum Expect {
    /// Searchable by its case number.
    Letter(&'static str),
    /// Reported as skipped, the reason containing these words.
    Skipped(&'static str),
    /// Read without harm; whatever it parses to.
    Survives,
}

struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    expectations: Vec<(PathBuf, Expect)>,
}

fn write(root: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn hostile_corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    std::fs::create_dir(&root).unwrap();
    let mut expect = Vec::new();
    let mut add = |path: PathBuf, e: Expect| expect.push((path, e));

    add(
        write(&root, "empty.txt", b""),
        Expect::Skipped("empty file"),
    );
    add(
        write(&root, "blank.txt", b"  \n\n \t \r\n"),
        Expect::Skipped("white space"),
    );
    add(
        write(&root, "noise.bin", noise(7, 20_000)),
        Expect::Skipped("binary"),
    );
    add(
        write(
            &root,
            "image.png",
            [&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], &noise(3, 4000)].concat(),
        ),
        Expect::Skipped("binary"),
    );
    add(
        write(
            &root,
            "archive.gz",
            [&b"\x1f\x8b\x08\0"[..], &noise(5, 4000)].concat(),
        ),
        Expect::Skipped("binary"),
    );
    let mut with_nuls = letter("CM19-0000001").into_bytes();
    for at in (100..with_nuls.len()).step_by(500) {
        with_nuls.insert(at, 0);
    }
    add(
        write(&root, "nul_inside.txt", with_nuls),
        Expect::Letter("CM19-0000001"),
    );
    add(
        write(
            &root,
            "utf16le_bom.txt",
            utf16(&letter("CM19-0000002"), false, true),
        ),
        Expect::Letter("CM19-0000002"),
    );
    add(
        write(
            &root,
            "utf16be_bom.txt",
            utf16(&letter("CM19-0000003"), true, true),
        ),
        Expect::Letter("CM19-0000003"),
    );
    add(
        write(
            &root,
            "utf16le.txt",
            utf16(&letter("CM19-0000004"), false, false),
        ),
        Expect::Letter("CM19-0000004"),
    );
    let cp1252 = letter("CM19-0000005")
        .replace("patient", "patient\u{2019}s")
        .replace("L5", "L4\u{2013}5");
    add(
        write(
            &root,
            "cp1252.txt",
            encoding_rs::WINDOWS_1252.encode(&cp1252).0,
        ),
        Expect::Letter("CM19-0000005"),
    );
    let latin1 = letter("CM19-0000006").replace("neurological", "neurol\u{f3}gical");
    add(
        write(
            &root,
            "latin1.txt",
            encoding_rs::WINDOWS_1252.encode(&latin1).0,
        ),
        Expect::Letter("CM19-0000006"),
    );
    add(
        write(
            &root,
            "bom_then_1252.txt",
            [
                &b"\xef\xbb\xbf"[..],
                &encoding_rs::WINDOWS_1252
                    .encode(&cp1252.replace("CM19-0000005", "CM19-0000007"))
                    .0,
            ]
            .concat(),
        ),
        Expect::Letter("CM19-0000007"),
    );
    add(
        write(
            &root,
            "huge.txt",
            "this line is not a letter\n".repeat(50 * 1024 * 1024 / 26 + 1),
        ),
        Expect::Skipped("larger than the limit"),
    );
    add(
        write(&root, "one_line.txt", "word ".repeat(2 * 1024 * 1024)),
        Expect::Skipped("not an IMR letter"),
    );
    let seed = letter("CM19-0000008");
    for (n, heading) in [
        "HOW THE IMR",
        "CLINICAL CASE SUMMARY",
        "IMR ISSUES",
        "Claims Administrator guideline",
        "Decision rationale",
        "Nerve Conduction Studies",
    ]
    .iter()
    .enumerate()
    {
        let cut = seed.find(heading).unwrap();
        add(
            write(&root, &format!("truncated_{n}.txt"), &seed[..cut]),
            Expect::Survives,
        );
        add(
            write(
                &root,
                &format!("truncated_mid_{n}.txt"),
                &seed[..cut + heading.len() / 2],
            ),
            Expect::Survives,
        );
    }
    add(
        write(&root, "same_case_a.txt", letter("CM19-0000009")),
        Expect::Letter("CM19-0000009"),
    );
    add(
        write(
            &root,
            "same_case_b.txt",
            letter("CM19-0000009").replace("Upheld", "Overturned"),
        ),
        Expect::Letter("CM19-0000009"),
    );
    add(
        write(
            &root,
            "crlf.txt",
            letter("CM19-0000010").replace('\n', "\r\n"),
        ),
        Expect::Letter("CM19-0000010"),
    );
    add(
        write(
            &root,
            "lone_cr.txt",
            letter("CM19-0000011").replace('\n', "\r"),
        ),
        Expect::Letter("CM19-0000011"),
    );
    add(
        write(
            &root,
            "form_feeds.txt",
            letter("CM19-0000012").replace("\n\n \n", "\n\x0c\n"),
        ),
        Expect::Letter("CM19-0000012"),
    );
    add(
        write(
            &root,
            "controls.txt",
            letter("CM19-0000013").replace("patient", "pa\x07tie\x1b[0mnt"),
        ),
        Expect::Letter("CM19-0000013"),
    );
    add(
        write(
            &root,
            "zero_width.txt",
            letter("CM19-0000014").replace("IMR ISSUES", "IMR\u{200b} ISSUES\u{feff}"),
        ),
        Expect::Letter("CM19-0000014"),
    );
    add(
        write(
            &root,
            "page.html",
            "<html><body><h1>Not a letter</h1><p>Independent Medical Review</p></body></html>",
        ),
        Expect::Skipped("unknown layout"),
    );
    add(
        write(
            &root,
            "data.json",
            r#"{"letters": [], "note": "not a letter"}"#,
        ),
        Expect::Skipped("not an IMR letter"),
    );
    let mut many_items = letter("CM19-0000015");
    for n in 0..300 {
        many_items.push_str(&format!("\nMRI number {n} of the lumbar spine:  Upheld\n\nDecision rationale: Not indicated. Therefore, this request is not medically necessary.\n"));
    }
    add(
        write(&root, "many_items.txt", many_items),
        Expect::Letter("CM19-0000015"),
    );
    add(
        write(
            &root,
            "long_name.txt",
            letter("CM19-0000016").replace(
                "Electromyography of lower extremities",
                &"very long name ".repeat(7_000),
            ),
        ),
        Expect::Letter("CM19-0000016"),
    );
    add(
        write(
            &root,
            "bad_dates.txt",
            letter("CM19-0000017").replace("07/15/2014", "13/45/2014"),
        ),
        Expect::Letter("CM19-0000017"),
    );
    add(
        write(
            &root,
            "only_outcomes.txt",
            "Upheld\n:  Upheld\nOVERTURNED\n x: overturned\n".repeat(100),
        ),
        Expect::Survives,
    );
    add(
        write(
            &root,
            &format!("{}deep.txt", "d/".repeat(50)),
            letter("CM19-0000018"),
        ),
        Expect::Letter("CM19-0000018"),
    );
    add(
        write(&root, "folder.txt/inside.txt", letter("CM19-0000019")),
        Expect::Letter("CM19-0000019"),
    );
    add(
        write(
            &root,
            "random_text.txt",
            String::from_utf8_lossy(&noise(11, 30_000)).replace('\0', " "),
        ),
        Expect::Survives,
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"name_\xff\xfe.txt");
        let path = root.join(name);
        std::fs::write(&path, letter("CM19-0000020")).unwrap();
        add(path, Expect::Letter("CM19-0000020"));
        let target = write(&root, "linked_target.txt", letter("CM19-0000021"));
        std::os::unix::fs::symlink(&target, root.join("link_to_target.txt")).unwrap();
        add(target, Expect::Letter("CM19-0000021"));
        let dangling = root.join("dangling.txt");
        std::os::unix::fs::symlink(root.join("no-such-file"), &dangling).unwrap();
        add(dangling, Expect::Skipped("No such file"));
        std::fs::create_dir(root.join("loop")).unwrap();
        let looping = root.join("loop/back");
        std::os::unix::fs::symlink(&root, &looping).unwrap();
        add(looping, Expect::Skipped("loop"));
        let fifo = root.join("pipe.txt");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            add(fifo, Expect::Skipped("not a regular file"));
        }
    }
    Corpus {
        _dir: dir,
        root,
        expectations: expect,
    }
}

#[test]
fn hostile_files_are_reported_and_good_letters_searchable() {
    let corpus = hostile_corpus();
    assert!(
        corpus.expectations.len() >= 30,
        "{} kinds",
        corpus.expectations.len()
    );
    let index = corpus.root.parent().unwrap().join("index");
    let output = imr()
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(&corpus.root)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let skipped: Vec<(String, String)> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (path, expect) in &corpus.expectations {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match expect {
            Expect::Skipped(reason) => {
                let found = skipped.iter().find(|(p, _)| p.ends_with(&name));
                let (_, said) =
                    found.unwrap_or_else(|| panic!("{name} is not reported: {skipped:?}"));
                assert!(
                    said.contains(reason),
                    "{name}: {said:?} should say {reason:?}"
                );
            }
            Expect::Letter(case) => {
                let response: Value = serde_json::from_slice(
                    &imr()
                        .args(["search", "--json", "--limit", "500", "--index"])
                        .arg(&index)
                        .arg(format!("case:{case}"))
                        .output()
                        .unwrap()
                        .stdout,
                )
                .unwrap();
                assert!(
                    response["total"].as_u64().unwrap() >= 2,
                    "{name}: case {case} is not searchable"
                );
                assert!(
                    !skipped.iter().any(|(p, _)| p.ends_with(&name)),
                    "{name} was skipped"
                );
            }
            Expect::Survives => {}
        }
    }
    // The link to a file already walked adds nothing; two letters share one case number.
    let linked: Value = serde_json::from_slice(
        &imr()
            .args(["search", "--json", "--index"])
            .arg(&index)
            .arg("case:CM19-0000021")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        linked["total"], 2,
        "one letter of two items, not two copies"
    );
    let same_case: Value = serde_json::from_slice(
        &imr()
            .args(["search", "--json", "--facet", "decision", "--index"])
            .arg(&index)
            .arg("case:CM19-0000009")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        same_case["facets"]["decision"],
        serde_json::json!({"upheld": 2, "overturned": 2})
    );
    let many: Value = serde_json::from_slice(
        &imr()
            .args(["search", "--json", "--index"])
            .arg(&index)
            .arg("case:CM19-0000015")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(many["total"], 302);
    assert!(summary["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["path"].as_str().unwrap().ends_with("bad_dates.txt")));

    // `parse` reads the same tree without harm, naming what it cannot read.
    let parsed = imr()
        .args(["parse", "--json"])
        .arg(&corpus.root)
        .output()
        .unwrap();
    assert!(matches!(parsed.status.code(), Some(0) | Some(2)));
    assert!(String::from_utf8_lossy(&parsed.stderr).contains("huge.txt"));
}

#[test]
fn a_raised_size_limit_reads_large_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in/big.txt",
        letter("CM19-0000030") + &"filler line of text\n".repeat(1_000_000),
    );
    let index = dir.path().join("index");
    let small = imr()
        .args(["index", "--json", "--max-file-size", "1", "--index"])
        .arg(&index)
        .arg(dir.path().join("in"))
        .output()
        .unwrap();
    assert_eq!(small.status.code(), Some(3));
    let big = imr()
        .args(["index", "--json", "--max-file-size", "64", "--index"])
        .arg(&index)
        .arg(dir.path().join("in"))
        .output()
        .unwrap();
    assert_eq!(
        big.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&big.stderr)
    );
    let summary: Value = serde_json::from_slice(&big.stdout).unwrap();
    assert_eq!(summary["added"], 1);
}
