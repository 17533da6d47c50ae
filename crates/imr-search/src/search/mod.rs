//! Answering questions of the index: keyword queries with filters, facet counts,
//! snippets, outcome statistics, one item in full, and similar rationales.

mod collect;
pub mod compile;
pub mod facets;
pub mod filters;
pub mod letter_wide;
pub mod prefix;
pub mod query;
mod stats;
mod union;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{FruitHandle, MultiCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, IndexReader, Order, Score, Searcher, TantivyDocument, Term};

pub use facets::FacetTable;
pub use filters::{Filters, GuidelineMatch};
pub use query::{Node, QueryError};

use crate::index::{IndexError, IndexHome, IndexSchema, Pointer, Synonyms};
use crate::model::Letter;
use collect::{BestItems, ItemPass};

/// What can go wrong answering a question.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("query {query:?}: {error}")]
    Query { query: String, error: QueryError },
    #[error("unknown facet {name:?}; facets are: {known}")]
    UnknownFacet { name: String, known: String },
    #[error("{0}")]
    BadValue(String),
    #[error("no item or letter with id {0:?}")]
    NotFound(String),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest decision first.
    Date,
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    /// Facets to count over every matching item.
    pub facets: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// One hit per letter: its best item.
    pub group_by_letter: bool,
}

/// One matching item. Field names are a public interface.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub source: String,
    pub case_number: Option<String>,
    /// 0-based item index in its letter; null for a letter without items.
    pub item: Option<u64>,
    pub treatment: Option<String>,
    pub decision: Option<String>,
    pub category: Option<String>,
    pub drug_class: Option<String>,
    pub body_regions: Vec<String>,
    /// The reviewer's citations, as facet paths.
    pub guidelines: Vec<String>,
    pub claims_guidelines: Vec<String>,
    pub specialty: Option<String>,
    pub decision_date: Option<String>,
    pub score: f32,
    /// A passage of the rationale around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// The answer to a search. Field names are a public interface.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    /// Items matching, over all pages.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Per facet, per path (without the leading '/'), matching items.
    pub facets: FacetTable,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// One row of `stats`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatsRow {
    pub value: String,
    pub count: u64,
    pub upheld: u64,
    pub overturned: u64,
    /// overturned / (upheld + overturned); null when neither.
    pub overturn_rate: Option<f64>,
}

/// The answer to `stats`.
#[derive(Debug, Clone, Serialize)]
pub struct StatsResponse {
    pub query: String,
    pub by: String,
    pub total: usize,
    pub rows: Vec<StatsRow>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// A query with its filters, the query alone (for snippets), and what loose
/// guideline names matched.
struct CompiledQuery {
    filtered: Box<dyn Query>,
    user: Box<dyn Query>,
    guideline_matches: Vec<GuidelineMatch>,
    /// The score of every item `filtered` matches, when it has no words to rank by.
    constant_score: Option<Score>,
}

/// An open index, ready to answer.
pub struct Engine {
    pub schema: IndexSchema,
    pub synonyms: Synonyms,
    pub index: tantivy::Index,
    pub reader: IndexReader,
    pub pointer: Pointer,
    /// Facet codes kept in memory for the searches after the first.
    decoded_codes: Arc<facets::DecodedCodes>,
}

/// The document frequency from which `similar` leaves a word out: words in more
/// than a tenth of the items (and over a thousand) say little of what a rationale
/// is about, and a query of them reads most of the index.
fn common_words_from(items: u64) -> u64 {
    (items / 10).max(1_000)
}

/// The score of every item when no words rank them (filters alone, `*`), as
/// tantivy's `AllQuery` scores them.
const UNRANKED_SCORE: Score = 1.0;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;

impl Engine {
    /// Opens the live generation of the index at `home`.
    pub fn open(home: &IndexHome) -> Result<Engine, SearchError> {
        Engine::open_with_schema(home, IndexSchema::embedded())
    }

    /// Opens the live generation of an index built with `schema` rather than the
    /// compiled-in one.
    pub fn open_with_schema(home: &IndexHome, schema: IndexSchema) -> Result<Engine, SearchError> {
        let (index, reader, pointer) = home.open(&schema)?;
        Ok(Engine {
            schema,
            synonyms: Synonyms::embedded(),
            index,
            reader,
            pointer,
            decoded_codes: Arc::default(),
        })
    }

