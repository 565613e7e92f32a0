//! Signatures a camera put into its video stream, found in the input's
//! H.264 / HEVC SEI messages.
//!
//! ONVIF Media Signing and Axis Signed Video both carry their hashes and
//! signatures in *user data unregistered* SEI messages (payload type 5)
//! tagged with a UUID of their own. Those signatures cover the coded
//! bitstream: masking re-encodes every frame, so no redacted output can keep
//! them. sladd records that they were there and binds the input's SHA-256
//! in its manifest instead; checking the camera's signature is the
//! camera vendor's validator's job, on the original.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ffmpeg")]
use crate::error::Result;

/// A signing scheme whose SEI messages sladd recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureScheme {
    /// ONVIF Media Signing (the ONVIF Signed Media specification).
    OnvifMediaSigning,
    /// Axis Communications' Signed Video (its framework before ONVIF's).
    AxisSignedVideo,
}

impl SignatureScheme {
    /// Every scheme, in a fixed order.
    pub const ALL: [Self; 2] = [Self::OnvifMediaSigning, Self::AxisSignedVideo];

    /// The UUID (`uuid_iso_iec_11578`) of the scheme's SEI messages.
    pub const fn uuid(self) -> [u8; 16] {
        match self {
            Self::OnvifMediaSigning => [
                0x00, 0x5b, 0xc9, 0x3f, 0x2d, 0x71, 0x5e, 0x95, 0xad, 0xa4, 0x79, 0x6f, 0x90, 0x87,
                0x7a, 0x6f,
            ],
            // ASCII "Signed Video...0".
            Self::AxisSignedVideo => *b"Signed Video...0",
        }
    }

    /// The scheme whose UUID this is.
    pub fn from_uuid(uuid: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.uuid() == uuid)
    }

    /// The scheme's name as people write it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::OnvifMediaSigning => "ONVIF Media Signing",
            Self::AxisSignedVideo => "Axis Signed Video",
        }
    }

    /// The UUID in its usual 8-4-4-4-12 hex form.
    pub fn uuid_string(self) -> String {
        let hex: String = self.uuid().iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The video codec whose NAL units are scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// H.264 / AVC: one-byte NAL header, SEI is type 6.
    H264,
    /// H.265 / HEVC: two-byte NAL header, SEI is type 39 (prefix) or 40 (suffix).
    Hevc,
}

/// How NAL units are delimited in a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Start codes (`00 00 01`), as in raw streams and MPEG-TS.
    AnnexB,
    /// Each NAL unit preceded by its big-endian length in this many bytes
    /// (1, 2 or 4), as in MP4 and Matroska.
    LengthPrefixed(u8),
}

impl Framing {
    /// The framing of a packet: Annex B when it starts with a start code,
    /// else 4-byte lengths (what MP4, MOV and Matroska writers use; a
    /// packet misread this way yields no SEI, never a wrong one, since a
    /// scheme is recognised only by its full UUID in a well-formed message).
    pub fn of_packet(packet: &[u8]) -> Self {
        if packet.starts_with(&[0, 0, 1]) || packet.starts_with(&[0, 0, 0, 1]) {
            Self::AnnexB
        } else {
            Self::LengthPrefixed(4)
        }
    }
}

/// What a scan found: per scheme, how many of its SEI messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeiScan {
    counts: std::collections::BTreeMap<SignatureScheme, u64>,
}

/// One scheme found in the input, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundSignature {
    /// The scheme.
    pub scheme: SignatureScheme,
    /// Its SEI UUID, 8-4-4-4-12 hex.
    pub uuid: String,
    /// How many of its SEI messages the input holds.
    pub sei_messages: u64,
}

impl SeiScan {
    /// Scans one packet (one access unit) of `codec` video.
    pub fn scan_packet(&mut self, codec: Codec, framing: Framing, packet: &[u8]) {
        for nal in nal_units(framing, packet) {
            if let Some(payload) = sei_payload(codec, nal) {
                for uuid in user_data_uuids(&unescape(payload)) {
                    if let Some(scheme) = SignatureScheme::from_uuid(&uuid) {
                        *self.counts.entry(scheme).or_default() += 1;
                    }
                }
            }
        }
    }

    /// Whether any signing SEI was found.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The schemes found, with their message counts.
    pub fn found(&self) -> Vec<FoundSignature> {
        self.counts
            .iter()
            .map(|(&scheme, &sei_messages)| FoundSignature {
                scheme,
                uuid: scheme.uuid_string(),
                sei_messages,
            })
            .collect()
    }
}

