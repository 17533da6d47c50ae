//! A query on the letter-level text fields, matched by every item of the letter.
//!
//! The text a letter's items share (its case summary and the rest of the letter) is
//! indexed once, on the letter's first document, instead of once per item; the
//! writer adds a letter's documents as one batch, so they are consecutive in their
//! segment, first item first, and merges keep them so. Every document says where it
//! stands in its letter (`letter_position`) and how many documents its letter has
//! (`letter_size`): a match on a first document stands for its letter's documents,
//! and a document's letter is found from its position.

use std::fmt;
use std::sync::Arc;

use tantivy::columnar::ColumnValues;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::word_alternatives::sum_of_matches;
use crate::index::codes::read::every_document_column;
use crate::index::Fields;

/// Matches every document of each letter whose first document matches `inner`,
/// scored as that first document, and, if given, the documents `items` matches
/// (the item's own fields), scored as the sum of both.
pub struct LetterWideQuery {
    inner: Box<dyn Query>,
    items: Option<Box<dyn Query>>,
    fields: Fields,
}

impl LetterWideQuery {
    /// Wraps `inner`, a query on fields indexed on letters' first documents only.
    pub fn new(inner: Box<dyn Query>, fields: &Fields) -> LetterWideQuery {
        LetterWideQuery {
            inner,
            items: None,
            fields: *fields,
        }
    }

    /// Also matches what `items` matches. Merging the two here, two sorted streams
    /// side by side, costs less per document than a union query of both, which
    /// buffers and scores every document of both in windows.
    pub fn or_items(mut self, items: Box<dyn Query>) -> LetterWideQuery {
        self.items = Some(items);
        self
    }
}

impl Clone for LetterWideQuery {
    fn clone(&self) -> Self {
        LetterWideQuery {
            inner: self.inner.box_clone(),
            items: self.items.as_ref().map(|q| q.box_clone()),
            fields: self.fields,
        }
    }
}

impl fmt::Debug for LetterWideQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LetterWide({:?}) or {:?}", self.inner, self.items)
    }
}

impl Query for LetterWideQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let schema = enable_scoring.schema();
        let field_name = |field| schema.get_field_name(field).to_string();
        let columns = [
            field_name(self.fields.letter_position),
            field_name(self.fields.letter_size),
        ];
        let items = match &self.items {
            Some(items) => Some(items.weight(enable_scoring)?),
            None => None,
        };
        let inner = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                searcher,
            } => {
                let per_letter = PerLetter {
                    items: statistics_provider,
                    letters: letters_in(searcher, &self.fields)?,
                };
                self.inner
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &per_letter,
                        searcher,
                    ))?
            }
            disabled => self.inner.weight(disabled)?,
        };
        Ok(Box::new(LetterWideWeight {
            inner,
            items,
            columns,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
        if let Some(items) = &self.items {
            items.query_terms(visitor);
        }
    }
}

/// Documents that hold letter-level text: first items and letters without items
/// (deleted ones included, as in tantivy's own count of documents).
fn letters_in(searcher: &Searcher, fields: &Fields) -> tantivy::Result<u64> {
    let first_items = searcher.doc_freq(&Term::from_field_u64(fields.item, 0))?;
    let without_items = searcher.doc_freq(&Term::from_field_u64(fields.has_item, 0))?;
    Ok(first_items + without_items)
}

/// BM25 statistics of letter-level fields: a letter's text is one document of the
/// letters', not one of every item's, so the averages and rarities are over letters.
struct PerLetter<'a> {
    items: &'a dyn Bm25StatisticsProvider,
    letters: u64,
}

impl Bm25StatisticsProvider for PerLetter<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.items.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.letters.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.items.doc_freq(term)
    }
}

struct LetterWideWeight {
    inner: Box<dyn Weight>,
    items: Option<Box<dyn Weight>>,
    /// The fast fields of each document's position in its letter and its letter's size.
    columns: [String; 2],
}

