//! The command line a person can trust: misspelt values refused with the nearest
//! known ones, output that fits 80 columns, paging said plainly, an index that
//! never reads itself, honest exit codes, ids that survive a move, non-letters
//! kept out of hits, "(none)" rows, CSV and JSON-lines export, completions and a
//! manual page.

use std::path::Path;

use serde_json::Value;

use crate::cli_search::{indexed, search, total};
use crate::util::imr;

/// Runs imr with `args`, returning its exit code, stdout and stderr.
fn run(args: &[&str], index: Option<&Path>) -> (i32, String, String) {
    let mut cmd = imr();
    cmd.args(args);
    if let Some(index) = index {
        cmd.arg("--index").arg(index);
    }
    let output = cmd.env("COLUMNS", "80").output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn misspelt_filter_values_are_refused_with_the_nearest_known_ones() {
    let ix = indexed();
    for (args, said) in [
        (
            &["search", "--region", "lowback"][..],
            "did you mean low-back?",
        ),
        (&["search", "--decision", "denied"], "overturned, upheld"),
        (&["search", "--category", "opioid"], "pharmaceutical/opioid"),
        (
            &["search", "--category", "pharmaceutical/opiod"],
            "did you mean pharmaceutical/opioid?",
        ),
        (&["search", "--family", "notices"], "did you mean notice?"),
        (&["search", "--case", "bogus"], "no case \"bogus\""),
        (&["search", "region:lowback"], "did you mean low-back?"),
        (
            &["stats", "--by", "decision", "--region", "kneee"],
            "did you mean knee?",
        ),
        (
            &["search", "--since", "2015-01-01", "--until", "2014-01-01"],
            "--since 2015-01-01 is after --until 2014-01-01",
        ),
    ] {
        let (code, stdout, stderr) = run(args, Some(&ix.index));
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    }
}

#[test]
fn values_are_matched_ignoring_case_and_how_words_are_joined() {
    let ix = indexed();
    let low_back = total(&ix.index, &["--region", "low-back"]);
    assert!(low_back > 0);
    assert_eq!(total(&ix.index, &["--region", "Low Back"]), low_back);
    assert_eq!(total(&ix.index, &["region:LOW_BACK"]), low_back);
    let specialty = total(&ix.index, &["--specialty", "Family Medicine"]);
    assert!(specialty > 0);
    assert_eq!(
        total(&ix.index, &["--specialty", "family medicine"]),
        specialty
    );
}

/// Every line of `text` fits `width` characters.
fn assert_fits(text: &str, width: usize, what: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "{what}: a line of {} characters: {line:?}",
            line.chars().count()
        );
    }
}

#[test]
fn human_output_fits_80_columns() {
    let ix = indexed();
    let hits = search(&ix.index, &[]);
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let letters = ix.letters.display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "search",
            "--facet",
            "guideline",
            "--facet",
            "region",
            "--limit",
            "20",
        ],
        vec!["search", "electromyography", "--facet", "claims_guideline"],
        vec!["show", &id],
        vec!["show", "--letter", &id],
        vec!["similar", &id],
        vec!["stats", "--by", "guideline"],
        vec!["stats", "--by", "specialty"],
    ];
    for args in &commands {
        let (code, stdout, stderr) = run(args, Some(&ix.index));
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_fits(&stdout, 80, &format!("{args:?}"));
    }
    let others: Vec<Vec<&str>> = vec![
        vec!["parse", letters.as_str()],
        vec!["parse", "--text", letters.as_str()],
        vec!["schema"],
    ];
    for args in others {
        let (_, stdout, _) = run(&args[..], None);
        assert!(!stdout.is_empty());
        assert_fits(&stdout, 80, &format!("{args:?}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(
        &["index", letters.as_str()],
        Some(&dir.path().join("index")),
    );
    assert_eq!(code, 3);
    assert_fits(&stdout, 80, "index summary");
}

#[test]
fn paging_is_said_plainly() {
    let ix = indexed();
    let all = total(&ix.index, &[]);
    assert!(all > 12, "{all}");
    let (_, first, _) = run(&["search", "--limit", "5"], Some(&ix.index));
    assert!(
        first.contains(&format!(
            "showing 1-5 of {all}; --offset 5 for the next page"
        )),
        "{first}"
    );
    let offset = format!("{}", all - 2);
    let (_, last, _) = run(
        &["search", "--limit", "5", "--offset", &offset],
        Some(&ix.index),
    );
    assert!(
        last.contains(&format!(
            "showing {}-{all} of {all}, the last page",
            all - 1
        )),
        "{last}"
    );
}

#[test]
fn an_index_inside_its_input_is_refused_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::copy(
        crate::util::fixtures().join("notice.txt"),
        letters.join("notice.txt"),
    )
    .unwrap();
    let inside = letters.join("index");
    let (code, _, stderr) = run(&["index", letters.to_str().unwrap()], Some(&inside));
    assert_eq!(code, 2);
    assert!(stderr.contains("inside the input folder"), "{stderr}");
    assert!(!inside.exists(), "a refused run leaves nothing behind");
    // Forced, the index is built there, and no run reads its files as letters.
    for run_number in 0..3 {
        let output = imr()
            .args(["index", "--json", "--force", "--index"])
            .arg(&inside)
            .arg(&letters)
            .output()
            .unwrap();
        let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(summary["files_seen"], 1, "run {run_number}: {summary}");
        assert_eq!(summary["total_items"], 2, "run {run_number}: {summary}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("is an imr index, not letters"),
            "the walk says it passed the index over"
        );
    }
    // Searching a folder of letters as an index says what to do.
    let (code, _, stderr) = run(&["search", "x"], Some(&letters.join("..").join("letters")));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not an imr index") || stderr.contains("imr index --index"),
        "{stderr}"
    );
}

