//! Loading a site policy and listing its cameras.

use std::ffi::{c_char, CString};

use sladd_policy::{Format, Policy};

use crate::error::{guard, Error, SladdStatus};
use crate::{c_str, write_out};

/// A compiled site policy (opaque). Immutable once loaded.
///
/// Thread safety: every function taking a `const SladdPolicy *` may be
/// called from any number of threads at once; `sladd_policy_free` must
/// not race with them.
pub struct SladdPolicy {
    pub(crate) policy: Policy,
    camera_ids: Vec<CString>,
}

/// The text formats of a site policy, for `sladd_policy_load_string`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SladdConfigFormat {
    /// TOML, as `fixtures/site.toml`.
    Toml = 0,
    /// JSON with the same fields.
    Json = 1,
}

impl SladdPolicy {
    fn new(policy: Policy) -> Result<Self, Error> {
        let camera_ids = policy
            .cameras()
            .iter()
            .map(|c| {
                CString::new(c.id.as_str()).map_err(|_| Error::InteriorNul { what: "camera id" })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { policy, camera_ids })
    }
}

/// Loads and validates a site policy from a `.toml` or `.json` file.
///
/// On success `*out` holds a policy to free with `sladd_policy_free`; on
/// failure `*out` is null and `sladd_last_error_message` names the
/// file, line, column and field at fault.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `path` must be null or a NUL-terminated string; `out` must be null or
/// point to writable storage for a pointer.
#[no_mangle]
pub unsafe extern "C" fn sladd_policy_load_file(
    path: *const c_char,
    out: *mut *mut SladdPolicy,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", std::ptr::null_mut())? };
        // SAFETY: the caller's contract on `path`.
        let path = unsafe { c_str(path, "path")? };
        let policy = SladdPolicy::new(Policy::load(path)?)?;
        // SAFETY: as above.
        unsafe { write_out(out, "out", Box::into_raw(Box::new(policy))) }
    })
}

/// Loads and validates a site policy from its text: `format` is a
/// `SladdConfigFormat` value. Errors name the line, column and field
/// (the file is called `<string>`).
///
/// On success `*out` holds a policy to free with `sladd_policy_free`; on
/// failure `*out` is null.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `text` must be null or a NUL-terminated string; `out` must be null or
/// point to writable storage for a pointer.
#[no_mangle]
pub unsafe extern "C" fn sladd_policy_load_string(
    text: *const c_char,
    format: i32,
    out: *mut *mut SladdPolicy,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", std::ptr::null_mut())? };
        // SAFETY: the caller's contract on `text`.
        let text = unsafe { c_str(text, "text")? };
        let format = match format {
            f if f == SladdConfigFormat::Toml as i32 => Format::Toml,
            f if f == SladdConfigFormat::Json as i32 => Format::Json,
            code => return Err(Error::UnknownConfigFormat { code }),
        };
        let policy = SladdPolicy::new(Policy::from_str(text, format, "<string>")?)?;
        // SAFETY: as above.
        unsafe { write_out(out, "out", Box::into_raw(Box::new(policy))) }
    })
}

/// Frees a policy. Null is ignored. Maskers created from it stay valid:
/// each holds its own copy of its camera.
///
/// Thread safety: must not race with any other use of the same policy.
///
/// # Safety
/// `policy` must be null or a pointer returned by a `sladd_policy_load_*`
/// function and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sladd_policy_free(policy: *mut SladdPolicy) {
    let _ = guard(|| {
        if !policy.is_null() {
            // SAFETY: the caller's contract: `policy` came from
            // `Box::into_raw` in a load function and is freed only once.
            drop(unsafe { Box::from_raw(policy) });
        }
        Ok(())
    });
}

/// Writes the number of cameras of `policy` to `*out`.
///
/// Thread safety: may be called concurrently on the same policy.
///
/// # Safety
/// `policy` must be null or a live policy; `out` null or writable.
#[no_mangle]
pub unsafe extern "C" fn sladd_policy_camera_count(
    policy: *const SladdPolicy,
    out: *mut usize,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract: null or a live policy.
        let policy = unsafe { policy.as_ref() }.ok_or(Error::NullPointer { what: "policy" })?;
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", policy.camera_ids.len()) }
    })
}

/// Writes the id of camera `index` (0-based, in config order) to `*out`:
/// a NUL-terminated UTF-8 string owned by the policy, valid until the
/// policy is freed. Do not free it.
///
/// Thread safety: may be called concurrently on the same policy.
///
/// # Safety
/// `policy` must be null or a live policy; `out` null or writable.
#[no_mangle]
pub unsafe extern "C" fn sladd_policy_camera_id(
    policy: *const SladdPolicy,
    index: usize,
    out: *mut *const c_char,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", std::ptr::null())? };
        // SAFETY: the caller's contract: null or a live policy.
        let policy = unsafe { policy.as_ref() }.ok_or(Error::NullPointer { what: "policy" })?;
        let id = policy.camera_ids.get(index).ok_or(Error::CameraIndex {
            index,
            count: policy.camera_ids.len(),
        })?;
        // SAFETY: as above.
        unsafe { write_out(out, "out", id.as_ptr()) }
    })
}
