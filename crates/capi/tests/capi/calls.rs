//! The extern functions called as C calls them: every misuse an error,
//! never undefined behaviour; every format masked; threads independent.

use std::ffi::{CStr, CString};
use std::ptr;

use sladd_capi::*;
use sladd_core::PixelFormat;

use crate::support::*;

const FORMATS: [(SladdPixelFormat, PixelFormat); 11] = [
    (SladdPixelFormat::Yuv420p, PixelFormat::Yuv420p),
    (SladdPixelFormat::Yuvj420p, PixelFormat::Yuvj420p),
    (SladdPixelFormat::Yuv422p, PixelFormat::Yuv422p),
    (SladdPixelFormat::Yuv444p, PixelFormat::Yuv444p),
    (SladdPixelFormat::Nv12, PixelFormat::Nv12),
    (SladdPixelFormat::Gray8, PixelFormat::Gray8),
    (SladdPixelFormat::Rgb24, PixelFormat::Rgb24),
    (SladdPixelFormat::Bgr24, PixelFormat::Bgr24),
    (SladdPixelFormat::Rgba, PixelFormat::Rgba),
    (SladdPixelFormat::Bgra, PixelFormat::Bgra),
    (SladdPixelFormat::Yuv420p10le, PixelFormat::Yuv420p10le),
];

const YUV: i32 = SladdPixelFormat::Yuv420p as i32;

/// A camera that only watches for burglary: dark while the shop is open,
/// and dark when the instant is unknown.
const BURGLARY_ONLY: &str = r#"
[site]
name = "Kiosken"
timezone = "Europe/Oslo"
opening_hours = ["mon-fri 07:00-23:00"]

[[cameras]]
id = "door"
purposes = [{ purpose = "burglary" }]

[[cameras.zones]]
name = "Shop"
area = "public"
polygon = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
"#;

#[test]
fn every_format_is_masked_exactly_as_the_rust_api_masks_it() {
    let policy = PolicyHandle::site();
    let (w, h) = (67, 41); // odd sizes: chroma rounded up
    for (code, format) in FORMATS {
        let mut masker = policy.masker("kasse-1", w, h, code as i32).unwrap();
        let (mut planes, strides) = planes_for(format, w, h);
        let original = planes.clone();
        let status = masker.apply(NOON, &mut planes, &strides);
        assert_eq!(status, SladdStatus::Ok, "{format}: {:?}", last_error());
        assert_ne!(planes, original, "{format}: something is masked at noon");
        let mut expected = original;
        rust_mask("kasse-1", Some(NOON), format, w, h, &mut expected, &strides);
        assert_eq!(planes, expected, "{format}");
    }
}

#[test]
fn padded_strides_leave_the_padding_alone() {
    let policy = PolicyHandle::site();
    let (w, h) = (64u32, 36u32);
    let mut masker = policy.masker("kasse-1", w, h, YUV).unwrap();
    let strides = [80usize, 48, 48];
    let mut planes = vec![
        vec![77u8; 80 * 36],
        vec![77u8; 48 * 18],
        vec![77u8; 48 * 18],
    ];
    assert_eq!(masker.apply(NOON, &mut planes, &strides), SladdStatus::Ok);
    for (plane, (&stride, width)) in planes.iter().zip(strides.iter().zip([64, 32, 32])) {
        for row in plane.chunks(stride) {
            assert!(row[width..].iter().all(|&b| b == 77), "padding written");
        }
    }
    assert!(planes[0].contains(&16), "the counter is filled");
}

