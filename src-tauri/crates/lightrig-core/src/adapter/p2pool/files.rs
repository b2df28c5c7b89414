//! Reading P2Pool's data-api folder: each file capped in size, refused when it is not a plain
//! file (a pipe would block the reader), and judged fresh or stale by when it was written.
//! P2Pool writes each file whole and renames it into place, so a file is never half-written.

use std::borrow::Cow;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::adapter::AdapterError;

/// Local files older than the adapter by more than this are from an earlier run of P2Pool
/// (which starts writing a few seconds after it was launched).
const EARLIER_RUN_SLACK: Duration = Duration::from_secs(30);

/// One of the `local/` files, which describe this run of P2Pool.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Local {
    /// Not written (P2Pool runs without `--local-api`, or has not got that far yet).
    Missing,
    /// Written, but too long ago to describe the present.
    Stale {
        age_secs: u64,
        earlier_run: bool,
    },
    Fresh(Value),
}

impl Local {
    pub(super) fn fresh(&self) -> Option<&Value> {
        match self {
            Local::Fresh(v) => Some(v),
            Local::Missing | Local::Stale { .. } => None,
        }
    }
}

/// What one look at the folder found.
#[derive(Debug, Clone)]
pub(super) struct Snapshot {
    /// `network/stats`: the Monero tip (difficulty, height, reward), unless left by an earlier
    /// run. It is rewritten with each Monero block, which may take many minutes, so it is not
    /// judged by age.
    pub network: Option<Value>,
    /// `pool/blocks`: the blocks P2Pool found, newest first.
    pub blocks: Option<Value>,
    /// `pool/stats`: the side chain (share difficulty, PPLNS window, pool hashrate), unless
    /// left by an earlier run. A file Lightrig cannot read is `None` too: these figures only
    /// add to the rest, so they never make the whole poll fail.
    pub pool: Option<Value>,
    /// `local/stratum`: the miners connected to this P2Pool.
    pub stratum: Local,
    /// `local/p2p`: peers and uptime.
    pub p2p: Local,
    /// `local/miner`: P2Pool's built-in miner (`--start-mining`).
    pub miner: Local,
}

/// How [`super::P2poolAdapter`] reads the folder; tests put a slow reader in its place.
pub(super) type Reader = fn(&Path, &Limits) -> Result<Snapshot, AdapterError>;

/// The bounds of one read.
#[derive(Debug, Clone)]
pub(super) struct Limits {
    /// Largest file read, in bytes.
    pub cap: u64,
    /// A local file not rewritten for this long is stale.
    pub stale_after: Duration,
    /// When the adapter was made: local files from before it are from an earlier run.
    pub since: SystemTime,
}

pub(super) fn read_snapshot(dir: &Path, limits: &Limits) -> Result<Snapshot, AdapterError> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(AdapterError::Malformed(format!(
                "{} is not a folder: data_dir must be the folder P2Pool was given as --data-api",
                dir.display()
            )));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(AdapterError::Unreachable(format!(
                "P2Pool's data-api folder {} does not exist yet: P2Pool creates it when it starts \
                 with --data-api",
                dir.display()
            )));
        }
        Err(e) => {
            return Err(AdapterError::Unreachable(format!("cannot open {}: {e}", dir.display())));
        }
    }
    let network = read_json(dir, "network/stats", limits.cap)?
        .filter(|(_, written)| !written.is_some_and(|w| earlier_run(w, limits)))
        .map(|(v, _)| v);
    let blocks = read_json(dir, "pool/blocks", limits.cap)?.map(|(v, _)| v);
    let pool = match read_json(dir, "pool/stats", limits.cap) {
        Ok(read) => read
            .filter(|(_, written)| !written.is_some_and(|w| earlier_run(w, limits)))
            .map(|(v, _)| v),
        Err(e) => {
            tracing::debug!(error = %e, "P2Pool's pool/stats not read");
            None
        }
    };
    let local = |name| read_local(dir, name, limits);
    let snapshot = Snapshot {
        network,
        blocks,
        pool,
        stratum: local("stratum")?,
        p2p: local("p2p")?,
        miner: local("miner")?,
    };
    let nothing = snapshot.network.is_none()
        && snapshot.blocks.is_none()
        && [&snapshot.stratum, &snapshot.p2p, &snapshot.miner]
            .iter()
            .all(|l| **l == Local::Missing);
    if nothing {
        return Err(AdapterError::Unreachable(format!(
            "P2Pool has not written any statistics to {} yet",
            dir.display()
        )));
    }
    Ok(snapshot)
}

