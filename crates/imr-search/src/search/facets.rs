//! Facet counts over every matching item, collected in the search's one pass: coded
//! facets (see `index::codes`) from one number per item, the others with tantivy's
//! facet collectors.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use tantivy::collector::{
    Collector, FacetCollector, FacetCounts, FruitHandle, MultiCollector, SegmentCollector,
};
use tantivy::columnar::{Cardinality, ColumnValues};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

    /// The engine's decoded codes, without those of segments no longer searched.
    pub(super) fn live_decoded_codes(&self) -> Arc<DecodedCodes> {
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
    codes: CodeTally,
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
        let codes = CodeTally::new(self.decoded.of(reader)?);
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
        let facets = &mut self.facets;
        self.codes
            .item(doc, |packed, items| count_all(facets, packed, items));
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let facets = &mut self.facets;
        self.codes
            .block(docs, |packed, items| count_all(facets, packed, items));
    }

    fn harvest(self) -> Vec<Vec<u64>> {
        let mut facets = self.facets;
        self.codes
            .finish(|packed, items| count_all(&mut facets, packed, items));
        facets.into_iter().map(|(_, _, counts)| counts).collect()
    }
}

/// Counts `items` items of code `packed` in each facet.
fn count_all(facets: &mut [(CodeKind, Unpacker, Vec<u64>)], packed: u64, items: u64) {
    for (kind, unpacker, counts) in facets {
        count_code(*kind, unpacker.unpack(packed), items, counts);
    }
}

/// A segment's packed codes, by document number: read from the fast field, or from
/// memory once decoded (see [`DecodedCodes`]).
pub(super) enum PackedCodes {
    Column {
        column: Arc<dyn ColumnValues<u64>>,
        /// The codes of a block of items (tantivy hands over up to 64 at once when
        /// nothing needs scores), read with one call to the column.
        block: Vec<u64>,
    },
    Distinct(Arc<DistinctCodes>),
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
}

/// A segment's codes as each item's number among the segment's distinct codes.
/// Items share a few thousand combinations of decision, category and regions, so
/// a number takes 16 bits: the numbers of a 1M-letter index (4.7 MB) stay in the
/// processor's cache where its packed codes (9.4 MB in 32 bits) did not, and an
/// item is counted by adding one to its number's tally, its code unpacked once per
/// distinct code instead of once per item.
pub(super) struct DistinctCodes {
    /// Per document, the number of its code in `codes`.
    numbers: Box<[u16]>,
    codes: Box<[u64]>,
}

impl DistinctCodes {
    /// The distinct codes of `column`; none if there are more than 16 bits can
    /// number.
    fn of(column: &dyn ColumnValues<u64>, documents: u32) -> Option<DistinctCodes> {
        let mut packed = vec![0; documents as usize];
        column.get_range(0, &mut packed);
        let mut number_of: FxHashMap<u64, u16> = FxHashMap::default();
        let mut codes = Vec::new();
        let mut numbers = Vec::with_capacity(packed.len());
        for code in packed {
            let number = match number_of.get(&code) {
                Some(&number) => number,
                None => {
                    let number = u16::try_from(codes.len()).ok()?;
                    codes.push(code);
                    number_of.insert(code, number);
                    number
                }
            };
            numbers.push(number);
        }
        Some(DistinctCodes {
            numbers: numbers.into(),
            codes: codes.into(),
        })
    }
}

/// Counts a segment's items by code: handing each item's code on as it comes when
/// read from the fast field, or tallying the items of each distinct code and
/// handing each code on once, with its number of items, at the end.
pub(super) struct CodeTally {
    codes: PackedCodes,
    /// Per distinct code, the items counted.
    tally: Vec<u32>,
}

impl CodeTally {
    pub(super) fn new(codes: PackedCodes) -> CodeTally {
        let tally = match &codes {
            PackedCodes::Distinct(distinct) => vec![0; distinct.codes.len()],
            PackedCodes::Column { .. } => Vec::new(),
        };
        CodeTally { codes, tally }
    }

    /// Counts item `doc`, whose code may be handed on to `each` with its number of
    /// items (1).
    #[inline]
    pub(super) fn item(&mut self, doc: DocId, mut each: impl FnMut(u64, u64)) {
        match &self.codes {
            PackedCodes::Column { column, .. } => each(column.get_val(doc), 1),
            PackedCodes::Distinct(distinct) => {
                // A document number is below the segment's, the length of its
                // numbers.
                if let Some(&number) = distinct.numbers.get(doc as usize) {
                    self.tally[number as usize] += 1;
                }
            }
        }
    }

    /// Counts the items `docs`.
    pub(super) fn block(&mut self, docs: &[DocId], mut each: impl FnMut(u64, u64)) {
        match &mut self.codes {
            PackedCodes::Column { column, block } => {
                block.resize(docs.len(), 0);
                column.get_vals(docs, block);
                for &packed in block.iter() {
                    each(packed, 1);
                }
            }
            PackedCodes::Distinct(distinct) => {
                for &doc in docs {
                    if let Some(&number) = distinct.numbers.get(doc as usize) {
                        self.tally[number as usize] += 1;
                    }
                }
            }
        }
    }

    /// Hands on each tallied code with its number of items.
    pub(super) fn finish(self, mut each: impl FnMut(u64, u64)) {
        if let PackedCodes::Distinct(distinct) = &self.codes {
            for (&code, &items) in distinct.codes.iter().zip(&self.tally) {
                if items > 0 {
                    each(code, u64::from(items));
                }
            }
        }
    }
}

