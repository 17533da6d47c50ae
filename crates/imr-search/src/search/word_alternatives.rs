//! The union of a word's few queries (one per field, and the synonym token's), scored
//! as the sum of those that match, for a word that an intersection skips through.
//!
//! tantivy's union of `Should` clauses buffers every matching document of every
//! clause in windows of 4,096 documents, scoring each as it buffers it. Walked from
//! start to end, nothing is quicker. Asked to skip ahead, as an intersection with
//! another word or a filter asks it, it buffers a whole window of every list for
//! each skip. This union walks the lists side by side and skips with their skip
//! lists: two-word queries of the benchmark's mix took a third to a half fewer
//! instructions with it. (Walked from start to end over "mri", it took 8% more
//! than tantivy's, so a word searched alone keeps tantivy's union.)

use std::fmt;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches what any of its queries matches, scored as the sum of the scores of
/// those that match.
pub struct WordAlternativesQuery {
    queries: Vec<Box<dyn Query>>,
}

impl WordAlternativesQuery {
    /// The union of `queries`.
    pub fn new(queries: Vec<Box<dyn Query>>) -> WordAlternativesQuery {
        WordAlternativesQuery { queries }
    }
}

impl Clone for WordAlternativesQuery {
    fn clone(&self) -> Self {
        WordAlternativesQuery {
            queries: self.queries.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl fmt::Debug for WordAlternativesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.queries).finish()
    }
}

impl Query for WordAlternativesQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .queries
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(WordAlternativesWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for query in &self.queries {
            query.query_terms(visitor);
        }
    }
}

struct WordAlternativesWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for WordAlternativesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.remove(0),
            _ => Box::new(SideBySide::new(scorers)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let details = self
            .weights
            .iter()
            .filter_map(|weight| weight.explain(reader, doc).ok())
            .collect();
        sum_of_matches("sum of the matching alternatives", details, doc)
    }
}

/// The explanation of a score that sums those of the `details` that matched
/// `doc`; an error if none did.
pub(super) fn sum_of_matches(
    description: &'static str,
    details: Vec<Explanation>,
    doc: DocId,
) -> tantivy::Result<Explanation> {
    if details.is_empty() {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match"
        )));
    }
    let mut explanation =
        Explanation::new(description, details.iter().map(Explanation::value).sum());
    for detail in details {
        explanation.add_detail(detail);
    }
    Ok(explanation)
}

/// Scorers walked side by side: every scorer stands on the union's document or
/// after it. Where each stands is kept here, so that a step asks only the scorers
/// on the union's document to move (tantivy keeps its term scorer's type private,
/// so every call to a scorer is a dynamic one).
struct SideBySide {
    scorers: Vec<Box<dyn Scorer>>,
    /// The document each scorer stands on; none is exhausted.
    docs: Vec<DocId>,
    doc: DocId,
}

impl SideBySide {
    fn new(scorers: Vec<Box<dyn Scorer>>) -> SideBySide {
        let docs: Vec<DocId> = scorers.iter().map(DocSet::doc).collect();
        let mut union = SideBySide {
            scorers,
            docs,
            doc: TERMINATED,
        };
        union.settle();
        union
    }

    /// Drops the exhausted scorers and stands on the first document left.
    fn settle(&mut self) -> DocId {
        let mut i = 0;
        while i < self.docs.len() {
            if self.docs[i] == TERMINATED {
                self.docs.swap_remove(i);
                self.scorers.swap_remove(i);
            } else {
                i += 1;
            }
        }
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SideBySide {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        let mut exhausted = false;
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc == current {
                *doc = scorer.advance();
                exhausted |= *doc == TERMINATED;
            }
            next = next.min(*doc);
        }
        if exhausted {
            return self.settle();
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(DocSet::size_hint)
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for SideBySide {
    fn score(&mut self) -> Score {
        let mut score = 0.0;
        for (scorer, doc) in self.scorers.iter_mut().zip(&self.docs) {
            if *doc == self.doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// An index whose two fields hold words in a pattern that makes the lists
    /// overlap, interleave and run out at different places.
    fn index() -> (Index, Vec<Term>) {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for n in 0..10_000u32 {
            let word = |every: u32, w: &'static str| if n % every == 0 { w } else { "" };
            writer
                .add_document(doc!(
                    title => format!("{} {} filler", word(7, "alpha"), word(300, "beta")),
                    body => format!("{} {} {} text", word(3, "alpha"), word(11, "alpha"), word(5_001, "gamma")),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        let terms = vec![
            Term::from_field_text(title, "alpha"),
            Term::from_field_text(body, "alpha"),
            Term::from_field_text(title, "beta"),
            Term::from_field_text(body, "gamma"),
            Term::from_field_text(body, "absent"),
        ];
        (index, terms)
    }

    fn terms(terms: &[Term]) -> Vec<Box<dyn Query>> {
        terms
            .iter()
            .map(|t| Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)) as _)
            .collect()
    }

    #[test]
    fn matches_and_scores_as_a_union_of_should_clauses() {
        let (index, all) = index();
        let searcher = index.reader().unwrap().searcher();
        for chosen in [&all[..2], &all[..], &all[2..], &all[3..]] {
            let ours = WordAlternativesQuery::new(terms(chosen));
            let theirs = BooleanQuery::new(
                terms(chosen)
                    .into_iter()
                    .map(|q| (Occur::Should, q))
                    .collect(),
            );
            let top = TopDocs::with_limit(10_000);
            let (ours_count, ours_top) = searcher.search(&ours, &(Count, top)).unwrap();
            let (theirs_count, theirs_top) = searcher
                .search(&theirs, &(Count, TopDocs::with_limit(10_000)))
                .unwrap();
            assert_eq!(ours_count, theirs_count);
            // Every matching document, each with its score, whatever the order of
            // equal scores.
            let by_doc = |mut top: Vec<(Score, tantivy::DocAddress)>| {
                top.sort_by_key(|(_, address)| *address);
                top
            };
            let (ours, theirs) = (by_doc(ours_top), by_doc(theirs_top));
            assert_eq!(ours.len(), theirs.len());
            for ((ours, ours_doc), (theirs, theirs_doc)) in ours.iter().zip(&theirs) {
                assert_eq!(ours_doc, theirs_doc);
                assert!((ours - theirs).abs() <= 1e-4 * theirs.abs().max(1.0));
            }
        }
    }

    #[test]
    fn seeks_land_on_the_next_match() {
        let (index, all) = index();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let weight = WordAlternativesQuery::new(terms(&all[2..4]))
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(segment, 1.0).unwrap();
        // beta: every 300th document; gamma: 0 and 5,001.
        assert_eq!(scorer.doc(), 0);
        assert_eq!(scorer.seek(1), 300);
        assert_eq!(scorer.seek(5_000), 5_001);
        assert_eq!(scorer.advance(), 5_100);
        assert_eq!(scorer.seek(9_901), TERMINATED);
    }

    #[test]
    fn explains_the_matching_alternatives_only() {
        let (index, all) = index();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let weight = WordAlternativesQuery::new(terms(&all[..2]))
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        // Document 21: alpha in the title (every 7th) and in the body (every 3rd).
        let terms_in = |doc| {
            let explanation = weight.explain(segment, doc).unwrap().to_pretty_json();
            explanation.matches("Term=").count()
        };
        assert_eq!(terms_in(21), 2);
        assert_eq!(terms_in(14), 1);
        assert!(weight.explain(segment, 1).is_err());
    }
}
