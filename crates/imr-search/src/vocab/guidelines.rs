//! Canonical guideline names (`schema/guidelines.json`) and matchers over folded
//! citation text (see [`crate::text::KeyText`]).

use serde::Deserialize;

use super::{TermMatcher, VocabError};
use crate::text::fold_key;

/// A chapter of the ACOEM Practice Guidelines.
#[derive(Debug, Clone, Deserialize)]
pub struct AcoemChapter {
    /// The chapter number (12).
    pub number: u32,
    /// Its title ("Low Back Complaints").
    pub title: String,
    #[serde(default)]
    /// Other names letters use for it.
    pub aliases: Vec<String>,
    #[serde(default)]
    /// The body regions it concerns.
    pub regions: Vec<String>,
}

impl AcoemChapter {
    /// The canonical chapter name, e.g. `Chapter 12 Low Back Complaints`.
    pub fn canonical(&self) -> String {
        format!("Chapter {} {}", self.number, self.title)
    }

    /// Whether `name` is the canonical name, without building it.
    pub fn is_canonical(&self, name: &str) -> bool {
        name.strip_prefix("Chapter ")
            .and_then(|rest| rest.split_once(' '))
            .is_some_and(|(number, title)| {
                number.parse() == Ok(self.number)
                    && !number.starts_with(['0', '+'])
                    && title == self.title
            })
    }
}

/// A document of the MTUS.
#[derive(Debug, Clone, Deserialize)]
pub struct MtusDocument {
    /// The canonical name.
    pub name: String,
    /// Other names letters use for it.
    pub aliases: Vec<String>,
    #[serde(default)]
    /// Its chapters, for a document that has them (ACOEM).
    pub chapters: Vec<AcoemChapter>,
    #[serde(default)]
    /// Its sections' canonical names, for a document cited by topic.
    pub topics: Vec<NamedSource>,
}

/// A chapter of the Official Disability Guidelines.
#[derive(Debug, Clone, Deserialize)]
pub struct OdgChapter {
    /// The canonical name.
    pub name: String,
    /// Other names letters use for it.
    pub aliases: Vec<String>,
    #[serde(default)]
    /// The body regions it concerns.
    pub regions: Vec<String>,
}

/// A known name and its other spellings: a source outside MTUS and ODG, or a
/// guideline topic.
#[derive(Debug, Clone, Deserialize)]
pub struct NamedSource {
    /// The canonical name.
    pub name: String,
    /// Other names letters use for it.
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
struct MtusSection {
    markers: Vec<String>,
    documents: Vec<MtusDocument>,
    /// The document whose topics a citation of the MTUS that names no document
    /// is read against.
    topics_of_unnamed_document: Option<String>,
}

#[derive(Deserialize)]
struct OdgSection {
    markers: Vec<String>,
    chapters: Vec<OdgChapter>,
    #[serde(default)]
    topics: Vec<NamedSource>,
}

#[derive(Deserialize)]
struct GuidelinesFile {
    mtus: MtusSection,
    odg: OdgSection,
    other: Vec<NamedSource>,
    /// Words of a sentence, not of a list of topics: a topic's name after one of
    /// them is prose that mentions it.
    #[serde(default)]
    prose_words: Vec<String>,
}

/// Guideline names and matchers for them. Every matcher runs over folded text.
#[derive(Debug)]
pub struct GuidelineBook {
    /// The documents of the MTUS.
    pub mtus_documents: Vec<MtusDocument>,
    /// The chapters of the ODG.
    pub odg_chapters: Vec<OdgChapter>,
    /// Other sources reviewers cite.
    pub other_sources: Vec<NamedSource>,
    /// Group 0: MTUS markers; group 1: ODG markers.
    pub marker_matcher: TermMatcher,
    /// Over the MTUS documents' names and aliases.
    pub mtus_document_matcher: TermMatcher,
    /// Over the chapters of the document named `ACOEM` (its index: `acoem`).
    pub acoem_chapter_matcher: TermMatcher,
    /// Which MTUS document is ACOEM.
    pub acoem: Option<usize>,
    /// Over the ODG chapters' names and aliases.
    pub odg_chapter_matcher: TermMatcher,
    /// Over the other sources' names and aliases.
    pub other_matcher: TermMatcher,
    /// Per MTUS document, over its topics' names and aliases.
    mtus_topic_matchers: Vec<TermMatcher>,
    /// The MTUS document read for a citation that names none.
    pub unnamed_document: Option<usize>,
    /// The ODG's topics.
    pub odg_topics: Vec<NamedSource>,
    odg_topic_matcher: TermMatcher,
    /// Lowercase words that make a citation's text prose.
    prose_words: Vec<String>,
}

/// A topic a citation names: its canonical name and where its words stand in the
/// folded text searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTopic {
    /// The canonical name.
    pub name: String,
    /// Byte range in the folded text.
    pub start: usize,
    /// End of the range.
    pub end: usize,
}

