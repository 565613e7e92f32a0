//! # sladd-ffmpeg
//!
//! Decoding, masking, re-encoding and muxing of video files through FFmpeg.
//! (Being written: see the media pipeline issue.)
