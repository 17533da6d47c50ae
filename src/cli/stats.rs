//! `imr stats`: outcomes by facet value over the matching items.

use std::process::ExitCode;

use clap::Args;
use imr_search::search::Engine;

use super::common::{print_json, say, FilterArgs, IndexArg, Style};

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
    #[arg(long)]
    pub json: bool,
}

pub fn run_stats(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let stats = engine.stats(&args.query, &args.filters.filters(), &args.by)?;
    if args.json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::for_stdout();
    say!(
        "{}",
        style.bold(&format!(
            "{:>8} {:>8} {:>10} {:>9}  {}",
            "items", "upheld", "overturned", "overturn", args.by
        ))
    );
    for row in &stats.rows {
        let rate = row
            .overturn_rate
            .map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
        say!(
            "{:>8} {:>8} {:>10} {:>9}  {}",
            row.count,
            row.upheld,
            row.overturned,
            rate,
            row.value
        );
    }
    say!("{} matching items", stats.total);
    Ok(ExitCode::SUCCESS)
}
