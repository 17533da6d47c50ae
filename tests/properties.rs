//! Properties of the parser over inputs nobody wrote by hand: arbitrary bytes, and
//! the fixture letters cut, repeated, re-encoded and littered with page furniture.

use crate::util::{fixture_letters, fixtures, fold};
use imr_search::text::{clean, decode, join_lines};
use imr_search::{Decision, Parser};
use proptest::prelude::*;

/// Pieces of letters, so that random text reaches deep into the parser.
const FRAGMENTS: &[&str] = &[
    "IMR ISSUES, DECISIONS AND RATIONALES\n",
    "CLINICAL CASE SUMMARY\n",
    "HOW THE IMR FINAL DETERMINATION WAS MADE\n",
    "IMR DECISION(S) AND RATIONALE(S)\n",
    "MEDICAL PROFESSIONAL REVIEW\n",
    "ISSUE AT DISPUTE: ",
    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:",
    "Tramadol 50mg #60 (DOS: 3/4/14):  Upheld\n",
    "MRI of the lumbar spine:  OVERTURNED\n",
    ":  upheld\n",
    "Upheld\n",
    "1) Regarding the request for ",
    "Claims Administrator guideline: Decision based on ",
    "MAXIMUS guideline: Decision based on MTUS ACOEM Chapter 12 Page(s): 303; 62.",
    "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back Chapter EMG and NCS",
    "Decision rationale: ",
    "Rationale Used by the Expert Reviewer:\n",
    "is not medically necessary. ",
    "is medically necessary and appropriate. ",
    "Case Number: CM14-0123456  Date of Injury: 9/5/1999  Decision Date: 13/45/2014\n",
    "Board Certified in ",
    "Page 2 of 5\n",
    "\x0c",
    "\r\n",
    "\n\n",
    "radicu-\nlopathy ",
    "(((",
    ")):",
    "\u{2019}\u{2013}\u{feff}",
    "a 54-year-old female ",
];

fn parser() -> Parser {
    Parser::default()
}

/// The letter's own text as the parser sees it, joined, for containment checks.
/// Whitespace and hyphens are dropped on both sides: the parser folds the first and
/// rejoins words hyphenated across lines.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn normalized_source(bytes: &[u8]) -> String {
    match decode(bytes) {
        Ok(text) => {
            let doc = clean(&text);
            squeeze(&join_lines(doc.lines.iter().map(|l| l.text.as_ref())))
        }
        Err(_) => String::new(),
    }
}

fn check_rationales_in_source(bytes: &[u8]) -> Result<(), TestCaseError> {
    let letter = parser().parse_bytes("mutated", bytes);
    let source = normalized_source(bytes);
    for item in &letter.items {
        prop_assert_eq!(&item.rationale, &fold(&item.rationale));
        prop_assert!(
            source.contains(&squeeze(&item.rationale)),
            "rationale of item {} is not in the source: {:?}",
            item.index,
            item.rationale
        );
        prop_assert!(!item.treatment.contains('\n'));
    }
    Ok(())
}

fn fixture_bytes() -> Vec<Vec<u8>> {
    fixture_letters()
        .iter()
        .map(|p| std::fs::read(p).expect("fixture is readable"))
        .collect()
}

/// One kind of damage PDF extraction does.
#[derive(Debug, Clone)]
enum Damage {
    /// The file ends early.
    Cut(usize),
    /// A run of lines appears twice.
    DuplicatePage {
        from: usize,
        len: usize,
        to: usize,
    },
    Crlf,
    Cp1252,
    Bom,
    /// A page break with its furniture before a line.
    Furniture {
        at: usize,
        page: u8,
    },
    /// A blank line after every line.
    DoubleSpacing,
    /// A word of a long line broken across the line end.
    Hyphenate {
        line: usize,
    },
}

fn damage_strategy(keep_outcomes: bool) -> BoxedStrategy<Damage> {
    let safe = prop_oneof![
        Just(Damage::Crlf),
        Just(Damage::Cp1252),
        Just(Damage::Bom),
        Just(Damage::DoubleSpacing),
        (any::<usize>(), 2u8..9).prop_map(|(at, page)| Damage::Furniture { at, page }),
        any::<usize>().prop_map(|line| Damage::Hyphenate { line }),
    ];
    if keep_outcomes {
        safe.boxed()
    } else {
        prop_oneof![
            safe,
            any::<usize>().prop_map(Damage::Cut),
            (any::<usize>(), 1usize..40, any::<usize>())
                .prop_map(|(from, len, to)| Damage::DuplicatePage { from, len, to }),
        ]
        .boxed()
    }
}

