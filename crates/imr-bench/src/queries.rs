//! The fixed query mix: what users ask, in each form the query language offers, and
//! the same question as FTS5 and ripgrep can put it, where they can.

use imr_search::search::Filters;

use crate::peers::FtsQuery;

/// The form of a query, for per-kind figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Keyword,
    AllWords,
    Phrase,
    Prefix,
    Fuzzy,
    Filtered,
    FiltersOnly,
    Stats,
    Similar,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Keyword => "keyword",
            Kind::AllWords => "two words (AND)",
            Kind::Phrase => "phrase",
            Kind::Prefix => "prefix",
            Kind::Fuzzy => "fuzzy",
            Kind::Filtered => "keyword + filter",
            Kind::FiltersOnly => "filters only",
            Kind::Stats => "stats --by",
            Kind::Similar => "similar",
        }
    }
}

/// One query of the mix.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub kind: Kind,
    /// The `imr` query text.
    pub text: String,
    pub filters: Filters,
    /// The facet of a `stats` query.
    pub by: Option<&'static str>,
    /// The item id of a `similar` query.
    pub similar_to: Option<String>,
    pub fts: Option<FtsQuery>,
    /// ripgrep's pattern and whether it is a whole word.
    pub rg: Option<(String, bool)>,
}

impl BenchQuery {
    fn new(kind: Kind, text: &str) -> BenchQuery {
        BenchQuery {
            kind,
            text: text.to_string(),
            filters: Filters::default(),
            by: None,
            similar_to: None,
            fts: None,
            rg: None,
        }
    }

    /// The arguments of the `imr` command that asks this, after the index option.
    pub fn cli_args(&self) -> Vec<String> {
        let mut args: Vec<String> = match (self.kind, &self.similar_to, self.by) {
            (Kind::Similar, Some(id), _) => {
                vec![
                    "similar".into(),
                    "--json".into(),
                    "--limit".into(),
                    "10".into(),
                    id.clone(),
                ]
            }
            (_, _, Some(by)) => vec!["stats".into(), "--json".into(), "--by".into(), by.into()],
            _ => [
                "search", "--json", "--limit", "10", "--facet", "decision", "--facet", "category",
                "--facet", "region",
            ]
            .map(String::from)
            .to_vec(),
        };
        if self.kind == Kind::Similar {
            return args;
        }
        let filters = &self.filters;
        for (flag, values) in [
            ("--decision", &filters.decision),
            ("--region", &filters.region),
            ("--category", &filters.category),
            ("--guideline", &filters.guideline),
        ] {
            for value in values {
                args.push(flag.into());
                args.push(value.clone());
            }
        }
        if !self.text.is_empty() {
            args.push("--".into());
            args.push(self.text.clone());
        }
        args
    }
}

impl BenchQuery {
    /// The path and query string that asks this of `imr serve`'s API.
    pub fn api_path(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let path = match (self.kind, &self.similar_to, self.by) {
            (Kind::Similar, Some(id), _) => format!("/api/similar/{id}"),
            (_, _, Some(by)) => {
                pairs.push(("by", by.to_string()));
                "/api/stats".to_string()
            }
            _ => {
                for facet in ["decision", "category", "region"] {
                    pairs.push(("facet", facet.to_string()));
                }
                "/api/search".to_string()
            }
        };
        let filters = &self.filters;
        for (key, values) in [
            ("decision", &filters.decision),
            ("region", &filters.region),
            ("category", &filters.category),
            ("guideline", &filters.guideline),
        ] {
            pairs.extend(values.iter().map(|value| (key, value.clone())));
        }
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{path}?{query}")
    }
}

const DRUGS: &[&str] = &[
    "tramadol",
    "gabapentin",
    "cyclobenzaprine",
    "omeprazole",
    "naproxen",
    "norco",
    "lyrica",
    "meloxicam",
    "tizanidine",
    "duloxetine",
    "zolpidem",
    "lidoderm",
    "oxycodone",
    "baclofen",
    "celecoxib",
    "pantoprazole",
    "ibuprofen",
    "topiramate",
    "methocarbamol",
    "amitriptyline",
];

const WORDS: &[&str] = &[
    "acupuncture",
    "chiropractic",
    "epidural",
    "arthroscopic",
    "electromyography",
    "mri",
    "interferential",
    "psychotherapy",
    "biofeedback",
    "transportation",
    "consultation",
    "meniscus",
    "radiculopathy",
    "spondylosis",
    "impingement",
    "epicondylitis",
    "fasciitis",
    "tenosynovitis",
    "capsulitis",
    "crepitus",
];

const PHRASES: &[&str] = &[
    "physical therapy",
    "functional improvement",
    "medial branch block",
    "rotator cuff",
    "urine drug screen",
    "medically necessary",
    "conservative care",
    "range of motion",
    "carpal tunnel syndrome",
    "nerve conduction studies",
    "epidural steroid injection",
    "cognitive behavioral therapy",
    "home health",
    "work hardening",
    "functional restoration program",
    "trigger point injections",
    "plantar fasciitis",
    "lateral epicondylitis",
    "low back pain",
    "muscle spasm",
];

