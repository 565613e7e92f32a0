//! CPU levels for the SIMD kernels: detected at run time, lowered on
//! request.
//!
//! Every kernel has a scalar version (the specification) and, on x86-64,
//! SSE4.1 and AVX2 versions (on aarch64, NEON) that produce the same bytes.
//! The level used is the best the CPU supports, unless the environment
//! variable `SLADD_CPU` (`scalar`, `sse4.1`, `avx2` or `neon`) asks for a
//! lower one: it can only lower the level, never raise it above what the
//! CPU has.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// A level of SIMD support, ordered from least to most capable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CpuLevel {
    /// Portable scalar code: always available, the specification.
    Scalar,
    /// x86-64 SSE4.1.
    Sse41,
    /// x86-64 AVX2.
    Avx2,
    /// aarch64 NEON.
    Neon,
}

/// The name of the environment variable that can lower the CPU level.
pub const CPU_ENV: &str = "SLADD_CPU";

impl CpuLevel {
    /// Every level, lowest first.
    pub const ALL: [CpuLevel; 4] = [Self::Scalar, Self::Sse41, Self::Avx2, Self::Neon];

    /// The level's name as `SLADD_CPU` spells it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Sse41 => "sse4.1",
            Self::Avx2 => "avx2",
            Self::Neon => "neon",
        }
    }

    /// Whether this CPU can run kernels of this level.
    #[must_use]
    pub fn is_supported(self) -> bool {
        match self {
            Self::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Self::Sse41 => std::arch::is_x86_feature_detected!("sse4.1"),
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("sse4.1")
            }
            #[cfg(target_arch = "aarch64")]
            Self::Neon => std::arch::is_aarch64_feature_detected!("neon"),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Every level this CPU supports, lowest first (always starts with
    /// [`CpuLevel::Scalar`]). Tests run each of them.
    #[must_use]
    pub fn supported() -> Vec<CpuLevel> {
        Self::ALL.into_iter().filter(|l| l.is_supported()).collect()
    }

    /// The best level the hardware supports, ignoring `SLADD_CPU`.
    #[must_use]
    pub fn hardware() -> Self {
        static HARDWARE: OnceLock<CpuLevel> = OnceLock::new();
        *HARDWARE.get_or_init(|| {
            Self::ALL
                .into_iter()
                .rev()
                .find(|l| l.is_supported())
                .unwrap_or(Self::Scalar)
        })
    }

    /// The level kernels use by default: [`CpuLevel::hardware`], lowered to
    /// `SLADD_CPU` when that is set to a known lower level. An unknown value
    /// is ignored (it cannot raise the level, so ignoring it is safe).
    #[must_use]
    pub fn detect() -> Self {
        static DETECTED: OnceLock<CpuLevel> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let hardware = Self::hardware();
            match std::env::var(CPU_ENV).ok().map(|v| v.parse::<CpuLevel>()) {
                Some(Ok(wanted)) => wanted.min(hardware).clamp_supported(),
                _ => hardware,
            }
        })
    }

    /// The highest supported level not above `self`.
    #[must_use]
    pub fn clamp_supported(self) -> Self {
        Self::ALL
            .into_iter()
            .rev()
            .find(|l| *l <= self && l.is_supported())
            .unwrap_or(Self::Scalar)
    }
}

impl fmt::Display for CpuLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CpuLevel {
    type Err = Error;

    /// Parses `scalar`, `sse4.1` (or `sse41`), `avx2` or `neon`.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "scalar" | "none" => Ok(Self::Scalar),
            "sse4.1" | "sse41" | "sse4_1" => Ok(Self::Sse41),
            "avx2" => Ok(Self::Avx2),
            "neon" => Ok(Self::Neon),
            _ => Err(Error::UnknownCpuLevel { name: s.to_owned() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_parse() {
        assert!(CpuLevel::Scalar < CpuLevel::Sse41 && CpuLevel::Sse41 < CpuLevel::Avx2);
        for level in CpuLevel::ALL {
            assert_eq!(level.name().parse::<CpuLevel>().unwrap(), level);
        }
        assert!("avx512".parse::<CpuLevel>().is_err());
    }

    #[test]
    fn detection_never_exceeds_hardware() {
        let supported = CpuLevel::supported();
        assert_eq!(supported.first(), Some(&CpuLevel::Scalar));
        assert!(supported.contains(&CpuLevel::detect()));
        assert!(CpuLevel::detect() <= CpuLevel::hardware());
        // NEON is part of the aarch64 baseline: the NEON kernels must be
        // among the levels the tests run.
        #[cfg(target_arch = "aarch64")]
        assert!(supported.contains(&CpuLevel::Neon));
        for level in CpuLevel::ALL {
            assert!(level.clamp_supported() <= level);
            assert!(level.clamp_supported().is_supported());
        }
    }
}
