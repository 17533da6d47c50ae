//! Field-by-field accuracy of parsed letters against their truth (a generated
//! letter's, or a fixture's expected record): the figures of the README's accuracy
//! table and the goals the tests hold the parser to.

use std::collections::{BTreeMap, BTreeSet};

use imr_search::model::{Item, Letter};

/// Fields that must be right in every letter.
pub const EXACT: &[&str] = &["case number", "decision date", "item count", "decisions"];

/// Fields that must be right in at least [`MOST_SHARE`] of letters or items.
pub const MOST: &[&str] = &[
    "injury date",
    "specialty",
    "treatment",
    "category",
    "citations",
];

/// The share the fields of [`MOST`] must reach.
pub const MOST_SHARE: f64 = 0.99;

/// The body regions' F1 the parser must reach.
pub const REGION_F1: f64 = 0.95;

/// The fields compared, in the table's order: per letter, then per item.
pub const FIELDS: &[&str] = &[
    "family",
    "case number",
    "decision date",
    "injury date",
    "other dates",
    "priority",
    "specialty",
    "reviewer",
    "patient",
    "item count",
    "decisions",
    "treatment",
    "category",
    "drug class",
    "citations",
    "rationale",
];

/// How many values of a field were compared and how many were wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Values compared.
    pub checked: u64,
    /// Values that differ from the truth.
    pub wrong: u64,
}

impl Tally {
    /// The share right, 0 to 1; `None` when nothing was compared.
    pub fn share(&self) -> Option<f64> {
        (self.checked > 0).then(|| 1.0 - self.wrong as f64 / self.checked as f64)
    }
}

/// Counts of body regions found right, found wrongly and missed, over letters and
/// items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegionScore {
    /// Regions in both the truth and the parse.
    pub right: u64,
    /// Regions in the parse only.
    pub extra: u64,
    /// Regions in the truth only.
    pub missed: u64,
}

impl RegionScore {
    /// The share of regions found that are right.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.extra)
    }

    /// The share of true regions found.
    pub fn recall(&self) -> f64 {
        ratio(self.right, self.right + self.missed)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, truth: &[String], parsed: &[String]) {
        let truth: BTreeSet<&String> = truth.iter().collect();
        let parsed: BTreeSet<&String> = parsed.iter().collect();
        self.right += truth.intersection(&parsed).count() as u64;
        self.extra += parsed.difference(&truth).count() as u64;
        self.missed += truth.difference(&parsed).count() as u64;
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// The accuracy of a set of parses.
#[derive(Debug, Clone, Default)]
pub struct Accuracy {
    /// Letters compared.
    pub letters: u64,
    tallies: BTreeMap<&'static str, Tally>,
    /// Body regions of letters and items.
    pub regions: RegionScore,
    /// The first differences, described.
    pub failures: Vec<String>,
}

/// How many differences [`Accuracy`] describes.
const FAILURES_KEPT: usize = 40;

impl Accuracy {
    /// Compares `parsed` with `truth`, field by field; `name` names the letter in
    /// the failures.
    pub fn compare(&mut self, name: &str, truth: &Letter, parsed: &Letter) {
        self.letters += 1;
        for (field, expected, actual) in letter_fields(truth, parsed) {
            self.count(name, field, &expected, &actual);
        }
        for (index, expected) in truth.items.iter().enumerate() {
            let actual = parsed.items.get(index);
            let got =
                |f: &dyn Fn(&Item) -> String| actual.map_or_else(|| "<missing>".to_string(), f);
            let item_name = format!("{name} item {index}");
            self.count(
                &item_name,
                "treatment",
                &expected.treatment,
                &got(&|i| i.treatment.clone()),
            );
            self.count(
                &item_name,
                "category",
                &expected.category,
                &got(&|i| i.category.clone()),
            );
            self.count(
                &item_name,
                "drug class",
                &format!("{:?}", expected.drug_class),
                &got(&|i| format!("{:?}", i.drug_class)),
            );
            self.count(
                &item_name,
                "citations",
                &citations(expected),
                &got(&|i| citations(i)),
            );
            self.count(
                &item_name,
                "rationale",
                &expected.rationale,
                &got(&|i| i.rationale.clone()),
            );
            let parsed_regions = actual.map(|i| i.body_regions.clone()).unwrap_or_default();
            self.regions.add(&expected.body_regions, &parsed_regions);
        }
        self.regions.add(&truth.body_regions, &parsed.body_regions);
    }

    fn count(&mut self, name: &str, field: &'static str, expected: &str, actual: &str) {
        let tally = self.tallies.entry(field).or_default();
        tally.checked += 1;
        if expected != actual {
            tally.wrong += 1;
            if self.failures.len() < FAILURES_KEPT {
                self.failures.push(format!(
                    "{name} {field}:\n  want {expected}\n  got  {actual}"
                ));
            }
        }
    }

    /// The tally of `field`.
    pub fn tally(&self, field: &str) -> Tally {
        self.tallies.get(field).copied().unwrap_or_default()
    }

    /// The goals this set misses, said plainly; empty when all are met.
    pub fn missed_goals(&self) -> Vec<String> {
        let mut missed = Vec::new();
        for field in EXACT {
            let tally = self.tally(field);
            if tally.wrong > 0 {
                missed.push(format!(
                    "{field}: {} of {} wrong (must be none)",
                    tally.wrong, tally.checked
                ));
            }
        }
        for field in MOST {
            let tally = self.tally(field);
            if tally.share().is_some_and(|s| s < MOST_SHARE) {
                missed.push(format!(
                    "{field}: {} of {} wrong (must be under 1%)",
                    tally.wrong, tally.checked
                ));
            }
        }
        if self.regions.f1() < REGION_F1 {
            missed.push(format!(
                "body regions: F1 {:.3} (must be at least {REGION_F1})",
                self.regions.f1()
            ));
        }
        missed
    }

    /// Every field's tally and the region scores, one line each.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for field in FIELDS {
            let tally = self.tally(field);
            if let Some(share) = tally.share() {
                out += &format!(
                    "{field:15} {:>8} checked {:>6} wrong {:>8.3}% right\n",
                    tally.checked,
                    tally.wrong,
                    share * 100.0
                );
            }
        }
        out += &format!(
            "body regions    precision {:.4} recall {:.4} F1 {:.4}\n",
            self.regions.precision(),
            self.regions.recall(),
            self.regions.f1()
        );
        out
    }
}