#[test]
fn runs_are_honest_about_nothing_found_failures_and_non_letters() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let index = dir.path().join("index");
    let (code, _, stderr) = run(&["index", empty.to_str().unwrap()], Some(&index));
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("hold no files"), "{stderr}");

    // A failed first run leaves no folder or lock behind, and says its error once.
    let failed = dir.path().join("failed-index");
    let (code, _, stderr) = run(&["index", "/no/such/folder"], Some(&failed));
    assert_eq!(code, 2);
    assert!(!failed.exists(), "debris left at {}", failed.display());
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );

    // A file that is not a letter is reported on every run while it remains.
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for name in ["notice.txt", "not_a_letter.txt"] {
        std::fs::copy(crate::util::fixtures().join(name), letters.join(name)).unwrap();
    }
    for _ in 0..2 {
        let output = imr()
            .args(["index", "--json", "--index"])
            .arg(&index)
            .arg(&letters)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(3));
        let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
        let skipped = summary["skipped"].as_array().unwrap();
        assert_eq!(skipped.len(), 1, "{summary}");
        assert!(skipped[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("not_a_letter.txt"));
        assert_eq!(summary["total_items"], 2, "{summary}");
        assert_eq!(summary["total_unparsed"], 1, "{summary}");
        assert_eq!(summary["total_documents"], 3, "{summary}");
    }
    // Not a hit, unless asked for.
    assert_eq!(total(&index, &[]), 2);
    assert_eq!(total(&index, &["--include-unparsed"]), 3);
    assert_eq!(total(&index, &["--family", "unknown"]), 1);
    assert_eq!(total(&index, &["family:unknown"]), 1);
}

/// The ids of every item of an index of `letters` built at `index`.
fn ids_of(letters: &Path, index: &Path) -> Vec<String> {
    imr()
        .arg("index")
        .arg("--index")
        .arg(index)
        .arg(letters)
        .assert()
        .code(3);
    let hits = search(index, &["--limit", "1000"]);
    let mut ids: Vec<String> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn ids_survive_a_move_and_show_takes_ids_cases_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut clones = Vec::new();
    for clone in ["one", "elsewhere/two"] {
        let letters = dir.path().join(clone).join("letters");
        std::fs::create_dir_all(&letters).unwrap();
        for path in crate::util::fixture_letters() {
            std::fs::copy(&path, letters.join(path.file_name().unwrap())).unwrap();
        }
        clones.push(ids_of(&letters, &dir.path().join(clone).join("index")));
    }
    assert_eq!(clones[0], clones[1]);
    assert!(clones[0].len() > 10);

    let index = dir.path().join("one").join("index");
    let shown = search(&index, &["--case", "CM14-0123457"]);
    let id = shown["hits"][0]["id"].as_str().unwrap();
    let (code, item, _) = run(&["show", "--json", id], Some(&index));
    assert_eq!(code, 0);
    let item: Value = serde_json::from_str(&item).unwrap();
    assert_eq!(item["id"], id);
    assert_eq!(item["case_number"], "CM14-0123457");
    assert!(item["source"].as_str().unwrap().ends_with(".txt"));
    assert!(item["decision_date"].is_string());
    assert!(item["treatment"].is_string());

    let (code, by_case, _) = run(&["show", "--json", "cm14-0123457"], Some(&index));
    assert_eq!(code, 0);
    let letters: Vec<Value> = by_case
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!letters.is_empty());
    assert!(letters.iter().all(|l| l["case_number"] == "CM14-0123457"));

    let file = dir.path().join("one/letters/notice.txt");
    let (code, by_file, _) = run(&["show", file.to_str().unwrap()], Some(&index));
    assert_eq!(code, 0, "{by_file}");
    assert!(by_file.contains("hinged knee brace"), "{by_file}");

    let (code, letter, _) = run(&["show", "--letter", id], Some(&index));
    assert_eq!(code, 0);
    assert!(letter.contains("Case summary"), "{letter}");
    assert!(
        letter.contains("HOW THE IMR FINAL DETERMINATION WAS MADE"),
        "{letter}"
    );

    let (code, _, stderr) = run(&["show", "no-such-thing"], Some(&index));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no item, letter, case number or file"),
        "{stderr}"
    );
}

