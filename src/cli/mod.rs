//! The `imr` command line: one module per command.

pub mod common;
pub mod completions;
pub mod index;
pub mod man;
pub mod output;
pub mod parse;
pub mod schema;
pub mod search;
pub mod serve;
pub mod show;
pub mod similar;
pub mod stats;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser as ClapParser, Subcommand};
use imr_search::Vocabulary;

/// Search California workers' compensation Independent Medical Review decisions.
#[derive(Debug, ClapParser)]
#[command(name = "imr", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success; 2 usage error, bad input or no usable index; 3 (index) done, but some files were skipped. Each command's --help says more."
)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// A directory of vocabulary files (regions.json, categories.json...) replacing
    /// the compiled-in ones; also IMR_VOCAB_DIR (or the older IMR_SCHEMA_DIR).
    #[arg(
        long,
        visible_alias = "schema-dir",
        env = "IMR_VOCAB_DIR",
        global = true,
        value_name = "DIR"
    )]
    pub vocab_dir: Option<PathBuf>,

    /// When to colour output (and logs): auto (on a terminal, unless NO_COLOR is
    /// set), always, never.
    #[arg(long, value_enum, default_value_t = output::ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: output::ColorChoice,

    /// Print long output (show, parse) straight to the terminal, without a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse letters into structured decisions.
    Parse(parse::ParseArgs),
    /// Build or refresh the search index.
    Index(index::IndexArgs),
    /// Search the index.
    Search(search::SearchArgs),
    /// Show one item, or its letter, in full.
    Show(show::ShowArgs),
    /// Outcomes by facet value: counts, upheld, overturned, overturn rate.
    Stats(stats::StatsArgs),
    /// Items whose rationale is most like one item's.
    Similar(similar::SimilarArgs),
    /// Print the index schema.
    Schema(schema::SchemaArgs),
    /// Serve a web page and an HTTP API over the index.
    Serve(serve::ServeArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell, elvish.
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command into a directory.
    Man(man::ManArgs),
}

impl Cli {
    /// How human output is shown.
    pub fn ui(&self) -> output::Ui {
        output::Ui::new(self.color, !self.no_pager)
    }

    /// The vocabulary the command should use.
    pub fn vocabulary(&self) -> anyhow::Result<Arc<Vocabulary>> {
        // The variable's older name, for scripts written before --vocab-dir.
        let older = || std::env::var_os("IMR_SCHEMA_DIR").map(PathBuf::from);
        match self.vocab_dir.clone().or_else(older) {
            Some(dir) => Ok(Arc::new(Vocabulary::from_dir(&dir)?)),
            None => Ok(Vocabulary::embedded()),
        }
    }
}
