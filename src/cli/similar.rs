//! `imr similar ID`: precedents, the items whose rationale is most like this one's.

use std::process::ExitCode;

use clap::Args;
use imr_search::search::Engine;

use super::common::IndexArg;
use super::output::Ui;
use super::search::{print_response, ResultArgs};

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 answered; 2 no such item, a malformed filter, or no usable index."
)]
pub struct SimilarArgs {
    #[command(flatten)]
    pub index: IndexArg,

    /// The item's id, as search prints it.
    pub id: String,

    #[command(flatten)]
    pub results: ResultArgs,
}

pub fn run_similar(ui: &Ui, args: &SimilarArgs) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&args.index.index_dir())?;
    let mut request = args.results.request(String::new());
    if !args.results.json {
        request.snippet_chars = Some(ui.snippet_chars());
    }
    let response = engine.similar(&args.id, &request)?;
    print_response(ui, &response, &request, args.results.json)?;
    Ok(ExitCode::SUCCESS)
}
