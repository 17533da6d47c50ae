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
    init_logging(&cli);
    let ui = cli.ui();
    let result = match &cli.command {
        Command::Parse(args) => cli::parse::run(&cli, &ui, args),
        Command::Index(args) => cli::index::run_index(&cli, &ui, args),
        Command::Search(args) => cli::search::run_search(&ui, args),
        Command::Show(args) => cli::show::run_show(&ui, args),
        Command::Stats(args) => cli::stats::run_stats(&ui, args),
        Command::Similar(args) => cli::similar::run_similar(&ui, args),
        Command::Schema(args) => cli::schema::run_schema(&ui, args),
        Command::Serve(args) => cli::serve::run_serve(args),
        Command::Completions(args) => cli::completions::run_completions(args),
        Command::Man(args) => cli::man::run_man(args),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("imr: {}", message(&error));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Logs on stderr: imr's own at the level `-v` asks for (warnings without it),
/// tantivy's only when they are warnings; `RUST_LOG` overrides both.
fn init_logging(cli: &Cli) {
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let default = format!("{level},tantivy=warn");
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(cli.color.for_stderr())
        .with_target(false)
        .init();
}

/// The error and its causes, each said once: a cause whose text the message
/// already holds (`path: No such file...` over `No such file...`) is not repeated.
fn message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// Output cut short by a closed pipe (`imr parse ... | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
