//! Helpers: GStreamer set up once, the test site, frames of noise laid out
//! with chosen strides, and the masker the element must agree with.

use std::path::PathBuf;
use std::sync::Once;

use gst_video::VideoFormat;
use jiff::Timestamp;
use sladd_core::{ColorRange, FrameMut, PixelFormat};
use sladd_policy::{CameraMasker, Policy};

/// `gst::init` and the plugin registered statically, once per process.
pub(crate) fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        gst::init().unwrap();
        gstsladd::plugin_register_static().unwrap();
    });
}

/// A kiosk open 07:00–23:00 every day (Oslo): theft counts while open,
/// burglary while closed. Behind the counter staff are present while
/// open, so it is masked then and shown after closing; the shop floor is
/// public; with an unknown instant no purpose counts and the whole frame
/// is masked. The counter's outline is slanted, so coverage is partial
/// along its edges.
pub(crate) const SITE: &str = r#"
[site]
name = "Testkiosken"
timezone = "Europe/Oslo"
opening_hours = ["daily 07:00-23:00"]

[[cameras]]
id = "kasse"
purposes = [{ purpose = "theft" }, { purpose = "burglary" }]

[[cameras.zones]]
name = "Bak disken"
area = "restricted_circle"
staff_present = "opening_hours"
polygon = [[0.08, 0.15], [0.55, 0.22], [0.48, 0.91], [0.03, 0.77]]

[[cameras.zones]]
name = "Butikken"
area = "public"
polygon = [[0.55, 0.0], [1.0, 0.0], [1.0, 1.0], [0.55, 1.0]]
"#;

/// The camera of [`SITE`].
pub(crate) const CAMERA: &str = "kasse";

/// Tuesday 24 November 2026, shortly before and after closing (23:00 in
/// Oslo, 22:00 UTC), and at noon.
pub(crate) const BEFORE_CLOSING: &str = "2026-11-24T22:59:59.960+01:00";
pub(crate) const AFTER_CLOSING: &str = "2026-11-24T23:00:00+01:00";
pub(crate) const NOON: &str = "2026-11-24T12:00:00+01:00";

/// An instant of the tests.
pub(crate) fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A temporary folder holding `site.toml` with `text`.
pub(crate) struct SiteFile {
    dir: tempfile::TempDir,
}

impl SiteFile {
    pub(crate) fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), text).unwrap();
        Self { dir }
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().join("site.toml")
    }

    pub(crate) fn path_str(&self) -> String {
        self.path().display().to_string()
    }
}

/// The masker the element must agree with, for `format` at `width ×
/// height`.
pub(crate) fn masker(format: PixelFormat, width: u32, height: u32) -> CameraMasker {
    let policy = Policy::from_str(SITE, sladd_policy::Format::Toml, "site.toml").unwrap();
    CameraMasker::new(&policy, CAMERA, format, width, height).unwrap()
}

/// Deterministic noise (xorshift64*).
pub(crate) struct Noise(u64);

impl Noise {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn fill(&mut self, bytes: &mut [u8]) {
        for b in bytes {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            *b = (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
        }
    }
}

/// One frame's bytes and where its planes are.
#[derive(Clone)]
pub(crate) struct Layout {
    pub(crate) format: VideoFormat,
    pub(crate) pixel: PixelFormat,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) offsets: Vec<usize>,
    pub(crate) strides: Vec<usize>,
    pub(crate) size: usize,
}

impl Layout {
    /// Planes one after another, each row `pad` bytes longer than
    /// GStreamer's own stride for the format (`pad` even, so 16-bit rows
    /// stay aligned).
    pub(crate) fn padded(
        format: VideoFormat,
        pixel: PixelFormat,
        width: u32,
        height: u32,
        pad: usize,
    ) -> Self {
        let info = gst_video::VideoInfo::builder(format, width, height)
            .build()
            .unwrap();
        let mut offsets = Vec::new();
        let mut strides = Vec::new();
        let mut size = 0;
        for plane in 0..info.n_planes() as usize {
            let stride = info.stride()[plane] as usize + pad;
            let rows = pixel.plane_size(plane, width, height).1 as usize;
            offsets.push(size);
            strides.push(stride);
            size += stride * rows;
        }
        Self {
            format,
            pixel,
            width,
            height,
            offsets,
            strides,
            size,
        }
    }

