//! `stats`'s counts: every matching item counted by a facet's paths, all of them and
//! those upheld and overturned, in one pass over the matches: from the items' codes
//! when the facet is coded (see `index::codes`), from its paths and the decision's
//! code when it is not.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::compiler::with_filters;
use super::facet_counts::count_facets;
use super::{QueryCompiler, SearchError};
use crate::index::codes::cache::DecodedCodes;
use crate::index::codes::read::{count_code, every_document_column, sum_counters, CodeTally};
use crate::index::codes::{counts_by_path, CodeKind, CodeTable, Unpacker, NO_VALUE};
use crate::index::schema::FACET_CODES;

/// Per path of one facet: the matching items, and those upheld and overturned.
pub(super) struct OutcomeCounts {
    pub total: usize,
    pub all: BTreeMap<String, u64>,
    pub upheld: BTreeMap<String, u64>,
    pub overturned: BTreeMap<String, u64>,
}

/// Counts `query`'s matching items by facet `by`, all of them and those upheld
/// and overturned: in one pass from the codes where `by` and the decision are
/// coded, in one pass from `by`'s paths and the decision's code where only the
/// decision is, and otherwise with facet collectors, once per outcome.
pub(super) fn outcome_counts(
    compiler: &QueryCompiler,
    searcher: &Searcher,
    decoded: Arc<DecodedCodes>,
    query: &dyn Query,
    by: &str,
) -> Result<OutcomeCounts, SearchError> {
    let counting = OutcomeCounting {
        compiler,
        searcher,
        decoded,
    };
    if let Some(counts) = counting.by_codes(query, by)? {
        return Ok(counts);
    }
    if let Some(counts) = counting.by_paths_and_decision_code(query, by)? {
        return Ok(counts);
    }
    counting.by_facet_columns(query, by)
}

/// What counting `stats`'s outcomes reads.
struct OutcomeCounting<'a> {
    compiler: &'a QueryCompiler,
    searcher: &'a Searcher,
    decoded: Arc<DecodedCodes>,
}

impl OutcomeCounting<'_> {
    /// `stats`'s counts in one pass, when facet `by` and the decision are both
    /// coded; none otherwise.
    fn by_codes(&self, query: &dyn Query, by: &str) -> Result<Option<OutcomeCounts>, SearchError> {
        let (Some(by_table), Some(decision)) =
            (self.compiler.facet_codes().get(by), self.decision_codes())
        else {
            return Ok(None);
        };
        let DecisionCodes {
            table: decision,
            upheld,
            overturned,
        } = decision;
        let collector = (
            Count,
            ByOutcome {
                by: by_table.clone(),
                decision: decision.clone(),
                decoded: self.decoded.clone(),
            },
        );
        let (total, by_decision) = self.searcher.search(query, &collector)?;
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

    /// The decision's codes, when the decision is coded.
    fn decision_codes(&self) -> Option<DecisionCodes<'_>> {
        let table = self.compiler.facet_codes().get("decision")?;
        self.compiler.schema().codes_field()?;
        let code_of = |slug: &str| table.paths.iter().position(|p| p == slug).map(|n| n + 1);
        match (table.kind, code_of("upheld"), code_of("overturned")) {
            (CodeKind::Code, Some(upheld), Some(overturned)) => Some(DecisionCodes {
                table,
                upheld,
                overturned,
            }),
            _ => None,
        }
    }

    /// `stats`'s counts in one pass, when the decision is coded and facet `by` is
    /// not: each matching item's paths read once, and counted with its decision.
    /// Counting the matches three times (all, upheld, overturned) with tantivy's
    /// facet collectors, one per depth of the paths, read each item's paths up to
    /// a dozen times.
    fn by_paths_and_decision_code(
        &self,
        query: &dyn Query,
        by: &str,
    ) -> Result<Option<OutcomeCounts>, SearchError> {
        let Some(decision) = self.decision_codes() else {
            return Ok(None);
        };
        let spec = self.compiler.facet_spec(by)?;
        let collector = PathsByOutcome {
            field: spec.name.clone(),
            decision: decision.table.unpacker(),
            upheld: decision.upheld as u64,
            overturned: decision.overturned as u64,
        };
        let counted = self.searcher.search(query, &collector)?;
        let mut counts = OutcomeCounts {
            total: counted.total,
            all: BTreeMap::new(),
            upheld: BTreeMap::new(),
            overturned: BTreeMap::new(),
        };
        for (path, [all, upheld, overturned]) in counted.by_path {
            for (map, count) in [
                (&mut counts.upheld, upheld),
                (&mut counts.overturned, overturned),
            ] {
                if count > 0 {
                    map.insert(path.clone(), count);
                }
            }
            counts.all.insert(path, all);
        }
        Ok(Some(counts))
    }

    /// `stats`'s counts from the facet column: a pass for all, one per outcome.
    fn by_facet_columns(&self, query: &dyn Query, by: &str) -> Result<OutcomeCounts, SearchError> {
        let facets = [by.to_string()];
        let count = |query: &dyn Query| {
            count_facets(
                self.compiler,
                self.searcher,
                self.decoded.clone(),
                query,
                &facets,
            )
        };
        let (total, mut all) = count(query)?;
        let by_outcome = |outcome: &str| -> Result<BTreeMap<String, u64>, SearchError> {
            let narrowed = with_filters(
                Some(query.box_clone()),
                vec![self.compiler.facet_query("decision", outcome)?],
            );
            Ok(count(&*narrowed)?.1.remove(by).unwrap_or_default())
        };
        Ok(OutcomeCounts {
            total,
            all: all.remove(by).unwrap_or_default(),
            upheld: by_outcome("upheld")?,
            overturned: by_outcome("overturned")?,
        })
    }
}

