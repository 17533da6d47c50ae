//! Facet counts over every matching item, collected in the search's one pass: coded
//! facets (see [`index::codes`](crate::index::codes)) from one number per item, the
//! others with tantivy's facet collectors, one per depth of their paths.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use tantivy::collector::{
    Collector, FacetCollector, FacetCounts, FruitHandle, MultiCollector, SegmentCollector,
};
use tantivy::query::Query;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::collect::{CollectedMatches, MatchCollector};
use super::{FacetTable, QueryCompiler, SearchError};
use crate::index::codes::cache::DecodedCodes;
use crate::index::codes::count::CodedCounts;
use crate::index::codes::{counts_by_path, CodeTable, NO_VALUE};

/// A facet collector counting one depth's paths, with the parents whose children
/// it counts.
type DepthCollector = (FruitHandle<FacetCounts>, Vec<String>);

/// An uncoded facet's collectors: one per depth, and one of the items of no value.
struct UncodedFacet {
    name: String,
    depths: Vec<DepthCollector>,
    no_value: FruitHandle<usize>,
}

/// The facet collectors added to a search, and how to read their counts.
#[derive(Default)]
pub(super) struct FacetPlan {
    /// The coded facets, each with its table, in the order their counts come.
    coded: Vec<(String, CodeTable)>,
    /// The uncoded facets' collectors.
    uncoded: Vec<UncodedFacet>,
}

impl FacetPlan {
    /// Adds to `collector` what counts every path of each of `facets`: coded
    /// facets read through `decoded`, the others with facet collectors.
    pub(super) fn new(
        compiler: &QueryCompiler,
        searcher: &Searcher,
        decoded: Arc<DecodedCodes>,
        facets: &[String],
        collector: &mut MatchCollector<'_>,
    ) -> Result<FacetPlan, SearchError> {
        let mut plan = FacetPlan::default();
        let mut coded_tables = Vec::new();
        let codes_field = compiler.schema().codes_field();
        for name in facets {
            let spec = compiler.facet_spec(name)?;
            if let (Some(table), Some(_)) = (compiler.facet_codes().get(name), codes_field) {
                coded_tables.push(table.clone());
                plan.coded.push((name.clone(), table.clone()));
                continue;
            }
            let mut collectors = Vec::new();
            // A facet collector counts the children of facets none of which is
            // below another, so each depth gets its own.
            for parents in parents_by_depth(&compiler.facet_paths(searcher, name)?) {
                let mut depth = FacetCollector::for_field(&spec.name);
                for parent in &parents {
                    depth.add_facet(
                        Facet::from_text(parent)
                            .map_err(|e| SearchError::BadValue(e.to_string()))?,
                    );
                }
                let others = collector.others.get_or_insert_with(MultiCollector::new);
                collectors.push((others.add_collector(depth), parents));
            }
            let others = collector.others.get_or_insert_with(MultiCollector::new);
            let no_value = others.add_collector(NoValueCount {
                field: spec.name.clone(),
            });
            plan.uncoded.push(UncodedFacet {
                name: name.clone(),
                depths: collectors,
                no_value,
            });
        }
        if !coded_tables.is_empty() {
            collector.coded = Some(CodedCounts::new(coded_tables, decoded));
        }
        Ok(plan)
    }

    /// Per facet, per path (without the leading '/'), matching items.
    pub(super) fn counts(self, collected: &mut CollectedMatches) -> FacetTable {
        let mut counts = BTreeMap::new();
        let by_codes = collected.coded.take().unwrap_or_default();
        for ((name, table), by_code) in self.coded.into_iter().zip(by_codes) {
            counts.insert(name, counts_by_path(&table, &by_code));
        }
        // Uncoded facets' collectors ride in the pass's other collectors.
        let Some(fruits) = collected.others.as_mut() else {
            return counts;
        };
        for UncodedFacet {
            name,
            depths,
            no_value,
        } in self.uncoded
        {
            let mut values = BTreeMap::new();
            let without = no_value.extract(fruits);
            if without > 0 {
                values.insert(NO_VALUE.to_string(), without as u64);
            }
            for (handle, parents) in depths {
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

/// Counts the items of no value in a facet field.
struct NoValueCount {
    field: String,
}

/// One segment's share of [`NoValueCount`].
struct SegmentNoValueCount {
    paths: tantivy::fastfield::FacetReader,
    count: usize,
}

impl Collector for NoValueCount {
    type Fruit = usize;
    type Child = SegmentNoValueCount;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentNoValueCount> {
        Ok(SegmentNoValueCount {
            paths: reader.facet_reader(&self.field)?,
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<usize>) -> tantivy::Result<usize> {
        Ok(segments.into_iter().sum())
    }
}

impl SegmentCollector for SegmentNoValueCount {
    type Fruit = usize;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.paths.facet_ords(doc).next().is_none() {
            self.count += 1;
        }
    }

    fn harvest(self) -> usize {
        self.count
    }
}

/// How many items `query` matches, and the counts of every path of each of
/// `facets` over them, in one pass without scoring.
pub(super) fn count_facets(
    compiler: &QueryCompiler,
    searcher: &Searcher,
    decoded: Arc<DecodedCodes>,
    query: &dyn Query,
    facets: &[String],
) -> Result<(usize, FacetTable), SearchError> {
    let mut collector = MatchCollector::default();
    let plan = FacetPlan::new(compiler, searcher, decoded, facets, &mut collector)?;
    let mut collected = searcher.search(query, &collector)?;
    Ok((collected.total, plan.counts(&mut collected)))
}

/// The parents of `paths`, grouped by depth: "/" first, then the parents of the
/// paths two deep, and so on.
fn parents_by_depth(paths: &BTreeSet<String>) -> Vec<Vec<String>> {
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
