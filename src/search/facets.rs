//! Facet counts over every matching item, collected in the search's one pass: coded
//! facets (see `index::codes`) from one number per item, the others with tantivy's
//! facet collectors.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::collector::{
    Collector, Count, FacetCollector, FacetCounts, FruitHandle, MultiCollector, SegmentCollector,
};
use tantivy::columnar::{Cardinality, ColumnValues};
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::collect::{ItemPass, ItemPassFruit};
use super::{Engine, SearchError};
use crate::index::codes::{counts_by_path, CodeKind, CodeTable, Unpacker};
use crate::index::schema::FACET_CODES;

/// Per facet, per path (without the leading '/'), matching items.
pub type FacetTable = BTreeMap<String, BTreeMap<String, u64>>;

/// A facet collector counting one depth's paths, with the parents whose children
/// it counts.
type DepthCollector = (FruitHandle<FacetCounts>, Vec<String>);

/// The facet collectors added to a search.
#[derive(Default)]
pub(super) struct FacetPlan {
    /// The coded facets, each with its table, in the order their counts come.
    coded: Vec<(String, CodeTable)>,
    /// Per uncoded facet, each collector with the parent paths whose children it
    /// counts.
    uncoded: Vec<(String, Vec<DepthCollector>)>,
}

impl Engine {
    /// Adds to `pass` the collectors counting every path of each of `facets`.
    pub(super) fn plan_facets(
        &self,
        facets: &[String],
        pass: &mut ItemPass<'_>,
    ) -> Result<FacetPlan, SearchError> {
        let mut plan = FacetPlan::default();
        let mut coded = CodedCounts {
            tables: Vec::new(),
            decoded: self.live_decoded_codes(),
        };
        for name in facets {
            let spec = self.facet_spec(name)?;
            let table = self.pointer.facet_codes.get(name);
            if let (Some(table), Some(_)) = (table, self.schema.codes_field()) {
                coded.tables.push(table.clone());
                plan.coded.push((name.clone(), table.clone()));
                continue;
            }
            let mut collectors = Vec::new();
            // A facet collector counts the children of facets none of which is
            // below another, so each depth gets its own.
            for parents in parents_by_depth(&self.facet_paths(name)?) {
                let mut collector = FacetCollector::for_field(&spec.name);
                for parent in &parents {
                    collector.add_facet(
                        Facet::from_text(parent)
                            .map_err(|e| SearchError::BadValue(e.to_string()))?,
                    );
                }
                let others = pass.others.get_or_insert_with(MultiCollector::new);
                collectors.push((others.add_collector(collector), parents));
            }
            plan.uncoded.push((name.clone(), collectors));
        }
        if !coded.tables.is_empty() {
            pass.coded = Some(coded);
        }
        Ok(plan)
    }
}

impl FacetPlan {
    /// Per facet, per path (without the leading '/'), matching items.
    pub(super) fn counts(self, fruit: &mut ItemPassFruit) -> FacetTable {
        let mut counts = BTreeMap::new();
        let by_codes = fruit.coded.take().unwrap_or_default();
        for ((name, table), by_code) in self.coded.into_iter().zip(by_codes) {
            counts.insert(name, counts_by_path(&table, &by_code));
        }
        // Uncoded facets' collectors ride in the pass's other collectors.
        let Some(fruits) = fruit.others.as_mut() else {
            return counts;
        };
        for (name, collectors) in self.uncoded {
            let mut values = BTreeMap::new();
            for (handle, parents) in collectors {
                let found = handle.extract(fruits);
                for parent in &parents {
                    for (facet, count) in found.get(parent.as_str()) {
                        values.insert(
                            facet.to_path_string().trim_start_matches('/').to_string(),
                            count,
                        );
                    }
                }
            }
            counts.insert(name, values);
        }
        counts
    }
}

/// Counts the codes of coded facets: per facet, items by code (or by bit).
pub(super) struct CodedCounts {
    tables: Vec<CodeTable>,
    /// The engine's decoded codes, kept from one search to the next.
    decoded: Arc<DecodedCodes>,
}