#[test]
fn null_pointers_are_errors() {
    let policy = PolicyHandle::site();
    let mut masker = policy.masker("kasse-1", 16, 16, YUV).unwrap();
    let camera = CString::new("kasse-1").unwrap();
    let mut p: *mut SladdPolicy = ptr::null_mut();
    let mut m: *mut SladdMasker = ptr::null_mut();
    let mut n = 0usize;
    let mut s: *const std::ffi::c_char = ptr::null();
    let mut json: *mut std::ffi::c_char = ptr::null_mut();
    let (mut y, mut u, mut v) = (vec![0u8; 256], vec![0u8; 64], vec![0u8; 64]);
    let planes = [y.as_mut_ptr(), u.as_mut_ptr(), v.as_mut_ptr()];
    let with_null = [y.as_mut_ptr(), ptr::null_mut(), v.as_mut_ptr()];
    let strides = [16usize, 8, 8];
    let lengths = [256usize, 64, 64];
    // SAFETY: every pointer is null or valid; nulls are what is tested.
    let statuses = unsafe {
        [
            sladd_policy_load_file(ptr::null(), &mut p),
            sladd_policy_load_file(camera.as_ptr(), ptr::null_mut()),
            sladd_policy_load_string(ptr::null(), 0, &mut p),
            sladd_policy_camera_count(ptr::null(), &mut n),
            sladd_policy_camera_count(policy.0, ptr::null_mut()),
            sladd_policy_camera_id(ptr::null(), 0, &mut s),
            sladd_masker_new(ptr::null(), camera.as_ptr(), 16, 16, YUV, &mut m),
            sladd_masker_new(policy.0, ptr::null(), 16, 16, YUV, &mut m),
            sladd_masker_new(policy.0, camera.as_ptr(), 16, 16, YUV, ptr::null_mut()),
            sladd_masker_set_threads(ptr::null_mut(), 2),
            sladd_masker_set_default_style(masker.0, ptr::null()),
            sladd_masker_apply(
                ptr::null_mut(),
                NOON,
                planes.as_ptr(),
                strides.as_ptr(),
                lengths.as_ptr(),
                3,
            ),
            sladd_masker_apply(
                masker.0,
                NOON,
                ptr::null(),
                strides.as_ptr(),
                lengths.as_ptr(),
                3,
            ),
            sladd_masker_apply(
                masker.0,
                NOON,
                planes.as_ptr(),
                ptr::null(),
                lengths.as_ptr(),
                3,
            ),
            sladd_masker_apply(
                masker.0,
                NOON,
                planes.as_ptr(),
                strides.as_ptr(),
                ptr::null(),
                3,
            ),
            sladd_masker_apply(
                masker.0,
                NOON,
                with_null.as_ptr(),
                strides.as_ptr(),
                lengths.as_ptr(),
                3,
            ),
            sladd_masker_decision_json(ptr::null_mut(), NOON, &mut json),
            sladd_masker_decision_json(masker.0, NOON, ptr::null_mut()),
        ]
    };
    for (i, status) in statuses.into_iter().enumerate() {
        assert_eq!(status, SladdStatus::NullPointer, "call {i}");
    }
    assert!(last_error().unwrap().contains("null pointer"));
    assert!(p.is_null() && m.is_null() && s.is_null() && json.is_null());
    // Frees take null.
    // SAFETY: null is documented as ignored.
    unsafe {
        sladd_policy_free(ptr::null_mut());
        sladd_masker_free(ptr::null_mut());
        sladd_string_free(ptr::null_mut());
    }
    assert!(y.iter().all(|&b| b == 0), "nothing written on error");
    let _ = (&mut u, &mut v, &mut masker);
}

/// A bad frame: name, planes, strides, the status and part of the message.
type Case = (
    &'static str,
    Vec<Vec<u8>>,
    Vec<usize>,
    SladdStatus,
    &'static str,
);

#[test]
fn bad_frames_are_errors_and_leave_the_frame_untouched() {
    let policy = PolicyHandle::site();
    let mut masker = policy.masker("kasse-1", 64, 36, YUV).unwrap();
    let good = || {
        vec![
            vec![90u8; 64 * 36],
            vec![90u8; 32 * 18],
            vec![90u8; 32 * 18],
        ]
    };
    let cases: Vec<Case> = vec![
        (
            "stride below width",
            good(),
            vec![63, 32, 32],
            SladdStatus::BadFrame,
            "stride 63",
        ),
        (
            "chroma stride below its width",
            good(),
            vec![64, 31, 32],
            SladdStatus::BadFrame,
            "stride 31",
        ),
        (
            "short luma buffer",
            vec![vec![90; 64 * 35], vec![90; 32 * 18], vec![90; 32 * 18]],
            vec![64, 32, 32],
            SladdStatus::BadFrame,
            "buffer holds",
        ),
        (
            "short last row",
            vec![vec![90; 64 * 36], vec![90; 32 * 18], vec![90; 32 * 18 - 1]],
            vec![64, 32, 32],
            SladdStatus::BadFrame,
            "plane 2",
        ),
        (
            "two planes for yuv420p",
            vec![vec![90; 64 * 36], vec![90; 32 * 18]],
            vec![64, 32],
            SladdStatus::BadFrame,
            "3 planes, 2 were given",
        ),
        (
            "four planes",
            vec![
                vec![90; 64 * 36],
                vec![90; 576],
                vec![90; 576],
                vec![90; 576],
            ],
            vec![64, 32, 32, 32],
            SladdStatus::InvalidArgument,
            "4 planes",
        ),
    ];
    for (name, mut planes, strides, status, message) in cases {
        let before = planes.clone();
        assert_eq!(masker.apply(NOON, &mut planes, &strides), status, "{name}");
        let error = last_error().unwrap();
        assert!(error.contains(message), "{name}: {error}");
        assert_eq!(planes, before, "{name}: frame touched");
    }
    // The masker still works after errors.
    let mut planes = good();
    assert_eq!(
        masker.apply(NOON, &mut planes, &[64, 32, 32]),
        SladdStatus::Ok
    );
}

