//! What a search and `stats` answer. Field names are a public interface: the
//! command line's `--json` prints these types.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::schema::{Facet, Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::TantivyDocument;

use crate::index::codes::NO_VALUE;
use crate::index::Fields;
use crate::model::{Item, Letter};

/// Longest snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 240;

/// Per facet, per path (without the leading '/'), matching items.
pub type FacetTable = BTreeMap<String, BTreeMap<String, u64>>;

/// One matching item.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The item's id (its letter's id for a letter without items).
    pub id: String,
    /// The letter's file.
    pub source: String,
    /// The letter's case number.
    pub case_number: Option<String>,
    /// 0-based item index in its letter; null for a letter without items.
    pub item: Option<u64>,
    /// The treatment decided.
    pub treatment: Option<String>,
    /// `upheld` or `overturned`.
    pub decision: Option<String>,
    /// The treatment's category slug.
    pub category: Option<String>,
    /// The drug class slug of a pharmaceutical item.
    pub drug_class: Option<String>,
    /// Body region slugs.
    pub body_regions: Vec<String>,
    /// The reviewer's citations, as facet paths.
    pub guidelines: Vec<String>,
    /// The claims administrator's citations, as facet paths.
    pub claims_guidelines: Vec<String>,
    /// The reviewer's specialty.
    pub specialty: Option<String>,
    /// `YYYY-MM-DD`.
    pub decision_date: Option<String>,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// A passage of the rationale around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

impl Hit {
    /// The hit a stored document makes, with a snippet of its rationale from
    /// `snippets` (or the rationale's start when nothing in it matched).
    pub(crate) fn from_stored(
        doc: &TantivyDocument,
        fields: &Fields,
        score: f32,
        snippets: Option<&SnippetGenerator>,
        snippet_chars: usize,
    ) -> Hit {
        let paths = |field| stored_paths(doc, field);
        let slug = |field| paths(field).first().map(|p| strip_root(p));
        let category_path = slug(fields.category);
        let (category, drug_class) = match category_path.as_deref().map(|p| p.split_once('/')) {
            Some(Some((category, class))) => (Some(category.to_string()), Some(class.to_string())),
            Some(None) => (category_path.clone(), None),
            None => (None, None),
        };
        let (snippet, highlights) = snippet_of(doc, fields.rationale, snippets, snippet_chars);
        Hit {
            id: stored_text(doc, fields.id).unwrap_or_default(),
            source: stored_text(doc, fields.source).unwrap_or_default(),
            case_number: stored_text(doc, fields.case),
            item: doc.get_first(fields.item).and_then(|v| v.as_u64()),
            treatment: stored_text(doc, fields.treatment),
            decision: slug(fields.decision),
            category,
            drug_class,
            body_regions: paths(fields.region).iter().map(|p| strip_root(p)).collect(),
            guidelines: paths(fields.guideline_path),
            claims_guidelines: paths(fields.claims_guideline),
            specialty: slug(fields.specialty),
            decision_date: doc
                .get_first(fields.decision_date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|d| d.format("%Y-%m-%d").to_string()),
            score,
            snippet,
            highlights,
        }
    }
}

/// A passage of `field` around what `snippets` match, with the matches' byte
/// ranges; the field's first `chars` characters when nothing matched.
fn snippet_of(
    doc: &TantivyDocument,
    field: Field,
    snippets: Option<&SnippetGenerator>,
    chars: usize,
) -> (String, Vec<(usize, usize)>) {
    if let Some(snippet) = snippets.map(|generator| generator.snippet_from_doc(doc)) {
        if !snippet.fragment().is_empty() {
            let highlights = snippet
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect();
            return (snippet.fragment().to_string(), highlights);
        }
    }
    let start = stored_text(doc, field)
        .map(|text| text.chars().take(chars).collect())
        .unwrap_or_default();
    (start, Vec::new())
}

/// The first text stored in `field`.
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The facet paths stored in `field`: stored facets come back encoded.
fn stored_paths(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_facet())
        .filter_map(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
        .map(|facet| facet.to_path_string())
        .collect()
}

