//! `sladd completions SHELL`: shell completion scripts on stdout.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use std::io::Write;

use crate::exit::{Exit, Failure};

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
    // Generated into memory first: clap_complete panics on a failed write,
    // e.g. when stdout is a pipe closed early (`sladd completions bash | head`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(Exit::Success),
        // The reader has all it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Exit::Success),
        Err(e) => Err(Failure {
            exit: Exit::Output,
            message: format!("cannot write the completion script: {e}"),
        }
        .into()),
    }
}
