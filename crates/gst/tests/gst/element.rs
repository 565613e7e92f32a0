//! `sladdmask` in a `gst_check::Harness`: the bytes of every format at odd
//! sizes and padded strides, the instant of each frame, decision messages,
//! and failing closed.

use gst::prelude::*;
use gst_base::prelude::*;
use gst_check::Harness;
use gstsladd::frame::FORMATS;

use crate::support::*;

/// A harness around a `sladdmask` configured with `site` (and `extra`
/// properties), with a bus for its messages.
fn harness(site: &SiteFile, extra: &[(&str, &str)], layout: &Layout) -> (Harness, gst::Bus) {
    let mut builder = gst::ElementFactory::make("sladdmask")
        .property("config", site.path_str())
        .property("camera", CAMERA);
    for (name, value) in extra {
        builder = builder.property_from_str(name, value);
    }
    let element = builder.build().unwrap();
    let bus = gst::Bus::new();
    element.set_bus(Some(&bus));
    let mut h = Harness::with_element(&element, Some("sink"), Some("src"));
    h.set_src_caps(layout.caps());
    (h, bus)
}

/// Pushes a frame of noise through `h` and returns (input, output, what
/// `CameraMasker` makes of the input at `expect_at`).
fn push_noise(
    h: &mut Harness,
    layout: &Layout,
    seed: u64,
    prepare: impl FnOnce(&mut gst::BufferRef),
    masker: &mut sladd_policy::CameraMasker,
    expect_at: Option<jiff::Timestamp>,
) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut input = vec![0u8; layout.size];
    Noise::new(seed).fill(&mut input);
    let mut expected = input.clone();
    layout.mask(masker, &mut expected, expect_at);
    let mut buffer = layout.buffer(input.clone());
    buffer.get_mut().unwrap().set_pts(gst::ClockTime::ZERO);
    prepare(buffer.get_mut().unwrap());
    let out = h.push_and_pull(buffer).unwrap();
    let output = out.map_readable().unwrap().as_slice().to_vec();
    (input, output, expected)
}

#[test]
fn every_format_odd_sizes_and_padded_strides_match_camera_masker() {
    init();
    let site = SiteFile::new(SITE);
    let noon = at(NOON);
    let mut seed = 1;
    for &(format, pixel) in &FORMATS {
        for (width, height) in [(33, 17), (64, 35)] {
            for pad in [0, 6] {
                let layout = Layout::padded(format, pixel, width, height, pad);
                let (mut h, _bus) = harness(&site, &[("start", NOON)], &layout);
                let mut masker = masker(pixel, width, height);
                let (input, output, expected) =
                    push_noise(&mut h, &layout, seed, |_| {}, &mut masker, Some(noon));
                seed += 1;
                let what = format!("{format:?} {width}x{height} pad {pad}");
                assert_eq!(output.len(), input.len(), "{what}");
                assert_ne!(expected, input, "{what}: the counter is masked at noon");
                assert!(
                    output == expected,
                    "{what}: the element's bytes differ from CameraMasker's"
                );
            }
        }
    }
}

#[test]
fn styles_and_threads_follow_the_properties() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::I420,
        sladd_core::PixelFormat::Yuv420p,
        97,
        61,
        2,
    );
    for (style, threads) in [("pixelate:6", "1"), ("blur:4", "2"), ("fill:#ff8800", "0")] {
        let (mut h, _bus) = harness(
            &site,
            &[("start", NOON), ("style", style), ("threads", threads)],
            &layout,
        );
        let mut masker = masker(layout.pixel, layout.width, layout.height);
        masker.set_style(style.parse().unwrap());
        let (_, output, expected) =
            push_noise(&mut h, &layout, 7, |_| {}, &mut masker, Some(at(NOON)));
        assert!(output == expected, "{style} on {threads} threads");
    }
}

