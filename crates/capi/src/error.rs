//! Status codes, the crate's error type, the per-thread last error, and the
//! guard every exported function runs its body in.

use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a call returned. Every fallible function returns one; only
/// `SladdStatus::Ok` means it did what it was asked. The message of the
/// last failure on the calling thread is `sladd_last_error_message`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SladdStatus {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be null was null.
    NullPointer = 1,
    /// An argument is out of range: a string that is not UTF-8, too many
    /// planes, planes that overlap, an unknown style or thread count.
    InvalidArgument = 2,
    /// The site policy could not be read, parsed or validated.
    Policy = 3,
    /// The policy has no camera with the given id.
    UnknownCamera = 4,
    /// The pixel format (or config format) code is not one sladd knows.
    BadFormat = 5,
    /// The frame does not fit its description: wrong plane count, a stride
    /// smaller than a row, a buffer too short, a misaligned 16-bit plane,
    /// a zero or oversized frame.
    BadFrame = 6,
    /// The masks could not be built or applied. The frame must not be shown.
    Masking = 7,
    /// sladd panicked (a bug); the panic was caught at the boundary.
    Panic = 8,
    /// The masker was interrupted by an earlier panic and refuses to work;
    /// free it and create another.
    Poisoned = 9,
}

/// Everything that can go wrong behind the C ABI.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required pointer argument was null.
    #[error("{what} is a null pointer")]
    NullPointer {
        /// Which argument.
        what: &'static str,
    },
    /// A string argument is not UTF-8.
    #[error("{what} is not valid UTF-8")]
    NotUtf8 {
        /// Which argument.
        what: &'static str,
    },
    /// A string handed back to C would contain a NUL byte.
    #[error("{what} contains a NUL byte")]
    InteriorNul {
        /// Which string.
        what: &'static str,
    },
    /// A pixel format code is not a `SladdPixelFormat`.
    #[error("unknown pixel format code {code}")]
    UnknownPixelFormat {
        /// The code given.
        code: i32,
    },
    /// A config format code is not a `SladdConfigFormat`.
    #[error("unknown config format code {code} (0: toml, 1: json)")]
    UnknownConfigFormat {
        /// The code given.
        code: i32,
    },
    /// More planes were passed than any format has.
    #[error("{given} planes passed, no format has more than {max}")]
    TooManyPlanes {
        /// Planes passed.
        given: usize,
        /// The most any format has.
        max: usize,
    },
    /// A plane's length exceeds what one buffer can hold.
    #[error("plane {plane}: length {len} exceeds the largest buffer size")]
    PlaneTooLong {
        /// Plane index.
        plane: usize,
        /// The length given.
        len: usize,
    },
    /// Two plane buffers share memory.
    #[error("planes {first} and {second} overlap in memory")]
    PlanesOverlap {
        /// One plane index.
        first: usize,
        /// The other plane index.
        second: usize,
    },
    /// A thread pool could not be built for the masker.
    #[error("cannot start {threads} masking threads: {reason}")]
    ThreadPool {
        /// Threads asked for.
        threads: u32,
        /// What the pool builder said.
        reason: String,
    },
    /// An instant sladd cannot represent.
    #[error("instant {unix_nanos} ns since the unix epoch is out of range")]
    InstantOutOfRange {
        /// The instant given.
        unix_nanos: i64,
    },
    /// A camera index past the last camera.
    #[error("camera index {index} is out of range (the policy has {count} cameras)")]
    CameraIndex {
        /// The index given.
        index: usize,
        /// How many cameras there are.
        count: usize,
    },
    /// The decision could not be written as JSON.
    #[error("decision json: {reason}")]
    Json {
        /// What serde_json said.
        reason: String,
    },
    /// An earlier call panicked while using this masker.
    #[error("masker was interrupted by an earlier panic; free it and create another")]
    Poisoned,
    /// A panic was caught at the boundary.
    #[error("internal error (panic): {message}")]
    Panic {
        /// The panic's message.
        message: String,
    },
    /// The policy failed.
    #[error(transparent)]
    Policy(#[from] sladd_policy::Error),
    /// The core failed.
    #[error(transparent)]
    Core(#[from] sladd_core::Error),
}

impl Error {
    /// The status code a C caller sees for this error.
    #[must_use]
    pub fn status(&self) -> SladdStatus {
        use sladd_core::Error as C;
        use sladd_policy::Error as P;
        match self {
            Self::NullPointer { .. } => SladdStatus::NullPointer,
            Self::NotUtf8 { .. }
            | Self::InteriorNul { .. }
            | Self::TooManyPlanes { .. }
            | Self::PlaneTooLong { .. }
            | Self::PlanesOverlap { .. }
            | Self::ThreadPool { .. }
            | Self::CameraIndex { .. }
            | Self::InstantOutOfRange { .. } => SladdStatus::InvalidArgument,
            Self::UnknownPixelFormat { .. } | Self::UnknownConfigFormat { .. } => {
                SladdStatus::BadFormat
            }
            Self::Json { .. } => SladdStatus::Masking,
            Self::Poisoned => SladdStatus::Poisoned,
            Self::Panic { .. } => SladdStatus::Panic,
            Self::Policy(P::UnknownCamera { .. }) => SladdStatus::UnknownCamera,
            Self::Policy(P::Mask(core)) | Self::Core(core) => match core {
                C::BadFrameSize { .. }
                | C::StrideTooSmall { .. }
                | C::BufferTooShort { .. }
                | C::Overflow { .. }
                | C::PlaneCount { .. }
                | C::SampleType { .. }
                | C::Misaligned { .. } => SladdStatus::BadFrame,
                C::BadStyle { .. } => SladdStatus::InvalidArgument,
                _ => SladdStatus::Masking,
            },
            Self::Policy(_) => SladdStatus::Policy,
        }
    }
}

thread_local! {
    /// The message of the last failed call on this thread.
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Records `message` as this thread's last error.
fn set_last_error(message: String) {
    // A message never contains NUL in practice; replace any so it survives.
    let bytes: Vec<u8> = message
        .into_bytes()
        .into_iter()
        .map(|b| if b == 0 { b'?' } else { b })
        .collect();
    let text = CString::new(bytes).unwrap_or_default();
    // `try_with` fails only while the thread is being torn down.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(text);
        }
    });
}

/// A pointer to this thread's last error message, or null when no call on
/// this thread has failed.
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(slot) => slot.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
            Err(_) => std::ptr::null(),
        })
        .unwrap_or(std::ptr::null())
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Runs `body`, turning its error or panic into a status code and this
/// thread's last error message. Every exported function runs in it, so no
/// panic crosses into the caller's process.
pub fn guard<F>(body: F) -> SladdStatus
where
    F: FnOnce() -> Result<(), Error>,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SladdStatus::Ok,
        Ok(Err(error)) => {
            let status = error.status();
            set_last_error(error.to_string());
            status
        }
        Err(payload) => {
            let error = Error::Panic {
                message: panic_message(payload.as_ref()),
            };
            // The payload is dropped here, inside no unwinding; a payload
            // whose destructor panics would abort, never unwind into C.
            drop(payload);
            set_last_error(error.to_string());
            SladdStatus::Panic
        }
    }
}