/// Each segment's codes, numbered among its distinct codes (see [`DistinctCodes`])
/// the second time a search counts them, for the searches an open engine answers
/// after. Reading an item's codes from the fast field is a dynamic call and bit
/// unpacking, about 30 instructions an item, and each facet's code is then
/// unpacked; from memory, an index and an addition. Numbering a whole segment's
/// codes costs more than counting a rare word's items once, so a process that
/// searches once does not. A segment with more distinct codes than 16 bits number
/// is read from the fast field.
#[derive(Default)]
pub(super) struct DecodedCodes {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentCodes>>>,
}

/// What [`DecodedCodes`] knows of one segment.
#[derive(Default)]
struct SegmentCodes {
    counted: AtomicBool,
    distinct: OnceLock<Option<Arc<DistinctCodes>>>,
}

impl DecodedCodes {
    /// The codes of `reader`'s segment: numbered if they were counted before.
    pub(super) fn of(&self, reader: &SegmentReader) -> tantivy::Result<PackedCodes> {
        let segment = {
            let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
            segments.entry(reader.segment_id()).or_default().clone()
        };
        if let Some(distinct) = segment.distinct.get() {
            return match distinct {
                Some(distinct) => Ok(PackedCodes::Distinct(distinct.clone())),
                None => PackedCodes::of(reader),
            };
        }
        if !segment.counted.swap(true, Ordering::Relaxed) {
            return PackedCodes::of(reader);
        }
        let column = every_document_column(reader, FACET_CODES)?;
        let distinct = segment
            .distinct
            .get_or_init(|| DistinctCodes::of(&*column, reader.max_doc()).map(Arc::new));
        Ok(match distinct {
            Some(distinct) => PackedCodes::Distinct(distinct.clone()),
            None => PackedCodes::read(column),
        })
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

/// Counts `items` items of one code (or each bit of its mask).
pub(super) fn count_code(kind: CodeKind, code: u64, items: u64, counts: &mut [u64]) {
    match kind {
        CodeKind::Code => {
            if let Some(count) = counts.get_mut(code as usize) {
                *count += items;
            }
        }
        CodeKind::Mask => {
            let mut bits = code;
            while bits != 0 {
                if let Some(count) = counts.get_mut(bits.trailing_zeros() as usize) {
                    *count += items;
                }
                bits &= bits - 1;
            }
        }
    }
}

/// Segments' counters added up, counter by counter.
pub(super) fn sum_counters(segments: Vec<Vec<Vec<u64>>>) -> Vec<Vec<u64>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A column of the given codes, by document number.
    struct Codes(Vec<u64>);

    impl ColumnValues<u64> for Codes {
        fn get_val(&self, doc: u32) -> u64 {
            self.0[doc as usize]
        }
        fn min_value(&self) -> u64 {
            self.0.iter().copied().min().unwrap_or(0)
        }
        fn max_value(&self) -> u64 {
            self.0.iter().copied().max().unwrap_or(0)
        }
        fn num_vals(&self) -> u32 {
            self.0.len() as u32
        }
    }

    /// Every code handed on by `tally` after counting `docs`, with its items, sorted.
    fn counted(mut tally: CodeTally, docs: &[DocId], in_blocks: bool) -> Vec<(u64, u64)> {
        let mut seen = Vec::new();
        if in_blocks {
            for block in docs.chunks(3) {
                tally.block(block, |code, items| seen.push((code, items)));
            }
        } else {
            for &doc in docs {
                tally.item(doc, |code, items| seen.push((code, items)));
            }
        }
        tally.finish(|code, items| seen.push((code, items)));
        let mut by_code: BTreeMap<u64, u64> = BTreeMap::new();
        for (code, items) in seen {
            *by_code.entry(code).or_default() += items;
        }
        by_code.into_iter().collect()
    }

    #[test]
    fn numbered_codes_count_what_the_column_counts() {
        let codes = vec![7, 1 << 40, 7, 3, 3, 7, 0, 1 << 40, 3, 9];
        let column = Codes(codes.clone());
        let distinct = Arc::new(DistinctCodes::of(&column, codes.len() as u32).unwrap());
        assert_eq!(distinct.codes.len(), 5);
        for (doc, &code) in codes.iter().enumerate() {
            assert_eq!(distinct.codes[distinct.numbers[doc] as usize], code);
        }
        let docs: Vec<DocId> = vec![0, 1, 2, 4, 5, 7, 9];
        for in_blocks in [false, true] {
            let from_column = counted(
                CodeTally::new(PackedCodes::read(Arc::new(Codes(codes.clone())))),
                &docs,
                in_blocks,
            );
            let numbered = counted(
                CodeTally::new(PackedCodes::Distinct(distinct.clone())),
                &docs,
                in_blocks,
            );
            assert_eq!(from_column, vec![(3, 1), (7, 3), (9, 1), (1 << 40, 2)]);
            assert_eq!(numbered, from_column);
        }
    }

    #[test]
    fn more_distinct_codes_than_16_bits_number_stay_in_the_column() {
        let fits: Vec<u64> = (0..1 << 16).collect();
        assert!(DistinctCodes::of(&Codes(fits.clone()), fits.len() as u32).is_some());
        let too_many: Vec<u64> = (0..(1 << 16) + 1).collect();
        assert!(DistinctCodes::of(&Codes(too_many.clone()), too_many.len() as u32).is_none());
    }
}