    /// Parses and compiles `text`, and adds the filters.
    fn full_query(&self, text: &str, filters: &Filters) -> Result<CompiledQuery, SearchError> {
        let node = query::parse(text, &self.scopes()).map_err(|error| SearchError::Query {
            query: text.to_string(),
            error,
        })?;
        let filters = self.filter_clauses(filters)?;
        let user = self.compile(&node, !filters.clauses.is_empty())?;
        // No words ask for every item: filters alone say which, without
        // intersecting every item with them (a step per item, scoring nothing).
        let words = (node != query::Node::All).then(|| user.box_clone());
        let constant_score = words.is_none().then_some(UNRANKED_SCORE);
        Ok(CompiledQuery {
            filtered: self.with_filters(words, filters.clauses),
            user,
            guideline_matches: filters.guideline_matches,
            constant_score,
        })
    }

    /// `query` with every filter as a clause that must match and scores nothing.
    /// Without a query, every item the filters keep, scored [`UNRANKED_SCORE`] as
    /// `*` scores it.
    fn with_filters(
        &self,
        query: Option<Box<dyn Query>>,
        filters: Vec<Box<dyn Query>>,
    ) -> Box<dyn Query> {
        let clause = |filter| {
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter, 0.0)) as _,
            )
        };
        match query {
            Some(query) if filters.is_empty() => query,
            Some(query) => {
                let mut clauses = vec![(Occur::Must, query)];
                clauses.extend(filters.into_iter().map(clause));
                Box::new(BooleanQuery::new(clauses))
            }
            None if filters.is_empty() => Box::new(AllQuery),
            None => Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(filters.into_iter().map(clause).collect())),
                UNRANKED_SCORE,
            )),
        }
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let compiled = self.full_query(&request.query, &request.filters)?;
        self.answer(request, compiled, None)
    }

    /// Items whose rationale is most like item `id`'s, with the search's filters.
    pub fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<SearchResponse, SearchError> {
        let searcher = self.reader.searcher();
        let (_, doc) = self.find(&searcher, id)?;
        let rationale = text_of(&doc, self.schema.fields.rationale).unwrap_or_default();
        let treatment = text_of(&doc, self.schema.fields.treatment).unwrap_or_default();
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_max_doc_frequency(common_words_from(searcher.num_docs()))
            .with_document_fields(vec![
                (
                    self.schema.fields.rationale,
                    vec![OwnedValue::Str(rationale)],
                ),
                (
                    self.schema.fields.treatment,
                    vec![OwnedValue::Str(treatment)],
                ),
            ]);
        let filters = self.filter_clauses(&request.filters)?;
        let not_itself: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(self.schema.fields.id, id),
            IndexRecordOption::Basic,
        ));
        let like: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::MustNot, not_itself),
        ]));
        let compiled = CompiledQuery {
            filtered: self.with_filters(Some(like.box_clone()), filters.clauses),
            user: like,
            guideline_matches: filters.guideline_matches,
            constant_score: None,
        };
        self.answer(request, compiled, Some(format!("similar to {id}")))
    }

    fn answer(
        &self,
        request: &SearchRequest,
        compiled: CompiledQuery,
        label: Option<String>,
    ) -> Result<SearchResponse, SearchError> {
        let CompiledQuery {
            filtered: query,
            user: user_query,
            guideline_matches,
            constant_score,
        } = compiled;
        let searcher = self.reader.searcher();
        let wanted = request.offset + request.limit;
        let fetch = if request.group_by_letter {
            wanted.saturating_mul(5).max(50)
        } else {
            request.limit
        };
        let offset = if request.group_by_letter {
            0
        } else {
            request.offset
        };
        // One pass over the matching items collects the total, the best items and
        // every facet's counts.
        let mut pass = ItemPass {
            always_score: constant_score.is_none(),
            constant_score,
            ..ItemPass::default()
        };
        let top = match (fetch, request.sort) {
            (0, _) => None,
            (_, Sort::Relevance) => {
                pass.top = Some(BestItems {
                    limit: fetch,
                    offset,
                });
                Some(Top::Relevance)
            }
            (_, Sort::Date) => Some(Top::Date(
                pass.others
                    .get_or_insert_with(MultiCollector::new)
                    .add_collector(
                        TopDocs::with_limit(fetch)
                            .and_offset(offset)
                            .order_by_fast_field::<tantivy::DateTime>("decision_date", Order::Desc),
                    ),
            )),
        };
        let facet_plan = self.plan_facets(&request.facets, &mut pass)?;
        let mut fruit = searcher.search(&*query, &pass)?;
        let total = fruit.total;
        let addresses: Vec<(f32, DocAddress)> = match top {
            None => Vec::new(),
            Some(Top::Relevance) => std::mem::take(&mut fruit.top),
            Some(Top::Date(handle)) => fruit
                .others
                .as_mut()
                .map(|others| handle.extract(others))
                .unwrap_or_default()
                .into_iter()
                .map(|(_, address)| (0.0, address))
                .collect(),
        };
        let facets = facet_plan.counts(&mut fruit);
        let snippets =
            SnippetGenerator::create(&searcher, &*user_query, self.schema.fields.rationale)
                .map(|mut g| {
                    g.set_max_num_chars(SNIPPET_CHARS);
                    g
                })
                .ok();
        let mut hits = Vec::new();
        let mut letters_seen = std::collections::HashSet::new();
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if request.group_by_letter {
                let letter = text_of(&doc, self.schema.fields.letter_id).unwrap_or_default();
                if !letters_seen.insert(letter) {
                    continue;
                }
            }
            hits.push(self.hit(&doc, score, snippets.as_ref()));
        }
        if request.group_by_letter {
            hits = hits
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect();
        }
        Ok(SearchResponse {
            query: label.unwrap_or_else(|| request.query.clone()),
            total,
            hits,
            facets,
            guideline_matches,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: Option<&SnippetGenerator>) -> Hit {
        let f = &self.schema.fields;
        // Stored facets come back encoded; decode them to paths.
        let facets = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_facet())
                .filter_map(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
                .map(|facet| facet.to_path_string())
                .collect()
        };
        let strip = |path: &str| path.trim_start_matches('/').to_string();
        let category_path = facets(f.category).into_iter().next();
        let mut category_parts = category_path
            .as_deref()
            .map(|p| p.trim_start_matches('/').splitn(2, '/'));
        let category = category_parts
            .as_mut()
            .and_then(|p| p.next())
            .map(str::to_string);
        let drug_class = category_parts
            .as_mut()
            .and_then(|p| p.next())
            .map(str::to_string);
        let (snippet, highlights) = match snippets {
            Some(generator) => {
                let snippet = generator.snippet_from_doc(doc);
                let highlights = snippet
                    .highlighted()
                    .iter()
                    .map(|r| (r.start, r.end))
                    .collect();
                (snippet.fragment().to_string(), highlights)
            }
            None => (String::new(), Vec::new()),
        };
        let snippet = if snippet.is_empty() {
            text_of(doc, f.rationale)
                .map(|r| r.chars().take(SNIPPET_CHARS).collect())
                .unwrap_or_default()
        } else {
            snippet
        };
        Hit {
            id: text_of(doc, f.id).unwrap_or_default(),
            source: text_of(doc, f.source).unwrap_or_default(),
            case_number: text_of(doc, f.case),
            item: doc.get_first(f.item).and_then(|v| v.as_u64()),
            treatment: text_of(doc, f.treatment),
            decision: facets(f.decision).first().map(|p| strip(p)),
            category,
            drug_class,
            body_regions: facets(f.region).iter().map(|p| strip(p)).collect(),
            guidelines: facets(f.guideline_path),
            claims_guidelines: facets(f.claims_guideline),
            specialty: facets(f.specialty).first().map(|p| strip(p)),
            decision_date: doc
                .get_first(f.decision_date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|d| d.format("%Y-%m-%d").to_string()),
            score,
            snippet,
            highlights,
        }
    }

    /// How many items `query` matches, and the counts of every path of each facet
    /// over them, in one pass without scoring.
    pub fn facet_counts(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        facets: &[String],
    ) -> Result<(usize, FacetTable), SearchError> {
        let mut pass = ItemPass::default();
        let plan = self.plan_facets(facets, &mut pass)?;
        let mut fruit = searcher.search(query, &pass)?;
        Ok((fruit.total, plan.counts(&mut fruit)))
    }

    /// For each value of facet `by` over the items matching, the count and outcomes.
    pub fn stats(
        &self,
        query_text: &str,
        filters: &Filters,
        by: &str,
    ) -> Result<StatsResponse, SearchError> {
        let CompiledQuery {
            filtered: query,
            guideline_matches,
            ..
        } = self.full_query(query_text, filters)?;
        let searcher = self.reader.searcher();
        let counts = match self.coded_outcome_counts(&searcher, &*query, by)? {
            Some(counts) => counts,
            None => match self.uncoded_outcome_counts(&searcher, &*query, by)? {
                Some(counts) => counts,
                None => self.outcome_counts(&searcher, &*query, by)?,
            },
        };
        let stats::OutcomeCounts {
            total,
            all,
            upheld,
            overturned,
        } = counts;
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
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        Ok(StatsResponse {
            query: query_text.to_string(),
            by: by.to_string(),
            total,
            rows,
            guideline_matches,
        })
    }

    /// `stats`'s counts from the facet column: a pass for all, one per outcome.
    fn outcome_counts(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        by: &str,
    ) -> Result<stats::OutcomeCounts, SearchError> {
        let facets = [by.to_string()];
        let (total, mut all) = self.facet_counts(searcher, query, &facets)?;
        let by_outcome = |outcome: &str| -> Result<BTreeMap<String, u64>, SearchError> {
            let narrowed = self.with_filters(
                Some(query.box_clone()),
                vec![self.facet_query("decision", outcome)?],
            );
            Ok(self
                .facet_counts(searcher, &*narrowed, &facets)?
                .1
                .remove(by)
                .unwrap_or_default())
        };
        Ok(stats::OutcomeCounts {
            total,
            all: all.remove(by).unwrap_or_default(),
            upheld: by_outcome("upheld")?,
            overturned: by_outcome("overturned")?,
        })
    }

    /// The letter holding item (or letter) `id`, and the item's index in it.
    pub fn show(&self, id: &str) -> Result<(Letter, Option<usize>), SearchError> {
        let searcher = self.reader.searcher();
        let (_, doc) = self.find(&searcher, id)?;
        let f = &self.schema.fields;
        let item = doc
            .get_first(f.item)
            .and_then(|v| v.as_u64())
            .map(|i| i as usize);
        let letter_id = text_of(&doc, f.letter_id).unwrap_or_default();
        let record = match text_of(&doc, f.record) {
            Some(record) => record,
            None => {
                let query = TermQuery::new(
                    Term::from_field_text(f.letter_id, &letter_id),
                    IndexRecordOption::Basic,
                );
                let docs = searcher.search(&query, &TopDocs::with_limit(1000))?;
                docs.into_iter()
                    .filter_map(|(_, a)| searcher.doc::<TantivyDocument>(a).ok())
                    .find_map(|d| text_of(&d, f.record))
                    .ok_or_else(|| SearchError::NotFound(id.to_string()))?
            }
        };
        let letter: Letter = serde_json::from_str(&record).map_err(|e| {
            SearchError::BadValue(format!("stored record of {id} is not valid: {e}"))
        })?;
        Ok((letter, item))
    }

    fn find(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<(DocAddress, TantivyDocument), SearchError> {
        let query = TermQuery::new(
            Term::from_field_text(self.schema.fields.id, id),
            IndexRecordOption::Basic,
        );
        let (_, address) = searcher
            .search(&query, &TopDocs::with_limit(1))?
            .into_iter()
            .next()
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        Ok((address, searcher.doc(address)?))
    }
}

/// The best items' collector of a search, as its sort asks.
enum Top {
    Relevance,
    Date(FruitHandle<Vec<(tantivy::DateTime, DocAddress)>>),
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}
