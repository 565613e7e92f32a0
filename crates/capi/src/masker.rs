//! A masker: one camera's decisions applied to frames of one geometry.

use std::ffi::{c_char, CString};

use jiff::Timestamp;
use sladd_core::Style;
use sladd_policy::CameraMasker;

use crate::error::{guard, Error, SladdStatus};
use crate::frame::{frame_view, pixel_format, RawPlanes};
use crate::policy::SladdPolicy;
use crate::{c_str, write_out};

/// The `instant` meaning "the frame's wall-clock time is unknown": the
/// policy then takes the protective branch (rules.md §2a.5: staff count as
/// present, time-limited purposes as inactive, which may mask the whole
/// frame).
pub const SLADD_INSTANT_UNKNOWN: i64 = i64::MIN;

/// Masks frames of one camera, size and pixel format in place (opaque).
///
/// Thread safety: a masker is not internally locked. Use one masker per
/// thread (create as many as you have threads), or serialize calls on a
/// shared one yourself. A masker may be moved between threads between
/// calls.
pub struct SladdMasker {
    masker: CameraMasker,
    /// Set while a call runs; still set after a panic, which poisons the
    /// masker.
    busy: bool,
}

/// An instant from Unix nanoseconds; `None` for `SLADD_INSTANT_UNKNOWN`.
fn instant(unix_nanos: i64) -> Result<Option<Timestamp>, Error> {
    if unix_nanos == SLADD_INSTANT_UNKNOWN {
        return Ok(None);
    }
    // Every i64 of nanoseconds (about ±292 years) is within jiff's range.
    Ok(Some(
        Timestamp::from_nanosecond(i128::from(unix_nanos))
            .map_err(|_| Error::InstantOutOfRange { unix_nanos })?,
    ))
}

impl SladdMasker {
    /// Runs `body` unless an earlier call panicked; marks the masker busy
    /// while it runs.
    fn run<T>(
        &mut self,
        body: impl FnOnce(&mut CameraMasker) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.busy {
            return Err(Error::Poisoned);
        }
        self.busy = true;
        let result = body(&mut self.masker);
        self.busy = false;
        result
    }
}

/// Creates a masker for camera `camera_id` of `policy`, for frames of
/// `width × height` pixels in pixel format `format` (a `SladdPixelFormat`
/// value). Masked zones without a style of their own are filled black
/// (see `sladd_masker_set_default_style`); masking runs on the calling
/// thread only (see `sladd_masker_set_threads`).
///
/// The masker holds its own copy of the camera: `policy` may be freed
/// afterwards. On success `*out` holds a masker to free with
/// `sladd_masker_free`; on failure `*out` is null.
///
/// Thread safety: may be called concurrently on the same policy.
///
/// # Safety
/// `policy` must be null or a live policy, `camera_id` null or a
/// NUL-terminated string, `out` null or writable.
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_new(
    policy: *const SladdPolicy,
    camera_id: *const c_char,
    width: u32,
    height: u32,
    format: i32,
    out: *mut *mut SladdMasker,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", std::ptr::null_mut())? };
        // SAFETY: the caller's contract: null or a live policy.
        let policy = unsafe { policy.as_ref() }.ok_or(Error::NullPointer { what: "policy" })?;
        // SAFETY: the caller's contract on `camera_id`.
        let camera_id = unsafe { c_str(camera_id, "camera_id")? };
        let format = pixel_format(format)?;
        let mut masker = CameraMasker::new(&policy.policy, camera_id, format, width, height)?;
        // A live stream needs no record of its decisions.
        masker.set_span_recording(false);
        let masker = SladdMasker {
            masker,
            busy: false,
        };
        // SAFETY: as above.
        unsafe { write_out(out, "out", Box::into_raw(Box::new(masker))) }
    })
}

/// Sets how many threads `sladd_masker_apply` uses: 1 (the default) masks
/// on the calling thread only; `n > 1` starts a pool of `n` threads owned
/// by this masker; 0 uses a shared pool sized to the machine. The output is
/// the same for every choice.
///
/// Thread safety: as every masker function, not concurrently with another
/// call on the same masker.
///
/// # Safety
/// `masker` must be null or a live masker.
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_set_threads(
    masker: *mut SladdMasker,
    threads: u32,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract: null or a live masker not in use
        // elsewhere.
        let masker = unsafe { masker.as_mut() }.ok_or(Error::NullPointer { what: "masker" })?;
        masker.run(|m| {
            m.try_set_threads(threads as usize)
                .map_err(|e| Error::ThreadPool {
                    threads,
                    reason: e.to_string(),
                })
        })
    })
}