fn apply(bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let lines: Vec<&str> = text.split('\n').collect();
    let text_result = match damage {
        Damage::Cut(at) => {
            let at = at % (bytes.len() + 1);
            return bytes[..at].to_vec();
        }
        Damage::DuplicatePage { from, len, to } => {
            let from = from % lines.len();
            let end = (from + len).min(lines.len());
            let to = to % lines.len();
            let mut out: Vec<&str> = lines.clone();
            let copy: Vec<&str> = lines[from..end].to_vec();
            out.splice(to..to, copy);
            out.join("\n")
        }
        Damage::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
        Damage::Cp1252 => {
            // A byte-order mark has no Windows-1252 form; such files have none.
            let curly = text.replace('\'', "\u{2019}").replace('\u{feff}', "");
            let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(&curly);
            return encoded.into_owned();
        }
        Damage::Bom => {
            let mut out = b"\xef\xbb\xbf".to_vec();
            out.extend_from_slice(&bytes);
            return out;
        }
        Damage::Furniture { at, page } => {
            let at = at % lines.len();
            let mut out = lines.clone();
            let furniture = format!("\nPage {} of 9\n\x0cCM14-0123456\n", page - 1);
            out.insert(at, &furniture);
            out.join("\n")
        }
        Damage::DoubleSpacing => lines.join("\n\n"),
        Damage::Hyphenate { line } => {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    let l = lines[i].trim_end();
                    let lower = l.to_lowercase();
                    l.split_whitespace().count() >= 8
                        && !lower.ends_with("upheld")
                        && !lower.ends_with("overturned")
                        && l.split_whitespace().last().is_some_and(|w| {
                            w.len() >= 6 && w.chars().all(|c| c.is_ascii_lowercase())
                        })
                })
                .collect();
            if candidates.is_empty() {
                return bytes;
            }
            let chosen = candidates[line % candidates.len()];
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let target = out[chosen].trim_end().to_string();
            let cut = target.len() - 3;
            out[chosen] = format!("{}-\n{}", &target[..cut], &target[cut..]);
            out.join("\n")
        }
    };
    text_result.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let letter = parser().parse_bytes("random", &bytes);
        prop_assert!(letter.items.is_empty() || letter.family != imr_search::Family::Unknown);
    }

    #[test]
    fn letter_shaped_noise_never_panics(
        pieces in proptest::collection::vec((0..FRAGMENTS.len(), "[ -~]{0,40}"), 0..60)
    ) {
        let text: String = pieces
            .iter()
            .map(|(i, filler)| format!("{}{}", FRAGMENTS[*i], filler))
            .collect();
        check_rationales_in_source(text.as_bytes())?;
    }

    #[test]
    fn damaged_fixtures_never_panic_and_keep_rationales_in_source(
        which in any::<usize>(),
        damages in proptest::collection::vec(damage_strategy(false), 1..5),
    ) {
        let originals = fixture_bytes();
        let mut bytes = originals[which % originals.len()].clone();
        for damage in &damages {
            bytes = apply(bytes, damage);
        }
        check_rationales_in_source(&bytes)?;
    }

    #[test]
    fn outcomes_do_not_flip_under_damage_that_keeps_them(
        which in 0usize..4,
        damages in proptest::collection::vec(damage_strategy(true), 1..5),
    ) {
        let name = ["case_summary_header.txt", "notice.txt", "professional_review.txt", "seed_case_summary.txt"][which];
        let original = std::fs::read(fixtures().join(name)).expect("fixture is readable");
        let expected: Vec<Option<Decision>> =
            parser().parse_bytes(name, &original).items.iter().map(|i| i.decision).collect();
        let mut bytes = original;
        for damage in &damages {
            bytes = apply(bytes, damage);
        }
        let actual: Vec<Option<Decision>> =
            parser().parse_bytes(name, &bytes).items.iter().map(|i| i.decision).collect();
        prop_assert_eq!(actual, expected);
    }
}

/// Inputs the fuzzers found crashing, kept as regressions (`tests/fixtures/crashers`).
#[test]
fn fuzzer_crashers_parse_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crashers");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("crasher directory") {
        let path = entry.expect("crasher entry").path();
        let bytes = std::fs::read(&path).expect("crasher readable");
        check_rationales_in_source(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        checked += 1;
    }
    assert!(checked >= 1);
}
