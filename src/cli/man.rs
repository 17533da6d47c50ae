//! `imr man`: the manual page, generated from the same definitions as `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory};

use super::Cli;

#[derive(Debug, Args)]
#[command(
    after_help = "Read it with: imr man | man -l -   Install: imr man --dir ~/.local/share/man/man1"
)]
pub struct ManArgs {
    /// Write imr.1 and one page per command (imr-search.1...) into this directory
    /// instead of printing imr.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run_man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let command = Cli::command();
    match &args.dir {
        None => clap_mangen::Man::new(command).render(&mut std::io::stdout())?,
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            clap_mangen::generate_to(command, dir).with_context(|| dir.display().to_string())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