const PREFIXES: &[&str] = &[
    "radicul",
    "gabapent",
    "cyclobenz",
    "epidur",
    "arthroscop",
    "chiropract",
    "acupunct",
    "imping",
    "spondyl",
    "tenosynov",
    "fasci",
    "capsul",
    "omepra",
    "tramad",
    "lidoc",
    "psycho",
    "biofeed",
    "interfer",
    "transport",
    "electromyo",
];

const TYPOS: &[&str] = &[
    "tramadl",
    "gabapentn",
    "cyclobenzaprin",
    "omeprazol",
    "acupunture",
    "chiropratic",
    "epidual",
    "radiculopaty",
    "meniscs",
    "impingment",
    "naproxn",
    "tizanidne",
    "duloxetin",
    "zolpidm",
    "baclofn",
    "celecoxb",
    "psychotherapi",
    "biofeedbak",
    "consultaton",
    "fasciits",
];

/// (imr filter, FTS5 filter) pairs.
fn filter_set(n: usize) -> (Filters, FtsQuery) {
    let mut filters = Filters::default();
    let mut fts = FtsQuery::default();
    match n % 5 {
        0 => {
            filters.decision.push("overturned".into());
            fts.decision = Some("overturned".into());
        }
        1 => {
            filters.region.push("knee".into());
            fts.region = Some("knee".into());
        }
        2 => {
            filters.category.push("pharmaceutical".into());
            fts.category = Some("pharmaceutical".into());
        }
        3 => {
            filters
                .guideline
                .push("/MTUS/ACOEM/Chapter 12 Low Back Complaints".into());
            fts.guideline = Some("/MTUS/ACOEM/Chapter 12 Low Back Complaints".into());
        }
        _ => {
            filters.guideline.push("/ODG/Pain (Chronic)".into());
            filters.decision.push("upheld".into());
            fts.guideline = Some("/ODG/Pain (Chronic)".into());
            fts.decision = Some("upheld".into());
        }
    }
    (filters, fts)
}

/// The mix, without `similar` queries (they need ids from the index).
pub fn mix() -> Vec<BenchQuery> {
    let mut queries = Vec::new();
    for word in DRUGS.iter().chain(WORDS) {
        let mut q = BenchQuery::new(Kind::Keyword, word);
        q.fts = Some(FtsQuery {
            matching: Some(word.to_string()),
            ..FtsQuery::default()
        });
        q.rg = Some((word.to_string(), true));
        queries.push(q);
    }
    for (n, drug) in DRUGS.iter().enumerate() {
        let other = WORDS[(n * 7) % WORDS.len()];
        let pair = ["urine", "function", "opioid", "pain", "improvement"][n % 5];
        let second = if n % 2 == 0 { pair } else { other };
        let mut q = BenchQuery::new(Kind::AllWords, &format!("{drug} AND {second}"));
        q.fts = Some(FtsQuery {
            matching: Some(format!("{drug} AND {second}")),
            ..FtsQuery::default()
        });
        queries.push(q);
    }
    for phrase in PHRASES {
        let mut q = BenchQuery::new(Kind::Phrase, &format!("\"{phrase}\""));
        q.fts = Some(FtsQuery {
            matching: Some(format!("\"{phrase}\"")),
            ..FtsQuery::default()
        });
        q.rg = Some((phrase.to_string(), false));
        queries.push(q);
    }
    for prefix in PREFIXES {
        let mut q = BenchQuery::new(Kind::Prefix, &format!("{prefix}*"));
        q.fts = Some(FtsQuery {
            matching: Some(format!("{prefix}*")),
            ..FtsQuery::default()
        });
        queries.push(q);
    }
    for typo in TYPOS {
        queries.push(BenchQuery::new(Kind::Fuzzy, &format!("{typo}~")));
    }
    for (n, word) in DRUGS.iter().chain(WORDS).enumerate() {
        let (filters, mut fts) = filter_set(n);
        let mut q = BenchQuery::new(Kind::Filtered, word);
        q.filters = filters;
        fts.matching = Some(word.to_string());
        q.fts = Some(fts);
        queries.push(q);
    }
    for n in 0..20 {
        let (filters, fts) = filter_set(n + n / 5);
        let mut q = BenchQuery::new(Kind::FiltersOnly, "");
        q.filters = filters;
        q.fts = Some(fts);
        queries.push(q);
    }
    let facets = ["category", "region", "decision", "guideline", "specialty"];
    for (n, word) in DRUGS.iter().chain(WORDS).step_by(2).enumerate() {
        let mut q = BenchQuery::new(Kind::Stats, word);
        q.by = Some(facets[n % facets.len()]);
        queries.push(q);
    }
    queries
}

/// `similar` queries for these item ids.
pub fn similar(ids: &[String]) -> Vec<BenchQuery> {
    ids.iter()
        .map(|id| {
            let mut q = BenchQuery::new(Kind::Similar, "");
            q.similar_to = Some(id.clone());
            q
        })
        .collect()
}
