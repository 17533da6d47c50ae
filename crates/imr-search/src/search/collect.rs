//! The search's one pass over the matching items. The count, the best items by
//! relevance and the coded facets' counts are one collector, called directly for
//! every item; collectors searches need less often (hits by date, facets without
//! codes) ride along in a tantivy multi-collector. With every collector in the
//! multi-collector, each item cost two dynamic calls per collector: 8.5% of the
//! served query mix's time in a perf profile.

use std::cmp::Ordering;

use tantivy::collector::{Collector, MultiCollector, MultiFruit, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::codes::count::CodedCounts;

/// What one pass over the matching items collects.
#[derive(Default)]
pub(super) struct MatchCollector<'a> {
    /// The best items by relevance, when hits are shown in that order.
    pub top: Option<BestItems>,
    /// Counts of the coded facets asked for.
    pub coded: Option<CodedCounts>,
    /// Any other collectors.
    pub others: Option<MultiCollector<'a>>,
    /// Whether to score every item even when nothing ranks them: some queries
    /// (`similar`'s) match only when scored.
    pub always_score: bool,
    /// The score of every matching item, when the query gives them all the same:
    /// then nothing needs scores, and tantivy hands the items over in blocks.
    pub constant_score: Option<Score>,
}

/// What [`MatchCollector`] collected over every segment.
pub(super) struct CollectedMatches {
    pub total: usize,
    pub top: Vec<(Score, DocAddress)>,
    pub coded: Option<Vec<Vec<u64>>>,
    pub others: Option<MultiFruit>,
}

/// One segment's share of an [`MatchCollector`].
pub(super) struct SegmentMatches {
    total: usize,
    constant_score: Option<Score>,
    top: Option<SegmentBest>,
    coded: Option<<CodedCounts as Collector>::Child>,
    others: Option<<MultiCollector<'static> as Collector>::Child>,
}

/// What [`SegmentMatches`] collected in one segment.
pub(super) struct SegmentMatchesFruit {
    total: usize,
    top: Option<Vec<(Score, DocAddress)>>,
    coded: Option<Vec<Vec<u64>>>,
    others: Option<MultiFruit>,
}

impl Collector for MatchCollector<'_> {
    type Fruit = CollectedMatches;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            total: 0,
            constant_score: self.constant_score,
            top: self.top.as_ref().map(|top| top.for_segment(segment)),
            coded: self
                .coded
                .as_ref()
                .map(|coded| coded.for_segment(segment, reader))
                .transpose()?,
            others: self
                .others
                .as_ref()
                .map(|others| others.for_segment(segment, reader))
                .transpose()?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.always_score
            || (self.top.is_some() && self.constant_score.is_none())
            || self
                .others
                .as_ref()
                .is_some_and(Collector::requires_scoring)
    }

    fn merge_fruits(
        &self,
        segments: Vec<SegmentMatchesFruit>,
    ) -> tantivy::Result<CollectedMatches> {
        let total = segments.iter().map(|s| s.total).sum();
        let mut tops = Vec::new();
        let mut codeds = Vec::new();
        let mut others = Vec::new();
        for segment in segments {
            tops.extend(segment.top);
            codeds.extend(segment.coded);
            others.extend(segment.others);
        }
        Ok(CollectedMatches {
            total,
            top: match &self.top {
                Some(top) => top.merge(tops),
                None => Vec::new(),
            },
            coded: self
                .coded
                .as_ref()
                .map(|coded| coded.merge_fruits(codeds))
                .transpose()?,
            others: self
                .others
                .as_ref()
                .map(|multi| multi.merge_fruits(others))
                .transpose()?,
        })
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentMatchesFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Without scoring, tantivy passes 0.
        let score = self.constant_score.unwrap_or(score);
        self.total += 1;
        if let Some(top) = &mut self.top {
            top.collect(doc, score);
        }
        if let Some(coded) = &mut self.coded {
            coded.collect(doc, score);
        }
        if let Some(others) = &mut self.others {
            others.collect(doc, score);
        }
    }

    /// Reached only when nothing needs scores.
    fn collect_block(&mut self, docs: &[DocId]) {
        let score = self.constant_score.unwrap_or(0.0);
        self.total += docs.len();
        if let Some(top) = &mut self.top {
            for &doc in docs {
                top.collect(doc, score);
            }
        }
        if let Some(coded) = &mut self.coded {
            coded.collect_block(docs);
        }
        if let Some(others) = &mut self.others {
            for &doc in docs {
                others.collect(doc, score);
            }
        }
    }

    fn harvest(self) -> SegmentMatchesFruit {
        SegmentMatchesFruit {
            total: self.total,
            top: self.top.map(SegmentBest::harvest),
            coded: self.coded.map(SegmentCollector::harvest),
            others: self.others.map(SegmentCollector::harvest),
        }
    }
}

