//! The `sladd` command line (being written: see the CLI issue).

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!(
        "sladd {}: the command line lands with the CLI issue",
        env!("CARGO_PKG_VERSION")
    );
    ExitCode::from(2)
}