#[test]
fn the_decision_changes_at_closing_time_by_reference_timestamps() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::Nv12,
        sladd_core::PixelFormat::Nv12,
        48,
        27,
        0,
    );
    let (mut h, bus) = harness(&site, &[], &layout);
    let mut masker = masker(layout.pixel, layout.width, layout.height);
    let frames = [
        (BEFORE_CLOSING, true, false),
        ("2026-11-24T22:59:59.999+01:00", true, true),
        (AFTER_CLOSING, false, false),
        ("2026-11-24T23:00:00.040+01:00", false, true),
    ];
    for (seed, (when, masked, ntp)) in (10..).zip(frames) {
        let instant = at(when);
        let stamp = |b: &mut gst::BufferRef| {
            if ntp {
                stamp_ntp(b, instant);
            } else {
                stamp_unix(b, instant);
            }
        };
        let (input, output, expected) =
            push_noise(&mut h, &layout, seed, stamp, &mut masker, Some(instant));
        assert!(output == expected, "{when}");
        assert_eq!(output != input, masked, "{when}");
    }
    let decisions = decisions(&bus);
    assert_eq!(decisions.len(), 2, "{decisions:?}");
    assert_eq!(decisions[0]["at"], "2026-11-24T22:59:59+01:00");
    assert_eq!(decisions[0]["valid_until"], "2026-11-24T23:00:00+01:00");
    assert_eq!(decisions[0]["zones"][0]["masked"], true);
    assert_eq!(decisions[0]["zones"][0]["rule"], "R-AREA-RESTRICTED");
    assert_eq!(decisions[1]["at"], AFTER_CLOSING);
    assert_eq!(decisions[1]["zones"][0]["masked"], false);
    assert_eq!(decisions[1]["zones"][0]["rule"], "R-STAFF-ABSENT");
    assert_eq!(
        decisions[1]["active_purposes"],
        serde_json::json!(["burglary"])
    );
}

#[test]
fn the_message_carries_the_plan_fields_as_a_structure() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::Gray8,
        sladd_core::PixelFormat::Gray8,
        20,
        10,
        0,
    );
    let (mut h, bus) = harness(&site, &[("start", NOON)], &layout);
    let mut buffer = layout.buffer(vec![100; layout.size]);
    buffer.get_mut().unwrap().set_pts(gst::ClockTime::ZERO);
    h.push(buffer).unwrap();
    let message = bus.pop_filtered(&[gst::MessageType::Element]).unwrap();
    let s = message.structure().unwrap();
    assert_eq!(s.name(), "sladd-decision");
    assert_eq!(s.get::<&str>("camera").unwrap(), CAMERA);
    assert!(!s.get::<bool>("unknown_instant").unwrap());
    assert!(!s.get::<bool>("full_frame").unwrap());
    assert_eq!(s.get::<Option<&str>>("full_frame_rule").unwrap(), None);
    let zones = s.get::<gst::Array>("zones").unwrap();
    let counter = zones[0].get::<gst::Structure>().unwrap();
    assert_eq!(counter.name(), "zone");
    assert_eq!(counter.get::<&str>("name").unwrap(), "Bak disken");
    assert!(counter.get::<bool>("masked").unwrap());
    assert_eq!(message.src().unwrap().name(), h.element().unwrap().name());
}

#[test]
fn start_plus_running_time_decides_frames_without_a_reference() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::Y444,
        sladd_core::PixelFormat::Yuv444p,
        31,
        19,
        0,
    );
    let (mut h, bus) = harness(&site, &[("start", "2026-11-24T22:59:58+01:00")], &layout);
    let mut masker = masker(layout.pixel, layout.width, layout.height);
    for (seed, (pts, when, masked)) in [
        (0, "2026-11-24T22:59:58+01:00", true),
        (3, "2026-11-24T23:00:01+01:00", false),
    ]
    .into_iter()
    .enumerate()
    {
        let (input, output, expected) = push_noise(
            &mut h,
            &layout,
            20 + seed as u64,
            |b| b.set_pts(gst::ClockTime::from_seconds(pts)),
            &mut masker,
            Some(at(when)),
        );
        assert!(output == expected, "{when}");
        assert_eq!(output != input, masked, "{when}");
    }
    assert_eq!(decisions(&bus).len(), 2);
}

