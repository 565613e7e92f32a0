//! The one error type of `gst-plugin-sladd`.

/// Everything that can go wrong in the element's set-up and in the proxy.
///
/// Errors while masking a frame are the core's and the policy's own
/// ([`Error::Policy`], [`Error::Core`]); the element turns each into an
/// element error and drops the frame.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A property the element cannot work without is not set.
    #[error("the property '{property}' is not set")]
    MissingProperty {
        /// The property's name.
        property: &'static str,
    },
    /// The `style` property is not a style.
    #[error("style '{value}': {source}")]
    Style {
        /// The property's value.
        value: String,
        /// Why it is not a style.
        source: sladd_core::Error,
    },
    /// The `start` property is not an RFC 3339 instant.
    #[error("start '{value}' is not an RFC 3339 instant with an offset (e.g. 2026-11-24T12:00:00+01:00): {reason}")]
    Start {
        /// The property's value.
        value: String,
        /// What the parser said.
        reason: String,
    },
    /// The negotiated caps hold a format or size sladd does not mask.
    #[error("cannot mask video in these caps: {caps}")]
    Caps {
        /// The caps, serialized.
        caps: String,
    },
    /// A video frame's layout cannot be viewed as planes (a negative or
    /// zero stride).
    #[error("plane {plane}: stride {stride} is not a positive number of bytes")]
    Stride {
        /// The plane.
        plane: usize,
        /// Its stride.
        stride: i32,
    },
    /// A frame arrived before caps were negotiated.
    #[error("a frame arrived before its caps")]
    NotNegotiated,
    /// The stream's `image-orientation` tag mirrors the picture, which
    /// zones drawn on the displayed picture cannot follow.
    #[error(
        "image-orientation '{orientation}' mirrors the picture; only rotations can be followed"
    )]
    Orientation {
        /// The tag's value.
        orientation: String,
    },
    /// The site file, the camera or a decision failed.
    #[error(transparent)]
    Policy(#[from] sladd_policy::Error),
    /// A frame could not be masked.
    #[error(transparent)]
    Core(#[from] sladd_core::Error),
    /// The proxy's `--listen` URL is not `rtsp://HOST:PORT/PATH`.
    #[error("listen address '{url}': {reason}")]
    Listen {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The proxy's source is not a URI GStreamer can read.
    #[error("source '{uri}' is not a URI (rtsp://…, file:///…, http://…)")]
    Source {
        /// The source as given.
        uri: String,
    },
    /// GStreamer refused to build or start something (a missing plugin, a
    /// port in use).
    #[error("{what}: {reason}")]
    Gstreamer {
        /// What was being done.
        what: String,
        /// What GStreamer said.
        reason: String,
    },
}

impl Error {
    /// A GStreamer failure while doing `what`.
    pub(crate) fn gstreamer(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Gstreamer {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

/// The result type of `gst-plugin-sladd`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