/// One segment's share of [`CodedCounts`].
pub(super) struct CodedSegmentCounts {
    codes: PackedCodes,
    /// Per facet, its kind of code, where the code is, and its counters.
    facets: Vec<(CodeKind, Unpacker, Vec<u64>)>,
}

impl Collector for CodedCounts {
    type Fruit = Vec<Vec<u64>>;
    type Child = CodedSegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CodedSegmentCounts> {
        let codes = self.decoded.of(reader)?;
        let facets = self
            .tables
            .iter()
            .map(|table| (table.kind, table.unpacker(), vec![0; table.slots()]))
            .collect();
        Ok(CodedSegmentCounts { codes, facets })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<Vec<u64>>>) -> tantivy::Result<Vec<Vec<u64>>> {
        Ok(sum_counters(segments))
    }
}

impl SegmentCollector for CodedSegmentCounts {
    type Fruit = Vec<Vec<u64>>;

    // Scored items come one at a time. Gathering them into blocks to read their
    // codes with one call took 0.9% more instructions over the served mix.
    fn collect(&mut self, doc: DocId, _: Score) {
        count_all(&mut self.facets, self.codes.of_item(doc));
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let facets = &mut self.facets;
        self.codes
            .for_each(docs, |packed| count_all(facets, packed));
    }

    fn harvest(self) -> Vec<Vec<u64>> {
        self.facets
            .into_iter()
            .map(|(_, _, counts)| counts)
            .collect()
    }
}

/// Counts each facet's code in `packed`.
fn count_all(facets: &mut [(CodeKind, Unpacker, Vec<u64>)], packed: u64) {
    for (kind, unpacker, counts) in facets {
        count_code(*kind, unpacker.unpack(packed), counts);
    }
}

/// A segment's packed codes, by document number: read from the fast field, or from
/// memory once decoded (see [`DecodedCodes`]).
enum PackedCodes {
    Column {
        column: Arc<dyn ColumnValues<u64>>,
        /// The codes of a block of items (tantivy hands over up to 64 at once when
        /// nothing needs scores), read with one call to the column.
        block: Vec<u64>,
    },
    Decoded(Arc<[u32]>),
}

impl PackedCodes {
    fn of(reader: &SegmentReader) -> tantivy::Result<PackedCodes> {
        // Every item has its codes.
        let column = every_document_column(reader, FACET_CODES)?;
        Ok(PackedCodes::read(column))
    }

    fn read(column: Arc<dyn ColumnValues<u64>>) -> PackedCodes {
        PackedCodes::Column {
            column,
            block: Vec::new(),
        }
    }

    fn of_item(&self, doc: DocId) -> u64 {
        match self {
            PackedCodes::Column { column, .. } => column.get_val(doc),
            // A document number is below the segment's, the length of its codes.
            PackedCodes::Decoded(codes) => codes.get(doc as usize).copied().unwrap_or(0) as u64,
        }
    }

    fn for_each(&mut self, docs: &[DocId], mut each: impl FnMut(u64)) {
        match self {
            PackedCodes::Column { column, block } => {
                block.resize(docs.len(), 0);
                column.get_vals(docs, block);
                for &packed in block.iter() {
                    each(packed);
                }
            }
            PackedCodes::Decoded(codes) => {
                for &doc in docs {
                    each(codes.get(doc as usize).copied().unwrap_or(0) as u64);
                }
            }
        }
    }
}

/// Each segment's packed codes, decoded into memory the second time a search counts
/// them, for the searches an open engine answers after. Reading an item's codes
/// from the fast field is a dynamic call and bit unpacking, about 30 instructions
/// an item; from memory, an index. Decoding a whole segment costs more than
/// counting a rare word's items once, so a process that searches once does not
/// decode. Codes are kept in 32 bits (the vocabularies' take 26), 4 bytes per
/// document: kept in 64, the codes of a 1M-letter index (19 MB) no longer stayed
/// in the processor's cache, and a word matching 5% of the items, whose codes are
/// read far apart, took a third longer than from the fast field. Codes wider than
/// 32 bits stay in the fast field.
#[derive(Default)]
pub(super) struct DecodedCodes {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentCodes>>>,
}

