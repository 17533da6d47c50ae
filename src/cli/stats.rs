//! `imr stats`: outcomes by facet value over the matching items.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use imr_search::search::{Engine, StatsResponse};

use super::common::{print_json, FilterArgs, IndexArg};
use super::output::{wrap, Paged, Ui};

/// Forms of `stats` output besides the table.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatsFormat {
    /// Comma-separated values: value, count, upheld, overturned, overturn_rate.
    Csv,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 answered; 2 a malformed query, filter or facet, or no usable index."
)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// The query (the search language); none: every item.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,

    /// The facet to break down by: decision, region, category, guideline, claims_guideline, specialty, family, year.
    #[arg(long, value_name = "FACET")]
    pub by: String,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Print one JSON object.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Print the rows as CSV, for spreadsheets.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<StatsFormat>,
}

/// Width of the figures' columns, before the value.
const FIGURES: usize = 40;

pub fn run_stats(ui: &Ui, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let stats = engine.stats(&args.query, &args.filters.filters(), &args.by)?;
    if args.json {
        print_json(&stats)?;
    } else if args.format.is_some() {
        write_csv(&stats)?;
    } else {
        print_table(ui, &stats, &args.by)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_csv(stats: &StatsResponse) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(std::io::stdout().lock());
    for row in &stats.rows {
        csv.serialize(row)?;
    }
    csv.flush()?;
    Ok(())
}

fn print_table(ui: &Ui, stats: &StatsResponse, by: &str) -> anyhow::Result<()> {
    let mut page = Paged::default();
    page.line(ui.style.bold(&format!(
        "{:>8} {:>8} {:>10} {:>9}  {by}",
        "items", "upheld", "overturned", "overturn"
    )));
    for row in &stats.rows {
        let rate = row
            .overturn_rate
            .map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
        let figures = format!(
            "{:>8} {:>8} {:>10} {:>9}  ",
            row.count, row.upheld, row.overturned, rate
        );
        page.line(wrap(&row.value, ui.width, &figures, &" ".repeat(FIGURES)));
    }
    page.line(format!("{} matching items", stats.total));
    page.show(false)?;
    Ok(())
}