/// The best items by score, `offset` of them skipped: the order of tantivy's
/// `TopDocs` (higher score first, ties to the earlier item), without its cost when
/// many items tie. `TopDocs` keeps every item that ties with its threshold, so a
/// search whose items all score alike (filters alone) sorted its buffer once per
/// ten items: a fifth of such a search's time in a perf profile.
#[derive(Debug, Clone, Copy)]
pub(super) struct BestItems {
    pub limit: usize,
    pub offset: usize,
}

impl BestItems {
    fn for_segment(&self, segment: SegmentOrdinal) -> SegmentBest {
        let wanted = self.limit + self.offset;
        SegmentBest {
            segment,
            wanted,
            buffer: Vec::with_capacity(2 * wanted),
            floor: None,
        }
    }

    fn merge(&self, segments: Vec<Vec<(Score, DocAddress)>>) -> Vec<(Score, DocAddress)> {
        let mut all: Vec<(Score, DocAddress)> = segments.into_iter().flatten().collect();
        all.sort_unstable_by(best_first);
        all.into_iter().skip(self.offset).take(self.limit).collect()
    }
}

/// One segment's best items.
pub(super) struct SegmentBest {
    segment: SegmentOrdinal,
    wanted: usize,
    /// Candidates, up to twice as many as wanted before the worse half goes.
    buffer: Vec<(Score, DocId)>,
    /// The score of the worst item kept when the buffer was last cut: items come in
    /// the order of their ids and ties go to the earlier, so a later item scoring no
    /// more than that can never be among the best.
    floor: Option<Score>,
}

impl SegmentBest {
    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        if self.floor.is_some_and(|floor| score <= floor) {
            return;
        }
        if self.buffer.len() >= 2 * self.wanted {
            self.cut();
        }
        self.buffer.push((score, doc));
    }

    /// Keeps the best `wanted` candidates.
    #[inline(never)]
    fn cut(&mut self) {
        if self.wanted == 0 {
            self.buffer.clear();
            return;
        }
        let (_, worst_kept, _) = self
            .buffer
            .select_nth_unstable_by(self.wanted - 1, best_first);
        self.floor = Some(worst_kept.0);
        self.buffer.truncate(self.wanted);
    }

    fn harvest(mut self) -> Vec<(Score, DocAddress)> {
        if self.buffer.len() > self.wanted {
            self.cut();
        }
        let segment_ord = self.segment;
        self.buffer
            .into_iter()
            .map(|(score, doc_id)| {
                (
                    score,
                    DocAddress {
                        segment_ord,
                        doc_id,
                    },
                )
            })
            .collect()
    }
}

/// Higher scores first, ties to the earlier item; scores that do not compare (none
/// do in practice) tie.
fn best_first<D: Ord>(a: &(Score, D), b: &(Score, D)) -> Ordering {
    b.0.partial_cmp(&a.0)
        .unwrap_or(Ordering::Equal)
        .then(a.1.cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The best items as a sort of every item would give them.
    fn sorted_best(
        segments: &[Vec<Score>],
        limit: usize,
        offset: usize,
    ) -> Vec<(Score, DocAddress)> {
        let mut all: Vec<(Score, DocAddress)> = segments
            .iter()
            .enumerate()
            .flat_map(|(segment, scores)| {
                scores.iter().enumerate().map(move |(doc, &score)| {
                    let address = DocAddress::new(segment as SegmentOrdinal, doc as DocId);
                    (score, address)
                })
            })
            .collect();
        all.sort_by(best_first);
        all.into_iter().skip(offset).take(limit).collect()
    }

    fn collected_best(
        segments: &[Vec<Score>],
        limit: usize,
        offset: usize,
    ) -> Vec<(Score, DocAddress)> {
        let best = BestItems { limit, offset };
        let fruits = segments
            .iter()
            .enumerate()
            .map(|(segment, scores)| {
                let mut collector = best.for_segment(segment as SegmentOrdinal);
                for (doc, &score) in scores.iter().enumerate() {
                    collector.collect(doc as DocId, score);
                }
                collector.harvest()
            })
            .collect();
        best.merge(fruits)
    }

    #[test]
    fn items_that_all_score_alike_come_in_the_order_of_the_index() {
        let segments = vec![vec![1.0; 500], vec![1.0; 300]];
        let best = collected_best(&segments, 3, 2);
        let docs: Vec<(SegmentOrdinal, DocId)> = best
            .iter()
            .map(|(_, a)| (a.segment_ord, a.doc_id))
            .collect();
        assert_eq!(docs, vec![(0, 2), (0, 3), (0, 4)]);
    }

    proptest! {
        /// Few distinct scores, so most items tie with others.
        #[test]
        fn the_best_items_are_those_a_full_sort_gives(
            segments in prop::collection::vec(
                prop::collection::vec(prop::sample::select(vec![0.5f32, 1.0, 1.5, 2.0]), 0..200),
                1..4,
            ),
            limit in 0usize..25,
            offset in 0usize..25,
        ) {
            prop_assert_eq!(
                collected_best(&segments, limit, offset),
                sorted_best(&segments, limit, offset)
            );
        }
    }
}
