//! An open index answering questions: searches with filters, facet counts and
//! snippets, outcome statistics, one item in full, and similar rationales. The
//! engine owns the index reader; what a question means is the
//! [`QueryCompiler`]'s.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::collector::{DocSetCollector, FruitHandle, MultiCollector, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, IndexReader, Order, Searcher, SegmentReader, TantivyDocument, Term};

use super::collect::{BestItems, MatchCollector};
use super::compiler::{with_filters, CompiledQuery};
use super::facet_counts::{count_facets, FacetPlan};
use super::response::{stored_text, SNIPPET_CHARS};
use super::stats::outcome_counts;
use super::{
    FacetTable, Filters, Hit, QueryCompiler, SearchError, SearchRequest, SearchResponse,
    ShownLetter, Sort, StatsResponse, StatsRow,
};
use crate::index::codes::cache::DecodedCodes;
use crate::index::{IndexDir, IndexSchema, Synonyms};
use crate::model::Letter;

/// The document frequency from which `similar` leaves a word out: words in more
/// than a tenth of the items (and over a thousand) say little of what a rationale
/// is about, and a query of them reads most of the index.
fn common_words_from(items: u64) -> u64 {
    (items / 10).max(1_000)
}

/// Most documents `show` reads to find the one holding a letter's record.
const LETTER_DOCUMENTS_READ: usize = 1_000;

/// An open index, ready to answer.
pub struct Engine {
    compiler: QueryCompiler,
    index: tantivy::Index,
    reader: IndexReader,
    /// The generation open, as the manifest named it.
    generation: String,
    /// Facet codes kept in memory for the searches after the first.
    decoded_codes: Arc<DecodedCodes>,
}

/// Where a search's best items come from, as its sort asks.
enum BestHits {
    /// The match collector's own best items by score.
    ByRelevance,
    /// A tantivy collector of the newest decisions, riding in the pass.
    ByDate(FruitHandle<Vec<(tantivy::DateTime, DocAddress)>>),
}

impl Engine {
    /// Opens the live generation of the index at `index_dir`.
    pub fn open(index_dir: &IndexDir) -> Result<Engine, SearchError> {
        Engine::open_with_schema(index_dir, IndexSchema::embedded())
    }

    /// Opens the live generation of an index built with `schema` rather than the
    /// compiled-in one.
    pub fn open_with_schema(
        index_dir: &IndexDir,
        schema: IndexSchema,
    ) -> Result<Engine, SearchError> {
        let (index, reader, manifest) = index_dir.open(&schema)?;
        let pair_words = schema.pair_words(&manifest.common_words);
        let compiler = QueryCompiler::new(
            schema,
            Synonyms::embedded(),
            index.tokenizers().clone(),
            manifest.facet_codes,
            pair_words,
        );
        Ok(Engine {
            compiler,
            index,
            reader,
            generation: manifest.generation,
            decoded_codes: Arc::default(),
        })
    }

    /// What questions mean in this index.
    pub fn compiler(&self) -> &QueryCompiler {
        &self.compiler
    }

    /// The index schema.
    pub fn schema(&self) -> &IndexSchema {
        self.compiler.schema()
    }

    /// The tantivy index open.
    pub fn index(&self) -> &tantivy::Index {
        &self.index
    }

    /// A searcher over the generation's segments.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The generation open (`gen-000001`).
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// Counts every facet from its facet column, not its codes: what the codes are
    /// checked against.
    pub fn without_facet_codes(mut self) -> Engine {
        self.compiler.forget_facet_codes();
        self
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let searcher = self.reader.searcher();
        let compiled =
            self.compiler
                .compile_request(&searcher, &request.query, &request.filters)?;
        self.answer(&searcher, request, compiled, None)
    }

