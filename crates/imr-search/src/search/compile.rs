//! Parsed queries into tantivy queries. A word is searched in every text field (or
//! its scope's), with the token of its synonym group in the field's companion; a
//! scope that names a facet matches the facet path and everything below it. A
//! two-word phrase in a field with word pairs is one term of the pairs companion.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::Term;

use super::letter_wide::LetterWideQuery;
use super::prefix::PrefixQuery;
use super::query::Node;
use super::union::SumUnionQuery;
use super::{Engine, SearchError};
use crate::index::pairs::pair_token;

/// How much a match in each text field weighs; the rest weigh 1.
const FIELD_BOOSTS: &[(&str, f32)] = &[
    ("treatment", 3.0),
    ("citations", 1.5),
    ("summary", 0.5),
    ("rest", 0.3),
];

/// Facet scopes whose values are slugs, matched ignoring case.
const SLUG_FACETS: &[&str] = &["decision", "region", "category", "family", "year"];

impl Engine {
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

    /// Compiles a parsed query. `skipped` says whether an intersection (with
    /// another word or with filters) will skip through its matches, which decides
    /// how a word's alternatives are walked (see [`union`](super::union)).
    pub fn compile(&self, node: &Node, skipped: bool) -> Result<Box<dyn Query>, SearchError> {
        Ok(match node {
            Node::All => Box::new(AllQuery),
            Node::And(children) => {
                // Required children skip through each other; a single one is walked
                // from start to end, as its caller walks it, and skips through the
                // children it must not match.
                let required = children
                    .iter()
                    .filter(|c| !matches!(c, Node::Not(_)))
                    .count();
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for child in children {
                    match child {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.compile(inner, true)?))
                        }
                        other => clauses
                            .push((Occur::Must, self.compile(other, skipped || required > 1)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(children) => Box::new(BooleanQuery::new(
                children
                    .iter()
                    .map(|c| Ok((Occur::Should, self.compile(c, skipped)?)))
                    .collect::<Result<Vec<_>, SearchError>>()?,
            )),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.compile(inner, true)?),
            ])),
            Node::Word {
                scope,
                text,
                prefix,
                fuzzy,
            } => self.scoped(
                scope.as_deref(),
                text,
                skipped,
                |engine, field, companion| {
                    engine.word_query(field, companion, text, *prefix, *fuzzy)
                },
            )?,
            Node::Phrase { scope, text, slop } => self.scoped(
                scope.as_deref(),
                text,
                skipped,
                |engine, field, companion| engine.phrase_query(field, companion, text, *slop),
            )?,
        })
    }

    /// Builds a query for `text` in `scope`: in a facet, or in the scope's text field,
    /// or in every text field (weighted) when there is no scope.
    fn scoped(
        &self,
        scope: Option<&str>,
        text: &str,
        skipped: bool,
        in_field: impl Fn(&Engine, Field, Option<Field>) -> Result<Vec<Box<dyn Query>>, SearchError>,
    ) -> Result<Box<dyn Query>, SearchError> {
        if let Some(scope) = scope {
            let is_facet = self.schema.facet(scope).is_some();
            let text_scope = self.schema.scoped(scope);
            if scope == "case" {
                return Ok(Box::new(TermQuery::new(
                    Term::from_field_text(self.schema.fields.case, &text.to_lowercase()),
                    IndexRecordOption::Basic,
                )));
            }
            if is_facet && (text_scope.is_none() || text.starts_with('/')) {
                if scope.ends_with("guideline") && text.starts_with('/') {
                    let paths = self.prefixed_facet_paths(scope, text)?;
                    let alternatives = paths
                        .iter()
                        .map(|p| Ok((Occur::Should, self.facet_query(scope, p)?)))
                        .collect::<Result<Vec<_>, SearchError>>()?;
                    return Ok(Box::new(BooleanQuery::new(alternatives)));
                }
                return self.facet_query(scope, text);
            }
            if let Some((field, companion)) = text_scope {
                let query = either(in_field(self, field, companion)?, skipped);
                return Ok(query.map_or_else(nothing, |q| self.item_wide(field, q)));
            }
        }
        // The item's own fields and the letter's are two unions, the letter's walked
        // once per letter, the two merged side by side. Each field's alternatives
        // (the word, its synonym group's token) join the union themselves: a union
        // nested in a union buffers every document twice, and a union of term
        // scorers alone is one tantivy runs without dynamic calls (where nothing
        // skips through it; see `either`).
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
            for query in in_field(self, field, companion)? {
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
        let facet = Facet::from_text(if path.is_empty() { "/" } else { path }).map_err(|e| {
            SearchError::BadValue(format!("{value_for_error}: {e}", value_for_error = path))
        })?;
        Ok(Box::new(TermQuery::new(
            Term::from_facet(field, &facet),
            IndexRecordOption::Basic,
        )))
    }

    /// What a word matches in `field`, as alternatives: the word (its prefix, its
    /// fuzzy forms, or the phrase of its tokens) and its synonym group's token in the
    /// field's companion.
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
                (1, None) => alternatives.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, &tokens[0].1),
                    IndexRecordOption::WithFreqs,
                ))),
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
            1 => alternatives.push(Box::new(TermQuery::new(
                Term::from_field_text(field, &tokens[0].1),
                IndexRecordOption::WithFreqs,
            ))),
            _ => alternatives.push(self.phrase(field, &tokens, slop)),
        }
        alternatives.extend(self.synonym_query(companion, text));
        Ok(alternatives)
    }

    /// The phrase of `tokens` in `field`: one term of its pairs companion for two
    /// adjacent words where the field has one (the same items, without reading
    /// positions), else a phrase query.
    fn phrase(&self, field: Field, tokens: &[(usize, String)], slop: u32) -> Box<dyn Query> {
        if let ([(first_at, first), (second_at, second)], 0, Some(pairs)) =
            (tokens, slop, self.schema.pairs_of(field))
        {
            if first_at + 1 == *second_at {
                return Box::new(TermQuery::new(
                    Term::from_field_text(pairs, &pair_token(first, second)),
                    IndexRecordOption::WithFreqs,
                ));
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
    fn analyze(&self, field: Field, text: &str) -> Result<Vec<(usize, String)>, SearchError> {
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((token.position, token.text.clone()));
        }
        Ok(tokens)
    }
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
        _ if skipped => Some(Box::new(SumUnionQuery::new(alternatives))),
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