/// The decision's code table and the codes of its two outcomes.
struct DecisionCodes<'a> {
    table: &'a CodeTable,
    upheld: usize,
    overturned: usize,
}

/// Counts the items under each path of an uncoded facet, all of them and those
/// upheld and overturned, in one pass (see
/// [`OutcomeCounting::by_paths_and_decision_code`]).
struct PathsByOutcome {
    /// The facet's index field.
    field: String,
    decision: Unpacker,
    upheld: u64,
    overturned: u64,
}

/// What [`PathsByOutcome`] counts.
#[derive(Default)]
struct PathCounts {
    total: usize,
    /// Per path (without the leading '/'): items, upheld, overturned.
    by_path: BTreeMap<String, [u64; 3]>,
}

/// One segment's share of [`PathsByOutcome`].
struct PathsByOutcomeSegment {
    paths: tantivy::fastfield::FacetReader,
    codes: Arc<dyn ColumnValues<u64>>,
    decision: Unpacker,
    upheld: u64,
    overturned: u64,
    /// Per facet value (term ordinal), its path and the paths above it, as
    /// numbers into `counts`: `above[starts[ord]..starts[ord + 1]]`, shallowest
    /// first.
    above: Vec<u32>,
    starts: Vec<u32>,
    /// Per path, its encoded facet and its items: all, upheld, overturned.
    encoded: Vec<Vec<u8>>,
    counts: Vec<[u64; 3]>,
    /// Per depth, the last path counted for the current item: an item's values
    /// come in term order, where the values under one path are side by side, so
    /// an item with two values under a path counts once there.
    last: Vec<u32>,
    /// Items of no value: all, upheld, overturned.
    no_value: [u64; 3],
    total: usize,
}

