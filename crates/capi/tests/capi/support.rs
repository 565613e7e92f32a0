//! Helpers: safe wrappers over the extern functions for the tests, and
//! the Rust oracle the C output is compared with.

use std::ffi::{CStr, CString};
use std::path::PathBuf;
use std::ptr;

use sladd_capi::*;
use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor, Style, Threads};
use sladd_policy::{Decider, Policy};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fixtures/site.toml`.
pub fn site_path() -> PathBuf {
    root().join("fixtures/site.toml")
}

/// 2026-11-24T12:00:00+01:00 (a Tuesday noon) in Unix nanoseconds.
pub const NOON: i64 = 1_795_518_000_000_000_000;
/// 2026-11-24T02:00:00+01:00 (a Tuesday night, closed) in Unix nanoseconds.
pub const NIGHT: i64 = NOON - 10 * 3_600_000_000_000;

/// This thread's last error message.
pub fn last_error() -> Option<String> {
    let p = sladd_last_error_message();
    if p.is_null() {
        None
    } else {
        // SAFETY: a non-null pointer from sladd is a NUL-terminated string
        // valid until the next failing call on this thread.
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// A loaded policy, freed on drop.
pub struct PolicyHandle(pub *mut SladdPolicy);

impl PolicyHandle {
    pub fn load_file(path: &str) -> Result<Self, (SladdStatus, String)> {
        let path = CString::new(path).unwrap();
        let mut out = ptr::null_mut();
        // SAFETY: valid string and out-pointer.
        let status = unsafe { sladd_policy_load_file(path.as_ptr(), &mut out) };
        if status == SladdStatus::Ok {
            Ok(Self(out))
        } else {
            assert!(out.is_null(), "failure leaves *out null");
            Err((status, last_error().unwrap()))
        }
    }

    pub fn load_string(text: &str, format: i32) -> Result<Self, (SladdStatus, String)> {
        let text = CString::new(text).unwrap();
        let mut out = ptr::null_mut();
        // SAFETY: valid string and out-pointer.
        let status = unsafe { sladd_policy_load_string(text.as_ptr(), format, &mut out) };
        if status == SladdStatus::Ok {
            Ok(Self(out))
        } else {
            assert!(out.is_null(), "failure leaves *out null");
            Err((status, last_error().unwrap()))
        }
    }

    pub fn site() -> Self {
        Self::load_file(site_path().to_str().unwrap()).unwrap()
    }

    pub fn masker(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        format: i32,
    ) -> Result<MaskerHandle, (SladdStatus, String)> {
        let camera = CString::new(camera).unwrap();
        let mut out = ptr::null_mut();
        // SAFETY: a live policy, valid string and out-pointer.
        let status =
            unsafe { sladd_masker_new(self.0, camera.as_ptr(), width, height, format, &mut out) };
        if status == SladdStatus::Ok {
            Ok(MaskerHandle(out))
        } else {
            assert!(out.is_null(), "failure leaves *out null");
            Err((status, last_error().unwrap()))
        }
    }
}

impl Drop for PolicyHandle {
    fn drop(&mut self) {
        // SAFETY: loaded by this handle, freed once.
        unsafe { sladd_policy_free(self.0) };
    }
}

/// A masker, freed on drop.
pub struct MaskerHandle(pub *mut SladdMasker);

// SAFETY: a masker may move between threads (documented); the handle is
// used by one thread at a time.
unsafe impl Send for MaskerHandle {}

impl MaskerHandle {
    /// Applies to planes given as vectors with their strides.
    pub fn apply(&mut self, at: i64, planes: &mut [Vec<u8>], strides: &[usize]) -> SladdStatus {
        let ptrs: Vec<*mut u8> = planes.iter_mut().map(|p| p.as_mut_ptr()).collect();
        let lengths: Vec<usize> = planes.iter().map(Vec::len).collect();
        // SAFETY: each pointer is a live vector of the stated length, the
        // vectors are distinct, the arrays hold `planes.len()` entries.
        unsafe {
            sladd_masker_apply(
                self.0,
                at,
                ptrs.as_ptr(),
                strides.as_ptr(),
                lengths.as_ptr(),
                ptrs.len(),
            )
        }
    }

    pub fn decision_json(&mut self, at: i64) -> serde_json::Value {
        let mut out = ptr::null_mut();
        // SAFETY: a live masker and a valid out-pointer.
        let status = unsafe { sladd_masker_decision_json(self.0, at, &mut out) };
        assert_eq!(status, SladdStatus::Ok, "{:?}", last_error());
        // SAFETY: a string sladd returned for us to free.
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: as above, freed once.
        unsafe { sladd_string_free(out) };
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for MaskerHandle {
    fn drop(&mut self) {
        // SAFETY: created by this handle, freed once.
        unsafe { sladd_masker_free(self.0) };
    }
}

/// Tightly packed planes of a `width × height` frame in `format`, filled
/// with a ramp so that masked and unmasked samples can be told apart.
pub fn planes_for(format: PixelFormat, width: u32, height: u32) -> (Vec<Vec<u8>>, Vec<usize>) {
    let bytes = (format.storage_bits() / 8) as usize;
    let mut planes = Vec::new();
    let mut strides = Vec::new();
    for i in 0..format.plane_count() {
        let (w, h) = format.plane_size(i, width, height);
        let stride = w as usize * format.channels(i) * bytes;
        let plane: Vec<u8> = (0..stride * h as usize)
            .map(|k| {
                if bytes == 2 && k % 2 == 1 {
                    1
                } else {
                    (40 + k % 151) as u8
                }
            })
            .collect();
        planes.push(plane);
        strides.push(stride);
    }
    (planes, strides)
}

/// The same masking done with the Rust API: the oracle.
pub fn rust_mask(
    camera: &str,
    at: Option<i64>,
    format: PixelFormat,
    width: u32,
    height: u32,
    planes: &mut [Vec<u8>],
    strides: &[usize],
) {
    let policy = Policy::load(site_path()).unwrap();
    let mut decider = Decider::new(policy.camera(camera).unwrap().clone());
    let at = at.map(|n| jiff::Timestamp::from_nanosecond(i128::from(n)).unwrap());
    let layers = decider
        .decide(at)
        .mask_layers(width, height, Style::fill())
        .unwrap();
    let redaction = Redaction::new(format, width, height, layers).unwrap();
    let mut frame = FrameMut::from_planes(
        format,
        width,
        height,
        planes
            .iter_mut()
            .zip(strides)
            .map(|(p, &s)| (&mut p[..], s)),
    )
    .unwrap();
    Redactor::new()
        .with_threads(Threads::Single)
        .apply(&mut frame, &redaction)
        .unwrap();
}
