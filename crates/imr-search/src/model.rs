//! The letter record: what the parser makes of one file, and what `imr parse --json`
//! prints. Field names are a public interface: scripts read them.

use serde::{Deserialize, Serialize};

/// Layout family of a letter (see the README's "Letter families").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 2013 to about 2019: `IMR ISSUES, DECISIONS AND RATIONALES`, `<item>:  Upheld`.
    CaseSummary,
    /// Early 2013: `Notice of Independent Medical Review Determination`, numbered items.
    Notice,
    /// `MEDICAL PROFESSIONAL REVIEW`: one item, outcome in the reviewer's conclusion.
    ProfessionalReview,
    /// Not a letter, or a layout the parser does not know; see `warnings`.
    Unknown,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 4] = [
        Family::CaseSummary,
        Family::Notice,
        Family::ProfessionalReview,
        Family::Unknown,
    ];

    /// The slug used in JSON and in facets.
    pub fn slug(self) -> &'static str {
        match self {
            Family::CaseSummary => "case-summary",
            Family::Notice => "notice",
            Family::ProfessionalReview => "professional-review",
            Family::Unknown => "unknown",
        }
    }
}

/// Outcome of one disputed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The utilization review denial stands: the treatment is not medically necessary.
    Upheld,
    /// The denial is reversed: the treatment is medically necessary.
    Overturned,
}

impl Decision {
    /// The slug used in JSON and in facets.
    pub fn slug(self) -> &'static str {
        match self {
            Decision::Upheld => "upheld",
            Decision::Overturned => "overturned",
        }
    }
}

/// Review priority from the letter's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Decided within the usual time.
    Standard,
    /// Decided urgently.
    Expedited,
}

/// Patient sex as the case summary states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// Who relied on a guideline citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CitedBy {
    /// The claims administrator (the utilization review).
    ClaimsAdministrator,
    /// The expert reviewer.
    Reviewer,
}

/// Guideline family of a citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GuidelineSource {
    /// Medical Treatment Utilization Schedule, ACOEM chapters included.
    #[serde(rename = "MTUS")]
    Mtus,
    /// Official Disability Guidelines.
    #[serde(rename = "ODG")]
    Odg,
    /// Anything else: journals, FDA labels, other guidelines.
    #[serde(rename = "other")]
    Other,
}

/// Dates of a letter, each `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    /// The IMR decision.
    pub decision: Option<String>,
    /// When the case was assigned to the reviewer.
    pub assigned: Option<String>,
    /// The industrial injury.
    pub injury: Option<String>,
    /// The utilization review's denial.
    pub ur_denial: Option<String>,
    /// When the application for IMR was received.
    pub application_received: Option<String>,
}

/// The expert reviewer's qualifications.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    /// Board certification, canonical name from `schema/specialties.json` when known.
    pub specialty: Option<String>,
    /// Canonical subspecialty, if the letter names one.
    pub subspecialty: Option<String>,
    /// State(s) of licensure as written, e.g. `California`.
    pub licensed_in: Option<String>,
}

/// What the case summary says about the injured worker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    /// Age in years.
    pub age: Option<u32>,
    /// Sex.
    pub sex: Option<Sex>,
}

/// One guideline citation, split out of a citation line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Who relied on it.
    pub cited_by: CitedBy,
    /// MTUS, ODG or another source.
    pub source: GuidelineSource,
    /// Canonical document, e.g. `ACOEM`, `Chronic Pain Medical Treatment Guidelines`.
    pub document: Option<String>,
    /// Canonical chapter, e.g. `Chapter 12 Low Back Complaints`, `Low Back`.
    pub chapter: Option<String>,
    /// Topic within the document or chapter, as written, e.g. `EMG and NCS`.
    pub topic: Option<String>,
    /// Pages as written, e.g. `303; 62`.
    pub pages: Option<String>,
    /// Canonical hierarchical path, e.g. `/MTUS/ACOEM/Chapter 12 Low Back Complaints`.
    pub facet: String,
    /// The citation as written, whitespace folded.
    pub raw: String,
}

