//! The guideline facet holds guideline names only: over the fixtures, the
//! hand-written variant letters and 10,000 generated letters worded as other
//! reviewers word them (`imr-synth --vary`), every facet value is a family, an
//! MTUS document, an ACOEM or ODG chapter, a topic of the vocabulary or a known
//! other source. A sidebar or `imr stats --by guideline` never offers a fragment
//! of a sentence.

use std::collections::BTreeSet;

use imr_search::{Parser, Vocabulary};
use imr_synth::{self as synth, SynthOptions};

use crate::util::{fixture_letters, parse_fixture, variant_letters};

const VARIED_LETTERS: u64 = 10_000;

#[test]
fn every_guideline_facet_value_is_a_guideline_name() {
    let vocab = Vocabulary::embedded();
    let parser = Parser::new(vocab.clone());
    let mut facets: BTreeSet<String> = BTreeSet::new();
    for path in fixture_letters().into_iter().chain(variant_letters()) {
        let letter = parse_fixture(&path);
        facets.extend(
            letter
                .items
                .iter()
                .flat_map(|i| i.guidelines.iter().map(|c| c.facet.clone())),
        );
    }
    let options = SynthOptions {
        seed: 7,
        damage_rate: 0.3,
        vary: true,
    };
    for n in 0..VARIED_LETTERS {
        let generated = synth::letter(&options, n);
        let letter = parser.parse_bytes(&generated.path, &generated.bytes);
        facets.extend(
            letter
                .items
                .iter()
                .flat_map(|i| i.guidelines.iter().map(|c| c.facet.clone())),
        );
    }
    let unknown: Vec<&String> = facets
        .iter()
        .filter(|f| !vocab.guidelines.knows_facet(f))
        .collect();
    assert!(
        unknown.is_empty(),
        "{} of {} facet values are not guideline names: {unknown:#?}",
        unknown.len(),
        facets.len()
    );
    // The check can fail: prose is not a name.
    assert!(!vocab
        .guidelines
        .knows_facet("/ODG/Knee & Leg/when plain radiographs are nondiagnostic"));
    assert!(!vocab.guidelines.knows_facet("/MTUS/ACOEM/indicate"));
    assert!(
        facets.len() > 50,
        "only {} values: the check says little",
        facets.len()
    );
    eprintln!(
        "{} distinct guideline facet values, all names",
        facets.len()
    );
}