/// What [`DecodedCodes`] knows of one segment.
#[derive(Default)]
struct SegmentCodes {
    counted: AtomicBool,
    codes: OnceLock<Arc<[u32]>>,
}

impl DecodedCodes {
    /// The codes of `reader`'s segment: decoded if they were counted before.
    fn of(&self, reader: &SegmentReader) -> tantivy::Result<PackedCodes> {
        let segment = {
            let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
            segments.entry(reader.segment_id()).or_default().clone()
        };
        if let Some(codes) = segment.codes.get() {
            return Ok(PackedCodes::Decoded(codes.clone()));
        }
        if !segment.counted.swap(true, Ordering::Relaxed) {
            return PackedCodes::of(reader);
        }
        let column = every_document_column(reader, FACET_CODES)?;
        if u32::try_from(column.max_value()).is_err() {
            return Ok(PackedCodes::read(column));
        }
        let codes = segment.codes.get_or_init(|| {
            let mut codes = vec![0; reader.max_doc() as usize];
            column.get_range(0, &mut codes);
            // Every code fits, as the column's largest does.
            codes.into_iter().map(|code| code as u32).collect()
        });
        Ok(PackedCodes::Decoded(codes.clone()))
    }

    /// Forgets the segments that are not among `live` (merged away, or deleted by
    /// a rebuild).
    fn keep_only(&self, live: &[SegmentId]) {
        let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
        segments.retain(|segment, _| live.contains(segment));
    }
}

/// The column `name` of a field every document has a value in, read by document
/// number, past the column's index of which documents have values.
pub(super) fn every_document_column(
    reader: &SegmentReader,
    name: &str,
) -> tantivy::Result<Arc<dyn ColumnValues<u64>>> {
    let column = reader.fast_fields().u64(name)?;
    Ok(match column.get_cardinality() {
        Cardinality::Full => column.values,
        _ => column.first_or_default_col(0),
    })
}

/// Counts one item's code (or each bit of its mask).
fn count_code(kind: CodeKind, code: u64, counts: &mut [u64]) {
    match kind {
        CodeKind::Code => {
            if let Some(count) = counts.get_mut(code as usize) {
                *count += 1;
            }
        }
        CodeKind::Mask => {
            let mut bits = code;
            while bits != 0 {
                if let Some(count) = counts.get_mut(bits.trailing_zeros() as usize) {
                    *count += 1;
                }
                bits &= bits - 1;
            }
        }
    }
}

/// Segments' counters added up, counter by counter.
fn sum_counters(segments: Vec<Vec<Vec<u64>>>) -> Vec<Vec<u64>> {
    let mut total: Vec<Vec<u64>> = Vec::new();
    for segment in segments {
        if total.is_empty() {
            total = segment;
            continue;
        }
        for (sums, counts) in total.iter_mut().zip(segment) {
            for (sum, count) in sums.iter_mut().zip(counts) {
                *sum += count;
            }
        }
    }
    total
}

/// Per path of one facet: the matching items, and those upheld and overturned.
pub(super) struct OutcomeCounts {
    pub total: usize,
    pub all: BTreeMap<String, u64>,
    pub upheld: BTreeMap<String, u64>,
    pub overturned: BTreeMap<String, u64>,
}

impl Engine {
    /// The engine's decoded codes, without those of segments no longer searched.
    fn live_decoded_codes(&self) -> Arc<DecodedCodes> {
        let live: Vec<SegmentId> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.decoded_codes.keep_only(&live);
        self.decoded_codes.clone()
    }

