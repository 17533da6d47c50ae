//! `imr search`: keyword search with filters and facet counts.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use imr_search::search::{Engine, SearchRequest, SearchResponse, Sort};

use super::common::{print_json, say, FilterArgs, IndexArg, Style};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
}

/// Output options shared by search and similar.
#[derive(Debug, Args)]
pub struct ResultArgs {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Count a facet over every matching item (repeatable): decision, region, category, guideline, claims_guideline, specialty, family, year.
    #[arg(long, value_name = "NAME")]
    pub facet: Vec<String>,

    /// Hits to show (at most 10,000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub limit: u32,

    /// Hits to skip, for paging (at most 1,000,000).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub offset: u32,

    /// Order of the hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,

    /// One hit per letter: its best item.
    #[arg(long)]
    pub group_by_letter: bool,

    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

impl ResultArgs {
    pub fn request(&self, query: String) -> SearchRequest {
        SearchRequest {
            query,
            filters: self.filters.filters(),
            facets: self.facet.clone(),
            limit: self.limit as usize,
            offset: self.offset as usize,
            sort: match self.sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Date => Sort::Date,
            },
            group_by_letter: self.group_by_letter,
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Query language: words (all must match), \"phrases\", \"words near\"~N, prefix*, fuzzy~ or fuzzy~2, AND, OR, NOT, +word, -word, (groups), and scopes: treatment:, rationale:, summary:, guideline: (citation text; guideline:/MTUS/... is a facet path), letter:, case:, decision:, region:, category:, claims_guideline:, specialty:, family:, year:. An empty query or * matches every item.\n\nExit codes: 0 answered (even with no hits); 2 a malformed query or filter (the message names the problem and its position), or no usable index."
)]
pub struct SearchArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// The query; none matches every item.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,

    #[command(flatten)]
    pub results: ResultArgs,
}

pub fn run_search(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let response = engine.search(&args.results.request(args.query.clone()))?;
    print_response(&response, args.results.json)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints a response, as JSON or for a person.
pub fn print_response(response: &SearchResponse, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(response);
    }
    let style = Style::for_stdout();
    for matched in &response.guideline_matches {
        eprintln!(
            "--{} {:?} matched: {}",
            matched.filter.replace('_', "-"),
            matched.value,
            matched.paths.join(", ")
        );
    }
    for hit in &response.hits {
        let outcome = hit.decision.as_deref().unwrap_or("no outcome");
        let category = match (&hit.category, &hit.drug_class) {
            (Some(c), Some(d)) => format!("{c}/{d}"),
            (Some(c), None) => c.clone(),
            _ => String::new(),
        };
        say!(
            "{}  {}  {}  {}  {}",
            style.bold(hit.treatment.as_deref().unwrap_or("(letter without items)")),
            style.outcome(outcome),
            category,
            hit.case_number.as_deref().unwrap_or("-"),
            hit.decision_date.as_deref().unwrap_or("-"),
        );
        if !hit.body_regions.is_empty() {
            say!("  regions: {}", hit.body_regions.join(", "));
        }
        if !hit.guidelines.is_empty() {
            say!("  cites: {}", hit.guidelines.join("; "));
        }
        if !hit.snippet.is_empty() {
            say!("  {}", style.highlight(&hit.snippet, &hit.highlights));
        }
        say!("  {}", style.dim(&format!("id {}  {}", hit.id, hit.source)));
        say!();
    }
    for (facet, values) in &response.facets {
        let mut values: Vec<(&String, &u64)> = values.iter().collect();
        values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        say!("{}:", style.bold(facet));
        for (value, count) in values {
            say!("  {count:>7}  {value}");
        }
    }
    say!("{} matching items", response.total);
    Ok(())
}