/// Demuxes every video packet of `path` (no decoding) and counts the
/// signing SEI messages of the video stream sladd redacts. Codecs other
/// than H.264 and HEVC carry no such SEI: their scan is empty.
///
/// # Errors
/// [`crate::Error::Media`] when the file cannot be opened or read to its end.
#[cfg(feature = "ffmpeg")]
pub fn scan_file(path: &std::path::Path) -> Result<SeiScan> {
    use sladd_ffmpeg::ffmpeg_next::codec::Id;

    let mut scan = SeiScan::default();
    sladd_ffmpeg::probe::video_packets(path, |codec, data| {
        let codec = match codec {
            Id::H264 => Codec::H264,
            Id::HEVC => Codec::Hevc,
            _ => return,
        };
        scan.scan_packet(codec, Framing::of_packet(data), data);
    })?;
    Ok(scan)
}

/// The sentence reports and manifests carry when the input was signed.
pub fn not_kept_note(found: &[FoundSignature]) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let names: Vec<String> = found
        .iter()
        .map(|f| {
            let plural = if f.sei_messages == 1 { "" } else { "s" };
            format!(
                "{} ({} SEI message{plural})",
                f.scheme.name(),
                f.sei_messages
            )
        })
        .collect();
    Some(format!(
        "the input carries the camera's signature ({}); re-encoding cannot keep it, \
         so the output has none: sladd's manifest binds the input's SHA-256 instead, \
         and the camera's signature is checked on the original",
        names.join(", ")
    ))
}

/// The NAL units of a packet (without start codes or length prefixes).
fn nal_units(framing: Framing, packet: &[u8]) -> Vec<&[u8]> {
    match framing {
        Framing::AnnexB => annex_b_units(packet),
        Framing::LengthPrefixed(size) => length_prefixed_units(packet, usize::from(size)),
    }
}

fn length_prefixed_units(mut data: &[u8], size: usize) -> Vec<&[u8]> {
    let mut units = Vec::new();
    while data.len() >= size && size > 0 {
        let (head, rest) = data.split_at(size);
        let len = head
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        let Some(unit) = rest.get(..len) else { break };
        units.push(unit);
        data = &rest[len..];
    }
    units
}

fn annex_b_units(data: &[u8]) -> Vec<&[u8]> {
    // Positions just past each start code (00 00 01; a 4-byte 00 00 00 01
    // leaves a zero that is trimmed from the previous unit).
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut units = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(data.len(), |&next| next - 3);
        let mut unit = &data[start..end];
        while let [rest @ .., 0] = unit {
            unit = rest;
        }
        units.push(unit);
    }
    units
}

/// The SEI payload (after the NAL header) when `nal` is an SEI NAL unit.
fn sei_payload(codec: Codec, nal: &[u8]) -> Option<&[u8]> {
    match codec {
        Codec::H264 => (nal.first()? & 0x1f == 6).then(|| &nal[1..]),
        Codec::Hevc => {
            let kind = (nal.first()? >> 1) & 0x3f;
            (matches!(kind, 39 | 40) && nal.len() >= 2).then(|| &nal[2..])
        }
    }
}

