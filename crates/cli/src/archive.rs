//! Glue between the commands and sladd-archive: the site's recordings,
//! found, dated and judged once, the same way for `retention`, `check` and
//! `export`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use sladd_archive::recording::{self, Archive};
use sladd_archive::retention::{self, Plan};
use sladd_archive::{holds, FfmpegProbe};
use sladd_policy::Policy;

use crate::exit::{Exit, Failure};

/// The retention plan of the site file `site`'s archive at `now`, with the
/// holds of `holds_file` (else those beside the site file), the archive it
/// judged and the holds file it read.
///
/// # Errors
/// Exit 2 for a holds file or glob that is not valid, or a recording two
/// cameras claim; exit 3 when the archive cannot be read.
pub(crate) fn plan(
    policy: &Policy,
    site: &Path,
    holds_file: Option<&Path>,
    now: Timestamp,
) -> Result<(Plan, Archive, Option<PathBuf>)> {
    let holds_path = holds::locate(holds_file, site).map_err(failure)?;
    let holds = match &holds_path {
        Some(path) => holds::load(path).map_err(failure)?,
        None => Vec::new(),
    };
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let archive = recording::discover(policy, site, &FfmpegProbe, now).map_err(failure)?;
    let plan = retention::plan(policy, &archive, &holds, now);
    Ok((plan, archive, holds_path))
}

/// The camera of every file the site's `recordings` globs name, by the
/// file's canonical path (files that vanish while they are listed are left
/// out: they are not there to redact).
///
/// # Errors
/// Exit 2 for a glob that is not valid or a file two cameras claim.
pub(crate) fn cameras_by_file(policy: &Policy, site: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let claims = recording::claim(policy, site).map_err(failure)?;
    Ok(claims
        .files
        .into_iter()
        .filter_map(|(path, camera)| Some((std::fs::canonicalize(path).ok()?, camera)))
        .collect())
}

/// A sladd-archive error with its exit code: 2 for what the site or holds
/// file says, 3 for an archive that cannot be read.
fn failure(e: sladd_archive::Error) -> Failure {
    Failure {
        exit: if e.is_config_error() {
            Exit::Usage
        } else {
            Exit::Input
        },
        message: e.to_string(),
    }
}

/// `t` as RFC 3339 in the site's local offset (`2026-03-08T10:05:00+01:00`).
pub(crate) fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
