//! Small value types of the installer: versions that order the way upstream numbers them,
//! SHA-256 digests, and the platforms a release is built for.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A release version made of 1 to 4 dot-separated numbers (`6.22.2`, `4.1`, `0.18.3.4`).
///
/// Only numbers, so ordering is exact and the anti-rollback check cannot be fooled by a
/// clever suffix. A leading `v` (as in upstream tags like `v4.1`) is accepted and dropped.
/// Missing parts count as zero, so `4.1` equals `4.1.0`.
#[derive(Debug, Clone)]
pub struct Version {
    parts: Vec<u64>,
}

impl Version {
    pub fn parts(&self) -> &[u64] {
        &self.parts
    }

    fn padded(&self) -> [u64; 4] {
        let mut out = [0; 4];
        for (slot, part) in out.iter_mut().zip(&self.parts) {
            *slot = *part;
        }
        out
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let body = s.strip_prefix('v').unwrap_or(s);
        let parts: Result<Vec<u64>, _> = body
            .split('.')
            .map(|p| {
                if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    Err(())
                } else {
                    p.parse::<u64>().map_err(|_| ())
                }
            })
            .collect();
        match parts {
            Ok(parts) if (1..=4).contains(&parts.len()) => Ok(Version { parts }),
            _ => Err(format!(
                "`{s}` is not a version: use 1 to 4 numbers separated by dots, like 6.22.2"
            )),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.parts.iter().map(u64::to_string).collect();
        f.write_str(&text.join("."))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.padded() == other.padded()
    }
}
impl Eq for Version {}
impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.padded().cmp(&other.padded())
    }
}

/// A SHA-256 digest. Shown and stored as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Sha256Digest(sha2::Sha256::digest(bytes).into())
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

impl FromStr for Sha256Digest {
    type Err = String;

    /// Accepts upper- or lower-case hex; nothing else (no prefixes, no spaces).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a SHA-256 digest: give 64 hex digits");
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, slot) in out.iter_mut().enumerate() {
            let pair = s.get(2 * i..2 * i + 2).ok_or_else(bad)?;
            *slot = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
        }
        Ok(Sha256Digest(out))
    }
}

impl Serialize for Sha256Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The operating systems Lightrig ships for. Names match `std::env::consts::OS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Windows,
    Macos,
}

impl Os {
    /// The OS this program was built for, if Lightrig ships node releases for it.
    pub fn current() -> Option<Os> {
        Os::from_name(std::env::consts::OS)
    }
    pub fn from_name(name: &str) -> Option<Os> {
        match name {
            "linux" => Some(Os::Linux),
            "windows" => Some(Os::Windows),
            "macos" => Some(Os::Macos),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Windows => "windows",
            Os::Macos => "macos",
        }
    }
}

/// CPU architectures. Names match `std::env::consts::ARCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl Arch {
    pub fn current() -> Option<Arch> {
        Arch::from_name(std::env::consts::ARCH)
    }
    pub fn from_name(name: &str) -> Option<Arch> {
        match name {
            "x86_64" => Some(Arch::X86_64),
            "aarch64" => Some(Arch::Aarch64),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
        }
    }
}

/// How the downloaded file holds the executable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArchiveKind {
    #[serde(rename = "tar.gz")]
    TarGz,
    /// Monero's Linux and macOS builds.
    #[serde(rename = "tar.bz2")]
    TarBz2,
    #[serde(rename = "zip")]
    Zip,
    /// The download is the executable itself.
    #[serde(rename = "plain")]
    Plain,
}

impl ArchiveKind {
    pub fn from_name(name: &str) -> Option<ArchiveKind> {
        match name {
            "tar.gz" => Some(ArchiveKind::TarGz),
            "tar.bz2" => Some(ArchiveKind::TarBz2),
            "zip" => Some(ArchiveKind::Zip),
            "plain" => Some(ArchiveKind::Plain),
            _ => None,
        }
    }
}

/// Node ids as in profiles: a lower-case letter, then letters, digits and `-`, 40 at most.
pub(crate) fn is_node_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && s.len() <= 40
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn versions_order_numerically_and_pad_with_zeros() {
        assert!(v("6.10.0") > v("6.9.9"));
        assert!(v("0.18.3.4") > v("0.18.3"));
        assert_eq!(v("4.1"), v("v4.1.0"));
        assert_eq!(v("v4.1").to_string(), "4.1");
        for bad in ["", "6.x", "6..1", "1.2.3.4.5", "-1", "6.22.2-rc1", " 6.2"] {
            assert!(bad.parse::<Version>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn digests_round_trip_and_refuse_junk() {
        let d = Sha256Digest::of(b"abc");
        let hex = d.to_string();
        assert_eq!(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex.to_uppercase().parse::<Sha256Digest>().unwrap(), d);
        assert!("xyz".parse::<Sha256Digest>().is_err());
        assert!(format!("{hex}0").parse::<Sha256Digest>().is_err());
        assert!(hex.replace('b', "g").parse::<Sha256Digest>().is_err());
        assert!(format!("+{}", &hex[1..]).parse::<Sha256Digest>().is_err());
    }
}