impl LetterWideWeight {
    fn layout(&self, reader: &SegmentReader) -> tantivy::Result<Layout> {
        let [position, size] = &self.columns;
        Ok(Layout {
            position: every_document_column(reader, position)?,
            size: every_document_column(reader, size)?,
        })
    }
}

impl Weight for LetterWideWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let letters = LetterWideScorer::new(inner, self.layout(reader)?, reader.max_doc());
        Ok(match &self.items {
            Some(items) => Box::new(Merged::new(items.scorer(reader, boost)?, letters)),
            None => Box::new(letters),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let first = self.layout(reader)?.first_of_letter(doc);
        let by_letter = self.inner.explain(reader, first).ok();
        let by_item = match &self.items {
            Some(items) => items.explain(reader, doc).ok(),
            None => None,
        };
        sum_of_matches(
            "sum of the item's match and its letter's (the letter's first document)",
            by_item.into_iter().chain(by_letter).collect(),
            doc,
        )
    }
}

/// The documents of two scorers, in order, each once, scored as the sum of those
/// that match it.
struct Merged {
    items: Box<dyn Scorer>,
    letters: LetterWideScorer,
    /// Where each stands, kept here to spare a dynamic call per document.
    item_doc: DocId,
    doc: DocId,
}

impl Merged {
    fn new(items: Box<dyn Scorer>, letters: LetterWideScorer) -> Merged {
        let item_doc = items.doc();
        let doc = item_doc.min(letters.doc());
        Merged {
            items,
            letters,
            item_doc,
            doc,
        }
    }
}

impl DocSet for Merged {
    fn advance(&mut self) -> DocId {
        if self.item_doc == self.doc {
            self.item_doc = self.items.advance();
        }
        if self.letters.doc() == self.doc {
            self.letters.advance();
        }
        self.doc = self.item_doc.min(self.letters.doc());
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if self.item_doc < target {
            self.item_doc = self.items.seek(target);
        }
        self.letters.seek(target);
        self.doc = self.item_doc.min(self.letters.doc());
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.items.size_hint().max(self.letters.size_hint())
    }
}

impl Scorer for Merged {
    fn score(&mut self) -> Score {
        let mut score = 0.0;
        if self.item_doc == self.doc {
            score += self.items.score();
        }
        if self.letters.doc() == self.doc {
            score += self.letters.score();
        }
        score
    }
}

/// Where each document stands in its letter.
struct Layout {
    position: Arc<dyn ColumnValues<u64>>,
    size: Arc<dyn ColumnValues<u64>>,
}

impl Layout {
    /// The first document of `doc`'s letter.
    fn first_of_letter(&self, doc: DocId) -> DocId {
        let position = u32::try_from(self.position.get_val(doc)).unwrap_or(u32::MAX);
        doc.saturating_sub(position)
    }

    /// One past the last document of the letter that `first` starts.
    fn end_of_letter(&self, first: DocId) -> DocId {
        let size = u32::try_from(self.size.get_val(first)).unwrap_or(1).max(1);
        first.saturating_add(size)
    }
}

struct LetterWideScorer {
    /// Positioned on the first document of the letter being walked.
    inner: Box<dyn Scorer>,
    layout: Layout,
    max_doc: DocId,
    doc: DocId,
    /// One past the last document of the letter being walked.
    end: DocId,
    /// The score of the letter being walked, once asked for.
    score: Option<Score>,
}

impl LetterWideScorer {
    fn new(inner: Box<dyn Scorer>, layout: Layout, max_doc: DocId) -> LetterWideScorer {
        let mut scorer = LetterWideScorer {
            inner,
            layout,
            max_doc,
            doc: TERMINATED,
            end: TERMINATED,
            score: None,
        };
        let first = scorer.inner.doc();
        scorer.enter(first);
        scorer
    }

    /// Starts walking the letter whose first document is `first`.
    fn enter(&mut self, first: DocId) -> DocId {
        self.score = None;
        self.doc = first;
        self.end = if first < self.max_doc {
            self.layout.end_of_letter(first).min(self.max_doc)
        } else {
            TERMINATED
        };
        first
    }
}