/// One disputed treatment and its ruling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// 0-based position in the letter.
    pub index: usize,
    /// The item name on one line, without list numbering or outcome word.
    pub treatment: String,
    /// `None` when the letter does not say.
    pub decision: Option<Decision>,
    /// Treatment category slug from `schema/categories.json`.
    pub category: String,
    /// Drug class slug from `schema/drug_classes.json`, for pharmaceuticals.
    pub drug_class: Option<String>,
    /// Region slugs from `schema/regions.json`.
    pub body_regions: Vec<String>,
    /// The claims administrator's and the reviewer's citations.
    pub guidelines: Vec<Citation>,
    /// The decision rationale, whitespace folded, page furniture removed.
    pub rationale: String,
}

/// One letter, as parsed from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// The path the letter was read from, as given.
    pub source: String,
    /// The letter's layout family.
    pub family: Family,
    /// The IMR case number, e.g. `CM14-0123456`.
    pub case_number: Option<String>,
    /// The dates the letter gives.
    pub dates: Dates,
    /// Standard or expedited review.
    pub priority: Option<Priority>,
    /// The expert reviewer's qualifications.
    pub reviewer: Reviewer,
    /// The injured worker, as the case summary describes them.
    pub patient: Patient,
    /// Union of the items' regions and those named in the case summary.
    pub body_regions: Vec<String>,
    /// The clinical case summary.
    pub summary: String,
    /// The disputed items, in letter order.
    pub items: Vec<Item>,
    /// The text outside the summary and the items (header, boilerplate, documents
    /// reviewed); the whole text of a letter whose layout is unknown.
    pub rest: String,
    /// What could not be read and why.
    pub warnings: Vec<String>,
}

impl Letter {
    /// An empty record for `source`, of unknown family.
    pub fn empty(source: &str) -> Self {
        Letter {
            source: source.to_string(),
            family: Family::Unknown,
            case_number: None,
            dates: Dates::default(),
            priority: None,
            reviewer: Reviewer::default(),
            patient: Patient::default(),
            body_regions: Vec::new(),
            summary: String::new(),
            items: Vec::new(),
            rest: String::new(),
            warnings: Vec::new(),
        }
    }

    /// The record of a file that is not a letter, and why.
    pub fn not_a_letter(source: &str, reason: &str) -> Self {
        let mut letter = Letter::empty(source);
        letter.warnings.push(format!("not a letter: {reason}"));
        letter
    }

    /// The record as JSON: the text `serde_json` writes, but with strings escaped
    /// many bytes at a time. Escaping the letters' text was a seventh of
    /// `imr parse --json`'s instructions.
    pub fn to_json(&self) -> String {
        // As in `write_json_line`.
        sonic_rs::to_string(self).expect("a record serializes to memory")
    }

    /// Appends the record to `out` as one line of NDJSON, as [`Letter::to_json`]
    /// writes it.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        // Writing to memory cannot fail, and every field is a plain string, number
        // or list: an error here is a bug.
        sonic_rs::to_writer(&mut *out, self).expect("a record serializes to memory");
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter_with_text(text: &str) -> Letter {
        let mut letter = Letter::empty(text);
        letter.summary = text.to_string();
        letter.rest = format!("{text}{text}");
        letter.warnings.push(text.to_string());
        letter.items.push(Item {
            index: 0,
            treatment: text.to_string(),
            decision: Some(Decision::Upheld),
            category: "pharmaceutical".into(),
            drug_class: Some(text.to_string()),
            body_regions: vec![text.to_string()],
            guidelines: vec![Citation {
                cited_by: CitedBy::Reviewer,
                source: GuidelineSource::Odg,
                document: None,
                chapter: Some(text.to_string()),
                topic: None,
                pages: Some("303; 62".into()),
                facet: format!("/ODG/{text}"),
                raw: text.to_string(),
            }],
            rationale: text.to_string(),
        });
        letter.patient.age = Some(67);
        letter
    }

    proptest::proptest! {
        /// Scripts read these lines with ordinary JSON readers: they must be the
        /// very bytes of the reference serializer, control characters, quotes,
        /// backslashes and non-ASCII text included.
        #[test]
        fn json_lines_are_serde_json_bytes(text in "(?s)[ -~\t\n\r\x00-\x1f\x7f\u{80}-\u{a0}\u{2028}\u{2029}\u{feff}é°\u{1F600}\\\"]{0,300}") {
            let letter = letter_with_text(&text);
            let mut ours = Vec::new();
            letter.write_json_line(&mut ours);
            let reference = serde_json::to_string(&letter).unwrap();
            proptest::prop_assert_eq!(letter.to_json(), reference.clone());
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), format!("{reference}\n"));
        }
    }
}
