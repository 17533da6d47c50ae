//! The search's one pass over the matching items. The count, the best items by
//! relevance and the coded facets' counts are one collector, called directly for
//! every item; collectors searches need less often (hits by date, facets without
//! codes) ride along in a tantivy multi-collector. With every collector in the
//! multi-collector, each item cost two dynamic calls per collector: 8.5% of the
//! served query mix's time in a perf profile.

use tantivy::collector::{Collector, MultiCollector, MultiFruit, SegmentCollector, TopDocs};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facets::CodedCounts;

/// What one pass over the matching items collects.
#[derive(Default)]
pub(super) struct ItemPass<'a> {
    /// The best items by relevance, when hits are shown in that order.
    pub top: Option<TopDocs>,
    /// Counts of the coded facets asked for.
    pub coded: Option<CodedCounts>,
    /// Any other collectors.
    pub others: Option<MultiCollector<'a>>,
    /// Whether to score every item even when nothing ranks them: some queries
    /// (`similar`'s) match only when scored.
    pub always_score: bool,
}

/// What [`ItemPass`] collected over every segment.
pub(super) struct ItemPassFruit {
    pub total: usize,
    pub top: Vec<(Score, DocAddress)>,
    pub coded: Option<Vec<Vec<u64>>>,
    pub others: Option<MultiFruit>,
}

/// One segment's share of an [`ItemPass`].
pub(super) struct ItemPassSegment {
    total: usize,
    top: Option<<TopDocs as Collector>::Child>,
    coded: Option<<CodedCounts as Collector>::Child>,
    others: Option<<MultiCollector<'static> as Collector>::Child>,
}

/// What [`ItemPassSegment`] collected in one segment.
pub(super) struct ItemPassSegmentFruit {
    total: usize,
    top: Option<Vec<(Score, DocAddress)>>,
    coded: Option<Vec<Vec<u64>>>,
    others: Option<MultiFruit>,
}

impl Collector for ItemPass<'_> {
    type Fruit = ItemPassFruit;
    type Child = ItemPassSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ItemPassSegment> {
        Ok(ItemPassSegment {
            total: 0,
            top: self
                .top
                .as_ref()
                .map(|top| top.for_segment(segment, reader))
                .transpose()?,
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
            || self.top.is_some()
            || self
                .others
                .as_ref()
                .is_some_and(Collector::requires_scoring)
    }

    fn merge_fruits(&self, segments: Vec<ItemPassSegmentFruit>) -> tantivy::Result<ItemPassFruit> {
        let total = segments.iter().map(|s| s.total).sum();
        let mut tops = Vec::new();
        let mut codeds = Vec::new();
        let mut others = Vec::new();
        for segment in segments {
            tops.extend(segment.top);
            codeds.extend(segment.coded);
            others.extend(segment.others);
        }
        Ok(ItemPassFruit {
            total,
            top: match &self.top {
                Some(top) => top.merge_fruits(tops)?,
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

impl SegmentCollector for ItemPassSegment {
    type Fruit = ItemPassSegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
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

    fn harvest(self) -> ItemPassSegmentFruit {
        ItemPassSegmentFruit {
            total: self.total,
            top: self.top.map(SegmentCollector::harvest),
            coded: self.coded.map(SegmentCollector::harvest),
            others: self.others.map(SegmentCollector::harvest),
        }
    }
}
