//! Accuracy at volume: generated letters of every family, every kind of damage on,
//! parsed and compared with the truth written beside them.

use std::collections::BTreeMap;

use imr_search::{Letter, Parser};
use imr_synth::{self as synth, SynthOptions};

const LETTERS: u64 = 5000;

/// Fields that must be right in every letter.
const EXACT: &[&str] = &["family", "case_number", "dates", "item_count", "decisions"];

/// Every compared field of one letter, as text, by name.
fn fields(letter: &Letter) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let mut put = |name: &str, value: String| {
        fields.insert(name.to_string(), value);
    };
    put("family", letter.family.slug().to_string());
    put("case_number", format!("{:?}", letter.case_number));
    put("dates", format!("{:?}", letter.dates));
    put("priority", format!("{:?}", letter.priority));
    put("reviewer", format!("{:?}", letter.reviewer));
    put("patient", format!("{:?}", letter.patient));
    put("body_regions", letter.body_regions.join(","));
    put("item_count", letter.items.len().to_string());
    put(
        "decisions",
        letter
            .items
            .iter()
            .map(|i| format!("{:?}", i.decision))
            .collect::<Vec<_>>()
            .join(","),
    );
    for item in &letter.items {
        let name = |field: &str| format!("item.{field}#{}", item.index);
        fields.insert(name("treatment"), item.treatment.clone());
        fields.insert(name("category"), item.category.clone());
        fields.insert(name("drug_class"), format!("{:?}", item.drug_class));
        fields.insert(name("body_regions"), item.body_regions.join(","));
        fields.insert(name("rationale"), item.rationale.clone());
        fields.insert(
            name("guidelines"),
            item.guidelines
                .iter()
                .map(|c| format!("{:?} {} [{}] {:?}", c.cited_by, c.facet, c.raw, c.pages))
                .collect::<Vec<_>>()
                .join(" | "),
        );
    }
    fields
}

/// Field name without its item number.
fn kind(field: &str) -> &str {
    field.split('#').next().unwrap_or(field)
}

#[test]
fn generated_letters_parse_to_their_truth() {
    let options = SynthOptions {
        seed: 20_261_124,
        damage_rate: 0.5,
    };
    let parser = Parser::default();
    let mut checked: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for n in 0..LETTERS {
        let generated = synth::letter(&options, n);
        let parsed = parser.parse_bytes(&generated.path, &generated.bytes);
        let want = fields(&generated.truth);
        let got = fields(&parsed);
        for (field, expected) in &want {
            let entry = checked.entry(kind(field).to_string()).or_default();
            entry.0 += 1;
            let actual = got.get(field).map(String::as_str).unwrap_or("<missing>");
            if actual != expected {
                entry.1 += 1;
                if failures.len() < 40 {
                    failures.push(format!(
                        "{} ({:?}, damage {:?}) {field}:\n  want {expected}\n  got  {actual}",
                        generated.path, generated.truth.family, generated.damage
                    ));
                }
            }
        }
    }
    let mut report = String::new();
    let mut failed = false;
    for (field, (total, wrong)) in &checked {
        let accuracy = 1.0 - *wrong as f64 / *total as f64;
        let exact = EXACT.contains(&field.as_str());
        let ok = if exact { *wrong == 0 } else { accuracy >= 0.99 };
        failed |= !ok;
        report += &format!(
            "{field:20} {:>7} checked {:>6} wrong {:>8.3}% right{}\n",
            total,
            wrong,
            accuracy * 100.0,
            if ok { "" } else { "  <-- below target" }
        );
    }
    eprintln!("{report}\n{}", failures.join("\n"));
    assert!(
        !failed,
        "{report}\nfirst failures:\n{}",
        failures.join("\n")
    );
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
}
