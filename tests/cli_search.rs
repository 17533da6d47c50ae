//! `imr index`, `search`, `stats`, `show` and `similar` over the fixture letters, as
//! scripts use them. Expected counts come from `imr parse --json` of the same files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::imr;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// A copy of the fixture letters and an index of them.
pub struct Indexed {
    _dir: tempfile::TempDir,
    pub letters: PathBuf,
    pub index: PathBuf,
}

pub fn indexed() -> Indexed {
    let dir = tempfile::tempdir().expect("temporary directory");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for path in crate::util::fixture_letters() {
        std::fs::copy(&path, letters.join(path.file_name().unwrap())).unwrap();
    }
    let index = dir.path().join("index");
    imr()
        .args(["index", "--index"])
        .arg(&index)
        .arg(&letters)
        .assert()
        .code(3);
    Indexed {
        letters: std::fs::canonicalize(&letters).unwrap(),
        index,
        _dir: dir,
    }
}

/// The JSON object a command prints, which must succeed (or, for `index`, finish
/// with files reported as not letters: exit 3).
fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.output().expect("imr runs");
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

pub fn search(index: &Path, args: &[&str]) -> Value {
    json_of(
        imr()
            .arg("search")
            .arg("--index")
            .arg(index)
            .args(args)
            .arg("--json"),
    )
}

pub fn total(index: &Path, args: &[&str]) -> u64 {
    search(index, args)["total"].as_u64().unwrap()
}

/// The records `imr parse --json` gives for the indexed letters.
fn records(letters: &Path) -> Vec<Value> {
    let output = imr()
        .args(["parse", "--json"])
        .arg(letters)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Facet counts computed from parse records: per facet, per path and each ancestor,
/// the documents (items, or the letter when it has none) carrying it.
fn expected_facets(records: &[Value]) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut add = |facet: &str, paths: Vec<String>| {
        if paths.is_empty() {
            *counts
                .entry(facet.to_string())
                .or_default()
                .entry("(none)".to_string())
                .or_default() += 1;
            return;
        }
        let mut with_ancestors = std::collections::BTreeSet::new();
        for path in paths {
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            for depth in 1..=parts.len() {
                with_ancestors.insert(parts[..depth].join("/"));
            }
        }
        for path in with_ancestors {
            *counts
                .entry(facet.to_string())
                .or_default()
                .entry(path)
                .or_default() += 1;
        }
    };
    for letter in records {
        let items = letter["items"].as_array().unwrap();
        let documents = items.len().max(1);
        for _ in 0..documents {
            add(
                "family",
                vec![letter["family"].as_str().unwrap().to_string()],
            );
            let specialty = letter["reviewer"]["specialty"].as_str();
            add(
                "specialty",
                specialty.map(str::to_string).into_iter().collect(),
            );
            let year = letter["dates"]["decision"]
                .as_str()
                .map(|d| d[..4].to_string());
            add("year", year.into_iter().collect());
        }
        if items.is_empty() {
            for facet in [
                "decision",
                "region",
                "category",
                "guideline",
                "claims_guideline",
            ] {
                add(facet, Vec::new());
            }
        }
        for item in items {
            let decision = item["decision"].as_str().map(str::to_string);
            add("decision", decision.into_iter().collect());
            let regions = item["body_regions"].as_array().unwrap();
            add(
                "region",
                regions
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
            );
            let category = item["category"].as_str().unwrap();
            add(
                "category",
                vec![match item["drug_class"].as_str() {
                    Some(class) => format!("{category}/{class}"),
                    None => category.to_string(),
                }],
            );
            for (facet, by) in [
                ("guideline", "reviewer"),
                ("claims_guideline", "claims-administrator"),
            ] {
                let paths = item["guidelines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["cited_by"] == by)
                    .map(|c| c["facet"].as_str().unwrap().to_string())
                    .collect();
                add(facet, paths);
            }
        }
    }
    counts
}

const FACETS: &[&str] = &[
    "decision",
    "region",
    "category",
    "guideline",
    "claims_guideline",
    "specialty",
    "family",
    "year",
];

#[test]
fn every_facet_count_equals_the_parse_records() {
    let ix = indexed();
    let mut args = vec!["", "--include-unparsed"];
    for facet in FACETS {
        args.push("--facet");
        args.push(facet);
    }
    let response = search(&ix.index, &args);
    let expected = expected_facets(&records(&ix.letters));
    for facet in FACETS {
        let actual: BTreeMap<String, u64> =
            serde_json::from_value(response["facets"][facet].clone()).unwrap();
        assert_eq!(
            &actual,
            expected.get(*facet).unwrap_or(&BTreeMap::new()),
            "facet {facet}"
        );
    }
    let documents: u64 = records(&ix.letters)
        .iter()
        .map(|l| l["items"].as_array().unwrap().len().max(1) as u64)
        .sum();
    assert_eq!(response["total"].as_u64(), Some(documents));
}

#[test]
fn known_queries_find_known_items() {
    let ix = indexed();
    let response = search(&ix.index, &["treatment:\"medial branch block\""]);
    assert_eq!(response["total"], 1);
    let hit = &response["hits"][0];
    assert_eq!(hit["decision"], "overturned");
    assert_eq!(hit["category"], "injection");
    assert_eq!(hit["case_number"], "CM17-0456789");
    assert_eq!(hit["item"], 0);
    assert_eq!(hit["decision_date"], "2017-11-02");
    assert_eq!(
        hit["guidelines"][0],
        "/ODG/Low Back/Facet joint diagnostic blocks (injections)"
    );
    assert!(hit["source"]
        .as_str()
        .unwrap()
        .ends_with("professional_review.txt"));
    for key in [
        "id",
        "source",
        "case_number",
        "item",
        "treatment",
        "decision",
        "category",
        "drug_class",
        "body_regions",
        "guidelines",
        "claims_guidelines",
        "specialty",
        "decision_date",
        "score",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "hits carry {key}");
    }
    assert!(hit["snippet"]
        .as_str()
        .unwrap()
        .contains("medial branch block"));

    let seed = search(&ix.index, &["case:cm14-0123457", "--sort", "relevance"]);
    assert!(
        seed["total"].as_u64().unwrap() >= 3,
        "a case number matches ignoring case"
    );
}

