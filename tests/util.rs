//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use imr_search::{Letter, Parser};

/// The `imr` binary, untouched by the caller's environment.
pub fn imr() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("imr").expect("the imr binary is built");
    cmd.env_remove("IMR_SCHEMA_DIR")
        .env_remove("IMR_VOCAB_DIR")
        .env_remove("IMR_INDEX")
        .env_remove("RUST_LOG");
    cmd
}

/// The fixture letters' directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters")
}

/// The letters written by hand to exercise the parser's generalisation: wordings,
/// numberings, dates and layouts the generator and the other fixtures do not use.
pub fn variant_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/variants/letters")
}

/// The expected record of a fixture letter: `../expected/<name>.json` beside its
/// folder.
pub fn expected_record_path(letter: &Path) -> PathBuf {
    letter
        .parent()
        .and_then(Path::parent)
        .expect("a fixture lies in a folder of a fixture set")
        .join("expected")
        .join(
            letter
                .with_extension("json")
                .file_name()
                .expect("fixture has a name"),
        )
}

/// Every fixture letter (`*.txt`), in name order.
pub fn fixture_letters() -> Vec<PathBuf> {
    letters_in(&fixtures())
}

/// Every hand-written variant letter (`*.txt`), in name order.
pub fn variant_letters() -> Vec<PathBuf> {
    letters_in(&variant_fixtures())
}

fn letters_in(dir: &Path) -> Vec<PathBuf> {
    let mut letters: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture directory exists")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    letters.sort();
    letters
}

/// The name a fixture is parsed under: its path from the crate root.
pub fn source_name(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("fixtures lie in the crate")
        .to_string_lossy()
        .into_owned()
}

/// Parses one fixture with the compiled-in vocabulary.
pub fn parse_fixture(path: &Path) -> Letter {
    let bytes = std::fs::read(path).expect("fixture is readable");
    Parser::default().parse_bytes(&source_name(path), &bytes)
}

/// Whitespace folded to single spaces.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Indexes `inputs` into `home` in this process, one writer thread, as a script
/// calling the library would.
pub fn index_in_process(home: &imr_search::index::IndexDir, inputs: Vec<PathBuf>) {
    index_with_threads(home, inputs, 1);
}

/// Indexes `inputs` into `home` with `threads` indexing threads.
pub fn index_with_threads(
    home: &imr_search::index::IndexDir,
    inputs: Vec<PathBuf>,
    threads: usize,
) {
    index_with_schema(
        home,
        inputs,
        threads,
        &imr_search::index::IndexSchema::embedded(),
    );
}

/// Indexes `inputs` into `home` with `threads` indexing threads and `schema`.
pub fn index_with_schema(
    home: &imr_search::index::IndexDir,
    inputs: Vec<PathBuf>,
    threads: usize,
    schema: &imr_search::index::IndexSchema,
) {
    let options = imr_search::index::writer::IndexOptions {
        inputs,
        rebuild: false,
        wait: false,
        threads,
        heap_bytes: 50_000_000,
        max_file_bytes: 1 << 24,
        checksum: false,
        pdf: imr_search::input::PdfOptions::default(),
        force: false,
    };
    imr_search::index::writer::run(
        home,
        schema,
        &Parser::default(),
        &imr_search::index::Synonyms::embedded(),
        &options,
        &|_, _| {},
    )
    .unwrap();
}

/// Writes generated letters `first..first + count` (default options) under `dir`.
pub fn write_letters(dir: &Path, first: u64, count: u64) {
    let options = imr_synth::SynthOptions::default();
    for n in first..first + count {
        let letter = imr_synth::letter(&options, n);
        let path = dir.join(&letter.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &letter.bytes).unwrap();
    }
}
