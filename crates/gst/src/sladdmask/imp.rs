//! The `sladdmask` subclass of `GstVideoFilter`.

use std::sync::{LazyLock, Mutex, MutexGuard};

use gst::glib;
use gst::prelude::*;
use gst::subclass::prelude::*;
use gst_base::subclass::prelude::*;
use gst_video::prelude::*;
use gst_video::subclass::prelude::*;
use sladd_core::frame::MAX_SIDE;
use sladd_core::Rotation;
use sladd_policy::CameraMasker;

use super::settings::{Loaded, Settings, DEFAULT_THREADS};
use crate::error::Error;
use crate::frame::{Layout, FORMATS};
use crate::instant::frame_instant;
use crate::message::decision_structure;

static CAT: LazyLock<gst::DebugCategory> = LazyLock::new(|| {
    gst::DebugCategory::new(
        "sladdmask",
        gst::DebugColorFlags::empty(),
        Some("sladd privacy masking"),
    )
});

/// The element's state between READY and NULL.
struct State {
    /// What the properties loaded to.
    loaded: Loaded,
    /// The display rotation from the stream's `image-orientation` tag, or
    /// the mirroring orientation that stops every frame.
    rotation: Result<Rotation, String>,
    /// The masker for the negotiated caps, once there are caps.
    stream: Option<Stream>,
}

/// One negotiated stream.
struct Stream {
    layout: Layout,
    masker: CameraMasker,
    /// The masker's generation when a decision message was last posted.
    posted: Option<u64>,
}

/// The element's instance data.
#[derive(Default)]
pub struct SladdMask {
    settings: Mutex<Settings>,
    state: Mutex<Option<State>>,
}

/// A poisoned lock only means another thread panicked while holding it;
/// the data is still whole, so take it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[glib::object_subclass]
impl ObjectSubclass for SladdMask {
    const NAME: &'static str = "GstSladdMask";
    type Type = super::SladdMask;
    type ParentType = gst_video::VideoFilter;
}

impl SladdMask {
    /// A masker for a stream of `layout`, as the loaded settings say.
    fn masker(loaded: &Loaded, rotation: Rotation, layout: &Layout) -> Result<CameraMasker, Error> {
        let mut masker =
            CameraMasker::for_camera(&loaded.camera, layout.format, layout.width, layout.height)?;
        if let Some(style) = loaded.style {
            masker.set_style(style);
        }
        masker.set_threads(loaded.threads as usize);
        masker.set_rotation(rotation);
        // A live stream may run for years: keep no record of its spans.
        masker.set_span_recording(false);
        Ok(masker)
    }

    /// Masks `frame` in place; the decision's structure when it changed.
    fn mask(
        &self,
        frame: &mut gst_video::VideoFrameRef<&mut gst::BufferRef>,
    ) -> Result<Option<gst::Structure>, Error> {
        let running_time = self
            .obj()
            .segment()
            .downcast_ref::<gst::ClockTime>()
            .and_then(|segment| segment.to_running_time(frame.buffer().pts()));
        let mut state = lock(&self.state);
        let state = state.as_mut().ok_or(Error::NotNegotiated)?;
        if let Err(orientation) = &state.rotation {
            return Err(Error::Orientation {
                orientation: orientation.clone(),
            });
        }
        let stream = state.stream.as_mut().ok_or(Error::NotNegotiated)?;
        let (at, source) = frame_instant(frame.buffer(), state.loaded.start, running_time);
        gst::trace!(CAT, imp = self, "frame at {at:?} ({source:?})");
        let mut view = stream.layout.view(frame)?;
        stream.masker.apply(&mut view, at)?;
        let generation = stream.masker.generation();
        if stream.posted == Some(generation) {
            return Ok(None);
        }
        stream.posted = Some(generation);
        // The decision `apply` just used, from the masker's cache.
        let decision = stream.masker.decide(at);
        gst::info!(CAT, imp = self, "new decision at {at:?} ({source:?})");
        Ok(Some(decision_structure(decision)))
    }