    /// A buffer of `bytes` carrying this layout in a video meta.
    pub(crate) fn buffer(&self, bytes: Vec<u8>) -> gst::Buffer {
        let mut buffer = gst::Buffer::from_mut_slice(bytes);
        let strides: Vec<i32> = self.strides.iter().map(|&s| s as i32).collect();
        gst_video::VideoMeta::add_full(
            buffer.get_mut().unwrap(),
            gst_video::VideoFrameFlags::empty(),
            self.format,
            self.width,
            self.height,
            &self.offsets,
            &strides,
        )
        .unwrap();
        buffer
    }

    /// GStreamer's description of this format and size (its default
    /// colorimetry).
    pub(crate) fn info(&self) -> gst_video::VideoInfo {
        gst_video::VideoInfo::builder(self.format, self.width, self.height)
            .fps(gst::Fraction::new(25, 1))
            .build()
            .unwrap()
    }

    /// The caps of this format and size.
    pub(crate) fn caps(&self) -> gst::Caps {
        self.info().to_caps().unwrap()
    }

    /// Masks `bytes` in place with `masker` as it would the element's frame.
    pub(crate) fn mask(&self, masker: &mut CameraMasker, bytes: &mut [u8], at: Option<Timestamp>) {
        let mut planes = Vec::new();
        let mut rest = bytes;
        let mut consumed = 0;
        for (plane, (&offset, &stride)) in self.offsets.iter().zip(&self.strides).enumerate() {
            let (_, tail) = rest.split_at_mut(offset - consumed);
            let rows = self.pixel.plane_size(plane, self.width, self.height).1 as usize;
            let (head, tail) = tail.split_at_mut(stride * rows);
            planes.push((head, stride));
            consumed = offset + stride * rows;
            rest = tail;
        }
        let range = match self.info().colorimetry().range() {
            gst_video::VideoColorRange::Range0_255 => ColorRange::Full,
            gst_video::VideoColorRange::Range16_235 => ColorRange::Limited,
            _ => self.pixel.default_range(),
        };
        let mut frame = FrameMut::from_planes(self.pixel, self.width, self.height, planes)
            .unwrap()
            .with_range(range);
        masker.apply(&mut frame, at).unwrap();
    }
}

/// A Unix-time reference timestamp meta for `at` on `buffer`.
pub(crate) fn stamp_unix(buffer: &mut gst::BufferRef, at: Timestamp) {
    let time = gstsladd::instant::unix_clock_time(at).unwrap();
    gst::ReferenceTimestampMeta::add(
        buffer,
        &gstsladd::instant::unix_reference_caps(),
        time,
        None,
    );
}

/// An NTP-time reference timestamp meta for `at` on `buffer`.
pub(crate) fn stamp_ntp(buffer: &mut gst::BufferRef, at: Timestamp) {
    let ntp = at.as_nanosecond() + 2_208_988_800 * 1_000_000_000;
    let caps = gst::Caps::new_empty_simple(gstsladd::instant::NTP_REFERENCE);
    gst::ReferenceTimestampMeta::add(
        buffer,
        &caps,
        gst::ClockTime::from_nseconds(ntp as u64),
        None,
    );
}

/// The element messages named `sladd-decision` on `bus`, oldest first.
pub(crate) fn decisions(bus: &gst::Bus) -> Vec<serde_json::Value> {
    std::iter::from_fn(|| bus.pop_filtered(&[gst::MessageType::Element]))
        .filter_map(|message| {
            let s = message.structure()?;
            (s.name() == gstsladd::message::DECISION_MESSAGE)
                .then(|| serde_json::from_str(&s.get::<String>("json").unwrap()).unwrap())
        })
        .collect()
}
