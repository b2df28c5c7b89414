//! P2Pool's data-api files (`--data-api DIR --local-api`): `network/stats` for the Monero
//! network, `pool/blocks` for the blocks P2Pool found, and `local/stratum`, `local/p2p`,
//! `local/miner` for this run's miners, shares and uptime.
//!
//! Options (`[status.options]`):
//! - `data_dir` (required): the folder P2Pool was given as `--data-api`, as a full path.
//! - `stale_after_secs` (default 180, 10 to 86400): a `local/` file not rewritten for this long
//!   no longer describes the present and reads as "not available".
//!
//! `url` and `token` are not used: P2Pool writes files and has no status API.
//!
//! Pool figures ([`PoolInfo`]) from `pool/stats` with `network/stats` and this run's mining:
//! share difficulty, the PPLNS window and your part of it, the average time to a share at
//! your rate, and what a block found now would pay you. P2Pool does not write how many of the
//! window's shares are yours, so that one is estimated from your percent of the window.
//!
//! Work rate: the miners connected over stratum (15-minute average, P2Pool's shortest), or,
//! when none is connected and P2Pool's own miner runs (`--start-mining`), that miner's current
//! rate. Rewards: estimated per found block, see `p2pool/blocks.rs`. P2Pool has no pause.

mod blocks;
mod files;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::{AdapterConfig, AdapterError, NetworkInfo, NodeMetrics, Poll, PoolInfo};
use crate::model::WorkRate;
use files::{Limits, Local, Reader, Snapshot};

const FILE_CAP: u64 = 256 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);
const DEFAULT_STALE_SECS: u64 = 180;
const MONERO_BLOCK_SECS: u32 = 120;

#[derive(Debug)]
pub struct P2poolAdapter {
    node_id: String,
    dir: PathBuf,
    limits: Limits,
    reader: Reader,
    /// True while a read runs on a blocking thread; a stuck disk never piles up readers.
    reading: Arc<AtomicBool>,
    blocks: blocks::FoundBlocks,
}

impl P2poolAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        let mut dir = None;
        let mut stale_secs = DEFAULT_STALE_SECS;
        for (key, value) in &cfg.options {
            match key.as_str() {
                "data_dir" => dir = Some(value.as_str()),
                "stale_after_secs" => {
                    stale_secs = value
                        .parse()
                        .ok()
                        .filter(|n| (10..=86_400).contains(n))
                        .ok_or_else(|| {
                            AdapterError::Config(format!(
                                "status option \"stale_after_secs\" is {value:?}: write a number \
                                 of seconds from 10 to 86400"
                            ))
                        })?;
                }
                other => {
                    return Err(AdapterError::Config(format!(
                        "unknown P2Pool status option {other:?}: the P2Pool adapter knows \
                         \"data_dir\" and \"stale_after_secs\"; remove it from [status.options]"
                    )));
                }
            }
        }
        let dir = match dir {
            None | Some("") => {
                return Err(AdapterError::Config(
                    "the P2Pool adapter needs the status option \"data_dir\", the folder P2Pool \
                     is started with as --data-api: add it to [status.options]"
                        .into(),
                ));
            }
            Some(d) if !PathBuf::from(d).is_absolute() => {
                return Err(AdapterError::Config(format!(
                    "status option \"data_dir\" is {d:?}: write the full path of the folder \
                     P2Pool is started with as --data-api"
                )));
            }
            Some(d) => PathBuf::from(d),
        };
        let since = SystemTime::now();
        Ok(P2poolAdapter {
            node_id: cfg.node_id.clone(),
            dir,
            limits: Limits { cap: FILE_CAP, stale_after: Duration::from_secs(stale_secs), since },
            reader: files::read_snapshot,
            reading: Arc::new(AtomicBool::new(false)),
            blocks: blocks::FoundBlocks::new(unix_secs(since)),
        })
    }

    pub fn can_pause(&self) -> bool {
        false
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let snap = self.read().await?;
        let now = crate::model::now_millis();
        let mining = Mining::from(&snap);
        self.blocks.tip(snap.network.as_ref());
        self.blocks.found(snap.blocks.as_ref());
        let now_secs = u64::try_from(now / 1000).unwrap_or_default();
        let rewards = self.blocks.rewards(mining.share_percent, now_secs, &self.node_id);
        let pool = pool(&snap, &mining);
        let metrics = NodeMetrics {
            at_ms: now,
            work_rate: mining.rate,
            work_rate_15m: mining.rate_15m,
            total_work: mining.total_hashes,
            shares_accepted: mining.shares,
            threads: mining.threads,
            uptime_secs: snap.p2p.fresh().and_then(|p| count(p, "uptime")),
            network: snap.network.as_ref().and_then(network),
            pool,
            hints: hints(&snap),
            ..NodeMetrics::default()
        };
        Ok(Poll { metrics, rewards })
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }

    /// Reads the folder on a blocking thread, giving up after [`TIMEOUT`].
    async fn read(&self) -> Result<Snapshot, AdapterError> {
        if self.reading.swap(true, Ordering::AcqRel) {
            return Err(AdapterError::Unreachable(
                "the last read of P2Pool's files has not finished: the disk may be very busy"
                    .into(),
            ));
        }
        let done = ClearOnDrop(self.reading.clone());
        let (dir, limits, reader) = (self.dir.clone(), self.limits.clone(), self.reader);
        let task = tokio::task::spawn_blocking(move || {
            let _done = done;
            reader(&dir, &limits)
        });
        match tokio::time::timeout(TIMEOUT, task).await {
            Ok(Ok(read)) => read,
            Ok(Err(e)) => Err(AdapterError::Unreachable(format!("reading P2Pool's files: {e}"))),
            Err(_) => Err(AdapterError::Unreachable(format!(
                "reading P2Pool's files took longer than {} s",
                TIMEOUT.as_secs()
            ))),
        }
    }
}

