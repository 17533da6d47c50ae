//! Domain vocabularies, loaded from the JSON files of `schema/`: body regions,
//! treatment categories, drug classes, guideline names, reviewer specialties and
//! outcome phrases. The files are compiled in, and a directory holding edited copies
//! can replace any of them at run time (`imr --vocab-dir`).

mod forms;
mod guidelines;
mod matcher;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::text::Pattern;

pub use forms::{label_kind, Determination, HeadingForm, LabelWords, LetterForms, SectionRole};
pub use guidelines::{
    AcoemChapter, GuidelineBook, MtusDocument, NamedSource, NamedTopic, OdgChapter, MTUS_MARKER,
    ODG_MARKER,
};
pub use matcher::{TermMatch, TermMatcher};

/// A vocabulary file that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    #[error("cannot read vocabulary file {path}: {source}")]
    /// A file of the directory could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    #[error("vocabulary file {file} is not valid: {source}")]
    /// A file is not valid JSON of its shape.
    Json {
        /// The file's name.
        file: String,
        /// What is wrong.
        source: serde_json::Error,
    },
    #[error(
        "vocabulary file {file}: pattern {pattern:?} is not a valid regular expression: {source}"
    )]
    /// A pattern of `outcomes.json` is not a valid regular expression.
    Pattern {
        /// The file's name.
        file: String,
        /// The pattern as written.
        pattern: String,
        /// What is wrong.
        source: BoxedError,
    },
    /// A file is well-formed but says something impossible.
    #[error("vocabulary file {file}: {message}")]
    Invalid {
        /// The file's name.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// Why a pattern is invalid, from the regex parser or compiler.
pub type BoxedError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Deserialize)]
struct TermGroup {
    slug: String,
    terms: Vec<String>,
    /// Words too general to outrank another group's terms ("visits" in
    /// "chiropractic manipulation 8 visits"): they count only where no term does.
    #[serde(default)]
    fallback_terms: Vec<String>,
}

#[derive(Deserialize)]
struct RegionsFile {
    regions: Vec<TermGroup>,
    /// Without it, every sentence of a case summary counts.
    summary_sentences: Option<SummarySentencesJson>,
}

/// Which of a case summary's sentences name injured or diagnosed body parts.
#[derive(Deserialize)]
struct SummarySentencesJson {
    cues: Vec<String>,
    cue_endings: Vec<String>,
    incidental: Vec<String>,
}

#[derive(Deserialize)]
struct CategoriesFile {
    default: String,
    categories: Vec<TermGroup>,
}

#[derive(Deserialize)]
struct DrugClassesFile {
    classes: Vec<TermGroup>,
}

#[derive(Deserialize)]
struct Specialty {
    name: String,
    aliases: Vec<String>,
}

#[derive(Deserialize)]
struct SpecialtiesFile {
    specialties: Vec<Specialty>,
}

#[derive(Deserialize)]
struct OutcomesFile {
    upheld: Vec<String>,
    overturned: Vec<String>,
}

/// Everything the parser knows about the domain.
#[derive(Debug)]
pub struct Vocabulary {
    /// Tells vocabularies apart, for results cached per vocabulary.
    id: u64,
    regions: Vec<String>,
    region_matcher: TermMatcher,
    /// Which summary sentences name injured or diagnosed parts; `None`: all.
    summary_sentences: Option<SummarySentences>,
    categories: Vec<String>,
    default_category: usize,
    pharmaceutical: usize,
    /// Groups: every category, then every drug class (which counts as pharmaceutical).
    category_matcher: TermMatcher,
    /// Every category's fallback terms.
    category_fallback_matcher: TermMatcher,
    drug_classes: Vec<String>,
    drug_matcher: TermMatcher,
    specialties: Vec<String>,
    specialty_matcher: TermMatcher,
    /// Guideline names and the regions of their chapters.
    pub guidelines: GuidelineBook,
    upheld_pattern: Pattern,
    overturned_pattern: Pattern,
    /// How letters are laid out.
    pub forms: LetterForms,
}

impl Vocabulary {
    /// The vocabularies compiled into the program. Shared; built once.
    pub fn embedded() -> Arc<Vocabulary> {
        static EMBEDDED_VOCABULARY: OnceLock<Arc<Vocabulary>> = OnceLock::new();
        EMBEDDED_VOCABULARY
            .get_or_init(|| {
                Arc::new(
                    Vocabulary::build(|name| Ok(embedded_file(name).to_string()))
                        .expect("the vocabulary files compiled into the program are valid"),
                )
            })
            .clone()
    }

