//! `imr`: the command-line interface.

mod cli;

use std::process::ExitCode;

use clap::Parser as ClapParser;
use tracing_subscriber::EnvFilter;

use cli::{Cli, Command};

// Parsing and indexing allocate many short strings; mimalloc keeps that cheap
// (glibc's malloc took about a tenth of `imr parse`'s time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code of a usage error or an unreadable input.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match &cli.command {
        Command::Parse(args) => cli::parse::run(&cli, args),
        Command::Index(args) => cli::index::run_index(&cli, args),
        Command::Search(args) => cli::search::run_search(args),
        Command::Show(args) => cli::show::run_show(args),
        Command::Stats(args) => cli::stats::run_stats(args),
        Command::Similar(args) => cli::similar::run_similar(args),
        Command::Schema(args) => cli::schema::run_schema(args),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("imr: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

/// Output cut short by a closed pipe (`imr parse ... | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