/// Group of [`GuidelineBook::marker_matcher`] for MTUS markers.
pub const MTUS_MARKER: usize = 0;
/// Group of [`GuidelineBook::marker_matcher`] for ODG markers.
pub const ODG_MARKER: usize = 1;

impl GuidelineBook {
    pub(super) fn from_json(text: &str) -> Result<GuidelineBook, VocabError> {
        let file: GuidelinesFile = super::parse_json("guidelines.json", text)?;
        let folded =
            |names: &[String]| -> Vec<String> { names.iter().map(|n| fold_key(n)).collect() };
        let build = |groups: Vec<Vec<String>>| TermMatcher::new(&groups);

        let acoem = file.mtus.documents.iter().position(|d| d.name == "ACOEM");
        let acoem_chapters: Vec<Vec<String>> = acoem
            .map(|i| {
                file.mtus.documents[i]
                    .chapters
                    .iter()
                    .map(|c| {
                        let mut names = folded(&c.aliases);
                        names.push(fold_key(&c.title));
                        names
                    })
                    .collect()
            })
            .unwrap_or_default();
        let names_of = |named: &[NamedSource]| -> Vec<Vec<String>> {
            named
                .iter()
                .map(|t| {
                    let mut names = folded(&t.aliases);
                    names.push(fold_key(&t.name));
                    names
                })
                .collect()
        };
        let unnamed_document = match &file.mtus.topics_of_unnamed_document {
            Some(name) => Some(
                file.mtus
                    .documents
                    .iter()
                    .position(|d| &d.name == name)
                    .ok_or_else(|| VocabError::Invalid {
                        file: "guidelines.json".into(),
                        message: format!(
                            "topics_of_unnamed_document names {name:?}, which is no MTUS document"
                        ),
                    })?,
            ),
            None => None,
        };
        Ok(GuidelineBook {
            mtus_topic_matchers: file
                .mtus
                .documents
                .iter()
                .map(|d| build(names_of(&d.topics)))
                .collect(),
            unnamed_document,
            odg_topic_matcher: build(names_of(&file.odg.topics)),
            odg_topics: file.odg.topics,
            prose_words: file.prose_words.iter().map(|w| w.to_lowercase()).collect(),
            marker_matcher: build(vec![folded(&file.mtus.markers), folded(&file.odg.markers)]),
            mtus_document_matcher: build(
                file.mtus
                    .documents
                    .iter()
                    .map(|d| folded(&d.aliases))
                    .collect(),
            ),
            acoem_chapter_matcher: build(acoem_chapters),
            acoem,
            odg_chapter_matcher: build(
                file.odg
                    .chapters
                    .iter()
                    .map(|c| folded(&c.aliases))
                    .collect(),
            ),
            other_matcher: build(file.other.iter().map(|o| folded(&o.aliases)).collect()),
            mtus_documents: file.mtus.documents,
            odg_chapters: file.odg.chapters,
            other_sources: file.other,
        })
    }

    /// The ACOEM chapter numbered `number`, if the vocabulary knows it.
    pub fn acoem_chapter(&self, number: u32) -> Option<&AcoemChapter> {
        let acoem = &self.mtus_documents[self.acoem?];
        acoem.chapters.iter().find(|c| c.number == number)
    }

    /// The ACOEM chapter at position `index` of the chapter matcher's groups.
    pub fn acoem_chapter_by_group(&self, index: usize) -> Option<&AcoemChapter> {
        self.mtus_documents[self.acoem?].chapters.get(index)
    }