    /// The vocabularies of `dir`; a file missing there is taken from the compiled-in set.
    pub fn from_dir(dir: &Path) -> Result<Vocabulary, VocabError> {
        Vocabulary::build(|name| {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Ok(embedded_file(name).to_string())
                }
                Err(source) => Err(VocabError::Read { path, source }),
            }
        })
    }

    fn build(read: impl Fn(&str) -> Result<String, VocabError>) -> Result<Vocabulary, VocabError> {
        let regions: RegionsFile = parse_json("regions.json", &read("regions.json")?)?;
        let categories: CategoriesFile = parse_json("categories.json", &read("categories.json")?)?;
        let drugs: DrugClassesFile = parse_json("drug_classes.json", &read("drug_classes.json")?)?;
        let specialties: SpecialtiesFile =
            parse_json("specialties.json", &read("specialties.json")?)?;
        let outcomes: OutcomesFile = parse_json("outcomes.json", &read("outcomes.json")?)?;
        let guidelines = GuidelineBook::from_json(&read("guidelines.json")?)?;
        let forms = LetterForms::from_json(&read("letter_forms.json")?)?;

        let category_slugs: Vec<String> = categories
            .categories
            .iter()
            .map(|c| c.slug.clone())
            .collect();
        let position_of = |slug: &str| {
            category_slugs
                .iter()
                .position(|s| s == slug)
                .ok_or_else(|| VocabError::Invalid {
                    file: "categories.json".into(),
                    message: format!("category {slug:?} is not listed"),
                })
        };
        let default_category = position_of(&categories.default)?;
        let pharmaceutical = position_of("pharmaceutical")?;
        let mut category_groups: Vec<Vec<String>> = categories
            .categories
            .iter()
            .map(|c| c.terms.clone())
            .collect();
        category_groups.extend(drugs.classes.iter().map(|c| c.terms.clone()));
        let fallback_groups: Vec<Vec<String>> = categories
            .categories
            .iter()
            .map(|c| c.fallback_terms.clone())
            .collect();

        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let summary_sentences = regions
            .summary_sentences
            .as_ref()
            .map(SummarySentences::new)
            .transpose()?;
        Ok(Vocabulary {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            summary_sentences,
            region_matcher: TermMatcher::for_long_texts(&groups_of(&regions.regions))
                .map_err(|e| invalid_terms("regions.json", e))?,
            regions: regions.regions.into_iter().map(|r| r.slug).collect(),
            categories: category_slugs,
            default_category,
            pharmaceutical,
            category_matcher: TermMatcher::new(&category_groups),
            category_fallback_matcher: TermMatcher::new(&fallback_groups),
            drug_matcher: TermMatcher::new(&groups_of(&drugs.classes)),
            drug_classes: drugs.classes.into_iter().map(|c| c.slug).collect(),
            specialty_matcher: TermMatcher::new(
                &specialties
                    .specialties
                    .iter()
                    .map(|s| s.aliases.clone())
                    .collect::<Vec<_>>(),
            ),
            specialties: specialties
                .specialties
                .into_iter()
                .map(|s| s.name)
                .collect(),
            guidelines,
            upheld_pattern: alternation("outcomes.json", &outcomes.upheld)?,
            overturned_pattern: alternation("outcomes.json", &outcomes.overturned)?,
            forms,
        })
    }

    /// A number no other vocabulary of this process has.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Region slugs named in `text`, in vocabulary order.
    pub fn regions_in(&self, text: &str) -> Vec<String> {
        let mut groups = self.region_matcher.groups_in(text);
        groups.sort_unstable();
        groups
            .into_iter()
            .map(|g| self.regions[g].clone())
            .collect()
    }

    /// Region slugs a case summary names as injured, diagnosed or examined, in
    /// vocabulary order: those in its sentences that state an injury, a diagnosis,
    /// a complaint or a finding, not in a sentence about something else ("she
    /// turned her head while driving", "a history of depression").
    pub fn summary_regions(&self, summary: &str) -> Vec<String> {
        let mut groups: Vec<usize> = Vec::new();
        let mut judged: Option<(std::ops::Range<usize>, bool)> = None;
        for found in self.region_matcher.find_all(summary) {
            if groups.contains(&found.group) {
                continue;
            }
            let sentence = crate::text::sentence_range(summary, found.start, found.end);
            let counts = match &judged {
                Some((range, counts)) if *range == sentence => *counts,
                _ => {
                    let text = &summary[sentence.clone()];
                    let counts = self
                        .summary_sentences
                        .as_ref()
                        .is_none_or(|s| s.counts(text));
                    judged = Some((sentence, counts));
                    counts
                }
            };
            if counts {
                groups.push(found.group);
            }
        }
        groups.sort_unstable();
        groups
            .into_iter()
            .map(|g| self.regions[g].clone())
            .collect()
    }

    /// Every region slug the vocabulary knows, in its order.
    pub fn region_slugs(&self) -> &[String] {
        &self.regions
    }

    /// Every category slug, in the vocabulary's order.
    pub fn category_slugs(&self) -> &[String] {
        &self.categories
    }

    /// Every drug class slug, in the vocabulary's order.
    pub fn drug_class_slugs(&self) -> &[String] {
        &self.drug_classes
    }

    /// The category of a treatment name: the matched category of highest
    /// precedence, or `None` when no term matches.
    pub fn category_of(&self, treatment: &str) -> Option<&str> {
        let categories = self.categories.len();
        self.category_matcher
            .groups_in(treatment)
            .into_iter()
            .map(|g| {
                if g < categories {
                    g
                } else {
                    self.pharmaceutical
                }
            })
            .min()
            .or_else(|| {
                self.category_fallback_matcher
                    .groups_in(treatment)
                    .into_iter()
                    .min()
            })
            .map(|g| self.categories[g].as_str())
    }

    /// The category used when nothing matches.
    pub fn default_category(&self) -> &str {
        &self.categories[self.default_category]
    }

    /// The drug class of a treatment name, by precedence.
    pub fn drug_class_of(&self, treatment: &str) -> Option<&str> {
        self.drug_matcher
            .groups_in(treatment)
            .into_iter()
            .min()
            .map(|g| self.drug_classes[g].as_str())
    }

    /// The canonical specialty whose alias starts `text` (longest alias), if any.
    pub fn specialty_at_start(&self, text: &str) -> Option<&str> {
        self.specialty_matcher
            .find_at_start(text)
            .map(|m| self.specialties[m.group].as_str())
    }

    /// The canonical name of a specialty written `text`, or `text` itself.
    pub fn canonical_specialty(&self, text: &str) -> String {
        self.specialty_matcher
            .find_at_start(text)
            .filter(|m| m.end == text.len())
            .map(|m| self.specialties[m.group].clone())
            .unwrap_or_else(|| text.to_string())
    }

    /// Patterns of a conclusion that upholds the denial.
    pub fn upheld_pattern(&self) -> &Pattern {
        &self.upheld_pattern
    }

    /// Patterns of a conclusion that overturns the denial.
    pub fn overturned_pattern(&self) -> &Pattern {
        &self.overturned_pattern
    }
}

