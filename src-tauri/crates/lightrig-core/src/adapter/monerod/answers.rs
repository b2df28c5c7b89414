//! What Lightrig reads from monerod's answers. A figure that is missing, negative or not a
//! number reads as "not available", never as 0.

use serde_json::Value;

use crate::adapter::AdapterError;
use crate::address::MoneroNetwork;

/// monerod puts `status: "OK"` in every good answer; anything else is a refusal.
pub(super) fn check_status(v: &Value) -> Result<(), AdapterError> {
    match v.get("status") {
        None => Ok(()),
        Some(Value::String(s)) if s == "OK" => Ok(()),
        Some(Value::String(s)) => Err(AdapterError::Refused(s.clone())),
        Some(other) => Err(AdapterError::Malformed(format!("status {other}"))),
    }
}

/// A non-negative whole number, or "not available".
pub(super) fn uint(v: &Value, key: &str) -> Option<u64> {
    v.get(key)?.as_u64()
}

/// A finite, non-negative number, or "not available".
pub(super) fn number(v: &Value, key: &str) -> Option<f64> {
    v.get(key)?.as_f64().filter(|x| x.is_finite() && *x >= 0.0)
}

pub(super) fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

pub(super) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

/// What Lightrig uses of `get_info`.
#[derive(Debug, Default)]
pub(super) struct Info {
    pub(super) height: Option<u64>,
    pub(super) target_height: Option<u64>,
    pub(super) difficulty: Option<f64>,
    pub(super) target: Option<u32>,
    pub(super) synchronized: Option<bool>,
    pub(super) busy_syncing: Option<bool>,
    pub(super) offline: Option<bool>,
    pub(super) nettype: Option<String>,
    pub(super) mainnet: Option<bool>,
    pub(super) start_time: Option<u64>,
}

impl Info {
    pub(super) fn read(v: &Value) -> Info {
        // `wide_difficulty` (hex) holds the full 128-bit value; `difficulty` only the low half.
        let wide = text(v, "wide_difficulty")
            .and_then(|s| s.strip_prefix("0x"))
            .and_then(|h| u128::from_str_radix(h, 16).ok())
            .map(|d| d as f64);
        Info {
            height: uint(v, "height"),
            target_height: uint(v, "target_height"),
            difficulty: wide.or_else(|| number(v, "difficulty")).filter(|d| *d > 0.0),
            target: uint(v, "target").and_then(|t| u32::try_from(t).ok()).filter(|t| *t > 0),
            synchronized: flag(v, "synchronized"),
            busy_syncing: flag(v, "busy_syncing"),
            offline: flag(v, "offline"),
            nettype: text(v, "nettype").map(str::to_owned),
            mainnet: flag(v, "mainnet"),
            start_time: uint(v, "start_time"),
        }
    }

    /// Chain height over the height of the network; monerod says 0 when it knows of nothing
    /// higher, i.e. it is synced.
    pub(super) fn sync_progress(&self) -> Option<f64> {
        let height = self.height?;
        match self.target_height? {
            t if t == 0 || t <= height => Some(1.0),
            t => Some(height as f64 / t as f64),
        }
    }

    pub(super) fn synced(&self) -> bool {
        self.synchronized == Some(true) && self.busy_syncing != Some(true)
    }

    /// True only on mainnet; an answer that does not say is treated as not money.
    pub(super) fn is_money(&self) -> bool {
        match self.nettype.as_deref() {
            Some(n) => n == "mainnet",
            None => self.mainnet == Some(true),
        }
    }

    /// The chain, in words for a message.
    pub(super) fn chain(&self) -> &str {
        match self.nettype.as_deref() {
            Some("fakechain") => "a private regtest chain, which takes mainnet addresses",
            Some(other) => other,
            None => "another network",
        }
    }

    /// Which addresses this chain pays: regtest ("fakechain") uses mainnet's.
    pub(super) fn address_network(&self) -> Option<MoneroNetwork> {
        match self.nettype.as_deref()? {
            "mainnet" | "fakechain" => Some(MoneroNetwork::Mainnet),
            "testnet" => Some(MoneroNetwork::Testnet),
            "stagenet" => Some(MoneroNetwork::Stagenet),
            _ => None,
        }
    }
}

/// What Lightrig uses of `mining_status`.
#[derive(Debug, Default)]
pub(super) struct Mining {
    pub(super) active: Option<bool>,
    /// Hashes per second; 0 while not mining is a real 0.
    pub(super) speed: Option<f64>,
    pub(super) threads: Option<u32>,
    pub(super) address: Option<String>,
}

impl Mining {
    pub(super) fn read(v: &Value) -> Mining {
        Mining {
            active: flag(v, "active"),
            speed: number(v, "speed"),
            threads: uint(v, "threads_count").and_then(|t| u32::try_from(t).ok()),
            address: text(v, "address").map(str::to_owned),
        }
    }
}
