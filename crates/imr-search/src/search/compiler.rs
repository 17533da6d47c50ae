//! Questions into tantivy queries. The compiler owns what a query means: the index
//! schema (fields, scopes, facets), the synonym groups, the tokenizers and the
//! tables of the coded facets. A word is searched in every text field (or its
//! scope's), with the token of its synonym group in the field's companion; a scope
//! that names a facet matches the facet path and everything below it; a two-word
//! phrase in a field with word pairs is one term of the pairs companion; filters
//! become clauses that must match and score nothing.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Score, Searcher, Term};

use super::letter_wide::LetterWideQuery;
use super::prefix::PrefixQuery;
use super::query::{self, Node};
use super::values;
use super::word_alternatives::WordAlternativesQuery;
use super::{Filters, GuidelineMatch, SearchError};
use crate::index::codes::CodeTables;
use crate::index::documents::timestamp;
use crate::index::pairs::{pair_token, CommonWords};
use crate::index::schema::FieldSpec;
use crate::index::{IndexSchema, Synonyms};
use crate::model::Family;
use crate::text::fold_key;

/// How much a match in each text field weighs; the rest weigh 1.
const FIELD_BOOSTS: &[(&str, f32)] = &[
    ("treatment", 3.0),
    ("citations", 1.5),
    ("summary", 0.5),
    ("rest", 0.3),
];

/// Facet scopes whose values are slugs, matched ignoring case.
const SLUG_FACETS: &[&str] = &["decision", "region", "category", "family", "year"];

/// The score of every item when no words rank them (filters alone, `*`), as
/// tantivy's `AllQuery` scores them.
pub(crate) const UNRANKED_SCORE: Score = 1.0;

/// A question compiled: the query with its filters, the query alone (for
/// snippets), and what loose guideline names matched.
pub(crate) struct CompiledQuery {
    /// What the items must match: the query and every filter.
    pub filtered: Box<dyn Query>,
    /// The query's words alone, which snippets highlight.
    pub words: Box<dyn Query>,
    pub guideline_matches: Vec<GuidelineMatch>,
    /// The score of every item `filtered` matches, when it has no words to rank by.
    pub constant_score: Option<Score>,
}

/// Filters compiled: clauses that must all hold.
pub(crate) struct FilterClauses {
    pub clauses: Vec<Box<dyn Query>>,
    pub guideline_matches: Vec<GuidelineMatch>,
}

/// What a query means in one index: its schema, synonyms, tokenizers and the
/// tables of its coded facets.
pub struct QueryCompiler {
    schema: IndexSchema,
    synonyms: Synonyms,
    tokenizers: TokenizerManager,
    facet_codes: CodeTables,
    /// The words whose pairs the pairs fields hold.
    pair_words: CommonWords,
}

impl QueryCompiler {
    /// A compiler for an index of `schema`, whose text fields are analysed by
    /// `tokenizers`, whose coded facets are `facet_codes` and whose pairs fields
    /// hold the pairs of `pair_words`.
    pub fn new(
        schema: IndexSchema,
        synonyms: Synonyms,
        tokenizers: TokenizerManager,
        facet_codes: CodeTables,
        pair_words: CommonWords,
    ) -> QueryCompiler {
        QueryCompiler {
            schema,
            synonyms,
            tokenizers,
            facet_codes,
            pair_words,
        }
    }

    /// The index schema.
    pub fn schema(&self) -> &IndexSchema {
        &self.schema
    }

    /// The synonym groups.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// What the codes of the coded facets mean.
    pub fn facet_codes(&self) -> &CodeTables {
        &self.facet_codes
    }

    /// Forgets the coded facets' tables, so every facet is counted from its facet
    /// column (what the codes are checked against).
    pub fn forget_facet_codes(&mut self) {
        self.facet_codes.clear();
    }

    /// The scopes a query may name: text scopes and facet names.
    pub fn scopes(&self) -> Vec<&str> {
        let mut scopes: Vec<&str> = self
            .schema
            .specs
            .iter()
            .filter_map(|s| s.scope.as_deref())
            .collect();
        for facet in self.schema.facet_names() {
            if !scopes.contains(&facet) {
                scopes.push(facet);
            }
        }
        scopes
    }

