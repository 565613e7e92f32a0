//! Which files `redact` works on and where each one's output goes.
//!
//! Files named on the command line are taken as they are. Folders are
//! searched recursively, in name order: files with a video extension are
//! taken, files without an extension are taken when FFmpeg finds a video
//! stream in them, everything else is left alone. With `--out-dir`, outputs
//! mirror the tree below each folder given.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use sladd_ffmpeg::output::{check_output, check_output_path};
use sladd_ffmpeg::probe::{has_video_extension, has_video_stream, VIDEO_EXTENSIONS};

use crate::exit::{Exit, Failure};

/// One file to redact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    /// The input video.
    pub(crate) input: PathBuf,
    /// Where its redacted copy goes.
    pub(crate) output: PathBuf,
}

fn usage(message: String) -> anyhow::Error {
    Failure {
        exit: Exit::Usage,
        message,
    }
    .into()
}

/// The jobs for `inputs`, writing to `output` (one input file only) or into
/// `out_dir`.
///
/// # Errors
/// Bad usage (exit 2): `-o` with several inputs or a folder, two inputs
/// mapping to one output, neither `-o` nor `--out-dir`.
pub(crate) fn plan(
    inputs: &[PathBuf],
    output: Option<&Path>,
    out_dir: Option<&Path>,
) -> Result<Vec<Job>> {
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new(); // (input, path relative to the output root)
    for input in inputs {
        if input.is_dir() {
            let mut files = Vec::new();
            walk(input, out_dir, &mut files);
            for file in files {
                let relative = file
                    .strip_prefix(input)
                    .map_or_else(|_| file.clone(), Path::to_path_buf);
                found.push((file, relative));
            }
        } else {
            // Missing or unreadable files are kept: their error is reported
            // per file, and the other files still run.
            let name = input
                .file_name()
                .map_or_else(|| input.clone(), PathBuf::from);
            found.push((input.clone(), name));
        }
    }
    let jobs: Vec<Job> = match (output, out_dir) {
        (Some(output), _) => {
            let [(input, _)] = found.as_slice() else {
                bail!(usage(format!(
                    "-o names one output file but the inputs hold {} videos; use --out-dir",
                    found.len()
                )));
            };
            if inputs.iter().any(|i| i.is_dir()) {
                bail!(usage(
                    "-o takes one input file, not a folder; use --out-dir".into()
                ));
            }
            if output.is_dir() || output.as_os_str().to_string_lossy().ends_with('/') {
                bail!(usage(format!(
                    "-o {} names a folder; give a file name, or use --out-dir",
                    output.display()
                )));
            }
            if output.extension().is_some() && !has_video_extension(output) {
                bail!(usage(format!(
                    "-o {}: sladd writes video containers ({}); leave the extension out to \
                     keep the input's container",
                    output.display(),
                    VIDEO_EXTENSIONS.join(", ")
                )));
            }
            vec![Job {
                input: input.clone(),
                output: output.to_path_buf(),
            }]
        }
        (None, Some(dir)) => found
            .into_iter()
            .map(|(input, relative)| Job {
                input,
                output: dir.join(relative),
            })
            .collect(),
        (None, None) => bail!(usage("give -o OUTPUT or --out-dir DIR".into())),
    };
    let mut seen: HashMap<&Path, &Path> = HashMap::new();
    for job in &jobs {
        check_output(&job.input, &job.output).map_err(|e| usage(e.to_string()))?;
        check_output_path(&sladd_evidence::manifest_path(&job.output))
            .map_err(|e| usage(e.to_string()))?;
        if let Some(other) = seen.insert(&job.output, &job.input) {
            bail!(usage(format!(
                "{} and {} would both be written to {}",
                other.display(),
                job.input.display(),
                job.output.display()
            )));
        }
    }
    // One file's output must not be another file's input either.
    let canonical_inputs: HashMap<PathBuf, &Path> = jobs
        .iter()
        .filter_map(|j| Some((j.input.canonicalize().ok()?, j.input.as_path())))
        .collect();
    for job in &jobs {
        if let Some(input) = job
            .output
            .canonicalize()
            .ok()
            .and_then(|o| canonical_inputs.get(&o))
        {
            bail!(usage(format!(
                "the output {} of {} is the input {}; sladd never overwrites an input",
                job.output.display(),
                job.input.display(),
                input.display()
            )));
        }
    }
    Ok(jobs)
}