    /// Follows the stream's `image-orientation` tag: zones are drawn on the
    /// displayed picture, frames arrive as decoded. A mirroring orientation
    /// stops every frame until a rotation replaces it.
    fn orientation(&self, tags: &gst::TagListRef) -> Result<(), Error> {
        let Some(value) = tags.get::<gst::tags::ImageOrientation>() else {
            return Ok(());
        };
        let orientation = value.get();
        let rotation = rotation(orientation);
        let mut state = lock(&self.state);
        if let Some(state) = state.as_mut() {
            state.rotation = match &rotation {
                Ok(turn) => {
                    if let Some(stream) = state.stream.as_mut() {
                        stream.masker.set_rotation(*turn);
                    }
                    Ok(*turn)
                }
                Err(_) => Err(orientation.to_owned()),
            };
        }
        rotation.map(|_| ())
    }
}

/// The rotation an `image-orientation` tag asks for.
fn rotation(orientation: &str) -> Result<Rotation, Error> {
    match orientation {
        "rotate-0" => Ok(Rotation::None),
        "rotate-90" => Ok(Rotation::Clockwise90),
        "rotate-180" => Ok(Rotation::Half),
        "rotate-270" => Ok(Rotation::Clockwise270),
        other => Err(Error::Orientation {
            orientation: other.to_owned(),
        }),
    }
}

impl ObjectImpl for SladdMask {
    fn properties() -> &'static [glib::ParamSpec] {
        static PROPERTIES: LazyLock<Vec<glib::ParamSpec>> = LazyLock::new(|| {
            vec![
                glib::ParamSpecString::builder("config")
                    .nick("Site file")
                    .blurb("The site configuration (TOML or JSON); loaded when the element goes to READY")
                    .mutable_ready()
                    .build(),
                glib::ParamSpecString::builder("camera")
                    .nick("Camera")
                    .blurb("The camera's id in the site file")
                    .mutable_ready()
                    .build(),
                glib::ParamSpecString::builder("style")
                    .nick("Style")
                    .blurb("Style of masked zones that name none: fill, fill:#rrggbb, pixelate[:BLOCK], blur[:RADIUS] (default: the site file's)")
                    .mutable_ready()
                    .build(),
                glib::ParamSpecString::builder("start")
                    .nick("Start")
                    .blurb("RFC 3339 wall-clock instant of running time zero, for frames without a reference timestamp (unset: such frames are decided as of an unknown instant, which masks the most)")
                    .mutable_ready()
                    .build(),
                glib::ParamSpecUInt::builder("threads")
                    .nick("Threads")
                    .blurb("Masking threads: 1 masks on the streaming thread, 0 uses a shared pool sized to the machine")
                    .maximum(256)
                    .default_value(DEFAULT_THREADS)
                    .mutable_ready()
                    .build(),
            ]
        });
        PROPERTIES.as_ref()
    }

    fn set_property(&self, _id: usize, value: &glib::Value, pspec: &glib::ParamSpec) {
        let mut settings = lock(&self.settings);
        let text = || value.get::<Option<String>>().ok().flatten();
        match pspec.name() {
            "config" => settings.config = text(),
            "camera" => settings.camera = text(),
            "style" => settings.style = text(),
            "start" => settings.start = text(),
            "threads" => settings.threads = value.get().unwrap_or(DEFAULT_THREADS),
            name => gst::warning!(CAT, imp = self, "no property '{name}'"),
        }
    }

    fn property(&self, _id: usize, pspec: &glib::ParamSpec) -> glib::Value {
        let settings = lock(&self.settings);
        match pspec.name() {
            "config" => settings.config.to_value(),
            "camera" => settings.camera.to_value(),
            "style" => settings.style.to_value(),
            "start" => settings.start.to_value(),
            "threads" => settings.threads.to_value(),
            _ => pspec.default_value().clone(),
        }
    }
}

impl GstObjectImpl for SladdMask {}