    /// The topics of MTUS document `document` that folded text `key` names, in
    /// order, each once.
    pub fn mtus_topics_in(&self, document: usize, key: &str) -> Vec<NamedTopic> {
        match self.mtus_topic_matchers.get(document) {
            Some(matcher) => named_topics(matcher, &self.mtus_documents[document].topics, key),
            None => Vec::new(),
        }
    }

    /// Whether `word` (as written, punctuation around it aside) is a word of prose.
    pub fn is_prose_word(&self, word: &str) -> bool {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        self.prose_words
            .iter()
            .any(|p| p.eq_ignore_ascii_case(word))
    }

    /// The ODG topics that folded text `key` names, in order, each once.
    pub fn odg_topics_in(&self, key: &str) -> Vec<NamedTopic> {
        named_topics(&self.odg_topic_matcher, &self.odg_topics, key)
    }

    /// Whether a guideline facet path is made of the vocabulary's names only: a
    /// family (`/MTUS`, `/ODG`, `/Other`), an MTUS document, an ACOEM chapter, an
    /// ODG chapter, a known topic of either, or a known other source. What the
    /// parser writes always is; a facet value made of prose never is.
    pub fn knows_facet(&self, facet: &str) -> bool {
        let parts: Vec<&str> = facet.split('/').skip(1).collect();
        let topic_of = |topics: &[NamedSource], name: &str| {
            topics.iter().any(|t| t.name.replace('/', "-") == name)
        };
        match parts.as_slice() {
            ["MTUS"] | ["ODG"] | ["Other"] => true,
            ["MTUS", document, rest @ ..] => {
                let Some(doc) = self.mtus_documents.iter().find(|d| d.name == *document) else {
                    return false;
                };
                match rest {
                    [] => true,
                    [part] if doc.name == "ACOEM" => {
                        doc.chapters.iter().any(|c| c.is_canonical(part))
                    }
                    [topic] => topic_of(&doc.topics, topic),
                    _ => false,
                }
            }
            ["ODG", first, rest @ ..] => {
                let chapter = self.odg_chapters.iter().any(|c| c.name == *first);
                match rest {
                    [] => chapter || topic_of(&self.odg_topics, first),
                    [topic] => chapter && topic_of(&self.odg_topics, topic),
                    _ => false,
                }
            }
            ["Other", name] => self.other_sources.iter().any(|o| o.name == *name),
            _ => false,
        }
    }

    /// Regions of the chapter a facet path names (`/MTUS/ACOEM/Chapter 12 ...`,
    /// `/ODG/Low Back/...`).
    pub fn regions_of_facet(&self, facet: &str) -> &[String] {
        let mut parts = facet.split('/').skip(1);
        match (parts.next(), parts.next(), parts.next()) {
            (Some("MTUS"), Some("ACOEM"), Some(chapter)) => self
                .acoem
                .and_then(|i| {
                    self.mtus_documents[i]
                        .chapters
                        .iter()
                        .find(|c| c.is_canonical(chapter))
                })
                .map(|c| c.regions.as_slice())
                .unwrap_or(&[]),
            (Some("ODG"), Some(chapter), _) => self
                .odg_chapters
                .iter()
                .find(|c| c.name == chapter)
                .map(|c| c.regions.as_slice())
                .unwrap_or(&[]),
            _ => &[],
        }
    }
}

fn named_topics(matcher: &TermMatcher, topics: &[NamedSource], key: &str) -> Vec<NamedTopic> {
    let mut found: Vec<NamedTopic> = Vec::new();
    for m in matcher.find_all(key) {
        let name = &topics[m.group].name;
        if !found.iter().any(|t| &t.name == name) {
            found.push(NamedTopic {
                name: name.clone(),
                start: m.start,
                end: m.end,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chapter_knows_its_canonical_name() {
        let chapter = AcoemChapter {
            number: 12,
            title: "Low Back Complaints".into(),
            aliases: vec![],
            regions: vec![],
        };
        assert!(chapter.is_canonical(&chapter.canonical()));
        for other in [
            "Chapter 012 Low Back Complaints",
            "Chapter +12 Low Back Complaints",
            "Chapter 12 Low Back",
            "Chapter 12",
            "12 Low Back Complaints",
        ] {
            assert!(!chapter.is_canonical(other), "{other}");
        }
    }
}
