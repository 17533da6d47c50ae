//! A generator of realistic synthetic letters with known truth, for tests at volume
//! and benchmarks: only one real letter may ship with the project.
//!
//! Each letter is planned first (family, dates, people, items with their outcomes,
//! citations and rationales), its truth recorded in the parser's record model, then
//! rendered as text in its family's layout and damaged the ways PDF extraction
//! damages text. Letter `n` of seed `s` depends on nothing else, so letters are made
//! in parallel and a corpus is the same on every machine.

pub mod accuracy;
mod damage;
mod day;
pub mod pdf;
mod plan;
mod render;
mod tables;
mod variants;

use serde::{Deserialize, Serialize};

pub use damage::Damage;

use imr_search::model::Letter;

/// How a corpus is generated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SynthOptions {
    /// The seed every letter's choices derive from.
    pub seed: u64,
    /// Chance of each kind of extraction damage in a letter, 0 to 1.
    pub damage_rate: f64,
    /// Word letters as other reviewers and other years do (headings, labels,
    /// numbering, dates, specialties, citations, conclusions), from lists kept
    /// apart from the parser's vocabularies.
    #[serde(default)]
    pub vary: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            seed: 1,
            damage_rate: 0.3,
            vary: false,
        }
    }
}

/// One generated letter: the bytes of its file and the record a correct parser
/// makes of them.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file's name under the corpus root: `NNNN/NNNNNNN.txt`, 1,000 per folder.
    pub path: String,
    pub bytes: Vec<u8>,
    pub truth: Letter,
    /// The kinds of damage applied.
    pub damage: Vec<Damage>,
}

/// Letter number `n` of a corpus.
pub fn letter(options: &SynthOptions, n: u64) -> Generated {
    let mut rng = fastrand::Rng::with_seed(
        options
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(n),
    );
    let path = format!("{:04}/{:07}.txt", n / 1000, n);
    let mut truth = plan::plan_letter(&mut rng, n, options.vary);
    truth.source = path.clone();
    let text = render::render(&mut rng, &truth, options.vary);
    let (bytes, damage) = damage::apply(&mut rng, &text, &truth, options.damage_rate);
    Generated {
        path,
        bytes,
        truth,
        damage,
    }
}
