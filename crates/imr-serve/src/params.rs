//! A request's query parameters, named as the command line's flags (`q` for the
//! query), into search requests; and the links of the pages, which are the same
//! parameters with one added or taken away, so every state is a shareable URL.

use imr_search::search::{Filters, SearchRequest, Sort};

use crate::ServeError;

/// Most hits a page or an API call may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest a page of hits may start.
pub const MAX_OFFSET: usize = 10_000;
/// Longest query, in characters (the query language's own limit).
pub const MAX_QUERY_CHARS: usize = 10_000;
/// Hits on a page, unless asked otherwise.
pub const PAGE: usize = 10;

/// The filter parameters, in the order the pages show them.
pub const FILTERS: [&str; 10] = [
    "decision",
    "region",
    "category",
    "guideline",
    "claims_guideline",
    "specialty",
    "family",
    "since",
    "until",
    "case",
];

/// A request's query parameters, in order, repeated keys kept.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// The parameters of a query string (without the `?`).
    pub fn parse(query: Option<&str>) -> Params {
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        Params { pairs }
    }

    /// Every value of `key`, non-empty ones only.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The last value of `key`, if any.
    pub fn one(&self, key: &str) -> Option<String> {
        self.all(key).pop()
    }

    /// The query text.
    pub fn query(&self) -> Result<String, ServeError> {
        let query = self.one("q").unwrap_or_default();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(ServeError::BadParameter(format!(
                "the query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        Ok(query)
    }

    /// A number parameter, within `max`.
    fn number(&self, key: &str, default: usize, max: usize) -> Result<usize, ServeError> {
        let Some(text) = self.one(key) else {
            return Ok(default);
        };
        let value: usize = text
            .trim()
            .parse()
            .map_err(|_| ServeError::BadParameter(format!("{key}={text:?} is not a number")))?;
        if value > max {
            return Err(ServeError::BadParameter(format!(
                "{key}={value} is more than the {max} allowed"
            )));
        }
        Ok(value)
    }

    /// The filters, as the command line's flags give them.
    pub fn filters(&self) -> Filters {
        Filters {
            decision: self.all("decision"),
            region: self.all("region"),
            category: self.all("category"),
            guideline: self.all("guideline"),
            claims_guideline: self.all("claims_guideline"),
            specialty: self.all("specialty"),
            family: self.all("family"),
            since: self.one("since"),
            until: self.one("until"),
            case: self.all("case"),
            include_unparsed: self.one("include_unparsed").is_some_and(|v| v != "false"),
        }
    }

    /// The search these parameters ask for: `q`, the filters, `facet` (repeated),
    /// `limit`, `offset`, `sort`, `group_by_letter`.
    pub fn search_request(&self, facets: Vec<String>) -> Result<SearchRequest, ServeError> {
        let sort = match self.one("sort").as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(other) => {
                return Err(ServeError::BadParameter(format!(
                    "sort={other:?}: sorts are relevance and date"
                )))
            }
        };
        Ok(SearchRequest {
            query: self.query()?,
            filters: self.filters(),
            facets,
            limit: self.number("limit", PAGE, MAX_LIMIT)?,
            offset: self.number("offset", 0, MAX_OFFSET)?,
            sort,
            group_by_letter: self.one("group_by_letter").is_some_and(|v| v != "false"),
            snippet_chars: None,
        })
    }

    /// The facets asked for with `facet`.
    pub fn facets(&self) -> Vec<String> {
        self.all("facet")
    }

    /// Whether `key` has the value `value`.
    pub fn has(&self, key: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == key && v == value)
    }

    /// These parameters with `key=value` added (and the page reset).
    pub fn with(&self, key: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, _)| k != "offset")
            .cloned()
            .collect();
        if !self.has(key, value) {
            pairs.push((key.to_string(), value.to_string()));
        }
        Params { pairs }
    }

    /// These parameters with `key` set to `value` alone.
    pub fn set(&self, key: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, _)| k != key)
            .cloned()
            .collect();
        pairs.push((key.to_string(), value.to_string()));
        Params { pairs }
    }

    /// These parameters without `key=value` (and the page reset).
    pub fn without(&self, key: &str, value: &str) -> Params {
        Params {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, v)| k != "offset" && !(k == key && v == value))
                .cloned()
                .collect(),
        }
    }

    /// Only the query and the filters: what the stats page and the search page
    /// share.
    pub fn question(&self) -> Params {
        Params {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| {
                    k == "q" || k == "include_unparsed" || FILTERS.contains(&k.as_str())
                })
                .cloned()
                .collect(),
        }
    }

    /// These parameters without any filter.
    pub fn without_filters(&self) -> Params {
        Params {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| k != "offset" && !FILTERS.contains(&k.as_str()))
                .cloned()
                .collect(),
        }
    }

    /// The active filters, as (parameter, value) pairs.
    pub fn active_filters(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, v)| FILTERS.contains(&k.as_str()) && !v.trim().is_empty())
            .cloned()
            .collect()
    }

    /// The URL `path` with these parameters.
    pub fn url(&self, path: &str) -> String {
        if self.pairs.is_empty() {
            return path.to_string();
        }
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs.iter())
            .finish();
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_links_round_trip() {
        let params = Params::parse(Some("q=mri&region=knee&region=low-back&offset=10"));
        assert_eq!(params.all("region"), ["knee", "low-back"]);
        let added = params.with("decision", "upheld");
        assert_eq!(
            added.url("/"),
            "/?q=mri&region=knee&region=low-back&decision=upheld"
        );
        let removed = Params::parse(Some(&added.url("/")[2..])).without("region", "knee");
        assert_eq!(removed.all("region"), ["low-back"]);
        assert_eq!(removed.one("q").as_deref(), Some("mri"));
    }

    #[test]
    fn limits_are_capped() {
        let too_many = Params::parse(Some("limit=1000"));
        assert!(too_many.search_request(Vec::new()).is_err());
        let odd = Params::parse(Some("offset=ten"));
        assert!(odd.search_request(Vec::new()).is_err());
        let fine = Params::parse(Some("limit=20&sort=date"));
        let request = fine.search_request(Vec::new()).unwrap();
        assert_eq!((request.limit, request.sort), (20, Sort::Date));
    }
}