fn read_local(dir: &Path, name: &str, limits: &Limits) -> Result<Local, AdapterError> {
    let Some((value, written)) = read_json(dir, &format!("local/{name}"), limits.cap)? else {
        return Ok(Local::Missing);
    };
    let Some(written) = written else { return Ok(Local::Fresh(value)) };
    // A file written "in the future" (clock change) counts as just written.
    let age = SystemTime::now().duration_since(written).unwrap_or_default();
    let earlier_run = earlier_run(written, limits);
    if earlier_run || age > limits.stale_after {
        return Ok(Local::Stale { age_secs: age.as_secs(), earlier_run });
    }
    Ok(Local::Fresh(value))
}

fn earlier_run(written: SystemTime, limits: &Limits) -> bool {
    written + EARLIER_RUN_SLACK < limits.since
}

/// Reads `dir/name` as JSON: `None` when the file does not exist.
fn read_json(
    dir: &Path,
    name: &str,
    cap: u64,
) -> Result<Option<(Value, Option<SystemTime>)>, AdapterError> {
    let path = dir.join(name);
    let cannot = |e: std::io::Error| {
        AdapterError::Unreachable(format!("cannot read P2Pool's {name} ({}): {e}", path.display()))
    };
    let meta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    if !meta.is_file() {
        return Err(AdapterError::Malformed(format!(
            "P2Pool's {name} ({}) is not a plain file",
            path.display()
        )));
    }
    let too_big = || AdapterError::Malformed(format!("P2Pool's {name} is larger than {cap} bytes"));
    if meta.len() > cap {
        return Err(too_big());
    }
    let file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    let mut body = Vec::new();
    // The file may have grown since `metadata`: never read more than the cap allows.
    file.take(cap + 1).read_to_end(&mut body).map_err(cannot)?;
    if body.len() as u64 > cap {
        return Err(too_big());
    }
    let value = serde_json::from_slice(&undefined_to_null(&body))
        .map_err(|e| AdapterError::Malformed(format!("P2Pool's {name} is not JSON: {e}")))?;
    Ok(Some((value, meta.modified().ok())))
}

/// P2Pool prints its decimal figures with `printf("%.3f")`, which writes `nan` or `inf` (in
/// any case, with a sign, and on Windows `nan(ind)`) when a figure is undefined, e.g. the
/// effort before the side chain has a difficulty. JSON has no such numbers: outside strings
/// they become `null`, "not available". Nothing else is touched.
pub(super) fn undefined_to_null(src: &[u8]) -> Cow<'_, [u8]> {
    const WORDS: [&str; 8] =
        ["-nan(ind)", "nan(ind)", "-infinity", "infinity", "-nan", "nan", "-inf", "inf"];
    let is_word_start = |b: u8| matches!(b, b'n' | b'N' | b'i' | b'I' | b'-');
    if !src.iter().any(|b| matches!(b, b'n' | b'N' | b'i' | b'I')) {
        return Cow::Borrowed(src);
    }
    let mut out = Vec::with_capacity(src.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if is_word_start(b) {
            let rest = src.get(i..).unwrap_or_default();
            let word = WORDS.iter().find(|w| {
                rest.get(..w.len()).is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
            });
            if let Some(w) = word {
                out.extend_from_slice(b"null");
                i += w.len();
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    Cow::Owned(out)
}