    /// `stats`'s counts in one pass, when facet `by` and the decision are both
    /// coded; none otherwise.
    pub(super) fn coded_outcome_counts(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        by: &str,
    ) -> Result<Option<OutcomeCounts>, SearchError> {
        let codes = &self.pointer.facet_codes;
        let (Some(by_table), Some(decision), Some(_)) = (
            codes.get(by),
            codes.get("decision"),
            self.schema.codes_field(),
        ) else {
            return Ok(None);
        };
        let code_of = |slug: &str| decision.paths.iter().position(|p| p == slug).map(|n| n + 1);
        let (CodeKind::Code, Some(upheld), Some(overturned)) =
            (decision.kind, code_of("upheld"), code_of("overturned"))
        else {
            return Ok(None);
        };
        let collector = (
            Count,
            ByOutcome {
                by: by_table.clone(),
                decision: decision.clone(),
                decoded: self.live_decoded_codes(),
            },
        );
        let (total, by_decision) = searcher.search(query, &collector)?;
        let mut all = vec![0; by_table.slots()];
        for counts in &by_decision {
            for (sum, count) in all.iter_mut().zip(counts) {
                *sum += count;
            }
        }
        let of_decision = |code: usize| {
            by_decision
                .get(code)
                .map(|counts| counts_by_path(by_table, counts))
                .unwrap_or_default()
        };
        Ok(Some(OutcomeCounts {
            total,
            all: counts_by_path(by_table, &all),
            upheld: of_decision(upheld),
            overturned: of_decision(overturned),
        }))
    }
}

/// Counts a coded facet's codes per decision code: `[decision][code or bit]`.
struct ByOutcome {
    by: CodeTable,
    decision: CodeTable,
    decoded: Arc<DecodedCodes>,
}

/// One segment's share of [`ByOutcome`].
struct ByOutcomeSegment {
    codes: PackedCodes,
    counter: OutcomeCounter,
}

/// Counters of a facet's codes per decision code.
struct OutcomeCounter {
    by_kind: CodeKind,
    by: Unpacker,
    decision: Unpacker,
    counts: Vec<Vec<u64>>,
}

impl Collector for ByOutcome {
    type Fruit = Vec<Vec<u64>>;
    type Child = ByOutcomeSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ByOutcomeSegment> {
        Ok(ByOutcomeSegment {
            codes: self.decoded.of(reader)?,
            counter: OutcomeCounter {
                by_kind: self.by.kind,
                by: self.by.unpacker(),
                decision: self.decision.unpacker(),
                counts: vec![vec![0; self.by.slots()]; self.decision.slots()],
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<Vec<u64>>>) -> tantivy::Result<Vec<Vec<u64>>> {
        Ok(sum_counters(segments))
    }
}

impl SegmentCollector for ByOutcomeSegment {
    type Fruit = Vec<Vec<u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.counter.count(self.codes.of_item(doc));
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let counter = &mut self.counter;
        self.codes.for_each(docs, |packed| counter.count(packed));
    }

    fn harvest(self) -> Vec<Vec<u64>> {
        self.counter.counts
    }
}

impl OutcomeCounter {
    fn count(&mut self, packed: u64) {
        let decision = self.decision.unpack(packed) as usize;
        if let Some(counts) = self.counts.get_mut(decision) {
            count_code(self.by_kind, self.by.unpack(packed), counts);
        }
    }
}

/// The parents of `paths`, grouped by depth: "/" first, then the parents of the
/// paths two deep, and so on.
fn parents_by_depth(paths: &std::collections::BTreeSet<String>) -> Vec<Vec<String>> {
    let mut by_depth: Vec<Vec<String>> = vec![vec!["/".to_string()]];
    for path in paths {
        let depth = path.matches('/').count();
        let parent = match path.rfind('/') {
            Some(0) | None => continue,
            Some(at) => path[..at].to_string(),
        };
        if by_depth.len() < depth {
            by_depth.resize(depth, Vec::new());
        }
        let level = &mut by_depth[depth - 1];
        if !level.contains(&parent) {
            level.push(parent);
        }
    }
    by_depth
}