#[test]
fn filters_combine_as_documented() {
    let ix = indexed();
    let records = records(&ix.letters);
    let items = || {
        records
            .iter()
            .flat_map(|l| l["items"].as_array().unwrap().iter().map(move |i| (l, i)))
    };
    let upheld_low_back = items()
        .filter(|(_, i)| {
            i["decision"] == "upheld"
                && i["body_regions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == "low-back")
        })
        .count() as u64;
    assert_eq!(
        total(&ix.index, &["--decision", "upheld", "--region", "low-back"]),
        upheld_low_back
    );
    // Filters without words score every item alike, as no words at all do.
    let filtered = search(&ix.index, &["--decision", "upheld", "--limit", "5"]);
    let hits = filtered["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["score"] == 1.0), "{hits:?}");
    let either = items()
        .filter(|(_, i)| i["decision"] == "upheld" || i["decision"] == "overturned")
        .count() as u64;
    assert_eq!(
        total(
            &ix.index,
            &["--decision", "upheld", "--decision", "overturned"]
        ),
        either
    );
    let opioids = items().filter(|(_, i)| i["drug_class"] == "opioid").count() as u64;
    assert!(opioids > 0);
    assert_eq!(
        total(&ix.index, &["--category", "pharmaceutical/opioid"]),
        opioids
    );
    let in_2014 = items()
        .filter(|(l, _)| {
            l["dates"]["decision"]
                .as_str()
                .is_some_and(|d| d.starts_with("2014"))
        })
        .count() as u64;
    assert!(in_2014 > 0);
    assert_eq!(
        total(
            &ix.index,
            &["--since", "2014-01-01", "--until", "2014-12-31"]
        ),
        in_2014
    );

    let chapter_12 = items()
        .filter(|(_, i)| {
            i["guidelines"].as_array().unwrap().iter().any(|c| {
                c["cited_by"] == "reviewer"
                    && c["facet"] == "/MTUS/ACOEM/Chapter 12 Low Back Complaints"
            })
        })
        .count() as u64;
    assert_eq!(
        total(&ix.index, &["--guideline", "/MTUS/ACOEM/Chapter 12"]),
        chapter_12
    );
    let loose = search(&ix.index, &["--guideline", "ACOEM 12"]);
    assert_eq!(loose["total"].as_u64(), Some(chapter_12));
    assert_eq!(
        loose["guideline_matches"][0]["paths"][0],
        "/MTUS/ACOEM/Chapter 12 Low Back Complaints"
    );
    let odg_low_back = search(&ix.index, &["--guideline", "ODG low back"]);
    assert_eq!(
        odg_low_back["guideline_matches"][0]["paths"],
        serde_json::json!(["/ODG/Low Back"])
    );
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .args(["--guideline", "no such guideline"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches no guideline"));
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .args(["--since", "2014-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a date"));
}

#[test]
fn synonyms_work_both_ways() {
    let ix = indexed();
    // The letters say "NSAIDs", never the long form; and "physical therapy", which "PT" finds.
    let short = total(&ix.index, &["rationale:NSAIDs"]);
    assert!(short > 0);
    assert_eq!(
        total(
            &ix.index,
            &["rationale:\"nonsteroidal anti-inflammatory drugs\""]
        ),
        short
    );
    let long = total(&ix.index, &["treatment:\"physical therapy\""]);
    assert!(long > 0);
    assert_eq!(total(&ix.index, &["treatment:PT"]), long);
    assert_eq!(
        total(&ix.index, &["treatment:electromyography"]),
        total(&ix.index, &["treatment:EMG"])
    );
}

#[test]
fn phrase_proximity_prefix_and_fuzzy_queries() {
    let ix = indexed();
    assert_eq!(total(&ix.index, &["rationale:\"diagnostic blocks\""]), 0);
    assert_eq!(total(&ix.index, &["rationale:\"diagnostic blocks\"~2"]), 1);
    let exact = total(&ix.index, &["radiculopathy"]);
    assert!(exact > 0);
    assert!(total(&ix.index, &["radicul*"]) > exact);
    // The fixtures' words that start so; a prefix matches exactly the items any of
    // them matches.
    assert_eq!(
        total(&ix.index, &["radicul*"]),
        total(&ix.index, &["radicular OR radiculitis OR radiculopathy"])
    );
    assert_eq!(total(&ix.index, &["radiculz*"]), 0);
    assert_eq!(total(&ix.index, &["radiculopahty~"]), exact);
    assert_eq!(total(&ix.index, &["radiculopahty"]), 0);
    let both = total(&ix.index, &["knee AND brace"]);
    assert!(both > 0);
    assert!(total(&ix.index, &["knee OR shoulder"]) > total(&ix.index, &["knee"]));
    assert_eq!(
        total(&ix.index, &["knee -brace"]) + both,
        total(&ix.index, &["knee"])
    );
    assert_eq!(
        total(&ix.index, &["decision:overturned"]),
        total(&ix.index, &["--decision", "overturned"])
    );
}

#[test]
fn malformed_queries_fail_cleanly() {
    let ix = indexed();
    for (query, position) in [
        ("\"open phrase", "position 1"),
        ("emg AND", "position 5"),
        ("(emg", "position 1"),
        ("emg)", "position 4"),
        ("bogus:x", "unknown field"),
    ] {
        imr()
            .args(["search", "--index"])
            .arg(&ix.index)
            .arg(query)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(position));
    }
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .args(["--facet", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown facet"));
}

#[test]
fn stats_counts_equal_facet_counts() {
    let ix = indexed();
    for facet in ["region", "category", "guideline"] {
        let stats = json_of(
            imr()
                .args(["stats", "--index"])
                .arg(&ix.index)
                .args(["--by", facet, "--json"]),
        );
        let facets = search(&ix.index, &["--facet", facet]);
        for row in stats["rows"].as_array().unwrap() {
            let value = row["value"].as_str().unwrap();
            assert_eq!(
                row["count"], facets["facets"][facet][value],
                "{facet} {value}"
            );
            let upheld = total(&ix.index, &["--decision", "upheld", "--facet", facet]);
            assert!(row["upheld"].as_u64().unwrap() <= upheld);
            let decided = row["upheld"].as_u64().unwrap() + row["overturned"].as_u64().unwrap();
            assert!(decided <= row["count"].as_u64().unwrap());
        }
    }
    let by_decision = json_of(
        imr()
            .args(["stats", "--index"])
            .arg(&ix.index)
            .args(["--by", "decision", "--json"]),
    );
    let overturned = by_decision["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "overturned")
        .unwrap();
    assert_eq!(overturned["overturn_rate"], 1.0);
}

#[test]
fn show_and_similar() {
    let ix = indexed();
    let hit = search(&ix.index, &["treatment:electromyography"])["hits"][0].clone();
    let id = hit["id"].as_str().unwrap();
    let item = json_of(
        imr()
            .args(["show", "--index"])
            .arg(&ix.index)
            .args([id, "--json"]),
    );
    assert_eq!(item["treatment"], "Electromyography of lower extremities");
    assert_eq!(item["decision"], "upheld");
    let letter = json_of(
        imr()
            .args(["show", "--index"])
            .arg(&ix.index)
            .args([id, "--letter", "--json"]),
    );
    let parsed = records(&ix.letters)
        .into_iter()
        .find(|r| r["source"] == letter["source"])
        .unwrap();
    let mut record = letter.clone();
    let letter_id = record.as_object_mut().unwrap().remove("id").unwrap();
    assert!(
        id.starts_with(letter_id.as_str().unwrap()),
        "{letter_id} {id}"
    );
    assert_eq!(
        record, parsed,
        "show --letter prints the letter's id and parse record"
    );
    let similar = json_of(
        imr()
            .args(["similar", "--index"])
            .arg(&ix.index)
            .args([id, "--json", "--limit", "1"]),
    );
    assert_eq!(
        similar["hits"][0]["treatment"], "Nerve Conduction Studies of lower extremities",
        "the other item of the same letter has nearly the same rationale"
    );
    imr()
        .args(["show", "--index"])
        .arg(&ix.index)
        .arg("nope-0")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no item"));
}

#[test]
fn incremental_runs_change_only_what_changed() {
    let ix = indexed();
    let run = |ix: &Indexed| {
        json_of(
            imr()
                .args(["index", "--json", "--index"])
                .arg(&ix.index)
                .env("IMR_INDEX", "unused"),
        )
    };
    // Nothing changed: nothing re-indexed (run without inputs: the remembered roots).
    let again = json_of(
        imr()
            .args(["index", "--json", "--index"])
            .arg(&ix.index)
            .arg(&ix.letters),
    );
    let files = again["files_seen"].as_u64().unwrap();
    assert_eq!(
        (
            again["added"].as_u64(),
            again["updated"].as_u64(),
            again["removed"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(again["unchanged"].as_u64(), Some(files));

    let variants = ix.letters.join("case_summary_variants.txt");
    let text = std::fs::read_to_string(&variants).unwrap();
    std::fs::write(
        &variants,
        text.replace(
            "Follow-up visit with pain management:  upheld",
            "Follow-up visit with pain management:  OVERTURNED",
        ),
    )
    .unwrap();
    let before = total(&ix.index, &["--decision", "overturned"]);
    let changed = run(&ix);
    assert_eq!(changed["updated"], 1);
    assert_eq!(changed["unchanged"].as_u64(), Some(files - 1));
    assert_eq!(total(&ix.index, &["--decision", "overturned"]), before + 1);
    let follow_up = search(&ix.index, &["treatment:\"pain management\""]);
    assert_eq!(follow_up["hits"][0]["decision"], "overturned");

    std::fs::remove_file(ix.letters.join("notice.txt")).unwrap();
    let removed = run(&ix);
    assert_eq!(removed["removed"], 1);
    assert_eq!(
        total(&ix.index, &["treatment:\"hinged knee brace\""]),
        1,
        "the damaged copy of the notice letter remains"
    );
    let gone = search(&ix.index, &["treatment:\"hinged knee brace\""]);
    assert!(gone["hits"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("damage_notice_all.txt"));
}

#[test]
fn rebuilds_swap_atomically_and_searches_never_fail() {
    let ix = indexed();
    let expected = total(&ix.index, &[""]);
    let index = ix.index.clone();
    let letters = ix.letters.clone();
    let rebuild = std::thread::spawn(move || {
        for _ in 0..3 {
            imr()
                .args(["index", "--rebuild", "--wait", "--index"])
                .arg(&index)
                .arg(&letters)
                .assert()
                .code(3);
        }
    });
    while !rebuild.is_finished() {
        assert_eq!(total(&ix.index, &[""]), expected);
    }
    rebuild.join().unwrap();
    assert_eq!(total(&ix.index, &[""]), expected);

    // A rebuild killed part way leaves the old generation serving.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("imr"))
        .args(["index", "--rebuild", "--index"])
        .arg(&ix.index)
        .arg(&ix.letters)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(total(&ix.index, &[""]), expected);
    let next = json_of(
        imr()
            .args(["index", "--json", "--index"])
            .arg(&ix.index)
            .arg(&ix.letters),
    );
    assert_eq!(
        next["added"].as_u64().unwrap() + next["unchanged"].as_u64().unwrap(),
        next["files_seen"].as_u64().unwrap()
    );
    let generations = std::fs::read_dir(&ix.index)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert_eq!(generations, 1, "leftover generations are cleaned up");
}

#[test]
fn a_second_writer_fails_fast_and_old_schemas_are_refused() {
    let ix = indexed();
    let home = imr_search::index::IndexDir::new(&ix.index);
    let lock = home.lock(false).unwrap();
    imr()
        .args(["index", "--index"])
        .arg(&ix.index)
        .arg(&ix.letters)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("another `imr index`"));
    drop(lock);

    let pointer = ix.index.join("imr-index.json");
    let text = std::fs::read_to_string(&pointer).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["schema_version"] = "0000000000000000".into();
    std::fs::write(&pointer, value.to_string()).unwrap();
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .arg("emg")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rebuild"));
    imr()
        .args(["index", "--rebuild", "--index"])
        .arg(&ix.index)
        .assert()
        .code(3);
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .arg("emg")
        .assert()
        .success();

    imr()
        .args(["search", "--index"])
        .arg(ix.index.join("missing"))
        .arg("emg")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no index at"));
}

#[test]
fn grouping_by_letter_and_sorting_by_date() {
    let ix = indexed();
    let all = search(&ix.index, &["--limit", "100"]);
    let grouped = search(&ix.index, &["--group-by-letter", "--limit", "100"]);
    let letters: std::collections::BTreeSet<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["source"].as_str().unwrap())
        .collect();
    let grouped_sources: Vec<&str> = grouped["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["source"].as_str().unwrap())
        .collect();
    assert_eq!(grouped_sources.len(), letters.len(), "one hit per letter");
    assert_eq!(
        grouped_sources
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        letters.len()
    );

    let by_date = search(&ix.index, &["--sort", "date", "--limit", "100"]);
    let dates: Vec<&str> = by_date["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["decision_date"].as_str())
        .collect();
    assert!(dates.len() > 3);
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    let page = search(
        &ix.index,
        &["--sort", "date", "--limit", "2", "--offset", "1"],
    );
    assert_eq!(page["hits"][0]["id"], by_date["hits"][1]["id"]);
}

#[test]
fn paging_bounds_are_usage_errors() {
    let ix = indexed();
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .args(["--limit", "99999999999"])
        .assert()
        .code(2);
    imr()
        .args(["search", "--index"])
        .arg(&ix.index)
        .args(["--limit", "0"])
        .assert()
        .success();
}

#[test]
fn files_of_unchanged_size_and_time_are_not_read_again() {
    let ix = indexed();
    let run = |extra: &[&str]| {
        json_of(
            imr()
                .args(["index", "--json", "--index"])
                .arg(&ix.index)
                .args(extra)
                .arg(&ix.letters),
        )
    };
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_time = |path: &Path| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(an_hour_ago))
            .unwrap();
    };
    for entry in std::fs::read_dir(&ix.letters).unwrap() {
        set_time(&entry.unwrap().path());
    }
    // Freshly written files were read and hashed; with settled times they are read
    // once more, to keep their stamps.
    let stamped = run(&[]);
    let files = stamped["files_seen"].as_u64().unwrap();
    assert_eq!(stamped["unchanged"].as_u64(), Some(files));
    assert!(stamped["bytes_read"].as_u64().unwrap() > 0);
    let settled = run(&[]);
    assert_eq!(settled["unchanged"].as_u64(), Some(files));
    assert_eq!(settled["bytes_read"], 0, "no file is read again");

    // Same size, same time: taken as unchanged unless --checksum is asked for.
    let variants = ix.letters.join("case_summary_variants.txt");
    let text = std::fs::read_to_string(&variants).unwrap();
    let changed = text.replace(
        "Follow-up visit with pain management:  upheld",
        "Follow-up visit with pain management:  UPHELD",
    );
    assert_ne!(changed, text);
    std::fs::write(&variants, &changed).unwrap();
    set_time(&variants);
    assert_eq!(run(&[])["updated"], 0);
    let checked = run(&["--checksum"]);
    assert_eq!(checked["updated"], 1);
    assert_eq!(checked["unchanged"].as_u64(), Some(files - 1));

    // A new time is read, whatever the size.
    std::fs::write(&variants, &text).unwrap();
    assert_eq!(run(&[])["updated"], 1);
}

#[test]
fn a_file_named_as_input_is_indexed_under_its_real_path() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("seed.txt");
    std::fs::copy(
        crate::util::fixtures().join("seed_case_summary.txt"),
        &letter,
    )
    .unwrap();
    let index = dir.path().join("index");
    let summary = json_of(
        imr()
            .args(["index", "--json", "--index"])
            .arg(&index)
            .arg(&letter),
    );
    assert_eq!(summary["letters"], 1, "{summary}");
    assert_eq!(summary["skipped"], serde_json::json!([]), "{summary}");
    let hits = search(&index, &["emg"]);
    let real = std::fs::canonicalize(&letter).unwrap();
    assert_eq!(hits["hits"][0]["source"], real.display().to_string());
}
