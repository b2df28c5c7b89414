//! Linux power sensors read from sysfs: RAPL energy counters (powercap), amdgpu hwmon power and
//! battery discharge. Every reader takes a [`Sysfs`] root, so tests read recorded trees.
//!
//! The readers compile on every OS (they only read files); only [`Sysfs::system`] points at the
//! live `/sys`, and the per-OS ladder uses them on Linux only.

mod battery;
mod hwmon;
mod rapl;

use std::io;
use std::path::{Path, PathBuf};

pub use battery::BatterySource;
pub use hwmon::AmdGpuSource;
#[cfg(test)]
pub(crate) use rapl::counter_delta as rapl_counter_delta;
pub use rapl::{RaplSource, rapl_permission_help};

/// A sysfs tree: the live `/sys`, or a recorded copy.
#[derive(Debug, Clone)]
pub struct Sysfs {
    root: PathBuf,
    /// Paths (relative to the root) a normal user may not read in the recorded machine. File
    /// modes do not survive version control, and tests run as root on CI, so a recorded tree
    /// lists them in a file named `UNREADABLE` (taken from `ls -l`) and they fail with
    /// `PermissionDenied` as they did on the machine.
    unreadable: Vec<PathBuf>,
}

impl Sysfs {
    /// The live tree at `/sys`.
    pub fn system() -> Sysfs {
        Sysfs::new("/sys")
    }

    /// A tree at `root`, read as it is.
    pub fn new(root: impl Into<PathBuf>) -> Sysfs {
        Sysfs { root: root.into(), unreadable: Vec::new() }
    }

    /// A recorded tree at `root`, whose `UNREADABLE` file (if any) lists the paths that were
    /// root-only on the recorded machine, one per line.
    pub fn recorded(root: impl Into<PathBuf>) -> io::Result<Sysfs> {
        let root = root.into();
        let unreadable = match std::fs::read_to_string(root.join("UNREADABLE")) {
            Ok(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(PathBuf::from)
                .collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(Sysfs { root, unreadable })
    }

    /// The full path of `rel`, for messages.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// Reads a sysfs attribute, trimmed.
    pub fn read(&self, rel: &Path) -> io::Result<String> {
        if self.unreadable.iter().any(|p| p == rel) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, "recorded as root-only"));
        }
        std::fs::read_to_string(self.root.join(rel)).map(|s| s.trim().to_owned())
    }

    /// Reads an attribute holding one unsigned integer.
    pub fn read_u64(&self, rel: &Path) -> io::Result<u64> {
        let text = self.read(rel)?;
        text.parse().map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, format!("'{text}' is not a whole number"))
        })
    }

    /// Reads an attribute holding one signed integer (some batteries report negative currents).
    pub fn read_i64(&self, rel: &Path) -> io::Result<i64> {
        let text = self.read(rel)?;
        text.parse().map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, format!("'{text}' is not a whole number"))
        })
    }

    /// Entry names in a directory, sorted so the order is stable; empty when it is missing.
    pub fn list(&self, rel: &Path) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.root.join(rel)) else {
            return Vec::new();
        };
        let mut names: Vec<String> =
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names
    }
}

/// Orders "hwmon10" after "hwmon9" and "intel-rapl:10" after "intel-rapl:2".
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| {
        let digits = s.len() - s.bytes().rev().take_while(u8::is_ascii_digit).count();
        let (head, tail) = s.split_at(digits);
        (head.to_owned(), tail.parse::<u64>().unwrap_or(0))
    };
    split(a).cmp(&split(b)).then_with(|| a.cmp(b))
}