    /// Parses and compiles `text`, and adds the filters.
    pub(crate) fn compile_request(
        &self,
        searcher: &Searcher,
        text: &str,
        filters: &Filters,
    ) -> Result<CompiledQuery, SearchError> {
        let node = query::parse(text, &self.scopes()).map_err(|error| SearchError::Query {
            query: text.to_string(),
            error,
        })?;
        let filters = self.filter_clauses(searcher, filters, node.names_scope("family"))?;
        let words = self.compile(searcher, &node, !filters.clauses.is_empty())?;
        // No words ask for every item: filters alone say which, without
        // intersecting every item with them (a step per item, scoring nothing).
        let ranked = (node != Node::All).then(|| words.box_clone());
        let constant_score = ranked.is_none().then_some(UNRANKED_SCORE);
        Ok(CompiledQuery {
            filtered: with_filters(ranked, filters.clauses),
            words,
            guideline_matches: filters.guideline_matches,
            constant_score,
        })
    }

    /// Compiles a parsed query. `skipped` says whether an intersection (with
    /// another word or with filters) will skip through its matches, which decides
    /// how a word's alternatives are walked (see
    /// [`word_alternatives`](super::word_alternatives)).
    pub fn compile(
        &self,
        searcher: &Searcher,
        node: &Node,
        skipped: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        Ok(match node {
            Node::All => Box::new(AllQuery),
            Node::And(children) => self.all_of(searcher, children, skipped)?,
            Node::Or(children) => Box::new(BooleanQuery::new(
                children
                    .iter()
                    .map(|c| Ok((Occur::Should, self.compile(searcher, c, skipped)?)))
                    .collect::<Result<Vec<_>, SearchError>>()?,
            )),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.compile(searcher, inner, true)?),
            ])),
            Node::Word {
                scope,
                text,
                prefix,
                fuzzy,
            } => self.scoped(
                searcher,
                scope.as_deref(),
                text,
                skipped,
                |field, companion| self.word_query(field, companion, text, *prefix, *fuzzy),
            )?,
            Node::Phrase { scope, text, slop } => self.scoped(
                searcher,
                scope.as_deref(),
                text,
                skipped,
                |field, companion| self.phrase_query(field, companion, text, *slop),
            )?,
        })
    }

    /// The children of an AND: required children skip through each other; a
    /// single one is walked from start to end, as its caller walks it, and skips
    /// through the children it must not match.
    fn all_of(
        &self,
        searcher: &Searcher,
        children: &[Node],
        skipped: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        let required = children
            .iter()
            .filter(|c| !matches!(c, Node::Not(_)))
            .count();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for child in children {
            match child {
                Node::Not(inner) => {
                    clauses.push((Occur::MustNot, self.compile(searcher, inner, true)?))
                }
                other => clauses.push((
                    Occur::Must,
                    self.compile(searcher, other, skipped || required > 1)?,
                )),
            }
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Builds a query for `text` in `scope`: in a facet, or in the scope's text
    /// field, or in every text field (weighted) when there is no scope.
    fn scoped(
        &self,
        searcher: &Searcher,
        scope: Option<&str>,
        text: &str,
        skipped: bool,
        in_field: impl Fn(Field, Option<Field>) -> Result<Vec<Box<dyn Query>>, SearchError>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let Some(scope) = scope else {
            return self.in_every_field(skipped, in_field);
        };
        if scope == "case" {
            return self.case_query(searcher, text);
        }
        let is_facet = self.schema.facet(scope).is_some();
        let text_scope = self.schema.scoped(scope);
        if is_facet && (text_scope.is_none() || text.starts_with('/')) {
            if scope.ends_with("guideline") && text.starts_with('/') {
                let paths = self.prefixed_facet_paths(searcher, scope, text)?;
                if paths.is_empty() {
                    return Err(no_guideline_path(scope, text));
                }
                let alternatives = paths
                    .iter()
                    .map(|p| self.facet_query(scope, p))
                    .collect::<Result<Vec<_>, SearchError>>()?;
                return Ok(any_of(alternatives));
            }
            return self.checked_facet_query(searcher, scope, text);
        }
        match text_scope {
            Some((field, companion)) => {
                let query = either(in_field(field, companion)?, skipped);
                Ok(query.map_or_else(nothing, |q| self.item_wide(field, q)))
            }
            None => self.in_every_field(skipped, in_field),
        }
    }

    /// A word or phrase in every text field, weighted by field. The item's own
    /// fields and the letter's are two unions, the letter's walked once per
    /// letter, the two merged side by side. Each field's alternatives (the word,
    /// its synonym group's token) join the union themselves: a union nested in a
    /// union buffers every document twice, and a union of term scorers alone is
    /// one tantivy runs without dynamic calls (where nothing skips through it; see
    /// [`either`]).
    fn in_every_field(
        &self,
        skipped: bool,
        in_field: impl Fn(Field, Option<Field>) -> Result<Vec<Box<dyn Query>>, SearchError>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let mut item_fields: Vec<Box<dyn Query>> = Vec::new();
        let mut letter_fields: Vec<Box<dyn Query>> = Vec::new();
        for (field, companion) in self.schema.default_fields() {
            let name = self.schema.schema.get_field_name(field);
            let boost = FIELD_BOOSTS
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(1.0, |(_, b)| *b);
            let union = if self.schema.is_letter_level(field) {
                &mut letter_fields
            } else {
                &mut item_fields
            };
            for query in in_field(field, companion)? {
                union.push(Box::new(BoostQuery::new(query, boost)));
            }
        }
        let fields = &self.schema.fields;
        Ok(
            match (either(item_fields, skipped), either(letter_fields, skipped)) {
                (items, Some(letters)) => {
                    let query = LetterWideQuery::new(letters, fields);
                    Box::new(match items {
                        Some(items) => query.or_items(items),
                        None => query,
                    })
                }
                (Some(items), None) => items,
                (None, None) => nothing(),
            },
        )
    }

    /// A query on `field` that every item it concerns matches: a letter-level
    /// field's match stands for all its letter's items.
    fn item_wide(&self, field: Field, query: Box<dyn Query>) -> Box<dyn Query> {
        if self.schema.is_letter_level(field) {
            Box::new(LetterWideQuery::new(query, &self.schema.fields))
        } else {
            query
        }
    }

    /// The items of case number `case`, ignoring case; an error when the index
    /// holds no such case.
    fn case_query(&self, searcher: &Searcher, case: &str) -> Result<Box<dyn Query>, SearchError> {
        let term = Term::from_field_text(self.schema.fields.case, &case.trim().to_lowercase());
        if searcher.doc_freq(&term)? == 0 {
            return Err(SearchError::UnknownValue {
                facet: "case".into(),
                value: case.to_string(),
                hint: "case numbers look like CM14-0123456".into(),
            });
        }
        Ok(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
    }

    /// What a word matches in `field`, as alternatives: the word (its prefix, its
    /// fuzzy forms, or the phrase of its tokens) and its synonym group's token in
    /// the field's companion.
    fn word_query(
        &self,
        field: Field,
        companion: Option<Field>,
        text: &str,
        prefix: bool,
        fuzzy: Option<u8>,
    ) -> Result<Vec<Box<dyn Query>>, SearchError> {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        if prefix {
            alternatives.push(Box::new(PrefixQuery::new(field, &text.to_lowercase())));
        } else {
            let tokens = self.analyze(field, text)?;
            match (tokens.len(), fuzzy) {
                (0, _) => {}
                (1, Some(distance)) => alternatives.push(Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(field, &tokens[0].1),
                    distance,
                    true,
                ))),
                (1, None) => alternatives.push(term(field, &tokens[0].1)),
                _ => alternatives.push(self.phrase(field, &tokens, 0)),
            }
        }
        alternatives.extend(self.synonym_query(companion, text));
        Ok(alternatives)
    }

    /// What a phrase matches in `field`, as alternatives, as for a word.
    fn phrase_query(
        &self,
        field: Field,
        companion: Option<Field>,
        text: &str,
        slop: u32,
    ) -> Result<Vec<Box<dyn Query>>, SearchError> {
        let tokens = self.analyze(field, text)?;
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        match tokens.len() {
            0 => {}
            1 => alternatives.push(term(field, &tokens[0].1)),
            _ => alternatives.push(self.phrase(field, &tokens, slop)),
        }
        alternatives.extend(self.synonym_query(companion, text));
        Ok(alternatives)
    }

    /// The phrase of `tokens` in `field`: one term of its pairs companion for two
    /// adjacent words the companion pairs (the same items, without reading
    /// positions), else a phrase query.
    fn phrase(&self, field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
        if let ([(first_at, first), (second_at, second)], 0, Some(pairs)) =
            (tokens, slop, self.schema.pairs_of(field))
        {
            if first_at + 1 == *second_at && self.pair_words.pairs(first, second) {
                return term(pairs, &pair_token(first, second));
            }
        }
        phrase(field, tokens, slop)
    }

    fn synonym_query(&self, companion: Option<Field>, text: &str) -> Option<Box<dyn Query>> {
        let token = self.synonyms.token_for(text)?;
        Some(Box::new(TermQuery::new(
            Term::from_field_text(companion?, token),
            IndexRecordOption::Basic,
        )))
    }

    /// The tokens the field's analyzer makes of `text`, with their positions.
    pub fn analyze(&self, field: Field, text: &str) -> Result<Vec<(usize, String)>, SearchError> {
        let entry = self.schema.schema.get_field_entry(field);
        let name = match entry.field_type() {
            tantivy::schema::FieldType::Str(options) => options
                .get_indexing_options()
                .map(|o| o.tokenizer().to_string()),
            _ => None,
        };
        let mut analyzer = name
            .and_then(|name| self.tokenizers.get(&name))
            .ok_or_else(|| {
                SearchError::BadValue(format!("field {:?} is not analysed", entry.name()))
            })?;
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((token.position, token.text.clone()));
        }
        Ok(tokens)
    }

    /// The query of a facet value as a person typed it, checked against the
    /// values the index holds (and those its vocabularies give): found ignoring
    /// case, or refused with the nearest.
    fn checked_facet_query(
        &self,
        searcher: &Searcher,
        facet: &str,
        typed: &str,
    ) -> Result<Box<dyn Query>, SearchError> {
        let in_index = self.facet_paths(searcher, facet)?;
        let mut also_valid = BTreeSet::new();
        if let Some(table) = self.facet_codes.get(facet) {
            also_valid.extend(table.paths.iter().map(|path| format!("/{path}")));
        }
        if facet == "family" {
            also_valid.extend(Family::ALL.iter().map(|f| format!("/{}", f.slug())));
        }
        let path = values::resolve(facet, typed, &in_index, &also_valid)?;
        self.facet_query(facet, &path)
    }

    /// A facet path query: `decision:upheld`, `category:pharmaceutical/opioid`,
    /// `guideline:/MTUS/ACOEM`.
    pub fn facet_query(&self, facet: &str, value: &str) -> Result<Box<dyn Query>, SearchError> {
        let field = self.facet_field(facet)?;
        let value = if SLUG_FACETS.contains(&facet) {
            value.to_lowercase()
        } else {
            value.to_string()
        };
        let path = if value.starts_with('/') {
            value
        } else {
            format!("/{value}")
        };
        let path = path.trim_end_matches('/');
        let facet = Facet::from_text(if path.is_empty() { "/" } else { path })
            .map_err(|e| SearchError::BadValue(format!("{path}: {e}")))?;
        Ok(Box::new(TermQuery::new(
            Term::from_facet(field, &facet),
            IndexRecordOption::Basic,
        )))
    }

    /// The filters as query clauses, and what loose guideline names matched.
    /// Files that are not letters are left out unless asked for: by
    /// `include_unparsed`, a family filter, or a query naming the family
    /// (`query_names_family`).
    pub(crate) fn filter_clauses(
        &self,
        searcher: &Searcher,
        filters: &Filters,
        query_names_family: bool,
    ) -> Result<FilterClauses, SearchError> {
        let mut clauses = Vec::new();
        let mut guideline_matches = Vec::new();
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
                    .map(|v| self.checked_facet_query(searcher, facet, v))
                    .collect::<Result<Vec<_>, _>>()?;
                clauses.push(any_of(alternatives));
            }
        }
        for (facet, values) in [
            ("guideline", &filters.guideline),
            ("claims_guideline", &filters.claims_guideline),
        ] {
            if !values.is_empty() {
                let (clause, matches) = self.guideline_clause(searcher, facet, values)?;
                clauses.push(clause);
                guideline_matches.extend(matches);
            }
        }
        if !filters.case.is_empty() {
            let cases = filters
                .case
                .iter()
                .map(|c| self.case_query(searcher, c))
                .collect::<Result<Vec<_>, _>>()?;
            clauses.push(any_of(cases));
        }
        if filters.since.is_some() || filters.until.is_some() {
            clauses.push(self.date_range(filters)?);
        }
        let asked_for =
            filters.include_unparsed || !filters.family.is_empty() || query_names_family;
        if !asked_for {
            clauses.extend(self.without_unparsed(searcher)?);
        }
        Ok(FilterClauses {
            clauses,
            guideline_matches,
        })
    }

    /// The items citing any of `values` (path prefixes or loose names) in facet
    /// `facet`, and what each loose name matched.
    fn guideline_clause(
        &self,
        searcher: &Searcher,
        facet: &str,
        values: &[String],
    ) -> Result<(Box<dyn Query>, Vec<GuidelineMatch>), SearchError> {
        let mut alternatives = Vec::new();
        let mut matches = Vec::new();
        for value in values {
            let is_path = value.starts_with('/');
            let paths = if is_path {
                self.prefixed_facet_paths(searcher, facet, value)?
            } else {
                self.loose_facet_paths(searcher, facet, value)?
            };
            if paths.is_empty() {
                return Err(no_guideline_path(facet, value));
            }
            for path in &paths {
                alternatives.push(self.facet_query(facet, path)?);
            }
            if !is_path {
                matches.push(GuidelineMatch {
                    filter: facet.to_string(),
                    value: value.clone(),
                    paths,
                });
            }
        }
        Ok((any_of(alternatives), matches))
    }

    /// A clause leaving out the files that are not letters (family `unknown`);
    /// none when the index holds none.
    fn without_unparsed(&self, searcher: &Searcher) -> Result<Option<Box<dyn Query>>, SearchError> {
        let field = self.facet_field("family")?;
        let unknown = Facet::from_text(&format!("/{}", Family::Unknown.slug()))
            .map_err(|e| SearchError::BadValue(e.to_string()))?;
        let term = Term::from_facet(field, &unknown);
        if searcher.doc_freq(&term)? == 0 {
            return Ok(None);
        }
        Ok(Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ),
        ]))))
    }

    /// The decision dates between `since` and `until`, inclusive.
    fn date_range(&self, filters: &Filters) -> Result<Box<dyn Query>, SearchError> {
        let date = |flag: &str, value: &Option<String>| match value {
            None => Ok(None),
            Some(text) => timestamp(text).map(Some).ok_or_else(|| {
                SearchError::BadValue(format!("--{flag} {text:?} is not a date (YYYY-MM-DD)"))
            }),
        };
        let (since, until) = (
            date("since", &filters.since)?,
            date("until", &filters.until)?,
        );
        if let (Some(since), Some(until)) = (since, until) {
            if since > until {
                return Err(SearchError::BadValue(format!(
                    "--since {} is after --until {}: no date is both",
                    filters.since.as_deref().unwrap_or_default(),
                    filters.until.as_deref().unwrap_or_default()
                )));
            }
        }
        let bound = |at: Option<tantivy::DateTime>| match at {
            None => Bound::Unbounded,
            Some(at) => {
                Bound::Included(Term::from_field_date(self.schema.fields.decision_date, at))
            }
        };
        Ok(Box::new(RangeQuery::new(bound(since), bound(until))))
    }

    /// The shortest facet paths whose folded words contain every word of `loose`
    /// ("ACOEM 12" → `/MTUS/ACOEM/Chapter 12 Low Back Complaints`; "ODG low back"
    /// → `/ODG/Low Back`): none of them below another.
    fn loose_facet_paths(
        &self,
        searcher: &Searcher,
        facet: &str,
        loose: &str,
    ) -> Result<Vec<String>, SearchError> {
        let wanted: Vec<String> = fold_key(loose)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let all = self.facet_paths(searcher, facet)?;
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
        searcher: &Searcher,
        facet: &str,
        prefix: &str,
    ) -> Result<Vec<String>, SearchError> {
        let prefix = prefix.trim_end_matches('/');
        let all = self.facet_paths(searcher, facet)?;
        let matching: Vec<&String> = all.iter().filter(|p| p.starts_with(prefix)).collect();
        Ok(shortest(&matching))
    }

    /// The schema spec of the facet named `facet` publicly.
    pub fn facet_spec(&self, facet: &str) -> Result<&FieldSpec, SearchError> {
        self.schema
            .facet(facet)
            .ok_or_else(|| SearchError::UnknownFacet {
                name: facet.to_string(),
                known: self.schema.facet_names().join(", "),
            })
    }

    /// The index field of the facet named `facet` publicly.
    pub fn facet_field(&self, facet: &str) -> Result<Field, SearchError> {
        let spec = self.facet_spec(facet)?;
        Ok(self
            .schema
            .schema
            .get_field(&spec.name)
            .expect("specs name fields"))
    }

    /// Every path (and ancestor) of a facet in the index `searcher` reads.
    pub fn facet_paths(
        &self,
        searcher: &Searcher,
        facet: &str,
    ) -> Result<BTreeSet<String>, SearchError> {
        let field = self.facet_field(facet)?;
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

/// `query` with every filter as a clause that must match and scores nothing.
/// Without a query, every item the filters keep, scored [`UNRANKED_SCORE`] as `*`
/// scores it.
pub(crate) fn with_filters(
    query: Option<Box<dyn Query>>,
    filters: Vec<Box<dyn Query>>,
) -> Box<dyn Query> {
    let clause = |filter| {
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(filter, 0.0)) as _,
        )
    };
    match query {
        Some(query) if filters.is_empty() => query,
        Some(query) => {
            let mut clauses = vec![(Occur::Must, query)];
            clauses.extend(filters.into_iter().map(clause));
            Box::new(BooleanQuery::new(clauses))
        }
        None if filters.is_empty() => Box::new(AllQuery),
        None => Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(filters.into_iter().map(clause).collect())),
            UNRANKED_SCORE,
        )),
    }
}