/// Sets the style of masked zones that name none in the policy: `fill`,
/// `fill:#rrggbb`, `pixelate`, `pixelate:BLOCK`, `blur` or `blur:RADIUS`
/// (the default is `fill`, black). Zones the rules force to a fill stay
/// filled.
///
/// Thread safety: as every masker function, not concurrently with another
/// call on the same masker.
///
/// # Safety
/// `masker` must be null or a live masker, `style` null or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_set_default_style(
    masker: *mut SladdMasker,
    style: *const c_char,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract: null or a live masker not in use
        // elsewhere.
        let masker = unsafe { masker.as_mut() }.ok_or(Error::NullPointer { what: "masker" })?;
        // SAFETY: the caller's contract on `style`.
        let style = unsafe { c_str(style, "style")? };
        let style: Style = style.parse()?;
        style.validate()?;
        masker.run(|m| {
            m.set_style(style);
            Ok(())
        })
    })
}

/// Masks one frame in place as the policy decides at `unix_nanos` (the
/// frame's wall-clock time in nanoseconds since 1970-01-01T00:00:00Z, or
/// `SLADD_INSTANT_UNKNOWN`).
///
/// `planes`, `strides` and `lengths` are arrays of `plane_count` entries,
/// in the format's plane order: each plane's first byte, its stride
/// (bytes from one row to the next, at least a row of samples) and the
/// length of its buffer in bytes (at least `stride * (rows - 1) + row`).
/// Only the masked samples of each row are written; row padding and the
/// samples outside the masks are never touched.
///
/// Costs a timestamp comparison and the masking itself: the masks are
/// rasterized once per decision (when a schedule boundary changes what is
/// masked), and no memory is allocated per frame.
///
/// Fail closed: on any status but `SLADD_STATUS_OK` the frame may be
/// untouched or partly masked, and **must not be shown, stored or sent**.
///
/// Thread safety: not concurrently with another call on the same masker;
/// different maskers may be used on different threads at once.
///
/// # Safety
/// `masker` must be null or a live masker. `planes`, `strides` and
/// `lengths` must be null or point to `plane_count` readable elements.
/// Each plane pointer must be null or valid for reads and writes of its
/// length in bytes, and no other thread may access those bytes during the
/// call. (Null pointers, overlapping planes, short buffers and small
/// strides are reported as errors.)
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_apply(
    masker: *mut SladdMasker,
    unix_nanos: i64,
    planes: *const *mut u8,
    strides: *const usize,
    lengths: *const usize,
    plane_count: usize,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract: null or a live masker not in use
        // elsewhere.
        let masker = unsafe { masker.as_mut() }.ok_or(Error::NullPointer { what: "masker" })?;
        let at = instant(unix_nanos)?;
        let raw = RawPlanes {
            planes,
            strides,
            lengths,
            count: plane_count,
        };
        let (width, height) = masker.masker.size();
        // SAFETY: the caller's contract on the arrays and the plane
        // buffers, which stay borrowed only for this call.
        let mut frame = unsafe { frame_view(masker.masker.format(), width, height, &raw)? };
        masker.run(|m| {
            m.apply(&mut frame, at)?;
            Ok(())
        })
    })
}

/// Writes the decision at `unix_nanos` (or `SLADD_INSTANT_UNKNOWN`) as a
/// JSON object to `*out`, for the VMS's audit log: `camera`, `at`,
/// `unknown_instant`, `full_frame`, `full_frame_rule`, `full_frame_reason`,
/// `active_purposes`, `zones` (each with `name`, `area`, `masked`,
/// `outcome`, `style`, `rule`, `reason`) and `valid_until`; the keys of
/// `sladd plan --json`. Free the string with `sladd_string_free`.
///
/// Thread safety: not concurrently with another call on the same masker.
///
/// # Safety
/// `masker` must be null or a live masker, `out` null or writable.
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_decision_json(
    masker: *mut SladdMasker,
    unix_nanos: i64,
    out: *mut *mut c_char,
) -> SladdStatus {
    guard(|| {
        // SAFETY: the caller's contract on `out`.
        unsafe { write_out(out, "out", std::ptr::null_mut())? };
        // SAFETY: the caller's contract: null or a live masker not in use
        // elsewhere.
        let masker = unsafe { masker.as_mut() }.ok_or(Error::NullPointer { what: "masker" })?;
        let at = instant(unix_nanos)?;
        let json = masker.run(|m| {
            serde_json::to_string(m.decide(at)).map_err(|e| Error::Json {
                reason: e.to_string(),
            })
        })?;
        let json = CString::new(json).map_err(|_| Error::InteriorNul {
            what: "decision json",
        })?;
        // SAFETY: as above.
        unsafe { write_out(out, "out", json.into_raw()) }
    })
}

/// Frees a masker. Null is ignored.
///
/// Thread safety: must not race with any other call on the same masker.
///
/// # Safety
/// `masker` must be null or a pointer returned by `sladd_masker_new` and
/// not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sladd_masker_free(masker: *mut SladdMasker) {
    let _ = guard(|| {
        if !masker.is_null() {
            // SAFETY: the caller's contract: `masker` came from
            // `Box::into_raw` in `sladd_masker_new` and is freed only once.
            drop(unsafe { Box::from_raw(masker) });
        }
        Ok(())
    });
}