impl DocSet for LetterWideScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.doc + 1 < self.end {
            self.doc += 1;
            return self.doc;
        }
        let first = self.inner.advance();
        self.enter(first)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target < self.end {
            self.doc = target;
            return target;
        }
        if target >= self.max_doc {
            let end = self.inner.seek(TERMINATED);
            return self.enter(end);
        }
        let target_first = self.layout.first_of_letter(target);
        let first = if self.inner.doc() < target_first {
            self.inner.seek(target_first)
        } else {
            self.inner.doc()
        };
        self.enter(first);
        if first == target_first && target < self.end {
            self.doc = target;
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // Letters have two to three items on average.
        self.inner.size_hint().saturating_mul(2).min(self.max_doc)
    }
}

impl Scorer for LetterWideScorer {
    fn score(&mut self) -> Score {
        *self.score.get_or_insert_with(|| self.inner.score())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// First documents that match, in order.
    struct Firsts {
        docs: Vec<DocId>,
        at: usize,
    }

    impl DocSet for Firsts {
        fn advance(&mut self) -> DocId {
            self.at += 1;
            self.doc()
        }

        fn doc(&self) -> DocId {
            self.docs.get(self.at).copied().unwrap_or(TERMINATED)
        }

        fn size_hint(&self) -> u32 {
            self.docs.len() as u32
        }
    }

    impl Scorer for Firsts {
        fn score(&mut self) -> Score {
            1.0
        }
    }

    /// A segment of letters of 3, 1, 2 and 2 documents.
    const POSITIONS: [u64; 8] = [0, 1, 2, 0, 0, 1, 0, 1];
    const SIZES: [u64; 8] = [3, 3, 3, 1, 2, 2, 2, 2];

    struct Fixed(&'static [u64; 8]);
    impl ColumnValues<u64> for Fixed {
        fn get_val(&self, doc: u32) -> u64 {
            self.0[doc as usize]
        }
        fn min_value(&self) -> u64 {
            0
        }
        fn max_value(&self) -> u64 {
            3
        }
        fn num_vals(&self) -> u32 {
            8
        }
    }

    fn scorer(firsts: &[DocId]) -> LetterWideScorer {
        let inner = Firsts {
            docs: firsts.to_vec(),
            at: 0,
        };
        let layout = Layout {
            position: Arc::new(Fixed(&POSITIONS)),
            size: Arc::new(Fixed(&SIZES)),
        };
        LetterWideScorer::new(Box::new(inner), layout, 8)
    }

    fn walk(mut scorer: LetterWideScorer) -> Vec<DocId> {
        let mut docs = Vec::new();
        while scorer.doc() != TERMINATED {
            docs.push(scorer.doc());
            scorer.advance();
        }
        docs
    }

    #[test]
    fn a_first_document_stands_for_its_letter() {
        assert_eq!(walk(scorer(&[0, 4])), vec![0, 1, 2, 4, 5]);
        assert_eq!(walk(scorer(&[3, 6])), vec![3, 6, 7]);
        assert_eq!(walk(scorer(&[4, 6])), vec![4, 5, 6, 7]);
        assert!(walk(scorer(&[])).is_empty());
    }

    #[test]
    fn seeking_lands_inside_a_matched_letter_or_on_the_next() {
        let mut s = scorer(&[0, 4]);
        assert_eq!(s.seek(2), 2);
        assert_eq!(s.advance(), 4);
        assert_eq!(s.seek(5), 5);
        assert_eq!(s.advance(), TERMINATED);

        let mut s = scorer(&[0, 6]);
        assert_eq!(s.seek(3), 6, "document 3's letter does not match");
        assert_eq!(s.seek(7), 7);
        assert_eq!(s.seek(100), TERMINATED);

        let mut s = scorer(&[4]);
        assert_eq!(s.seek(4), 4);
        assert_eq!(s.seek(4), 4, "seeking where it stands stays");
        assert_eq!(s.seek(6), TERMINATED);
    }
}
