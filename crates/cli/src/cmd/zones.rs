//! `sladd zones edit`: a camera's zones drawn on its own picture in a local
//! web page (`sladd_editor`), saved back into the site file in place.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use sladd_editor::picture::Source;
use sladd_editor::server::{open_browser, Editor, Options};

use crate::exit::Exit;
use crate::text::print;

/// Work on a site's zones.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Edit(EditArgs),
}

/// Draw and edit a camera's zones on its own picture in the browser, with a
/// live preview masked as `redact` masks it; saves the site file in place.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd zones edit -c fixtures/site.toml --video fixtures/clips/kiosk.mp4
  sladd zones edit -c site.json --camera lager --image snapshot.png --port 8377 --no-open

Serves on 127.0.0.1 only and prints the page's address with a random access token.
Saving keeps the previous version as SITE.bak and never overwrites a file that changed
on disk meanwhile. Ctrl-C stops the editor; unsaved edits are dropped.")]
struct EditArgs {
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
    /// The camera shown first, whose picture --video or --image is (default: the first).
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// A recording of the camera: the page shows its frame at a time chosen with a slider.
    #[arg(long, value_name = "CLIP", conflicts_with = "image")]
    video: Option<PathBuf>,
    /// A still picture of the camera (PNG or JPEG).
    #[arg(long, value_name = "PNG")]
    image: Option<PathBuf>,
    /// The recording's start (RFC 3339), overriding the video's creation_time.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant, requires = "video")]
    start: Option<Timestamp>,
    /// The instant the preview decides for at first (RFC 3339; default: the
    /// video's first frame when its start is known, else now).
    #[arg(long, value_name = "TIME", value_parser = super::parse_instant)]
    at: Option<Timestamp>,
    /// The port on 127.0.0.1 (default: a free one).
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Do not open a browser; only print the address.
    #[arg(long)]
    no_open: bool,
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let Command::Edit(args) = &args.command;
    let picture = match (&args.video, &args.image) {
        (Some(path), _) => Some(Source::Video {
            path: path.clone(),
            start: args.start,
        }),
        (None, Some(path)) => Some(Source::Image(path.clone())),
        (None, None) => None,
    };
    let editor = Editor::open(&Options {
        site: args.config.clone(),
        camera: args.camera.clone(),
        picture,
        at: args.at,
        port: args.port,
    })?;
    let url = editor.url();
    print(&url)?;
    eprintln!(
        "sladd: editing {} at {url} (Ctrl-C stops)",
        args.config.display()
    );
    if !args.no_open {
        match open_browser(&url) {
            Ok(true) => {}
            Ok(false) => eprintln!("sladd: no desktop browser here; open the address above"),
            Err(e) => eprintln!("sladd: cannot start a browser ({e}); open the address above"),
        }
    }
    let closed = editor.run_until_interrupted()?;
    if closed.unsaved {
        eprintln!(
            "sladd: stopped; unsaved edits to {} were dropped",
            args.config.display()
        );
    } else {
        eprintln!("sladd: stopped");
    }
    Ok(Exit::Success)
}
