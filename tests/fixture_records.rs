//! Every fixture letter parses to its expected record, compared whole: the fixtures
//! of each letter family and kind of damage, and the letters written by hand in
//! other reviewers' wordings (`tests/fixtures/variants/`).
//!
//! Expected records are `<set>/expected/<name>.json`. After a deliberate change to
//! the parser, regenerate them with `IMR_BLESS=1 cargo test --test integration fixture_records` and
//! read the diff before committing it.

use crate::util::{expected_record_path, fixture_letters, parse_fixture, variant_letters};
use imr_search::model::{CitedBy, Decision, Family, GuidelineSource, Sex};

#[test]
fn every_fixture_parses_to_its_expected_record() {
    let bless = std::env::var_os("IMR_BLESS").is_some();
    let mut failures = Vec::new();
    for path in fixture_letters().into_iter().chain(variant_letters()) {
        let letter = parse_fixture(&path);
        let actual = serde_json::to_value(&letter).expect("records serialise");
        let expected_path = expected_record_path(&path);
        if bless {
            let pretty = serde_json::to_string_pretty(&actual).expect("records serialise");
            std::fs::write(&expected_path, pretty + "\n").expect("expected record is writable");
            continue;
        }
        let expected: serde_json::Value = match std::fs::read_to_string(&expected_path) {
            Ok(text) => serde_json::from_str(&text).expect("expected record is JSON"),
            Err(_) => {
                failures.push(format!("{}: no expected record", expected_path.display()));
                continue;
            }
        };
        if actual != expected {
            failures.push(format!(
                "{} differs from {}:\n{}",
                path.display(),
                expected_path.display(),
                serde_json::to_string_pretty(&actual).expect("records serialise")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_seed_letter_parses_exactly() {
    let letter = parse_fixture(&crate::util::fixtures().join("seed_case_summary.txt"));
    assert_eq!(letter.family, Family::CaseSummary);
    assert_eq!(letter.case_number, None);
    assert_eq!(
        letter.reviewer.specialty.as_deref(),
        Some("Family Medicine")
    );
    assert_eq!(letter.reviewer.licensed_in.as_deref(), Some("California"));
    assert_eq!(
        (letter.patient.age, letter.patient.sex),
        (Some(67), Some(Sex::Male))
    );
    assert_eq!(letter.dates.injury.as_deref(), Some("1999-09-05"));
    for region in ["low-back", "lower-extremity"] {
        assert!(letter.body_regions.iter().any(|r| r == region), "{region}");
    }
    assert_eq!(letter.items.len(), 2);
    let names: Vec<&str> = letter.items.iter().map(|i| i.treatment.as_str()).collect();
    assert_eq!(
        names,
        [
            "Electromyography of lower extremities",
            "Nerve Conduction Studies of lower extremities"
        ]
    );
    for item in &letter.items {
        assert_eq!(item.decision, Some(Decision::Upheld));
        assert_eq!(item.category, "electrodiagnostic");
        let cited = |by: CitedBy| -> Vec<(&str, Option<&str>)> {
            item.guidelines
                .iter()
                .filter(|c| c.cited_by == by)
                .map(|c| (c.facet.as_str(), c.pages.as_deref()))
                .collect()
        };
        assert_eq!(
            cited(CitedBy::ClaimsAdministrator),
            [("/MTUS/ACOEM/Chapter 12 Low Back Complaints", None)]
        );
        assert_eq!(
            cited(CitedBy::Reviewer),
            [
                (
                    "/MTUS/ACOEM/Chapter 12 Low Back Complaints",
                    Some("303; 62")
                ),
                ("/ODG/Low Back/Electrodiagnostic studies (EDS)", None)
            ]
        );
        assert!(item
            .guidelines
            .iter()
            .any(|c| c.source == GuidelineSource::Odg
                && c.chapter.as_deref() == Some("Low Back")
                && c.topic.as_deref() == Some("Electrodiagnostic studies (EDS)")
                && c.raw.ends_with("Low Back Chapter EMG and NCS")));
        assert!(item.rationale.starts_with("There is no objective evidence"));
        assert!(item
            .rationale
            .ends_with("Therefore, this request is not medically necessary."));
        assert!(!item.rationale.contains("  ") && !item.rationale.contains('\n'));
    }
    // The page break inside the first item's citations does not cut them.
    assert!(letter.warnings.is_empty(), "{:?}", letter.warnings);
}

/// Each damaged copy of a letter reads exactly as the clean letter does.
#[test]
fn damage_does_not_change_the_record() {
    let dir = crate::util::fixtures();
    let pairs = [
        ("case_summary_header.txt", "damage_all.txt"),
        ("case_summary_header.txt", "damage_bom.txt"),
        ("case_summary_header.txt", "damage_cp1252.txt"),
        ("case_summary_header.txt", "damage_crlf.txt"),
        ("case_summary_header.txt", "damage_double_spaced.txt"),
        ("case_summary_header.txt", "damage_hyphenation.txt"),
        ("case_summary_header.txt", "damage_page_furniture.txt"),
        ("case_summary_header.txt", "damage_wrapped_outcome.txt"),
        ("notice.txt", "damage_notice_all.txt"),
    ];
    for (clean, damaged) in pairs {
        let expected = parse_fixture(&dir.join(clean));
        let mut actual = parse_fixture(&dir.join(damaged));
        actual.source = expected.source.clone();
        assert_eq!(actual, expected, "{damaged} reads differently from {clean}");
    }
}

#[test]
fn files_that_are_not_letters_say_why() {
    for name in ["empty.txt", "not_a_letter.txt", "imr_unknown_layout.txt"] {
        let letter = parse_fixture(&crate::util::fixtures().join(name));
        assert_eq!(letter.family, Family::Unknown, "{name}");
        assert!(letter.items.is_empty(), "{name}");
        assert_eq!(letter.warnings.len(), 1, "{name}: {:?}", letter.warnings);
    }
    let unknown = parse_fixture(&crate::util::fixtures().join("imr_unknown_layout.txt"));
    assert!(unknown
        .rest
        .contains("request Independent Medical Review (IMR)"));
}
