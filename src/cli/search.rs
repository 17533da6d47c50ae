//! `imr search`: keyword search with filters and facet counts.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use imr_search::index::codes::NO_VALUE;
use imr_search::search::{Engine, ExportedHit, Hit, SearchRequest, SearchResponse, Sort};

use super::common::{print_json, FilterArgs, IndexArg};
use super::output::{wrap, Paged, Ui};

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
            ..SearchRequest::default()
        }
    }
}

/// The forms `--format` exports every matching item in.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values, a header line first.
    Csv,
    /// One JSON object per item and line.
    Jsonl,
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

    /// Export every matching item (not a page of hits) as CSV or JSON lines,
    /// streamed: for spreadsheets and pandas.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<ExportFormat>,
}

pub fn run_search(ui: &Ui, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let mut request = args.results.request(args.query.clone());
    if let Some(format) = args.format {
        export(&engine, &request, format)?;
        return Ok(ExitCode::SUCCESS);
    }
    // JSON keeps the library's snippets, the same whatever the terminal.
    if !args.results.json {
        request.snippet_chars = Some(ui.snippet_chars());
    }
    let response = engine.search(&request)?;
    print_response(ui, &response, &request, args.results.json)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes every item `request` matches in `format`, as they are read.
fn export(engine: &Engine, request: &SearchRequest, format: ExportFormat) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    match format {
        ExportFormat::Jsonl => {
            let mut out = out;
            engine.each_match(request, |hit| {
                let row = ExportedHit::from(&hit);
                serde_json::to_writer(&mut out, &row)?;
                out.write_all(b"\n")?;
                Ok::<(), anyhow::Error>(())
            })?;
            out.into_inner().map_err(|e| e.into_error())?.flush()?;
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            engine.each_match(request, |hit| {
                csv.serialize(ExportedHit::from(&hit).csv())?;
                Ok::<(), anyhow::Error>(())
            })?;
            csv.flush().context("writing output")?;
        }
    }
    Ok(())
}

/// Prints a response, as JSON or for a person.
pub fn print_response(
    ui: &Ui,
    response: &SearchResponse,
    request: &SearchRequest,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        return print_json(response);
    }
    for matched in &response.guideline_matches {
        eprintln!(
            "{}",
            wrap(
                &format!(
                    "--{} {:?} matched: {}",
                    matched.filter.replace('_', "-"),
                    matched.value,
                    matched.paths.join(", ")
                ),
                ui.width,
                "",
                "  "
            )
        );
    }
    let mut page = Paged::default();
    for hit in &response.hits {
        print_hit(ui, &mut page, hit);
    }
    for (facet, values) in &response.facets {
        page.line(ui.style.bold(&format!("{facet}:")));
        for (value, count) in facet_rows(facet, values) {
            page.line(wrap(
                value,
                ui.width,
                &format!("  {count:>7}  "),
                &" ".repeat(11),
            ));
        }
    }
    page.line(paging_line(response.total, response.hits.len(), request));
    page.show(false)?;
    Ok(())
}

/// One hit, wrapped: treatment, outcome and where it is from, regions,
/// citations, the snippet, and its id and file.
fn print_hit(ui: &Ui, page: &mut Paged, hit: &Hit) {
    let style = &ui.style;
    let width = ui.width;
    let treatment = hit
        .treatment
        .as_deref()
        .unwrap_or("(file that is not a letter)");
    page.line(wrap(&style.bold(treatment), width, "", "  "));
    let category = match (&hit.category, &hit.drug_class) {
        (Some(c), Some(d)) => format!("{c}/{d}"),
        (Some(c), None) => c.clone(),
        _ => "-".into(),
    };
    let about = [
        style.outcome(hit.decision.as_deref().unwrap_or("no outcome")),
        category,
        format!("case {}", hit.case_number.as_deref().unwrap_or("-")),
        format!("decided {}", hit.decision_date.as_deref().unwrap_or("-")),
    ];
    page.line(wrap(&about.join("  "), width, "  ", "  "));
    if !hit.body_regions.is_empty() {
        page.line(wrap(
            &hit.body_regions.join(", "),
            width,
            "  regions: ",
            "    ",
        ));
    }
    if !hit.guidelines.is_empty() {
        page.line(wrap(&hit.guidelines.join("; "), width, "  cites: ", "    "));
    }
    if !hit.snippet.is_empty() {
        page.line(wrap(
            &style.highlight(&hit.snippet, &hit.highlights),
            width,
            "  ",
            "  ",
        ));
    }
    page.line(style.dim(&wrap(
        &format!("id {}  {}", hit.id, hit.source),
        width,
        "  ",
        "    ",
    )));
    page.line("");
}

/// A facet's values, most items first, then by name (years in their order), the
/// items of no value last.
fn facet_rows<'a>(
    facet: &str,
    values: &'a std::collections::BTreeMap<String, u64>,
) -> Vec<(&'a String, &'a u64)> {
    let mut rows: Vec<(&String, &u64)> = values.iter().collect();
    rows.sort_by(|a, b| {
        let no_value = (a.0 == NO_VALUE).cmp(&(b.0 == NO_VALUE));
        let order = if facet == "year" {
            a.0.cmp(b.0)
        } else {
            b.1.cmp(a.1).then(a.0.cmp(b.0))
        };
        no_value.then(order)
    });
    rows
}

/// What the page of hits shown is, and how to get the next.
fn paging_line(total: usize, shown: usize, request: &SearchRequest) -> String {
    let first = request.offset + 1;
    let last = request.offset + shown;
    match (total, shown) {
        (0, _) => "no matching items".to_string(),
        (_, 0) if request.limit == 0 => format!("{total} matching items"),
        (_, 0) => format!(
            "{total} matching items; --offset {} is past the last",
            request.offset
        ),
        _ if last >= total && request.offset == 0 => format!("{total} matching items, all shown"),
        _ if last >= total => format!("showing {first}-{last} of {total}, the last page"),
        _ => format!("showing {first}-{last} of {total}; --offset {last} for the next page"),
    }
}
