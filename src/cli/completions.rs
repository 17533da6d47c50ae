//! `imr completions SHELL`: a completion script for the shell, on standard output.

use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Debug, Args)]
#[command(
    after_help = "Install, for example: imr completions bash > ~/.local/share/bash-completion/completions/imr; imr completions zsh > ~/.zfunc/_imr; imr completions fish > ~/.config/fish/completions/imr.fish"
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run_completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "imr", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