#[test]
fn stats_and_facets_count_the_items_without_a_value_and_years_in_order() {
    let ix = indexed();
    let stats: Value =
        serde_json::from_str(&run(&["stats", "--json", "--by", "year"], Some(&ix.index)).1)
            .unwrap();
    let values: Vec<&str> = stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    let years: Vec<&str> = values.iter().copied().filter(|v| *v != "(none)").collect();
    let mut sorted = years.clone();
    sorted.sort();
    assert_eq!(years, sorted, "years in their order: {values:?}");
    let counted: u64 = stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        counted,
        stats["total"].as_u64().unwrap(),
        "every item counted once: {stats}"
    );
    assert_eq!(values.last(), Some(&"(none)"), "{values:?}");
    let facets = search(&ix.index, &["--facet", "specialty", "--facet", "decision"]);
    let total = facets["total"].as_u64().unwrap();
    for facet in ["specialty", "decision"] {
        let top: u64 = facets["facets"][facet]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(path, _)| !path.contains('/'))
            .map(|(_, count)| count.as_u64().unwrap())
            .sum();
        assert_eq!(top, total, "{facet}: {facets}");
    }
}

#[test]
fn csv_and_json_lines_export_every_matching_item() {
    let ix = indexed();
    let json = search(&ix.index, &["--limit", "10000", "--facet", "decision"]);
    let mut expected: Vec<(String, String)> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                h["decision"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    expected.sort();
    let (code, csv_text, _) = run(&["search", "--format", "csv"], Some(&ix.index));
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, decision, regions) = (column("id"), column("decision"), column("body_regions"));
    let mut from_csv: Vec<(String, String)> = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        from_csv.push((record[id].to_string(), record[decision].to_string()));
        let hit = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == record[id])
            .unwrap();
        let joined: Vec<&str> = hit["body_regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(&record[regions], joined.join("; "));
    }
    from_csv.sort();
    assert_eq!(from_csv, expected);

    let (_, jsonl, _) = run(
        &["search", "--format", "jsonl", "--decision", "overturned"],
        Some(&ix.index),
    );
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows.len() as u64,
        total(&ix.index, &["--decision", "overturned"])
    );
    assert!(rows.iter().all(|r| r["decision"] == "overturned"));

    let (_, stats_csv, _) = run(
        &["stats", "--by", "category", "--format", "csv"],
        Some(&ix.index),
    );
    let stats: Value =
        serde_json::from_str(&run(&["stats", "--json", "--by", "category"], Some(&ix.index)).1)
            .unwrap();
    let mut reader = csv::Reader::from_reader(stats_csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), stats["rows"].as_array().unwrap().len());
    for (row, json) in rows.iter().zip(stats["rows"].as_array().unwrap()) {
        assert_eq!(&row[0], json["value"].as_str().unwrap());
        assert_eq!(
            row[1].parse::<u64>().unwrap(),
            json["count"].as_u64().unwrap()
        );
    }
}

#[test]
fn completions_man_page_colour_and_logs() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, script, _) = run(&["completions", shell], None);
        assert_eq!(code, 0);
        assert!(
            script.contains("search") && script.contains("facet"),
            "{shell}"
        );
    }
    let (code, page, _) = run(&["man"], None);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = run(&["man", "--dir", dir.path().to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(dir.path().join("imr-search.1").is_file());

    let fixtures = crate::util::fixtures().display().to_string();
    let (_, plain, logs) = run(&["-v", "parse", "--json", &fixtures], None);
    assert!(
        !plain.contains('\u{1b}') && !logs.contains('\u{1b}'),
        "colour into a pipe"
    );
    let index = dir.path().join("index");
    let (_, _, logs) = run(&["-v", "index", &fixtures], Some(&index));
    assert!(
        logs.contains("walked") && logs.contains("committed"),
        "{logs}"
    );
    assert!(!logs.contains("tantivy"), "{logs}");
    let (_, coloured, _) = run(
        &[
            "--color",
            "always",
            "search",
            "--index",
            index.to_str().unwrap(),
            "knee",
        ],
        None,
    );
    assert!(coloured.contains('\u{1b}'), "--color always colours a pipe");
}