impl Collector for PathsByOutcome {
    type Fruit = PathCounts;
    type Child = PathsByOutcomeSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PathsByOutcomeSegment> {
        let paths = reader.facet_reader(&self.field)?;
        let mut number_of: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut encoded: Vec<Vec<u8>> = Vec::new();
        let mut above = Vec::new();
        let mut starts = vec![0];
        let mut deepest = 0;
        let mut values = paths.facet_dict().stream()?;
        while values.advance() {
            let value = values.key();
            let ends = value
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == 0)
                .map(|(at, _)| at)
                .chain([value.len()])
                .filter(|&end| end > 0);
            let mut depth = 0;
            for end in ends {
                let path = &value[..end];
                let number = *number_of.entry(path.to_vec()).or_insert_with(|| {
                    encoded.push(path.to_vec());
                    (encoded.len() - 1) as u32
                });
                above.push(number);
                depth += 1;
            }
            deepest = deepest.max(depth);
            starts.push(above.len() as u32);
        }
        Ok(PathsByOutcomeSegment {
            paths,
            codes: every_document_column(reader, FACET_CODES)?,
            decision: self.decision,
            upheld: self.upheld,
            overturned: self.overturned,
            above,
            starts,
            counts: vec![[0; 3]; encoded.len()],
            encoded,
            last: vec![u32::MAX; deepest],
            no_value: [0; 3],
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<PathCounts>) -> tantivy::Result<PathCounts> {
        let mut merged = PathCounts::default();
        for segment in segments {
            merged.total += segment.total;
            for (path, counts) in segment.by_path {
                let sums = merged.by_path.entry(path).or_default();
                for (sum, count) in sums.iter_mut().zip(counts) {
                    *sum += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for PathsByOutcomeSegment {
    type Fruit = PathCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        let decision = self.decision.unpack(self.codes.get_val(doc));
        let outcome = if decision == self.upheld {
            Some(1)
        } else if decision == self.overturned {
            Some(2)
        } else {
            None
        };
        self.last.fill(u32::MAX);
        let mut values = 0;
        for value in self.paths.facet_ords(doc) {
            values += 1;
            let (Some(&start), Some(&end)) = (
                self.starts.get(value as usize),
                self.starts.get(value as usize + 1),
            ) else {
                continue;
            };
            for (depth, &path) in self.above[start as usize..end as usize].iter().enumerate() {
                if self.last[depth] == path {
                    continue;
                }
                self.last[depth] = path;
                let counts = &mut self.counts[path as usize];
                counts[0] += 1;
                if let Some(outcome) = outcome {
                    counts[outcome] += 1;
                }
            }
        }
        if values == 0 {
            self.no_value[0] += 1;
            if let Some(outcome) = outcome {
                self.no_value[outcome] += 1;
            }
        }
    }

    fn harvest(self) -> PathCounts {
        let mut by_path: BTreeMap<String, [u64; 3]> = self
            .encoded
            .into_iter()
            .zip(self.counts)
            .filter(|(_, counts)| counts[0] > 0)
            .filter_map(|(encoded, counts)| {
                let facet = Facet::from_encoded(encoded).ok()?;
                let path = facet.to_path_string().trim_start_matches('/').to_string();
                Some((path, counts))
            })
            .collect();
        if self.no_value[0] > 0 {
            by_path.insert(NO_VALUE.to_string(), self.no_value);
        }
        PathCounts {
            total: self.total,
            by_path,
        }
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
    codes: CodeTally,
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
            codes: CodeTally::new(self.decoded.of(reader)?),
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
        let counter = &mut self.counter;
        self.codes
            .item(doc, |packed, items| counter.count(packed, items));
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let counter = &mut self.counter;
        self.codes
            .block(docs, |packed, items| counter.count(packed, items));
    }

    fn harvest(self) -> Vec<Vec<u64>> {
        let mut counter = self.counter;
        self.codes
            .finish(|packed, items| counter.count(packed, items));
        counter.counts
    }
}

impl OutcomeCounter {
    /// Counts `items` items of code `packed`.
    fn count(&mut self, packed: u64, items: u64) {
        let decision = self.decision.unpack(packed) as usize;
        if let Some(counts) = self.counts.get_mut(decision) {
            count_code(self.by_kind, self.by.unpack(packed), items, counts);
        }
    }
}
