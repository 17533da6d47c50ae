//! Accuracy at volume: generated letters of every family, every kind of damage on,
//! parsed and compared with the truth written beside them; and the same with their
//! wording varied (`imr-synth --vary`) as other reviewers and other years word
//! letters, from lists of variants kept apart from the parser's vocabularies.
//! The goals: case numbers, decision dates, item counts and decisions always
//! right; injury dates, specialties, treatments, categories and citations right
//! in 99% or more; body regions at an F1 of 0.95 or more.

use imr_search::Parser;
use imr_synth::accuracy::Accuracy;
use imr_synth::{self as synth, SynthOptions};

const LETTERS: u64 = 5000;

fn accuracy(options: &SynthOptions) -> Accuracy {
    let parser = Parser::default();
    let mut accuracy = Accuracy::default();
    for n in 0..LETTERS {
        let generated = synth::letter(options, n);
        let parsed = parser.parse_bytes(&generated.path, &generated.bytes);
        let name = format!(
            "{} ({:?}, damage {:?})",
            generated.path, generated.truth.family, generated.damage
        );
        accuracy.compare(&name, &generated.truth, &parsed);
    }
    accuracy
}

fn assert_goals(accuracy: &Accuracy) {
    let report = accuracy.report();
    eprintln!("{report}\n{}", accuracy.failures.join("\n"));
    let missed = accuracy.missed_goals();
    assert!(
        missed.is_empty(),
        "missed: {missed:#?}\n{report}\nfirst failures:\n{}",
        accuracy.failures.join("\n")
    );
}

#[test]
fn generated_letters_parse_to_their_truth() {
    let accuracy = accuracy(&SynthOptions {
        seed: 20_261_124,
        damage_rate: 0.5,
        vary: false,
    });
    assert_goals(&accuracy);
    // The plain generator's wording is the parser's own: everything is exact.
    assert!(
        accuracy.failures.is_empty(),
        "{}",
        accuracy.failures.join("\n")
    );
}

#[test]
fn varied_letters_parse_to_their_truth() {
    let accuracy = accuracy(&SynthOptions {
        seed: 20_261_204,
        damage_rate: 0.5,
        vary: true,
    });
    assert_goals(&accuracy);
}

#[test]
fn the_same_seed_gives_the_same_letters() {
    let options = SynthOptions::default();
    for n in [0, 7, 999, 123_456] {
        let (a, b) = (synth::letter(&options, n), synth::letter(&options, n));
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.truth, b.truth);
    }
    let other = SynthOptions {
        seed: 2,
        ..SynthOptions::default()
    };
    assert_ne!(
        synth::letter(&options, 5).bytes,
        synth::letter(&other, 5).bytes
    );
    let varied = SynthOptions {
        vary: true,
        ..SynthOptions::default()
    };
    assert_ne!(
        synth::letter(&options, 5).bytes,
        synth::letter(&varied, 5).bytes
    );
}