/// Which sentences of a case summary name the injured or diagnosed body parts.
#[derive(Debug)]
struct SummarySentences {
    /// A sentence that states an injury, a diagnosis, a complaint or a finding.
    cue: Pattern,
    /// A sentence about something else than the injury.
    incidental: Pattern,
}

impl SummarySentences {
    fn new(json: &SummarySentencesJson) -> Result<SummarySentences, VocabError> {
        let words = |list: &[String]| {
            list.iter()
                .map(|w| regex_syntax::escape(w))
                .collect::<Vec<_>>()
                .join("|")
        };
        let mut cue = format!(r"\b(?:{})", words(&json.cues));
        if !json.cue_endings.is_empty() {
            cue += &format!(r"|\w(?:{})\b", words(&json.cue_endings));
        }
        let incidental = if json.incidental.is_empty() {
            // Matches nothing.
            r"[^\s\S]".to_string()
        } else {
            format!(r"\b(?:{})\b", words(&json.incidental))
        };
        if json.cues.is_empty() {
            return Err(VocabError::Invalid {
                file: "regions.json".into(),
                message: "summary_sentences has no cues: no sentence would count".into(),
            });
        }
        Ok(SummarySentences {
            cue: literal_pattern(&cue)?,
            incidental: literal_pattern(&incidental)?,
        })
    }