/// The video files `paths` name: files as they are, folders searched as
/// [`plan`] searches them.
pub(crate) fn videos(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, None, &mut files);
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Collects the video files below `dir`, in name order, leaving out the
/// output folder, hidden files (sladd's temporary outputs among them) and
/// symbolic links to folders.
fn walk(dir: &Path, out_dir: Option<&Path>, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let skip_dir = out_dir.and_then(|d| d.canonicalize().ok());
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if hidden {
            continue;
        }
        if meta.is_dir() {
            if skip_dir.is_some() && path.canonicalize().ok() == skip_dir {
                continue;
            }
            walk(&path, out_dir, files);
        } else if has_video_extension(&path)
            || (path.extension().is_none() && has_video_stream(&path))
        {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("cam1/day2")).unwrap();
        std::fs::create_dir_all(root.join("out")).unwrap();
        for f in [
            "cam1/a.mp4",
            "cam1/notes.txt",
            "cam1/day2/b.MKV",
            "cam1/.c.sladd-tmp.mp4",
            "out/old.mp4",
            "raw",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        dir
    }

    #[test]
    fn folders_mirror_into_the_out_dir() {
        let dir = tree();
        let root = dir.path();
        let out = root.join("out");
        let jobs = plan(&[root.to_path_buf()], None, Some(&out)).unwrap();
        let pairs: Vec<(PathBuf, PathBuf)> = jobs
            .iter()
            .map(|j| {
                (
                    j.input.strip_prefix(root).unwrap().to_owned(),
                    j.output.strip_prefix(&out).unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            pairs,
            vec![
                (PathBuf::from("cam1/a.mp4"), PathBuf::from("cam1/a.mp4")),
                (
                    PathBuf::from("cam1/day2/b.MKV"),
                    PathBuf::from("cam1/day2/b.MKV")
                ),
            ]
        );
    }

    #[test]
    fn one_output_file_takes_one_input_file() {
        let dir = tree();
        let root = dir.path();
        let a = root.join("cam1/a.mp4");
        let jobs = plan(std::slice::from_ref(&a), Some(Path::new("o.mp4")), None).unwrap();
        assert_eq!(
            jobs,
            vec![Job {
                input: a.clone(),
                output: PathBuf::from("o.mp4")
            }]
        );
        assert!(plan(&[a.clone(), a.clone()], Some(Path::new("o.mp4")), None).is_err());
        assert!(plan(&[root.join("cam1")], Some(Path::new("o.mp4")), None).is_err());
        assert!(plan(std::slice::from_ref(&a), None, None).is_err());
        let err = plan(std::slice::from_ref(&a), Some(Path::new("o.png")), None).unwrap_err();
        assert!(err.to_string().contains("video containers"), "{err}");
        assert!(plan(std::slice::from_ref(&a), Some(Path::new("o.MKV")), None).is_ok());
        assert!(plan(std::slice::from_ref(&a), Some(Path::new("o")), None).is_ok());
    }

    #[test]
    fn two_inputs_onto_one_output_is_refused() {
        let dir = tree();
        let root = dir.path();
        let err = plan(
            &[root.join("cam1/a.mp4"), root.join("out/../cam1/a.mp4")],
            None,
            Some(Path::new("x")),
        )
        .unwrap_err();
        assert!(err.to_string().contains("would both be written"), "{err}");
    }

    /// Regression: `redact G out/sub --out-dir out` with `G/sub/v.mp4` and
    /// `out/sub/v.mp4` wrote the first over the second, an input.
    #[test]
    fn an_output_onto_another_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["g/sub/v.mp4", "out/sub/v.mp4"] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), b"x").unwrap();
        }
        let out = root.join("out");
        let err = plan(&[root.join("g"), root.join("out/sub")], None, Some(&out)).unwrap_err();
        assert!(err.to_string().contains("is the input"), "{err}");
    }

    #[test]
    fn an_output_naming_its_input_is_refused() {
        let dir = tree();
        let root = dir.path();
        let a = root.join("cam1/a.mp4");
        let same = root.join("cam1/../cam1/./a.mp4");
        let err = plan(std::slice::from_ref(&a), Some(&same), None).unwrap_err();
        assert!(err.to_string().contains("is the input file"), "{err}");
        let cam1 = root.join("cam1");
        assert!(plan(std::slice::from_ref(&cam1), None, Some(&cam1)).is_err());
        assert!(plan(
            std::slice::from_ref(&a),
            Some(&root.join("cam1/a2.mp4")),
            None
        )
        .is_ok());
        let err = plan(std::slice::from_ref(&a), Some(&cam1), None).unwrap_err();
        assert!(err.to_string().contains("names a folder"), "{err}");
        assert!(plan(&[a], Some(Path::new("new/")), None).is_err());
    }
}