fn strip_root(path: &str) -> String {
    path.trim_start_matches('/').to_string()
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query as given (or what `similar` looked for).
    pub query: String,
    /// Items matching, over all pages.
    pub total: usize,
    /// The page of hits asked for.
    pub hits: Vec<Hit>,
    /// Per facet, per path (without the leading '/'), matching items.
    pub facets: FacetTable,
    /// What loose guideline names in the filters stood for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// Which facet paths a loose guideline name stood for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GuidelineMatch {
    /// The filter: `guideline` or `claims_guideline`.
    pub filter: String,
    /// The name as given.
    pub value: String,
    /// The facet paths it matched.
    pub paths: Vec<String>,
}

/// One row of `stats`: a facet value and the outcomes of its items.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatsRow {
    /// The facet path, without the leading '/'.
    pub value: String,
    /// Matching items with this value.
    pub count: u64,
    /// Of those, upheld.
    pub upheld: u64,
    /// Of those, overturned.
    pub overturned: u64,
    /// overturned / (upheld + overturned); null when neither.
    pub overturn_rate: Option<f64>,
}

impl StatsRow {
    /// One row per path of `all`, with its outcomes: most items first (years in
    /// their order), the items of no value last.
    pub(crate) fn from_counts(
        by: &str,
        all: &BTreeMap<String, u64>,
        upheld: &BTreeMap<String, u64>,
        overturned: &BTreeMap<String, u64>,
    ) -> Vec<StatsRow> {
        let mut rows: Vec<StatsRow> = all
            .iter()
            .map(|(value, count)| {
                let up = upheld.get(value).copied().unwrap_or(0);
                let over = overturned.get(value).copied().unwrap_or(0);
                StatsRow {
                    value: value.clone(),
                    count: *count,
                    upheld: up,
                    overturned: over,
                    overturn_rate: (up + over > 0).then(|| over as f64 / (up + over) as f64),
                }
            })
            .collect();
        let by_value = by == "year";
        rows.sort_by(|a, b| {
            let no_value = (a.value == NO_VALUE).cmp(&(b.value == NO_VALUE));
            let order = if by_value {
                a.value.cmp(&b.value)
            } else {
                b.count.cmp(&a.count).then(a.value.cmp(&b.value))
            };
            no_value.then(order)
        });
        rows
    }
}

/// The answer to `stats`.
#[derive(Debug, Clone, Serialize)]
pub struct StatsResponse {
    /// The query as given.
    pub query: String,
    /// The facet counted by.
    pub by: String,
    /// Items matching.
    pub total: usize,
    /// One row per facet value, most items first.
    pub rows: Vec<StatsRow>,
    /// What loose guideline names in the filters stood for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// A letter as `show` finds it.
#[derive(Debug, Clone)]
pub struct ShownLetter {
    /// The letter's id; its items' ids are `<id>-<index>`.
    pub id: String,
    /// Its parse record.
    pub letter: Letter,
    /// The item asked for by its id; none when the letter was asked for.
    pub item: Option<usize>,
}

impl ShownLetter {
    /// The item asked for, as `show --json` and the API print it; none when a
    /// letter was asked for.
    pub fn item_record(&self) -> Option<ItemRecord<'_>> {
        let item = self.letter.items.get(self.item?)?;
        Some(ItemRecord {
            id: format!("{}-{}", self.id, item.index),
            letter_id: &self.id,
            source: &self.letter.source,
            case_number: self.letter.case_number.as_deref(),
            decision_date: self.letter.dates.decision.as_deref(),
            item,
        })
    }

    /// The letter, as `show --json` and the API print it.
    pub fn letter_record(&self) -> LetterRecord<'_> {
        LetterRecord {
            id: &self.id,
            letter: &self.letter,
        }
    }
}

/// An item with where it is from. Field names are a public interface.
#[derive(Debug, Serialize)]
pub struct ItemRecord<'a> {
    /// The item's id.
    pub id: String,
    /// Its letter's id.
    pub letter_id: &'a str,
    /// The letter's file.
    pub source: &'a str,
    /// The letter's case number.
    pub case_number: Option<&'a str>,
    /// The decision date, `YYYY-MM-DD`.
    pub decision_date: Option<&'a str>,
    /// The item's own fields.
    #[serde(flatten)]
    pub item: &'a Item,
}

/// A letter with its id. Field names are a public interface.
#[derive(Debug, Serialize)]
pub struct LetterRecord<'a> {
    /// The letter's id.
    pub id: &'a str,
    /// Its parse record.
    #[serde(flatten)]
    pub letter: &'a Letter,
}
