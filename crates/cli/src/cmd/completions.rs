//! `sladd completions SHELL`: shell completion scripts on stdout.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::exit::Exit;

/// Print a completion script for a shell, e.g. `sladd completions bash >
/// /etc/bash_completion.d/sladd`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: Shell,
}

/// Runs `sladd completions`.
pub(crate) fn run<C: CommandFactory>(args: &Args) -> Result<Exit> {
    let mut command = C::command();
    let name = command.get_name().to_owned();
    clap_complete::generate(args.shell, &mut command, name, &mut std::io::stdout());
    Ok(Exit::Success)
}