/// Clears the "reading" flag when the blocking read ends, however it ends.
struct ClearOnDrop(Arc<AtomicBool>);

impl Drop for ClearOnDrop {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

fn count(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// A believable number: finite and not negative.
fn figure(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64).filter(|x| x.is_finite() && *x >= 0.0)
}

fn rate(v: &Value, key: &str) -> Option<WorkRate> {
    figure(v, key).map(|value| WorkRate { value, unit: "H/s".into() })
}

/// Adds what is there; `None` only when neither side reported.
fn sum(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
    }
}

/// This run's mining, from `local/stratum` and `local/miner`.
#[derive(Debug, Default)]
struct Mining {
    rate: Option<WorkRate>,
    rate_15m: Option<WorkRate>,
    total_hashes: Option<u64>,
    shares: Option<u64>,
    threads: Option<u32>,
    share_percent: Option<f64>,
}

impl Mining {
    fn from(snap: &Snapshot) -> Mining {
        let stratum = snap.stratum.fresh();
        let miner = snap.miner.fresh();
        let connected = stratum.and_then(|s| count(s, "connections")).unwrap_or(0) > 0;
        let builtin = miner.filter(|m| count(m, "threads").unwrap_or(0) > 0);
        // The two count different miners, so their hashes and shares add up; their rates are
        // over different windows, so one is shown, not a sum.
        let total_hashes = sum(
            stratum.and_then(|s| count(s, "total_hashes")),
            builtin.and_then(|m| count(m, "total_hashes")),
        );
        let shares = sum(
            stratum.and_then(|s| count(s, "shares_found")),
            builtin.and_then(|m| count(m, "shares_found")),
        );
        let share_percent = stratum
            .and_then(|s| figure(s, "block_reward_share_percent"))
            .or_else(|| miner.and_then(|m| figure(m, "block_reward_share_percent")));
        match builtin {
            Some(m) if !connected => Mining {
                rate: rate(m, "current_hashrate"),
                rate_15m: None,
                total_hashes,
                shares,
                threads: count(m, "threads").and_then(|n| u32::try_from(n).ok()),
                share_percent,
            },
            _ => {
                let rate_15m = stratum.and_then(|s| rate(s, "hashrate_15m"));
                Mining {
                    rate: rate_15m.clone(),
                    rate_15m,
                    total_hashes,
                    shares,
                    threads: None,
                    share_percent,
                }
            }
        }
    }
}

fn network(n: &Value) -> Option<NetworkInfo> {
    let info = NetworkInfo {
        asset: "XMR".into(),
        height: count(n, "height"),
        difficulty: figure(n, "difficulty").filter(|d| *d > 0.0),
        block_reward_atomic: count(n, "reward"),
        block_time_secs: Some(MONERO_BLOCK_SECS),
    };
    (info.height.is_some() || info.difficulty.is_some()).then_some(info)
}

fn pool(snap: &Snapshot, mining: &Mining) -> Option<PoolInfo> {
    let stats = snap.pool.as_ref().and_then(|p| p.get("pool_statistics"));
    let share_difficulty =
        stats.and_then(|s| figure(s, "sidechainDifficulty")).filter(|d| *d > 0.0);
    let window_size = stats.and_then(|s| count(s, "pplnsWindowSize")).filter(|n| *n > 0);
    let percent = mining.share_percent.filter(|p| *p <= 100.0);
    let reward = snap.network.as_ref().and_then(|n| count(n, "reward"));
    let my_rate = mining.rate.as_ref().map(|r| r.value).filter(|r| *r > 0.0);
    let info = PoolInfo {
        asset: "XMR".into(),
        share_difficulty,
        window_size,
        window_share_percent: percent,
        window_shares_estimate: window_size.zip(percent).map(|(n, p)| n as f64 * p / 100.0),
        expected_share_secs: share_difficulty.zip(my_rate).map(|(d, r)| d / r),
        payout_per_block_atomic: reward
            .zip(percent)
            .map(|(r, p)| (r as f64 * p / 100.0).round() as u64),
        pool_rate: stats.and_then(|s| rate(s, "hashRate")),
    };
    let any = info.share_difficulty.is_some()
        || info.window_size.is_some()
        || info.window_share_percent.is_some()
        || info.pool_rate.is_some();
    any.then_some(info)
}

fn hints(snap: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    // A fresh network/stats means this run is under way; local/p2p would be written by now
    // (every second) if P2Pool had --local-api.
    let running = snap.network.is_some();
    if running && snap.stratum == Local::Missing && snap.p2p == Local::Missing {
        out.push(
            "P2Pool runs without its local statistics, so Lightrig cannot show your hashrate \
             and shares: add --local-api to P2Pool's command line, next to --data-api."
                .to_owned(),
        );
    }
    let stale = [&snap.p2p, &snap.stratum].into_iter().find_map(|l| match l {
        Local::Stale { age_secs, earlier_run: false } => Some(*age_secs),
        _ => None,
    });
    if let Some(age) = stale {
        out.push(format!(
            "P2Pool has not updated its statistics for {} minutes: check that it is still \
             running and reaches its Monero node. Until it does, its figures read as not \
             available.",
            age / 60
        ));
    }
    out
}

#[cfg(test)]
#[path = "p2pool_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "p2pool_pool_tests.rs"]
mod pool_tests;
