//! Inputs the `decode` fuzz target (fuzz/) found, one test each, named
//! after the artifact. The inputs are also in `fuzz/regressions/decode/`.

#![allow(clippy::unwrap_used)] // test helpers panic on failure

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use sladd_ffmpeg::{Decoder, DecoderOptions, OnCorrupt};

/// Writes `bytes` to a fresh file named `name` under the temporary folder.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sladd-fuzz-regressions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Decodes `path` to the end on another thread; `None` when it has not
/// finished within a minute (a hang).
fn decode_all(path: PathBuf, on_corrupt: OnCorrupt) -> Option<Result<u64, String>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let options = DecoderOptions {
            on_corrupt,
            threads: 1,
            ..DecoderOptions::default()
        };
        let result = (|| {
            let mut decoder = Decoder::open(&path, &options).map_err(|e| e.to_string())?;
            while decoder.next_frame().map_err(|e| e.to_string())?.is_some() {}
            Ok(decoder.frames())
        })();
        let _ = tx.send(result);
    });
    rx.recv_timeout(Duration::from_secs(60)).ok()
}

/// timeout-08c9207a: 13 bytes the lmlm4 demuxer reads as a packet of size
/// 0, reporting "invalid data" forever without moving on. With
/// `--on-corrupt skip` the decoder counted each as a damaged packet and
/// read again, forever. Now it gives up after a bounded run of failed reads
/// and names the file and packet.
#[test]
fn fuzz_decode_08c9207a_demuxer_error_loop_ends() {
    sladd_ffmpeg::init().unwrap();
    sladd_ffmpeg::ffmpeg_next::util::log::set_level(
        sladd_ffmpeg::ffmpeg_next::util::log::Level::Quiet,
    );
    let bytes = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x01, 0x4f, 0x27,
    ];
    let path = scratch("timeout-08c9207a.mp4", &bytes);
    for on_corrupt in [OnCorrupt::Skip, OnCorrupt::Stop] {
        let result = decode_all(path.clone(), on_corrupt)
            .unwrap_or_else(|| panic!("{on_corrupt:?}: decoding did not end"));
        match result {
            Ok(frames) => assert_eq!(frames, 0),
            Err(e) => assert!(e.contains("timeout-08c9207a.mp4"), "{e}"),
        }
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