/// Removes emulation-prevention bytes (`00 00 03` becomes `00 00`).
fn unescape(ebsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ebsp.len());
    let mut zeros = 0;
    for &b in ebsp {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

/// The UUIDs of the user-data-unregistered messages in an SEI RBSP.
fn user_data_uuids(rbsp: &[u8]) -> Vec<[u8; 16]> {
    let mut uuids = Vec::new();
    let mut rest = rbsp;
    // Each message: payload type and size as runs of 0xFF plus a last byte.
    while let Some((&first, _)) = rest.split_first() {
        if first == 0x80 && rest.len() == 1 {
            break; // rbsp_trailing_bits
        }
        let Some((kind, after_kind)) = read_ff_coded(rest) else {
            break;
        };
        let Some((size, after_size)) = read_ff_coded(after_kind) else {
            break;
        };
        let Some(payload) = after_size.get(..size) else {
            break;
        };
        if kind == 5 {
            if let Some(uuid) = payload.get(..16).and_then(|u| <[u8; 16]>::try_from(u).ok()) {
                uuids.push(uuid);
            }
        }
        rest = &after_size[size..];
    }
    uuids
}

fn read_ff_coded(data: &[u8]) -> Option<(usize, &[u8])> {
    let mut value = 0usize;
    for (i, &b) in data.iter().enumerate() {
        value = value.checked_add(usize::from(b))?;
        if b != 0xff {
            return Some((value, &data[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SEI NAL unit with one user-data-unregistered message.
    fn sei_nal(codec: Codec, uuid: [u8; 16], body: &[u8]) -> Vec<u8> {
        let mut nal = match codec {
            Codec::H264 => vec![0x06],
            Codec::Hevc => vec![39 << 1, 0x01],
        };
        let size = 16 + body.len();
        nal.push(5);
        nal.extend(std::iter::repeat_n(0xff, size / 255));
        nal.push((size % 255) as u8);
        let mut payload = uuid.to_vec();
        payload.extend_from_slice(body);
        // Emulation prevention, as an encoder writes it.
        let mut zeros = 0;
        for b in payload {
            if zeros >= 2 && b <= 3 {
                nal.push(3);
                zeros = 0;
            }
            zeros = if b == 0 { zeros + 1 } else { 0 };
            nal.push(b);
        }
        nal.push(0x80);
        nal
    }

    fn length_prefixed(units: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for u in units {
            out.extend_from_slice(&(u.len() as u32).to_be_bytes());
            out.extend_from_slice(u);
        }
        out
    }

    fn annex_b(units: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for u in units {
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(u);
        }
        out
    }

    const X264_UUID: [u8; 16] = [
        0xdc, 0x45, 0xe9, 0xbd, 0xe6, 0xd9, 0x48, 0xb7, 0x96, 0x2c, 0xd8, 0x20, 0xd9, 0x23, 0xee,
        0xef,
    ];

    #[test]
    fn finds_both_schemes_in_h264_length_prefixed() {
        let slice = vec![0x65, 0x88, 0x84, 0x00, 0x00, 0x03, 0x01];
        let body = vec![0u8; 300]; // zeros force emulation prevention and a 2-byte size
        let packet = length_prefixed(&[
            sei_nal(Codec::H264, X264_UUID, b"x264 - core"),
            sei_nal(
                Codec::H264,
                SignatureScheme::OnvifMediaSigning.uuid(),
                &body,
            ),
            sei_nal(Codec::H264, SignatureScheme::AxisSignedVideo.uuid(), b"tlv"),
            slice,
        ]);
        let mut scan = SeiScan::default();
        scan.scan_packet(Codec::H264, Framing::LengthPrefixed(4), &packet);
        scan.scan_packet(Codec::H264, Framing::LengthPrefixed(4), &packet);
        let found = scan.found();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].scheme, SignatureScheme::OnvifMediaSigning);
        assert_eq!(found[0].uuid, "005bc93f-2d71-5e95-ada4-796f90877a6f");
        assert_eq!(found[0].sei_messages, 2);
        assert_eq!(found[1].scheme, SignatureScheme::AxisSignedVideo);
        assert_eq!(found[1].uuid, "5369676e-6564-2056-6964-656f2e2e2e30");
    }

    #[test]
    fn finds_hevc_prefix_sei_in_annex_b() {
        let vps = vec![0x40, 0x01, 0x0c];
        let packet = annex_b(&[
            vps,
            sei_nal(
                Codec::Hevc,
                SignatureScheme::OnvifMediaSigning.uuid(),
                b"sig",
            ),
        ]);
        let mut scan = SeiScan::default();
        scan.scan_packet(Codec::Hevc, Framing::AnnexB, &packet);
        assert_eq!(scan.found()[0].scheme, SignatureScheme::OnvifMediaSigning);
    }

    #[test]
    fn other_user_data_and_other_nal_types_are_not_signatures() {
        let packet = annex_b(&[
            sei_nal(Codec::H264, X264_UUID, b"x264"),
            // A slice whose bytes happen to contain the ONVIF UUID.
            [
                vec![0x65],
                SignatureScheme::OnvifMediaSigning.uuid().to_vec(),
            ]
            .concat(),
        ]);
        let mut scan = SeiScan::default();
        scan.scan_packet(Codec::H264, Framing::AnnexB, &packet);
        assert!(scan.is_empty());
        assert_eq!(not_kept_note(&scan.found()), None);
    }

    #[test]
    fn truncated_input_is_not_a_panic() {
        let full = length_prefixed(&[sei_nal(
            Codec::H264,
            SignatureScheme::AxisSignedVideo.uuid(),
            b"payload",
        )]);
        for len in 0..full.len() {
            let mut scan = SeiScan::default();
            for framing in [
                Framing::AnnexB,
                Framing::LengthPrefixed(4),
                Framing::LengthPrefixed(1),
            ] {
                scan.scan_packet(Codec::H264, framing, &full[..len]);
            }
            assert!(scan.is_empty(), "{len} bytes");
        }
    }

    #[test]
    fn framing_of_packets() {
        assert_eq!(Framing::of_packet(&[0, 0, 0, 1, 0x67]), Framing::AnnexB);
        assert_eq!(Framing::of_packet(&[0, 0, 1, 0x06]), Framing::AnnexB);
        assert_eq!(
            Framing::of_packet(&[0, 0, 0, 9, 0x06]),
            Framing::LengthPrefixed(4)
        );
        assert_eq!(Framing::of_packet(&[]), Framing::LengthPrefixed(4));
    }

    #[test]
    fn note_says_it_cannot_be_kept() {
        let mut scan = SeiScan::default();
        let packet = annex_b(&[sei_nal(
            Codec::H264,
            SignatureScheme::OnvifMediaSigning.uuid(),
            b"x",
        )]);
        scan.scan_packet(Codec::H264, Framing::AnnexB, &packet);
        let note = not_kept_note(&scan.found()).unwrap_or_default();
        assert!(
            note.contains("ONVIF Media Signing (1 SEI message)"),
            "{note}"
        );
        assert!(note.contains("re-encoding cannot keep it"), "{note}");
    }
}
