//! PDF letters: every fixture letter drawn as a PDF in each layout real letters
//! come in (a line at a time, a word at a time with justified gaps, the header in
//! two columns, running headers and page footers, Identity-H fonts), on one page,
//! on twelve, and on letter-sized pages, parses to the record of its text, field
//! by field; with the built-in extractor, and with poppler's where it is installed.

use std::path::Path;

use imr_search::input::{letter_bytes, PdfEngine, PdfOptions};
use imr_search::{Letter, Parser};
use imr_synth::pdf::{render, PdfLayout, LINES_PER_LETTER_PAGE};

use crate::util::{fixture_letters, imr, source_name};

/// How a letter's lines are cut into pages.
#[derive(Debug, Clone, Copy)]
enum Pages {
    One,
    Twelve,
    LetterSized,
}

impl Pages {
    fn lines_per_page(self, text: &str) -> usize {
        let lines = text.lines().count().max(1);
        match self {
            Pages::One => lines,
            Pages::Twelve => lines.div_ceil(12),
            Pages::LetterSized => LINES_PER_LETTER_PAGE,
        }
    }
}

/// The fixture letters that have text to draw, with their text.
fn drawable_fixtures() -> Vec<(String, Vec<u8>, String)> {
    fixture_letters()
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let text = imr_search::text::decode(&bytes).ok()?;
            Some((source_name(&path), bytes, text))
        })
        .collect()
}

/// The record's fields that say something of the letter (all but its source).
fn without_source(mut letter: Letter) -> Letter {
    letter.source = String::new();
    letter
}

/// Every field on which `got` differs from `want`, named.
fn differing_fields(want: &Letter, got: &Letter) -> Vec<&'static str> {
    let checks: [(&str, bool); 12] = [
        ("family", want.family == got.family),
        ("case_number", want.case_number == got.case_number),
        ("dates", want.dates == got.dates),
        ("priority", want.priority == got.priority),
        ("reviewer", want.reviewer == got.reviewer),
        ("patient", want.patient == got.patient),
        ("body_regions", want.body_regions == got.body_regions),
        ("summary", want.summary == got.summary),
        ("items", want.items == got.items),
        ("rest", want.rest == got.rest),
        ("warnings", want.warnings == got.warnings),
        ("whole record", want == got),
    ];
    checks
        .iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| *name)
        .collect()
}

