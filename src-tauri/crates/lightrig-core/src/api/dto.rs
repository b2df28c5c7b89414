//! What crosses the boundary to the UI (Tauri IPC or HTTP). TypeScript declarations are
//! generated from these types (`bindings.rs`), so the UI never hand-writes a Rust type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::RewardLine;
use crate::supervisor::{LogLine, NodeStatus};
use crate::telemetry::TelemetrySample;

mod energy;
pub use energy::*;
mod energy_settings;
pub use energy_settings::*;
mod prices;
pub use prices::*;

/// Everything the UI needs to draw itself, asked for when it is ready (events before the
/// listener are lost, so nothing depends on catching the first one).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Snapshot {
    pub version: String,
    pub node: NodeStatus,
    pub profile: ProfileView,
    pub telemetry: Option<TelemetrySample>,
    pub settings: SettingsView,
    /// Problems found at start that the user should see (a bad settings file kept aside...).
    pub notices: Vec<Notice>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Notice {
    pub code: String,
    pub message: String,
}

/// A node profile as the Nodes screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// pow-mining, staking, storage, bandwidth or compute.
    pub activity: String,
    pub simulated: bool,
    pub fields: Vec<FieldView>,
    /// The values in force for this profile (defaults filled in).
    pub values: BTreeMap<String, SettingValue>,
}

/// One configurable field. Token fields are never shown; port fields without a value are
/// picked for each run. A password field's value is `true` when one is saved in the keychain
/// and absent otherwise; the password itself never leaves the keychain.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldView {
    pub name: String,
    /// integer, text, choice, bool, port, path, password, monero-address or evm-address.
    pub kind: String,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub choices: Vec<String>,
    pub default: Option<SettingValue>,
}

/// A field value: a whole number, text, or true/false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum SettingValue {
    Bool(bool),
    Int(#[ts(type = "number")] i64),
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    System,
    Light,
    Dark,
}

/// The settings the Settings screen edits. Saving validates every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SettingsView {
    /// ISO 3166-1 alpha-2 code (or "EU"); null until chosen.
    pub jurisdiction: Option<String>,
    /// Price of one kWh in `currency`; null until set.
    pub price_per_kwh: Option<f64>,
    /// ISO 4217 code, e.g. "EUR", "CNY".
    pub currency: String,
    /// Tariff kind and prices, PSU efficiency, CPU watts, plug-meter calibration.
    pub energy: EnergySettingsView,
    /// "en" or "zh-CN"; null follows the system language.
    pub language: Option<String>,
    pub theme: Theme,
    /// Closing the window keeps the node running in the tray (only if chosen).
    pub close_to_tray: bool,
    pub start_minimised: bool,
    /// Start Lightrig when you log in. Off unless you turn it on.
    pub autostart: bool,
    /// Is this your own device and your own electricity? null until answered.
    pub own_device: Option<bool>,
    /// When not your own: you confirmed you have permission.
    pub permission_confirmed: bool,
    /// The first-run steps are done.
    pub onboarded: bool,
}

/// Earnings over three periods. Estimated, pending and paid stay separate lines.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Earnings {
    pub today: Vec<RewardLine>,
    pub week: Vec<RewardLine>,
    pub all_time: Vec<RewardLine>,
    /// Power, energy, cost and the net result; "not available" where nothing measures them.
    pub energy: EnergyView,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SeriesRange {
    #[serde(rename = "10m")]
    TenMinutes,
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "30d")]
    Month,
    #[serde(rename = "1y")]
    Year,
}

/// Chart data from the ledger's rollups: raw seconds for 10 minutes, minutes for 24 hours,
/// hours for 30 days, UTC days (hour rows added up) for a year. Missing values are null (not
/// available), never 0.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Series {
    pub range: SeriesRange,
    /// Width of one point in seconds.
    pub step_secs: u32,
    /// Unix seconds of each point.
    pub t: Vec<f64>,
    pub work_rate: Vec<Option<f64>>,
    pub work_unit: Option<String>,
    pub cpu_percent: Vec<Option<f64>>,
    pub node_cpu_percent: Vec<Option<f64>>,
    pub cpu_temp_c: Vec<Option<f64>>,
    pub power_w: Vec<Option<f64>>,
    /// What the latest power figure covers (wall, cpu-package, model...), how it was obtained
    /// (measured or estimated) and its source.
    pub power_kind: Option<String>,
    pub power_provenance: Option<String>,
    pub power_source: Option<String>,
    /// Energy per minute (10 minutes, 24 hours), per hour (30 days) or per UTC day (1 year).
    pub energy: EnergySeries,
}

/// The compliance note for the current node's activity where the user lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ComplianceView {
    pub jurisdiction: String,
    pub jurisdiction_name: String,
    pub activity: String,
    /// permitted, permitted-with-licence, restricted, prohibited or unclear.
    pub status: String,
    /// confirmed, secondary or unconfirmed.
    pub confidence: String,
    pub text: String,
    pub sources: Vec<SourceView>,
    pub last_reviewed: String,
    pub stale: bool,
    /// True when starting this node needs the user's acknowledgement of this note (status
    /// restricted or prohibited, and a node that does real work: the practice node earns
    /// nothing and connects nowhere, so it never needs one).
    pub requires_acknowledgement: bool,
    /// The note's version; an acknowledgement is for one version.
    pub note_version: u32,
    /// When the user acknowledged this version, if they did (Unix ms).
    #[ts(type = "number | null")]
    pub acknowledged_at_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    pub issuer: String,
    pub date: String,
    pub url: Option<String>,
}

/// The one error shape at the boundary. `code` is stable; the UI branches on it. `field`
/// names the input that is wrong, for inline messages.
#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError { code: code.into(), message: message.into(), field: None }
    }
    pub fn field(code: &str, field: &str, message: impl Into<String>) -> Self {
        ApiError { code: code.into(), message: message.into(), field: Some(field.into()) }
    }
}

/// Pushed to the UI. Named in one place: `node://status`, `telemetry://sample`, `node://log`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", content = "payload")]
pub enum AppEvent {
    #[serde(rename = "node://status")]
    // Boxed: a node status (metrics, hints, last lines) is far larger than the other events.
    Status(Box<NodeStatus>),
    #[serde(rename = "telemetry://sample")]
    Sample(TelemetrySample),
    #[serde(rename = "node://log")]
    Log(LogLine),
    #[serde(rename = "install://progress")]
    Install(super::InstallProgress),
}

impl AppEvent {
    pub fn name(&self) -> &'static str {
        match self {
            AppEvent::Status(_) => "node://status",
            AppEvent::Sample(_) => "telemetry://sample",
            AppEvent::Log(_) => "node://log",
            AppEvent::Install(_) => "install://progress",
        }
    }
}
