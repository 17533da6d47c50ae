//! Text a letter's items share (its summary and the rest of the letter) is indexed
//! once per letter, and every item of the letter matches it: alone, beside a word
//! of one item, negated, and in a word searched in every field; after a build with
//! several threads, and after an incremental run that replaces and adds letters.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use imr_search::index::documents::{content_hash, item_id, letter_id};
use imr_search::index::IndexDir;
use imr_search::search::{Engine, Filters, SearchRequest};
use imr_search::{Letter, Parser};
use imr_synth::{self as synth, SynthOptions};
use tantivy::schema::Field;

/// What the test knows of one indexed letter.
struct Known {
    /// Its documents' ids: one per item, or the letter's own.
    ids: Vec<String>,
    summary: HashSet<String>,
    rest: HashSet<String>,
    /// Each item's treatment tokens.
    treatments: Vec<HashSet<String>>,
    /// Each item's tokens in its own fields: treatment, rationale, citations.
    own_words: Vec<HashSet<String>>,
}

fn files_under(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in roots {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.push(std::fs::canonicalize(entry.path()).unwrap());
            }
        }
    }
    files
}

fn known_letters(engine: &Engine, roots: &[PathBuf]) -> Vec<Known> {
    let parser = Parser::default();
    let f = &engine.schema().fields;
    files_under(roots)
        .into_iter()
        .map(|path| {
            let source = path.display().to_string();
            let bytes = std::fs::read(&path).unwrap();
            let letter: Letter = parser.parse_bytes(&source, &bytes);
            let id = letter_id(&content_hash(&bytes));
            let ids = if letter.items.is_empty() {
                vec![id]
            } else {
                (0..letter.items.len()).map(|i| item_id(&id, i)).collect()
            };
            Known {
                ids,
                summary: tokens(engine, f.summary, &letter.summary),
                rest: tokens(engine, f.rest, &letter.rest),
                treatments: letter
                    .items
                    .iter()
                    .map(|item| tokens(engine, f.treatment, &item.treatment))
                    .collect(),
                own_words: letter
                    .items
                    .iter()
                    .map(|item| {
                        let citations: Vec<&str> =
                            item.guidelines.iter().map(|c| c.raw.as_str()).collect();
                        let own = [
                            item.treatment.as_str(),
                            &item.rationale,
                            &citations.join("; "),
                        ];
                        own.iter()
                            .flat_map(|text| tokens(engine, f.rationale, text))
                            .collect()
                    })
                    .collect(),
            }
        })
        .collect()
}

fn tokens(engine: &Engine, field: Field, text: &str) -> HashSet<String> {
    let mut analyzer = engine.index().tokenizer_for_field(field).unwrap();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = HashSet::new();
    while let Some(token) = stream.next() {
        tokens.insert(token.text.clone());
    }
    tokens
}

fn stem(engine: &Engine, word: &str) -> String {
    let f = &engine.schema().fields;
    let stems = tokens(engine, f.summary, word);
    assert_eq!(stems.len(), 1, "{word:?} is one token");
    stems.into_iter().next().unwrap()
}

fn hits(engine: &Engine, query: &str) -> BTreeSet<String> {
    let response = engine
        .search(&SearchRequest {
            query: query.into(),
            limit: 1_000_000,
            filters: Filters {
                include_unparsed: true,
                ..Filters::default()
            },
            ..SearchRequest::default()
        })
        .unwrap();
    let ids: BTreeSet<String> = response.hits.into_iter().map(|h| h.id).collect();
    assert_eq!(ids.len(), response.total, "{query}");
    ids
}

/// The ids of the documents of letters that `holds`, or of their items that `item_holds`.
fn expected(
    letters: &[Known],
    holds: impl Fn(&Known) -> bool,
    item_holds: impl Fn(&Known, usize) -> bool,
) -> BTreeSet<String> {
    letters
        .iter()
        .filter(|letter| holds(letter))
        .flat_map(|letter| {
            letter
                .ids
                .iter()
                .enumerate()
                .filter(|(i, _)| item_holds(letter, *i))
                .map(|(_, id)| id.clone())
        })
        .collect()
}

