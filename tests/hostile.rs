//! Hostile input, generated at test time: every readable letter ends up searchable,
//! every file that is not is reported with a reason, and nothing panics.

use std::path::{Path, PathBuf};

use crate::util::imr;
use serde_json::Value;

/// The seed letter with a header naming `case`, so each copy can be found.
fn letter(case: &str) -> String {
    let seed =
        std::fs::read_to_string(crate::util::fixtures().join("seed_case_summary.txt")).unwrap();
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
        // Root reads through any mode, so the expectation follows what this process can do.
        let locked = write(&root, "no_permission.txt", letter("CM19-0000022"));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::read(&locked).is_ok();
        add(
            locked,
            if readable {
                Expect::Letter("CM19-0000022")
            } else {
                Expect::Skipped("Permission denied")
            },
        );
        // A file that opens but fails to read, whoever runs the test.
        #[cfg(target_os = "linux")]
        if Path::new("/proc/self/mem").exists() {
            let failing = root.join("read_error.txt");
            std::os::unix::fs::symlink("/proc/self/mem", &failing).unwrap();
            add(failing, Expect::Skipped("error"));
        }
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
    eprintln!("{} hostile files", corpus.expectations.len());
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

/// The largest resident set of any child process this test binary has waited for.
#[cfg(unix)]
pub fn peak_child_rss_bytes() -> u64 {
    // SAFETY: getrusage only writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    // Kilobytes on Linux, bytes on macOS.
    let scale = if cfg!(target_os = "macos") { 1 } else { 1024 };
    usage.ru_maxrss as u64 * scale
}

#[test]
fn a_hundred_thousand_tiny_files() {
    const FILES: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let mut letters = Vec::new();
    for folder in 0..FILES / 1000 {
        let folder_path = root.join(format!("{folder:03}"));
        std::fs::create_dir_all(&folder_path).unwrap();
        for n in 0..1000 {
            let path = folder_path.join(format!("{n:03}.txt"));
            if n == 500 {
                let case = format!("CM20-{folder:07}");
                std::fs::write(&path, letter(&case)).unwrap();
                letters.push(case);
            } else {
                std::fs::write(&path, format!("scan {folder}-{n}\n")).unwrap();
            }
        }
    }
    let index = dir.path().join("index");
    let output = imr()
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["files_seen"], FILES);
    assert_eq!(summary["letters"], letters.len());
    let skipped = summary["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), FILES - letters.len());
    assert!(skipped
        .iter()
        .all(|s| s["reason"].as_str().unwrap().contains("not an IMR letter")));
    let found: Value = serde_json::from_slice(
        &imr()
            .args([
                "search", "--json", "--limit", "0", "--facet", "family", "--index",
            ])
            .arg(&index)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        found["facets"]["family"]["case-summary"].as_u64(),
        Some(2 * letters.len() as u64),
        "two items from each letter"
    );
    let last = imr()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg(format!("case:{}", letters.last().unwrap()))
        .output()
        .unwrap();
    let last: Value = serde_json::from_slice(&last.stdout).unwrap();
    assert_eq!(last["total"], 2);
    #[cfg(unix)]
    {
        let peak = peak_child_rss_bytes();
        assert!(peak < 1 << 30, "a child process peaked at {peak} bytes");
    }
}

#[test]
fn files_deleted_or_rewritten_during_a_run() {
    const LETTERS: usize = 3000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let paths: Vec<PathBuf> = (0..LETTERS)
        .map(|n| {
            write(
                &root,
                &format!("{:02}/{n:05}.txt", n / 1000),
                letter(&format!("CM21-{n:07}")),
            )
        })
        .collect();
    let index = dir.path().join("index");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("imr"))
        .env_remove("IMR_SCHEMA_DIR")
        .env_remove("IMR_VOCAB_DIR")
        .env_remove("IMR_INDEX")
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(&root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // While it runs: every third letter from the end is deleted, the one after it
    // rewritten with its outcomes turned around, walking towards the start so the
    // run meets changes it has not read yet.
    let mut deleted = Vec::new();
    let mut rewritten = Vec::new();
    for n in (0..LETTERS).rev().step_by(3) {
        std::thread::sleep(std::time::Duration::from_millis(2));
        std::fs::remove_file(&paths[n]).unwrap();
        deleted.push(n);
        if n >= 1 {
            let overturned = letter(&format!("CM21-{:07}", n - 1)).replace("Upheld", "Overturned");
            std::fs::write(&paths[n - 1], overturned).unwrap();
            rewritten.push(n - 1);
        }
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code().map(|c| c == 0 || c == 3),
        Some(true),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    eprintln!(
        "the run met {} vanished files among {} seen",
        summary["skipped"].as_array().unwrap().len(),
        summary["files_seen"]
    );
    for skipped in summary["skipped"].as_array().unwrap() {
        let path = skipped["path"].as_str().unwrap();
        let n: usize = path[path.len() - 9..path.len() - 4].parse().unwrap();
        assert!(deleted.contains(&n), "{path} was skipped but not deleted");
        assert!(skipped["reason"].as_str().unwrap().contains("No such file"));
    }
    // Letters nobody touched are all there, whatever the run met.
    let facets = |index: &Path| -> Value {
        serde_json::from_slice(
            &imr()
                .args([
                    "search", "--json", "--limit", "0", "--facet", "decision", "--index",
                ])
                .arg(index)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    let untouched = LETTERS - deleted.len() - rewritten.len();
    let during = facets(&index);
    assert!(during["total"].as_u64().unwrap() >= 2 * untouched as u64);
    // The next run settles on the files as they are now.
    let rerun = imr()
        .args(["index", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(rerun.status.code(), Some(0));
    let after = facets(&index);
    assert_eq!(
        after["facets"]["decision"],
        serde_json::json!({
            "upheld": 2 * untouched,
            "overturned": 2 * rewritten.len(),
        })
    );
}
