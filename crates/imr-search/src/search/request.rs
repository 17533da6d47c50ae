//! What a search asks: the query text, its filters, the facets to count, and the
//! page of hits wanted.

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest decision first.
    Date,
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query, in the query language (see [`query`](super::query)).
    pub query: String,
    /// Filters every hit must pass.
    pub filters: Filters,
    /// Facets to count over every matching item.
    pub facets: Vec<String>,
    /// Hits wanted.
    pub limit: usize,
    /// Hits skipped first, for paging.
    pub offset: usize,
    /// Order of the hits.
    pub sort: Sort,
    /// One hit per letter: its best item.
    pub group_by_letter: bool,
    /// Characters of rationale a hit's snippet shows; none: 240.
    pub snippet_chars: Option<usize>,
}

/// The filters of `search`, `stats` and `similar`. Values of one filter are
/// alternatives; different filters must all hold.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Outcomes: `upheld`, `overturned`.
    pub decision: Vec<String>,
    /// Body region slugs.
    pub region: Vec<String>,
    /// Category slugs, optionally with a drug class: `pharmaceutical/opioid`.
    pub category: Vec<String>,
    /// Facet path prefixes (`/MTUS/ACOEM/Chapter 12`) or loose names (`ACOEM 12`)
    /// of the reviewer's citations.
    pub guideline: Vec<String>,
    /// As `guideline`, for the claims administrator's citations.
    pub claims_guideline: Vec<String>,
    /// Reviewer specialties.
    pub specialty: Vec<String>,
    /// Letter families.
    pub family: Vec<String>,
    /// Decision dates, `YYYY-MM-DD`, inclusive.
    pub since: Option<String>,
    /// Decision dates, `YYYY-MM-DD`, inclusive.
    pub until: Option<String>,
    /// Case numbers.
    pub case: Vec<String>,
    /// Keep the files that are not letters (family `unknown`), which are left out
    /// unless this is set or the family is asked for (here or in the query).
    pub include_unparsed: bool,
}