    /// Items whose rationale is most like item `id`'s, with the search's filters.
    pub fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<SearchResponse, SearchError> {
        let searcher = self.reader.searcher();
        let (_, doc) = self.find(&searcher, id)?;
        let fields = &self.schema().fields;
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_max_doc_frequency(common_words_from(searcher.num_docs()))
            .with_document_fields(
                [fields.rationale, fields.treatment]
                    .into_iter()
                    .map(|field| {
                        let text = stored_text(&doc, field).unwrap_or_default();
                        (field, vec![OwnedValue::Str(text)])
                    })
                    .collect(),
            );
        let not_itself: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(fields.id, id),
            IndexRecordOption::Basic,
        ));
        let like: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::MustNot, not_itself),
        ]));
        let filters = self
            .compiler
            .filter_clauses(&searcher, &request.filters, false)?;
        let compiled = CompiledQuery {
            filtered: with_filters(Some(like.box_clone()), filters.clauses),
            words: like,
            guideline_matches: filters.guideline_matches,
            constant_score: None,
        };
        self.answer(
            &searcher,
            request,
            compiled,
            Some(format!("similar to {id}")),
        )
    }

    /// One pass over the items `compiled` matches: the total, the page of hits
    /// and the facet counts.
    fn answer(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        compiled: CompiledQuery,
        label: Option<String>,
    ) -> Result<SearchResponse, SearchError> {
        let mut collector = MatchCollector {
            always_score: compiled.constant_score.is_none(),
            constant_score: compiled.constant_score,
            ..MatchCollector::default()
        };
        let best = best_hits(request, &mut collector);
        let decoded = self.live_decoded_codes(searcher);
        let facets = FacetPlan::new(
            &self.compiler,
            searcher,
            decoded,
            &request.facets,
            &mut collector,
        )?;
        let mut collected = searcher.search(&*compiled.filtered, &collector)?;
        let addresses: Vec<(f32, DocAddress)> = match best {
            None => Vec::new(),
            Some(BestHits::ByRelevance) => std::mem::take(&mut collected.top),
            Some(BestHits::ByDate(handle)) => collected
                .others
                .as_mut()
                .map(|others| handle.extract(others))
                .unwrap_or_default()
                .into_iter()
                .map(|(_, address)| (0.0, address))
                .collect(),
        };
        let total = collected.total;
        let facets = facets.counts(&mut collected);
        let hits = self.hits(searcher, request, &*compiled.words, addresses)?;
        Ok(SearchResponse {
            query: label.unwrap_or_else(|| request.query.clone()),
            total,
            hits,
            facets,
            guideline_matches: compiled.guideline_matches,
        })
    }

    /// The hits at `addresses`, with snippets of the rationale around what `words`
    /// match; one per letter, and the page cut, when the request groups by letter.
    fn hits(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        words: &dyn Query,
        addresses: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let fields = &self.schema().fields;
        let snippet_chars = request.snippet_chars.unwrap_or(SNIPPET_CHARS);
        let snippets = SnippetGenerator::create(searcher, words, fields.rationale)
            .map(|mut generator| {
                generator.set_max_num_chars(snippet_chars);
                generator
            })
            .ok();
        let mut hits = Vec::new();
        let mut letters_seen = HashSet::new();
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if request.group_by_letter {
                let letter = stored_text(&doc, fields.letter_id).unwrap_or_default();
                if !letters_seen.insert(letter) {
                    continue;
                }
            }
            hits.push(Hit::from_stored(
                &doc,
                fields,
                score,
                snippets.as_ref(),
                snippet_chars,
            ));
        }
        if request.group_by_letter {
            hits = hits
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect();
        }
        Ok(hits)
    }

    /// Hands every item `request` matches to `each`, in the order of the index
    /// (newest decision first when sorted by date), without snippets: an export,
    /// not a page. The items are found first, then read one at a time.
    pub fn each_match<E: From<SearchError>>(
        &self,
        request: &SearchRequest,
        mut each: impl FnMut(Hit) -> Result<(), E>,
    ) -> Result<(), E> {
        let searcher = self.reader.searcher();
        let compiled =
            self.compiler
                .compile_request(&searcher, &request.query, &request.filters)?;
        let mut addresses: Vec<DocAddress> = searcher
            .search(&*compiled.filtered, &DocSetCollector)
            .map_err(SearchError::from)?
            .into_iter()
            .collect();
        addresses.sort();
        if request.sort == Sort::Date {
            let dates = self.decision_dates(&searcher, &addresses)?;
            let mut dated: Vec<(Option<i64>, DocAddress)> =
                dates.into_iter().zip(addresses).collect();
            // Newest first; undated last, each kept in index order.
            dated.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
            addresses = dated.into_iter().map(|(_, address)| address).collect();
        }
        let fields = &self.schema().fields;
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(SearchError::from)?;
            each(Hit::from_stored(&doc, fields, 0.0, None, 0))?;
        }
        Ok(())
    }

    /// The decision date of each document at `addresses` (seconds), from the
    /// fast field.
    fn decision_dates(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<Option<i64>>, SearchError> {
        let name = self
            .schema()
            .schema
            .get_field_name(self.schema().fields.decision_date);
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            columns.push(segment.fast_fields().date(name).ok());
        }
        Ok(addresses
            .iter()
            .map(|address| {
                columns
                    .get(address.segment_ord as usize)
                    .and_then(Option::as_ref)
                    .and_then(|column| column.first(address.doc_id))
                    .map(|date| date.into_timestamp_secs())
            })
            .collect())
    }

    /// How many items `query` matches, and the counts of every path of each facet
    /// over them, in one pass without scoring.
    pub fn facet_counts(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        facets: &[String],
    ) -> Result<(usize, FacetTable), SearchError> {
        let decoded = self.live_decoded_codes(searcher);
        count_facets(&self.compiler, searcher, decoded, query, facets)
    }

    /// Every path (and ancestor) of a facet in the index.
    pub fn facet_paths(
        &self,
        facet: &str,
    ) -> Result<std::collections::BTreeSet<String>, SearchError> {
        self.compiler.facet_paths(&self.reader.searcher(), facet)
    }

    /// For each value of facet `by` over the items matching, the count and outcomes.
    pub fn stats(
        &self,
        query_text: &str,
        filters: &Filters,
        by: &str,
    ) -> Result<StatsResponse, SearchError> {
        let searcher = self.reader.searcher();
        let compiled = self
            .compiler
            .compile_request(&searcher, query_text, filters)?;
        let decoded = self.live_decoded_codes(&searcher);
        let counts = outcome_counts(&self.compiler, &searcher, decoded, &*compiled.filtered, by)?;
        Ok(StatsResponse {
            query: query_text.to_string(),
            by: by.to_string(),
            total: counts.total,
            rows: StatsRow::from_counts(by, &counts.all, &counts.upheld, &counts.overturned),
            guideline_matches: compiled.guideline_matches,
        })
    }

    /// The letters `reference` names, as `show` takes it: an item's id (its
    /// letter, and which item), a letter's id, a case number (every letter of the
    /// case), or a letter's file (its path as indexed, or as given from here).
    pub fn show(&self, reference: &str) -> Result<Vec<ShownLetter>, SearchError> {
        let searcher = self.reader.searcher();
        let fields = &self.schema().fields;
        let reference = reference.trim();
        if let Ok((_, doc)) = self.find(&searcher, reference) {
            let item = doc
                .get_first(fields.item)
                .and_then(|v| tantivy::schema::Value::as_u64(&v))
                .map(|i| i as usize);
            let letter_id = stored_text(&doc, fields.letter_id).unwrap_or_default();
            let mut shown = self.letter(&searcher, &letter_id)?;
            shown.item = item;
            return Ok(vec![shown]);
        }
        let by_letter = self.letters_with(&searcher, fields.letter_id, reference)?;
        if !by_letter.is_empty() {
            return Ok(by_letter);
        }
        let by_case = self.letters_with(&searcher, fields.case, &reference.to_lowercase())?;
        if !by_case.is_empty() {
            return Ok(by_case);
        }
        let path = std::fs::canonicalize(reference)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| reference.to_string());
        let by_file = self.letters_with(&searcher, fields.source, &path)?;
        if !by_file.is_empty() {
            return Ok(by_file);
        }
        Err(SearchError::NotFound(reference.to_string()))
    }

    /// The letters of the documents whose `field` is `value`, each once, in the
    /// order of the index.
    fn letters_with(
        &self,
        searcher: &Searcher,
        field: tantivy::schema::Field,
        value: &str,
    ) -> Result<Vec<ShownLetter>, SearchError> {
        let query = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let fields = &self.schema().fields;
        let mut seen = HashSet::new();
        let mut letters = Vec::new();
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let letter_id = stored_text(&doc, fields.letter_id).unwrap_or_default();
            if seen.insert(letter_id.clone()) {
                letters.push(self.letter(searcher, &letter_id)?);
            }
        }
        Ok(letters)
    }

    /// Letter `letter_id`, from the record stored with it.
    fn letter(&self, searcher: &Searcher, letter_id: &str) -> Result<ShownLetter, SearchError> {
        let record = self
            .letter_record(searcher, letter_id)?
            .ok_or_else(|| SearchError::NotFound(letter_id.to_string()))?;
        let letter: Letter = serde_json::from_str(&record).map_err(|e| {
            SearchError::BadValue(format!("stored record of {letter_id} is not valid: {e}"))
        })?;
        Ok(ShownLetter {
            id: letter_id.to_string(),
            letter,
            item: None,
        })
    }

    /// The record stored with letter `letter_id`'s first document.
    fn letter_record(
        &self,
        searcher: &Searcher,
        letter_id: &str,
    ) -> Result<Option<String>, SearchError> {
        let fields = &self.schema().fields;
        let query = TermQuery::new(
            Term::from_field_text(fields.letter_id, letter_id),
            IndexRecordOption::Basic,
        );
        let docs = searcher.search(&query, &TopDocs::with_limit(LETTER_DOCUMENTS_READ))?;
        Ok(docs
            .into_iter()
            .filter_map(|(_, address)| searcher.doc::<TantivyDocument>(address).ok())
            .find_map(|doc| stored_text(&doc, fields.record)))
    }

    /// The document of item (or letter) `id`.
    fn find(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<(DocAddress, TantivyDocument), SearchError> {
        let query = TermQuery::new(
            Term::from_field_text(self.schema().fields.id, id),
            IndexRecordOption::Basic,
        );
        let (_, address) = searcher
            .search(&query, &TopDocs::with_limit(1))?
            .into_iter()
            .next()
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        Ok((address, searcher.doc(address)?))
    }

    /// The engine's decoded codes, without those of segments `searcher` no longer
    /// reads.
    fn live_decoded_codes(&self, searcher: &Searcher) -> Arc<DecodedCodes> {
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.decoded_codes.keep_only(&live);
        self.decoded_codes.clone()
    }
}

/// Sets `collector` to gather the request's page of best items, as its sort
/// asks; none when no hit is wanted.
fn best_hits(request: &SearchRequest, collector: &mut MatchCollector<'_>) -> Option<BestHits> {
    // A page grouped by letter is cut after grouping, from more items than it shows.
    let (fetch, offset) = if request.group_by_letter {
        let wanted = request.offset + request.limit;
        (wanted.saturating_mul(5).max(50), 0)
    } else {
        (request.limit, request.offset)
    };
    match (fetch, request.sort) {
        (0, _) => None,
        (_, Sort::Relevance) => {
            collector.top = Some(BestItems {
                limit: fetch,
                offset,
            });
            Some(BestHits::ByRelevance)
        }
        (_, Sort::Date) => Some(BestHits::ByDate(
            collector
                .others
                .get_or_insert_with(MultiCollector::new)
                .add_collector(
                    TopDocs::with_limit(fetch)
                        .and_offset(offset)
                        .order_by_fast_field::<tantivy::DateTime>("decision_date", Order::Desc),
                ),
        )),
    }
}
