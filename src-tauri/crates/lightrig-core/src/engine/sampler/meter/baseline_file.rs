//! The learned idle baseline, kept in a small JSON file in the data folder so a restart does
//! not throw away a measurement that took half a minute of idling. Written atomically; a file
//! that cannot be read as a baseline is moved aside (never overwritten) and ignored.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::energy::Baseline;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    baseline: Baseline,
}

/// Reads the kept baseline. `None` when there is none, or when the file was damaged (it is
/// then moved aside to `<name>.bad-<time>` with a log line).
pub fn load(path: &Path) -> Option<Baseline> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the kept idle baseline cannot be read; it is ignored");
            return None;
        }
    };
    match serde_json::from_slice::<BaselineFile>(&bytes) {
        Ok(file) if file.version == VERSION && file.baseline.watts.is_finite() => {
            Some(file.baseline)
        }
        Ok(file) => {
            set_aside(path, &format!("version {} or its figure is not usable", file.version));
            None
        }
        Err(e) => {
            set_aside(path, &e.to_string());
            None
        }
    }
}

fn set_aside(path: &Path, why: &str) {
    let kept: Option<PathBuf> = crate::paths::keep_aside(path, "bad").ok();
    tracing::warn!(
        path = %path.display(), kept = ?kept, problem = why,
        "the kept idle baseline is damaged; it was set aside and a new one will be measured"
    );
}

/// Keeps `baseline` (its source without the part that changes every sample).
pub fn save(path: &Path, baseline: &Baseline) {
    let mut baseline = baseline.clone();
    baseline.source = super::stable_source(&baseline.source).into_owned();
    let file = BaselineFile { version: VERSION, baseline };
    let result =
        serde_json::to_vec_pretty(&file).map_err(std::io::Error::other).and_then(|bytes| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            crate::paths::write_atomic(path, &bytes)
        });
    if let Err(e) = result {
        tracing::warn!(path = %path.display(), error = %e, "the idle baseline could not be kept");
    }
}
