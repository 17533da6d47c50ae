//! Filter flags into queries. Values of one flag are alternatives; different flags
//! must all hold.

use std::collections::BTreeSet;
use std::ops::Bound;

use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

use super::{Engine, SearchError};
use crate::index::documents::timestamp;
use crate::index::schema::FieldSpec;
use crate::text::fold_key;

/// The filters of `search`, `stats` and `similar`.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub decision: Vec<String>,
    pub region: Vec<String>,
    pub category: Vec<String>,
    /// Facet path prefixes (`/MTUS/ACOEM/Chapter 12`) or loose names (`ACOEM 12`).
    pub guideline: Vec<String>,
    pub claims_guideline: Vec<String>,
    pub specialty: Vec<String>,
    pub family: Vec<String>,
    /// Decision dates, `YYYY-MM-DD`, inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
    pub case: Vec<String>,
}

/// Filters compiled: clauses that must all hold.
pub struct FilterClauses {
    pub clauses: Vec<Box<dyn Query>>,
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// Which facet paths a loose guideline name stood for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GuidelineMatch {
    pub filter: String,
    pub value: String,
    pub paths: Vec<String>,
}

impl Engine {
    /// The filters as query clauses, and what loose guideline names matched.
    pub fn filter_clauses(&self, filters: &Filters) -> Result<FilterClauses, SearchError> {
        let mut clauses = Vec::new();
        let mut matches = Vec::new();
        let facet_flags: [(&str, &[String]); 5] = [
            ("decision", &filters.decision),
            ("region", &filters.region),
            ("category", &filters.category),
            ("specialty", &filters.specialty),
            ("family", &filters.family),
        ];
        for (facet, values) in facet_flags {
            if !values.is_empty() {
                let alternatives = values
                    .iter()
                    .map(|v| self.facet_query(facet, v))
                    .collect::<Result<Vec<_>, _>>()?;
                clauses.push(any_of(alternatives));
            }
        }
        for (facet, values) in [
            ("guideline", &filters.guideline),
            ("claims_guideline", &filters.claims_guideline),
        ] {
            if values.is_empty() {
                continue;
            }
            let mut alternatives = Vec::new();
            for value in values {
                let paths = if value.starts_with('/') {
                    self.prefixed_facet_paths(facet, value)?
                } else {
                    self.loose_facet_paths(facet, value)?
                };
                if paths.is_empty() {
                    return Err(SearchError::BadValue(format!(
                        "--{} {value:?} matches no guideline path in the index",
                        facet.replace('_', "-")
                    )));
                }
                for path in &paths {
                    alternatives.push(self.facet_query(facet, path)?);
                }
                if value.starts_with('/') {
                    continue;
                }
                matches.push(GuidelineMatch {
                    filter: facet.to_string(),
                    value: value.clone(),
                    paths,
                });
            }
            clauses.push(any_of(alternatives));
        }
        if !filters.case.is_empty() {
            clauses.push(any_of(
                filters
                    .case
                    .iter()
                    .map(|c| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(self.schema.fields.case, &c.to_lowercase()),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect(),
            ));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let bound = |flag: &str, value: &Option<String>| -> Result<Bound<Term>, SearchError> {
                match value {
                    None => Ok(Bound::Unbounded),
                    Some(date) => {
                        let at = timestamp(date).ok_or_else(|| {
                            SearchError::BadValue(format!(
                                "--{flag} {date:?} is not a date (YYYY-MM-DD)"
                            ))
                        })?;
                        Ok(Bound::Included(Term::from_field_date(
                            self.schema.fields.decision_date,
                            at,
                        )))
                    }
                }
            };
            clauses.push(Box::new(RangeQuery::new(
                bound("since", &filters.since)?,
                bound("until", &filters.until)?,
            )));
        }
        Ok(FilterClauses {
            clauses,
            guideline_matches: matches,
        })
    }

    /// The shortest facet paths whose folded words contain every word of `loose`
    /// ("ACOEM 12" → `/MTUS/ACOEM/Chapter 12 Low Back Complaints`; "ODG low back" →
    /// `/ODG/Low Back`): none of them below another.
    fn loose_facet_paths(&self, facet: &str, loose: &str) -> Result<Vec<String>, SearchError> {
        let wanted: Vec<String> = fold_key(loose)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let all = self.facet_paths(facet)?;
        let matching: Vec<&String> = all
            .iter()
            .filter(|path| {
                let words: BTreeSet<String> = fold_key(path)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                wanted.iter().all(|w| words.contains(w))
            })
            .collect();
        Ok(shortest(&matching))
    }

    /// The paths a path prefix stands for, its last part possibly cut
    /// (`/MTUS/ACOEM/Chapter 12` → `/MTUS/ACOEM/Chapter 12 Low Back Complaints`).
    pub fn prefixed_facet_paths(
        &self,
        facet: &str,
        prefix: &str,
    ) -> Result<Vec<String>, SearchError> {
        let prefix = prefix.trim_end_matches('/');
        let all = self.facet_paths(facet)?;
        let matching: Vec<&String> = all.iter().filter(|p| p.starts_with(prefix)).collect();
        Ok(shortest(&matching))
    }

    /// The schema spec of the facet named `facet` publicly.
    pub(crate) fn facet_spec(&self, facet: &str) -> Result<&FieldSpec, SearchError> {
        self.schema
            .facet(facet)
            .ok_or_else(|| SearchError::UnknownFacet {
                name: facet.to_string(),
                known: self.schema.facet_names().join(", "),
            })
    }

    /// The index field of the facet named `facet` publicly.
    pub(crate) fn facet_field(&self, facet: &str) -> Result<tantivy::schema::Field, SearchError> {
        let spec = self.facet_spec(facet)?;
        Ok(self
            .schema
            .schema
            .get_field(&spec.name)
            .expect("specs name fields"))
    }

    /// Every path (and ancestor) of a facet in the index.
    pub fn facet_paths(&self, facet: &str) -> Result<BTreeSet<String>, SearchError> {
        let field = self.facet_field(facet)?;
        let searcher = self.reader.searcher();
        let mut paths = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| SearchError::Tantivy(e.into()))?;
            while stream.advance() {
                if let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) {
                    paths.insert(facet.to_path_string());
                }
            }
        }
        Ok(paths)
    }
}

/// The paths not below another of them.
fn shortest(paths: &[&String]) -> Vec<String> {
    paths
        .iter()
        .filter(|path| {
            !paths
                .iter()
                .any(|other| other != *path && path.starts_with(&format!("{other}/")))
        })
        .map(|p| p.to_string())
        .collect()
}

fn any_of(mut alternatives: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alternatives.len() == 1 {
        return alternatives.pop().expect("one alternative");
    }
    Box::new(BooleanQuery::new(
        alternatives
            .into_iter()
            .map(|q| (Occur::Should, q))
            .collect(),
    ))
}