/// One term, with its frequencies for scoring.
fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn phrase(field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
    let first = tokens[0].0;
    let terms = tokens
        .iter()
        .map(|(position, text)| (position - first, Term::from_field_text(field, text)))
        .collect();
    Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
}

/// What any of `alternatives` matches, scored as the sum of those that match:
/// walked side by side where an intersection `skipped` through it, buffered by
/// tantivy otherwise.
fn either(mut alternatives: Vec<Box<dyn Query>>, skipped: bool) -> Option<Box<dyn Query>> {
    match alternatives.len() {
        0 => None,
        1 => alternatives.pop(),
        _ if skipped => Some(Box::new(WordAlternativesQuery::new(alternatives))),
        _ => Some(Box::new(BooleanQuery::new(
            alternatives
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect(),
        ))),
    }
}

/// A query that matches nothing.
fn nothing() -> Box<dyn Query> {
    Box::new(BooleanQuery::new(Vec::new()))
}

/// The items matching any of `alternatives`.
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

/// The refusal of a guideline filter that names no path of the index.
fn no_guideline_path(facet: &str, value: &str) -> SearchError {
    SearchError::BadValue(format!(
        "--{} {value:?} matches no guideline path in the index; `imr stats --by {facet}` lists them",
        facet.replace('_', "-")
    ))
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