#[test]
fn overlapping_planes_are_refused() {
    let policy = PolicyHandle::site();
    let mut masker = policy.masker("kasse-1", 16, 16, YUV).unwrap();
    let mut buffer = vec![0u8; 256 + 64];
    let base = buffer.as_mut_ptr();
    // SAFETY: offsets within the buffer.
    let planes = [base, unsafe { base.add(200) }, unsafe { base.add(256) }];
    let strides = [16usize, 8, 8];
    let lengths = [256usize, 64, 64];
    // SAFETY: every plane lies inside `buffer`; the overlap is refused
    // before any slice is made.
    let status = unsafe {
        sladd_masker_apply(
            masker.0,
            NOON,
            planes.as_ptr(),
            strides.as_ptr(),
            lengths.as_ptr(),
            3,
        )
    };
    assert_eq!(status, SladdStatus::InvalidArgument);
    assert!(last_error().unwrap().contains("planes 0 and 1 overlap"));
    let _ = &mut masker;
}

#[test]
fn ten_bit_planes_must_be_aligned() {
    let policy = PolicyHandle::site();
    let code = SladdPixelFormat::Yuv420p10le as i32;
    let mut masker = policy.masker("kasse-1", 16, 16, code).unwrap();
    let mut luma = vec![0u16; 16 * 16 + 1];
    let mut u = vec![0u16; 64];
    let mut v = vec![0u16; 64];
    // Luma starts one byte into a u16 buffer: odd address.
    let planes = [
        luma.as_mut_ptr().cast::<u8>().wrapping_add(1),
        u.as_mut_ptr().cast::<u8>(),
        v.as_mut_ptr().cast::<u8>(),
    ];
    let strides = [32usize, 16, 16];
    let lengths = [512usize, 128, 128];
    // SAFETY: every plane is inside its vector for its length.
    let status = unsafe {
        sladd_masker_apply(
            masker.0,
            NOON,
            planes.as_ptr(),
            strides.as_ptr(),
            lengths.as_ptr(),
            3,
        )
    };
    assert_eq!(status, SladdStatus::BadFrame);
    assert!(last_error().unwrap().contains("even address"));
    let odd_stride = [33usize, 16, 16];
    let planes = [
        luma.as_mut_ptr().cast::<u8>(),
        u.as_mut_ptr().cast::<u8>(),
        v.as_mut_ptr().cast::<u8>(),
    ];
    // SAFETY: as above.
    let status = unsafe {
        sladd_masker_apply(
            masker.0,
            NOON,
            planes.as_ptr(),
            odd_stride.as_ptr(),
            lengths.as_ptr(),
            3,
        )
    };
    assert_eq!(status, SladdStatus::BadFrame);
    let _ = &mut masker;
}