    fn counts(&self, sentence: &str) -> bool {
        self.cue.is_match(sentence) && !self.incidental.is_match(sentence)
    }
}

/// A pattern of escaped words from a vocabulary file, matched ignoring case.
fn literal_pattern(pattern: &str) -> Result<Pattern, VocabError> {
    Pattern::from_vocabulary(pattern).map_err(|source| VocabError::Pattern {
        file: "regions.json".into(),
        pattern: pattern.to_string(),
        source,
    })
}

fn embedded_file(name: &str) -> &'static str {
    crate::embedded::VOCABULARY_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("every vocabulary file name is in embedded::VOCABULARY_FILES")
}

fn parse_json<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, VocabError> {
    serde_json::from_str(text).map_err(|source| VocabError::Json {
        file: file.to_string(),
        source,
    })
}

fn groups_of(groups: &[TermGroup]) -> Vec<Vec<String>> {
    groups.iter().map(|g| g.terms.clone()).collect()
}

fn invalid_terms(file: &str, error: aho_corasick::BuildError) -> VocabError {
    VocabError::Invalid {
        file: file.to_string(),
        message: error.to_string(),
    }
}

/// The patterns as one regular expression, matched ignoring case.
///
/// Like every pattern without a prefilter: most conclusions start with "medically",
/// which a rationale says often, and the prefilter's restarts at each made scanning
/// letters' text eight times slower than the lazy DFA alone (98 against 11 ms over
/// 1,000 letters).
fn alternation(file: &str, patterns: &[String]) -> Result<Pattern, VocabError> {
    let invalid = |pattern: &str, source: BoxedError| VocabError::Pattern {
        file: file.to_string(),
        pattern: pattern.to_string(),
        source,
    };
    // Each pattern is checked alone (parsed, not compiled: compiling costs as much
    // as the whole set), so that one cannot close another's group.
    for pattern in patterns {
        regex_syntax::parse(pattern).map_err(|e| invalid(pattern, Box::new(e)))?;
    }
    let joined = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    Pattern::from_vocabulary(&joined).map_err(|source| invalid(&joined, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabulary_loads() {
        let vocab = Vocabulary::embedded();
        assert_eq!(
            vocab.category_of("EMG of the lower extremities"),
            Some("electrodiagnostic")
        );
        assert_eq!(
            vocab.category_of("Tramadol 50mg #60"),
            Some("pharmaceutical")
        );
        assert_eq!(vocab.drug_class_of("Tramadol 50mg #60"), Some("opioid"));
        assert_eq!(
            vocab.category_of("Surgical consultation"),
            Some("evaluation-management")
        );
        assert_eq!(
            vocab.category_of("Spinal cord stimulator trial"),
            Some("surgery")
        );
        assert_eq!(vocab.category_of("Something unheard of"), None);
        assert_eq!(
            vocab.regions_in("pain of the BLEs and lumbar spine"),
            vec!["low-back", "lower-extremity"]
        );
        assert_eq!(
            vocab.specialty_at_start("Orthopaedic Surgery and is licensed"),
            Some("Orthopedic Surgery")
        );
    }

    #[test]
    fn a_directory_overrides_one_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("regions.json"),
            r#"{"regions": [{"slug": "tail", "terms": ["coccyx"]}]}"#,
        )
        .unwrap();
        let vocab = Vocabulary::from_dir(dir.path()).unwrap();
        assert_eq!(vocab.regions_in("coccyx pain"), vec!["tail"]);
        assert_eq!(vocab.drug_class_of("Norco"), Some("opioid"));
    }

    #[test]
    fn a_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("outcomes.json"),
            r#"{"upheld": ["("], "overturned": []}"#,
        )
        .unwrap();
        let err = Vocabulary::from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("outcomes.json"), "{err}");
    }

    #[test]
    fn a_pattern_valid_only_beside_another_is_refused_and_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("outcomes.json"),
            r#"{"upheld": ["denied)|(?:x", "upheld"], "overturned": ["approved"]}"#,
        )
        .unwrap();
        let err = Vocabulary::from_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("outcomes.json") && err.contains("denied)|(?:x"),
            "{err}"
        );
    }
}