fn assert_letter_text_matches_every_item(home: &IndexDir, roots: &[PathBuf]) {
    let engine = Engine::open(home).unwrap();
    let letters = known_letters(&engine, roots);
    let every: BTreeSet<String> = letters.iter().flat_map(|l| l.ids.clone()).collect();
    assert_eq!(hits(&engine, ""), every, "every item is indexed once");
    let mut partial = 0;
    for (word, treatment_word) in [
        ("osteoarthritis", "oxycodone"),
        ("custodian", "baclofen"),
        ("swelling", "elbow"),
        ("nausea", "knee"),
        ("expedited", "lumbar"),
        ("orthopedic", "cream"),
    ] {
        for word in [word, treatment_word] {
            assert!(
                engine.compiler().synonyms().token_for(word).is_none(),
                "{word} has synonyms"
            );
        }
        let token = stem(&engine, word);
        let treatment_token = stem(&engine, treatment_word);
        let in_summary = expected(&letters, |l| l.summary.contains(&token), |_, _| true);
        let in_rest = expected(&letters, |l| l.rest.contains(&token), |_, _| true);
        assert_eq!(
            hits(&engine, &format!("summary:{word}")),
            in_summary,
            "{word}"
        );
        assert_eq!(hits(&engine, &format!("letter:{word}")), in_rest, "{word}");
        let beside = expected(
            &letters,
            |l| l.summary.contains(&token),
            |l, i| {
                l.treatments
                    .get(i)
                    .is_some_and(|t| t.contains(&treatment_token))
            },
        );
        assert_eq!(
            hits(
                &engine,
                &format!("summary:{word} treatment:{treatment_word}")
            ),
            beside,
            "{word} {treatment_word}"
        );
        // Without a scope: the item's own fields or its letter's.
        let anywhere = expected(
            &letters,
            |_| true,
            |l, i| {
                l.summary.contains(&token)
                    || l.rest.contains(&token)
                    || l.own_words.get(i).is_some_and(|w| w.contains(&token))
            },
        );
        assert_eq!(hits(&engine, word), anywhere, "{word}");
        let both = expected(
            &letters,
            |_| true,
            |l, i| {
                let own = |t: &String| l.own_words.get(i).is_some_and(|w| w.contains(t));
                let here = |t: &String| l.summary.contains(t) || l.rest.contains(t) || own(t);
                here(&token) && here(&treatment_token)
            },
        );
        assert_eq!(
            hits(&engine, &format!("{word} {treatment_word}")),
            both,
            "{word} {treatment_word}"
        );
        let not_in_summary: BTreeSet<String> = every.difference(&in_summary).cloned().collect();
        assert_eq!(
            hits(&engine, &format!("-summary:{word}")),
            not_in_summary,
            "{word}"
        );
        if !in_summary.is_empty() && in_summary.len() < every.len() && !beside.is_empty() {
            partial += 1;
        }
    }
    assert!(
        partial >= 3,
        "the words must split the letters to test anything"
    );
}

#[test]
fn letter_text_is_matched_by_every_item_of_its_letter() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    crate::util::write_letters(&letters, 0, 400);
    let home = IndexDir::new(dir.path().join("index"));
    let roots = vec![letters.clone(), crate::util::fixtures()];
    crate::util::index_with_threads(&home, roots.clone(), 2);
    assert_letter_text_matches_every_item(&home, &roots);

    // Replaced letters leave deleted documents among the live ones.
    crate::util::write_letters(&letters, 1_000, 60);
    for n in 0..40 {
        let old = synth::letter(&SynthOptions::default(), n);
        let new = synth::letter(&SynthOptions::default(), 5_000 + n);
        std::fs::write(letters.join(&old.path), &new.bytes).unwrap();
    }
    crate::util::index_with_threads(&home, roots.clone(), 2);
    assert_letter_text_matches_every_item(&home, &roots);
}