#[test]
fn an_unknown_instant_masks_the_whole_frame() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::Gray8,
        sladd_core::PixelFormat::Gray8,
        25,
        13,
        3,
    );
    // Neither a reference timestamp nor `start`: the protective branch.
    let (mut h, bus) = harness(&site, &[], &layout);
    let mut masker = masker(layout.pixel, layout.width, layout.height);
    let (input, output, expected) = push_noise(&mut h, &layout, 30, |_| {}, &mut masker, None);
    assert!(output == expected);
    for (row, (got, was)) in output
        .chunks(layout.strides[0])
        .zip(input.chunks(layout.strides[0]))
        .enumerate()
    {
        assert!(
            got[..25].iter().all(|&v| v == got[0]),
            "row {row} is not one fill"
        );
        assert_eq!(got[25..], was[25..], "row {row}: padding untouched");
    }
    let decision = &decisions(&bus)[0];
    assert_eq!(decision["unknown_instant"], true);
    assert_eq!(decision["full_frame"], true);
    assert_eq!(decision["full_frame_rule"], "R-NO-PURPOSE");
}

/// `appsrc ! sladdmask ! appsink` with `config`.
fn appsrc_pipeline(config: &str) -> (gst::Pipeline, gst_app::AppSrc, gst_app::AppSink) {
    let pipeline = gst::parse::launch(&format!(
        "appsrc name=src format=time caps=video/x-raw,format=GRAY8,width=16,height=8,framerate=25/1 \
         ! sladdmask config=\"{config}\" camera={CAMERA} start={NOON} ! appsink name=sink"
    ))
    .unwrap()
    .downcast::<gst::Pipeline>()
    .unwrap();
    let src = pipeline.by_name("src").unwrap().downcast().unwrap();
    let sink = pipeline.by_name("sink").unwrap().downcast().unwrap();
    (pipeline, src, sink)
}

/// The first error on `bus`.
fn error_text(bus: &gst::Bus) -> String {
    let message = bus
        .timed_pop_filtered(gst::ClockTime::from_seconds(5), &[gst::MessageType::Error])
        .expect("an error message");
    match message.view() {
        gst::MessageView::Error(e) => format!("{} | {:?}", e.error(), e.debug()),
        _ => unreachable!(),
    }
}

#[test]
fn a_config_that_does_not_load_fails_ready_and_nothing_passes() {
    init();
    let broken = SiteFile::new(&SITE.replacen("polygon =", "polgon =", 1));
    let (pipeline, src, sink) = appsrc_pipeline(&broken.path_str());
    assert!(pipeline.set_state(gst::State::Playing).is_err());
    let error = error_text(&pipeline.bus().unwrap());
    assert!(
        error.contains(&format!(
            "{}:15:1: cameras[0].zones[0].polgon: unknown field `polgon`",
            broken.path_str()
        )),
        "{error}"
    );
    // Whatever is pushed stays in the source: the element never started.
    let _ = src.push_buffer(gst::Buffer::from_mut_slice(vec![9u8; 128]));
    assert!(sink
        .try_pull_sample(gst::ClockTime::from_mseconds(200))
        .is_none());
    pipeline.set_state(gst::State::Null).unwrap();

    for (config, expected) in [
        (
            "/nonexistent/site.toml".to_owned(),
            "cannot read /nonexistent/site.toml",
        ),
        (
            SiteFile::new(&SITE.replace("id = \"kasse\"", "id = \"other\"")).path_str(),
            "no camera 'kasse'",
        ),
    ] {
        let (pipeline, _, _) = appsrc_pipeline(&config);
        assert!(pipeline.set_state(gst::State::Ready).is_err());
        let error = error_text(&pipeline.bus().unwrap());
        assert!(error.contains(expected), "{error}");
        pipeline.set_state(gst::State::Null).unwrap();
    }
}

