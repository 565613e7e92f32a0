//! The `sladd` command line: glue between clap and the library crates.
//! Each subcommand lives in `cmd/`; exit codes are listed in `exit.rs`.

mod archive;
mod bench;
mod clock;
mod cmd;
mod draw;
mod exit;
mod inputs;
mod masker;
mod progress;
mod sharded;
mod signing;
mod text;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::Exit;

/// Mask staff-only zones in surveillance video, decided by the Norwegian
/// workplace camera rules.
#[derive(Debug, Parser)]
#[command(name = "sladd", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "\
Examples:
  sladd redact fixtures/clips/kiosk.mp4 -c fixtures/site.toml --camera kasse-1 -o out/kiosk.mp4
  sladd preview fixtures/clips/kiosk.mp4 -c fixtures/site.toml --camera kasse-1 -o out/kiosk.png
  sladd plan -c fixtures/site.toml --camera kasse-1 --at 2026-11-24T12:00:00+01:00
  sladd check -c fixtures/site.toml
  sladd verify fixtures/clips/kiosk.mp4 out/kiosk.mp4 -c fixtures/site.toml --camera kasse-1
  sladd bench --resolution 1920x1080 --style blur
  sladd zones edit -c fixtures/site.toml --video fixtures/clips/kiosk.mp4
  sladd proxy --source rtsp://192.0.2.10/stream1 -c site.toml --camera kasse-1   (built with --features proxy)
  sladd keys generate --out keys/

Exit codes: 0 success, 1 negative verdict (a violation), 2 bad usage or invalid
configuration, 3 unreadable input video, 4 output not written, 130 interrupted.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Redact(cmd::redact::Args),
    Preview(cmd::preview::Args),
    Plan(cmd::plan::Args),
    Check(cmd::check::Args),
    Verify(cmd::verify::Args),
    Bench(cmd::bench::Args),
    Retention(cmd::retention::Args),
    Export(cmd::export::Args),
    Batch(cmd::batch::Args),
    #[cfg(feature = "proxy")]
    Proxy(cmd::proxy::Args),
    Keys(cmd::keys::Args),
    Completions(cmd::completions::Args),
    Zones(cmd::zones::Args),
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Redact(args) => cmd::redact::run(&args),
        Command::Preview(args) => cmd::preview::run(&args),
        Command::Plan(args) => cmd::plan::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Verify(args) => cmd::verify::run(&args),
        Command::Bench(args) => cmd::bench::run(&args),
        Command::Retention(args) => cmd::retention::run(&args),
        Command::Export(args) => cmd::export::run(&args),
        Command::Batch(args) => cmd::batch::run(&args),
        #[cfg(feature = "proxy")]
        Command::Proxy(args) => cmd::proxy::run(&args),
        Command::Keys(args) => cmd::keys::run(&args),
        Command::Completions(args) => cmd::completions::run::<Cli>(&args),
        Command::Zones(args) => cmd::zones::run(&args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            eprintln!("sladd: error: {}", text::error_chain(&*error));
            Exit::of(&error).into()
        }
    }
}

/// A file-size limit (`ulimit -f`) reached while writing an output would
/// kill the process with SIGXFSZ before it could remove its temporary file.
/// Ignored, the write fails with `EFBIG` instead, and the run ends as any
/// output error does: exit 4, nothing left behind.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler
    // code; it is done once at start-up, before any thread is spawned.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