/// The letter-level fields: name, truth, parse.
fn letter_fields(truth: &Letter, parsed: &Letter) -> Vec<(&'static str, String, String)> {
    let other_dates = |l: &Letter| {
        format!(
            "{:?} {:?} {:?}",
            l.dates.assigned, l.dates.ur_denial, l.dates.application_received
        )
    };
    let decisions = |l: &Letter| {
        l.items
            .iter()
            .map(|i| format!("{:?}", i.decision))
            .collect::<Vec<_>>()
            .join(",")
    };
    vec![
        (
            "family",
            truth.family.slug().to_string(),
            parsed.family.slug().to_string(),
        ),
        (
            "case number",
            format!("{:?}", truth.case_number),
            format!("{:?}", parsed.case_number),
        ),
        (
            "decision date",
            format!("{:?}", truth.dates.decision),
            format!("{:?}", parsed.dates.decision),
        ),
        (
            "injury date",
            format!("{:?}", truth.dates.injury),
            format!("{:?}", parsed.dates.injury),
        ),
        ("other dates", other_dates(truth), other_dates(parsed)),
        (
            "priority",
            format!("{:?}", truth.priority),
            format!("{:?}", parsed.priority),
        ),
        (
            "specialty",
            format!("{:?}", truth.reviewer.specialty),
            format!("{:?}", parsed.reviewer.specialty),
        ),
        (
            "reviewer",
            format!("{:?}", truth.reviewer),
            format!("{:?}", parsed.reviewer),
        ),
        (
            "patient",
            format!("{:?}", truth.patient),
            format!("{:?}", parsed.patient),
        ),
        (
            "item count",
            truth.items.len().to_string(),
            parsed.items.len().to_string(),
        ),
        ("decisions", decisions(truth), decisions(parsed)),
    ]
}

/// An item's citations as compared: who cited what, as written, with its pages.
fn citations(item: &Item) -> String {
    item.guidelines
        .iter()
        .map(|c| format!("{:?} {} [{}] {:?}", c.cited_by, c.facet, c.raw, c.pages))
        .collect::<Vec<_>>()
        .join(" | ")
}