#[test]
fn missing_and_malformed_properties_fail_ready() {
    init();
    let site = SiteFile::new(SITE);
    for (properties, expected) in [
        (
            vec![("config", site.path_str())],
            "the property 'camera' is not set",
        ),
        (
            vec![("camera", CAMERA.to_owned())],
            "the property 'config' is not set",
        ),
        (
            vec![
                ("config", site.path_str()),
                ("camera", CAMERA.to_owned()),
                ("start", "noon".to_owned()),
            ],
            "start 'noon' is not an RFC 3339 instant",
        ),
        (
            vec![
                ("config", site.path_str()),
                ("camera", CAMERA.to_owned()),
                ("style", "pixelate:1".to_owned()),
            ],
            "style 'pixelate:1'",
        ),
    ] {
        let element = gst::ElementFactory::make("sladdmask").build().unwrap();
        for (name, value) in &properties {
            element.set_property(name, value);
        }
        let bus = gst::Bus::new();
        element.set_bus(Some(&bus));
        assert!(element.set_state(gst::State::Ready).is_err(), "{expected}");
        let error = error_text(&bus);
        assert!(error.contains(expected), "{error}");
    }
}

#[test]
fn a_frame_that_cannot_be_masked_is_dropped_with_an_error() {
    init();
    let site = SiteFile::new(SITE);
    // 10-bit samples at an odd offset cannot be viewed as 16-bit samples.
    let mut layout = Layout::padded(
        gst_video::VideoFormat::I42010le,
        sladd_core::PixelFormat::Yuv420p10le,
        16,
        8,
        0,
    );
    for offset in &mut layout.offsets {
        *offset += 1;
    }
    layout.size += 1;
    let (mut h, bus) = harness(&site, &[("start", NOON)], &layout);
    let result = h.push(layout.buffer(vec![0x40; layout.size]));
    assert_eq!(result, Err(gst::FlowError::Error));
    assert_eq!(h.buffers_received(), 0);
    let error = error_text(&bus);
    assert!(error.contains("frame not masked, dropped"), "{error}");
}

#[test]
fn the_element_is_never_in_passthrough() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::Rgbx,
        sladd_core::PixelFormat::Rgba,
        8,
        8,
        0,
    );
    let (h, _bus) = harness(&site, &[("start", NOON)], &layout);
    let element = h
        .element()
        .unwrap()
        .downcast::<gst_base::BaseTransform>()
        .unwrap();
    assert!(!element.is_passthrough());
    assert!(element.is_in_place());
}

#[test]
fn zones_follow_the_streams_image_orientation() {
    init();
    let site = SiteFile::new(SITE);
    let layout = Layout::padded(
        gst_video::VideoFormat::I420,
        sladd_core::PixelFormat::Yuv420p,
        27,
        45,
        0,
    );
    let (mut h, bus) = harness(&site, &[("start", NOON)], &layout);
    let tags = |orientation: &str| {
        let mut tags = gst::TagList::new();
        tags.get_mut()
            .unwrap()
            .add::<gst::tags::ImageOrientation>(&orientation, gst::TagMergeMode::Replace);
        gst::event::Tag::new(tags)
    };
    assert!(h.push_event(tags("rotate-90")));
    let mut turned = masker(layout.pixel, layout.width, layout.height);
    turned.set_rotation(sladd_core::Rotation::Clockwise90);
    let (_, output, expected) =
        push_noise(&mut h, &layout, 40, |_| {}, &mut turned, Some(at(NOON)));
    assert!(output == expected, "masked as the picture is shown, turned");
    let mut upright = masker(layout.pixel, layout.width, layout.height);
    let (_, output, not_turned) =
        push_noise(&mut h, &layout, 40, |_| {}, &mut upright, Some(at(NOON)));
    assert!(output != not_turned);

    // A mirrored picture cannot be followed: no frame passes.
    h.push_event(tags("flip-rotate-0"));
    assert!(error_text(&bus).contains("image-orientation 'flip-rotate-0' mirrors the picture"));
    let received = h.buffers_received();
    assert!(h.push(layout.buffer(vec![0; layout.size])).is_err());
    assert_eq!(h.buffers_received(), received);
}