/// Parses every drawable fixture from its PDF in every layout and page cut with
/// `engine`; returns the mismatches.
fn parity_failures(engine: PdfEngine) -> Vec<String> {
    let parser = Parser::default();
    let options = PdfOptions {
        engine,
        ..PdfOptions::default()
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (source, bytes, text) in drawable_fixtures() {
        let want = without_source(parser.parse_bytes(&source, &bytes));
        for layout in PdfLayout::ALL {
            for pages in [Pages::One, Pages::Twelve, Pages::LetterSized] {
                let pdf = render(&text, layout, pages.lines_per_page(&text));
                checked += 1;
                let got = match letter_bytes(&pdf, &options) {
                    Ok(extracted) => without_source(parser.parse_bytes(&source, &extracted)),
                    Err(error) => {
                        failures.push(format!("{source} {layout:?} {pages:?}: {error}"));
                        continue;
                    }
                };
                let fields = differing_fields(&want, &got);
                if !fields.is_empty() {
                    failures.push(format!("{source} {layout:?} {pages:?}: {fields:?}"));
                }
            }
        }
    }
    assert!(checked >= 15 * 5 * 3, "only {checked} PDFs checked");
    failures
}

#[test]
fn every_fixture_as_a_pdf_in_every_layout_parses_to_the_record_of_its_text() {
    let failures = parity_failures(PdfEngine::Builtin);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// poppler's `pdftotext -layout` reads every layout to the same records as the
/// builtin extractor, double-spaced letters cut into twelve pages with running
/// headers included (poppler drops some of their blank lines, and double
/// spacing is told by the share of lines followed by a blank, not by every
/// one). poppler is installed by CI (`.ci/run`); a machine without it skips this
/// test, unless IMR_REQUIRE_POPPLER says it must be there.
#[test]
fn poppler_reads_every_layout_to_the_record_of_its_text() {
    if !poppler_is_installed() {
        assert!(
            std::env::var_os("IMR_REQUIRE_POPPLER").is_none(),
            "pdftotext is not installed"
        );
        eprintln!("pdftotext is not installed: skipped");
        return;
    }
    let failures = parity_failures(PdfEngine::Poppler);
    assert!(failures.is_empty(), "{failures:#?}");
}

pub fn poppler_is_installed() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// A folder of the fixture letters as PDFs (drawn a word at a time, the hardest
/// layout), named `.pdf`.
fn pdf_fixture_folder(dir: &Path) {
    for (source, _, text) in drawable_fixtures() {
        let name = Path::new(&source).with_extension("pdf");
        let pdf = render(&text, PdfLayout::Words, LINES_PER_LETTER_PAGE);
        std::fs::write(dir.join(name.file_name().unwrap()), pdf).unwrap();
    }
}

#[test]
fn imr_parse_and_index_read_pdfs_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    pdf_fixture_folder(&letters);
    // A PDF is a PDF by its content, whatever its name.
    let header = letters.join("case_summary_header.pdf");
    std::fs::rename(&header, letters.join("case_summary_header.download")).unwrap();
    let parsed = imr()
        .args(["parse", "--json"])
        .arg(letters.join("case_summary_header.download"))
        .output()
        .unwrap();
    assert_eq!(parsed.status.code(), Some(0));
    let record: Letter = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(record.case_number.as_deref(), Some("CM14-0123457"));
    assert_eq!(record.items.len(), 3);

    let index = dir.path().join("index");
    let indexed = imr()
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(&letters)
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&indexed.stdout).unwrap();
    let from_text = imr()
        .args(["parse", "--json"])
        .arg(crate::util::fixtures())
        .output()
        .unwrap();
    let text_items: usize = String::from_utf8(from_text.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Letter>(line).unwrap().items.len())
        .sum();
    assert_eq!(summary["items"], text_items, "{summary}");
    // Nothing of the PDFs' own bytes is searchable.
    let raw = imr()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("FlateDecode")
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert_eq!(found["total"], 0, "{found}");
    let emg = imr()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("electromyography")
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&emg.stdout).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
}

#[test]
fn imr_parse_text_prints_what_the_parser_reads() {
    let dir = tempfile::tempdir().unwrap();
    pdf_fixture_folder(dir.path());
    let output = imr()
        .args(["parse", "--text"])
        .arg(dir.path().join("case_summary_header.pdf"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("IMR ISSUES, DECISIONS AND RATIONALES"),
        "{text}"
    );
    assert!(text.contains("Case Number: CM14-0123457"), "{text}");
    // Page furniture is gone: what the parser reads.
    assert!(!text.contains("Page 1 of"), "{text}");
}

#[test]
fn the_sample_pdfs_shipped_parse_to_the_records_of_their_text() {
    let parser = Parser::default();
    let samples = crate::util::fixtures().join("../pdf");
    for (pdf, text) in [
        (
            "case_summary_header_two_columns.pdf",
            "case_summary_header.txt",
        ),
        ("notice_justified_words.pdf", "notice.txt"),
        ("seed_case_summary_identity_h.pdf", "seed_case_summary.txt"),
    ] {
        let want = parser.parse_bytes(
            "",
            &std::fs::read(crate::util::fixtures().join(text)).unwrap(),
        );
        let bytes = std::fs::read(samples.join(pdf)).unwrap();
        let extracted = letter_bytes(&bytes, &PdfOptions::default()).unwrap();
        let got = parser.parse_bytes("", &extracted);
        assert_eq!(differing_fields(&want, &got), Vec::<&str>::new(), "{pdf}");
    }
}