#[test]
fn bad_formats_cameras_and_configs_are_errors() {
    let policy = PolicyHandle::site();
    let (status, message) = policy.masker("kasse-1", 64, 36, 11).err().unwrap();
    assert_eq!(status, SladdStatus::BadFormat);
    assert!(
        message.contains("unknown pixel format code 11"),
        "{message}"
    );
    let (status, _) = policy.masker("kasse-1", 64, 36, -1).err().unwrap();
    assert_eq!(status, SladdStatus::BadFormat);

    let (status, message) = policy.masker("kasse-9", 64, 36, YUV).err().unwrap();
    assert_eq!(status, SladdStatus::UnknownCamera);
    assert!(
        message.contains("kasse-9") && message.contains("kasse-1"),
        "{message}"
    );

    let (status, message) = policy.masker("kasse-1", 0, 36, YUV).err().unwrap();
    assert_eq!(status, SladdStatus::BadFrame);
    assert!(message.contains("0x36"), "{message}");

    let (status, message) = PolicyHandle::load_file("/nonexistent/site.toml")
        .err()
        .unwrap();
    assert_eq!(status, SladdStatus::Policy);
    assert!(message.contains("/nonexistent/site.toml"), "{message}");

    let broken = BURGLARY_ONLY.replace("area = \"public\"", "area = \"lobby\"");
    let (status, message) = PolicyHandle::load_string(&broken, 0).err().unwrap();
    assert_eq!(status, SladdStatus::Policy);
    assert!(
        message.starts_with("<string>:"),
        "names the line: {message}"
    );
    assert!(message.contains("lobby"), "{message}");

    let (status, _) = PolicyHandle::load_string(BURGLARY_ONLY, 7).err().unwrap();
    assert_eq!(status, SladdStatus::BadFormat);

    let bad_utf8 = [0xffu8, 0xfe, 0];
    let mut out = ptr::null_mut();
    // SAFETY: a NUL-terminated byte string and a valid out-pointer.
    let status = unsafe { sladd_policy_load_string(bad_utf8.as_ptr().cast(), 0, &mut out) };
    assert_eq!(status, SladdStatus::InvalidArgument);
    assert!(last_error().unwrap().contains("UTF-8"));
}

#[test]
fn json_policies_load_and_cameras_are_listed() {
    let raw: toml::Value = toml::from_str(BURGLARY_ONLY).unwrap();
    let json = serde_json::to_string(&raw).unwrap();
    let policy = PolicyHandle::load_string(&json, SladdConfigFormat::Json as i32).unwrap();
    let mut count = 0usize;
    let mut id = ptr::null();
    // SAFETY: a live policy and valid out-pointers.
    unsafe {
        assert_eq!(
            sladd_policy_camera_count(policy.0, &mut count),
            SladdStatus::Ok
        );
        assert_eq!(
            sladd_policy_camera_id(policy.0, 0, &mut id),
            SladdStatus::Ok
        );
        assert_eq!(CStr::from_ptr(id).to_str().unwrap(), "door");
        assert_eq!(
            sladd_policy_camera_id(policy.0, 1, &mut id),
            SladdStatus::InvalidArgument
        );
    }
    assert_eq!(count, 1);
    assert!(id.is_null());
    assert!(last_error().unwrap().contains("camera index 1"));
}

#[test]
fn unknown_instant_takes_the_protective_branch() {
    let policy = PolicyHandle::load_string(BURGLARY_ONLY, 0).unwrap();
    let mut masker = policy.masker("door", 32, 18, YUV).unwrap();
    let (planes, strides) = planes_for(PixelFormat::Yuv420p, 32, 18);

    // At night, with the shop closed, the burglary camera shows the shop.
    let mut night = planes.clone();
    assert_eq!(masker.apply(NIGHT, &mut night, &strides), SladdStatus::Ok);
    assert_eq!(night, planes);
    // At noon it is dark, and so when the time is unknown.
    for at in [NOON, SLADD_INSTANT_UNKNOWN] {
        let mut frame = planes.clone();
        assert_eq!(masker.apply(at, &mut frame, &strides), SladdStatus::Ok);
        assert!(frame[0].iter().all(|&y| y == 16), "whole frame filled");
        assert!(frame[1].iter().chain(&frame[2]).all(|&c| c == 128));
    }
    let json = masker.decision_json(SLADD_INSTANT_UNKNOWN);
    assert_eq!(json["unknown_instant"], true);
    assert_eq!(json["full_frame"], true);
    assert_eq!(json["full_frame_rule"], "R-NO-PURPOSE");
    assert_eq!(json["at"], serde_json::Value::Null);
}

#[test]
fn decision_json_is_the_policy_decision() {
    let policy = PolicyHandle::site();
    let mut masker = policy.masker("kasse-1", 64, 36, YUV).unwrap();
    let json = masker.decision_json(NOON);
    let rust = sladd_policy::Policy::load(site_path()).unwrap();
    let at = jiff::Timestamp::from_nanosecond(i128::from(NOON)).unwrap();
    let expected = serde_json::to_value(sladd_policy::decide(
        rust.camera("kasse-1").unwrap(),
        Some(at),
    ))
    .unwrap();
    assert_eq!(json, expected);
    assert_eq!(json["at"], "2026-11-24T12:00:00+01:00");
    assert_eq!(json["zones"][0]["masked"], true);
    assert_eq!(json["zones"][0]["rule"], "R-AREA-OBJECT");
    assert_eq!(json["zones"][1]["masked"], false);
    assert!(json["zones"][0]["reason"].as_str().unwrap().len() > 20);
}

