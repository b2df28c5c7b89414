//! monerod: its RPC (`/get_info`, `/mining_status`, JSON-RPC `get_last_block_header` and
//! `get_block_headers_range`) and its built-in miner (`/start_mining`, `/stop_mining`).
//!
//! Options (the profile's `[status] options`, all strings):
//! - `miner_address`: the Monero address the built-in miner pays. Checked like a payout address
//!   and against the node's network; a subaddress is refused, as monerod cannot mine to one.
//! - `threads`: miner threads, 1 to 256 (default 1).
//! - `mine`: `true` (the default when `miner_address` is set) lets Lightrig run the built-in
//!   miner: it starts mining once the node is synchronized, and Pause and Resume stop and start
//!   it. `false` only reads the node.
//!
//! Found blocks. monerod does not say which blocks its own miner found, and a block's coinbase
//! can be matched to an address only with that wallet's private view key, which Lightrig never
//! holds. So a block is recorded only when the node cannot have received it from another node:
//! monerod runs `--offline`, and its miner was mining to `miner_address` when Lightrig looked
//! before and after the block appeared (or until Lightrig stopped it). Such a block is recorded
//! as `Estimated`, keyed `block:<hash>` so reading it again never counts it twice, with a source
//! that says the attribution is unverified: a block another program on this computer submitted
//! to the same node in that window would be counted too. On a connected node nothing is
//! recorded and a hint says so; the user's wallet shows what was mined. Not recorded either:
//! blocks from before Lightrig's first look at a run (if monerod's own command line started
//! its miner) and after its last look before the node stops. Rewards on a chain other than
//! mainnet (regtest, testnet, stagenet) are not money and are marked simulated, so they never
//! add to real totals.

mod answers;
mod found;
mod rpc;

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use self::answers::{Info, Mining, check_status, flag, text, uint};
use self::found::Found;
use self::rpc::{Rpc, by};
use super::{AdapterConfig, AdapterError, NetworkInfo, NodeMetrics, Poll};
use crate::address::{MoneroKind, MoneroNetwork, validate_monero};
use crate::model::{Asset, Reward, RewardState, WorkRate, now_millis};

const BODY_CAP: usize = 1024 * 1024;
/// A page of block headers is about 900 bytes per header.
const HEADERS_BODY_CAP: usize = 4 * 1024 * 1024;
/// A poll ends within this however slowly monerod answers, so the supervisor is never held
/// up: the first requests go out together, each with [`rpc::TIMEOUT`]; later ones get what is
/// left.
const POLL_BUDGET: Duration = Duration::from_secs(4);
/// Found blocks read per poll; a longer backlog is read over the next polls.
const HEADERS_PER_POLL: u64 = 1000;
const BLOCK_TIME_SECS: u32 = 120;
const SOURCE: &str = "monerod built-in miner (unverified attribution)";
const OPTIONS: [&str; 3] = ["miner_address", "threads", "mine"];

#[derive(Debug)]
pub struct MonerodAdapter {
    node_id: String,
    rpc: Rpc,
    miner: Option<Miner>,
    /// Lightrig runs the built-in miner (starts it when synced; Pause and Resume drive it).
    mine: bool,
    /// The user paused mining through Lightrig: it is not started again until Resume.
    held: bool,
    found: Found,
}

#[derive(Debug)]
struct Miner {
    address: String,
    network: MoneroNetwork,
    threads: u32,
}

fn config(message: impl Into<String>) -> AdapterError {
    AdapterError::Config(message.into())
}

