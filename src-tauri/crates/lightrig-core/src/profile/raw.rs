//! Profiles exactly as written in TOML. Nothing here is trusted: `super::validate` turns these
//! into [`super::Profile`], which cannot hold a bad value.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub schema: u32,
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub activity: String,
    #[serde(default)]
    pub simulated: bool,
    pub binary: RawBinary,
    #[serde(default)]
    pub fields: BTreeMap<String, RawField>,
    pub launch: RawLaunch,
    pub health: RawHealth,
    #[serde(default)]
    pub status: Option<RawStatus>,
    #[serde(default)]
    pub stop: Option<RawStop>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBinary {
    /// `bundled` (shipped next to Lightrig), `path` (an absolute path), `search-path` ($PATH),
    /// `installed` (by Lightrig's installer).
    pub source: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    /// For `installed`: the installer's node id (default: the profile's id).
    #[serde(default)]
    pub node: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub default: Option<toml::Value>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    pub required: Option<bool>,
    /// For `monero-address`: the network the node mines on (`mainnet` by default,
    /// `stagenet`, `testnet`).
    #[serde(default)]
    pub network: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLaunch {
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Files written privately for each run: name → content template (see
    /// [`super::Launch::files`]).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    /// `http`, `tcp`, `log` or `alive`.
    pub check: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub port: Option<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub startup_grace_secs: Option<u64>,
    #[serde(default)]
    pub interval_secs: Option<u64>,
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    #[serde(default)]
    pub failures: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    /// Which adapter reads status and metrics: `practice`, `xmrig`, `p2pool`, `monerod`,
    /// `storj`, `mysterium`, `custom` or `none`.
    pub adapter: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub interval_secs: Option<u64>,
    /// Adapter-specific settings (templates), e.g. P2Pool's data-api directory or a custom
    /// node's metric names. Each adapter validates its own options.
    #[serde(default)]
    pub options: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStop {
    /// `signal` (SIGTERM / CTRL_BREAK) or `http-post` to `url`, then the tree is killed.
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub grace_secs: Option<u64>,
}
