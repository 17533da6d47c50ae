//! `imr-bench accuracy`: the parser's accuracy per field on corpora with known
//! records, as the README's accuracy table. A corpus is a folder written by
//! `imr-synth` (its letters and `truth.ndjson`) or a fixture folder (`letters/`
//! and `expected/`, one hand-checked record per letter). The letters are parsed by
//! an `imr` binary (`--imr`, this one's sibling by default), so a build of other
//! code can be measured on the same corpora.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use imr_search::model::Letter;
use imr_synth::accuracy::{Accuracy, FIELDS};

/// The accuracy of `imr` on each corpus, printed as a markdown table.
pub fn run(imr: &Path, corpora: &[PathBuf]) -> anyhow::Result<()> {
    let mut columns = Vec::new();
    for corpus in corpora {
        let accuracy = measure(imr, corpus)
            .with_context(|| format!("measuring accuracy on {}", corpus.display()))?;
        let name = corpus.file_name().map_or_else(
            || corpus.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        eprintln!("{name}:\n{}", accuracy.report());
        for failure in accuracy.failures.iter().take(10) {
            eprintln!("{failure}");
        }
        columns.push((name, accuracy));
    }
    println!("{}", table(&columns));
    Ok(())
}

fn measure(imr: &Path, corpus: &Path) -> anyhow::Result<Accuracy> {
    let (root, truths) = if corpus.join("truth.ndjson").is_file() {
        (corpus.to_path_buf(), generated_truths(corpus)?)
    } else {
        (corpus.join("letters"), expected_records(corpus)?)
    };
    // The letters' folders, not the truth file beside them.
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    folders.retain(|p| p.is_dir());
    if folders.is_empty() {
        folders.push(root.clone());
    }
    let parsed = parse(imr, &root, &folders)?;
    let mut accuracy = Accuracy::default();
    let mut names: Vec<&String> = truths.keys().collect();
    names.sort();
    for name in names {
        let truth = &truths[name];
        let parsed = parsed
            .get(name)
            .with_context(|| format!("imr parsed no letter {name}"))?;
        accuracy.compare(name, truth, parsed);
    }
    Ok(accuracy)
}

/// The records `imr parse --json` makes of the letters in `inputs`, by path
/// under `dir`.
fn parse(imr: &Path, dir: &Path, inputs: &[PathBuf]) -> anyhow::Result<HashMap<String, Letter>> {
    let output = Command::new(imr)
        .args(["parse", "--json"])
        .args(inputs)
        .output()
        .with_context(|| format!("running {}", imr.display()))?;
    anyhow::ensure!(
        matches!(output.status.code(), Some(0 | 1)),
        "{} parse failed: {}",
        imr.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let prefix = format!("{}/", dir.display());
    let mut records = HashMap::new();
    for line in output
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
    {
        let letter: Letter = serde_json::from_slice(line)?;
        let name = letter
            .source
            .strip_prefix(&prefix)
            .unwrap_or(&letter.source)
            .to_string();
        records.insert(name, letter);
    }
    Ok(records)
}

/// A generated corpus's truth, by path under the corpus.
fn generated_truths(corpus: &Path) -> anyhow::Result<HashMap<String, Letter>> {
    let text = std::fs::read_to_string(corpus.join("truth.ndjson"))?;
    text.lines()
        .map(|line| {
            let letter: Letter = serde_json::from_str(line)?;
            Ok((letter.source.clone(), letter))
        })
        .collect()
}

/// A fixture folder's expected records, by letter file name.
fn expected_records(dir: &Path) -> anyhow::Result<HashMap<String, Letter>> {
    let mut records = HashMap::new();
    for entry in std::fs::read_dir(dir.join("letters"))? {
        let path = entry?.path();
        let (Some(stem), Some(name)) = (path.file_stem(), path.file_name()) else {
            continue;
        };
        let expected = dir
            .join("expected")
            .join(format!("{}.json", stem.to_string_lossy()));
        if !expected.is_file() {
            continue;
        }
        let letter: Letter = serde_json::from_str(&std::fs::read_to_string(&expected)?)
            .with_context(|| format!("{}", expected.display()))?;
        records.insert(name.to_string_lossy().into_owned(), letter);
    }
    Ok(records)
}

/// The table: a row per field, a column per corpus, the share right and how many
/// were compared.
fn table(columns: &[(String, Accuracy)]) -> String {
    let mut out = String::from("| field |");
    for (name, accuracy) in columns {
        out += &format!(" {name} ({} letters) |", accuracy.letters);
    }
    out += "\n|---|";
    out += &"---:|".repeat(columns.len());
    out += "\n";
    for field in FIELDS {
        out += &format!("| {field} |");
        for (_, accuracy) in columns {
            let tally = accuracy.tally(field);
            out += &match tally.share() {
                Some(share) => format!(
                    " {} ({} of {}) |",
                    percent(share),
                    tally.checked - tally.wrong,
                    tally.checked
                ),
                None => " - |".to_string(),
            };
        }
        out += "\n";
    }
    for (label, score) in [
        ("body regions, precision", 0),
        ("body regions, recall", 1),
        ("body regions, F1", 2),
    ] {
        out += &format!("| {label} |");
        for (_, accuracy) in columns {
            let r = &accuracy.regions;
            let value = [r.precision(), r.recall(), r.f1()][score];
            out += &format!(" {value:.4} |");
        }
        out += "\n";
    }
    out
}

fn percent(share: f64) -> String {
    if share == 1.0 {
        "100%".to_string()
    } else {
        format!("{:.2}%", share * 100.0)
    }
}