impl ElementImpl for SladdMask {
    fn metadata() -> Option<&'static gst::subclass::ElementMetadata> {
        static METADATA: LazyLock<gst::subclass::ElementMetadata> = LazyLock::new(|| {
            gst::subclass::ElementMetadata::new(
                "sladd privacy mask",
                "Filter/Effect/Video",
                "Masks staff-only zones as the Norwegian workplace camera rules decide at each frame's instant",
                "The sladd developers",
            )
        });
        Some(&*METADATA)
    }

    fn pad_templates() -> &'static [gst::PadTemplate] {
        static TEMPLATES: LazyLock<Vec<gst::PadTemplate>> = LazyLock::new(|| {
            let side = i32::try_from(MAX_SIDE).unwrap_or(i32::MAX);
            let caps = gst_video::VideoCapsBuilder::new()
                .format_list(FORMATS.iter().map(|(format, _)| *format))
                .width_range(1..=side)
                .height_range(1..=side)
                .build();
            [gst::PadDirection::Src, gst::PadDirection::Sink]
                .into_iter()
                .filter_map(|direction| {
                    let name = if direction == gst::PadDirection::Src {
                        "src"
                    } else {
                        "sink"
                    };
                    gst::PadTemplate::new(name, direction, gst::PadPresence::Always, &caps).ok()
                })
                .collect()
        });
        TEMPLATES.as_ref()
    }

    fn change_state(
        &self,
        transition: gst::StateChange,
    ) -> Result<gst::StateChangeSuccess, gst::StateChangeError> {
        if transition == gst::StateChange::NullToReady {
            let settings = lock(&self.settings).clone();
            match settings.load() {
                Ok(loaded) => {
                    *lock(&self.state) = Some(State {
                        loaded,
                        rotation: Ok(Rotation::None),
                        stream: None,
                    });
                }
                Err(error) => {
                    gst::element_imp_error!(self, gst::LibraryError::Settings, ["{}", error]);
                    return Err(gst::StateChangeError);
                }
            }
        }
        let success = self.parent_change_state(transition)?;
        if transition == gst::StateChange::ReadyToNull {
            *lock(&self.state) = None;
        }
        Ok(success)
    }
}

impl BaseTransformImpl for SladdMask {
    const MODE: gst_base::subclass::BaseTransformMode =
        gst_base::subclass::BaseTransformMode::AlwaysInPlace;
    const PASSTHROUGH_ON_SAME_CAPS: bool = false;
    const TRANSFORM_IP_ON_PASSTHROUGH: bool = false;

    fn sink_event(&self, event: gst::Event) -> bool {
        if let gst::EventView::Tag(tag) = event.view() {
            if let Err(error) = self.orientation(tag.tag()) {
                gst::element_imp_error!(self, gst::StreamError::Format, ["{}", error]);
                return false;
            }
        }
        self.parent_sink_event(event)
    }
}

impl VideoFilterImpl for SladdMask {
    fn set_info(
        &self,
        incaps: &gst::Caps,
        in_info: &gst_video::VideoInfo,
        outcaps: &gst::Caps,
        out_info: &gst_video::VideoInfo,
    ) -> Result<(), gst::LoggableError> {
        let mut state = lock(&self.state);
        let state = state
            .as_mut()
            .ok_or_else(|| gst::loggable_error!(CAT, "caps before the element is READY"))?;
        let stream = Layout::of(in_info).and_then(|layout| {
            let rotation = state.rotation.clone().unwrap_or_default();
            let masker = Self::masker(&state.loaded, rotation, &layout)?;
            Ok(Stream {
                layout,
                masker,
                posted: None,
            })
        });
        match stream {
            Ok(stream) => {
                state.stream = Some(stream);
                self.parent_set_info(incaps, in_info, outcaps, out_info)
            }
            Err(error) => {
                state.stream = None;
                gst::element_imp_error!(self, gst::StreamError::Format, ["{}", error]);
                Err(gst::loggable_error!(CAT, "{}", error))
            }
        }
    }

    fn transform_frame_ip(
        &self,
        frame: &mut gst_video::VideoFrameRef<&mut gst::BufferRef>,
    ) -> Result<gst::FlowSuccess, gst::FlowError> {
        match self.mask(frame) {
            Ok(changed) => {
                if let Some(structure) = changed {
                    let obj = self.obj();
                    let message = gst::message::Element::builder(structure).src(&*obj).build();
                    if obj.post_message(message).is_err() {
                        gst::debug!(CAT, imp = self, "no bus for the decision message");
                    }
                }
                Ok(gst::FlowSuccess::Ok)
            }
            Err(error) => {
                gst::element_imp_error!(
                    self,
                    gst::StreamError::Failed,
                    ["frame not masked, dropped: {}", error]
                );
                Err(gst::FlowError::Error)
            }
        }
    }
}