#[test]
fn default_style_and_threads_are_settable() {
    let policy = PolicyHandle::site();
    let (w, h) = (96u32, 54u32);
    let (planes, strides) = planes_for(PixelFormat::Yuv420p, w, h);
    let mut one = policy.masker("kasse-1", w, h, YUV).unwrap();
    let mut filled = planes.clone();
    assert_eq!(one.apply(NOON, &mut filled, &strides), SladdStatus::Ok);

    let mut four = policy.masker("kasse-1", w, h, YUV).unwrap();
    // SAFETY: a live masker.
    let status = unsafe { sladd_masker_set_threads(four.0, 4) };
    assert_eq!(status, SladdStatus::Ok);
    let mut threaded = planes.clone();
    assert_eq!(four.apply(NOON, &mut threaded, &strides), SladdStatus::Ok);
    assert_eq!(threaded, filled, "threads do not change the output");

    // The zone names `style = "fill"`, so the default style does not apply
    // to it: the output is the same.
    let style = CString::new("pixelate:8").unwrap();
    // SAFETY: a live masker and a NUL-terminated string.
    let status = unsafe { sladd_masker_set_default_style(one.0, style.as_ptr()) };
    assert_eq!(status, SladdStatus::Ok);
    let mut styled = planes.clone();
    assert_eq!(one.apply(NOON, &mut styled, &strides), SladdStatus::Ok);
    assert_eq!(styled, filled);

    let bad = CString::new("smudge").unwrap();
    // SAFETY: as above.
    let status = unsafe { sladd_masker_set_default_style(one.0, bad.as_ptr()) };
    assert_eq!(status, SladdStatus::InvalidArgument);
    assert!(last_error().unwrap().contains("smudge"));
}

#[test]
fn panics_are_caught_at_the_boundary() {
    let status = guard(|| panic!("kernel bug at row 7"));
    assert_eq!(status, SladdStatus::Panic);
    assert_eq!(
        last_error().unwrap(),
        "internal error (panic): kernel bug at row 7"
    );
    let status = guard(|| std::panic::panic_any(42u8));
    assert_eq!(status, SladdStatus::Panic);
    assert!(last_error().unwrap().contains("unknown panic"));
}

#[test]
fn last_error_is_per_thread() {
    let policy = PolicyHandle::site();
    let camera_error = |camera: &'static str| {
        let path = site_path();
        std::thread::spawn(move || {
            assert_eq!(last_error(), None, "a new thread has no error");
            let policy = PolicyHandle::load_file(path.to_str().unwrap()).unwrap();
            let _ = policy.masker(camera, 16, 16, YUV);
            std::thread::sleep(std::time::Duration::from_millis(20));
            last_error().unwrap()
        })
    };
    let (a, b) = (camera_error("alpha"), camera_error("beta"));
    let _ = policy.masker("gamma", 16, 16, YUV);
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    assert!(a.contains("'alpha'") && !a.contains("beta"), "{a}");
    assert!(b.contains("'beta'"), "{b}");
    assert!(last_error().unwrap().contains("'gamma'"));
}

#[test]
fn maskers_on_two_threads_are_independent() {
    let policy = PolicyHandle::site();
    let (w, h) = (160u32, 90u32);
    let (planes, strides) = planes_for(PixelFormat::Nv12, w, h);
    let code = SladdPixelFormat::Nv12 as i32;
    let mut expected = planes.clone();
    rust_mask(
        "kasse-1",
        Some(NOON),
        PixelFormat::Nv12,
        w,
        h,
        &mut expected,
        &strides,
    );
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let mut masker = policy.masker("kasse-1", w, h, code).unwrap();
            let (planes, strides) = (planes.clone(), strides.clone());
            std::thread::spawn(move || {
                let mut last = Vec::new();
                for frame in 0..50 {
                    let mut f = planes.clone();
                    let status = masker.apply(NOON + frame * 40_000_000, &mut f, &strides);
                    assert_eq!(status, SladdStatus::Ok);
                    last = f;
                }
                last
            })
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap(), expected);
    }
}