impl MonerodAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        if let Some(unknown) = cfg.options.keys().find(|k| !OPTIONS.contains(&k.as_str())) {
            return Err(config(format!(
                "monerod has no option `{unknown}`: use {}",
                OPTIONS.join(", ")
            )));
        }
        let url = cfg.url.as_deref().ok_or_else(|| config("the monerod adapter needs `url`"))?;
        if cfg.token.is_some() {
            return Err(config(
                "monerod's RPC login is not supported: run monerod without --rpc-login, on 127.0.0.1",
            ));
        }
        // An empty value is an unset field; anything else is checked as given, never trimmed.
        let option = |k: &str| cfg.options.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let threads = match option("threads") {
            None => 1,
            Some(t) => {
                t.parse::<u32>().ok().filter(|n| (1..=256).contains(n)).ok_or_else(|| {
                    config(format!("threads `{t}` is not a number of miner threads from 1 to 256"))
                })?
            }
        };
        let miner = match option("miner_address") {
            None => None,
            Some(address) => {
                let checked = validate_monero(address, None)
                    .map_err(|e| config(format!("miner_address: {e}")))?;
                if checked.kind == MoneroKind::Subaddress {
                    return Err(config(
                        "miner_address: monerod cannot mine to a subaddress; use your wallet's main address",
                    ));
                }
                Some(Miner { address: address.to_owned(), network: checked.network, threads })
            }
        };
        let mine = match option("mine") {
            None => miner.is_some(),
            Some("true") => true,
            Some("false") => false,
            Some(other) => return Err(config(format!("mine `{other}` is not true or false"))),
        };
        if mine && miner.is_none() {
            return Err(config("mine = \"true\" needs miner_address: the address mining pays"));
        }
        Ok(MonerodAdapter {
            node_id: cfg.node_id.clone(),
            rpc: Rpc::new(url),
            miner,
            mine,
            held: false,
            found: Found::default(),
        })
    }

    pub fn can_pause(&self) -> bool {
        self.mine
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let deadline = Instant::now() + POLL_BUDGET;
        let (info, mining, last) = tokio::join!(
            self.rpc.call("/get_info", json!({}), BODY_CAP),
            self.rpc.call("/mining_status", json!({}), BODY_CAP),
            self.rpc.method("get_last_block_header", json!({}), BODY_CAP),
        );
        let info = info?;
        check_status(&info)?;
        let info = Info::read(&info);
        let mut hints = Vec::new();
        // `mining_status` is refused by a node started with --restricted-rpc.
        let mining = match mining.and_then(|m| check_status(&m).map(|()| m)) {
            Ok(m) => Some(Mining::read(&m)),
            Err(e) => {
                hints.push(format!("monerod's mining status is not available ({e}); Lightrig needs its unrestricted RPC port"));
                None
            }
        };
        let active = mining.as_ref().and_then(|m| m.active);
        let ours_now = info.offline == Some(true)
            && active == Some(true)
            && self.miner.as_ref().is_some_and(|o| {
                mining.as_ref().and_then(|m| m.address.as_deref()) == Some(o.address.as_str())
            });
        if let Some(height) = info.height {
            self.found.look(height, ours_now);
        }
        self.hints(&info, mining.as_ref(), &mut hints);

        let (rewards, top_reward) = self.read_found(&info, deadline, &mut hints).await;
        let last_reward =
            last.ok().and_then(|r| r.get("block_header").and_then(|h| uint(h, "reward")));

        if self.mine && !self.held && active == Some(false) && info.synced() {
            let started = by(deadline, self.start_mining(&info)).await;
            if let Err(e) = started {
                hints.push(format!("Lightrig could not start monerod's miner: {e}"));
            }
        }

        let now_secs = u64::try_from(now_millis() / 1000).unwrap_or(0);
        let metrics = NodeMetrics {
            at_ms: now_millis(),
            work_rate: mining
                .as_ref()
                .and_then(|m| m.speed)
                .map(|value| WorkRate { value, unit: "H/s".into() }),
            threads: mining.as_ref().and_then(|m| m.threads),
            paused: if self.mine { active.map(|a| !a) } else { None },
            uptime_secs: info.start_time.filter(|s| *s > 0 && *s <= now_secs).map(|s| now_secs - s),
            simulated: !info.is_money(),
            sync_progress: info.sync_progress(),
            network: Some(NetworkInfo {
                asset: "XMR".into(),
                height: info.height,
                difficulty: info.difficulty,
                block_reward_atomic: last_reward.or(top_reward),
                block_time_secs: Some(info.target.unwrap_or(BLOCK_TIME_SECS)),
            }),
            hints,
            ..NodeMetrics::default()
        };
        Ok(Poll { metrics, rewards })
    }

    fn hints(&self, info: &Info, mining: Option<&Mining>, hints: &mut Vec<String>) {
        if !info.synced() {
            let progress = match (info.height, info.target_height) {
                (Some(h), Some(t)) if t > 0 => format!(" ({h} of {t} blocks)"),
                _ => String::new(),
            };
            hints.push(format!(
                "monerod is still downloading the blockchain{progress}; mining starts once it is synchronized"
            ));
        }
        if let (Some(miner), Some(network)) = (&self.miner, info.address_network())
            && miner.network != network
        {
            hints.push(format!(
                "miner_address is a {} address but this node runs on {}: use an address of the node's network",
                miner.network,
                info.chain()
            ));
        }
        if let (Some(miner), Some(m)) = (&self.miner, mining)
            && m.active == Some(true)
            && m.address.as_deref().is_some_and(|a| !a.is_empty() && a != miner.address)
        {
            hints.push("monerod is mining to another address than this profile's miner_address; its blocks are not recorded".into());
        }
        if self.miner.is_some() && info.offline == Some(false) {
            hints.push("Lightrig cannot tell which blocks this node's miner finds while it is connected to other nodes, so none are recorded here: your wallet shows what was mined".into());
        }
    }

    /// Reads the next stretch of found blocks; also returns the top block's reward when the
    /// stretch reaches it.
    async fn read_found(
        &mut self,
        info: &Info,
        deadline: Instant,
        hints: &mut Vec<String>,
    ) -> (Vec<Reward>, Option<u64>) {
        if self.found.dropped > 0 {
            hints.push(format!(
                "{} found blocks came faster than Lightrig could read them and were not recorded",
                self.found.dropped
            ));
        }
        let Some(range) = self.found.next(HEADERS_PER_POLL) else { return (Vec::new(), None) };
        let params = json!({"start_height": range.start, "end_height": range.end - 1});
        let page = self.rpc.method("get_block_headers_range", params, HEADERS_BODY_CAP);
        let page = match by(deadline, page).await {
            Ok(page) => page,
            Err(e @ AdapterError::Unreachable(_)) => {
                hints.push(format!("found blocks could not be read yet: {e}"));
                return (Vec::new(), None);
            }
            Err(e) => {
                // A wrong answer will not improve by asking again: skip this stretch.
                hints.push(format!(
                    "{} found blocks could not be read: {e}",
                    range.end - range.start
                ));
                self.found.done(&range);
                return (Vec::new(), None);
            }
        };
        self.found.done(&range);
        let headers =
            page.get("headers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let asset = Asset { code: "XMR".into(), decimals: 12 };
        let mut rewards = Vec::new();
        let mut top = None;
        for h in headers {
            let height = uint(h, "height");
            let hash = text(h, "hash")
                .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()));
            let (Some(height), Some(hash), Some(atomic)) = (height, hash, uint(h, "reward")) else {
                continue;
            };
            if !range.contains(&height) || flag(h, "orphan_status") == Some(true) {
                continue;
            }
            if info.height == Some(height + 1) {
                top = Some(atomic);
            }
            let at = uint(h, "timestamp")
                .and_then(|s| i64::try_from(s.saturating_mul(1000)).ok())
                .unwrap_or_else(now_millis);
            rewards.push(Reward {
                node_id: self.node_id.clone(),
                key: format!("block:{}", hash.to_ascii_lowercase()),
                at,
                asset: asset.clone(),
                atomic: i128::from(atomic),
                state: RewardState::Estimated,
                source: SOURCE.into(),
                simulated: !info.is_money(),
            });
        }
        let missing = (range.end - range.start).saturating_sub(rewards.len() as u64);
        if missing > 0 {
            hints.push(format!(
                "{missing} found blocks were left out: monerod's answer about them was incomplete"
            ));
        }
        (rewards, top)
    }

    /// Starts the built-in miner on a node described by `info` (read just before).
    async fn start_mining(&mut self, info: &Info) -> Result<(), AdapterError> {
        let miner = self.miner.as_ref().ok_or(AdapterError::Unsupported)?;
        if let Some(network) = info.address_network()
            && network != miner.network
        {
            return Err(config(format!(
                "miner_address is a {} address but this node runs on {}",
                miner.network,
                info.chain()
            )));
        }
        let body = json!({
            "miner_address": miner.address,
            "threads_count": miner.threads,
            "do_background_mining": false,
            "ignore_battery": true,
        });
        let answer = self.rpc.call("/start_mining", body, BODY_CAP).await?;
        if check_status(&answer).is_err() {
            // "Already mining" is fine if it is mining to our address.
            let status = self.rpc.call("/mining_status", json!({}), BODY_CAP).await?;
            let m = Mining::read(&status);
            match (m.active, m.address) {
                (Some(true), Some(address)) if address == miner.address => {}
                (Some(true), _) => {
                    return Err(AdapterError::Refused(
                        "monerod is already mining to another address".into(),
                    ));
                }
                _ => check_status(&answer)?,
            }
        }
        if let Some(height) = info.height {
            self.found.started(height, info.offline == Some(true));
        }
        Ok(())
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        if !self.mine {
            return Err(AdapterError::Unsupported);
        }
        let answer = self.rpc.call("/stop_mining", json!({}), BODY_CAP).await?;
        if check_status(&answer).is_err() {
            // "Mining never started" and the like: fine if the miner is indeed off.
            let status = self.rpc.call("/mining_status", json!({}), BODY_CAP).await?;
            if Mining::read(&status).active != Some(false) {
                check_status(&answer)?;
            }
        }
        self.held = true;
        // Blocks found between the last look and the stop were the miner's: settle them now.
        let height = match self.rpc.call("/get_info", json!({}), BODY_CAP).await {
            Ok(v) => Info::read(&v).height,
            Err(_) => None,
        };
        self.found.stopped(height);
        Ok(())
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        if !self.mine {
            return Err(AdapterError::Unsupported);
        }
        let info = self.rpc.call("/get_info", json!({}), BODY_CAP).await?;
        check_status(&info)?;
        self.start_mining(&Info::read(&info)).await?;
        self.held = false;
        Ok(())
    }
}

#[cfg(test)]
#[path = "monerod_tests.rs"]
mod tests;
