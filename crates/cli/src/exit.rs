//! The exit codes (listed in the README's "The command line"), and which
//! errors map to which.

use std::process::ExitCode;

/// How `sladd` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: success.
    Success,
    /// 1: the command ran and its verdict is negative (`check` found a
    /// violation, `verify` found unredacted content).
    Negative,
    /// 2: bad usage or an invalid configuration.
    Usage,
    /// 3: an input video could not be read or decoded.
    Input,
    /// 4: an output could not be written.
    Output,
    /// 130: interrupted by Ctrl-C (the shell's convention for SIGINT);
    /// finished outputs stay, unfinished ones are removed.
    Interrupted,
}

impl Exit {
    /// The process exit code.
    pub(crate) fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Negative => 1,
            Self::Usage => 2,
            Self::Input => 3,
            Self::Output => 4,
            Self::Interrupted => 130,
        }
    }

    /// The exit with this process exit code; codes sladd does not use end
    /// as output errors (4).
    pub(crate) fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Success,
            1 => Self::Negative,
            2 => Self::Usage,
            3 => Self::Input,
            130 => Self::Interrupted,
            _ => Self::Output,
        }
    }

    /// The exit code an error ends the run with. Site files that cannot be
    /// read or are invalid are bad usage (2).
    pub(crate) fn of(error: &anyhow::Error) -> Self {
        if error.downcast_ref::<sladd_policy::Error>().is_some() {
            return Self::Usage;
        }
        if let Some(editor) = error.downcast_ref::<sladd_editor::Error>() {
            return match editor {
                sladd_editor::Error::Media(m) if m.is_output_error() => Self::Output,
                sladd_editor::Error::Media(_) | sladd_editor::Error::Picture { .. } => Self::Input,
                _ => Self::Usage,
            };
        }
        if let Some(exit) = error.downcast_ref::<Failure>() {
            return exit.exit;
        }
        if let Some(media) = error.downcast_ref::<sladd_ffmpeg::Error>() {
            return if media.is_output_error() {
                Self::Output
            } else {
                Self::Input
            };
        }
        Self::Usage
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// An error that carries its own exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) exit: Exit,
    pub(crate) message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
